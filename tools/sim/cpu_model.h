/*
 * The simulator's processor model (tools/sim, see README.md): frequency
 * levels with their voltages, how much work a vCPU does per nanosecond of
 * running at a level, and the power drawn running or idle.
 *
 * Throughput: a workload whose CPU-bound fraction is b does, per ns of
 * running at f, b x f/f_max + (1 - b) ns of max-frequency work (the
 * memory-bound part waits on memory whatever the core clock). Power:
 * static + dynamic while running, the dynamic part C x f x V^2 written as
 * dyn_max x (f/f_max) x (V/V_max)^2; a flat idle power while idle. The
 * numbers are a plausible desktop core, not a measured one; the report
 * prints them with every result.
 *
 * Pure integer C (stdint only): could move into pm/ as the "modeled"
 * P-state driver's energy estimate. Work is counted in picoseconds of
 * max-frequency running ("work ps"), power in uW, energy in uJ.
 */
#ifndef VOLT_TOOLS_SIM_CPU_MODEL_H
#define VOLT_TOOLS_SIM_CPU_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define SIM_MAX_LEVELS 16
#define SIM_PERMILLE 1000u   /* b = 1000: fully CPU-bound */

struct sim_pstate {
	uint32_t khz;
	uint32_t mv;
};

struct sim_cpu_model {
	struct sim_pstate levels[SIM_MAX_LEVELS]; /* ascending frequency */
	uint32_t nlevels;
	uint32_t static_mw;   /* running, at any level */
	uint32_t dyn_max_mw;  /* C x f x V^2 at the top level */
	uint32_t idle_mw;     /* halted */
};

/* Levels ascending, strictly; 1-10 GHz; 0.3-2 V; powers <= 1 kW. */
bool sim_cpu_model_valid(const struct sim_cpu_model *m);

uint32_t sim_top_level(const struct sim_cpu_model *m);
uint32_t sim_fmax_khz(const struct sim_cpu_model *m);

/* The lowest level whose frequency is >= khz (the top one if none is):
 * Xen's CPUFREQ_RELATION_L. */
uint32_t sim_level_at_or_above(const struct sim_cpu_model *m, uint64_t khz);

/* Power at `level` in uW: running (busy) or idle. */
uint64_t sim_power_uw(const struct sim_cpu_model *m, uint32_t level,
		      bool busy);

/* Work (ps of max-frequency running) done by running dt_ns at `level`
 * with CPU-bound fraction cpu_bound_pm (permille, clamped to 1000). */
uint64_t sim_work_ps(const struct sim_cpu_model *m, uint32_t level,
		     uint32_t cpu_bound_pm, uint64_t dt_ns);

/* The running time (ns, rounded up) that does at least `work_ps`:
 * sim_work_ps(m, level, b, sim_time_for_work(m, level, b, w)) >= w.
 * UINT64_MAX when it would not fit. */
uint64_t sim_time_for_work(const struct sim_cpu_model *m, uint32_t level,
			   uint32_t cpu_bound_pm, uint64_t work_ps);

/* Energy as whole uJ plus a remainder, so that summing many short
 * intervals loses nothing. */
struct sim_energy {
	uint64_t uj;
	uint64_t rem_fj;  /* uW x ns = fJ; < 1e9 */
};

void sim_energy_add(struct sim_energy *e, uint64_t power_uw, uint64_t dt_ns);

#endif
