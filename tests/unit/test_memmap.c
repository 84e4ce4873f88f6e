/*
 * Host tests for the memory map normalizer (lib/memmap.c): ordering,
 * merging, the overlap priority order, page shrinking, wrapping regions,
 * error paths, memmap_reserve(), and a randomized comparison against a
 * brute-force model.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/memmap.h"

#define KiB (1ull << 10)
#define MiB (1ull << 20)

static struct memmap map;

static void build(const struct mem_region *raw, uint32_t n)
{
	char err[128] = "";

	assert_int_equal(memmap_build(&map, raw, n, err, sizeof(err)),
			 MEMMAP_OK);
	assert_string_equal(err, "");
}

static void expect_region(uint32_t i, uint64_t base, uint64_t len,
			  uint32_t type)
{
	assert_true(i < map.count);
	assert_int_equal(map.r[i].base, base);
	assert_int_equal(map.r[i].length, len);
	assert_int_equal(map.r[i].type, type);
}

/* Sorted, non-overlapping, no touching neighbours of one type, allocatable
 * types page aligned, no empty region. */
static void check_invariants(const struct memmap *m)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];
		assert_true(r->length > 0);
		if (r->type == MEM_USABLE || r->type == MEM_FIRMWARE_RECLAIM) {
			assert_int_equal(r->base % PAGE_SIZE, 0);
			assert_int_equal(r->length % PAGE_SIZE, 0);
		}
		if (i == 0)
			continue;
		const struct mem_region *p = &m->r[i - 1];
		assert_true(p->base + p->length <= r->base);
		if (p->type == r->type)
			assert_true(p->base + p->length < r->base);
	}
}

static void test_sorts_merges_and_drops_empty(void **state)
{
	const struct mem_region raw[] = {
		{ 2 * MiB, 2 * MiB, MEM_USABLE },
		{ 1 * MiB, 1 * MiB, MEM_USABLE }, /* touches the one above */
		{ 0x9f000, 0x61000, MEM_RESERVED },
		{ 0, 0x9f000, MEM_USABLE },
		{ 8 * MiB, 0, MEM_BAD },          /* empty: ignored */
		{ 16 * MiB, 1 * MiB, MEM_ACPI_RECLAIM },
	};
	build(raw, 6);
	assert_int_equal(map.count, 4);
	expect_region(0, 0, 0x9f000, MEM_USABLE);
	expect_region(1, 0x9f000, 0x61000, MEM_RESERVED);
	expect_region(2, 1 * MiB, 3 * MiB, MEM_USABLE);
	expect_region(3, 16 * MiB, 1 * MiB, MEM_ACPI_RECLAIM);
	check_invariants(&map);
}

/* The documented order, strongest first. */
static const uint32_t priority[] = {
	MEM_BAD, MEM_RESERVED, MEM_ACPI_NVS, MEM_ACPI_RECLAIM,
	MEM_VOLT, MEM_MODULE, MEM_FIRMWARE_RECLAIM, MEM_USABLE,
};
#define NPRIO (sizeof(priority) / sizeof(priority[0]))

/* Every ordered pair of types, overlapping both ways round. */
static void test_priority_matrix(void **state)
{
	for (unsigned a = 0; a < NPRIO; a++) {
		for (unsigned b = 0; b < NPRIO; b++) {
			const struct mem_region raw[] = {
				{ 64 * MiB, 1 * MiB, MEM_USABLE },
				{ 0, 16 * MiB, priority[a] },
				{ 4 * MiB, 4 * MiB, priority[b] },
			};
			uint32_t winner = priority[a < b ? a : b];
			build(raw, 3);
			check_invariants(&map);
			assert_int_equal(memmap_type_at(&map, 4 * MiB), winner);
			assert_int_equal(memmap_type_at(&map, 8 * MiB - 1),
					 winner);
			assert_int_equal(memmap_type_at(&map, 0), priority[a]);
			assert_int_equal(memmap_type_at(&map, 12 * MiB),
					 priority[a]);
		}
	}
}

