# The idle governors (pm/idle_gov.c) on idle-duration traces, against an
# oracle (tools/idle_accuracy.c).
#
#   make bench-idle   writes docs/idle-governors.md, prints the tables
IDLE_BENCH := $(BUILD)/tools/idle_accuracy
IDLE_BENCH_SRCS := tools/idle_accuracy.c pm/idle_gov.c pm/cstate_table.c

$(IDLE_BENCH): $(IDLE_BENCH_SRCS) pm/idle_gov.h pm/cstate.h
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=gnu11 -O2 -g $(WARN) -Wno-missing-prototypes -I. \
		-DVOLT_HOST_TEST -o $@ $(IDLE_BENCH_SRCS)

.PHONY: bench-idle
bench-idle: $(IDLE_BENCH)
	$(IDLE_BENCH) --md docs/idle-governors.md
