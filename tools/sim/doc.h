/*
 * docs/dvfs-credit.md: the scenarios volt-sim runs (main.c) written up
 * with what is modeled, the tables (report.c) and what the numbers say.
 */
#ifndef VOLT_TOOLS_SIM_DOC_H
#define VOLT_TOOLS_SIM_DOC_H

#include <stdio.h>
#include "tools/sim/report.h"

/* The runs of every variant, in this order (runs[0]: the reference). */
enum { DOC_REF, DOC_FIXED, DOC_VARIABLE, DOC_DVFS, DOC_RUNS };
/* The variants of the seed scenario. */
enum {
	DOC_SEED,      /* Xen's governor defaults */
	DOC_ALIGNED,   /* ondemand samples once per accounting period */
	DOC_MEMBOUND,  /* VM A half memory-bound */
	DOC_POWERSAVE, /* powersave instead of ondemand: no dynamics */
	DOC_CAPS,      /* promises as caps: must equal DOC_SEED */
	DOC_VARIANTS
};
enum { DOC_VM_A, DOC_VM_B };
/* The plot's exact-frequency panel. */
#define DOC_ZOOM_FROM_S 1.0
#define DOC_ZOOM_TO_S 1.6

struct doc_input {
	struct sim_scenario sc[DOC_VARIANTS];
};

void doc_input_init(struct doc_input *in,
		    struct sim_record recs[DOC_VARIANTS][DOC_RUNS]);
void doc_write(FILE *f, const struct doc_input *in);

#endif