static void test_unknown_type_is_reserved(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 16 * MiB, MEM_USABLE },
		{ 1 * MiB, 1 * MiB, 99 },
		{ 1 * MiB, 4 * KiB, MEM_ACPI_NVS }, /* loses to "99" */
		{ 2 * MiB - 4 * KiB, 4 * KiB, MEM_BAD }, /* beats it */
		{ 3 * MiB, 1 * MiB, 0 },
	};
	build(raw, 5);
	expect_region(0, 0, 1 * MiB, MEM_USABLE);
	expect_region(1, 1 * MiB, 1 * MiB - 4 * KiB, MEM_RESERVED);
	expect_region(2, 2 * MiB - 4 * KiB, 4 * KiB, MEM_BAD);
	expect_region(3, 2 * MiB, 1 * MiB, MEM_USABLE);
	expect_region(4, 3 * MiB, 1 * MiB, MEM_RESERVED);
	expect_region(5, 4 * MiB, 12 * MiB, MEM_USABLE);
	assert_int_equal(map.count, 6);
}

static void test_usable_shrunk_inward(void **state)
{
	const struct mem_region raw[] = {
		{ 0x1234, 0x10000, MEM_USABLE },
		{ 0x100000, 0x800, MEM_USABLE },  /* less than a page: gone */
		{ 0x200800, 0x2000, MEM_USABLE }, /* spans 2 pages, owns 1 */
		{ 0x300100, 0x3000, MEM_FIRMWARE_RECLAIM },
		{ 0x400100, 0x300, MEM_ACPI_RECLAIM }, /* exact bytes kept */
	};
	build(raw, 5);
	expect_region(0, 0x2000, 0xf000, MEM_USABLE);
	expect_region(1, 0x201000, 0x1000, MEM_USABLE);
	expect_region(2, 0x301000, 0x2000, MEM_FIRMWARE_RECLAIM);
	expect_region(3, 0x400100, 0x300, MEM_ACPI_RECLAIM);
	assert_int_equal(map.count, 4);
}

/* Two usable entries meeting inside a page: merge first, then shrink. */
static void test_touching_mid_page_keeps_the_page(void **state)
{
	const struct mem_region raw[] = {
		{ 0x1000, 0x800, MEM_USABLE },
		{ 0x1800, 0x1800, MEM_USABLE },
		/* a usable region nested in another one splits nothing */
		{ 0x10000, 0x10000, MEM_USABLE },
		{ 0x10800, 0x100, MEM_USABLE },
	};
	build(raw, 4);
	expect_region(0, 0x1000, 0x2000, MEM_USABLE);
	expect_region(1, 0x10000, 0x10000, MEM_USABLE);
	assert_int_equal(map.count, 2);
}

/* A sliver of anything else makes its whole page unusable. */
static void test_sliver_takes_its_page(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 0x10000, MEM_USABLE },
		{ 0x5800, 0x100, MEM_RESERVED },
		{ 0x8ff0, 0x20, MEM_MODULE }, /* straddles two pages */
	};
	build(raw, 3);
	expect_region(0, 0, 0x5000, MEM_USABLE);
	expect_region(1, 0x5800, 0x100, MEM_RESERVED);
	expect_region(2, 0x6000, 0x2000, MEM_USABLE);
	expect_region(3, 0x8ff0, 0x20, MEM_MODULE);
	expect_region(4, 0xa000, 0x6000, MEM_USABLE);
	assert_int_equal(map.count, 5);
	assert_int_equal(memmap_total(&map, MEM_USABLE), 0xd000);
}

static void test_wrapping_regions_clamped(void **state)
{
	const struct mem_region raw[] = {
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
		{ UINT64_MAX - 0xfff, 0x10000, MEM_RESERVED },
		{ 0xffffffff00000000ull, UINT64_MAX, MEM_USABLE },
	};
	build(raw, 3);
	check_invariants(&map);
	expect_region(0, 1 * MiB, 1 * MiB, MEM_USABLE);
	/* usable up to the last whole page below the reserved top page */
	expect_region(1, 0xffffffff00000000ull,
		      0xfffff000ull, MEM_USABLE);
	expect_region(2, UINT64_MAX - 0xfff, 0xfff, MEM_RESERVED);
	assert_int_equal(map.count, 3);
}

static void test_usable_at_the_top_of_the_address_space(void **state)
{
	const struct mem_region raw[] = {
		{ 0xfffffffffff00000ull, 0x100000, MEM_USABLE },
	};
	build(raw, 1);
	/* The end clamps to 2^64 - 1, so the last page is not whole. */
	expect_region(0, 0xfffffffffff00000ull, 0xff000, MEM_USABLE);
	assert_int_equal(map.count, 1);

	/* A usable sliver inside the very last page: rounding its base up
	 * must not wrap to 0. */
	const struct mem_region last[] = {
		{ 1 * MiB, 1 * MiB, MEM_USABLE },
		{ UINT64_MAX - 0x7ff, 0x800, MEM_USABLE },
	};
	build(last, 2);
	expect_region(0, 1 * MiB, 1 * MiB, MEM_USABLE);
	assert_int_equal(map.count, 1);
}

