/*
 * CPU-frequency governors: which P-state a processor should run at next,
 * as pure policy (docs/power.md, "Governors"). Xen's cpufreq governors are
 * the model (xen/drivers/cpufreq/cpufreq_ondemand.c, dbs_check_cpu, and
 * cpufreq_misc_governors.c):
 *
 *   performance  always the fastest state
 *   powersave    always the slowest state
 *   userspace    a fixed state from the config (clamped to the table)
 *   ondemand     every sampling period: load = busy / window in %;
 *                load x f_avg > up_threshold x f_cur: the fastest state;
 *                load x f_avg < (up_threshold - 10) x f_cur: the slowest
 *                state whose frequency is >= load x f_avg /
 *                (up_threshold - 10); otherwise stay. f_avg is the
 *                average frequency while busy (APERF/MPERF), f_cur when
 *                the caller has none.
 *
 * Defaults and limits are Xen's: up_threshold 80 (11-100), sampling 20 ms
 * (Xen's minimum statistics period, its default for transition latencies
 * up to 20 us), windows under 100 us ignored (MIN_DBS_INTERVAL).
 *
 * Nothing here touches hardware or time: the caller measures busy time,
 * passes the average frequency it has, and applies the returned index
 * through the P-state driver. Per-CPU state is the caller's (one struct
 * gov_cpu per processor, used by that processor only).
 *
 * Pure C; the same decisions as tools/sim/ondemand_model.c (tested).
 */
#ifndef VOLT_PM_GOVERNOR_H
#define VOLT_PM_GOVERNOR_H

#include <stddef.h>
#include <stdint.h>
#include "pm/pstate.h"

enum gov_kind {
	GOV_PERFORMANCE,
	GOV_POWERSAVE,
	GOV_USERSPACE,
	GOV_ONDEMAND,
	GOV_KINDS
};

#define GOV_SAMPLING_NS_DEFAULT 20000000ull  /* 20 ms */
#define GOV_SAMPLING_NS_MIN 20000000ull      /* Xen MIN_STAT_SAMPLING_RATE */
#define GOV_SAMPLING_NS_MAX 10000000000ull   /* 10 s (Xen: 500 x default) */
#define GOV_UP_THRESHOLD_DEFAULT 80u
#define GOV_UP_THRESHOLD_MIN 11u
#define GOV_UP_THRESHOLD_MAX 100u
#define GOV_DOWN_MARGIN 10u                  /* points under up_threshold */
#define GOV_MIN_WINDOW_NS 100000ull          /* Xen MIN_DBS_INTERVAL */

struct gov_params {
	enum gov_kind kind;
	uint64_t sampling_ns;     /* how often the caller samples */
	uint32_t up_threshold;    /* ondemand, percent */
	uint32_t userspace_index; /* userspace: P-state index, 0 = fastest */
};

/* Per CPU, owned by that CPU: what the governor did, for reports. */
struct gov_cpu {
	uint64_t samples;       /* gov_sample calls that decided */
	uint64_t short_windows; /* windows under GOV_MIN_WINDOW_NS: ignored */
	uint64_t raises, lowers;
	uint32_t last_load;     /* percent, of the last decided sample */
};

/* Xen's defaults for `kind`. */
void gov_params_default(struct gov_params *p, enum gov_kind kind);

/* 0, or -1 with the problem in why (for a line-numbered config error).
 * The userspace index is checked against the table only at run time
 * (the table is known after probing): gov_sample clamps it. */
int gov_params_check(const struct gov_params *p, char *why, size_t why_len);

/* "performance", "powersave", "userspace", "ondemand". */
const char *gov_kind_name(enum gov_kind kind);
/* 0 and *kind for one of those names, -1 otherwise. */
int gov_kind_parse(const char *name, enum gov_kind *kind);

/*
 * One sampling period ended on a processor running state cur_idx of t:
 * busy_ns of the last window_ns were spent running (not idle), at
 * avg_khz on average (0: unknown, take the current state's frequency).
 * Returns the index to run at next (cur_idx: no change).
 */
uint32_t gov_sample(const struct gov_params *p, struct gov_cpu *g,
		    const struct pstate_table *t, uint32_t cur_idx,
		    uint64_t busy_ns, uint64_t window_ns, uint32_t avg_khz);

/* The ondemand decision alone, from a load in percent (0-100) and the
 * average frequency (kHz, non-zero). */
uint32_t gov_ondemand_target(const struct pstate_table *t,
			     uint32_t up_threshold, uint32_t cur_idx,
			     uint32_t load_pct, uint64_t avg_khz);

#endif
