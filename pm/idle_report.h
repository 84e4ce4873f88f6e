/*
 * The C-state part of Volt's xenpm-like power report (xenpm
 * get-cpuidle-states: per processor, each state's transitions and
 * residency), as a console table and as a JSON fragment for STAT lines.
 * Pure formatting (lib/format.h) of what pm/cstate.h and pm/idle_gov.h
 * keep: integers only.
 */
#ifndef VOLT_PM_IDLE_REPORT_H
#define VOLT_PM_IDLE_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include "pm/cstate.h"
#include "pm/idle_gov.h"

/*
 * One processor, several lines each ending in '\n':
 *
 *   cpu 0 C-states: skx table, MWAIT, governor menu, 2000.000 ms
 *     state method       entries  residency_ms      %   avg_us
 *     C0    running            -      1234.567   61.7        -
 *     C1    MWAIT 0x00        12         0.123    0.0     10.2
 *     ...
 *     governor: 240 idle periods, predicted avg 1234.0 us, actual avg
 *     300.0 us, |error| avg 934.0 us; wrong state 12 (5.0 %): 8 too
 *     deep, 4 too shallow
 *
 * (the governor line is one line). C0 is elapsed_ns minus the idle time
 * (0 if the idle time exceeds it); % is of elapsed_ns, in tenths. Returns
 * the length written, or -1 if it does not fit in len bytes with its
 * NUL (buf is then ""), or if an argument is NULL.
 */
int idle_format_table(uint32_t cpu, const struct cstate_table *t,
		      enum idle_gov_kind gov, const struct idle_stats *s,
		      uint64_t elapsed_ns, char *buf, size_t len);

/*
 * A JSON object, no newline, for the lead's STAT line:
 *   {"cpu":0,"idle_ms":1.234,"states":[{"name":"C1","hint":0,
 *   "entries":12,"res_ms":0.123},..],"periods":240,"pred_ms":..,
 *   "actual_ms":..,"wrong":12,"too_deep":8,"too_shallow":4}
 * hint is -1 for HLT. Same return convention.
 */
int idle_format_json(uint32_t cpu, const struct cstate_table *t,
		     const struct idle_stats *s, char *buf, size_t len);

/*
 * The C-state part of pm/pm_report.h's console report: matches its
 * pm_report_part_fn (ctx = a struct idle_report_ctx). The same table,
 * nested under the report's "cpu N" line: first line "  C-states: ...",
 * rows indented by 4. Same return convention; -1 for a cpu out of range.
 */
struct idle_report_ctx {
	const struct cstate_table *table; /* the same on every processor */
	const struct idle_stats *stats;   /* [ncpus], by processor index */
	uint32_t ncpus;
	enum idle_gov_kind gov;
	uint64_t elapsed_ns;              /* since the statistics began */
};

int idle_report_part(void *ctx, uint32_t cpu, char *buf, size_t len);

/* Total idle ns and idle periods in s (over t's states). */
uint64_t idle_stats_idle_ns(const struct cstate_table *t,
			    const struct idle_stats *s);
uint64_t idle_stats_periods(const struct cstate_table *t,
			    const struct idle_stats *s);

#endif
