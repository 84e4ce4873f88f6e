UNIT_TESTS += uart16550
uart16550_SRCS := tests/unit/test_uart16550.c vmm/dev/uart16550.c vmm/io_bus.c
