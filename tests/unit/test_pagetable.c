/*
 * Host tests for the page-table builder (arch/x86/pagetable.c): "physical"
 * tables are slots of a static arena, numbered from a fake base address,
 * so the tests can also inspect raw entries.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/pagetable.h"

#define ARENA_TABLES 96
#define ARENA_BASE 0x40000000ull

static uint64_t arena[ARENA_TABLES][512] __attribute__((aligned(4096)));
static unsigned arena_used, arena_limit;

static uint64_t alloc_table(void *opaque)
{
	if (arena_used == arena_limit)
		return 0;
	memset(arena[arena_used], 0, sizeof(arena[0]));
	return ARENA_BASE + 4096ull * arena_used++;
}

static void *table_ptr(void *opaque, uint64_t phys)
{
	assert_true(phys >= ARENA_BASE);
	uint64_t i = (phys - ARENA_BASE) / 4096;
	assert_true(i < arena_used);
	return arena[i];
}

static struct pt_ctx ctx;

static int setup(void **state)
{
	arena_used = 0;
	arena_limit = ARENA_TABLES;
	ctx = (struct pt_ctx){ .alloc_table = alloc_table,
			       .table_ptr = table_ptr };
	ctx.root = alloc_table(0);
	return 0;
}

static void expect_map(uint64_t va, uint64_t pa, uint64_t flags)
{
	uint64_t got_pa, got_flags;
	assert_int_equal(pt_lookup(&ctx, va, &got_pa, &got_flags), PT_OK);
	assert_int_equal(got_pa, pa);
	assert_int_equal(got_flags, flags);
}

static void test_uses_2m_pages_when_aligned(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 4 << 20, PT_WRITE | PT_NX), PT_OK);
	/* PML4 + PDPT + PD, no page table. */
	assert_int_equal(arena_used, 3);
	expect_map(0x123456, 0x123456, PT_PRESENT | PT_WRITE | PT_NX | PT_HUGE);
	expect_map(0x3fffff, 0x3fffff, PT_PRESENT | PT_WRITE | PT_NX | PT_HUGE);
}

static void test_uses_4k_pages_when_unaligned(void **state)
{
	assert_int_equal(pt_map(&ctx, 0x201000, 0x7000, 0x3000, PT_WRITE), PT_OK);
	assert_int_equal(arena_used, 4); /* a page table was needed */
	expect_map(0x202abc, 0x8abc, PT_PRESENT | PT_WRITE);
	uint64_t pa, fl;
	assert_int_equal(pt_lookup(&ctx, 0x204000, &pa, &fl), PT_ERR_NOTMAPPED);
	assert_int_equal(pt_lookup(&ctx, 0x200000, &pa, &fl), PT_ERR_NOTMAPPED);
}

static void test_split_keeps_the_other_pages(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 2 << 20, PT_WRITE | PT_NX), PT_OK);
	/* Make one 4K page read-only and executable inside the 2M page. */
	assert_int_equal(pt_map(&ctx, 0x5000, 0x5000, 0x1000, 0), PT_OK);
	expect_map(0x5000, 0x5000, PT_PRESENT);
	for (uint64_t va = 0; va < (2 << 20); va += 0x1000)
		if (va != 0x5000)
			expect_map(va, va, PT_PRESENT | PT_WRITE | PT_NX);
}

static void test_unmap(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 8 << 20, PT_WRITE), PT_OK);
	assert_int_equal(pt_unmap(&ctx, 0, 0x1000), PT_OK);      /* splits */
	assert_int_equal(pt_unmap(&ctx, 2 << 20, 2 << 20), PT_OK); /* whole */
	uint64_t pa, fl;
	assert_int_equal(pt_lookup(&ctx, 0, &pa, &fl), PT_ERR_NOTMAPPED);
	expect_map(0x1000, 0x1000, PT_PRESENT | PT_WRITE);
	assert_int_equal(pt_lookup(&ctx, 3 << 20, &pa, &fl), PT_ERR_NOTMAPPED);
	expect_map(4 << 20, 4 << 20, PT_PRESENT | PT_WRITE | PT_HUGE);
	/* Unmapping what is not mapped is fine. */
	assert_int_equal(pt_unmap(&ctx, 1ull << 40, 0x2000), PT_OK);
}

