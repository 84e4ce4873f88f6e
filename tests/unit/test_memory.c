/* Host tests for the memory map normalizer and the frame allocator. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/frames.h"
#include "lib/memmap.h"

#define MiB (1ull << 20)
#define GiB (1ull << 30)

static struct memmap map;
static struct frame_pool pool;

static void build(const struct mem_region *raw, uint32_t n)
{
	char err[128];
	assert_int_equal(memmap_build(&map, raw, n, err, sizeof(err)), 0);
}

static void expect_region(uint32_t i, uint64_t base, uint64_t len,
			  uint32_t type)
{
	assert_true(i < map.count);
	assert_int_equal(map.r[i].base, base);
	assert_int_equal(map.r[i].length, len);
	assert_int_equal(map.r[i].type, type);
}

static void test_sorts_and_merges(void **state)
{
	const struct mem_region raw[] = {
		{ 2 * MiB, 2 * MiB, MEM_USABLE },
		{ 1 * MiB, 1 * MiB, MEM_USABLE }, /* touches the next one */
		{ 0, 0x9f000, MEM_USABLE },
		{ 0x9f000, 0x61000, MEM_RESERVED },
		{ 8 * MiB, 0, MEM_USABLE }, /* empty: ignored */
	};
	build(raw, 5);
	assert_int_equal(map.count, 3);
	expect_region(0, 0, 0x9f000, MEM_USABLE);
	expect_region(1, 0x9f000, 0x61000, MEM_RESERVED);
	expect_region(2, 1 * MiB, 3 * MiB, MEM_USABLE);
}

static void test_overlap_restrictive_wins(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 16 * MiB, MEM_USABLE },
		{ 4 * MiB, 1 * MiB, MEM_ACPI_RECLAIM },
		{ 4 * MiB + 0x1000, 0x1000, MEM_BAD },
		{ 15 * MiB, 2 * MiB, 99 /* unknown: reserved */ },
	};
	build(raw, 4);
	expect_region(0, 0, 4 * MiB, MEM_USABLE);
	expect_region(1, 4 * MiB, 0x1000, MEM_ACPI_RECLAIM);
	expect_region(2, 4 * MiB + 0x1000, 0x1000, MEM_BAD);
	expect_region(3, 4 * MiB + 0x2000, 1 * MiB - 0x2000, MEM_ACPI_RECLAIM);
	expect_region(4, 5 * MiB, 10 * MiB, MEM_USABLE);
	expect_region(5, 15 * MiB, 2 * MiB, MEM_RESERVED);
	assert_int_equal(map.count, 6);
}

static void test_usable_page_aligned_inward(void **state)
{
	const struct mem_region raw[] = {
		{ 0x1234, 0x10000, MEM_USABLE },
		{ 0x100000, 0x800, MEM_USABLE }, /* less than a page: gone */
	};
	build(raw, 2);
	assert_int_equal(map.count, 1);
	expect_region(0, 0x2000, 0xf000, MEM_USABLE);
}

static void test_wrapping_region_clamped(void **state)
{
	const struct mem_region raw[] = {
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
		{ UINT64_MAX - 0xfff, 0x10000, MEM_RESERVED },
	};
	build(raw, 2);
	assert_int_equal(map.count, 2);
	assert_int_equal(map.r[1].base + map.r[1].length, UINT64_MAX);
}

