/*
 * Intel P-state driver: Enhanced Intel SpeedStep (IA32_PERF_CTL/STATUS)
 * on Nehalem and later, or Hardware-controlled Performance States (HWP)
 * when the firmware already turned HWP on or EIST is unusable.
 *
 * Intel SDM vol. 3B:
 *   15.1   EIST: CPUID.1:ECX[7]; IA32_MISC_ENABLE bit 16 enables it;
 *          IA32_PERF_CTL bits 15:0 request a performance state (bits
 *          15:8 the bus ratio on Nehalem and later), IA32_PERF_STATUS
 *          bits 15:0 report the current one.
 *   15.2   APERF/MPERF (CPUID.6:ECX[0]): MPERF counts at a fixed
 *          reference (the maximum non-turbo frequency), APERF at the
 *          actual one, both only in C0: their ratio is the average
 *          frequency while not halted.
 *   15.4   HWP (CPUID.6:EAX[7]): IA32_PM_ENABLE bit 0 (write-once until
 *          reset), IA32_HWP_CAPABILITIES (highest 7:0, guaranteed 15:8,
 *          most efficient 23:16, lowest 31:24), IA32_HWP_REQUEST (min
 *          7:0, max 15:8, desired 23:16, EPP 31:24, ...). Once HWP is
 *          on, IA32_PERF_CTL is ignored.
 * SDM vol. 4, MSR_PLATFORM_INFO (0xCE): bits 15:8 maximum non-turbo
 * ratio, 47:40 maximum efficiency ratio (the lowest); the bus clock is
 * 133.33 MHz on Nehalem/Westmere and 100 MHz from Sandy Bridge on.
 *
 * Detection checks sanity, never "did not fault": the emulators
 * advertise EIST (and Bochs' tigerlake HWP) in CPUID while their MSRs read
 * 0 or swallow writes (EMULATORS.md). So: a non-zero maximum ratio and
 * min <= max, EIST enabled in IA32_MISC_ENABLE, and IA32_PERF_STATUS
 * following a request; for HWP, sane capabilities, PM_ENABLE that stays
 * set and an HWP_REQUEST that reads back.
 *
 * The request used to test PERF_STATUS is the fastest state: on parts
 * where cores share one clock the package runs at the highest request of
 * all cores, so only the maximum is guaranteed to show up. Turbo ratios
 * are not in the table (the maximum is the non-turbo one, which is also
 * what MPERF counts at): the scheduler's capacity is relative to it.
 *
 * No inline assembly: MSRs and CPUID come through pm/msr_io.h, so the
 * host tests compile this file against mocks (-DVOLT_HOST_TEST).
 * Follows Linux's intel_pstate and Xen's acpi-cpufreq/hwp.c in spirit
 * (read, never copied).
 */
#include "arch/x86/msr.h"
#include "lib/format.h"
#include "lib/string.h"
#include "pm/pstate.h"

/* Power-management MSRs (SDM vol. 4), to move into arch/x86/msr.h. */
#define CPUID_1_ECX_EIST (1u << 7)
#define CPUID_6_EAX_HWP (1u << 7)
#define CPUID_6_ECX_APERF_MPERF (1u << 0)
#define CPUID_7_EDX_HYBRID (1u << 15)

#define BCLK_KHZ 100000u          /* Sandy Bridge and later */
#define BCLK_KHZ_NEHALEM 133333u  /* Nehalem, Westmere */
#define HWP_KHZ_PER_LEVEL 100000u /* non-hybrid Core parts (as Linux) */

/* How many PERF_STATUS reads a transition may take (Xen waits up to
 * 100 x 10 us; one read costs well under 100 ns). */
#define SETTLE_POLLS 20000u

struct intel_cpu {
	uint32_t model;
	uint32_t leaf1[4], leaf6[4], leaf7[4];
};

/* ---- which family-6 models this driver knows --------------------------- */

struct intel_model_note {
	uint8_t model;
	uint32_t bclk_khz;   /* 0: refused */
	const char *why;
};