static void test_no_usable_memory(void **state)
{
	const struct mem_region reserved[] = { { 0, 1 * MiB, MEM_RESERVED } };
	const struct mem_region tiny[] = { { 0x100, 0x800, MEM_USABLE } };
	const struct mem_region fw[] = {
		{ 1 * MiB, 1 * MiB, MEM_FIRMWARE_RECLAIM },
	};
	char err[128];

	assert_int_equal(memmap_build(&map, reserved, 1, err, sizeof(err)),
			 MEMMAP_ERR_NO_RAM);
	assert_non_null(strstr(err, "no usable RAM"));
	assert_int_equal(map.count, 0);
	assert_int_equal(memmap_build(&map, reserved, 0, err, sizeof(err)),
			 MEMMAP_ERR_NO_RAM);
	assert_int_equal(memmap_build(&map, tiny, 1, err, sizeof(err)),
			 MEMMAP_ERR_NO_RAM);
	/* Reclaimable firmware memory alone cannot boot Volt. */
	assert_int_equal(memmap_build(&map, fw, 1, err, sizeof(err)),
			 MEMMAP_ERR_NO_RAM);
}

static struct mem_region many[MEMMAP_MAX + 8];

static void test_too_many_regions(void **state)
{
	char err[128];

	/* MEMMAP_MAX separate regions fit exactly. */
	for (uint32_t i = 0; i < MEMMAP_MAX; i++)
		many[i] = (struct mem_region){ i * 2 * PAGE_SIZE, PAGE_SIZE,
					       MEM_USABLE };
	build(many, MEMMAP_MAX);
	assert_int_equal(map.count, MEMMAP_MAX);

	/* One more input region is refused. */
	many[MEMMAP_MAX] = (struct mem_region){ 1ull << 40, PAGE_SIZE,
						MEM_USABLE };
	assert_int_equal(memmap_build(&map, many, MEMMAP_MAX + 1, err,
				      sizeof(err)), MEMMAP_ERR_TOO_MANY);
	assert_non_null(strstr(err, "too many regions"));
	assert_int_equal(map.count, 0);

	/* Few inputs, too many outputs: holes punched in one region. */
	many[0] = (struct mem_region){ 0, 1ull << 30, MEM_USABLE };
	for (uint32_t i = 1; i < 200; i++)
		many[i] = (struct mem_region){ i * 16 * PAGE_SIZE, PAGE_SIZE,
					       MEM_RESERVED };
	assert_int_equal(memmap_build(&map, many, 200, err, sizeof(err)),
			 MEMMAP_ERR_TOO_MANY);
	assert_int_equal(map.count, 0);
}

static void test_error_message_truncated_safely(void **state)
{
	const struct mem_region raw[] = { { 0, 1 * MiB, MEM_RESERVED } };
	char err[8];

	memset(err, 'x', sizeof(err));
	assert_int_equal(memmap_build(&map, raw, 1, err, sizeof(err)),
			 MEMMAP_ERR_NO_RAM);
	assert_int_equal(strlen(err), sizeof(err) - 1);
}

static void test_reserve_image_and_modules(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 64 * MiB, MEM_USABLE },
		{ 32 * MiB, 1 * MiB, MEM_ACPI_RECLAIM },
	};
	build(raw, 2);
	assert_int_equal(memmap_reserve(&map, 1 * MiB, 0x20000, MEM_VOLT),
			 MEMMAP_OK);
	assert_int_equal(memmap_reserve(&map, 2 * MiB, 0x123, MEM_MODULE),
			 MEMMAP_OK);
	/* A module over ACPI tables leaves the tables alone. */
	assert_int_equal(memmap_reserve(&map, 32 * MiB, 2 * MiB, MEM_MODULE),
			 MEMMAP_OK);
	check_invariants(&map);
	expect_region(0, 0, 1 * MiB, MEM_USABLE);
	expect_region(1, 1 * MiB, 0x20000, MEM_VOLT);
	expect_region(2, 1 * MiB + 0x20000, 1 * MiB - 0x20000, MEM_USABLE);
	expect_region(3, 2 * MiB, 0x123, MEM_MODULE);
	expect_region(4, 2 * MiB + 0x1000, 30 * MiB - 0x1000, MEM_USABLE);
	expect_region(5, 32 * MiB, 1 * MiB, MEM_ACPI_RECLAIM);
	expect_region(6, 33 * MiB, 1 * MiB, MEM_MODULE);
	expect_region(7, 34 * MiB, 30 * MiB, MEM_USABLE);
	assert_int_equal(map.count, 8);
	assert_int_equal(memmap_total(&map, MEM_MODULE), 0x123 + 1 * MiB);
}

