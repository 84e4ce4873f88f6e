UNIT_TESTS += governor
governor_SRCS := tests/unit/test_governor.c pm/governor.c \
	pm/pstate_modeled.c lib/format.c tools/sim/ondemand_model.c \
	tools/sim/cpu_model.c
