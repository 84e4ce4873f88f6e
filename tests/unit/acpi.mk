UNIT_TESTS += acpi
acpi_SRCS := tests/unit/test_acpi.c arch/x86/acpi_parse.c arch/x86/aml_s5.c lib/format.c
