UNIT_TESTS += rapl
rapl_SRCS := tests/unit/test_rapl.c arch/x86/rapl.c lib/format.c
