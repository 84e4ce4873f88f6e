UNIT_TESTS += msr_emul
msr_emul_SRCS := tests/unit/test_msr_emul.c vmm/msr_emul.c lib/format.c
