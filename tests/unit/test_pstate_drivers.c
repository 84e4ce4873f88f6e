/*
 * Host tests for the P-state drivers (arch/x86/pstate_intel.c,
 * arch/x86/pstate_amd.c, pm/pstate_modeled.c) against a mocked MSR file
 * and CPUID: the MSRs and values written for each state, detection of
 * absent or insane hardware with its reason (the emulators' behaviour
 * from EMULATORS.md: reads of 0 that swallow writes, or #GP; CPUID
 * captured from Bochs' skylake_x and tigerlake), the HWP path, average
 * frequency from APERF/MPERF, and the modeled driver with its table
 * checks. MSR numbers are written out from the SDM / BKDG / PPR here, on
 * purpose: the test does not share the drivers' constants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pm/msr_io.h"
#include "pm/pstate.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* ---- the mocked MSR file ------------------------------------------------ */

enum unknown_msr {
	UNKNOWN_FAULTS,     /* real hardware; Bochs ignore_bad_msrs=0 */
	UNKNOWN_READS_ZERO, /* Bochs ignore_bad_msrs=1, QEMU TCG */
};

struct mock_reg {
	uint32_t msr;
	uint64_t v;
	bool faults;        /* #GP on any access */
	bool ignores_writes;
};

#define MOCK_REGS 32
#define MOCK_LOG 256

static struct {
	struct mock_reg regs[MOCK_REGS];
	unsigned nregs;
	enum unknown_msr unknown;
	/* Hardware behaviour: the status register follows the request. */
	bool intel_status_follows, amd_status_follows;
	/* APERF/MPERF advance on every MPERF read. */
	bool counting;
	uint64_t mperf_step, aperf_step;
	struct { uint32_t msr; uint64_t v; } log[MOCK_LOG];
	unsigned nlog;
	unsigned reads;
} mock;

static struct mock_reg *reg_find(uint32_t msr)
{
	for (unsigned i = 0; i < mock.nregs; i++)
		if (mock.regs[i].msr == msr)
			return &mock.regs[i];
	return NULL;
}

static struct mock_reg *reg_set(uint32_t msr, uint64_t v)
{
	struct mock_reg *r = reg_find(msr);
	if (!r) {
		assert_true(mock.nregs < MOCK_REGS);
		r = &mock.regs[mock.nregs++];
		memset(r, 0, sizeof(*r));
		r->msr = msr;
	}
	r->v = v;
	return r;
}

static uint64_t reg_get(uint32_t msr)
{
	struct mock_reg *r = reg_find(msr);
	assert_non_null(r);
	return r->v;
}

static int mock_rd(uint32_t msr, uint64_t *v)
{
	struct mock_reg *r = reg_find(msr);

	mock.reads++;
	if (!r) {
		if (mock.unknown == UNKNOWN_FAULTS)
			return -1;
		*v = 0;
		return 0;
	}
	if (r->faults)
		return -1;
	if (msr == 0xe7 && mock.counting) {
		r->v += mock.mperf_step;
		reg_set(0xe8, reg_get(0xe8) + mock.aperf_step);
	}
	*v = r->v;
	return 0;
}

static int mock_wr(uint32_t msr, uint64_t v)
{
	struct mock_reg *r = reg_find(msr);

	assert_true(mock.nlog < MOCK_LOG);
	mock.log[mock.nlog].msr = msr;
	mock.log[mock.nlog].v = v;
	mock.nlog++;
	if (!r)
		return mock.unknown == UNKNOWN_FAULTS ? -1 : 0;
	if (r->faults)
		return -1;
	if (r->ignores_writes)
		return 0;
	r->v = v;
	if (msr == 0x199 && mock.intel_status_follows)
		reg_set(0x198, (reg_get(0x198) & ~0xffffull) | (v & 0xffff));
	if (msr == 0xc0010062 && mock.amd_status_follows)
		reg_set(0xc0010063, v & 7);
	return 0;
}

static const struct msr_io mock_io = { mock_rd, mock_wr };

/* The last value written to msr; fails if it was never written. */
static uint64_t last_write(uint32_t msr)
{
	for (unsigned i = mock.nlog; i-- > 0;)
		if (mock.log[i].msr == msr)
			return mock.log[i].v;
	fail_msg("MSR %#x never written", msr);
	return 0;
}

static unsigned writes_to(uint32_t msr)
{
	unsigned n = 0;
	for (unsigned i = 0; i < mock.nlog; i++)
		n += mock.log[i].msr == msr;
	return n;
}

/* ---- the mocked CPUID --------------------------------------------------- */

struct leaf {
	uint32_t leaf;
	uint32_t r[4];
};

#define CPUID_LEAVES 16
static struct leaf cpu_leaves[CPUID_LEAVES];
static unsigned ncpu_leaves;

static void mock_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	for (unsigned i = 0; i < ncpu_leaves; i++) {
		if (cpu_leaves[i].leaf == leaf) {
			memcpy(r, cpu_leaves[i].r, 16);
			return;
		}
	}
	memset(r, 0, 16);
}

static const struct cpuid_io mock_cpuid_io = { mock_cpuid };

static void cpuid_set(uint32_t leaf, uint32_t a, uint32_t b, uint32_t c,
		      uint32_t d)
{
	for (unsigned i = 0; i < ncpu_leaves; i++) {
		if (cpu_leaves[i].leaf == leaf) {
			uint32_t r[4] = { a, b, c, d };
			memcpy(cpu_leaves[i].r, r, 16);
			return;
		}
	}
	assert_true(ncpu_leaves < CPUID_LEAVES);
	cpu_leaves[ncpu_leaves].leaf = leaf;
	uint32_t r[4] = { a, b, c, d };
	memcpy(cpu_leaves[ncpu_leaves].r, r, 16);
	ncpu_leaves++;
}

/* "GenuineIntel", "AuthenticAMD" as CPUID leaf 0 returns them, in the
 * order cpuid_set takes registers: EBX, ECX, EDX. */
