UNIT_TESTS += test_mmio
test_mmio_SRCS := tests/unit/test_test_mmio.c vmm/dev/test_mmio.c vmm/mmio_bus.c
