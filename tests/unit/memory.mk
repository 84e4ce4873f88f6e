UNIT_TESTS += memory
memory_SRCS := tests/unit/test_memory.c lib/memmap.c lib/frames.c lib/format.c