#define INTEL_VENDOR 0x756e6547, 0x6c65746e, 0x49656e69
#define AMD_VENDOR 0x68747541, 0x444d4163, 0x69746e65

static void cpuid_vendor(uint32_t max, uint32_t ebx, uint32_t ecx,
			 uint32_t edx)
{
	cpuid_set(0, max, ebx, ecx, edx);
}

static int reset(void **state)
{
	memset(&mock, 0, sizeof(mock));
	ncpu_leaves = 0;
	return 0;
}

static void reset_all(void)
{
	reset(NULL);
}

static struct pstate_table t;
static struct pstate_cpu pc;
static char why[PSTATE_WHY_LEN];

static int probe(const struct pstate_driver *d)
{
	memset(&t, 0xa5, sizeof(t));
	memset(&pc, 0xa5, sizeof(pc));
	why[0] = 0;
	return d->probe(&mock_io, &mock_cpuid_io, &t, &pc, why, sizeof(why));
}

static void assert_why(const char *needle)
{
	if (!strstr(why, needle))
		fail_msg("reason \"%s\" lacks \"%s\"", why, needle);
}

/* ==== Intel ============================================================== */

/* A Kaby Lake desktop (family 6 model 0x9e): EIST, APERF/MPERF, no HWP
 * enabled. PLATFORM_INFO: max non-turbo 36, max efficiency 8. */
static void intel_host(void)
{
	reset_all();
	cpuid_vendor(0x16, INTEL_VENDOR);
	cpuid_set(1, 0x000906e9, 0, 0x7ffafbbf, 0xbfebfbff);
	cpuid_set(6, 0x000027f7 & ~0x80u, 2, 0x9, 0);
	cpuid_set(7, 0, 0x029c6fbf, 0, 0x9c002400);
	mock.unknown = UNKNOWN_FAULTS;
	mock.intel_status_follows = true;
	reg_set(0xce, (8ull << 40) | (36ull << 8) | 0x80000000ull);
	reg_set(0x1a0, 0x840089);           /* EIST (bit 16) off */
	reg_set(0x199, (1ull << 32) | 0x1000);
	reg_set(0x198, 0x1000);
	reg_set(0xe7, 1000);
	reg_set(0xe8, 900);
	mock.counting = true;
	mock.mperf_step = 100;
	mock.aperf_step = 100;
}

static const uint32_t kbl_ratios[16] = { 36, 34, 32, 30, 29, 27, 25, 23,
					 21, 19, 17, 15, 14, 12, 10, 8 };

static void test_intel_eist_table(void **state)
{
	intel_host();
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.count, 16);
	for (unsigned i = 0; i < 16; i++) {
		assert_int_equal(t.states[i].khz, kbl_ratios[i] * 100000);
		assert_int_equal(t.states[i].ctl, kbl_ratios[i] << 8);
		assert_int_equal(t.states[i].mv, 0);
	}
	assert_int_equal(t.flags, PSTATE_F_APERF_MPERF);
	assert_int_equal(t.ref_khz, 3600000);
	assert_int_equal(pc.cur, 0);
	assert_false(pc.have_prev);
	assert_string_equal(pstate_label(&pstate_intel_driver, &t), "intel");
	assert_false(pstate_intel_driver.modeled);
	/* EIST turned on, other MISC_ENABLE bits kept. */
	assert_int_equal(last_write(0x1a0), 0x840089 | (1ull << 16));
	/* Left at the fastest state; bit 32 and the rest of PERF_CTL kept. */
	assert_int_equal(last_write(0x199), (1ull << 32) | 0x2400);
	/* No HWP MSR touched. */
	assert_int_equal(writes_to(0x770) + writes_to(0x774), 0);
}

static void test_intel_set_each_state(void **state)
{
	intel_host();
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	for (uint32_t i = 0; i < t.count; i++) {
		unsigned before = mock.nlog;
		assert_int_equal(pstate_intel_driver.set(&mock_io, &t, &pc, i),
				 0);
		assert_int_equal(mock.nlog, before + 1);
		assert_int_equal(mock.log[before].msr, 0x199);
		assert_int_equal(mock.log[before].v,
				 (1ull << 32) | (kbl_ratios[i] << 8));
		assert_int_equal(pc.cur, i);
		assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t,
								  &pc),
				 (int)i);
	}
	/* Out of range: refused, nothing written. */
	unsigned before = mock.nlog;
	assert_int_equal(pstate_intel_driver.set(&mock_io, &t, &pc, 16), -1);
	assert_int_equal(mock.nlog, before);
	assert_int_equal(pc.cur, 15);
}

static void test_intel_read_current_nearest(void **state)
{
	intel_host();
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	reg_set(0x198, 33 << 8);   /* between 34 and 32: ties go faster */
	assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t, &pc),
			 1);
	reg_set(0x198, 42 << 8);   /* turbo: the fastest state */
	assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t, &pc),
			 0);
	reg_set(0x198, (0x1234ull << 32) | (12 << 8) | 0xff); /* + voltage */
	assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t, &pc),
			 13);
	reg_find(0x198)->faults = true;
	assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t, &pc),
			 -1);
}

static void test_intel_avg_khz(void **state)
{
	intel_host();
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	mock.counting = false;
	assert_int_equal(pstate_intel_driver.set(&mock_io, &t, &pc, 8), 0);
	/* First call: no previous reading: the state's frequency. */
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 2100000);
	assert_true(pc.have_prev);
	/* Half as many APERF as MPERF ticks: half of 3.6 GHz. */
	reg_set(0xe7, reg_get(0xe7) + 2000000);
	reg_set(0xe8, reg_get(0xe8) + 1000000);
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 1800000);
	/* Turbo: APERF ahead of MPERF. */
	reg_set(0xe7, reg_get(0xe7) + 1000);
	reg_set(0xe8, reg_get(0xe8) + 1250);
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 4500000);
	/* Halted all along (MPERF did not move): the state's frequency. */
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 2100000);
	/* Counters wrap: deltas are modular. */
	reg_set(0xe7, UINT64_MAX - 99);
	reg_set(0xe8, UINT64_MAX - 49);
	pstate_intel_driver.avg_khz(&mock_io, &t, &pc);
	reg_set(0xe7, 300);   /* +400 */
	reg_set(0xe8, 250);   /* +300 */
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 2700000);
	/* Huge deltas do not overflow: scaled down together. */
	reg_set(0xe7, reg_get(0xe7) + (1ull << 62));
	reg_set(0xe8, reg_get(0xe8) + (1ull << 61));
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 1800000);
	/* Faulting counters: the state's frequency. */
	reg_find(0xe8)->faults = true;
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 2100000);
}

