/*
 * Power management's per-CPU glue: it picks the P-state driver (Intel,
 * AMD, else modeled), runs the governor every sampling period on each
 * processor, runs the idle governor and enters C-states in the idle
 * path, and keeps the energy books (docs/power.md). The scheduler's glue
 * (sched/sched.c) calls it; the policies it drives (pm/governor.c,
 * pm/idle_gov.c, pm/power_model.c, pm/energy_attrib.c) are pure.
 *
 * Time: nanoseconds on the scheduler's clock unless a name says TSC.
 */
#ifndef VOLT_PM_PM_H
#define VOLT_PM_PM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pm/cstate.h"
#include "pm/pstate.h"

#define PM_MAX_CPUS 64
#define PM_MAX_VMS 16

enum pm_gov { PM_GOVERNOR_ONDEMAND, PM_GOVERNOR_PERFORMANCE,
	      PM_GOVERNOR_POWERSAVE, PM_GOVERNOR_USERSPACE };
enum pm_idle_kind { PM_IDLE_MENU, PM_IDLE_HALT, PM_IDLE_POLL,
		    PM_IDLE_NEXT_TIMER };

struct pm_settings {
	enum pm_gov governor;
	uint64_t sampling_ns;
	uint32_t up_threshold;
	uint32_t userspace_pstate;
	uint64_t userspace_cpus;     /* CPUs the userspace state applies to */
	enum pm_idle_kind idle;
	uint32_t max_cstate;
	uint64_t latency_ns;         /* UINT64_MAX: no limit */
	uint32_t freqs_mhz[PSTATE_MAX], volts_mv[PSTATE_MAX];
	uint32_t freq_count, volt_count;
	uint32_t static_mw, dynamic_mw, idle_mw; /* 0: the model's */
};

/* CPU 0, once the processors are known: choose the drivers, print what
 * was found ("pm: ..." lines). */
void pm_init(const struct pm_settings *s, uint32_t ncpus);

/* Every sampling period on `cpu` (that processor itself, scheduler lock
 * held): `busy_ns` is its total busy time so far. Runs the governor,
 * books the energy; true when the frequency changed (f_cur, f_max out). */
bool pm_sample(uint32_t cpu, uint64_t now, uint64_t busy_ns,
	       uint32_t *f_cur_khz, uint32_t *f_max_khz);
uint64_t pm_sampling_ns(void);
/* The frequency `cpu` runs at now, and the fastest. */
void pm_cpu_freq(uint32_t cpu, uint32_t *f_cur_khz, uint32_t *f_max_khz);

/* The modeled driver: the processor runs guests only f/f_max of each
 * period (duty cycling). 0 when no throttling applies. */
uint64_t pm_duty_on_ns(uint32_t cpu, uint64_t period_ns);

/* The idle path of `cpu` (that processor, no lock held, interrupts off):
 * sleep in the state the idle governor picks until host TSC `until`, an
 * interrupt, or *stop. */
void pm_idle(uint32_t cpu, uint64_t until_tsc, const volatile bool *stop);

/* Energy attribution and the PM line: every processor's running time up
 * to now (busy_ns[cpu], totals) is booked, and each processor's busy
 * energy since the last call is split among VMs by the capacity each used
 * on it in the same time (cpu_capacity[cpu][vm], totals). Writes one
 * `PM {...}` line into buf (-1: none). Scheduler lock held. */
int pm_period_line(uint64_t now, const uint64_t *busy_ns,
		   const uint64_t (*cpu_capacity)[PM_MAX_VMS], char *buf,
		   size_t len);

/* The xenpm-like report at the end (several lines): the energy since the
 * last PM line is attributed first (capacity_ns as for pm_period_line). */
int pm_format_final(uint64_t now, const uint64_t *busy_ns,
		    const uint64_t (*cpu_capacity)[PM_MAX_VMS],
		    const char *const *vm_names, char *buf, size_t len);

#endif
