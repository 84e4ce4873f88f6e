UNIT_TESTS += sim_model
sim_model_SRCS := tests/unit/test_sim_model.c tools/sim/cpu_model.c \
	tools/sim/ondemand_model.c tools/sim/workload.c tools/sim/sim.c \
	sched/credit.c sched/credit_acct.c