/* APERF/MPERF enumerated but not counting (both emulators): unused. */
static void test_intel_counters_not_counting(void **state)
{
	intel_host();
	mock.counting = false;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.flags, 0);
	assert_int_equal(t.ref_khz, 0);
	assert_int_equal(pstate_intel_driver.avg_khz(&mock_io, &t, &pc),
			 3600000);
	/* Not enumerated: unused even if they count. */
	intel_host();
	cpuid_set(6, 0x77, 2, 0x8, 0);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.flags, 0);
}

static void test_intel_small_range_and_nehalem(void **state)
{
	intel_host();
	reg_set(0xce, (16ull << 40) | (20ull << 8));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.count, 5);
	for (unsigned i = 0; i < 5; i++)
		assert_int_equal(t.states[i].khz, (20 - i) * 100000);
	/* min == max: one state. */
	reg_set(0xce, (20ull << 40) | (20ull << 8));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.count, 1);
	/* Nehalem (model 0x1e): 133.33 MHz bus clock. */
	cpuid_set(1, 0x000106e5, 0, 0x0098e3bd, 0xbfebfbff);
	reg_set(0xce, (9ull << 40) | (20ull << 8));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.states[0].khz, 20 * 133333);
	assert_int_equal(t.states[t.count - 1].khz, 9 * 133333);
	assert_int_equal(t.count, 12);
	/* Westmere-EP (model 0x2c) too. */
	cpuid_set(1, 0x000206c2, 0, 0x0098e3bd, 0xbfebfbff);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.states[0].khz, 20 * 133333);
}

/* Bochs corei7_skylake_x as captured (tests/unit/test_cpuid_filter.c):
 * EIST and APERF/MPERF advertised, no HWP. */
