/*
 * The power model: what a processor draws, in integers, when no energy
 * counter (RAPL) can tell us, and the exact energy accounting built on it
 * (docs/power.md, "Energy").
 *
 *   running:  P = P_static + P_dyn,  P_dyn = C_dyn x f x V^2
 *   idle:     P = the power of the C-state it sleeps in (the C-state
 *             table's power_mw; pm_default_cstate_power_mw until then)
 *   package:  P_pkg_static (uncore: caches, memory controller, I/O) for
 *             as long as the package is powered, plus its processors
 *
 * Units: C_dyn in pF, f in kHz, V in mV, so that C x f x V^2 is in fW
 * (1e-12 F x 1e3 Hz x 1e-6 V^2 = 1e-15 W); power is kept in uW:
 * P_dyn = floor(C_dyn x f x V^2 / 1e9) uW. The defaults reproduce the
 * simulator's core (tools/sim/main.c: 3 W static + 12 W dynamic at
 * 2.8 GHz / 1.2 V, 15 W running at the top P-state): C_dyn = 12 W /
 * (2.8e9 Hz x 1.44 V^2) = 2976 pF. The two agree to within 0.01% at
 * every level of the default P-state table. The numbers are a plausible
 * desktop core, not a measured one; every report says "modeled".
 *
 * Energy: power (uW) x time (ns) = fJ. Each accumulator keeps whole uJ
 * and the fJ remainder, so that adding many short intervals gives
 * exactly what one long interval at the same power would (no loss to
 * rounding, ever).
 *
 * Pure C: no hardware, no floating point, no 128-bit division.
 */
#ifndef VOLT_PM_POWER_MODEL_H
#define VOLT_PM_POWER_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Defaults (see above; docs/power.md has the table they give). */
#define PM_MODEL_CDYN_PF_DEFAULT 2976u
#define PM_MODEL_STATIC_MW_DEFAULT 3000u
#define PM_MODEL_PKG_STATIC_MW_DEFAULT 2000u

/* Limits of a valid model and the clamps applied to inputs: they keep
 * every product below 2^64 (C x f x V^2 <= 1e5 x 1e7 x 4e6 = 4e18). */
#define PM_MODEL_CDYN_PF_MAX 100000u
#define PM_MODEL_MW_MAX 1000000u   /* 1 kW */
#define PM_MODEL_KHZ_MAX 10000000u /* 10 GHz */
#define PM_MODEL_MV_MAX 2000u

/* Voltage used when a P-state's is unknown (mv == 0: hardware drivers
 * read only ratios): the line through the default table's end points,
 * 800 mV at 1.2 GHz and 1200 mV at 2.8 GHz, clamped to 600-1500 mV. */
#define PM_MODEL_MV_ESTIMATE_MIN 600u
#define PM_MODEL_MV_ESTIMATE_MAX 1500u

/* Idle power per C-state until the C-state table carries power_mw:
 * C1 (HLT / MWAIT C1), C1E, C3, C6. Illustrative values for the same
 * core: clock gating keeps leakage (C1 = the simulator's 1 W idle),
 * deeper states cut voltage, then power. Index 0 = shallowest. */
#define PM_DEFAULT_CSTATES 4
extern const uint32_t pm_default_cstate_power_mw[PM_DEFAULT_CSTATES];

struct pm_power_model {
	uint32_t cdyn_pf;       /* effective switched capacitance, one core */
	uint32_t static_mw;     /* one core while running, any P-state */
	uint32_t pkg_static_mw; /* the package's uncore, always */
};

void pm_power_model_default(struct pm_power_model *m);
/* cdyn_pf <= PM_MODEL_CDYN_PF_MAX, powers <= PM_MODEL_MW_MAX. */
bool pm_power_model_valid(const struct pm_power_model *m);

/* mv when known, else the estimate from khz (see above). */
uint32_t pm_model_mv(uint32_t khz, uint32_t mv);
/* Dynamic and running power (uW) at khz/mv (clamped to the limits). */
uint64_t pm_dynamic_power_uw(const struct pm_power_model *m, uint32_t khz,
			     uint32_t mv);
uint64_t pm_busy_power_uw(const struct pm_power_model *m, uint32_t khz,
			  uint32_t mv);

/* Energy, exactly: uj + rem_fj / 1e9 uJ, rem_fj < 1e9. */
struct pm_energy_acc {
	uint64_t uj;
	uint64_t rem_fj;
};

void pm_energy_acc_add(struct pm_energy_acc *e, uint64_t power_uw,
		       uint64_t ns);

/* One processor's energy, split into running and idle. */
struct pm_energy_cpu {
	const struct pm_power_model *model;
	struct pm_energy_acc busy, idle;
	uint64_t busy_ns, idle_ns;
};

void pm_energy_cpu_init(struct pm_energy_cpu *c,
			const struct pm_power_model *m);
/* ns of running at khz/mv (mv 0: estimated). */
void pm_energy_add_busy(struct pm_energy_cpu *c, uint32_t khz, uint32_t mv,
			uint64_t ns);
/* ns of idling in a C-state drawing cstate_power_mw (clamped). */
void pm_energy_add_idle(struct pm_energy_cpu *c, uint32_t cstate_power_mw,
			uint64_t ns);
uint64_t pm_energy_cpu_busy_uj(const struct pm_energy_cpu *c);
uint64_t pm_energy_cpu_idle_uj(const struct pm_energy_cpu *c);
/* busy + idle with both remainders (so it may exceed the sum of the two
 * floors above by one). */
uint64_t pm_energy_cpu_total_uj(const struct pm_energy_cpu *c);

/* The package: its uncore's static power over wall time, plus its
 * processors. */
struct pm_energy_pkg {
	const struct pm_power_model *model;
	struct pm_energy_acc uncore;
	uint64_t ns;
};

void pm_energy_pkg_init(struct pm_energy_pkg *p,
			const struct pm_power_model *m);
/* ns of wall time passed (call once per period, not per processor). */
void pm_energy_pkg_add_time(struct pm_energy_pkg *p, uint64_t ns);
uint64_t pm_energy_pkg_uncore_uj(const struct pm_energy_pkg *p);
/* Uncore plus cpus[0..n-1], every remainder included. */
uint64_t pm_energy_pkg_total_uj(const struct pm_energy_pkg *p,
				const struct pm_energy_cpu *cpus, size_t n);

/* floor(a x b / c) with the remainder in *rem (may be NULL), through a
 * 128-bit product and a bitwise long division (no libgcc). Returns -1
 * when c is 0 or the quotient needs more than 64 bits. */
int pm_mul_div(uint64_t a, uint64_t b, uint64_t c, uint64_t *q,
	       uint64_t *rem);

#endif
