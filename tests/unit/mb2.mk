UNIT_TESTS += mb2
mb2_SRCS := tests/unit/test_mb2.c boot/multiboot2/mb2_parse.c lib/format.c
