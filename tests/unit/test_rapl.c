/*
 * Host tests for the RAPL readers (arch/x86/rapl.c) against a mocked
 * msr_io: units (1/2^ESU J, exact conversion), the 32-bit wrap, Intel's
 * and AMD's MSRs, and refusal of absent or insane hardware: the
 * emulators' all-zero MSRs (Bochs ignore_bad_msrs=1, QEMU TCG), #GP
 * (Bochs ignore_bad_msrs=0), reserved bits, counters that do not move or
 * move implausibly. RAPL is read-only: no test may see a write.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/rapl.h"

#define MS 1000000ull

/* ---- the mock: each MSR returns its values in turn, then the last ------ */

#define MAX_MSRS 8
#define MAX_VALS 8

static struct mock_msr {
	uint32_t msr;
	bool gp;
	uint64_t vals[MAX_VALS];
	int nvals, next;
	int reads;
} msrs[MAX_MSRS];
static int nmsrs, writes, unknown_reads;

static struct mock_msr *mock_find(uint32_t msr)
{
	for (int i = 0; i < nmsrs; i++)
		if (msrs[i].msr == msr)
			return &msrs[i];
	return NULL;
}

static int mock_rd(uint32_t msr, uint64_t *v)
{
	struct mock_msr *m = mock_find(msr);

	if (!m) {
		unknown_reads++;
		return -1;      /* not implemented: #GP */
	}
	m->reads++;
	if (m->gp)
		return -1;
	*v = m->vals[m->next];
	if (m->next + 1 < m->nvals)
		m->next++;
	return 0;
}

static int mock_wr(uint32_t msr, uint64_t v)
{
	writes++;
	return -1;
}

static const struct msr_io mock_io = { mock_rd, mock_wr };

/* The MSR returns v0, v1, ... (up to MAX_VALS values, ended by ~0ull). */
static struct mock_msr *mock_set(uint32_t msr, uint64_t v0, ...)
{
	struct mock_msr *m = &msrs[nmsrs++];
	va_list ap;
	uint64_t v = v0;

	*m = (struct mock_msr){ .msr = msr };
	va_start(ap, v0);
	while (v != ~0ull && m->nvals < MAX_VALS) {
		m->vals[m->nvals++] = v;
		v = va_arg(ap, uint64_t);
	}
	va_end(ap);
	return m;
}

#define END (~0ull)

static void mock_gp(uint32_t msr)
{
	mock_set(msr, 0ull, END)->gp = true;
}

static int setup(void **state)
{
	memset(msrs, 0, sizeof(msrs));
	nmsrs = writes = unknown_reads = 0;
	return 0;
}

static int teardown(void **state)
{
	assert_int_equal(writes, 0);
	return 0;
}

/* A Skylake client: PU 3, ESU 14 (61 uJ), TU 10. */
#define INTEL_UNITS 0x000a0e03ull
/* Zen: PU 3, ESU 16 (15.3 uJ), TU 10. */
#define AMD_UNITS 0x000a1003ull

static char why[128];

/* ---- units ------------------------------------------------------------- */

static void test_counts_to_uj(void **state)
{
	assert_int_equal(rapl_counts_to_uj(16384, 14), 1000000);
	assert_int_equal(rapl_counts_to_uj(1, 14), 61);     /* 61.03515625 */
	assert_int_equal(rapl_counts_to_uj(1, 16), 15);     /* 15.2587890625 */
	assert_int_equal(rapl_counts_to_uj(3, 16), 45);     /* 45.7763671875 */
	assert_int_equal(rapl_counts_to_uj(65536 * 10 + 1, 16), 10000015);
	assert_int_equal(rapl_counts_to_uj(0, 14), 0);
	/* Many wraps' worth (2^40 counts of 1/2^16 J = 16777216 J). */
	assert_int_equal(rapl_counts_to_uj(1ull << 40, 16),
			 16777216ull * 1000000);
	assert_int_equal(rapl_counts_to_uj(5, RAPL_ESU_MAX + 1), 0);
}

/* ---- Intel ------------------------------------------------------------- */

static void intel_machine(void)
{
	mock_set(0x606, INTEL_UNITS, END);
	/* 1 W for 10 ms = 10 mJ = 163.84 counts of 61 uJ: 164. */
	mock_set(0x611, 1000ull, 1164ull, 1164ull + 16384, END);
	mock_set(0x639, 500ull, 600ull, 600ull + 8192, END);
	mock_set(0x619, 7ull, 17ull, 17ull + 1638, END);
}