static void test_high_and_canonical_addresses(void **state)
{
	uint64_t va = 0xffff800000000000ull;
	assert_int_equal(pt_map(&ctx, va, 5ull << 32, 2 << 20, 0), PT_OK);
	expect_map(va + 0x10, (5ull << 32) + 0x10, PT_PRESENT | PT_HUGE);
	assert_int_equal(pt_map(&ctx, 0x0000800000000000ull, 0, 0x1000, 0),
			 PT_ERR_RANGE);
	uint64_t pa, fl;
	assert_int_equal(pt_lookup(&ctx, 0x0000800000000000ull, &pa, &fl),
			 PT_ERR_RANGE);
}

static void test_rejects_unaligned(void **state)
{
	assert_int_equal(pt_map(&ctx, 0x1001, 0, 0x1000, 0), PT_ERR_ALIGN);
	assert_int_equal(pt_map(&ctx, 0x1000, 0x10, 0x1000, 0), PT_ERR_ALIGN);
	assert_int_equal(pt_map(&ctx, 0x1000, 0, 0x10, 0), PT_ERR_ALIGN);
	assert_int_equal(pt_unmap(&ctx, 0x10, 0x1000), PT_ERR_ALIGN);
	assert_int_equal(pt_map(&ctx, 0, 1ull << 52, 0x1000, 0), PT_ERR_ALIGN);
}

static void test_out_of_memory(void **state)
{
	arena_limit = 2; /* root + one more: not enough for PDPT+PD */
	assert_int_equal(pt_map(&ctx, 0, 0, 0x1000, 0), PT_ERR_NOMEM);
}

/* Raw entry access: the table holding va's entry at `level`. */
static uint64_t raw_entry(uint64_t va, int level)
{
	uint64_t *t = table_ptr(0, ctx.root);
	for (int l = 4; l > level; l--) {
		uint64_t e = t[(va >> (12 + 9 * (l - 1))) & 511];
		assert_true(e & PT_PRESENT);
		assert_false(l == 2 && (e & PT_HUGE));
		t = table_ptr(0, e & PT_ADDR_MASK);
	}
	return t[(va >> (12 + 9 * (level - 1))) & 511];
}

static void test_mixed_4k_2m_4k(void **state)
{
	/* [1M, 2M) 4K pages, [2M, 6M) 2M pages, [6M, 6M+8K) 4K pages. */
	uint64_t len = (5 << 20) + 0x2000;
	assert_int_equal(pt_map(&ctx, 1 << 20, 1 << 20, len, PT_WRITE), PT_OK);
	assert_int_equal(arena_used, 5); /* PML4, PDPT, PD, 2 PTs */
	expect_map(1 << 20, 1 << 20, PT_PRESENT | PT_WRITE);
	expect_map((2 << 20) - 1, (2 << 20) - 1, PT_PRESENT | PT_WRITE);
	expect_map(2 << 20, 2 << 20, PT_PRESENT | PT_WRITE | PT_HUGE);
	expect_map((6 << 20) - 1, (6 << 20) - 1,
		   PT_PRESENT | PT_WRITE | PT_HUGE);
	expect_map((6 << 20) + 0x1fff, (6 << 20) + 0x1fff,
		   PT_PRESENT | PT_WRITE);
	uint64_t pa, fl;
	assert_int_equal(pt_lookup(&ctx, (6 << 20) + 0x2000, &pa, &fl),
			 PT_ERR_NOTMAPPED);
	assert_int_equal(pt_lookup(&ctx, (1 << 20) - 1, &pa, &fl),
			 PT_ERR_NOTMAPPED);
}

/* 2M pages need va *and* pa aligned. */
static void test_pa_misaligned_uses_4k(void **state)
{
	assert_int_equal(pt_map(&ctx, 2 << 20, (2 << 20) + 0x1000, 2 << 20,
				PT_WRITE), PT_OK);
	assert_int_equal(arena_used, 4);
	expect_map(2 << 20, (2 << 20) + 0x1000, PT_PRESENT | PT_WRITE);
	expect_map((4 << 20) - 0x1000, 4 << 20, PT_PRESENT | PT_WRITE);
}

