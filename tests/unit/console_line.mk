UNIT_TESTS += console_line
console_line_SRCS := tests/unit/test_console_line.c vmm/console_line.c
