/*
 * C-state tables as data and their selection (see cstate.h): per-model
 * tables with the names, MWAIT hints, exit latencies and target
 * residencies of Linux's intel_idle (drivers/idle/intel_idle.c, same
 * numbers in Xen's arch/x86/cpu/mwait-idle.c), a generic table built from
 * CPUID leaf 5 (SDM vol. 2A, CPUID 05H) and the HLT fallback.
 *
 * Deliberate differences from intel_idle:
 *   - a model state is kept when its sub-state is below the count leaf 5
 *     gives for its C-state (the SDM meaning of the count); intel_idle
 *     only asks for a non-zero count;
 *   - Ice Lake client and Tiger Lake have no intel_idle table (Linux uses
 *     ACPI _CST there): Volt uses the generic table on them;
 *   - Alder Lake's C1 is left out, as intel_idle does by default (C1 and
 *     C1E exclude each other there; C1E is the one kept);
 *   - power_mw is Volt's own, illustrative (cstate.h).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/string.h"
#include "pm/cstate.h"

#define LEAF5_ECX_EXTENSIONS (1u << 0)
#define LEAF5_ECX_IRQ_BREAK (1u << 1)
#define MWAIT_CSTATES 8        /* nibbles of leaf 5 EDX: C0..C7 */
#define MONITOR_LINE_MAX 4096u /* Volt's sanity bound, not the SDM's */

/* Illustrative idle power (mW) of one core, by state (cstate.h). */
#define PW_C1 1000
#define PW_C1E 600
#define PW_C3 300
#define PW_C6 100
#define PW_C7 80
#define PW_C8 60
#define PW_C9 40
#define PW_C10 20

struct cstate_model_table {
	const char *name;
	const struct cstate *states;
	uint32_t count;
};

struct cstate_model_id {
	uint32_t model; /* Intel family 6 */
	const struct cstate_model_table *table;
};

#define TABLE(n, s) { n, s, sizeof(s) / sizeof((s)[0]) }

/* Haswell client and server (intel_idle hsw_cstates). */
static const struct cstate hsw_states[] = {
	{ "C1", 0x00, 2, 2, PW_C1 },
	{ "C1E", 0x01, 10, 20, PW_C1E },
	{ "C3", 0x10, 33, 100, PW_C3 },
	{ "C6", 0x20, 133, 400, PW_C6 },
	{ "C7s", 0x32, 166, 500, PW_C7 },
	{ "C8", 0x40, 300, 900, PW_C8 },
	{ "C9", 0x50, 600, 1800, PW_C9 },
	{ "C10", 0x60, 2600, 7700, PW_C10 },
};

/* Broadwell client and server (bdw_cstates). */
static const struct cstate bdw_states[] = {
	{ "C1", 0x00, 2, 2, PW_C1 },
	{ "C1E", 0x01, 10, 20, PW_C1E },
	{ "C3", 0x10, 40, 100, PW_C3 },
	{ "C6", 0x20, 133, 400, PW_C6 },
	{ "C7s", 0x32, 166, 500, PW_C7 },
	{ "C8", 0x40, 300, 900, PW_C8 },
	{ "C9", 0x50, 600, 1800, PW_C9 },
	{ "C10", 0x60, 2600, 7700, PW_C10 },
};

/* Skylake / Kaby Lake / Coffee Lake client (skl_cstates). */
static const struct cstate skl_states[] = {
	{ "C1", 0x00, 2, 2, PW_C1 },
	{ "C1E", 0x01, 10, 20, PW_C1E },
	{ "C3", 0x10, 70, 100, PW_C3 },
	{ "C6", 0x20, 85, 200, PW_C6 },
	{ "C7s", 0x33, 124, 800, PW_C7 },
	{ "C8", 0x40, 200, 800, PW_C8 },
	{ "C9", 0x50, 480, 5000, PW_C9 },
	{ "C10", 0x60, 890, 5000, PW_C10 },
};

/* Skylake / Cascade Lake server (skx_cstates); Bochs corei7_skylake_x. */
static const struct cstate skx_states[] = {
	{ "C1", 0x00, 2, 2, PW_C1 },
	{ "C1E", 0x01, 10, 20, PW_C1E },
	{ "C6", 0x20, 133, 600, PW_C6 },
};

/* Ice Lake server (icx_cstates). */
static const struct cstate icx_states[] = {
	{ "C1", 0x00, 1, 1, PW_C1 },
	{ "C1E", 0x01, 4, 4, PW_C1E },
	{ "C6", 0x20, 170, 600, PW_C6 },
};

/* Alder Lake desktop (adl_cstates) and mobile (adl_l_cstates). */
static const struct cstate adl_states[] = {
	{ "C1E", 0x01, 2, 4, PW_C1E },
	{ "C6", 0x20, 220, 600, PW_C6 },
	{ "C8", 0x40, 280, 800, PW_C8 },
	{ "C10", 0x60, 680, 2000, PW_C10 },
};

