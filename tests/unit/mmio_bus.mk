UNIT_TESTS += mmio_bus
mmio_bus_SRCS := tests/unit/test_mmio_bus.c vmm/mmio_bus.c
