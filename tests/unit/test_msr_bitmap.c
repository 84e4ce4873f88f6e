/* Host tests for the MSR bitmap builder: exact byte/bit positions from
 * the layout in SDM vol. 3C 25.6.9, range edges, and that nothing but the
 * named bits changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/msr_bitmap.h"

static uint8_t page[MSR_BITMAP_BYTES];

static int setup(void **state)
{
	memset(page, 0x5a, sizeof(page)); /* garbage: init must overwrite */
	msr_bitmap_init_all_exit(page);
	return 0;
}

/* How many bits of the page are clear (= accesses that do not exit). */
static unsigned clear_bits(void)
{
	unsigned n = 0;
	for (size_t i = 0; i < sizeof(page); i++)
		n += 8 - (unsigned)__builtin_popcount(page[i]);
	return n;
}

static void test_init_all_exit(void **state)
{
	for (size_t i = 0; i < sizeof(page); i++)
		assert_int_equal(page[i], 0xff);
	assert_true(msr_bitmap_exits(page, 0x10, false));
	assert_true(msr_bitmap_exits(page, 0xc0000080, true));
}

static void test_low_read_only(void **state)
{
	/* IA32_TIME_STAMP_COUNTER 0x10: read-low part, byte 2, bit 0. */
	assert_int_equal(msr_bitmap_pass(page, 0x10, true, false), 0);
	assert_int_equal(page[2], 0xfe);
	assert_int_equal(clear_bits(), 1);
	assert_false(msr_bitmap_exits(page, 0x10, false));
	assert_true(msr_bitmap_exits(page, 0x10, true));
	assert_true(msr_bitmap_exits(page, 0x11, false));
}

static void test_high_write_only(void **state)
{
	/* IA32_EFER 0xc0000080: write-high part, 3072 + 0x80 / 8 = 3088. */
	assert_int_equal(msr_bitmap_pass(page, 0xc0000080, false, true), 0);
	assert_int_equal(page[3088], 0xfe);
	assert_int_equal(clear_bits(), 1);
	assert_true(msr_bitmap_exits(page, 0xc0000080, false));
	assert_false(msr_bitmap_exits(page, 0xc0000080, true));
}

static void test_both_directions_and_back(void **state)
{
	/* IA32_FS_BASE 0xc0000100: index 0x100 -> byte 32, bit 0. */
	assert_int_equal(msr_bitmap_pass(page, 0xc0000100, true, true), 0);
	assert_int_equal(page[1024 + 32], 0xfe);
	assert_int_equal(page[3072 + 32], 0xfe);
	assert_int_equal(clear_bits(), 2);
	/* Passing is not sticky: false puts the exit back. */
	assert_int_equal(msr_bitmap_pass(page, 0xc0000100, false, false), 0);
	assert_int_equal(clear_bits(), 0);
	assert_true(msr_bitmap_exits(page, 0xc0000100, false));
}

static void test_bit_within_byte(void **state)
{
	/* 0x1b (IA32_APIC_BASE): byte 3, bit 3. */
	assert_int_equal(msr_bitmap_pass(page, 0x1b, true, true), 0);
	assert_int_equal(page[3], 0xf7);
	assert_int_equal(page[2048 + 3], 0xf7);
}

static void test_range_edges(void **state)
{
	struct { uint32_t msr; unsigned rbyte; uint8_t rbit; } in[] = {
		{ 0x00000000, 0, 0 },
		{ 0x00001fff, 1023, 7 },
		{ 0xc0000000, 1024, 0 },
		{ 0xc0001fff, 2047, 7 },
	};
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		msr_bitmap_init_all_exit(page);
		assert_int_equal(msr_bitmap_pass(page, in[i].msr, true, true), 0);
		uint8_t want = (uint8_t)~(1u << in[i].rbit);
		assert_int_equal(page[in[i].rbyte], want);
		assert_int_equal(page[in[i].rbyte + 2048], want);
		assert_int_equal(clear_bits(), 2);
		assert_false(msr_bitmap_exits(page, in[i].msr, false));
		assert_false(msr_bitmap_exits(page, in[i].msr, true));
	}
}

static void test_outside_ranges_always_exit(void **state)
{
	const uint32_t out[] = { 0x00002000, 0x40000000, 0xbfffffff,
				 0xc0002000, 0xc0010000, 0xffffffff };
	/* A page that passes everything still exits for these. */
	memset(page, 0, sizeof(page));
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		assert_int_equal(msr_bitmap_pass(page, out[i], true, true), -1);
		assert_true(msr_bitmap_exits(page, out[i], false));
		assert_true(msr_bitmap_exits(page, out[i], true));
	}
	for (size_t i = 0; i < sizeof(page); i++)
		assert_int_equal(page[i], 0); /* unchanged */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_init_all_exit, setup),
		cmocka_unit_test_setup(test_low_read_only, setup),
		cmocka_unit_test_setup(test_high_write_only, setup),
		cmocka_unit_test_setup(test_both_directions_and_back, setup),
		cmocka_unit_test_setup(test_bit_within_byte, setup),
		cmocka_unit_test_setup(test_range_edges, setup),
		cmocka_unit_test_setup(test_outside_ranges_always_exit, setup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
