/*
 * Host tests for the TSC frequency arithmetic (arch/x86/tsc_freq.c):
 * CPUID leaf 0x15 with and without the crystal frequency, leaf 0x16 alone,
 * nothing usable, overflow and implausible values, the 128-bit mul/div and
 * the PIT conversion.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/tsc.h"
#include "arch/x86/pit.h"

#define NOTE_LEN 96

static enum tsc_freq_source run(const struct tsc_cpuid_info *in, uint64_t *hz,
				char *note)
{
	memset(note, 'x', NOTE_LEN);
	return tsc_freq_from_cpuid(in, hz, note, NOTE_LEN);
}

/* Skylake client: 24 MHz crystal, ratio 250/2 -> 3 GHz. */
static void test_leaf15_with_crystal(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16, .l15_eax = 2,
				     .l15_ebx = 250, .l15_ecx = 24000000,
				     .l16_eax = 2900 };
	uint64_t hz = 0;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_CPUID_15);
	assert_int_equal(hz, 3000000000ull);
	assert_string_equal(note, "");
}

/* Crystal not enumerated (ECX 0): derived from leaf 0x16's 2100 MHz. */
static void test_leaf15_crystal_from_leaf16(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16, .l15_eax = 2,
				     .l15_ebx = 168, .l15_ecx = 0,
				     .l16_eax = 2100 };
	uint64_t hz = 0;
	char note[NOTE_LEN];

	/* crystal = 2.1e9 * 2 / 168 = 25 MHz, TSC = 25 MHz * 168 / 2 */
	assert_int_equal(run(&in, &hz, note), TSC_FREQ_CPUID_15);
	assert_int_equal(hz, 2100000000ull);
	assert_string_equal(note, "");
}

/* ECX 0 and no leaf 0x16: 0x15 is unusable and nothing else helps. */
static void test_leaf15_no_crystal_no_leaf16(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x15, .l15_eax = 2,
				     .l15_ebx = 168, .l16_eax = 2100 };
	uint64_t hz = 12345;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_int_equal(hz, 12345);
	assert_string_equal(note, "cpuid 0x15: crystal frequency unknown");
}

/* Leaf 0x15 with a zero ratio falls back to leaf 0x16. */
static void test_leaf16_only(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16, .l15_eax = 0,
				     .l15_ebx = 0, .l15_ecx = 24000000,
				     .l16_eax = 0xabcd0000u | 3400 };
	uint64_t hz = 0;
	char note[NOTE_LEN];

	/* bits 31:16 of leaf 0x16 EAX are reserved and must be ignored */
	assert_int_equal(run(&in, &hz, note), TSC_FREQ_CPUID_16);
	assert_int_equal(hz, 3400000000ull);
	assert_string_equal(note,
			    "cpuid 0x15: TSC/crystal ratio not enumerated");
}

/* Leaves above max_leaf are ignored, whatever their contents. */
static void test_leaves_above_max_leaf_ignored(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x14, .l15_eax = 2,
				     .l15_ebx = 250, .l15_ecx = 24000000,
				     .l16_eax = 2900 };
	uint64_t hz = 7;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_int_equal(hz, 7);
	assert_string_equal(note, "");

	/* max_leaf 0x15: leaf 0x16 may not be used to derive the crystal */
	in.max_leaf = 0x15;
	in.l15_ecx = 0;
	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_int_equal(hz, 7);
}

static void test_nothing(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16 };
	uint64_t hz = 7;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_int_equal(hz, 7);
	assert_string_equal(note,
			    "cpuid 0x15: TSC/crystal ratio not enumerated");
}

/*
 * Crystal derived from 0x16 overflows 64 bits (65535 MHz x 0xffffffff):
 * leaf 0x15 is rejected, leaf 0x16 still gives 65.535 GHz.
 */
static void test_leaf15_overflow(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16, .l15_eax = 0xffffffffu,
				     .l15_ebx = 1, .l15_ecx = 0,
				     .l16_eax = 0xffff };
	uint64_t hz = 0;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_CPUID_16);
	assert_int_equal(hz, 65535000000ull);
	assert_string_equal(note,
			    "cpuid 0x15: crystal from 0x16 out of range");
}

