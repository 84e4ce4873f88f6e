/*
 * C-state tables: the idle states a processor offers, as data. Each state
 * is an MWAIT hint (or HLT) with the exit latency and target residency an
 * idle governor (pm/idle_gov.h) weighs, and an idle power for the power
 * model (pm/power_model.h).
 *
 * Sources:
 *   - SDM vol. 2A, CPUID leaf 05H (MONITOR/MWAIT): EAX[15:0]/EBX[15:0]
 *     smallest/largest monitor line; ECX bit 0 = MWAIT extensions are
 *     enumerated (EDX is valid), bit 1 = interrupts break MWAIT even when
 *     masked (required to set ECX bit 0 in MWAIT, else #GP); EDX holds
 *     eight 4-bit counts, nibble n = number of sub-states of MWAIT
 *     C-state n-1 (hint bits 7:4), nibble 0 being C0.
 *   - SDM vol. 2B, MWAIT: hint EAX[7:4] = C-state, EAX[3:0] = sub-state.
 *   - CPUID.01H:ECX bit 3 (MONITOR): MONITOR/MWAIT exist at all.
 *   - Linux drivers/idle/intel_idle.c (the per-model tables: names, hints,
 *     latencies, residencies; Xen's mwait-idle.c carries the same), read
 *     for their numbers, not copied.
 *
 * Pure: no hardware access. The caller (the lead's PM init) reads CPUID
 * and passes the values in.
 */
#ifndef VOLT_PM_CSTATE_H
#define VOLT_PM_CSTATE_H

#include <stdbool.h>
#include <stdint.h>

#define CSTATE_MAX 8
/* mwait_hint of a state entered with HLT instead of MWAIT. */
#define CSTATE_HINT_HLT UINT32_MAX
/* max_cstate meaning "no limit" (the default). */
#define CSTATE_NO_LIMIT UINT32_MAX
/* Monitor line used when leaf 5 reports no sane size. */
#define CSTATE_MONITOR_LINE_DEFAULT 64u

struct cstate {
	char name[8];                 /* "C1", "C1E", "C6", ... */
	uint32_t mwait_hint;          /* EAX for MWAIT; CSTATE_HINT_HLT */
	uint32_t exit_latency_us;     /* worst-case wake-up time */
	uint32_t target_residency_us; /* idle at least this long to gain */
	/* Power of one core idling in this state, in mW. ILLUSTRATIVE
	 * numbers for the power model (docs/power.md), not measured: the
	 * same core as pm/power_model.c (C1 1000, C1E 600, C3 300, C6 100,
	 * deeper states less again). */
	uint32_t power_mw;
};

enum cstate_source {
	CSTATE_SRC_MODEL,   /* a per-model table, checked against leaf 5 */
	CSTATE_SRC_GENERIC, /* built from leaf 5 alone (unknown model) */
	CSTATE_SRC_HLT,     /* HLT only: no MONITOR/MWAIT, or max_cstate=0 */
};

/* What was odd about the input (bits of cstate_table.warnings). */
#define CSTATE_WARN_NO_EXTENSIONS (1u << 0) /* leaf 5 ECX[0] = 0: C1 only */
#define CSTATE_WARN_NO_IRQ_BREAK (1u << 1)  /* leaf 5 ECX[1] = 0 */
#define CSTATE_WARN_BAD_LINE (1u << 2)      /* monitor line size unusable */
#define CSTATE_WARN_NO_SUBSTATES (1u << 3)  /* EDX lists no C1 sub-state */
#define CSTATE_WARN_DROPPED (1u << 4)       /* a model state not in EDX */
#define CSTATE_WARN_LIMITED (1u << 5)       /* max_cstate removed states */
#define CSTATE_WARN_COUNT 6

struct cstate_table {
	uint32_t count;                      /* 1..CSTATE_MAX once built */
	struct cstate states[CSTATE_MAX];    /* [0] = shallowest */
	enum cstate_source source;
	const char *table_name;  /* "skx", "skl", ... "leaf5", "hlt" */
	/* MWAIT may set ECX bit 0 (wake on a masked interrupt). When false
	 * the idle path must use ECX = 0 (STI right before MWAIT). */
	bool mwait_irq_break;
	uint32_t monitor_line;   /* bytes to MONITOR (0 for HLT) */
	uint32_t warnings;       /* CSTATE_WARN_* */
};

/*
 * Build the table for processor `family`/`model` (display values, the
 * extended fields folded in; Intel family 6 tables only: pass family 0 on
 * other vendors to get the generic table). leaf5 = CPUID.05H {EAX, EBX,
 * ECX, EDX} (NULL = all zero); has_mwait = CPUID.01H:ECX[3].
 *
 *   - no MWAIT, or max_cstate == 0: one state "C1" entered with HLT;
 *   - a known model: its table, keeping only the states whose MWAIT
 *     sub-state leaf 5 enumerates (sub-state < the count in EDX);
 *   - otherwise one state per MWAIT C-state that EDX enumerates
 *     (sub-state 0), with conservative (worst-case) latencies;
 *   - leaf 5 without extensions (ECX[0] = 0) or with no C1 sub-state:
 *     MWAIT C1 (hint 0x00) only.
 * Then at most max_cstate states are kept, shallowest first (as Linux's
 * intel_idle.max_cstate; CSTATE_NO_LIMIT keeps all).
 *
 * Returns the number of states (>= 1), or -1 if t is NULL.
 */
int cstate_table_build(uint32_t family, uint32_t model,
		       const uint32_t leaf5[4], bool has_mwait,
		       uint32_t max_cstate, struct cstate_table *t);

static inline bool cstate_is_hlt(const struct cstate *s)
{
	return s->mwait_hint == CSTATE_HINT_HLT;
}

const char *cstate_source_name(enum cstate_source src);
/* A short phrase for one CSTATE_WARN_* bit ("?" for anything else). */
const char *cstate_warning_text(uint32_t bit);

#endif