static const struct intel_model_note intel_models[] = {
	/* Nehalem, Westmere: MSR_PLATFORM_INFO ratios of 133.33 MHz. */
	{ 0x1a, BCLK_KHZ_NEHALEM, NULL }, { 0x1e, BCLK_KHZ_NEHALEM, NULL },
	{ 0x1f, BCLK_KHZ_NEHALEM, NULL }, { 0x2e, BCLK_KHZ_NEHALEM, NULL },
	{ 0x25, BCLK_KHZ_NEHALEM, NULL }, { 0x2c, BCLK_KHZ_NEHALEM, NULL },
	{ 0x2f, BCLK_KHZ_NEHALEM, NULL },
	/* Penryn-based Xeon 7400: no MSR_PLATFORM_INFO. */
	{ 0x1d, 0, "Core 2 generation (no MSR_PLATFORM_INFO)" },
	/* Atoms whose IA32_PERF_CTL also needs a voltage ID and whose bus
	 * clock is in MSR_FSB_FREQ: not supported. */
	{ 0x1c, 0, "Atom (Bonnell): PERF_CTL needs a VID" },
	{ 0x26, 0, "Atom (Bonnell): PERF_CTL needs a VID" },
	{ 0x27, 0, "Atom (Saltwell): PERF_CTL needs a VID" },
	{ 0x35, 0, "Atom (Saltwell): PERF_CTL needs a VID" },
	{ 0x36, 0, "Atom (Saltwell): PERF_CTL needs a VID" },
	{ 0x37, 0, "Atom (Silvermont): PERF_CTL needs a VID" },
	{ 0x4a, 0, "Atom (Silvermont): PERF_CTL needs a VID" },
	{ 0x4d, 0, "Atom (Silvermont): PERF_CTL needs a VID" },
	{ 0x5a, 0, "Atom (Silvermont): PERF_CTL needs a VID" },
	{ 0x5d, 0, "Atom (Silvermont): PERF_CTL needs a VID" },
	{ 0x4c, 0, "Atom (Airmont): PERF_CTL needs a VID" },
};

#define FIRST_NEHALEM_MODEL 0x1a

/* The bus clock in kHz, or 0 with the reason in why. */
static uint32_t intel_bclk_khz(uint32_t model, char *why, size_t why_len)
{
	for (size_t i = 0; i < sizeof(intel_models) / sizeof(intel_models[0]);
	     i++) {
		const struct intel_model_note *m = &intel_models[i];
		if (m->model != model)
			continue;
		if (!m->bclk_khz)
			volt_snprintf(why, why_len, "model %#x: %s", model,
				      m->why);
		return m->bclk_khz;
	}
	if (model < FIRST_NEHALEM_MODEL) {
		volt_snprintf(why, why_len,
			      "model %#x predates Nehalem (no MSR_PLATFORM_INFO)",
			      model);
		return 0;
	}
	return BCLK_KHZ;
}

/* ---- shared pieces ----------------------------------------------------- */

/*
 * n ratios (or HWP levels) from hi down to lo, evenly spread, rounded:
 * every one when there are at most PSTATE_MAX, else PSTATE_MAX of them
 * (strictly descending: the step is at least 1).
 */
static uint32_t spread_count(uint32_t hi, uint32_t lo)
{
	uint32_t n = hi - lo + 1;
	return n > PSTATE_MAX ? PSTATE_MAX : n;
}

static uint32_t spread_value(uint32_t hi, uint32_t lo, uint32_t i, uint32_t n)
{
	if (n < 2)
		return hi;
	return hi - (i * (hi - lo) + (n - 1) / 2) / (n - 1);
}

/*
 * APERF/MPERF are used only when CPUID enumerates them and MPERF moves
 * while this processor runs (it counts in C0, and we are in C0): the
 * emulators enumerate them but never count.
 */
static bool counters_count(const struct msr_io *io, const struct intel_cpu *c)
{
	return pstate_counters_count(io, c->leaf6[CPUID_ECX] &
					     CPUID_6_ECX_APERF_MPERF,
				     MSR_IA32_APERF, MSR_IA32_MPERF);
}

