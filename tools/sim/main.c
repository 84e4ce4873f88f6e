/*
 * volt-sim: the seed report's DVFS / credit scenario simulated with
 * Volt's credit policy (sched/credit.c) in its three modes under an
 * ondemand governor, plus the performance governor as the reference
 * (README.md; results in docs/dvfs-credit.md).
 *
 *   volt-sim [--md FILE] [--svg FILE] [--trace RUN FROM_MS TO_MS]
 *
 * Always prints the tables; --md writes the report, --svg the plot,
 * --trace every scheduling event of seed run RUN (0-3) in a time range
 * to stderr. Deterministic: fixed seeds, integer simulation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/sim/doc.h"

#define MS 1000000ull
#define SEC 1000000000ull

/* A desktop-class core: five P-states, voltage falling with frequency.
 * Plausible, not measured (the report says so). */
static const struct sim_cpu_model core = {
	.levels = { { 1200000, 800 }, { 1600000, 900 }, { 2000000, 1000 },
		    { 2400000, 1100 }, { 2800000, 1200 } },
	.nlevels = 5,
	.static_mw = 3000,
	.dyn_max_mw = 12000,
	.idle_mw = 1000,
};

struct run_spec {
	const char *label;
	enum csched_mode mode;
	enum sim_governor governor;
};

#define REF_LABEL "fixed + performance (reference)"

/* runs[0] is the reference the others are compared with. */
static const struct run_spec specs[DOC_RUNS] = {
	{ REF_LABEL, CSCHED_MODE_FIXED, SIM_GOV_PERFORMANCE },
	{ "fixed + ondemand", CSCHED_MODE_FIXED, SIM_GOV_ONDEMAND },
	{ "variable + ondemand", CSCHED_MODE_VARIABLE, SIM_GOV_ONDEMAND },
	{ "DVFS-aware + ondemand", CSCHED_MODE_DVFS, SIM_GOV_ONDEMAND },
};

/* The runs' labels when powersave replaces ondemand. */
static const char *const powersave_labels[DOC_RUNS] = {
	REF_LABEL, "fixed + powersave", "variable + powersave",
	"DVFS-aware + powersave",
};

struct variant {
	uint32_t a_cpu_bound_pm;
	uint64_t sample_ns;
	bool caps;       /* promises as caps (fixed, dvfs) instead of weights */
	bool powersave;  /* the powersave governor instead of ondemand */
};

static const struct variant variants[DOC_VARIANTS] = {
	[DOC_SEED] = { 1000, SIM_ONDEMAND_SAMPLE_NS, false },
	[DOC_ALIGNED] = { 1000, 30 * MS, false },
	[DOC_MEMBOUND] = { 500, SIM_ONDEMAND_SAMPLE_NS, false },
	[DOC_POWERSAVE] = { 1000, SIM_ONDEMAND_SAMPLE_NS, false, true },
	[DOC_CAPS] = { 1000, SIM_ONDEMAND_SAMPLE_NS, true, false },
};

/*
 * The seed's scenario: one CPU; VM A promised 30 %, always runnable;
 * VM B promised 70 % but I/O-like, using about 10 % (a 1 ms job every
 * 10 ms +- 50 %). Promises are weights (300 : 700) without caps in every
 * mode, so the VMs are the same and only the mode changes: fixed and
 * DVFS-aware modes hold a VM to its weight's share even when the other
 * leaves the CPU idle, variable mode lets A take what B leaves. The
 * "caps" variant says the same with cap=30 / cap=70 instead.
 */