static void test_no_usable_memory_is_an_error(void **state)
{
	const struct mem_region raw[] = { { 0, 1 * MiB, MEM_RESERVED } };
	char err[128];
	assert_int_equal(memmap_build(&map, raw, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no usable RAM"));
	assert_int_equal(memmap_build(&map, raw, 0, err, sizeof(err)), -1);
}

static void test_reserve_image_and_modules(void **state)
{
	const struct mem_region raw[] = { { 0, 64 * MiB, MEM_USABLE } };
	build(raw, 1);
	assert_int_equal(memmap_reserve(&map, 1 * MiB, 0x20000, MEM_VOLT), 0);
	assert_int_equal(memmap_reserve(&map, 2 * MiB, 0x123, MEM_MODULE), 0);
	expect_region(0, 0, 1 * MiB, MEM_USABLE);
	expect_region(1, 1 * MiB, 0x20000, MEM_VOLT);
	expect_region(2, 1 * MiB + 0x20000, 1 * MiB - 0x20000, MEM_USABLE);
	/* The module's partial page is not usable: the usable part starts
	 * at the next page. */
	expect_region(3, 2 * MiB, 0x123, MEM_MODULE);
	expect_region(4, 2 * MiB + 0x1000, 62 * MiB - 0x1000, MEM_USABLE);
	/* A module inside reserved memory stays reserved. */
	assert_int_equal(memmap_total(&map, MEM_USABLE),
			 64 * MiB - 0x20000 - 0x1000);
}

static void test_frames_policy(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 0x9f000, MEM_USABLE },
		{ 1 * MiB, 7 * MiB, MEM_USABLE },
		{ 4 * GiB, 1 * GiB, MEM_USABLE },
	};
	build(raw, 3);
	frames_init(&pool, &map);
	uint64_t total = (0x9f000 - 0x1000 + 7 * MiB + 1 * GiB) / 4096;
	assert_int_equal(frames_free_count(&pool), total); /* page 0 excluded */

	/* General requests never get the first 1 MiB... */
	assert_int_equal(frames_alloc(&pool, 1, 4096, 0), 1 * MiB);
	/* ...explicit low requests do, and never page 0. */
	assert_int_equal(frames_alloc(&pool, 1, 4096, 1 * MiB), 0x1000);
	/* Alignment. */
	uint64_t a = frames_alloc(&pool, 2, 2 * MiB, 0);
	assert_int_equal(a, 2 * MiB);
	/* Below 4 GiB limit honoured when low memory runs out. */
	assert_int_equal(frames_alloc(&pool, 6 * 256, 4096, 4 * GiB), 0);
	uint64_t high = frames_alloc(&pool, 256, 4096, 0);
	assert_true(high < 8 * MiB);
	assert_int_equal(frames_free_count(&pool), total - 2 - 2 - 256);
	/* Bad requests. */
	assert_int_equal(frames_alloc(&pool, 0, 4096, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 3000, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 4096, 0x800), 0);
}

static void test_frames_free_merges_and_detects_double_free(void **state)
{
	const struct mem_region raw[] = { { 1 * MiB, 1 * MiB, MEM_USABLE } };
	build(raw, 1);
	frames_init(&pool, &map);
	uint64_t a = frames_alloc(&pool, 1, 4096, 0);
	uint64_t b = frames_alloc(&pool, 1, 4096, 0);
	uint64_t c = frames_alloc(&pool, 1, 4096, 0);
	assert_int_equal(b, a + 4096);
	assert_int_equal(pool.count, 1);
	assert_int_equal(frames_free(&pool, b, 1), 0); /* a hole */
	assert_int_equal(pool.count, 2);
	assert_int_equal(frames_free(&pool, b, 1), -1); /* double free */
	assert_int_equal(frames_free(&pool, a, 1), 0);
	assert_int_equal(frames_free(&pool, c, 1), 0); /* joins both sides */
	assert_int_equal(pool.count, 1);
	assert_int_equal(frames_free_count(&pool), 256);
	assert_int_equal(frames_alloc(&pool, 257, 4096, 0), 0); /* too big */
}

static void test_frames_add_firmware_memory_later(void **state)
{
	const struct mem_region raw[] = {
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
		{ 2 * MiB, 1 * MiB, MEM_FIRMWARE_RECLAIM },
		{ 3 * MiB, 1 * MiB, MEM_VOLT },
	};
	build(raw, 3);
	frames_init(&pool, &map);
	assert_int_equal(frames_free_count(&pool), 256);
	frames_add_type(&pool, &map, MEM_FIRMWARE_RECLAIM);
	assert_int_equal(frames_free_count(&pool), 512);
	assert_int_equal(pool.count, 1); /* merged with the usable range */
}

static void test_frames_split_in_middle(void **state)
{
	const struct mem_region raw[] = { { 1 * MiB, 8 * MiB, MEM_USABLE } };
	build(raw, 1);
	frames_init(&pool, &map);
	/* Alignment forces a split: [1M,4M) stays free, [4M+8K, 9M) too. */
	assert_int_equal(frames_alloc(&pool, 2, 4 * MiB, 0), 4 * MiB);
	assert_int_equal(pool.count, 2);
	assert_int_equal(frames_alloc(&pool, 768, 4096, 0), 1 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, 4096, 0), 4 * MiB + 8192);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorts_and_merges),
		cmocka_unit_test(test_overlap_restrictive_wins),
		cmocka_unit_test(test_usable_page_aligned_inward),
		cmocka_unit_test(test_wrapping_region_clamped),
		cmocka_unit_test(test_no_usable_memory_is_an_error),
		cmocka_unit_test(test_reserve_image_and_modules),
		cmocka_unit_test(test_frames_policy),
		cmocka_unit_test(test_frames_free_merges_and_detects_double_free),
		cmocka_unit_test(test_frames_add_firmware_memory_later),
		cmocka_unit_test(test_frames_split_in_middle),
	};
	return cmocka_run_group_tests_name("memory", tests, NULL, NULL);
}
