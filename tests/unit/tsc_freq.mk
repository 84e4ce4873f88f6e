UNIT_TESTS += tsc_freq
tsc_freq_SRCS := tests/unit/test_tsc_freq.c arch/x86/tsc_freq.c lib/format.c
