UNIT_TESTS += idle_gov
idle_gov_SRCS := lib/text_writer.c tests/unit/test_idle_gov.c pm/idle_gov.c pm/idle_report.c \
	pm/cstate_table.c lib/format.c
