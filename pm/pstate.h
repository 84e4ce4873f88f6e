/*
 * P-states: the table every driver fills (data) and the one interface the
 * three drivers share (docs/power.md, "P-states").
 *
 *   intel    IA32_PERF_CTL/PERF_STATUS with EIST, or HWP (IA32_HWP_REQUEST)
 *            arch/x86/pstate_intel.c, Intel SDM vol. 3B 15.1-15.4
 *   amd      P-state MSRs C001_0061..C001_006B
 *            arch/x86/pstate_amd.c, AMD BKDG family 10h-16h, PPR 17h-1Ah
 *   modeled  no hardware: states from volt.cfg (or a default table); the
 *            scheduler reproduces a lower frequency by duty-cycling
 *            pm/pstate_modeled.c
 *
 * The model is Xen's split (xen/drivers/cpufreq/, xen/arch/x86/acpi/
 * cpufreq/): drivers are thin hardware code, tables are data, governors
 * (pm/governor.h) are pure policy that never touch hardware.
 *
 * Hardware drivers act on the processor they run on (MSRs are per
 * processor): probe, set, read_current and avg_khz must be called on the
 * CPU that `pc` and `t` belong to. Each CPU owns its table and its
 * struct pstate_cpu; nothing here is shared or locked.
 *
 * Pure C: no hardware headers; drivers reach MSRs and CPUID only through
 * pm/msr_io.h.
 */
#ifndef VOLT_PM_PSTATE_H
#define VOLT_PM_PSTATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pm/msr_io.h"

#define PSTATE_MAX 16
/* Enough for any reason a probe gives; callers may pass less (the text
 * is truncated, never overrun). */
#define PSTATE_WHY_LEN 160

/* A frequency outside this range is a firmware bug or an emulator. */
#define PSTATE_KHZ_MIN 100000u     /* 100 MHz */
#define PSTATE_KHZ_MAX 10000000u   /* 10 GHz */
#define PSTATE_MV_MIN 300u
#define PSTATE_MV_MAX 2000u

struct pstate {
	uint32_t khz;
	uint32_t mv;   /* 0: unknown (hardware drivers read ratios only) */
	uint64_t ctl;  /* what the driver writes for this state (below) */
};

/*
 * ctl per driver:
 *   intel (EIST)  the IA32_PERF_CTL bits 15:0 value (ratio << 8)
 *   intel (HWP)   IA32_HWP_REQUEST bits 23:0 (min = max = the level,
 *                 desired 0)
 *   amd           the P-state number written to PstateCmd (C001_0062)
 *   modeled       0
 */

/* Table flags. */
#define PSTATE_F_APERF_MPERF (1u << 0) /* avg_khz from APERF/MPERF */
#define PSTATE_F_HWP (1u << 1)         /* intel: states are HWP levels */

struct pstate_table {
	uint32_t count;   /* 1..PSTATE_MAX once probed */
	uint32_t flags;   /* PSTATE_F_* */
	uint32_t ref_khz; /* the rate MPERF counts at (0 without counters) */
	struct pstate states[PSTATE_MAX]; /* [0] fastest; khz strictly
					   * descending */
};

/* Per CPU, owned by that CPU: where the driver left it, and the
 * previous APERF/MPERF readings for the next average. */
struct pstate_cpu {
	uint32_t cur;      /* index last set (or found by probe) */
	bool have_prev;
	uint64_t prev_aperf, prev_mperf;
};

/* probe() results. */
#define PSTATE_OK 0
#define PSTATE_REFUSED (-1)      /* this vendor, but absent or not sane */
#define PSTATE_OTHER_VENDOR (-2) /* not this driver's processor at all */

struct pstate_driver {
	const char *name;  /* "intel", "amd", "modeled" (pstate_label) */
	bool modeled;      /* every report must say "modeled" */
	/*
	 * Enumerate the states into *t, check that the hardware is sane,
	 * leave the processor at the fastest state it may use now and
	 * set pc->cur to it. On refusal *t is unspecified and why holds
	 * the reason (one line, no trailing newline).
	 */
	int (*probe)(const struct msr_io *io, const struct cpuid_io *c,
		     struct pstate_table *t, struct pstate_cpu *pc,
		     char *why, size_t why_len);
	/* Request state idx (< t->count): 0, or -1 if an MSR faulted or
	 * idx is out of range. */
	int (*set)(const struct msr_io *io, const struct pstate_table *t,
		   struct pstate_cpu *pc, uint32_t idx);
	/* The state the hardware reports (the nearest table entry when it
	 * runs at a frequency not in the table), or -1 if it faulted. */
	int (*read_current)(const struct msr_io *io,
			    const struct pstate_table *t,
			    struct pstate_cpu *pc);
	/* Average frequency while not halted since the previous call
	 * (APERF/MPERF); the current state's frequency when the counters
	 * are absent, did not move, or this is the first call. */
	uint32_t (*avg_khz)(const struct msr_io *io,
			    const struct pstate_table *t,
			    struct pstate_cpu *pc);
};

extern const struct pstate_driver pstate_intel_driver;
extern const struct pstate_driver pstate_amd_driver;
extern const struct pstate_driver pstate_modeled_driver;

/* ---- table helpers (pure) ---------------------------------------------- */

/* What reports call the driver in use: its name, "intel-hwp" when the
 * Intel driver drives HWP levels. */
static inline const char *pstate_label(const struct pstate_driver *d,
				       const struct pstate_table *t)
{
	return (t->flags & PSTATE_F_HWP) ? "intel-hwp" : d->name;
}

