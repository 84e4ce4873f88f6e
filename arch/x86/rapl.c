/*
 * RAPL energy counters read through an msr_io (see rapl.h): Intel SDM
 * vol. 3B, RAPL interfaces (MSR_RAPL_POWER_UNIT and the *_ENERGY_STATUS
 * MSRs); AMD family 17h+ PPR (RAPL_PWR_UNIT, CORE_ENERGY_STAT,
 * PKG_ENERGY_STAT). No inline assembly: Volt passes msr_io_hw(), the
 * host tests a mock (tests/unit/test_rapl.c).
 */
#include "arch/x86/msr.h"
#include "arch/x86/rapl.h"
#include "lib/format.h"
#include "lib/string.h"

/* To move into arch/x86/msr.h (the one MSR table) at integration. */
/* Energy status: bits 31:0 count, 63:32 reserved (both vendors). */
#define RAPL_COUNTER_MASK 0xffffffffull

#define UJ_PER_J 1000000ull

/* Bits of the unit register that are defined; the rest are reserved
 * (read as 0 on real parts). */
#define RAPL_UNIT_DEFINED (RAPL_UNIT_POWER_MASK | \
	(RAPL_UNIT_ESU_MASK << RAPL_UNIT_ESU_SHIFT) | RAPL_UNIT_TIME_MASK)

struct rapl_msrs {
	uint32_t unit;
	uint32_t dom[RAPL_NDOMAINS]; /* 0: not on this vendor */
};

static const struct rapl_msrs intel_msrs = {
	MSR_RAPL_POWER_UNIT,
	{ MSR_PKG_ENERGY_STATUS, MSR_PP0_ENERGY_STATUS,
	  MSR_DRAM_ENERGY_STATUS },
};

static const struct rapl_msrs amd_msrs = {
	MSR_AMD_RAPL_PWR_UNIT,
	{ MSR_AMD_PKG_ENERGY_STAT, MSR_AMD_CORE_ENERGY_STAT, 0 },
};

