/*
 * An ondemand frequency governor for the simulator, after Xen's
 * (xen/drivers/cpufreq/cpufreq_ondemand.c, dbs_check_cpu): every
 * sampling period, load = percent of the period the CPU was not idle;
 * load x f_avg above up_threshold x f_cur: go to the top level; below
 * (up_threshold - 10) x f_cur: go to the lowest level at or above
 * load x f_avg / (up_threshold - 10). f_avg is the average frequency
 * while busy over the period (Xen reads it from APERF/MPERF).
 *
 * Defaults are Xen's: up_threshold 80 %, a 20 ms sampling period (Xen's
 * minimum, used when the P-state transition latency is below 20 us).
 * Pure integer C: the governor that pm/ will get can replace this file.
 */
#ifndef VOLT_TOOLS_SIM_ONDEMAND_MODEL_H
#define VOLT_TOOLS_SIM_ONDEMAND_MODEL_H

#include <stdint.h>
#include "tools/sim/cpu_model.h"

#define SIM_ONDEMAND_UP_THRESHOLD 80
#define SIM_ONDEMAND_SAMPLE_NS 20000000ull
#define SIM_ONDEMAND_MIN_INTERVAL_NS 100000ull /* Xen: shorter is noise */

/* Cumulative counters of one CPU, as hardware would give them. */
struct sim_cpu_counters {
	uint64_t busy_ns, idle_ns;
	uint64_t busy_khz_ns;   /* sum of f x dt while busy (APERF-like) */
};

struct sim_ondemand {
	uint32_t up_threshold;  /* percent, 11-100 */
	uint64_t sample_ns;
	struct sim_cpu_counters prev;
};

void sim_ondemand_init(struct sim_ondemand *g, uint32_t up_threshold,
		       uint64_t sample_ns, const struct sim_cpu_counters *c);

/* The decision itself: the level to run at next, given the load (0-100)
 * and the average busy frequency of the period just ended. */
uint32_t sim_ondemand_target(const struct sim_cpu_model *m,
			     uint32_t up_threshold, uint32_t cur_level,
			     uint32_t load_pct, uint64_t avg_khz);

/* One sample: the counters now against those of the previous sample.
 * Returns the level to set (cur_level: no change). */
uint32_t sim_ondemand_sample(struct sim_ondemand *g,
			     const struct sim_cpu_model *m, uint32_t cur_level,
			     const struct sim_cpu_counters *now);

#endif