/* The table is complete: check it as every table is checked. */
static int finish_table(struct pstate_table *t, char *why, size_t why_len)
{
	char detail[PSTATE_WHY_LEN];

	if (pstate_table_check(t, detail, sizeof(detail))) {
		volt_snprintf(why, why_len, "implausible P-states: %s", detail);
		return PSTATE_REFUSED;
	}
	return PSTATE_OK;
}

/* ---- EIST: IA32_PERF_CTL ------------------------------------------------ */

static int eist_enable(const struct msr_io *io, char *why, size_t why_len)
{
	uint64_t misc;

	if (io->rd(MSR_IA32_MISC_ENABLE, &misc)) {
		volt_snprintf(why, why_len, "IA32_MISC_ENABLE (0x1a0) faults");
		return -1;
	}
	if (misc & MISC_ENABLE_EIST)
		return 0;
	/* Firmware may have left EIST off; it may also have locked it. */
	if (io->wr(MSR_IA32_MISC_ENABLE, misc | MISC_ENABLE_EIST) ||
	    io->rd(MSR_IA32_MISC_ENABLE, &misc) || !(misc & MISC_ENABLE_EIST)) {
		volt_snprintf(why, why_len,
			      "EIST is off in IA32_MISC_ENABLE and cannot be "
			      "turned on (locked by the firmware?)");
		return -1;
	}
	return 0;
}

static int eist_write(const struct msr_io *io, uint64_t ctl)
{
	uint64_t v;

	if (io->rd(MSR_IA32_PERF_CTL, &v))
		return -1;
	/* Only the target field: bit 32 (turbo disengage) and the rest
	 * stay as the firmware set them. */
	return io->wr(MSR_IA32_PERF_CTL,
		      (v & ~PERF_CTL_TARGET_MASK) | (ctl & PERF_CTL_TARGET_MASK));
}

static uint32_t status_ratio(uint64_t status)
{
	return (uint32_t)(status >> PERF_RATIO_SHIFT) & 0xff;
}

/* Request the fastest state and wait for PERF_STATUS to report it. */
static int eist_check_follows(const struct msr_io *io,
			      const struct pstate_table *t, char *why,
			      size_t why_len)
{
	uint32_t want = (uint32_t)(t->states[0].ctl >> PERF_RATIO_SHIFT);
	uint64_t status = 0;

	if (eist_write(io, t->states[0].ctl)) {
		volt_snprintf(why, why_len, "IA32_PERF_CTL (0x199) faults");
		return -1;
	}
	for (uint32_t i = 0; i < SETTLE_POLLS; i++) {
		if (io->rd(MSR_IA32_PERF_STATUS, &status)) {
			volt_snprintf(why, why_len,
				      "IA32_PERF_STATUS (0x198) faults");
			return -1;
		}
		if (status_ratio(status) == want)
			return 0;
	}
	volt_snprintf(why, why_len,
		      "IA32_PERF_STATUS does not follow IA32_PERF_CTL "
		      "(asked ratio %u, reads %#lx)", want,
		      (unsigned long)(status & PERF_CTL_TARGET_MASK));
	return -1;
}

