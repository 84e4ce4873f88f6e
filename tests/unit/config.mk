UNIT_TESTS += config
config_SRCS := tests/unit/test_config.c vmm/config.c vmm/options.c lib/format.c
