/*
 * Power-management reports as text (docs/power.md, "Reports"):
 *
 *   - a console report shaped like Xen's `xenpm` (tools/misc/xenpm.c:
 *     get-cpufreq-states, get-cpuidle-states and `start`'s summary): per
 *     processor the P-state residencies (ms and %) and transitions, the
 *     average frequency, a slot where the C-state report goes (pm/
 *     idle_report.h formats it), the energy; then the package and each
 *     VM. Everything that comes from a model says "(modeled)";
 *   - one `PM {...}` JSON line per sampling period, for tools/pm_plot.py.
 *
 * Pure formatting (lib/format.h) of what the caller hands in; no state.
 * Both return the length written, or -1 when the text does not fit in
 * len bytes with its NUL (buf is then "": never a truncated record).
 */
#ifndef VOLT_PM_PM_REPORT_H
#define VOLT_PM_PM_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pm/energy_attrib.h"
#include "pm/power_model.h"

/* One processor's P-state statistics (the P-state layer's counters);
 * the arrays have `count` entries. */
struct pm_report_pstates {
	uint32_t count;               /* 0: no P-state data */
	const uint32_t *khz;          /* [count]; index 0 = P0, the fastest */
	const uint64_t *residency_ns; /* [count]: time spent in each */
	const uint64_t *transitions;  /* [count]: times each was entered */
	uint32_t cur;                 /* the current state */
	uint32_t avg_khz;             /* measured (APERF/MPERF); 0: the
				       * residency-weighted average */
};

/* Formats one processor's C-state part into buf (same return
 * convention); the C-state layer provides it. */
typedef int (*pm_report_part_fn)(void *ctx, uint32_t cpu, char *buf,
				 size_t len);

struct pm_report_cpu {
	uint32_t cpu;
	struct pm_report_pstates p;
	const struct pm_energy_cpu *energy; /* NULL: not reported */
};

/* Measured energy since RAPL was probed (arch/x86/rapl.h). */
struct pm_report_rapl {
	bool present;
	bool core_present, dram_present;
	uint64_t pkg_uj, core_uj, dram_uj;
};

struct pm_report {
	uint64_t t_ns;                /* the report's time (scheduler clock) */
	const char *pstate_driver;    /* "intel", "amd", "modeled", ... */
	bool pstate_modeled;
	const struct pm_report_cpu *cpus;
	uint32_t ncpus;
	pm_report_part_fn cstate_part; /* NULL: "C-states: not reported" */
	void *cstate_ctx;
	const struct pm_energy_pkg *pkg; /* the model's package (uncore) */
	struct pm_report_rapl rapl;
	const struct pm_attrib *attrib;  /* NULL: no VM section */
	/* [PM_ATTRIB_MAX_VMS] or NULL; a VM is listed when it has a name
	 * or was charged energy (unnamed ones print as vm<N>). */
	const char *const *vm_names;
};

int pm_format_report(const struct pm_report *r, char *buf, size_t len);

/* One processor in a sampling period. */
struct pm_line_cpu {
	uint32_t cpu;
	uint32_t f_khz;             /* its frequency (average if it changed) */
	uint64_t busy_ns;           /* running, during the period */
	uint32_t ncstates;
	const uint64_t *cstate_ns;  /* [ncstates]: residency in the period */
	uint64_t energy_uj;         /* consumed during the period */
};

struct pm_line_vm {
	uint32_t vm;
	uint64_t energy_uj;         /* charged since boot */
};

struct pm_line {
	uint64_t t_ns;              /* end of the period */
	uint64_t period_ns;
	bool pstate_modeled, energy_modeled;
	const struct pm_line_cpu *cpus;
	uint32_t ncpus;
	uint64_t pkg_energy_uj;     /* the package, during the period */
	const struct pm_line_vm *vms;
	uint32_t nvms;
};

/*
 * One line, no newline:
 *   PM {"t_ms":..,"period_ms":..,"pstates":"modeled"|"hw",
 *   "energy":"modeled"|"rapl","cpus":[{"cpu":0,"f_khz":..,
 *   "busy_pct":..,"cstate_us":[..],"power_mw":..},..],
 *   "pkg":{"power_mw":..},"vms":[{"vm":0,"energy_uj":..},..]}
 * t_ms and period_ms have three decimals, busy_pct one (rounded);
 * power_mw is the period's energy over its length. Both are 0 for an
 * empty period (and for values whose quotient would not fit 64 bits).
 */
int pm_format_line(const struct pm_line *l, char *buf, size_t len);

#endif