static int eist_probe(const struct msr_io *io, const struct intel_cpu *c,
		      uint32_t bclk_khz, struct pstate_table *t, char *why,
		      size_t why_len)
{
	uint64_t info;

	if (!(c->leaf1[CPUID_ECX] & CPUID_1_ECX_EIST)) {
		volt_snprintf(why, why_len, "no EIST (CPUID.1:ECX[7] = 0)");
		return PSTATE_REFUSED;
	}
	if (io->rd(MSR_PLATFORM_INFO, &info)) {
		volt_snprintf(why, why_len, "MSR_PLATFORM_INFO (0xce) faults");
		return PSTATE_REFUSED;
	}
	uint32_t max = (uint32_t)(info >> PLATFORM_INFO_MAX_RATIO_SHIFT) & 0xff;
	uint32_t min = (uint32_t)(info >> PLATFORM_INFO_MIN_RATIO_SHIFT) & 0xff;
	if (max == 0) {
		volt_snprintf(why, why_len,
			      "MSR_PLATFORM_INFO max non-turbo ratio is 0");
		return PSTATE_REFUSED;
	}
	if (min == 0 || min > max) {
		volt_snprintf(why, why_len,
			      "MSR_PLATFORM_INFO min ratio %u, max ratio %u",
			      min, max);
		return PSTATE_REFUSED;
	}
	if (eist_enable(io, why, why_len))
		return PSTATE_REFUSED;

	memset(t, 0, sizeof(*t));
	t->count = spread_count(max, min);
	for (uint32_t i = 0; i < t->count; i++) {
		uint32_t ratio = spread_value(max, min, i, t->count);
		t->states[i].khz = ratio * bclk_khz;
		t->states[i].ctl = (uint64_t)ratio << PERF_RATIO_SHIFT;
	}
	if (finish_table(t, why, why_len) ||
	    eist_check_follows(io, t, why, why_len))
		return PSTATE_REFUSED;
	if (counters_count(io, c)) {
		t->flags |= PSTATE_F_APERF_MPERF;
		t->ref_khz = max * bclk_khz;
	}
	return PSTATE_OK;
}

/* ---- HWP: IA32_HWP_REQUEST --------------------------------------------- */

static uint64_t hwp_pin(uint32_t level)
{
	/* min = max = level, desired 0 (the hardware picks within
	 * [min, max], which is just the level). */
	return (uint64_t)level | ((uint64_t)level << 8);
}

static int hwp_write(const struct msr_io *io, uint64_t ctl)
{
	uint64_t v;

	if (io->rd(MSR_IA32_HWP_REQUEST, &v))
		return -1;
	/* EPP, activity window and package control stay as they are. */
	return io->wr(MSR_IA32_HWP_REQUEST, (v & ~HWP_REQUEST_LEVELS_MASK) |
						    (ctl & HWP_REQUEST_LEVELS_MASK));
}

static int hwp_enable(const struct msr_io *io, char *why, size_t why_len)
{
	uint64_t pm;

	if (io->rd(MSR_IA32_PM_ENABLE, &pm)) {
		volt_snprintf(why, why_len, "IA32_PM_ENABLE (0x770) faults");
		return -1;
	}
	if (pm & PM_ENABLE_HWP)
		return 0;
	if (io->wr(MSR_IA32_PM_ENABLE, pm | PM_ENABLE_HWP) ||
	    io->rd(MSR_IA32_PM_ENABLE, &pm) || !(pm & PM_ENABLE_HWP)) {
		volt_snprintf(why, why_len,
			      "IA32_PM_ENABLE does not stay set");
		return -1;
	}
	return 0;
}

/* Capabilities must be non-zero and ordered lowest <= guaranteed <=
 * highest; the table spans guaranteed (non-turbo) down to lowest. */
static int hwp_caps(const struct msr_io *io, uint32_t *hi, uint32_t *lo,
		    char *why, size_t why_len)
{
	uint64_t caps;

	if (io->rd(MSR_IA32_HWP_CAPABILITIES, &caps)) {
		volt_snprintf(why, why_len,
			      "IA32_HWP_CAPABILITIES (0x771) faults");
		return -1;
	}
	uint32_t highest = (uint32_t)caps & 0xff;
	uint32_t guaranteed = (uint32_t)(caps >> 8) & 0xff;
	uint32_t lowest = (uint32_t)(caps >> 24) & 0xff;
	if (!highest || !guaranteed || !lowest || lowest > guaranteed ||
	    guaranteed > highest) {
		volt_snprintf(why, why_len,
			      "IA32_HWP_CAPABILITIES %#lx: levels not sane "
			      "(lowest %u, guaranteed %u, highest %u)",
			      (unsigned long)caps, lowest, guaranteed, highest);
		return -1;
	}
	*hi = guaranteed;
	*lo = lowest;
	return 0;
}