static void test_reserve_edge_cases(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 16 * MiB, MEM_USABLE },
		{ 4 * MiB, 1 * MiB, MEM_RESERVED },
	};
	build(raw, 2);
	struct memmap before = map;

	/* Nothing to do. */
	assert_int_equal(memmap_reserve(&map, 8 * MiB, 0, MEM_VOLT),
			 MEMMAP_OK);
	assert_memory_equal(&before, &map, sizeof(map));
	/* "Reserving" usable memory never frees reserved memory. */
	assert_int_equal(memmap_reserve(&map, 4 * MiB, 1 * MiB, MEM_USABLE),
			 MEMMAP_OK);
	assert_memory_equal(before.r, map.r, map.count * sizeof(map.r[0]));
	assert_int_equal(map.count, before.count);
	/* Reserving past the end of RAM adds a region there. */
	assert_int_equal(memmap_reserve(&map, 15 * MiB, 2 * MiB, MEM_VOLT),
			 MEMMAP_OK);
	assert_int_equal(memmap_type_at(&map, 17 * MiB - 1), MEM_VOLT);
	assert_int_equal(memmap_type_at(&map, 17 * MiB), 0);
	/* Wrapping carve-out: clamped at the top. */
	assert_int_equal(memmap_reserve(&map, UINT64_MAX - 0xff, 0x1000,
					MEM_BAD), MEMMAP_OK);
	assert_int_equal(memmap_type_at(&map, UINT64_MAX - 1), MEM_BAD);
	check_invariants(&map);
}

/* A carve-out that does not fit leaves the map exactly as it was. */
static void test_reserve_failure_leaves_map_unchanged(void **state)
{
	uint32_t n = MEMMAP_MAX - 1;

	for (uint32_t i = 0; i < n; i++)
		many[i] = (struct mem_region){ i * 4 * PAGE_SIZE,
					       2 * PAGE_SIZE, MEM_USABLE };
	build(many, n);
	assert_int_equal(map.count, n);
	struct memmap before = map;

	/* Splitting one region into three needs two more slots. */
	assert_int_equal(memmap_reserve(&map, PAGE_SIZE, 0x10, MEM_VOLT),
			 MEMMAP_ERR_TOO_MANY);
	assert_memory_equal(&before, &map, sizeof(map));
	/* Replacing a whole region needs none. */
	assert_int_equal(memmap_reserve(&map, 0, 2 * PAGE_SIZE, MEM_VOLT),
			 MEMMAP_OK);
	assert_int_equal(map.count, n);
	assert_int_equal(map.r[0].type, MEM_VOLT);
}

static void test_total_type_at_and_names(void **state)
{
	const struct mem_region raw[] = {
		{ 0, 1 * MiB, MEM_USABLE },
		{ 2 * MiB, 1 * MiB, MEM_USABLE },
		{ 4 * MiB, 0x10, MEM_ACPI_NVS },
	};
	build(raw, 3);
	assert_int_equal(memmap_total(&map, MEM_USABLE), 2 * MiB);
	assert_int_equal(memmap_total(&map, MEM_ACPI_NVS), 0x10);
	assert_int_equal(memmap_total(&map, MEM_BAD), 0);
	assert_int_equal(memmap_type_at(&map, 0), MEM_USABLE);
	assert_int_equal(memmap_type_at(&map, 1 * MiB), 0); /* a hole */
	assert_int_equal(memmap_type_at(&map, 4 * MiB + 0xf), MEM_ACPI_NVS);
	assert_int_equal(memmap_type_at(&map, 4 * MiB + 0x10), 0);

	assert_string_equal(mem_type_name(MEM_USABLE), "usable");
	assert_string_equal(mem_type_name(MEM_RESERVED), "reserved");
	assert_string_equal(mem_type_name(MEM_ACPI_RECLAIM), "ACPI tables");
	assert_string_equal(mem_type_name(MEM_ACPI_NVS), "ACPI NVS");
	assert_string_equal(mem_type_name(MEM_BAD), "bad");
	assert_string_equal(mem_type_name(MEM_VOLT), "Volt image");
	assert_string_equal(mem_type_name(MEM_MODULE), "boot module");
	assert_string_equal(mem_type_name(MEM_FIRMWARE_RECLAIM),
			    "firmware (reclaimable)");
	assert_string_equal(mem_type_name(1234), "unknown");
}

