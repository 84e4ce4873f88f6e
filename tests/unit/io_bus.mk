UNIT_TESTS += io_bus
io_bus_SRCS := tests/unit/test_io_bus.c vmm/io_bus.c
