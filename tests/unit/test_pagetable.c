/* Host tests for the page-table builder: "physical" tables are slots of a
 * static arena, numbered from a fake base address. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/pagetable.h"

#define ARENA_TABLES 64
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
	};
	return cmocka_run_group_tests_name("pagetable", tests, NULL, NULL);
}
