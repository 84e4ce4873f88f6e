UNIT_TESTS += traps
traps_SRCS := tests/unit/test_traps.c arch/x86/backtrace.c arch/x86/trap_decode.c lib/format.c