static void bochs_skylake_x(enum unknown_msr mode)
{
	cpuid_set(0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_set(1, 0x00050654, 0x00010800, 0x77faf3bf, 0xbfebfbff);
	cpuid_set(6, 0x00000075, 0x00000002, 0x00000009, 0);
	cpuid_set(7, 0, 0xd19f27eb, 0, 0);
	mock.unknown = mode;
}

static void test_intel_bochs_reads_zero(void **state)
{
	bochs_skylake_x(UNKNOWN_READS_ZERO);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("MSR_PLATFORM_INFO max non-turbo ratio is 0");
	assert_null(strstr(why, "HWP"));
	/* Refused before anything was written. */
	assert_int_equal(mock.nlog, 0);
}

static void test_intel_bochs_faults(void **state)
{
	bochs_skylake_x(UNKNOWN_FAULTS);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("MSR_PLATFORM_INFO (0xce) faults");
}

/* Bochs tigerlake advertises HWP too: both paths refused, and the
 * irreversible IA32_PM_ENABLE is never written (capabilities first). */
static void test_intel_bochs_tigerlake(void **state)
{
	cpuid_set(0, 0x1b, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_set(1, 0x000806c1, 0x00010800, 0x77faf3bf, 0xbfebfbff);
	cpuid_set(6, 0x0017eff7, 0x00000002, 0x00000009, 0);
	cpuid_set(7, 0, 0xf1bf27eb, 0x00405fce, 0xfc100510);
	mock.unknown = UNKNOWN_READS_ZERO;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("EIST: MSR_PLATFORM_INFO max non-turbo ratio is 0");
	assert_why("HWP: IA32_HWP_CAPABILITIES 0: levels not sane");
	assert_int_equal(writes_to(0x770), 0);
	mock.unknown = UNKNOWN_FAULTS;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("HWP: IA32_HWP_CAPABILITIES (0x771) faults");
	assert_int_equal(writes_to(0x770), 0);
}

static void test_intel_no_eist(void **state)
{
	intel_host();
	cpuid_set(1, 0x000906e9, 0, 0x7ffafbbf & ~0x80u, 0xbfebfbff);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("no EIST (CPUID.1:ECX[7] = 0)");
	assert_int_equal(mock.nlog, 0);
}

static void test_intel_insane_platform_info(void **state)
{
	intel_host();
	reg_set(0xce, (37ull << 40) | (36ull << 8));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("min ratio 37, max ratio 36");
	reg_set(0xce, 36ull << 8);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("min ratio 0");
	/* 255 x 100 MHz: not a processor. */
	reg_set(0xce, (8ull << 40) | (255ull << 8));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("implausible P-states: P0: 25500000 kHz");
	/* Every refusal happened before PERF_CTL was written. */
	assert_int_equal(writes_to(0x199), 0);
}

static void test_intel_status_does_not_follow(void **state)
{
	intel_host();
	mock.intel_status_follows = false;
	reg_set(0x198, 0x1000);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("IA32_PERF_STATUS does not follow IA32_PERF_CTL "
		   "(asked ratio 36, reads 0x1000)");
	/* A PERF_CTL that swallows writes (an emulator): same. */
	intel_host();
	reg_find(0x199)->ignores_writes = true;
	mock.intel_status_follows = false;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("does not follow");
	/* Faulting PERF_CTL, faulting PERF_STATUS. */
	intel_host();
	reg_find(0x199)->faults = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("IA32_PERF_CTL (0x199) faults");
	intel_host();
	reg_find(0x198)->faults = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("IA32_PERF_STATUS (0x198) faults");
}

static void test_intel_eist_locked_off(void **state)
{
	intel_host();
	reg_find(0x1a0)->ignores_writes = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("EIST is off in IA32_MISC_ENABLE and cannot be turned on");
	intel_host();
	reg_find(0x1a0)->faults = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("IA32_MISC_ENABLE (0x1a0) faults");
	/* Already on: not written again. */
	intel_host();
	reg_set(0x1a0, 0x840089 | (1ull << 16));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(writes_to(0x1a0), 0);
}

static void test_intel_vendor_family_model(void **state)
{
	intel_host();
	cpuid_set(0, 0xd, AMD_VENDOR);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OTHER_VENDOR);
	assert_why("not an Intel processor");
	intel_host();
	cpuid_set(1, 0x00000f41, 0, 0x80, 0);   /* NetBurst, family 0xf */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("family 0xf");
	cpuid_set(1, 0x00030678, 0, 0x80, 0);   /* Silvermont 0x37 */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("model 0x37: Atom (Silvermont)");
	cpuid_set(1, 0x0001067a, 0, 0x80, 0);   /* Penryn 0x17 */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("model 0x17 predates Nehalem");
	assert_int_equal(mock.nlog, 0);
}

/* A maximum basic leaf below 6: leaf 6 must read as zeros (on Intel a
 * leaf above the maximum returns the highest leaf's data). */
static void test_intel_low_max_leaf(void **state)
{
	intel_host();
	cpuid_set(0, 5, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_set(6, 0xffffffff, 0, 0xffffffff, 0);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.flags, 0);   /* no APERF, no HWP */
}

/* ---- Intel HWP ---------------------------------------------------------- */

/* HWP: highest 45, guaranteed 30, most efficient 12, lowest 8. */
static void hwp_host(bool already_on)
{
	intel_host();
	cpuid_set(6, 0x000027f7, 2, 0x9, 0);
	reg_set(0x771, (8ull << 24) | (12ull << 16) | (30ull << 8) | 45);
	reg_set(0x770, already_on ? 1 : 0);
	reg_set(0x774, (0x80ull << 24) | (45 << 8) | 8); /* EPP 0x80 */
	if (already_on) /* PERF_CTL is ignored once HWP is on */
		mock.intel_status_follows = false;
}

static void test_hwp_already_on(void **state)
{
	hwp_host(true);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.flags, PSTATE_F_HWP | PSTATE_F_APERF_MPERF);
	assert_string_equal(pstate_label(&pstate_intel_driver, &t),
			    "intel-hwp");
	/* 30 down to 8: 23 levels, spread over 16 states. */
	assert_int_equal(t.count, 16);
	assert_int_equal(t.states[0].khz, 3000000);
	assert_int_equal(t.states[15].khz, 800000);
	for (unsigned i = 1; i < 16; i++)
		assert_true(t.states[i].khz < t.states[i - 1].khz);
	/* MPERF counts at the base frequency from PLATFORM_INFO. */
	assert_int_equal(t.ref_khz, 3600000);
	/* Pinned to the guaranteed level; EPP kept; no PERF_CTL, no
	 * PM_ENABLE write. */
	assert_int_equal(last_write(0x774), (0x80ull << 24) | (30 << 8) | 30);
	assert_int_equal(writes_to(0x199) + writes_to(0x770), 0);
	for (uint32_t i = 0; i < t.count; i++) {
		assert_int_equal(pstate_intel_driver.set(&mock_io, &t, &pc, i),
				 0);
		uint32_t level = t.states[i].khz / 100000;
		assert_int_equal(last_write(0x774),
				 (0x80ull << 24) | (level << 8) | level);
		assert_int_equal(pstate_intel_driver.read_current(&mock_io, &t,
								  &pc),
				 (int)i);
	}
	assert_int_equal(writes_to(0x199), 0);
}

static void test_hwp_when_eist_refused(void **state)
{
	hwp_host(false);
	reg_set(0xce, 0);  /* EIST path refused */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_true(t.flags & PSTATE_F_HWP);
	assert_int_equal(last_write(0x770), 1);
	/* No PLATFORM_INFO base: MPERF's rate taken as guaranteed. */
	assert_int_equal(t.ref_khz, 3000000);
	/* EIST works: preferred, HWP (irreversible) left off. */
	hwp_host(false);
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_OK);
	assert_int_equal(t.flags & PSTATE_F_HWP, 0);
	assert_int_equal(writes_to(0x770), 0);
}

static void test_hwp_insane(void **state)
{
	hwp_host(true);
	reg_set(0x771, (31ull << 24) | (30ull << 8) | 45);  /* lowest > g */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("HWP is on: IA32_HWP_CAPABILITIES 0x1f001e2d: levels not "
		   "sane (lowest 31, guaranteed 30, highest 45)");
	assert_int_equal(writes_to(0x199), 0);  /* EIST not tried */
	hwp_host(true);
	reg_set(0x771, (8ull << 24) | (46ull << 8) | 45);   /* g > highest */
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	/* A request that does not read back. */
	hwp_host(true);
	reg_find(0x774)->ignores_writes = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("IA32_HWP_REQUEST does not read back");
	/* PM_ENABLE that does not stay set. */
	hwp_host(false);
	reg_set(0xce, 0);
	reg_find(0x770)->ignores_writes = true;
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("HWP: IA32_PM_ENABLE does not stay set");
	/* Hybrid parts: HWP levels are not 100 MHz. */
	hwp_host(true);
	cpuid_set(7, 0, 0x029c6fbf, 0, 0x9c002400 | (1u << 15));
	assert_int_equal(probe(&pstate_intel_driver), PSTATE_REFUSED);
	assert_why("hybrid");
}

/* ==== AMD ================================================================ */

static uint64_t zen_def(uint32_t fid, uint32_t dfs, uint32_t vid)
{
	return (1ull << 63) | ((uint64_t)vid << 14) | ((uint64_t)dfs << 8) |
	       fid;
}

