/*
 * What a simulated VM asks of its (single) vCPU.
 *
 *   overloaded  always runnable: it never blocks and takes every
 *               nanosecond the scheduler gives it (a batch job);
 *   I/O-like    jobs arrive every period_ns on average (uniform jitter,
 *               from a fixed seed: runs are deterministic); each job is
 *               demand x period of max-frequency work. The vCPU runs
 *               while jobs wait and blocks (HLT) when none is left.
 *
 * Work is in ps of max-frequency running (cpu_model.h); how much a
 * nanosecond of running does depends on the level and on the workload's
 * CPU-bound fraction b. Jobs complete in order; the response time of each
 * (arrival to last bit of work) is recorded, after a warm-up if asked.
 *
 * Pure integer C, no allocation.
 */
#ifndef VOLT_TOOLS_SIM_WORKLOAD_H
#define VOLT_TOOLS_SIM_WORKLOAD_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_JOB_QUEUE 1024  /* waiting jobs; more are dropped (counted) */

struct sim_workload_params {
	bool overloaded;
	uint32_t demand_pm;     /* I/O-like: permille of a max-freq CPU */
	uint32_t cpu_bound_pm;  /* b, permille */
	uint64_t period_ns;     /* I/O-like: mean time between jobs (> 0) */
	uint32_t jitter_pm;     /* inter-arrival: period x (1 +- jitter) */
	uint32_t seed;          /* nonzero */
	uint64_t measure_from_ns; /* response times of jobs arriving earlier
				   * count only in response_max_all_ns */
};

struct sim_workload {
	struct sim_workload_params p;
	uint64_t job_ps;        /* work per job */
	uint64_t next_arrival;  /* ns; UINT64_MAX: never */
	uint32_t rng;
	/* Waiting jobs, oldest first: arrival times; the oldest has
	 * head_left_ps of work left, the others job_ps each. */
	uint64_t arrived_at[SIM_JOB_QUEUE];
	uint32_t head, pending;
	uint64_t head_left_ps;
	/* Totals. */
	uint64_t done_ps;
	uint64_t jobs_arrived, jobs_done, jobs_dropped;
	uint64_t measured_jobs, response_sum_ns, response_max_ns;
	uint64_t response_max_all_ns;
};

void sim_workload_init(struct sim_workload *w,
		       const struct sim_workload_params *p, uint64_t now);

bool sim_workload_runnable(const struct sim_workload *w);

/* Queue the jobs that have arrived by `now`. True if any did. */
bool sim_workload_arrive(struct sim_workload *w, uint64_t now);

/* Work until the oldest job completes (UINT64_MAX: overloaded; 0: no
 * job waits). */
uint64_t sim_workload_work_to_completion(const struct sim_workload *w);

/* The vCPU did work_ps of work, ending at `now`. An I/O-like workload
 * uses at most what its jobs need; a job whose last work is done
 * completes at `now`. Returns the work used. */
uint64_t sim_workload_do(struct sim_workload *w, uint64_t work_ps,
			 uint64_t now);

#endif