/* The largest 32-bit inputs do not overflow but are implausible. */
static void test_leaf15_implausible(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x15, .l15_eax = 1,
				     .l15_ebx = 0xffffffffu,
				     .l15_ecx = 0xffffffffu };
	uint64_t hz = 7;
	char note[NOTE_LEN];

	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_int_equal(hz, 7);
	assert_string_equal(note,
			    "cpuid 0x15: implausible 18446744065119617025 Hz");

	/* too slow: 1 kHz crystal, ratio 1 */
	in.l15_ebx = 1;
	in.l15_ecx = 1000;
	assert_int_equal(run(&in, &hz, note), TSC_FREQ_NONE);
	assert_string_equal(note, "cpuid 0x15: implausible 1000 Hz");
}

/* A tiny note buffer is truncated, never overrun. */
static void test_note_truncated(void **state)
{
	struct tsc_cpuid_info in = { .max_leaf = 0x16 };
	uint64_t hz = 0;
	char note[8];

	memset(note, 'x', sizeof(note));
	assert_int_equal(tsc_freq_from_cpuid(&in, &hz, note, sizeof(note)),
			 TSC_FREQ_NONE);
	assert_string_equal(note, "cpuid 0");
	/* notelen 0: nothing is written */
	assert_int_equal(tsc_freq_from_cpuid(&in, &hz, NULL, 0),
			 TSC_FREQ_NONE);
}

static void test_mul_div(void **state)
{
	uint64_t q = 0;
	uint64_t samples[] = { 0, 1, 3, 1000000007ull, 0x123456789abcdefull,
			       UINT64_MAX / 3, UINT64_MAX - 1, UINT64_MAX };
	size_t i, j, k, n = sizeof(samples) / sizeof(samples[0]);

	assert_int_equal(tsc_mul_div_checked(10, 3, 4, &q), 0);
	assert_int_equal(q, 7);
	assert_int_equal(tsc_mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX),
			 UINT64_MAX);
	assert_int_equal(tsc_mul_div(UINT64_MAX, 1000, 1001),
			 (uint64_t)(((unsigned __int128)UINT64_MAX * 1000) /
				    1001));
	/* division by zero and a quotient >= 2^64 fail */
	q = 99;
	assert_int_equal(tsc_mul_div_checked(1, 1, 0, &q), -1);
	assert_int_equal(tsc_mul_div_checked(UINT64_MAX, 2, 1, &q), -1);
	assert_int_equal(tsc_mul_div_checked(1ull << 32, 1ull << 32, 1, &q),
			 -1);
	assert_int_equal(q, 99);
	assert_int_equal(tsc_mul_div(UINT64_MAX, 2, 1), UINT64_MAX);
	/* against the host's 128-bit division */
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			for (k = 1; k < n; k++) {
				unsigned __int128 want =
					(unsigned __int128)samples[i] *
					samples[j] / samples[k];
				int rc = tsc_mul_div_checked(
					samples[i], samples[j], samples[k], &q);

				if (want > UINT64_MAX) {
					assert_int_equal(rc, -1);
				} else {
					assert_int_equal(rc, 0);
					assert_int_equal(q, (uint64_t)want);
				}
			}
}

static void test_pit(void **state)
{
	/* 20 M TSC ticks while the PIT counted 11932 (~10 ms): ~2 GHz */
	assert_int_equal(tsc_hz_from_pit(20000000, 11932), 1999969829ull);
	assert_int_equal(tsc_hz_from_pit(1193182, 1193182), 1193182);
	assert_int_equal(tsc_hz_from_pit(1000, 0), 0);
	assert_int_equal(tsc_hz_from_pit(UINT64_MAX, 1), 0);
}

static void test_source_names(void **state)
{
	assert_string_equal(tsc_freq_source_name(TSC_FREQ_CPUID_15),
			    "cpuid 0x15");
	assert_string_equal(tsc_freq_source_name(TSC_FREQ_CPUID_16),
			    "cpuid 0x16");
	assert_string_equal(tsc_freq_source_name(TSC_FREQ_PIT),
			    "PIT calibration");
	assert_string_equal(tsc_freq_source_name(TSC_FREQ_NONE), "none");
	assert_string_equal(tsc_freq_source_name((enum tsc_freq_source)42),
			    "none");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf15_with_crystal),
		cmocka_unit_test(test_leaf15_crystal_from_leaf16),
		cmocka_unit_test(test_leaf15_no_crystal_no_leaf16),
		cmocka_unit_test(test_leaf16_only),
		cmocka_unit_test(test_leaves_above_max_leaf_ignored),
		cmocka_unit_test(test_nothing),
		cmocka_unit_test(test_leaf15_overflow),
		cmocka_unit_test(test_leaf15_implausible),
		cmocka_unit_test(test_note_truncated),
		cmocka_unit_test(test_mul_div),
		cmocka_unit_test(test_pit),
		cmocka_unit_test(test_source_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
