/*
 * Host tests for the physical frame allocator (lib/frames.c): the page-0
 * and low-memory policy, alignment and `below` limits, merging frees,
 * double-free detection, a full range array, and a randomized comparison
 * with a per-page model. Addresses are made up: the allocator never
 * touches the memory it manages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "lib/frames.h"
#include "lib/memmap.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)
#define GiB (1ull << 30)
#define PG FRAME_SIZE

static struct memmap map;
static struct frame_pool pool;

static void build(const struct mem_region *raw, uint32_t n)
{
	char err[128];

	assert_int_equal(memmap_build(&map, raw, n, err, sizeof(err)), 0);
}

static void pool_of(uint64_t base, uint64_t len)
{
	const struct mem_region raw[] = { { base, len, MEM_USABLE } };

	build(raw, 1);
	frames_init(&pool, &map);
}

/* Sorted, page aligned, non-empty, never touching. */
static void check_pool(const struct frame_pool *p)
{
	for (uint32_t i = 0; i < p->count; i++) {
		assert_true(p->r[i].base < p->r[i].end);
		assert_int_equal(p->r[i].base % PG, 0);
		assert_int_equal(p->r[i].end % PG, 0);
		assert_true(p->r[i].base != 0);
		if (i)
			assert_true(p->r[i - 1].end < p->r[i].base);
	}
}

static void test_policy_page0_and_low_memory(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 0x9f000, MEM_USABLE },
		{ 1 * MiB, 7 * MiB, MEM_USABLE },
		{ 4 * GiB, 1 * GiB, MEM_USABLE },
	};
	build(raw, 3);
	frames_init(&pool, &map);
	check_pool(&pool);
	uint64_t total = (0x9f000 - PG + 7 * MiB + 1 * GiB) / PG;
	assert_int_equal(frames_free_count(&pool), total); /* no page 0 */

	/* General requests never get the first 1 MiB... */
	assert_int_equal(frames_alloc(&pool, 1, PG, 0), 1 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, PG, 4 * GiB), 1 * MiB + PG);
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB + 1), 0);
	/* ...explicit low requests do, and never page 0. */
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB), PG);
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB), 2 * PG);
	/* A low request that cannot fit below its limit fails. */
	assert_int_equal(frames_alloc(&pool, 1, PG, 0x800), 0);
	assert_int_equal(frames_alloc(&pool, 1, PG, PG), 0);
	assert_int_equal(frames_free_count(&pool), total - 4);
}

static void test_low_memory_exhaustion(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 4 * PG, MEM_USABLE },
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
	};
	build(raw, 2);
	frames_init(&pool, &map);
	assert_int_equal(frames_alloc(&pool, 3, PG, 1 * MiB), PG);
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB), 0);
	/* Low memory gone; general memory untouched. */
	assert_int_equal(frames_free_count(&pool), 256);
}

static void test_alignment_and_limits(void **state)
{
	pool_of(1 * MiB, 15 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, PG, 0), 1 * MiB);
	assert_int_equal(frames_alloc(&pool, 2, 2 * MiB, 0), 2 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, 4 * MiB, 0), 4 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, 8 * MiB, 0), 8 * MiB);
	/* Too big for what is left below 16 MiB. */
	assert_int_equal(frames_alloc(&pool, 2048, PG, 16 * MiB), 0);
	/* The allocation must *end* at or below `below`. */
	assert_int_equal(frames_alloc(&pool, 2, PG, 1 * MiB + 3 * PG),
			 1 * MiB + PG);
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB + 3 * PG), 0);
	/* An unaligned limit rounds down, in effect. */
	assert_int_equal(frames_alloc(&pool, 1, PG, 1 * MiB + 4 * PG + 1),
			 1 * MiB + 3 * PG);
	check_pool(&pool);
}