static int hwp_probe(const struct msr_io *io, const struct intel_cpu *c,
		     struct pstate_table *t, char *why, size_t why_len)
{
	uint32_t hi, lo;
	uint64_t req;

	if (!(c->leaf6[CPUID_EAX] & CPUID_6_EAX_HWP)) {
		volt_snprintf(why, why_len, "no HWP (CPUID.6:EAX[7] = 0)");
		return PSTATE_REFUSED;
	}
	if (c->leaf7[CPUID_EDX] & CPUID_7_EDX_HYBRID) {
		volt_snprintf(why, why_len,
			      "hybrid processor: HWP levels are not 100 MHz");
		return PSTATE_REFUSED;
	}
	/* Capabilities first: PM_ENABLE cannot be undone until reset. */
	if (hwp_caps(io, &hi, &lo, why, why_len) ||
	    hwp_enable(io, why, why_len))
		return PSTATE_REFUSED;

	memset(t, 0, sizeof(*t));
	t->flags = PSTATE_F_HWP;
	t->count = spread_count(hi, lo);
	for (uint32_t i = 0; i < t->count; i++) {
		uint32_t level = spread_value(hi, lo, i, t->count);
		t->states[i].khz = level * HWP_KHZ_PER_LEVEL;
		t->states[i].ctl = hwp_pin(level);
	}
	if (finish_table(t, why, why_len))
		return PSTATE_REFUSED;
	if (hwp_write(io, t->states[0].ctl) ||
	    io->rd(MSR_IA32_HWP_REQUEST, &req) ||
	    (req & HWP_REQUEST_LEVELS_MASK) != t->states[0].ctl) {
		volt_snprintf(why, why_len,
			      "IA32_HWP_REQUEST does not read back what was "
			      "written");
		return PSTATE_REFUSED;
	}
	if (counters_count(io, c)) {
		/* MPERF runs at the base (maximum non-turbo) frequency. */
		uint64_t info = 0;
		uint32_t base = 0;
		if (!io->rd(MSR_PLATFORM_INFO, &info))
			base = (uint32_t)(info >> PLATFORM_INFO_MAX_RATIO_SHIFT)
			       & 0xff;
		t->flags |= PSTATE_F_APERF_MPERF;
		t->ref_khz = (base ? base : hi) * BCLK_KHZ;
	}
	return PSTATE_OK;
}

/* ---- the driver -------------------------------------------------------- */

static void intel_read_cpuid(const struct cpuid_io *c, struct intel_cpu *ic)
{
	cpuid_leaf_or_zero(c, 1, ic->leaf1);
	cpuid_leaf_or_zero(c, 6, ic->leaf6);
	cpuid_leaf_or_zero(c, 7, ic->leaf7);
	ic->model = cpuid_model(ic->leaf1[CPUID_EAX]);
}

static bool hwp_already_on(const struct msr_io *io, const struct intel_cpu *c)
{
	uint64_t pm;

	return (c->leaf6[CPUID_EAX] & CPUID_6_EAX_HWP) &&
	       !io->rd(MSR_IA32_PM_ENABLE, &pm) && (pm & PM_ENABLE_HWP);
}

/*
 * EIST unless the firmware turned HWP on (then IA32_PERF_CTL is ignored);
 * HWP, which cannot be turned off again, only when EIST is refused.
 */