static inline uint32_t pstate_fmax_khz(const struct pstate_table *t)
{
	return t->count ? t->states[0].khz : 0;
}

static inline uint32_t pstate_fmin_khz(const struct pstate_table *t)
{
	return t->count ? t->states[t->count - 1].khz : 0;
}

/* The slowest state whose frequency is >= khz, or the fastest state if
 * none is (Xen's CPUFREQ_RELATION_L). */
static inline uint32_t pstate_index_at_or_above(const struct pstate_table *t,
						uint64_t khz)
{
	for (uint32_t i = t->count; i-- > 0;)
		if (t->states[i].khz >= khz)
			return i;
	return 0;
}

/* The state whose frequency is closest to khz (ties: the faster). */
static inline uint32_t pstate_index_nearest(const struct pstate_table *t,
					    uint64_t khz)
{
	uint32_t best = 0;
	uint64_t best_d = UINT64_MAX;

	for (uint32_t i = 0; i < t->count; i++) {
		uint64_t f = t->states[i].khz;
		uint64_t d = f > khz ? f - khz : khz - f;
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return best;
}

/*
 * ref_khz x delta_aperf / delta_mperf without overflow: APERF counts at
 * the actual frequency, MPERF at ref_khz, both only while the processor
 * is not halted (SDM vol. 3B 15.2; Xen's get_measured_perf). Both deltas
 * are halved together until the product fits (the ratio is all that
 * matters). 0 when delta_mperf is 0.
 */
static inline uint32_t pstate_counters_khz(uint64_t d_aperf, uint64_t d_mperf,
					   uint32_t ref_khz)
{
	while (d_aperf > UINT64_MAX / (ref_khz ? ref_khz : 1)) {
		d_aperf >>= 1;
		d_mperf >>= 1;
	}
	if (d_mperf == 0)
		return 0;
	uint64_t khz = d_aperf * ref_khz / d_mperf;
	return khz > UINT32_MAX ? UINT32_MAX : (uint32_t)khz;
}

/*
 * One average-frequency sample from fresh APERF/MPERF readings: the
 * average since the previous sample (pstate_counters_khz), remembering
 * these readings for the next. Falls back to the current state's
 * frequency on the first sample or when the counters did not move.
 */
static inline uint32_t pstate_avg_update(const struct pstate_table *t,
					 struct pstate_cpu *pc,
					 uint64_t aperf, uint64_t mperf)
{
	uint32_t khz = 0;

	if (pc->have_prev)
		khz = pstate_counters_khz(aperf - pc->prev_aperf,
					  mperf - pc->prev_mperf, t->ref_khz);
	pc->prev_aperf = aperf;
	pc->prev_mperf = mperf;
	pc->have_prev = true;
	if (khz == 0 && pc->cur < t->count)
		khz = t->states[pc->cur].khz;
	return khz;
}

/*
 * A table is usable when it has 1..PSTATE_MAX states, frequencies in
 * [PSTATE_KHZ_MIN, PSTATE_KHZ_MAX] strictly descending, and voltages 0
 * (unknown) or in [PSTATE_MV_MIN, PSTATE_MV_MAX], not increasing where
 * known. 0, or -1 with the first problem in why (e.g. for a config error
 * with its line number). pm/pstate_modeled.c.
 */
/* Do APERF/MPERF exist (CPUID.6:ECX[0], given as leaf6_ecx_bit) and
 * actually count? The emulators advertise them and read zeros
 * (EMULATORS.md): MPERF must move between a few reads. */
static inline bool pstate_counters_count(const struct msr_io *io,
					 bool advertised, uint32_t aperf_msr,
					 uint32_t mperf_msr)
{
	uint64_t a, m1, m2 = 0;

	if (!advertised)
		return false;
	if (io->rd(mperf_msr, &m1) || io->rd(aperf_msr, &a))
		return false;
	for (unsigned i = 0; i < 8 && m2 <= m1; i++)
		if (io->rd(mperf_msr, &m2))
			return false;
	return m2 > m1;
}

/* avg_khz for drivers with APERF/MPERF (Intel and AMD both): the
 * counters' average, or the current state's frequency without them. */
static inline uint32_t pstate_msr_avg_khz(const struct msr_io *io,
					  const struct pstate_table *t,
					  struct pstate_cpu *pc,
					  uint32_t aperf_msr, uint32_t mperf_msr)
{
	uint32_t cur_khz = pc->cur < t->count ? t->states[pc->cur].khz : 0;
	uint64_t a, m;

	if (!(t->flags & PSTATE_F_APERF_MPERF) || io->rd(aperf_msr, &a) ||
	    io->rd(mperf_msr, &m))
		return cur_khz;
	return pstate_avg_update(t, pc, a, m);
}

int pstate_table_check(const struct pstate_table *t, char *why,
		       size_t why_len);

/*
 * The modeled driver's default table: 2.8/2.4/2.0/1.6/1.2 GHz at
 * 1200/1100/1000/900/800 mV (the simulator's processor, tools/sim).
 */
void pstate_modeled_default_table(struct pstate_table *t);

/*
 * Duty cycle of a modeled state: of every period_ns, the processor runs
 * guests for pstate_duty_run_ns() and idles the rest, so that it does the
 * work of f/f_max (rounded down, never 0 for a non-empty period).
 */
uint64_t pstate_duty_run_ns(const struct pstate_table *t, uint32_t idx,
			    uint64_t period_ns);

#endif
