/*
 * AMD P-state driver: the hardware P-state MSRs of family 10h and later.
 *
 * AMD BKDG for families 10h, 15h, 16h and PPR for families 17h, 19h, 1Ah
 * ("P-state Current Limit", "P-state Control", "P-state Status",
 * "P-state [7:0]"):
 *   CPUID 8000_0007:EDX[7] HwPstate: the MSRs below exist;
 *         EDX[9] CPB: core performance boost.
 *   C001_0061  CurPstateLimit 2:0 (fastest P-state allowed now),
 *              PstateMaxVal 6:4 (slowest P-state that may be requested)
 *   C001_0062  PstateCmd 2:0: request a P-state
 *   C001_0063  CurPstate 2:0: the current P-state
 *   C001_0064+n  P-state n definition, bit 63 PstateEn:
 *     family 10h, 15h, 16h: CpuFid 5:0, CpuDid 8:6;
 *                 CoreCOF = 100 MHz x (CpuFid + 10h) / 2^CpuDid
 *     family 17h-19h: CpuFid 7:0, CpuDfsId 13:8, CpuVid 21:14;
 *                 CoreCOF = 200 MHz x CpuFid / CpuDfsId (i.e. FID x 25
 *                 MHz / (DfsId / 8)); SVI2 voltage = 1.55 V - VID x
 *                 6.25 mV (families 17h and Hygon's 18h; family 19h
 *                 has SVI3 parts, so its voltage is left unknown)
 *     family 1Ah: CpuFid 11:0; CoreCOF = CpuFid x 5 MHz
 * APERF/MPERF (0xE8/0xE7, CPUID 6:ECX[0]): MPERF counts at the P0
 * frequency while not halted.
 *
 * P-state numbers here are software P-states. On families 10h-16h with
 * CPB the first hardware P-states are boost states and the software
 * numbering skips them; how many there are is in PCI configuration space
 * (D18F4x15C), which this driver does not read: such processors are
 * refused. On 17h and later boost is outside the P-state definitions.
 * Families 11h, 12h and 14h define FID/DID differently: refused.
 *
 * Detection checks sanity (EMULATORS.md: an absent MSR may read 0):
 * HwPstate in CPUID, P0 enabled, every enabled state's frequency
 * plausible and slower than the one before, CurPstateLimit <=
 * PstateMaxVal, and the status following a request for the fastest
 * allowed state (the one a shared clock domain is sure to grant).
 *
 * No inline assembly: MSRs and CPUID come through pm/msr_io.h, so the
 * host tests compile this file against mocks (-DVOLT_HOST_TEST).
 */
#include "arch/x86/msr.h"
#include "lib/format.h"
#include "lib/string.h"
#include "pm/pstate.h"

/* AMD P-state MSRs, to move into arch/x86/msr.h. */
#define CPUID_EXT_POWER 0x80000007u
#define CPUID_EXT_POWER_EDX_HWPSTATE (1u << 7)
#define CPUID_EXT_POWER_EDX_CPB (1u << 9)
#define CPUID_6_ECX_APERF_MPERF (1u << 0)

#define SETTLE_POLLS 20000u

enum amd_def_format {
	AMD_DEF_NONE,
	AMD_DEF_FAM10H,  /* 10h, 15h, 16h */
	AMD_DEF_ZEN,     /* 17h, 18h, 19h */
	AMD_DEF_ZEN5,    /* 1Ah */
};

struct amd_cpu {
	uint32_t family;
	enum amd_def_format format;
	uint32_t ext_power[4], leaf6[4];
};

/* ---- P-state definitions ------------------------------------------------ */

static uint32_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (uint32_t)((v >> lo) & ((1ull << (hi - lo + 1)) - 1));
}

/* SVI2: 1550 mV - 6.25 mV per VID step; 0 (unknown) outside the range
 * a P-state can have (VIDs near the top mean "off"). */
static uint32_t svi2_mv(uint32_t vid)
{
	uint32_t drop = vid * 625 / 100;
	if (drop >= 1550 || 1550 - drop < PSTATE_MV_MIN)
		return 0;
	return 1550 - drop;
}

/* The frequency (kHz, 0 if the encoding is invalid) and voltage (mV, 0
 * if unknown) of an enabled P-state definition. */
