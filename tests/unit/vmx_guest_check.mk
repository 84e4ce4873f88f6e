UNIT_TESTS += vmx_guest_check
vmx_guest_check_SRCS := tests/unit/test_vmx_guest_check.c arch/x86/vmx/vmx_guest_check.c lib/format.c