static void test_nx_and_global_survive_a_split(void **state)
{
	uint64_t fl = PT_WRITE | PT_NX | PT_GLOBAL | PT_PCD;
	assert_int_equal(pt_map(&ctx, 4 << 20, 4 << 20, 2 << 20, fl), PT_OK);
	assert_int_equal(pt_unmap(&ctx, (5 << 20) + 0x3000, 0x1000), PT_OK);
	for (uint64_t va = 4 << 20; va < (6 << 20); va += 0x1000) {
		if (va == (5 << 20) + 0x3000)
			continue;
		expect_map(va, va, PT_PRESENT | fl);
		/* PS must not leak into the PTE, where bit 7 is PAT. */
		assert_false(raw_entry(va, 1) & PT_HUGE);
	}
	/* Non-leaf entries never carry NX: it would cover everything
	 * below them. */
	assert_false(raw_entry(4 << 20, 4) & PT_NX);
	assert_false(raw_entry(4 << 20, 3) & PT_NX);
	assert_false(raw_entry(4 << 20, 2) & PT_NX);
	assert_true(raw_entry(4 << 20, 2) & PT_WRITE);
}

static void test_remap_changes_flags(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 4 << 20, PT_WRITE | PT_NX), PT_OK);
	assert_int_equal(pt_map(&ctx, 0, 0, 2 << 20, 0), PT_OK);
	expect_map(0x1000, 0x1000, PT_PRESENT | PT_HUGE);
	expect_map(2 << 20, 2 << 20, PT_PRESENT | PT_WRITE | PT_NX | PT_HUGE);
	assert_int_equal(arena_used, 3);
	/* Remap to another physical address. */
	assert_int_equal(pt_map(&ctx, 2 << 20, 8 << 20, 2 << 20, PT_WRITE),
			 PT_OK);
	expect_map((2 << 20) + 5, (8 << 20) + 5,
		   PT_PRESENT | PT_WRITE | PT_HUGE);
	/* Bits a caller may not set directly are ignored. */
	assert_int_equal(pt_map(&ctx, 8 << 20, 8 << 20, 0x1000,
				PT_HUGE | PT_ACCESSED | PT_DIRTY | (1ull << 52)),
			 PT_OK);
	expect_map(8 << 20, 8 << 20, PT_PRESENT);
	assert_int_equal(raw_entry(8 << 20, 1), (8 << 20) | PT_PRESENT);
}

/* A 2M mapping over a range that already has a page table keeps the
 * table (its other entries may matter) and fills it with 4K entries. */
static void test_2m_over_page_table_stays_4k(void **state)
{
	assert_int_equal(pt_map(&ctx, 0x5000, 0x5000, 0x1000, 0), PT_OK);
	unsigned used = arena_used;
	assert_int_equal(pt_map(&ctx, 0, 16 << 20, 2 << 20, PT_WRITE), PT_OK);
	assert_int_equal(arena_used, used);
	for (uint64_t va = 0; va < (2 << 20); va += 0x1000)
		expect_map(va, (16 << 20) + va, PT_PRESENT | PT_WRITE);
}

static void test_user_reaches_the_intermediate_levels(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 0x1000, PT_WRITE), PT_OK);
	assert_false(raw_entry(0, 4) & PT_USER);
	assert_int_equal(pt_map(&ctx, 0x1000, 0x1000, 0x1000, PT_USER), PT_OK);
	assert_true(raw_entry(0, 4) & PT_USER);
	assert_true(raw_entry(0, 3) & PT_USER);
	assert_true(raw_entry(0, 2) & PT_USER);
	expect_map(0x1000, 0x1000, PT_PRESENT | PT_USER);
	expect_map(0, 0, PT_PRESENT | PT_WRITE); /* still supervisor */
}

