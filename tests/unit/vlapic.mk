UNIT_TESTS += vlapic
vlapic_SRCS := tests/unit/test_vlapic.c vmm/dev/vlapic.c \
	vmm/dev/vlapic_timer.c vmm/dev/vlapic_apicv.c