/*
 * Randomized: maps of up to 12 regions on 256-byte boundaries inside a
 * 16-page window, compared chunk by chunk with a brute-force model.
 */
#define R_CHUNK 256u
#define R_PAGES 16u
#define R_CHUNKS (R_PAGES * PAGE_SIZE / R_CHUNK)
#define R_PER_PAGE (PAGE_SIZE / R_CHUNK)

static uint32_t rng_state = 12345;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static unsigned rank_of(uint32_t type)
{
	for (unsigned i = 0; i < NPRIO; i++)
		if (priority[i] == type)
			return NPRIO - i;
	return 0;
}

static void test_random_against_model(void **state)
{
	const uint64_t base = 1 * MiB;

	for (int iter = 0; iter < 3000; iter++) {
		struct mem_region raw[12];
		uint32_t model[R_CHUNKS] = { 0 };
		uint32_t n = 1 + rng() % 12;

		for (uint32_t i = 0; i < n; i++) {
			uint32_t first = rng() % R_CHUNKS;
			uint32_t len = rng() % (R_CHUNKS - first + 1);
			uint32_t type = priority[rng() % NPRIO];
			if (rng() % 3 == 0)
				type = MEM_USABLE;
			raw[i] = (struct mem_region){
				base + first * R_CHUNK, len * R_CHUNK, type };
			for (uint32_t c = first; c < first + len; c++)
				if (rank_of(type) > rank_of(model[c]))
					model[c] = type;
		}
		/* Allocatable types keep only pages entirely theirs. */
		for (uint32_t pg = 0; pg < R_PAGES; pg++) {
			uint32_t *c = &model[pg * R_PER_PAGE];
			uint32_t t = c[0];
			int whole = 1;
			for (uint32_t k = 1; k < R_PER_PAGE; k++)
				whole &= c[k] == t;
			for (uint32_t k = 0; k < R_PER_PAGE; k++)
				if ((c[k] == MEM_USABLE ||
				     c[k] == MEM_FIRMWARE_RECLAIM) && !whole)
					c[k] = 0;
		}

		char err[128];
		int has_ram = 0;
		for (uint32_t c = 0; c < R_CHUNKS; c++)
			has_ram |= model[c] == MEM_USABLE;
		int rc = memmap_build(&map, raw, n, err, sizeof(err));
		assert_int_equal(rc, has_ram ? MEMMAP_OK : MEMMAP_ERR_NO_RAM);
		if (rc)
			continue;
		check_invariants(&map);
		for (uint32_t c = 0; c < R_CHUNKS; c++) {
			uint64_t a = base + c * R_CHUNK;
			assert_int_equal(memmap_type_at(&map, a), model[c]);
			assert_int_equal(memmap_type_at(&map, a + R_CHUNK - 1),
					 model[c]);
		}
		assert_int_equal(memmap_type_at(&map, base - 1), 0);
		assert_int_equal(memmap_type_at(&map,
						base + R_CHUNKS * R_CHUNK), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sorts_merges_and_drops_empty),
		cmocka_unit_test(test_priority_matrix),
		cmocka_unit_test(test_unknown_type_is_reserved),
		cmocka_unit_test(test_usable_shrunk_inward),
		cmocka_unit_test(test_touching_mid_page_keeps_the_page),
		cmocka_unit_test(test_sliver_takes_its_page),
		cmocka_unit_test(test_wrapping_regions_clamped),
		cmocka_unit_test(test_usable_at_the_top_of_the_address_space),
		cmocka_unit_test(test_no_usable_memory),
		cmocka_unit_test(test_too_many_regions),
		cmocka_unit_test(test_error_message_truncated_safely),
		cmocka_unit_test(test_reserve_image_and_modules),
		cmocka_unit_test(test_reserve_edge_cases),
		cmocka_unit_test(test_reserve_failure_leaves_map_unchanged),
		cmocka_unit_test(test_total_type_at_and_names),
		cmocka_unit_test(test_random_against_model),
	};
	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