static void test_unmap_details(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 4 << 20, PT_WRITE), PT_OK);
	/* Unaligned to 2M: the first 2M page splits, the second is
	 * removed whole, nothing else changes. */
	assert_int_equal(pt_unmap(&ctx, 0x1ff000, 0x201000), PT_OK);
	unsigned used = arena_used;
	uint64_t pa, fl;
	expect_map(0x1fe000, 0x1fe000, PT_PRESENT | PT_WRITE);
	assert_int_equal(pt_lookup(&ctx, 0x1ff000, &pa, &fl),
			 PT_ERR_NOTMAPPED);
	assert_int_equal(pt_lookup(&ctx, 0x3fffff, &pa, &fl),
			 PT_ERR_NOTMAPPED);
	assert_int_equal(raw_entry(2 << 20, 2), 0);
	/* Huge unmapped stretches are skipped cheaply and allocate
	 * nothing (1 TiB here). */
	assert_int_equal(pt_unmap(&ctx, 4 << 20, 1ull << 40), PT_OK);
	assert_int_equal(arena_used, used);
	expect_map(0x1000, 0x1000, PT_PRESENT | PT_WRITE);
	/* Starting inside a hole, mid-way through its 2M and 1G spans:
	 * the skip must stop at the next boundary, not a span later. */
	assert_int_equal(pt_map(&ctx, 8 << 20, 8 << 20, 2 << 20, PT_WRITE),
			 PT_OK);
	assert_int_equal(pt_map(&ctx, 1ull << 30, 0, 2 << 20, PT_WRITE),
			 PT_OK);
	assert_int_equal(pt_unmap(&ctx, 7 << 20, 2 << 20), PT_OK);
	assert_int_equal(pt_lookup(&ctx, 8 << 20, &pa, &fl), PT_ERR_NOTMAPPED);
	expect_map(9 << 20, 9 << 20, PT_PRESENT | PT_WRITE);
	assert_int_equal(pt_unmap(&ctx, (1ull << 30) - (3 << 20), 4 << 20),
			 PT_OK);
	assert_int_equal(pt_lookup(&ctx, 1ull << 30, &pa, &fl),
			 PT_ERR_NOTMAPPED);
	expect_map((1ull << 30) + (1 << 20), 1 << 20, PT_PRESENT | PT_WRITE);
	/* Length 0 is a no-op everywhere. */
	assert_int_equal(pt_unmap(&ctx, 0, 0), PT_OK);
	assert_int_equal(pt_map(&ctx, 0, 0, 0, 0), PT_OK);
	expect_map(0, 0, PT_PRESENT | PT_WRITE);
	/* The top of the address space: no wrap-around. */
	assert_int_equal(pt_unmap(&ctx, 0xffffffffffe00000ull, 0x200000),
			 PT_OK);
}

static void test_range_checks(void **state)
{
	uint64_t pa, fl;
	/* Crossing the canonical hole, with both ends canonical. */
	assert_int_equal(pt_map(&ctx, 0x1000, 0x1000,
				0xffff800000000000ull - 0x1000, 0),
			 PT_ERR_RANGE);
	assert_int_equal(pt_map(&ctx, 0x7ffffffff000ull, 0, 0x2000, 0),
			 PT_ERR_RANGE);
	/* Wrapping past 2^64. */
	assert_int_equal(pt_map(&ctx, 0xfffffffffffff000ull, 0, 0x2000, 0),
			 PT_ERR_RANGE);
	assert_int_equal(pt_unmap(&ctx, 0xfffffffffffff000ull, 0x2000),
			 PT_ERR_RANGE);
	/* The last canonical page is fine. */
	assert_int_equal(pt_map(&ctx, 0xfffffffffffff000ull, 0x3000, 0x1000,
				PT_WRITE), PT_OK);
	expect_map(0xffffffffffffffffull, 0x3fff, PT_PRESENT | PT_WRITE);
	assert_int_equal(pt_map(&ctx, 0x7ffffffff000ull, 0, 0x1000, 0), PT_OK);
	/* Physical range past 2^52. */
	assert_int_equal(pt_map(&ctx, 0, (1ull << 52) - 0x1000, 0x2000, 0),
			 PT_ERR_ALIGN);
	assert_int_equal(pt_map(&ctx, 0x200000, (1ull << 52) - 0x200000,
				0x200000, 0), PT_OK);
	expect_map(0x200000, (1ull << 52) - 0x200000, PT_PRESENT | PT_HUGE);
	assert_int_equal(pt_lookup(&ctx, 0xffff7fffffffffffull, &pa, &fl),
			 PT_ERR_RANGE);
}

