UNIT_TESTS += multiboot
multiboot_SRCS := tests/unit/test_multiboot.c vmm/loader/multiboot.c vmm/loader/guest_layout.c lib/format.c
