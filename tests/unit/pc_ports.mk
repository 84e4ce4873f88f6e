UNIT_TESTS += pc_ports
pc_ports_SRCS := tests/unit/test_pc_ports.c vmm/dev/pc_ports.c vmm/io_bus.c