/* Out of memory in the middle of a split: the 2M page stays intact. */
static void test_out_of_memory_during_split(void **state)
{
	assert_int_equal(pt_map(&ctx, 0, 0, 2 << 20, PT_WRITE), PT_OK);
	arena_limit = arena_used;
	assert_int_equal(pt_map(&ctx, 0x3000, 0x3000, 0x1000, 0),
			 PT_ERR_NOMEM);
	assert_int_equal(pt_unmap(&ctx, 0x3000, 0x1000), PT_ERR_NOMEM);
	expect_map(0x3000, 0x3000, PT_PRESENT | PT_WRITE | PT_HUGE);
	/* Whole 2M pages still work without memory. */
	assert_int_equal(pt_map(&ctx, 0, 4 << 20, 2 << 20, 0), PT_OK);
	expect_map(0x3000, (4 << 20) + 0x3000, PT_PRESENT | PT_HUGE);
	arena_limit = ARENA_TABLES;
	assert_int_equal(pt_map(&ctx, 0x3000, 0x3000, 0x1000, 0), PT_OK);
	expect_map(0x3000, 0x3000, PT_PRESENT);
	expect_map(0x4000, (4 << 20) + 0x4000, PT_PRESENT);
}

/* Randomized: map/unmap random 4K-granular ranges of an 8 MiB window and
 * compare every page with a model. */
#define R_PAGES 2048u
static uint64_t model_pa[R_PAGES];
static uint64_t model_fl[R_PAGES];
static uint32_t rng_state = 4242;

static uint32_t rng(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 8;
}

static void test_random_against_model(void **state)
{
	const uint64_t flag_choice[] = { 0, PT_WRITE, PT_NX,
					 PT_WRITE | PT_NX | PT_GLOBAL };
	memset(model_fl, 0, sizeof(model_fl));
	for (int step = 0; step < 400; step++) {
		uint32_t first = rng() % R_PAGES;
		uint32_t n = 1 + rng() % (R_PAGES - first);
		if (rng() % 4 == 0)
			first &= ~511u, n = (n + 511) & ~511u;
		if (first + n > R_PAGES)
			n = R_PAGES - first;
		uint64_t va = (uint64_t)first << 12;
		if (rng() % 3) {
			uint64_t pa = ((uint64_t)(rng() % 64) << 21) +
				      ((rng() % 2) ? 0 : (uint64_t)first << 12);
			uint64_t fl = flag_choice[rng() % 4];
			assert_int_equal(pt_map(&ctx, va, pa,
						(uint64_t)n << 12, fl), PT_OK);
			for (uint32_t k = 0; k < n; k++) {
				model_pa[first + k] = pa + ((uint64_t)k << 12);
				model_fl[first + k] = fl | PT_PRESENT;
			}
		} else {
			assert_int_equal(pt_unmap(&ctx, va, (uint64_t)n << 12),
					 PT_OK);
			for (uint32_t k = 0; k < n; k++)
				model_fl[first + k] = 0;
		}
		for (uint32_t k = 0; k < R_PAGES; k++) {
			uint64_t pa, fl;
			int rc = pt_lookup(&ctx, (uint64_t)k << 12, &pa, &fl);
			if (!model_fl[k]) {
				assert_int_equal(rc, PT_ERR_NOTMAPPED);
				continue;
			}
			assert_int_equal(rc, PT_OK);
			assert_int_equal(pa, model_pa[k]);
			assert_int_equal(fl & ~PT_HUGE, model_fl[k]);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_uses_2m_pages_when_aligned, setup),
		cmocka_unit_test_setup(test_uses_4k_pages_when_unaligned, setup),
		cmocka_unit_test_setup(test_split_keeps_the_other_pages, setup),
		cmocka_unit_test_setup(test_unmap, setup),
		cmocka_unit_test_setup(test_high_and_canonical_addresses, setup),
		cmocka_unit_test_setup(test_rejects_unaligned, setup),
		cmocka_unit_test_setup(test_out_of_memory, setup),
		cmocka_unit_test_setup(test_mixed_4k_2m_4k, setup),
		cmocka_unit_test_setup(test_pa_misaligned_uses_4k, setup),
		cmocka_unit_test_setup(test_nx_and_global_survive_a_split, setup),
		cmocka_unit_test_setup(test_remap_changes_flags, setup),
		cmocka_unit_test_setup(test_2m_over_page_table_stays_4k, setup),
		cmocka_unit_test_setup(test_user_reaches_the_intermediate_levels,
				       setup),
		cmocka_unit_test_setup(test_unmap_details, setup),
		cmocka_unit_test_setup(test_range_checks, setup),
		cmocka_unit_test_setup(test_out_of_memory_during_split, setup),
		cmocka_unit_test_setup(test_random_against_model, setup),
	};
	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}
