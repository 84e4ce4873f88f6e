/*
 * RAPL energy counters (Running Average Power Limit), read through an
 * msr_io so that host tests can run this code against mocks.
 *
 *   Intel (SDM vol. 3B, "Platform Specific Power Management Support",
 *   RAPL interfaces): MSR_RAPL_POWER_UNIT 0x606, energy status unit in
 *   bits 12:8 (one count = 1/2^ESU J); MSR_PKG_ENERGY_STATUS 0x611,
 *   MSR_PP0_ENERGY_STATUS 0x639 (the cores), MSR_DRAM_ENERGY_STATUS 0x619.
 *   AMD (family 17h+ PPR): RAPL_PWR_UNIT 0xC0010299 (same layout),
 *   CORE_ENERGY_STAT 0xC001029A (the core that reads it), PKG_ENERGY_STAT
 *   0xC001029B.
 *
 * Each status MSR is a 32-bit counter (bits 31:0) that wraps: the reader
 * keeps a 64-bit sum of the deltas, taken modulo 2^32, so it must be
 * sampled before the counter can go round once (2^32 counts of 61 uJ =
 * 262 kJ: 43 min at 100 W with ESU 14; 11 min with ESU 16). Volt samples
 * every PM period (tens of ms).
 *
 * Detection is by sanity, never by "the read did not fault": Bochs and
 * QEMU read 0 (or #GP) for every power MSR (/work/shared/EMULATORS.md).
 * rapl_probe() wants a unit register with its reserved bits clear and an
 * ESU of 8-20 (4 mJ..1 uJ per count; real parts use 14 or 16);
 * rapl_confirm(), after the caller kept the processor busy for a few ms,
 * wants the package counter to have moved, at a plausible power
 * (below RAPL_MAX_PLAUSIBLE_W). Otherwise Volt uses the power model
 * (pm/power_model.h) and every report says "modeled".
 *
 * Not done: Intel server parts whose DRAM domain uses a fixed 15.3 uJ
 * unit whatever the register says (Haswell-EP and later Xeons), Atom's
 * microjoule units, PSys. The DRAM numbers are then off by the ratio.
 */
#ifndef VOLT_ARCH_X86_RAPL_H
#define VOLT_ARCH_X86_RAPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pm/msr_io.h"

#define RAPL_ESU_MIN 8
#define RAPL_ESU_MAX 20
#define RAPL_MAX_PLAUSIBLE_W 2000u
/* rapl_confirm() refuses shorter measurements: the counters update
 * about every millisecond. */
#define RAPL_CONFIRM_MIN_NS 2000000ull

enum rapl_vendor {
	RAPL_INTEL,
	RAPL_AMD,
};

enum rapl_domain {
	RAPL_PKG,
	RAPL_CORE,  /* Intel PP0 (all cores), AMD: this core */
	RAPL_DRAM,  /* Intel only */
	RAPL_NDOMAINS,
};

struct rapl_counter {
	uint32_t msr;
	bool present;
	uint32_t last;     /* raw 32-bit value at the last sample */
	uint64_t counts;   /* sum of the wrapped deltas since the probe */
};

struct rapl {
	const struct msr_io *io;
	enum rapl_vendor vendor;
	uint32_t esu;      /* one count = 1/2^esu J */
	bool present;      /* probed and confirmed */
	struct rapl_counter dom[RAPL_NDOMAINS];
};

/*
 * Reads the unit register and the first value of each domain. 0: looks
 * sane (call rapl_confirm next); -1: absent, with the reason in why.
 */
int rapl_probe(struct rapl *r, const struct msr_io *io, enum rapl_vendor v,
	       char *why, size_t n);

/*
 * After elapsed_ns (>= RAPL_CONFIRM_MIN_NS) of keeping this processor
 * busy: the package counter must have moved, below RAPL_MAX_PLAUSIBLE_W.
 * Domains that did not move are dropped (a server without PP0, an idle
 * DRAM). 0: RAPL is present; -1: absent, with the reason. The energy
 * counted so far stays (the totals start at the probe).
 */
int rapl_confirm(struct rapl *r, uint64_t elapsed_ns, char *why, size_t n);

/* Reads every present domain and adds the wrapped deltas. -1 if a read
 * faulted (that domain keeps its previous value). */
int rapl_sample(struct rapl *r);

/* Energy since the probe in uJ (0 for an absent domain). */
uint64_t rapl_energy_uj(const struct rapl *r, enum rapl_domain d);
bool rapl_domain_present(const struct rapl *r, enum rapl_domain d);

/* uJ in `counts` counts of 1/2^esu J, exactly floored (pure helper). */
uint64_t rapl_counts_to_uj(uint64_t counts, uint32_t esu);

const char *rapl_domain_name(enum rapl_vendor v, enum rapl_domain d);

#endif
