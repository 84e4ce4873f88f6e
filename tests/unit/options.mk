UNIT_TESTS += options
options_SRCS := tests/unit/test_options.c vmm/options.c lib/format.c