static void test_intel_present(void **state)
{
	struct rapl r;

	intel_machine();
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(r.esu, 14);
	assert_false(r.present);
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), 0);
	assert_true(r.present);
	assert_true(rapl_domain_present(&r, RAPL_PKG));
	assert_true(rapl_domain_present(&r, RAPL_CORE));
	assert_true(rapl_domain_present(&r, RAPL_DRAM));
	assert_int_equal(rapl_energy_uj(&r, RAPL_PKG), 10009); /* 164 x 61.03 */
	assert_int_equal(rapl_sample(&r), 0);
	assert_int_equal(rapl_energy_uj(&r, RAPL_PKG), 1000000 + 10009);
	/* 1 count = 1e6 / 16384 uJ = 15625 / 256 uJ. */
	assert_int_equal(rapl_energy_uj(&r, RAPL_CORE),
			 (8192 + 100) * 15625 / 256);
	assert_int_equal(rapl_energy_uj(&r, RAPL_DRAM),
			 (1638 + 10) * 15625 / 256);
	assert_int_equal(unknown_reads, 0);
	assert_int_equal(mock_find(0x611)->reads, 3);
	assert_string_equal(rapl_domain_name(RAPL_INTEL, RAPL_CORE),
			    "cores (PP0)");
	assert_string_equal(rapl_domain_name(RAPL_AMD, RAPL_CORE), "core");
}

/* 32-bit counters wrap; the sum goes on past 2^32 counts. */
static void test_wrap(void **state)
{
	struct rapl r;

	mock_set(0x606, AMD_UNITS, END);  /* ESU 16 */
	mock_set(0x611, 0xffffff00ull, 0x00000100ull, 0xfffffff0ull,
		 0x00000010ull, 0x80000010ull, 0x00000010ull, END);
	mock_gp(0x639);
	mock_gp(0x619);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 100 * MS, why, sizeof(why)), 0);
	assert_int_equal(r.dom[RAPL_PKG].counts, 0x200);
	assert_false(rapl_domain_present(&r, RAPL_CORE));
	assert_false(rapl_domain_present(&r, RAPL_DRAM));
	assert_int_equal(rapl_energy_uj(&r, RAPL_CORE), 0);
	for (int i = 0; i < 3; i++)
		assert_int_equal(rapl_sample(&r), 0);
	/* 0x100 -> 0xfffffff0 -> 0x10 -> 0x80000010 -> 0x10 */
	assert_int_equal(r.dom[RAPL_PKG].counts,
			 0x200ull + 0xfffffef0ull + 0x20 + 0x80000000ull);
	assert_int_equal(rapl_sample(&r), 0);
	assert_int_equal(r.dom[RAPL_PKG].counts,
			 0x200ull + 0xfffffef0ull + 0x20 + 0x100000000ull);
	assert_true(r.dom[RAPL_PKG].counts > 0xffffffffull);
	assert_int_equal(rapl_energy_uj(&r, RAPL_PKG),
			 rapl_counts_to_uj(r.dom[RAPL_PKG].counts, 16));
}

/* ---- absent or insane hardware ------------------------------------------ */

/* Bochs with ignore_bad_msrs=1, QEMU TCG: every power MSR reads 0. */
static void test_emulator_zeros(void **state)
{
	struct rapl r;

	mock_set(0x606, 0ull, END);
	mock_set(0x611, 0ull, END);
	mock_set(0x639, 0ull, END);
	mock_set(0x619, 0ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), -1);
	assert_non_null(strstr(why, "implausible"));
	assert_false(r.present);
}

/* Bochs with ignore_bad_msrs=0: #GP although CPUID advertises. */
static void test_gp(void **state)
{
	struct rapl r;

	mock_gp(0x606);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), -1);
	assert_non_null(strstr(why, "faulted"));
	/* Units fine, package counter #GPs. */
	setup(NULL);
	mock_set(0x606, INTEL_UNITS, END);
	mock_gp(0x611);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), -1);
	assert_non_null(strstr(why, "0x611"));
	/* No why buffer: still refused, nothing written anywhere. */
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, NULL, 0), -1);
}

static void test_insane_units(void **state)
{
	static const uint64_t bad[] = {
		0xffffffffffffffffull,          /* all ones */
		INTEL_UNITS | (1ull << 40),     /* reserved high bits */
		INTEL_UNITS | (1ull << 5),      /* reserved bits 7:4 */
		(INTEL_UNITS & ~0x1f00ull) | (7ull << 8),  /* ESU 7: 7.8 mJ */
		(INTEL_UNITS & ~0x1f00ull) | (21ull << 8), /* ESU 21: 0.5 uJ */
	};
	struct rapl r;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setup(NULL);
		mock_set(0x606, bad[i], END);
		mock_set(0x611, 1ull, 1000ull, END);
		assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
					    sizeof(why)), -1);
	}
	/* The limits themselves are accepted. */
	setup(NULL);
	mock_set(0x606, 8ull << 8, END);
	mock_set(0x611, 1ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	setup(NULL);
	mock_set(0x606, 20ull << 8, END);
	mock_set(0x611, 1ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
}

/* A counter MSR with its reserved upper half set is not a counter. */
static void test_insane_counter(void **state)
{
	struct rapl r;

	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 0xdead00000001ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), -1);
}

