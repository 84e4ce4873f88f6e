UNIT_TESTS += cstate
cstate_SRCS := tests/unit/test_cstate.c pm/cstate_table.c
