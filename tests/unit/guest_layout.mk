UNIT_TESTS += guest_layout
guest_layout_SRCS := tests/unit/test_guest_layout.c vmm/loader/guest_layout.c
