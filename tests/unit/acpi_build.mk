UNIT_TESTS += acpi_build
acpi_build_SRCS := tests/unit/test_acpi_build.c vmm/acpi_build.c arch/x86/acpi_parse.c arch/x86/aml_s5.c lib/format.c