static const struct cstate adl_l_states[] = {
	{ "C1E", 0x01, 2, 4, PW_C1E },
	{ "C6", 0x20, 170, 500, PW_C6 },
	{ "C8", 0x40, 200, 600, PW_C8 },
	{ "C10", 0x60, 230, 700, PW_C10 },
};

/* Sapphire Rapids / Emerald Rapids (spr_cstates). */
static const struct cstate spr_states[] = {
	{ "C1", 0x00, 1, 1, PW_C1 },
	{ "C1E", 0x01, 2, 4, PW_C1E },
	{ "C6", 0x20, 290, 800, PW_C6 },
};

static const struct cstate_model_table hsw = TABLE("hsw", hsw_states);
static const struct cstate_model_table bdw = TABLE("bdw", bdw_states);
static const struct cstate_model_table skl = TABLE("skl", skl_states);
static const struct cstate_model_table skx = TABLE("skx", skx_states);
static const struct cstate_model_table icx = TABLE("icx", icx_states);
static const struct cstate_model_table adl = TABLE("adl", adl_states);
static const struct cstate_model_table adl_l = TABLE("adl_l", adl_l_states);
static const struct cstate_model_table spr = TABLE("spr", spr_states);

/* CPUID.01H family 6 model numbers (Linux asm/intel-family.h names). */
static const struct cstate_model_id models[] = {
	{ 0x3c, &hsw },   /* HASWELL */
	{ 0x3f, &hsw },   /* HASWELL_X */
	{ 0x45, &hsw },   /* HASWELL_L */
	{ 0x46, &hsw },   /* HASWELL_G */
	{ 0x3d, &bdw },   /* BROADWELL */
	{ 0x47, &bdw },   /* BROADWELL_G */
	{ 0x4f, &bdw },   /* BROADWELL_X */
	{ 0x56, &bdw },   /* BROADWELL_D */
	{ 0x4e, &skl },   /* SKYLAKE_L */
	{ 0x5e, &skl },   /* SKYLAKE */
	{ 0x8e, &skl },   /* KABYLAKE_L */
	{ 0x9e, &skl },   /* KABYLAKE */
	{ 0x55, &skx },   /* SKYLAKE_X (also Cascade/Cooper Lake) */
	{ 0x6a, &icx },   /* ICELAKE_X */
	{ 0x6c, &icx },   /* ICELAKE_D */
	{ 0x97, &adl },   /* ALDERLAKE */
	{ 0x9a, &adl_l }, /* ALDERLAKE_L */
	{ 0x8f, &spr },   /* SAPPHIRERAPIDS_X */
	{ 0xcf, &spr },   /* EMERALDRAPIDS_X */
};

/*
 * The generic table: one state per MWAIT C-state n (hint n << 4), named
 * as Intel Core parts since Sandy Bridge name them (names are for reports
 * only). Conservative: each exit latency is the worst any intel_idle
 * table gives for that MWAIT C-state; target residency is 3x the latency
 * (the rule intel_idle applies to ACPI _CST states deeper than C1), C1's
 * the worst listed.
 */
static const struct cstate generic_states[MWAIT_CSTATES - 1] = {
	{ "C1", 0x00, 3, 6, PW_C1 },
	{ "C3", 0x10, 80, 240, PW_C3 },
	{ "C6", 0x20, 300, 900, PW_C6 },
	{ "C7", 0x30, 400, 1200, PW_C7 },
	{ "C8", 0x40, 1000, 3000, PW_C8 },
	{ "C9", 0x50, 2000, 6000, PW_C9 },
	{ "C10", 0x60, 10000, 30000, PW_C10 },
};

/* HLT: ACPI's C1 (exit latency 1 us by convention in _CST). */
static const struct cstate hlt_state = { "C1", CSTATE_HINT_HLT, 1, 1, PW_C1 };

const char *cstate_source_name(enum cstate_source src)
{
	switch (src) {
	case CSTATE_SRC_MODEL:
		return "model";
	case CSTATE_SRC_GENERIC:
		return "generic";
	case CSTATE_SRC_HLT:
		return "hlt";
	}
	return "?";
}

const char *cstate_warning_text(uint32_t bit)
{
	switch (bit) {
	case CSTATE_WARN_NO_EXTENSIONS:
		return "leaf 5 enumerates no MWAIT extensions: C1 only";
	case CSTATE_WARN_NO_IRQ_BREAK:
		return "MWAIT cannot wake on a masked interrupt: use ECX=0";
	case CSTATE_WARN_BAD_LINE:
		return "leaf 5 monitor line size unusable: 64 bytes assumed";
	case CSTATE_WARN_NO_SUBSTATES:
		return "leaf 5 lists no C1 sub-state";
	case CSTATE_WARN_DROPPED:
		return "model states not enumerated by leaf 5 dropped";
	case CSTATE_WARN_LIMITED:
		return "max_cstate removed deeper states";
	}
	return "?";
}

