UNIT_TESTS += ioapic
ioapic_SRCS := tests/unit/test_ioapic.c vmm/dev/ioapic.c vmm/mmio_bus.c
