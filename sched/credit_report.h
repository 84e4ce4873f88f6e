/*
 * The credit scheduler's state as text: a one-line JSON record for tools
 * (bench scripts, the simulator) and a table for the console. Pure
 * formatting of what sched/credit.h keeps: call csched_sync(s, now)
 * first for up-to-date times. The scheduler has no list of vCPUs of its
 * own, so the caller passes the ones to print.
 */
#ifndef VOLT_SCHED_CREDIT_REPORT_H
#define VOLT_SCHED_CREDIT_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "sched/credit.h"

/*
 * One line, no newline:
 *   STAT {"t_ms":..,"cpus":[{"cpu":0,"busy_ms":..,"idle_ms":..,
 *   "f_khz":..},..],"vcpus":[{"dom":0,"vcpu":0,"state":"run",
 *   "pri":"under","credit":..,"run_ms":..,"cap_ms":..,"wake_lat_us":..,
 *   "migr":..},..]}
 * Times in ms have three decimals (microseconds); wake_lat_us is the
 * average wake latency in whole microseconds; f_khz 0 means "at the
 * maximum frequency". state: blocked, runnable, run, parked; pri: boost,
 * under, over, idle. Returns the length written, or -1 if it does not
 * fit in len bytes with its terminating NUL (buf is then "": never a
 * truncated record).
 */
int csched_format_stat(const struct csched *s, struct csched_vcpu *const *v,
		       size_t n, uint64_t now, char *buf, size_t len);

/*
 * A human table, several lines each ending in '\n': one line per vCPU
 * (dom, vcpu, cpu, state, pri, credit, runtime and capacity in ms, wake
 * latency average and maximum in us, migrations, parks), then one per
 * CPU (busy and idle percent, frequency). Same return convention.
 */
int csched_format_table(const struct csched *s,
			struct csched_vcpu *const *v, size_t n, uint64_t now,
			char *buf, size_t len);

/* Names used by both formats ("?" for a value out of range). */
const char *csched_state_name(enum csched_state st);
const char *csched_pri_name(enum csched_pri pri);

#endif
