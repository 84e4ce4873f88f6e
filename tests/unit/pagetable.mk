UNIT_TESTS += pagetable
pagetable_SRCS := tests/unit/test_pagetable.c arch/x86/pagetable.c