static int intel_choose(const struct msr_io *io, const struct intel_cpu *c,
			uint32_t bclk_khz, struct pstate_table *t, char *why,
			size_t why_len)
{
	char eist_why[PSTATE_WHY_LEN], hwp_why[PSTATE_WHY_LEN];

	if (hwp_already_on(io, c)) {
		if (hwp_probe(io, c, t, hwp_why, sizeof(hwp_why)) == PSTATE_OK)
			return PSTATE_OK;
		volt_snprintf(why, why_len, "HWP is on: %s", hwp_why);
		return PSTATE_REFUSED;
	}
	if (eist_probe(io, c, bclk_khz, t, eist_why, sizeof(eist_why)) ==
	    PSTATE_OK)
		return PSTATE_OK;
	if (!(c->leaf6[CPUID_EAX] & CPUID_6_EAX_HWP)) {
		volt_snprintf(why, why_len, "%s", eist_why);
		return PSTATE_REFUSED;
	}
	if (hwp_probe(io, c, t, hwp_why, sizeof(hwp_why)) == PSTATE_OK)
		return PSTATE_OK;
	volt_snprintf(why, why_len, "EIST: %s; HWP: %s", eist_why, hwp_why);
	return PSTATE_REFUSED;
}

static int intel_probe(const struct msr_io *io, const struct cpuid_io *c,
		       struct pstate_table *t, struct pstate_cpu *pc,
		       char *why, size_t why_len)
{
	struct intel_cpu ic;

	if (!cpuid_vendor_is(c, "GenuineIntel")) {
		volt_snprintf(why, why_len, "not an Intel processor");
		return PSTATE_OTHER_VENDOR;
	}
	intel_read_cpuid(c, &ic);
	uint32_t family = cpuid_family(ic.leaf1[CPUID_EAX]);
	if (family != 6) {
		volt_snprintf(why, why_len,
			      "family %#x (this driver knows family 6)",
			      family);
		return PSTATE_REFUSED;
	}
	uint32_t bclk_khz = intel_bclk_khz(ic.model, why, why_len);
	if (!bclk_khz)
		return PSTATE_REFUSED;
	int r = intel_choose(io, &ic, bclk_khz, t, why, why_len);
	if (r != PSTATE_OK)
		return r;
	pc->cur = 0;
	pc->have_prev = false;
	return PSTATE_OK;
}

static int intel_set(const struct msr_io *io, const struct pstate_table *t,
		     struct pstate_cpu *pc, uint32_t idx)
{
	if (idx >= t->count)
		return -1;
	uint64_t ctl = t->states[idx].ctl;
	int r = (t->flags & PSTATE_F_HWP) ? hwp_write(io, ctl)
					  : eist_write(io, ctl);
	if (r)
		return -1;
	pc->cur = idx;
	return 0;
}

/* The state whose ratio (or HWP level) is closest to `unit`. */
static int nearest_unit(const struct pstate_table *t, uint32_t unit)
{
	uint32_t best = 0, best_d = UINT32_MAX;

	for (uint32_t i = 0; i < t->count; i++) {
		uint32_t u = (uint32_t)(t->states[i].ctl >> 8) & 0xff;
		uint32_t d = u > unit ? u - unit : unit - u;
		if (d < best_d) {
			best_d = d;
			best = i;
		}
	}
	return (int)best;
}

/*
 * EIST: the ratio IA32_PERF_STATUS reports. HWP: the level requested (the
 * hardware chooses within [min, max], which the driver pins to one level).
 */
static int intel_read_current(const struct msr_io *io,
			      const struct pstate_table *t,
			      struct pstate_cpu *pc)
{
	uint64_t v;

	if (t->count == 0)
		return -1;
	if (t->flags & PSTATE_F_HWP) {
		if (io->rd(MSR_IA32_HWP_REQUEST, &v))
			return -1;
		return nearest_unit(t, (uint32_t)(v >> 8) & 0xff);
	}
	if (io->rd(MSR_IA32_PERF_STATUS, &v))
		return -1;
	return nearest_unit(t, status_ratio(v));
}

static uint32_t intel_avg_khz(const struct msr_io *io,
			      const struct pstate_table *t,
			      struct pstate_cpu *pc)
{
	return pstate_msr_avg_khz(io, t, pc, MSR_IA32_APERF, MSR_IA32_MPERF);
}

const struct pstate_driver pstate_intel_driver = {
	.name = "intel",
	.modeled = false,
	.probe = intel_probe,
	.set = intel_set,
	.read_current = intel_read_current,
	.avg_khz = intel_avg_khz,
};