static void seed_config(struct sim_config *c, const struct run_spec *r,
			const struct variant *v)
{
	*c = (struct sim_config){
		.label = r->label,
		.mode = r->mode,
		.governor = v->powersave && r->governor == SIM_GOV_ONDEMAND ?
			    SIM_GOV_POWERSAVE : r->governor,
		.up_threshold = SIM_ONDEMAND_UP_THRESHOLD,
		.sample_ns = v->sample_ns,
		.repick_on_freq_change = true,
		.ncpus = 1,
		.cpu = core,
		.sched = { .tslice_ns = 30 * MS, .tick_ns = 10 * MS,
			   .ratelimit_ns = 1 * MS },
		.duration_ns = 20 * SEC,
		/* 500 ms: 16-17 accounting periods per point, so a period
		 * more or less in a window moves A's figure by < 2 points */
		.window_ns = 500 * MS,
		.nvms = 2,
	};
	bool caps = v->caps && r->mode != CSCHED_MODE_VARIABLE;
	c->vms[DOC_VM_A] = (struct sim_vm_config){
		.name = "A",
		.weight = caps ? CSCHED_WEIGHT_DEFAULT : 300,
		.cap = caps ? 30 : 0,
		.load = { .overloaded = true,
			  .cpu_bound_pm = v->a_cpu_bound_pm, .seed = 1 },
	};
	c->vms[DOC_VM_B] = (struct sim_vm_config){
		.name = "B",
		.weight = caps ? CSCHED_WEIGHT_DEFAULT : 700,
		.cap = caps ? 70 : 0,
		.load = { .demand_pm = 100, .cpu_bound_pm = 1000,
			  .period_ns = 10 * MS, .jitter_pm = 500,
			  .seed = 12345, .measure_from_ns = 1 * SEC },
	};
}

static struct sim sim;
static struct sim_record records[DOC_VARIANTS][DOC_RUNS];

/* --trace RUN FROM TO: events of seed run RUN between FROM and TO ms. */
static long trace_run = -1;
static uint64_t trace_from, trace_to;

static void run_variant(uint32_t k)
{
	for (uint32_t i = 0; i < DOC_RUNS; i++) {
		struct sim_record *rec = &records[k][i];
		const char *why;
		seed_config(&rec->c, &specs[i], &variants[k]);
		if (rec->c.governor == SIM_GOV_POWERSAVE)
			rec->c.label = powersave_labels[i];
		if (k == DOC_SEED && (long)i == trace_run) {
			rec->c.trace = stderr;
			rec->c.trace_from_ns = trace_from;
			rec->c.trace_to_ns = trace_to;
		}
		if (!sim_config_valid(&rec->c, &why)) {
			fprintf(stderr, "volt-sim: %s: %s\n", rec->c.label,
				why);
			exit(1);
		}
		sim_run(&sim, &rec->c, &rec->r);
	}
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void close_out(FILE *f, const char *path)
{
	if (ferror(f) || fclose(f)) {
		fprintf(stderr, "volt-sim: writing %s failed\n", path);
		exit(1);
	}
}

static int usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--md FILE] [--svg FILE] "
		"[--trace RUN FROM_MS TO_MS]\n", argv0);
	return 2;
}

int main(int argc, char **argv)
{
	const char *md = NULL, *svg = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--md") && i + 1 < argc) {
			md = argv[++i];
		} else if (!strcmp(argv[i], "--svg") && i + 1 < argc) {
			svg = argv[++i];
		} else if (!strcmp(argv[i], "--trace") && i + 3 < argc) {
			trace_run = strtol(argv[i + 1], NULL, 0);
			trace_from = strtoull(argv[i + 2], NULL, 0) * MS;
			trace_to = strtoull(argv[i + 3], NULL, 0) * MS;
			i += 3;
		} else {
			return usage(argv[0]);
		}
	}
	for (uint32_t k = 0; k < DOC_VARIANTS; k++)
		run_variant(k);
	struct doc_input in;
	doc_input_init(&in, records);
	for (uint32_t k = 0; k < DOC_VARIANTS; k++)
		report_text(stdout, &in.sc[k]);
	if (svg) {
		FILE *f = open_out(svg);
		report_svg(f, &in.sc[DOC_SEED], DOC_VM_A,
			   &records[DOC_ALIGNED][DOC_DVFS],
			   "DVFS-aware, 30 ms samples", DOC_ZOOM_FROM_S,
			   DOC_ZOOM_TO_S);
		close_out(f, svg);
	}
	if (md) {
		FILE *f = open_out(md);
		doc_write(f, &in);
		close_out(f, md);
	}
	return 0;
}
