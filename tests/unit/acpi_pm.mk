UNIT_TESTS += acpi_pm
acpi_pm_SRCS := tests/unit/test_acpi_pm.c vmm/dev/acpi_pm.c vmm/io_bus.c