static void amd_cpuid(uint32_t eax1, uint32_t ext_power_edx)
{
	cpuid_vendor(0x10, AMD_VENDOR);
	cpuid_set(1, eax1, 0, 0x7ed8320b, 0x178bfbff);
	cpuid_set(6, 0x4, 0, 0x1, 0);
	cpuid_set(0x80000000, 0x80000020, 0, 0, 0);
	cpuid_set(0x80000007, 0, 0x3b, 0, ext_power_edx);
}

/* A Zen 2 desktop (family 17h model 71h): P0 3.4 GHz, P1 2.8 GHz,
 * P2 2.2 GHz; PstateMaxVal 2, no limit. */
static void zen2_host(void)
{
	reset_all();
	amd_cpuid(0x00870f10, 0x6799);
	mock.unknown = UNKNOWN_FAULTS;
	mock.amd_status_follows = true;
	reg_set(0xc0010061, 2 << 4);
	reg_set(0xc0010062, 2);
	reg_set(0xc0010063, 2);
	reg_set(0xc0010064, zen_def(0x88, 8, 0x40));
	reg_set(0xc0010065, zen_def(0x70, 8, 0x58));
	reg_set(0xc0010066, zen_def(0x58, 8, 0x68));
	reg_set(0xc0010067, 0);
	reg_set(0xe7, 0);
	reg_set(0xe8, 0);
	mock.counting = true;
	mock.mperf_step = 10;
	mock.aperf_step = 10;
}

static void test_amd_zen_table(void **state)
{
	zen2_host();
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.count, 3);
	/* 200 MHz x FID / DfsId; SVI2: 1550 mV - 6.25 mV x VID. */
	assert_int_equal(t.states[0].khz, 3400000);
	assert_int_equal(t.states[0].mv, 1150);
	assert_int_equal(t.states[1].khz, 2800000);
	assert_int_equal(t.states[1].mv, 1000);
	assert_int_equal(t.states[2].khz, 2200000);
	assert_int_equal(t.states[2].mv, 900);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(t.states[i].ctl, i);
	assert_int_equal(t.flags, PSTATE_F_APERF_MPERF);
	assert_int_equal(t.ref_khz, 3400000);  /* MPERF counts at P0 */
	assert_int_equal(pc.cur, 0);
	assert_int_equal(last_write(0xc0010062), 0);
	assert_string_equal(pstate_label(&pstate_amd_driver, &t), "amd");
	/* Non-integer divisors: DfsId 0xA is /1.25: 124 x 25 / 1.25. */
	reg_set(0xc0010065, zen_def(124, 0xa, 0x58));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.states[1].khz, 2480000);
}

static void test_amd_set_read_avg(void **state)
{
	zen2_host();
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	for (uint32_t i = 0; i < 3; i++) {
		unsigned before = mock.nlog;
		assert_int_equal(pstate_amd_driver.set(&mock_io, &t, &pc, i), 0);
		assert_int_equal(mock.nlog, before + 1);
		assert_int_equal(mock.log[before].msr, 0xc0010062);
		assert_int_equal(mock.log[before].v, i);
		assert_int_equal(pstate_amd_driver.read_current(&mock_io, &t,
								&pc),
				 (int)i);
	}
	assert_int_equal(pstate_amd_driver.set(&mock_io, &t, &pc, 3), -1);
	mock.counting = false;
	assert_int_equal(pstate_amd_driver.avg_khz(&mock_io, &t, &pc),
			 2200000);
	reg_set(0xe7, reg_get(0xe7) + 3400);
	reg_set(0xe8, reg_get(0xe8) + 2200);
	assert_int_equal(pstate_amd_driver.avg_khz(&mock_io, &t, &pc),
			 2200000);
	reg_set(0xe7, reg_get(0xe7) + 1000);
	reg_set(0xe8, reg_get(0xe8) + 500);
	assert_int_equal(pstate_amd_driver.avg_khz(&mock_io, &t, &pc),
			 1700000);
	reg_find(0xc0010063)->faults = true;
	assert_int_equal(pstate_amd_driver.read_current(&mock_io, &t, &pc),
			 -1);
}

/* Phenom II (family 10h): 100 MHz x (FID + 10h) / 2^DID, no voltage. */
static void test_amd_family_10h(void **state)
{
	zen2_host();
	amd_cpuid(0x00100f42, 0x1f9);   /* HwPstate, no CPB */
	reg_set(0xc0010061, 3 << 4);
	reg_set(0xc0010064, (1ull << 63) | (0x20ull << 9) | 0x0e);
	reg_set(0xc0010065, (1ull << 63) | (0x28ull << 9) | 0x0a);
	reg_set(0xc0010066, (1ull << 63) | (1ull << 6) | 0x10);
	reg_set(0xc0010067, (1ull << 63) | (1ull << 6) | 0x00);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.count, 4);
	assert_int_equal(t.states[0].khz, 3000000);
	assert_int_equal(t.states[1].khz, 2600000);
	assert_int_equal(t.states[2].khz, 1600000);
	assert_int_equal(t.states[3].khz, 800000);
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(t.states[i].mv, 0);
	/* A reserved divisor (DID 5). */
	reg_set(0xc0010067, (1ull << 63) | (5ull << 6));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state 3: invalid frequency encoding");
	/* With core performance boost: refused (boost states in PCI). */
	amd_cpuid(0x00600f12, 0x7d9);   /* family 15h, CPB */
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("family 0x15 with boost");
}