static const struct cstate_model_table *find_model(uint32_t family,
						   uint32_t model)
{
	if (family != 6)
		return NULL;
	for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
		if (models[i].model == model)
			return models[i].table;
	return NULL;
}

/* Number of sub-states leaf 5 EDX gives for MWAIT C-state `cstate`. */
static uint32_t substates(uint32_t edx, uint32_t cstate)
{
	uint32_t nibble = cstate + 1;
	if (nibble >= MWAIT_CSTATES)
		return 0;
	return (edx >> (4 * nibble)) & 0xf;
}

static bool hint_enumerated(uint32_t edx, uint32_t hint)
{
	return (hint & 0xf) < substates(edx, (hint >> 4) & 0xf);
}

static void add(struct cstate_table *t, const struct cstate *s)
{
	if (t->count < CSTATE_MAX)
		t->states[t->count++] = *s;
}

/* Largest monitor line if sane (power of two, smallest <= largest,
 * at most 4 KiB), else the default with a warning. */
static void set_monitor_line(struct cstate_table *t, uint32_t eax,
			     uint32_t ebx)
{
	uint32_t smallest = eax & 0xffff, largest = ebx & 0xffff;

	if (smallest && largest && smallest <= largest &&
	    largest <= MONITOR_LINE_MAX && !(largest & (largest - 1))) {
		t->monitor_line = largest;
		return;
	}
	t->monitor_line = CSTATE_MONITOR_LINE_DEFAULT;
	t->warnings |= CSTATE_WARN_BAD_LINE;
}

static void build_hlt(struct cstate_table *t)
{
	t->source = CSTATE_SRC_HLT;
	t->table_name = "hlt";
	t->mwait_irq_break = false;
	t->monitor_line = 0;
	add(t, &hlt_state);
}

/* MWAIT hint 0x00 alone: always defined when MWAIT exists. */
static void build_c1_only(struct cstate_table *t)
{
	t->source = CSTATE_SRC_GENERIC;
	t->table_name = "leaf5";
	t->count = 0;
	add(t, &generic_states[0]);
}

static void build_model(struct cstate_table *t,
			const struct cstate_model_table *m, uint32_t edx)
{
	t->source = CSTATE_SRC_MODEL;
	t->table_name = m->name;
	for (uint32_t i = 0; i < m->count; i++) {
		if (hint_enumerated(edx, m->states[i].mwait_hint))
			add(t, &m->states[i]);
		else
			t->warnings |= CSTATE_WARN_DROPPED;
	}
	if (!t->count)
		build_c1_only(t);
}

/* C1 always (the floor); then sub-state 0 of each deeper C-state. */
static void build_generic(struct cstate_table *t, uint32_t edx)
{
	build_c1_only(t);
	for (uint32_t c = 1; c < MWAIT_CSTATES - 1; c++)
		if (substates(edx, c))
			add(t, &generic_states[c]);
}

int cstate_table_build(uint32_t family, uint32_t model,
		       const uint32_t leaf5[4], bool has_mwait,
		       uint32_t max_cstate, struct cstate_table *t)
{
	static const uint32_t zero[4];
	const struct cstate_model_table *m;

	if (!t)
		return -1;
	memset(t, 0, sizeof(*t));
	if (!leaf5)
		leaf5 = zero;
	if (!has_mwait || max_cstate == 0) {
		build_hlt(t);
		if (has_mwait)
			t->warnings |= CSTATE_WARN_LIMITED;
		return (int)t->count;
	}
	uint32_t ecx = leaf5[2], edx = leaf5[3];
	set_monitor_line(t, leaf5[0], leaf5[1]);
	t->mwait_irq_break = ecx & LEAF5_ECX_IRQ_BREAK;
	if (!t->mwait_irq_break)
		t->warnings |= CSTATE_WARN_NO_IRQ_BREAK;

	if (!(ecx & LEAF5_ECX_EXTENSIONS)) {
		t->warnings |= CSTATE_WARN_NO_EXTENSIONS;
		build_c1_only(t);
	} else if (!substates(edx, 0)) {
		t->warnings |= CSTATE_WARN_NO_SUBSTATES;
		build_c1_only(t);
	} else if ((m = find_model(family, model)) != NULL) {
		build_model(t, m, edx);
	} else {
		build_generic(t, edx);
	}

	if (t->count > max_cstate) {
		t->count = max_cstate;
		t->warnings |= CSTATE_WARN_LIMITED;
	}
	return (int)t->count;
}
