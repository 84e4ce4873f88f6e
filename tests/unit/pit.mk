UNIT_TESTS += pit
pit_SRCS := tests/unit/test_pit.c vmm/dev/pit.c vmm/io_bus.c