/* Zen 5 (family 1Ah): CpuFid[11:0] x 5 MHz; Hygon (family 18h). */
static void test_amd_zen5_and_hygon(void **state)
{
	zen2_host();
	amd_cpuid(0x00b40f40, 0x6799);
	reg_set(0xc0010064, (1ull << 63) | (0x50ull << 14) | 0x2bc);
	reg_set(0xc0010065, (1ull << 63) | (0x48ull << 14) | 0x190);
	reg_set(0xc0010066, (1ull << 63) | (0x40ull << 14) | 0x0f0);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.states[0].khz, 3500000);
	assert_int_equal(t.states[1].khz, 2000000);
	assert_int_equal(t.states[2].khz, 1200000);
	assert_int_equal(t.states[0].mv, 0);   /* SVI3: unknown */
	zen2_host();
	cpuid_set(0, 0xd, 0x6f677948, 0x656e6975, 0x6e65476e);
	cpuid_set(1, 0x00900f02, 0, 0, 0);     /* Hygon family 18h */
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.states[0].khz, 3400000);
	assert_int_equal(t.states[0].mv, 1150);
}

/* A disabled P-state between enabled ones is skipped; its number, if
 * the hardware reports it, maps to the next slower state. */
static void test_amd_disabled_middle_state(void **state)
{
	zen2_host();
	reg_set(0xc0010065, zen_def(0x70, 8, 0x58) & ~(1ull << 63));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.count, 2);
	assert_int_equal(t.states[1].ctl, 2);
	assert_int_equal(t.states[1].khz, 2200000);
	assert_int_equal(pstate_amd_driver.set(&mock_io, &t, &pc, 1), 0);
	assert_int_equal(last_write(0xc0010062), 2);
	reg_set(0xc0010063, 1);
	assert_int_equal(pstate_amd_driver.read_current(&mock_io, &t, &pc), 1);
	reg_set(0xc0010063, 7);
	assert_int_equal(pstate_amd_driver.read_current(&mock_io, &t, &pc), 1);
}

static void test_amd_absent_or_insane(void **state)
{
	/* QEMU -cpu EPYC: only invariant TSC in 8000_0007:EDX. */
	zen2_host();
	cpuid_set(0x80000007, 0, 0, 0, 0x100);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("no hardware P-states (CPUID 8000_0007:EDX[7] = 0)");
	assert_int_equal(mock.nlog, 0);
	/* Extended leaves stop below 8000_0007. */
	zen2_host();
	cpuid_set(0x80000000, 0x80000001, 0, 0, 0);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("no hardware P-states");
	/* An emulator that advertises HwPstate, MSRs reading 0. */
	reset_all();
	amd_cpuid(0x00870f10, 0x6799);
	mock.unknown = UNKNOWN_READS_ZERO;
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state 0 is not enabled");
	/* ... or faulting. */
	mock.unknown = UNKNOWN_FAULTS;
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state current limit (0xc0010061) faults");
	zen2_host();
	reg_find(0xc0010065)->faults = true;
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state 1 definition (0xc0010065) faults");
	/* P0 disabled. */
	zen2_host();
	reg_set(0xc0010064, zen_def(0x88, 8, 0x40) & ~(1ull << 63));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state 0 is not enabled");
	/* DfsId 0, FID 0. */
	zen2_host();
	reg_set(0xc0010065, zen_def(0x70, 0, 0x58));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state 1: invalid frequency encoding");
	zen2_host();
	reg_set(0xc0010066, zen_def(0, 8, 0x58));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	/* P1 faster than P0. */
	zen2_host();
	reg_set(0xc0010065, zen_def(0x90, 8, 0x58));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("implausible P-states: P1 (3600000 kHz) is not slower");
	/* 200 MHz x 255 / 1: 51 GHz. */
	zen2_host();
	reg_set(0xc0010064, zen_def(0xff, 1, 0x40));
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("outside");
	/* The limit register out of its own range. */
	zen2_host();
	reg_set(0xc0010061, (1 << 4) | 3);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("CurPstateLimit 3 > PstateMaxVal 1");
	/* Nothing was requested by any refused probe above. */
	assert_int_equal(writes_to(0xc0010062), 0);
}

static void test_amd_status_does_not_follow(void **state)
{
	zen2_host();
	mock.amd_status_follows = false;
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state status does not follow the control (asked P0, "
		   "reads 0x2)");
	zen2_host();
	reg_find(0xc0010062)->faults = true;
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("P-state control (0xc0010062) faults");
}

/* A firmware limit (CurPstateLimit 1): the probe requests P1 and starts
 * there; the faster P0 stays in the table. */
static void test_amd_current_limit(void **state)
{
	zen2_host();
	reg_set(0xc0010061, (2 << 4) | 1);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.count, 3);
	assert_int_equal(pc.cur, 1);
	assert_int_equal(last_write(0xc0010062), 1);
	/* PstateMaxVal 1: P2 is not offered even though it is enabled. */
	zen2_host();
	reg_set(0xc0010061, 1 << 4);
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OK);
	assert_int_equal(t.count, 2);
}

static void test_amd_vendor_family(void **state)
{
	intel_host();
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_OTHER_VENDOR);
	assert_why("not an AMD processor");
	zen2_host();
	cpuid_set(1, 0x00040f12, 0, 0, 0);   /* family 0Fh, K8 */
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("family 0xf uses FIDVID_CTL");
	cpuid_set(1, 0x00300f10, 0, 0, 0);   /* family 12h, Llano */
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_why("family 0x12: P-state definition format not supported");
	cpuid_set(1, 0x00c00f00, 0, 0, 0);   /* family 1Bh */
	assert_int_equal(probe(&pstate_amd_driver), PSTATE_REFUSED);
	assert_int_equal(mock.nlog, 0);
}

/* ==== modeled ============================================================ */

