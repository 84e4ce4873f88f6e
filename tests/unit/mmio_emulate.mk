UNIT_TESTS += mmio_emulate
mmio_emulate_SRCS := tests/unit/test_mmio_emulate.c vmm/insn/mmio_emulate.c \
	vmm/insn/x86_decode.c