static uint32_t amd_def_khz(const struct amd_cpu *c, uint64_t def,
			    uint32_t *mv)
{
	*mv = 0;
	switch (c->format) {
	case AMD_DEF_FAM10H: {
		uint32_t fid = bits(def, 5, 0), did = bits(def, 8, 6);
		if (did > 4)  /* 5-7 are reserved: divisors 1-16 only */
			return 0;
		return (100000u * (fid + 0x10)) >> did;
	}
	case AMD_DEF_ZEN: {
		uint32_t fid = bits(def, 7, 0), dfs = bits(def, 13, 8);
		if (dfs == 0)
			return 0;
		if (c->family == 0x17 || c->family == 0x18)
			*mv = svi2_mv(bits(def, 21, 14));
		return (uint32_t)(200000ull * fid / dfs);
	}
	case AMD_DEF_ZEN5:
		return bits(def, 11, 0) * 5000u;
	default:
		return 0;
	}
}

/* Which definition format, or AMD_DEF_NONE with the reason. */
static enum amd_def_format amd_format(const struct amd_cpu *c, char *why,
				      size_t why_len)
{
	uint32_t f = c->family;

	if (f < 0x10) {
		volt_snprintf(why, why_len,
			      "family %#x uses FIDVID_CTL (not supported)", f);
		return AMD_DEF_NONE;
	}
	if (f == 0x10 || f == 0x15 || f == 0x16) {
		if (c->ext_power[CPUID_EDX] & CPUID_EXT_POWER_EDX_CPB) {
			volt_snprintf(why, why_len,
				      "family %#x with boost: the boost state "
				      "count is in PCI config D18F4x15C (not "
				      "read)", f);
			return AMD_DEF_NONE;
		}
		return AMD_DEF_FAM10H;
	}
	if (f >= 0x17 && f <= 0x19)
		return AMD_DEF_ZEN;
	if (f == 0x1a)
		return AMD_DEF_ZEN5;
	volt_snprintf(why, why_len,
		      "family %#x: P-state definition format not supported", f);
	return AMD_DEF_NONE;
}

/* States P0..PstateMaxVal that are enabled, fastest first. */
static int amd_read_defs(const struct msr_io *io, const struct amd_cpu *c,
			 uint32_t max_val, struct pstate_table *t, char *why,
			 size_t why_len)
{
	memset(t, 0, sizeof(*t));
	for (uint32_t n = 0; n <= max_val && n < AMD_PSTATE_DEFS; n++) {
		uint64_t def;
		uint32_t mv;
		if (io->rd(MSR_AMD_PSTATE_DEF0 + n, &def)) {
			volt_snprintf(why, why_len,
				      "P-state %u definition (%#x) faults", n,
				      MSR_AMD_PSTATE_DEF0 + n);
			return -1;
		}
		if (!(def & AMD_PSTATE_DEF_EN)) {
			if (n == 0) {
				volt_snprintf(why, why_len,
					      "P-state 0 is not enabled "
					      "(definition %#lx)",
					      (unsigned long)def);
				return -1;
			}
			continue;
		}
		uint32_t khz = amd_def_khz(c, def, &mv);
		if (khz == 0) {
			volt_snprintf(why, why_len,
				      "P-state %u: invalid frequency encoding "
				      "%#lx", n, (unsigned long)def);
			return -1;
		}
		struct pstate *s = &t->states[t->count++];
		s->khz = khz;
		s->mv = mv;
		s->ctl = n;
	}
	return 0;
}

/* ---- probing ------------------------------------------------------------ */

static bool amd_counters_count(const struct msr_io *io,
			       const struct amd_cpu *c)
{
	return pstate_counters_count(io, c->leaf6[CPUID_ECX] &
					     CPUID_6_ECX_APERF_MPERF,
				     MSR_IA32_APERF, MSR_IA32_MPERF);
}

/* The first (fastest) table state the current limit allows. */
static uint32_t amd_fastest_allowed(const struct pstate_table *t,
				    uint32_t cur_limit)
{
	for (uint32_t i = 0; i < t->count; i++)
		if (t->states[i].ctl >= cur_limit)
			return i;
	return t->count - 1;
}

static int amd_check_follows(const struct msr_io *io,
			     const struct pstate_table *t, uint32_t idx,
			     char *why, size_t why_len)
{
	uint64_t want = t->states[idx].ctl, status = 0;

	if (io->wr(MSR_AMD_PSTATE_CTL, want)) {
		volt_snprintf(why, why_len,
			      "P-state control (0xc0010062) faults");
		return -1;
	}
	for (uint32_t i = 0; i < SETTLE_POLLS; i++) {
		if (io->rd(MSR_AMD_PSTATE_STATUS, &status)) {
			volt_snprintf(why, why_len,
				      "P-state status (0xc0010063) faults");
			return -1;
		}
		if ((status & AMD_PSTATE_CUR_MASK) == want)
			return 0;
	}
	volt_snprintf(why, why_len,
		      "P-state status does not follow the control (asked "
		      "P%lu, reads %#lx)", (unsigned long)want,
		      (unsigned long)status);
	return -1;
}

