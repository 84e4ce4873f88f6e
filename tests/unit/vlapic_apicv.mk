UNIT_TESTS += vlapic_apicv
vlapic_apicv_SRCS := tests/unit/test_vlapic_apicv.c vmm/dev/vlapic.c \
	vmm/dev/vlapic_timer.c vmm/dev/vlapic_apicv.c
