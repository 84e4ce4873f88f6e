UNIT_TESTS += pstate_drivers
pstate_drivers_SRCS := tests/unit/test_pstate_drivers.c \
	arch/x86/pstate_intel.c arch/x86/pstate_amd.c pm/pstate_modeled.c \
	lib/format.c