static int amd_probe_msrs(const struct msr_io *io, const struct amd_cpu *c,
			  struct pstate_table *t, struct pstate_cpu *pc,
			  char *why, size_t why_len)
{
	uint64_t limit;
	char detail[PSTATE_WHY_LEN];

	if (io->rd(MSR_AMD_PSTATE_LIMIT, &limit)) {
		volt_snprintf(why, why_len,
			      "P-state current limit (0xc0010061) faults");
		return PSTATE_REFUSED;
	}
	uint32_t cur_limit = (uint32_t)(limit & AMD_PSTATE_CUR_LIMIT_MASK);
	uint32_t max_val = (uint32_t)(limit >> AMD_PSTATE_MAX_VAL_SHIFT) & 7;
	if (cur_limit > max_val) {
		volt_snprintf(why, why_len,
			      "P-state limit %#lx: CurPstateLimit %u > "
			      "PstateMaxVal %u", (unsigned long)limit,
			      cur_limit, max_val);
		return PSTATE_REFUSED;
	}
	if (amd_read_defs(io, c, max_val, t, why, why_len))
		return PSTATE_REFUSED;
	if (pstate_table_check(t, detail, sizeof(detail))) {
		volt_snprintf(why, why_len, "implausible P-states: %s",
			      detail);
		return PSTATE_REFUSED;
	}
	uint32_t idx = amd_fastest_allowed(t, cur_limit);
	if (amd_check_follows(io, t, idx, why, why_len))
		return PSTATE_REFUSED;
	if (amd_counters_count(io, c)) {
		t->flags |= PSTATE_F_APERF_MPERF;
		t->ref_khz = t->states[0].khz;  /* P0: enabled, checked */
	}
	pc->cur = idx;
	pc->have_prev = false;
	return PSTATE_OK;
}

static int amd_probe(const struct msr_io *io, const struct cpuid_io *cio,
		     struct pstate_table *t, struct pstate_cpu *pc, char *why,
		     size_t why_len)
{
	struct amd_cpu c;
	uint32_t leaf1[4];

	if (!cpuid_vendor_is(cio, "AuthenticAMD") &&
	    !cpuid_vendor_is(cio, "HygonGenuine")) {
		volt_snprintf(why, why_len, "not an AMD processor");
		return PSTATE_OTHER_VENDOR;
	}
	cpuid_leaf_or_zero(cio, 1, leaf1);
	cpuid_leaf_or_zero(cio, CPUID_EXT_POWER, c.ext_power);
	cpuid_leaf_or_zero(cio, 6, c.leaf6);
	c.family = cpuid_family(leaf1[CPUID_EAX]);
	if (!(c.ext_power[CPUID_EDX] & CPUID_EXT_POWER_EDX_HWPSTATE)) {
		volt_snprintf(why, why_len,
			      "no hardware P-states (CPUID 8000_0007:EDX[7] "
			      "= 0)");
		return PSTATE_REFUSED;
	}
	c.format = amd_format(&c, why, why_len);
	if (c.format == AMD_DEF_NONE)
		return PSTATE_REFUSED;
	return amd_probe_msrs(io, &c, t, pc, why, why_len);
}

/* ---- set, read, average ------------------------------------------------- */

static int amd_set(const struct msr_io *io, const struct pstate_table *t,
		   struct pstate_cpu *pc, uint32_t idx)
{
	if (idx >= t->count)
		return -1;
	if (io->wr(MSR_AMD_PSTATE_CTL, t->states[idx].ctl & AMD_PSTATE_CMD_MASK))
		return -1;
	pc->cur = idx;
	return 0;
}

/* The state with that P-state number, else the next slower one the table
 * has (a disabled number between two enabled ones). */
static int amd_read_current(const struct msr_io *io,
			    const struct pstate_table *t,
			    struct pstate_cpu *pc)
{
	uint64_t status;

	if (t->count == 0 || io->rd(MSR_AMD_PSTATE_STATUS, &status))
		return -1;
	uint64_t n = status & AMD_PSTATE_CUR_MASK;
	for (uint32_t i = 0; i < t->count; i++)
		if (t->states[i].ctl >= n)
			return (int)i;
	return (int)t->count - 1;
}

static uint32_t amd_avg_khz(const struct msr_io *io,
			    const struct pstate_table *t, struct pstate_cpu *pc)
{
	return pstate_msr_avg_khz(io, t, pc, MSR_IA32_APERF, MSR_IA32_MPERF);
}

const struct pstate_driver pstate_amd_driver = {
	.name = "amd",
	.modeled = false,
	.probe = amd_probe,
	.set = amd_set,
	.read_current = amd_read_current,
	.avg_khz = amd_avg_khz,
};