static void test_modeled_default(void **state)
{
	static const uint32_t mhz[] = { 2800, 2400, 2000, 1600, 1200 };
	static const uint32_t mv[] = { 1200, 1100, 1000, 900, 800 };

	memset(&t, 0, sizeof(t));
	assert_int_equal(pstate_modeled_driver.probe(&mock_io, &mock_cpuid_io,
						     &t, &pc, why,
						     sizeof(why)),
			 PSTATE_OK);
	assert_true(pstate_modeled_driver.modeled);
	assert_string_equal(pstate_label(&pstate_modeled_driver, &t),
			    "modeled");
	assert_int_equal(t.count, 5);
	for (unsigned i = 0; i < 5; i++) {
		assert_int_equal(t.states[i].khz, mhz[i] * 1000);
		assert_int_equal(t.states[i].mv, mv[i]);
	}
	assert_int_equal(pstate_fmax_khz(&t), 2800000);
	assert_int_equal(pstate_fmin_khz(&t), 1200000);
	assert_int_equal(pc.cur, 0);
	for (uint32_t i = 0; i < 5; i++) {
		assert_int_equal(pstate_modeled_driver.set(NULL, &t, &pc, i), 0);
		assert_int_equal(pstate_modeled_driver.read_current(NULL, &t,
								    &pc),
				 (int)i);
		assert_int_equal(pstate_modeled_driver.avg_khz(NULL, &t, &pc),
				 mhz[i] * 1000);
	}
	assert_int_equal(pstate_modeled_driver.set(NULL, &t, &pc, 5), -1);
	assert_int_equal(pc.cur, 4);
	/* It never touches hardware. */
	assert_int_equal(mock.nlog + mock.reads, 0);
}

static void test_modeled_config_table(void **state)
{
	memset(&t, 0, sizeof(t));
	t.count = 3;
	t.states[0] = (struct pstate){ 3000000, 1100, 77 };
	t.states[1] = (struct pstate){ 2000000, 0, 0 };
	t.states[2] = (struct pstate){ 1000000, 700, 0 };
	t.flags = PSTATE_F_HWP;
	assert_int_equal(pstate_modeled_driver.probe(NULL, NULL, &t, &pc, why,
						     sizeof(why)),
			 PSTATE_OK);
	assert_int_equal(t.count, 3);
	assert_int_equal(t.states[0].khz, 3000000);
	assert_int_equal(t.states[0].ctl, 0);
	assert_int_equal(t.states[1].mv, 0);
	assert_int_equal(t.flags, 0);
}

static int check(uint32_t n, const uint32_t *mhz, const uint32_t *mv)
{
	memset(&t, 0, sizeof(t));
	t.count = n;
	for (uint32_t i = 0; i < n && i < PSTATE_MAX; i++) {
		t.states[i].khz = mhz[i] * 1000;
		t.states[i].mv = mv ? mv[i] : 0;
	}
	why[0] = 0;
	return pstate_table_check(&t, why, sizeof(why));
}

static void test_table_check(void **state)
{
	const uint32_t ok[] = { 3000, 2000, 1000 };
	const uint32_t up[] = { 1000, 2000 };
	const uint32_t dup[] = { 2000, 2000 };
	const uint32_t slow[] = { 2000, 99 };
	const uint32_t fast[] = { 10001, 2000 };
	const uint32_t mv_ok[] = { 1200, 1000, 900 };
	const uint32_t mv_up[] = { 900, 1000, 800 };
	const uint32_t mv_low[] = { 1200, 1000, 299 };
	const uint32_t mv_high[] = { 2001, 1000, 900 };
	uint32_t many[PSTATE_MAX + 1];

	assert_int_equal(check(3, ok, NULL), 0);
	assert_int_equal(check(3, ok, mv_ok), 0);
	assert_int_equal(check(0, ok, NULL), -1);
	assert_string_equal(why, "0 P-states (1-16 allowed)");
	assert_int_equal(check(2, up, NULL), -1);
	assert_string_equal(why, "P1 (2000000 kHz) is not slower than P0 "
				 "(1000000 kHz): list states fastest first, "
				 "each frequency once");
	assert_int_equal(check(2, dup, NULL), -1);
	assert_int_equal(check(2, slow, NULL), -1);
	assert_string_equal(why, "P1: 99000 kHz is outside 100-10000 MHz");
	assert_int_equal(check(2, fast, NULL), -1);
	assert_int_equal(check(3, ok, mv_up), -1);
	assert_string_equal(why, "P1 needs more voltage (1000 mV) than the "
				 "faster P0 (900 mV)");
	assert_int_equal(check(3, ok, mv_low), -1);
	assert_string_equal(why, "P2: 299 mV is outside 300-2000 mV");
	assert_int_equal(check(3, ok, mv_high), -1);
	for (unsigned i = 0; i <= PSTATE_MAX; i++)
		many[i] = 5000 - 100 * i;
	assert_int_equal(check(PSTATE_MAX, many, NULL), 0);
	assert_int_equal(check(PSTATE_MAX + 1, many, NULL), -1);
	assert_string_equal(why, "17 P-states (1-16 allowed)");
	/* A bad config table is refused by the modeled probe too. */
	check(2, up, NULL);
	assert_int_equal(pstate_modeled_driver.probe(NULL, NULL, &t, &pc, why,
						     sizeof(why)),
			 PSTATE_REFUSED);
	assert_non_null(strstr(why, "not slower"));
}

static void test_duty_cycle(void **state)
{
	pstate_modeled_default_table(&t);
	assert_int_equal(pstate_duty_run_ns(&t, 0, 10000000), 10000000);
	assert_int_equal(pstate_duty_run_ns(&t, 1, 10000000), 8571428);
	assert_int_equal(pstate_duty_run_ns(&t, 4, 10000000), 4285714);
	assert_int_equal(pstate_duty_run_ns(&t, 4, 2800000), 1200000);
	assert_int_equal(pstate_duty_run_ns(&t, 4, 1), 1);  /* never 0 */
	assert_int_equal(pstate_duty_run_ns(&t, 4, 0), 0);
	assert_int_equal(pstate_duty_run_ns(&t, 5, 1000), 1000);
	/* No overflow for enormous periods. */
	assert_int_equal(pstate_duty_run_ns(&t, 4, UINT64_MAX),
			 UINT64_MAX / 2800000 * 1200000 +
				 (UINT64_MAX % 2800000) * 1200000 / 2800000);
}

