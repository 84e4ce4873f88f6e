UNIT_TESTS += vmx_apicv
vmx_apicv_SRCS := tests/unit/test_vmx_apicv.c arch/x86/vmx/vmx_apicv_rules.c \
	arch/x86/vmx/msr_bitmap.c