/* Plausible units but a frozen counter (an emulator returning a fixed
 * value): refused after the busy wait. */
static void test_counter_does_not_move(void **state)
{
	struct rapl r;

	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 0x1234ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "did not move"));
	assert_false(r.present);
}

static void test_implausible_power(void **state)
{
	struct rapl r;

	/* 10 ms: 2 kW allows 20 J = 327680 counts of 61 uJ. */
	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 100ull, 100ull + 327680 + 17, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "implausible"));
	/* Running backwards looks like a near-2^32 jump: refused too. */
	setup(NULL);
	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 5000ull, 4000ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), -1);
	/* Just within the limit: accepted. */
	setup(NULL);
	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 100ull, 100ull + 327680, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), 0);
}

static void test_confirm_misuse(void **state)
{
	struct rapl r;

	intel_machine();
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, RAPL_CONFIRM_MIN_NS - 1, why,
				      sizeof(why)), -1);
	assert_non_null(strstr(why, "too short"));
	/* Never probed (or probe failed): refused. */
	memset(&r, 0, sizeof(r));
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), -1);
	/* Package counter #GPs between probe and confirm. */
	setup(NULL);
	intel_machine();
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	mock_find(0x611)->gp = true;
	assert_int_equal(rapl_confirm(&r, 10 * MS, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "faulted"));
}

/* A domain that stays still over the busy wait is dropped; a read that
 * faults later keeps the domain's previous value and reports -1. */
static void test_domains_dropped_and_faults(void **state)
{
	struct rapl r;

	mock_set(0x606, INTEL_UNITS, END);
	mock_set(0x611, 10ull, 300ull, 600ull, END);
	mock_set(0x639, 10ull, 20ull, 30ull, END);
	mock_set(0x619, 99ull, END);                /* DRAM never moves */
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_INTEL, why,
				    sizeof(why)), 0);
	assert_int_equal(rapl_confirm(&r, 5 * MS, why, sizeof(why)), 0);
	assert_false(rapl_domain_present(&r, RAPL_DRAM));
	assert_true(rapl_domain_present(&r, RAPL_CORE));
	mock_find(0x639)->gp = true;
	assert_int_equal(rapl_sample(&r), -1);
	assert_int_equal(r.dom[RAPL_PKG].counts, 590);  /* still sampled */
	assert_int_equal(r.dom[RAPL_CORE].counts, 10);
	assert_false(rapl_domain_present(&r, RAPL_NDOMAINS));
}

/* ---- AMD --------------------------------------------------------------- */

static void test_amd(void **state)
{
	struct rapl r;

	mock_set(0xc0010299, AMD_UNITS, END);
	mock_set(0xc001029b, 0x10000ull, 0x10000ull + 65536, END); /* 1 J */
	mock_set(0xc001029a, 0x20ull, 0x20ull + 6554, END);        /* 0.1 J */
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_AMD, why,
				    sizeof(why)), 0);
	assert_int_equal(r.esu, 16);
	assert_int_equal(rapl_confirm(&r, 100 * MS, why, sizeof(why)), 0);
	assert_int_equal(rapl_energy_uj(&r, RAPL_PKG), 1000000);
	/* 6554 / 65536 J */
	assert_int_equal(rapl_energy_uj(&r, RAPL_CORE), 100006);
	assert_false(rapl_domain_present(&r, RAPL_DRAM));
	/* Only AMD's MSRs were read: never Intel's 0x606/0x611. */
	assert_int_equal(unknown_reads, 0);
	assert_null(mock_find(0x606));
}

/* AMD firmware that reports 0 units (some hypervisors): refused. */
static void test_amd_absent(void **state)
{
	struct rapl r;

	mock_set(0xc0010299, 0ull, END);
	mock_set(0xc001029b, 0ull, END);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_AMD, why,
				    sizeof(why)), -1);
	setup(NULL);
	mock_gp(0xc0010299);
	assert_int_equal(rapl_probe(&r, &mock_io, RAPL_AMD, why,
				    sizeof(why)), -1);
	assert_non_null(strstr(why, "0xc0010299"));
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_counts_to_uj),
		T(test_intel_present),
		T(test_wrap),
		T(test_emulator_zeros),
		T(test_gp),
		T(test_insane_units),
		T(test_insane_counter),
		T(test_counter_does_not_move),
		T(test_implausible_power),
		T(test_confirm_misuse),
		T(test_domains_dropped_and_faults),
		T(test_amd),
		T(test_amd_absent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
