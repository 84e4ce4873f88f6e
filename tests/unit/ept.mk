UNIT_TESTS += ept
ept_SRCS := tests/unit/test_ept.c arch/x86/vmx/ept.c