static void test_bad_requests(void **state)
{
	pool_of(1 * MiB, 1 * MiB);
	uint64_t before = frames_free_count(&pool);

	assert_int_equal(frames_alloc(&pool, 0, PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 0, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 3000, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 6 * PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, PG / 2, 0), 0);
	assert_int_equal(frames_alloc(&pool, UINT64_MAX, PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, UINT64_MAX / PG + 1, PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, 257, PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, 1, 1ull << 63, 0), 0);
	assert_int_equal(frames_free_count(&pool), before);

	assert_int_equal(frames_free(&pool, 1 * MiB + 1, 1), FRAMES_ERR_RANGE);
	assert_int_equal(frames_free(&pool, UINT64_MAX - PG + 1, 2),
			 FRAMES_ERR_RANGE);
	assert_int_equal(frames_free(&pool, PG, UINT64_MAX), FRAMES_ERR_RANGE);
	assert_int_equal(frames_free(&pool, 5 * MiB, 0), FRAMES_OK);
	assert_int_equal(frames_free_count(&pool), before);
}

static void test_free_merges_and_detects_double_free(void **state)
{
	pool_of(1 * MiB, 1 * MiB);
	uint64_t a = frames_alloc(&pool, 1, PG, 0);
	uint64_t b = frames_alloc(&pool, 1, PG, 0);
	uint64_t c = frames_alloc(&pool, 1, PG, 0);

	assert_int_equal(b, a + PG);
	assert_int_equal(c, b + PG);
	assert_int_equal(pool.count, 1);
	assert_int_equal(frames_free(&pool, b, 1), FRAMES_OK); /* a hole */
	assert_int_equal(pool.count, 2);
	assert_int_equal(frames_free(&pool, b, 1), FRAMES_ERR_DOUBLE_FREE);
	/* Partly free is a double free too, and changes nothing. */
	assert_int_equal(frames_free(&pool, a, 2), FRAMES_ERR_DOUBLE_FREE);
	assert_int_equal(frames_free(&pool, c, 2), FRAMES_ERR_DOUBLE_FREE);
	assert_int_equal(frames_free_count(&pool), 256 - 2);
	assert_int_equal(frames_free(&pool, a, 1), FRAMES_OK);  /* joins b */
	assert_int_equal(pool.count, 2);
	assert_int_equal(frames_free(&pool, c, 1), FRAMES_OK);  /* joins all */
	assert_int_equal(pool.count, 1);
	assert_int_equal(pool.r[0].base, 1 * MiB);
	assert_int_equal(pool.r[0].end, 2 * MiB);
	assert_int_equal(frames_free_count(&pool), 256);
	assert_int_equal(frames_alloc(&pool, 257, PG, 0), 0);
	assert_int_equal(frames_alloc(&pool, 256, PG, 0), 1 * MiB);
	assert_int_equal(frames_free_count(&pool), 0);
	assert_int_equal(pool.count, 0);
	assert_int_equal(frames_alloc(&pool, 1, PG, 0), 0);
	assert_int_equal(frames_free(&pool, 1 * MiB, 256), FRAMES_OK);
	assert_int_equal(frames_free_count(&pool), 256);
}

static void test_free_outside_the_map_and_page0(void **state)
{
	pool_of(1 * MiB, 1 * MiB);
	/* Freeing frames the map never had is allowed (e.g. a module). */
	assert_int_equal(frames_free(&pool, 8 * MiB, 4), FRAMES_OK);
	assert_int_equal(pool.count, 2);
	check_pool(&pool);
	/* Page 0 never enters the pool, even when freed. */
	assert_int_equal(frames_free(&pool, 0, 1), FRAMES_OK);
	assert_int_equal(frames_free(&pool, 0, 3), FRAMES_OK);
	assert_int_equal(pool.r[0].base, PG);
	assert_int_equal(pool.r[0].end, 3 * PG);
	assert_int_equal(frames_free_count(&pool), 256 + 4 + 2);
	check_pool(&pool);
}

