UNIT_TESTS += power_model
power_model_SRCS := tests/unit/test_power_model.c pm/power_model.c \
	pm/energy_attrib.c sched/credit.c sched/credit_acct.c tools/sim/cpu_model.c
