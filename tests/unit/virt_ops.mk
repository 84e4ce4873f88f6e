UNIT_TESTS += virt_ops
virt_ops_SRCS := tests/unit/test_virt_ops.c