static void test_add_firmware_memory_later(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 2 * PG, MEM_FIRMWARE_RECLAIM },
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
		{ 2 * MiB, 1 * MiB, MEM_FIRMWARE_RECLAIM },
		{ 3 * MiB, 1 * MiB, MEM_VOLT },
		{ 4 * MiB, 1 * MiB, MEM_ACPI_RECLAIM },
	};
	build(raw, 5);
	frames_init(&pool, &map);
	assert_int_equal(frames_free_count(&pool), 256);
	uint64_t a = frames_alloc(&pool, 1, PG, 0);
	frames_add_type(&pool, &map, MEM_FIRMWARE_RECLAIM);
	assert_int_equal(frames_free_count(&pool), 255 + 256 + 1);
	assert_int_equal(pool.count, 2); /* page 1, then 1 MiB + 4K..3 MiB */
	/* Adding again changes nothing (no double counting). */
	frames_add_type(&pool, &map, MEM_FIRMWARE_RECLAIM);
	assert_int_equal(frames_free_count(&pool), 255 + 256 + 1);
	/* A type whose region partly overlaps free frames: only the rest. */
	assert_int_equal(frames_free(&pool, a, 1), FRAMES_OK);
	frames_add_type(&pool, &map, MEM_USABLE);
	assert_int_equal(frames_free_count(&pool), 256 + 256 + 1);
	check_pool(&pool);
}

static void test_split_in_the_middle(void **state)
{
	pool_of(1 * MiB, 8 * MiB);
	/* Alignment forces a split: [1M,4M) stays free, [4M+8K, 9M) too. */
	assert_int_equal(frames_alloc(&pool, 2, 4 * MiB, 0), 4 * MiB);
	assert_int_equal(pool.count, 2);
	assert_int_equal(frames_alloc(&pool, 768, PG, 0), 1 * MiB);
	assert_int_equal(frames_alloc(&pool, 1, PG, 0), 4 * MiB + 2 * PG);
	check_pool(&pool);
}

/* Fill the range array: every other page of a region allocated, the
 * free ranges starting on odd pages (so not 8K aligned). */
static void fill_ranges(void)
{
	pool_of(1 * MiB, 2 * FRAMES_MAX_RANGES * PG);
	uint64_t base = 1 * MiB;
	assert_int_equal(frames_alloc(&pool, 2 * FRAMES_MAX_RANGES, PG, 0),
			 base);
	for (uint32_t i = 0; i < FRAMES_MAX_RANGES; i++)
		assert_int_equal(frames_free(&pool, base + (2 * i + 1) * PG, 1),
				 FRAMES_OK);
	assert_int_equal(pool.count, FRAMES_MAX_RANGES);
	assert_int_equal(pool.lost_pages, 0);
}

static void test_full_range_array(void **state)
{
	fill_ranges();
	/* A free that needs a new range is refused and counted as lost. */
	uint64_t far = 1ull << 40;
	assert_int_equal(frames_free(&pool, far, 3), FRAMES_ERR_FULL);
	assert_int_equal(pool.lost_pages, 3);
	assert_int_equal(pool.count, FRAMES_MAX_RANGES);
	/* A free that joins its neighbours needs no range: fine. */
	assert_int_equal(frames_free(&pool, 1 * MiB, 1), FRAMES_OK);
	assert_int_equal(pool.count, FRAMES_MAX_RANGES);
	assert_int_equal(frames_free(&pool, 1 * MiB + 2 * PG, 1), FRAMES_OK);
	assert_int_equal(pool.count, FRAMES_MAX_RANGES - 1);
	assert_int_equal(frames_free_count(&pool), FRAMES_MAX_RANGES + 2);
	check_pool(&pool);
}

static void test_full_array_prefers_no_split(void **state)
{
	fill_ranges();
	/* Make the last range long: [last, last + 5 pages). */
	uint64_t last = 1 * MiB + (2 * FRAMES_MAX_RANGES - 1) * PG;
	assert_int_equal(frames_free(&pool, last + PG, 4), FRAMES_OK);
	assert_int_equal(pool.count, FRAMES_MAX_RANGES);
	/* An 8K-aligned pair fits only in the long range; with the array
	 * full, the allocator picks a spot that splits nothing. */
	uint64_t got = frames_alloc(&pool, 2, 2 * PG, 0);
	assert_int_equal(got, last + 3 * PG); /* not last + 1 page */
	assert_int_equal(pool.lost_pages, 0);
	assert_int_equal(frames_free_count(&pool),
			 FRAMES_MAX_RANGES - 1 + 5 - 2);
	check_pool(&pool);
}

