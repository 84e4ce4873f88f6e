UNIT_TESTS += sched_ops
sched_ops_SRCS := tests/unit/test_sched_ops.c sched/sched_ops.c sched/credit.c sched/credit_acct.c
