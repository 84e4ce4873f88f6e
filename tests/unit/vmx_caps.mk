UNIT_TESTS += vmx_caps
vmx_caps_SRCS := tests/unit/test_vmx_caps.c arch/x86/vmx/vmx_caps.c lib/format.c
