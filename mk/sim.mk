# The DVFS-credit simulator (tools/sim/README.md): Volt's credit policy
# (sched/credit.c sched/credit_acct.c) on a modeled processor with an ondemand governor.
#
#   make bench-sim   run it; writes docs/dvfs-credit.md and
#                    docs/img/dvfs-credit.svg
SIM_DIR := $(BUILD)/sim
SIM_SRCS := $(wildcard tools/sim/*.c) sched/credit.c sched/credit_acct.c
SIM_HDRS := $(wildcard tools/sim/*.h) sched/credit.h sched/credit_internal.h
SIM_CFLAGS := -std=gnu11 -O2 -g $(WARN) -I. -DVOLT_HOST_TEST

$(SIM_DIR)/volt-sim: $(SIM_SRCS) $(SIM_HDRS)
	@mkdir -p $(dir $@)
	$(HOSTCC) $(SIM_CFLAGS) -o $@ $(SIM_SRCS)

.PHONY: bench-sim
bench-sim: $(SIM_DIR)/volt-sim
	@mkdir -p docs/img
	$(SIM_DIR)/volt-sim --md docs/dvfs-credit.md \
		--svg docs/img/dvfs-credit.svg