static void test_table_helpers(void **state)
{
	pstate_modeled_default_table(&t);
	assert_int_equal(pstate_index_at_or_above(&t, 0), 4);
	assert_int_equal(pstate_index_at_or_above(&t, 1200000), 4);
	assert_int_equal(pstate_index_at_or_above(&t, 1200001), 3);
	assert_int_equal(pstate_index_at_or_above(&t, 2800000), 0);
	assert_int_equal(pstate_index_at_or_above(&t, 9000000), 0);
	assert_int_equal(pstate_index_nearest(&t, 0), 4);
	assert_int_equal(pstate_index_nearest(&t, 2200000), 1); /* tie */
	assert_int_equal(pstate_index_nearest(&t, 2100000), 2);
	assert_int_equal(pstate_index_nearest(&t, UINT64_MAX), 0);
	assert_int_equal(pstate_counters_khz(100, 0, 1000), 0);
	assert_int_equal(pstate_counters_khz(100, 200, 0), 0);
	assert_int_equal(pstate_counters_khz(UINT64_MAX, UINT64_MAX, 3000000),
			 3000000);
	assert_int_equal(pstate_counters_khz(UINT64_MAX, 1, 3000000),
			 0);  /* MPERF halved away: unknown */
	assert_int_equal(pstate_counters_khz(1ull << 40, 1, 1000000),
			 UINT32_MAX);  /* clamped */
	struct pstate_table empty = { 0 };
	assert_int_equal(pstate_fmax_khz(&empty), 0);
	assert_int_equal(pstate_fmin_khz(&empty), 0);
}

/* The CPUID helpers the drivers share. */
static void test_cpuid_helpers(void **state)
{
	assert_int_equal(cpuid_family(0x000906e9), 6);
	assert_int_equal(cpuid_model(0x000906e9), 0x9e);
	assert_int_equal(cpuid_family(0x00870f10), 0x17);
	assert_int_equal(cpuid_model(0x00870f10), 0x71);
	assert_int_equal(cpuid_family(0x00b40f40), 0x1a);
	assert_int_equal(cpuid_family(0x00100f42), 0x10);
	assert_int_equal(cpuid_model(0x00100f42), 0x04);
	/* Extended model ignored for families other than 6 and 0xf. */
	assert_int_equal(cpuid_model(0x00f50550), 0x05);
	cpuid_vendor(0xd, INTEL_VENDOR);
	assert_true(cpuid_vendor_is(&mock_cpuid_io, "GenuineIntel"));
	assert_false(cpuid_vendor_is(&mock_cpuid_io, "GenuineIntex"));
	assert_false(cpuid_vendor_is(&mock_cpuid_io, "AuthenticAMD"));
	/* Hostile maxima: a basic maximum with bit 31 set. */
	uint32_t r[4];
	cpuid_set(0, 0x80000010, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_set(6, 1, 2, 3, 4);
	cpuid_leaf_or_zero(&mock_cpuid_io, 6, r);
	assert_int_equal(r[0] | r[1] | r[2] | r[3], 0);
	cpuid_set(0, 6, 0x756e6547, 0x6c65746e, 0x49656e69);
	cpuid_leaf_or_zero(&mock_cpuid_io, 6, r);
	assert_int_equal(r[3], 4);
	/* Extended maximum without bit 31 (old processors): no leaves. */
	cpuid_set(0x80000000, 0x00000010, 0, 0, 0);
	cpuid_set(0x80000007, 0, 0, 0, 0x80);
	cpuid_leaf_or_zero(&mock_cpuid_io, 0x80000007, r);
	assert_int_equal(r[3], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_intel_eist_table, reset),
		cmocka_unit_test_setup(test_intel_set_each_state, reset),
		cmocka_unit_test_setup(test_intel_read_current_nearest, reset),
		cmocka_unit_test_setup(test_intel_avg_khz, reset),
		cmocka_unit_test_setup(test_intel_counters_not_counting, reset),
		cmocka_unit_test_setup(test_intel_small_range_and_nehalem,
				       reset),
		cmocka_unit_test_setup(test_intel_bochs_reads_zero, reset),
		cmocka_unit_test_setup(test_intel_bochs_faults, reset),
		cmocka_unit_test_setup(test_intel_bochs_tigerlake, reset),
		cmocka_unit_test_setup(test_intel_no_eist, reset),
		cmocka_unit_test_setup(test_intel_insane_platform_info, reset),
		cmocka_unit_test_setup(test_intel_status_does_not_follow,
				       reset),
		cmocka_unit_test_setup(test_intel_eist_locked_off, reset),
		cmocka_unit_test_setup(test_intel_vendor_family_model, reset),
		cmocka_unit_test_setup(test_intel_low_max_leaf, reset),
		cmocka_unit_test_setup(test_hwp_already_on, reset),
		cmocka_unit_test_setup(test_hwp_when_eist_refused, reset),
		cmocka_unit_test_setup(test_hwp_insane, reset),
		cmocka_unit_test_setup(test_amd_zen_table, reset),
		cmocka_unit_test_setup(test_amd_set_read_avg, reset),
		cmocka_unit_test_setup(test_amd_family_10h, reset),
		cmocka_unit_test_setup(test_amd_zen5_and_hygon, reset),
		cmocka_unit_test_setup(test_amd_disabled_middle_state, reset),
		cmocka_unit_test_setup(test_amd_absent_or_insane, reset),
		cmocka_unit_test_setup(test_amd_status_does_not_follow, reset),
		cmocka_unit_test_setup(test_amd_current_limit, reset),
		cmocka_unit_test_setup(test_amd_vendor_family, reset),
		cmocka_unit_test_setup(test_modeled_default, reset),
		cmocka_unit_test_setup(test_modeled_config_table, reset),
		cmocka_unit_test_setup(test_table_check, reset),
		cmocka_unit_test_setup(test_duty_cycle, reset),
		cmocka_unit_test_setup(test_table_helpers, reset),
		cmocka_unit_test_setup(test_cpuid_helpers, reset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