__attribute__((format(printf, 3, 4)))
static int refuse(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;

	if (why && n) {
		va_start(ap, fmt);
		volt_vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

const char *rapl_domain_name(enum rapl_vendor v, enum rapl_domain d)
{
	switch (d) {
	case RAPL_PKG:
		return "package";
	case RAPL_CORE:
		return v == RAPL_AMD ? "core" : "cores (PP0)";
	case RAPL_DRAM:
		return "dram";
	case RAPL_NDOMAINS:
		break;
	}
	return "?";
}

uint64_t rapl_counts_to_uj(uint64_t counts, uint32_t esu)
{
	uint64_t mask;

	if (esu > RAPL_ESU_MAX)
		return 0;
	mask = (1ull << esu) - 1;
	/* Whole joules, then the fraction: (counts & mask) x 1e6 < 2^40. */
	return (counts >> esu) * UJ_PER_J + ((counts & mask) * UJ_PER_J >> esu);
}

/* Reads one status MSR: -1 if it faulted or its reserved half is set
 * (not a RAPL counter). */
static int read_counter(const struct rapl *r, uint32_t msr, uint32_t *raw)
{
	uint64_t v;

	if (r->io->rd(msr, &v))
		return -1;
	if (v & ~RAPL_COUNTER_MASK)
		return -1;
	*raw = (uint32_t)v;
	return 0;
}

static int probe_units(struct rapl *r, uint32_t msr, char *why, size_t n)
{
	uint64_t unit;

	if (r->io->rd(msr, &unit))
		return refuse(why, n, "RAPL unit MSR %#x faulted", msr);
	if (unit & ~RAPL_UNIT_DEFINED)
		return refuse(why, n, "RAPL unit MSR %#x = %#llx: reserved "
			      "bits set", msr, (unsigned long long)unit);
	r->esu = (uint32_t)(unit >> RAPL_UNIT_ESU_SHIFT & RAPL_UNIT_ESU_MASK);
	if (r->esu < RAPL_ESU_MIN || r->esu > RAPL_ESU_MAX)
		return refuse(why, n, "RAPL energy unit 1/2^%u J is "
			      "implausible (MSR %#x = %#llx)", r->esu, msr,
			      (unsigned long long)unit);
	return 0;
}

int rapl_probe(struct rapl *r, const struct msr_io *io, enum rapl_vendor v,
	       char *why, size_t n)
{
	const struct rapl_msrs *m = v == RAPL_AMD ? &amd_msrs : &intel_msrs;

	memset(r, 0, sizeof(*r));
	r->io = io;
	r->vendor = v;
	if (probe_units(r, m->unit, why, n))
		return -1;
	for (int d = 0; d < RAPL_NDOMAINS; d++) {
		struct rapl_counter *c = &r->dom[d];

		c->msr = m->dom[d];
		c->present = c->msr && !read_counter(r, c->msr, &c->last);
	}
	if (!r->dom[RAPL_PKG].present)
		return refuse(why, n, "RAPL package counter MSR %#x unreadable",
			      r->dom[RAPL_PKG].msr);
	return 0;
}

/* Reads one present domain and adds the wrapped delta. */
static int sample_domain(struct rapl *r, enum rapl_domain d)
{
	struct rapl_counter *c = &r->dom[d];
	uint32_t raw;

	if (!c->present)
		return 0;
	if (read_counter(r, c->msr, &raw))
		return -1;
	/* Unsigned 32-bit subtraction: right across one wrap. */
	c->counts += (uint32_t)(raw - c->last);
	c->last = raw;
	return 0;
}

int rapl_sample(struct rapl *r)
{
	int ret = 0;

	for (int d = 0; d < RAPL_NDOMAINS; d++)
		if (sample_domain(r, (enum rapl_domain)d))
			ret = -1;
	return ret;
}

int rapl_confirm(struct rapl *r, uint64_t elapsed_ns, char *why, size_t n)
{
	uint64_t before[RAPL_NDOMAINS], moved_uj, max_uj;
	const struct rapl_counter *pkg = &r->dom[RAPL_PKG];

	r->present = false;
	if (!pkg->present)
		return refuse(why, n, "RAPL not probed");
	if (elapsed_ns < RAPL_CONFIRM_MIN_NS)
		return refuse(why, n, "RAPL check over %llu ns: too short",
			      (unsigned long long)elapsed_ns);
	for (int d = 0; d < RAPL_NDOMAINS; d++)
		before[d] = r->dom[d].counts;
	for (int d = 0; d < RAPL_NDOMAINS; d++)
		if (sample_domain(r, (enum rapl_domain)d) && d == RAPL_PKG)
			return refuse(why, n, "RAPL package counter faulted");
	if (pkg->counts == before[RAPL_PKG])
		return refuse(why, n, "RAPL package counter did not move "
			      "(%#x) over %llu us of busy time", pkg->last,
			      (unsigned long long)(elapsed_ns / 1000));
	/* W x ns = nJ; a counter that jumped (or ran backwards, which the
	 * wrap arithmetic turns into a huge delta) is not a RAPL counter. */
	moved_uj = rapl_counts_to_uj(pkg->counts - before[RAPL_PKG], r->esu);
	max_uj = RAPL_MAX_PLAUSIBLE_W * (elapsed_ns / 1000);
	if (moved_uj > max_uj)
		return refuse(why, n, "RAPL package counter moved %llu uJ in "
			      "%llu us: implausible power",
			      (unsigned long long)moved_uj,
			      (unsigned long long)(elapsed_ns / 1000));
	for (int d = 0; d < RAPL_NDOMAINS; d++)
		if (d != RAPL_PKG && r->dom[d].counts == before[d])
			r->dom[d].present = false;
	r->present = true;
	return 0;
}

bool rapl_domain_present(const struct rapl *r, enum rapl_domain d)
{
	return d < RAPL_NDOMAINS && r->dom[d].present;
}

uint64_t rapl_energy_uj(const struct rapl *r, enum rapl_domain d)
{
	if (!rapl_domain_present(r, d))
		return 0;
	return rapl_counts_to_uj(r->dom[d].counts, r->esu);
}
