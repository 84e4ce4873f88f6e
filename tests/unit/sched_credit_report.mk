UNIT_TESTS += sched_credit_report
sched_credit_report_SRCS := lib/text_writer.c tests/unit/test_sched_credit_report.c \
	sched/credit_report.c sched/credit.c sched/credit_acct.c lib/format.c
