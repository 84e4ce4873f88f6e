UNIT_TESTS += efi_mmap
efi_mmap_SRCS := tests/unit/test_efi_mmap.c boot/uefi/efi_mmap.c lib/format.c
