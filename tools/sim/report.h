/*
 * The simulator's output: a text summary, the Markdown report
 * (docs/dvfs-credit.md) and the SVG plot (docs/img/dvfs-credit.svg).
 * Host-only code (stdio, doubles for display; the simulation itself is
 * integer).
 */
#ifndef VOLT_TOOLS_SIM_REPORT_H
#define VOLT_TOOLS_SIM_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include "tools/sim/sim.h"

/* One finished run. */
struct sim_record {
	struct sim_config c;
	struct sim_result r;
};

/* A group of runs that share a workload and differ in scheduler mode and
 * governor; runs[0] is the reference (performance governor). */
struct sim_scenario {
	const char *title;
	const char *about;      /* one paragraph of Markdown */
	struct sim_record *runs;
	size_t nruns;
};

/* Figures every output uses. */
double report_capacity_pct(const struct sim_record *rec, uint32_t vm);
/* The same as the scheduler counted it (runtime x f/f_max). */
double report_sched_capacity_pct(const struct sim_record *rec, uint32_t vm);
double report_avg_ghz(const struct sim_record *rec);
double report_busy_pct(const struct sim_record *rec);
double report_level_pct(const struct sim_record *rec, uint32_t level);
double report_changes_per_s(const struct sim_record *rec);
double report_energy_j(const struct sim_record *rec);
/* Energy against runs[0] of the scenario, percent. */
double report_energy_vs_ref_pct(const struct sim_scenario *s, size_t run);
/* Energy per unit of work: J per second of max-frequency work. */
double report_j_per_work_s(const struct sim_record *rec);
/* Jobs after the warm-up. */
double report_mean_response_ms(const struct sim_record *rec, uint32_t vm);

void report_text(FILE *f, const struct sim_scenario *s);
/* The processor model as a Markdown table. */
void report_model(FILE *f, const struct sim_config *c);
/* A scenario's two tables: what the VMs got, what the processor did. */
void report_markdown(FILE *f, const struct sim_scenario *s);
/* The plot of scenario sc, one line per run: VM `vm`'s capacity and CPU
 * 0's frequency over time, then the exact frequency between zoom_from_s
 * and zoom_to_s, with one more run (extra, may be NULL) there. */
void report_svg(FILE *f, const struct sim_scenario *sc, uint32_t vm,
		const struct sim_record *extra, const char *extra_label,
		double zoom_from_s, double zoom_to_s);

#endif
