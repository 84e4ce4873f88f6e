UNIT_TESTS += cpuid_filter
cpuid_filter_SRCS := tests/unit/test_cpuid_filter.c vmm/cpuid_filter.c
