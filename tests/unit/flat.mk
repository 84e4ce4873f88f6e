UNIT_TESTS += flat
flat_SRCS := tests/unit/test_flat.c vmm/loader/flat.c lib/format.c