static void test_full_array_lossy_split_is_counted(void **state)
{
	fill_ranges();
	uint64_t last = 1 * MiB + (2 * FRAMES_MAX_RANGES - 1) * PG;
	/* [last, last + 8 pages): a 4-page block aligned to 16K must start
	 * at an aligned address inside it and split it. */
	assert_int_equal(frames_free(&pool, last + PG, 7), FRAMES_OK);
	uint64_t before = frames_free_count(&pool);
	uint64_t got = frames_alloc(&pool, 2, 4 * PG, 0);
	uint64_t want = (last + 4 * PG - 1) & ~(4 * PG - 1);
	assert_true(want > last && want + 2 * PG < last + 8 * PG);
	assert_int_equal(got, want);
	/* The tail could not get a range of its own: lost, and counted. */
	uint64_t tail = (last + 8 * PG - (want + 2 * PG)) / PG;
	assert_int_equal(pool.lost_pages, tail);
	assert_int_equal(frames_free_count(&pool) + pool.lost_pages + 2,
			 before);
	/* The lost frames are never handed out. */
	for (uint64_t a; (a = frames_alloc(&pool, 1, PG, 0));)
		assert_true(a < want + 2 * PG);
	check_pool(&pool);
}

/* Randomized alloc/free against a per-page model of a small pool. */
#define M_PAGES 1024u
static uint8_t model_used[M_PAGES];
static uint32_t rng_state = 777;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void test_random_against_model(void **state)
{
	const uint64_t base = 16 * MiB;
	struct { uint64_t a, n; } live[256];
	uint32_t nlive = 0;

	pool_of(base, M_PAGES * PG);
	memset(model_used, 0, sizeof(model_used));
	for (int step = 0; step < 20000; step++) {
		if (nlive < 256 && (rng() % 2 || nlive == 0)) {
			uint64_t n = 1 + rng() % 16;
			uint64_t align = PG << (rng() % 4);
			uint64_t a = frames_alloc(&pool, n, align, 0);
			if (!a)
				continue;
			assert_int_equal(a % align, 0);
			assert_true(a >= base && a + n * PG <= base +
				    M_PAGES * PG);
			for (uint64_t k = 0; k < n; k++) {
				uint64_t pg = (a - base) / PG + k;
				assert_int_equal(model_used[pg], 0);
				model_used[pg] = 1;
			}
			live[nlive].a = a, live[nlive++].n = n;
		} else {
			uint32_t i = rng() % nlive;
			/* Every so often, try a double free first. */
			if (rng() % 8 == 0) {
				assert_int_equal(frames_free(&pool, live[i].a,
							     live[i].n),
						 FRAMES_OK);
				assert_int_equal(frames_free(&pool, live[i].a,
							     live[i].n),
						 FRAMES_ERR_DOUBLE_FREE);
			} else {
				assert_int_equal(frames_free(&pool, live[i].a,
							     live[i].n),
						 FRAMES_OK);
			}
			for (uint64_t k = 0; k < live[i].n; k++)
				model_used[(live[i].a - base) / PG + k] = 0;
			live[i] = live[--nlive];
		}
		uint64_t used = 0;
		for (uint32_t k = 0; k < M_PAGES; k++)
			used += model_used[k];
		assert_int_equal(frames_free_count(&pool), M_PAGES - used);
		check_pool(&pool);
	}
	while (nlive) {
		nlive--;
		assert_int_equal(frames_free(&pool, live[nlive].a,
					     live[nlive].n), FRAMES_OK);
	}
	assert_int_equal(pool.count, 1);
	assert_int_equal(frames_free_count(&pool), M_PAGES);
	assert_int_equal(pool.lost_pages, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy_page0_and_low_memory),
		cmocka_unit_test(test_low_memory_exhaustion),
		cmocka_unit_test(test_alignment_and_limits),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_free_merges_and_detects_double_free),
		cmocka_unit_test(test_free_outside_the_map_and_page0),
		cmocka_unit_test(test_add_firmware_memory_later),
		cmocka_unit_test(test_split_in_the_middle),
		cmocka_unit_test(test_full_range_array),
		cmocka_unit_test(test_full_array_prefers_no_split),
		cmocka_unit_test(test_full_array_lossy_split_is_counted),
		cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests_name("frames", tests, NULL, NULL);
}
