/*
 * The simulator's glue (tools/sim, README.md): Volt's credit policy
 * (sched/credit.c, unchanged) driving simulated processors
 * (cpu_model.h), VM workloads (workload.h) and a frequency governor
 * (ondemand_model.h; or "performance" / "powersave": always the top /
 * bottom level).
 *
 * Event-driven with nanosecond time: between two events nothing changes,
 * so each interval is accounted exactly. The events are the ones Volt's
 * per-CPU glue (sched/sched.c) reacts to: a tick every tick_ns on a busy
 * CPU, accounting every tslice_ns, the end of a decision's run_until, a
 * vCPU blocking (its jobs are done) or waking (a job arrives), an idle
 * CPU looking for work once per slice; plus the governor's samples and
 * the report's time windows.
 */
#ifndef VOLT_TOOLS_SIM_SIM_H
#define VOLT_TOOLS_SIM_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "sched/credit.h"
#include "tools/sim/cpu_model.h"
#include "tools/sim/ondemand_model.h"
#include "tools/sim/workload.h"

#define SIM_MAX_VMS 8
#define SIM_MAX_CPUS 8
#define SIM_MAX_POINTS 1000

enum sim_governor {
	SIM_GOV_ONDEMAND = 0,
	SIM_GOV_PERFORMANCE,  /* always the top level */
	SIM_GOV_POWERSAVE,    /* always the bottom level */
};

struct sim_vm_config {
	const char *name;
	uint32_t weight, cap;   /* csched_dom_init's */
	uint32_t cpu;           /* where its vCPU starts */
	struct sim_workload_params load;
};

struct sim_config {
	const char *label;
	enum csched_mode mode;
	enum sim_governor governor;
	uint32_t up_threshold;  /* ondemand */
	uint64_t sample_ns;     /* ondemand */
	bool repick_on_freq_change; /* csched_pick_next after set_freq */
	uint32_t ncpus;
	struct sim_cpu_model cpu;
	struct csched_params sched;
	uint64_t duration_ns;
	uint64_t window_ns;     /* time series resolution */
	uint32_t nvms;
	struct sim_vm_config vms[SIM_MAX_VMS];
	/* A line per scheduling event in [trace_from, trace_to) ns. */
	FILE *trace;
	uint64_t trace_from_ns, trace_to_ns;
};

struct sim_vm_result {
	uint32_t promised_pct;  /* csched_dom_credit_pct at the start */
	uint64_t work_ps;       /* what the workload got done */
	/* The scheduler's own books (csched_vcpu). */
	uint64_t runtime_ns, capacity_ns;
	uint64_t wakeups, wake_latency_sum_ns, wake_latency_max_ns, parks;
	/* Accountings that left its busy (running or runnable) vCPU with
	 * less credit than its promise guarantees: a period's promised
	 * credit p, so at least min(before + p, p), give or take rounding. */
	uint64_t busy_credit_cuts;
	uint64_t accountings;
	/* I/O-like workloads. */
	uint64_t jobs_arrived, jobs_done, jobs_dropped;
	uint64_t measured_jobs;  /* arrived after the warm-up */
	uint64_t response_sum_ns, response_max_ns; /* of those */
	uint64_t response_max_all_ns;
	/* Capacity per window, permille of a max-frequency CPU. */
	uint32_t series_pm[SIM_MAX_POINTS];
};

struct sim_cpu_result {
	struct sim_energy energy;
	uint64_t busy_ns, idle_ns;
	uint64_t khz_ns;        /* frequency x time, busy or idle */
	uint64_t level_ns[SIM_MAX_LEVELS];
	uint64_t freq_changes;
	uint32_t series_khz[SIM_MAX_POINTS]; /* average per window */
};

/* Frequency changes of CPU 0, for a zoomed plot. */
#define SIM_MAX_STEPS 4096
struct sim_freq_step {
	uint64_t t_ns;
	uint32_t khz;
};

struct sim_result {
	uint32_t npoints;
	uint32_t nsteps;        /* the first SIM_MAX_STEPS, from time 0 */
	struct sim_freq_step steps[SIM_MAX_STEPS];
	struct sim_vm_result vm[SIM_MAX_VMS];
	struct sim_cpu_result cpu[SIM_MAX_CPUS];
};

/* The simulation's state: large (the policy, job queues), so the caller
 * provides it; everything in it is private to sim.c. */
struct sim_cpu {
	uint32_t level;
	struct sim_cpu_counters ctr;
	struct sim_ondemand gov;
	uint64_t next_sample;
	uint64_t next_tick;     /* busy: the next csched_tick */
	uint64_t run_until;     /* the last decision's */
	uint64_t idle_until;    /* idle: look for work to steal then */
	bool need_resched;
	uint64_t win_khz_ns;
};

struct sim_vm {
	struct sim_workload wl;
	struct csched_dom dom;
	struct csched_vcpu v;
	uint64_t win_work_ps;
};

struct sim {
	const struct sim_config *c;
	struct sim_result *r;
	struct csched s;
	struct sim_cpu cpus[SIM_MAX_CPUS];
	struct sim_vm vms[SIM_MAX_VMS];
	uint64_t now, next_acct, next_window;
};

/* A configuration the simulator can run; on false, *why says what is
 * wrong. */
bool sim_config_valid(const struct sim_config *c, const char **why);

/* Run c from time 0 to c->duration_ns into *r (cleared first). The
 * configuration must be valid. */
void sim_run(struct sim *sim, const struct sim_config *c,
	     struct sim_result *r);

/* Derived figures. */
uint64_t sim_total_energy_uj(const struct sim_config *c,
			     const struct sim_result *r);
uint64_t sim_total_work_ps(const struct sim_config *c,
			   const struct sim_result *r);
/* Time-weighted average frequency of all CPUs, kHz. */
uint64_t sim_avg_khz(const struct sim_config *c, const struct sim_result *r);

#endif
