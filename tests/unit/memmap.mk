UNIT_TESTS += memmap
memmap_SRCS := tests/unit/test_memmap.c lib/memmap.c lib/format.c
