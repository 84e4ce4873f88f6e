UNIT_TESTS += pm_report
pm_report_SRCS := lib/text_writer.c tests/unit/test_pm_report.c pm/pm_report.c \
	pm/power_model.c pm/energy_attrib.c sched/credit.c sched/credit_acct.c \
	sched/credit_report.c lib/format.c
