UNIT_TESTS += bzimage
bzimage_SRCS := tests/unit/test_bzimage.c vmm/loader/bzimage.c vmm/loader/guest_layout.c lib/format.c
