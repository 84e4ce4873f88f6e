/* Host tests for the EPT builder: "host-physical" tables are slots of a
 * static arena, numbered from a fake base address. Entries are also read
 * raw, to check the exact bits the CPU will walk (SDM vol. 3C 29.3.2). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/ept.h"

#define ARENA_TABLES 64
#define ARENA_BASE 0x40000000ull
#define MIB (1ull << 20)
#define GIB (1ull << 30)

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
	assert_int_equal(phys & 0xfff, 0);
	uint64_t i = (phys - ARENA_BASE) / 4096;
	assert_true(i < arena_used);
	return arena[i];
}

static struct ept_ctx ctx;

static int setup(void **state)
{
	arena_used = 0;
	arena_limit = ARENA_TABLES;
	ctx = (struct ept_ctx){ .alloc_table = alloc_table,
				.table_ptr = table_ptr };
	ctx.root = alloc_table(0);
	return 0;
}

/* The raw entry for gpa at level (4 = PML4E ... 1 = PTE); 0 if a table on
 * the way is missing. */
static uint64_t raw_entry(uint64_t gpa, int level)
{
	uint64_t *t = table_ptr(0, ctx.root);
	for (int l = 4;; l--) {
		uint64_t e = t[(gpa >> (12 + 9 * (l - 1))) & 511];
		if (l == level)
			return e;
		if (!(e & EPT_RWX) || (e & EPT_LARGE))
			return 0;
		t = table_ptr(0, e & EPT_ADDR_MASK);
	}
}

static void expect_map(uint64_t gpa, uint64_t hpa, uint64_t perms)
{
	uint64_t got_hpa = 0, got_perms = 0;
	assert_int_equal(ept_lookup(&ctx, gpa, &got_hpa, &got_perms), EPT_OK);
	assert_int_equal(got_hpa, hpa);
	assert_int_equal(got_perms, perms);
}

static void expect_unmapped(uint64_t gpa)
{
	uint64_t hpa, perms;
	assert_int_equal(ept_lookup(&ctx, gpa, &hpa, &perms),
			 EPT_ERR_NOTMAPPED);
}

static void test_2m_leaf_bits(void **state)
{
	assert_int_equal(ept_map(&ctx, 0, 0x80000000, 4 * MIB, EPT_RWX), EPT_OK);
	assert_int_equal(arena_used, 3); /* PML4, PDPT, PD: no page table */
	/* RWX, WB (6) in bits 5:3, bit 7: exactly 0xb7 over the address. */
	assert_int_equal(raw_entry(0, 2), 0x80000000ull | 0xb7);
	assert_int_equal(raw_entry(2 * MIB, 2), 0x80200000ull | 0xb7);
	/* Non-leaf entries: RWX and the next table's address, nothing else. */
	assert_int_equal(raw_entry(0, 4), ARENA_BASE + 0x1000 + 7);
	assert_int_equal(raw_entry(0, 3), ARENA_BASE + 0x2000 + 7);
	expect_map(0x123456, 0x80123456, EPT_RWX);
	expect_map(0x3fffff, 0x803fffff, EPT_RWX);
	expect_unmapped(4 * MIB);
}

static void test_4k_leaf_bits(void **state)
{
	assert_int_equal(ept_map(&ctx, 0x201000, 0x7000, 0x3000,
				 EPT_READ | EPT_WRITE), EPT_OK);
	assert_int_equal(arena_used, 4);
	/* RW + WB, no bit 7 in a PTE. */
	assert_int_equal(raw_entry(0x202000, 1), 0x8000ull | 0x33);
	expect_map(0x202abc, 0x8abc, EPT_READ | EPT_WRITE);
	expect_unmapped(0x200000);
	expect_unmapped(0x204000);
}

static void test_misaligned_hpa_gets_4k_pages(void **state)
{
	/* gpa 2M-aligned, hpa only 4K-aligned: no 2 MiB leaf possible. */
	assert_int_equal(ept_map(&ctx, 2 * MIB, 0x1001000, 2 * MIB, EPT_RWX),
			 EPT_OK);
	assert_int_equal(arena_used, 4);
	assert_int_equal(raw_entry(2 * MIB, 2) & EPT_LARGE, 0);
	expect_map(2 * MIB, 0x1001000, EPT_RWX);
	expect_map(4 * MIB - 1, 0x1001000 + 2 * MIB - 1, EPT_RWX);
}

static void test_mixed_sizes_in_one_range(void **state)
{
	/* 1M..5M: 4K pages up to 2M, one 2M page, 4K pages from 4M. */
	assert_int_equal(ept_map(&ctx, 1 * MIB, 1 * MIB, 4 * MIB, EPT_RWX),
			 EPT_OK);
	assert_int_equal(arena_used, 5); /* PML4, PDPT, PD and two PTs */
	assert_true(raw_entry(2 * MIB, 2) & EPT_LARGE);
	assert_int_equal(raw_entry(1 * MIB, 2) & EPT_LARGE, 0);
	assert_int_equal(raw_entry(4 * MIB, 2) & EPT_LARGE, 0);
	expect_map(5 * MIB - 1, 5 * MIB - 1, EPT_RWX);
	expect_unmapped(5 * MIB);
	expect_unmapped(1 * MIB - 1);
}

static void test_split_keeps_the_other_pages(void **state)
{
	assert_int_equal(ept_map(&ctx, 0, 0x10000000, 2 * MIB, EPT_RWX), EPT_OK);
	/* One page becomes read-only, somewhere else in host memory. */
	assert_int_equal(ept_map(&ctx, 0x5000, 0x99000, 0x1000, EPT_READ),
			 EPT_OK);
	assert_int_equal(arena_used, 4);
	expect_map(0x5000, 0x99000, EPT_READ);
	assert_int_equal(raw_entry(0x5000, 1), 0x99000ull | 0x31);
	for (uint64_t gpa = 0; gpa < 2 * MIB; gpa += 0x1000)
		if (gpa != 0x5000)
			expect_map(gpa, 0x10000000 + gpa, EPT_RWX);
	/* The split leaves keep WB and carry no bit 7. */
	assert_int_equal(raw_entry(0x6000, 1), 0x10006000ull | 0x37);
}

static unsigned freed[ARENA_TABLES], freed_count;

static void free_table(void *opaque, uint64_t phys)
{
	uint64_t i = (phys - ARENA_BASE) / 4096;
	assert_true(phys >= ARENA_BASE && i < arena_used);
	for (unsigned k = 0; k < freed_count; k++)
		assert_true(freed[k] != i); /* never twice */
	freed[freed_count++] = (unsigned)i;
}

/* Every table the builder allocated is freed exactly once, the root last;
 * 2 MiB leaves (which point into guest RAM) are not taken for tables. */
static void test_destroy_frees_every_table(void **state)
{
	freed_count = 0;
	assert_int_equal(ept_map(&ctx, 0, 0x40000000, 6 * MIB, EPT_RWX), EPT_OK);
	assert_int_equal(ept_map(&ctx, 0x1000, 0x1000, 0x1000, EPT_RWX), EPT_OK);
	assert_int_equal(ept_map(&ctx, 5 * GIB, 0x200000, 0x3000, EPT_READ),
			 EPT_OK);
	unsigned allocated = arena_used;
	ept_destroy(&ctx, free_table);
	assert_int_equal(freed_count, allocated);
	assert_int_equal(freed[freed_count - 1], 0); /* the root, last */
	assert_int_equal(ctx.root, 0);
	ept_destroy(&ctx, free_table); /* a second call does nothing */
	assert_int_equal(freed_count, allocated);
}

static void test_remap_2m_over_table_keeps_table(void **state)
{
	assert_int_equal(ept_map(&ctx, 0x1000, 0x1000, 0x1000, EPT_RWX), EPT_OK);
	assert_int_equal(ept_map(&ctx, 0, 0x400000, 2 * MIB, EPT_READ), EPT_OK);
	/* The page table stays; every 4K entry now says the new thing. */
	assert_int_equal(raw_entry(0, 2) & EPT_LARGE, 0);
	expect_map(0x1000, 0x401000, EPT_READ);
	expect_map(0x1ff000, 0x5ff000, EPT_READ);
}

static void test_unmap_4k_inside_2m(void **state)
{
	assert_int_equal(ept_map(&ctx, 0, 0, 4 * MIB, EPT_RWX), EPT_OK);
	assert_int_equal(ept_unmap(&ctx, 0x3000, 0x2000), EPT_OK);
	expect_unmapped(0x3000);
	expect_unmapped(0x4fff);
	expect_map(0x2fff, 0x2fff, EPT_RWX);
	expect_map(0x5000, 0x5000, EPT_RWX);
	/* The other 2M page was not split. */
	assert_true(raw_entry(2 * MIB, 2) & EPT_LARGE);
	assert_int_equal(arena_used, 4);
}

static void test_unmap_whole_2m_and_holes(void **state)
{
	assert_int_equal(ept_map(&ctx, 2 * MIB, 2 * MIB, 2 * MIB, EPT_RWX),
			 EPT_OK);
	/* A range with holes on both sides (and in never-built tables). */
	assert_int_equal(ept_unmap(&ctx, 0, 1 * GIB + 4 * MIB), EPT_OK);
	expect_unmapped(2 * MIB);
	assert_int_equal(raw_entry(2 * MIB, 2), 0);
	assert_int_equal(arena_used, 3); /* nothing split, nothing built */
	assert_int_equal(ept_unmap(&ctx, 0, 0), EPT_OK);
}

static void test_rejects_bad_input(void **state)
{
	assert_int_equal(ept_map(&ctx, 0x800, 0, 0x1000, EPT_RWX), EPT_ERR_ALIGN);
	assert_int_equal(ept_map(&ctx, 0, 0x10, 0x1000, EPT_RWX), EPT_ERR_ALIGN);
	assert_int_equal(ept_map(&ctx, 0, 0, 0x1001, EPT_RWX), EPT_ERR_ALIGN);
	/* The last page below 2^48 is fine, one more is not. */
	assert_int_equal(ept_map(&ctx, EPT_GPA_LIMIT - 0x1000, 0, 0x1000,
				 EPT_RWX), EPT_OK);
	expect_map(EPT_GPA_LIMIT - 1, 0xfff, EPT_RWX);
	assert_int_equal(ept_map(&ctx, EPT_GPA_LIMIT - 0x1000, 0, 0x2000,
				 EPT_RWX), EPT_ERR_RANGE);
	assert_int_equal(ept_map(&ctx, EPT_GPA_LIMIT, 0, 0x1000, EPT_RWX),
			 EPT_ERR_RANGE);
	/* Wrapping around 2^64. */
	assert_int_equal(ept_map(&ctx, 0xfffffffffffff000ull, 0, 0x2000,
				 EPT_RWX), EPT_ERR_RANGE);
	/* Host addresses must fit bits 51:12. */
	assert_int_equal(ept_map(&ctx, 0, EPT_HPA_LIMIT - 0x1000, 0x2000,
				 EPT_RWX), EPT_ERR_RANGE);
	assert_int_equal(ept_unmap(&ctx, EPT_GPA_LIMIT, 0x1000), EPT_ERR_RANGE);
	assert_int_equal(ept_unmap(&ctx, 0x10, 0x1000), EPT_ERR_ALIGN);
	uint64_t hpa, perms;
	assert_int_equal(ept_lookup(&ctx, EPT_GPA_LIMIT, &hpa, &perms),
			 EPT_ERR_RANGE);
}

static void test_rejects_misconfigured_perms(void **state)
{
	/* Write-only, write+execute (misconfigurations), execute-only and
	 * none (not what a map is for), unknown bits. */
	const uint64_t bad[] = { EPT_WRITE, EPT_WRITE | EPT_EXEC, EPT_EXEC, 0,
				 EPT_RWX | EPT_LARGE, EPT_READ | EPT_MEMTYPE_WB };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ept_map(&ctx, 0, 0, 0x1000, bad[i]),
				 EPT_ERR_PERMS);
	assert_int_equal(arena_used, 1); /* nothing was built */
	assert_int_equal(ept_map(&ctx, 0, 0, 0x1000, EPT_READ | EPT_EXEC),
			 EPT_OK);
	expect_map(0, 0, EPT_READ | EPT_EXEC);
}

static void test_out_of_memory(void **state)
{
	arena_limit = 2; /* root + PDPT: the PD cannot be allocated */
	assert_int_equal(ept_map(&ctx, 0, 0, 0x1000, EPT_RWX), EPT_ERR_NOMEM);
	arena_limit = 3; /* PD fits, then a split needs a page table */
	assert_int_equal(ept_map(&ctx, 0, 0, 2 * MIB, EPT_RWX), EPT_OK);
	assert_int_equal(ept_unmap(&ctx, 0x1000, 0x1000), EPT_ERR_NOMEM);
	expect_map(0x1000, 0x1000, EPT_RWX); /* the 2M page is intact */
}

static void test_map_ram_from_chunks(void **state)
{
	/* 3 MiB + 1 MiB + 4 MiB of host memory as 8 MiB of guest RAM. The
	 * third chunk lands at gpa 4M with a 2M-aligned hpa: 2 MiB pages. */
	const struct ept_chunk chunks[] = {
		{ 0x10000000, 3 * MIB },
		{ 0x20300000, 1 * MIB },
		{ 0x30000000, 4 * MIB },
	};
	uint64_t ram = 0;
	assert_int_equal(ept_map_ram(&ctx, chunks, 3, EPT_RWX, &ram), EPT_OK);
	assert_int_equal(ram, 8 * MIB);
	expect_map(0, 0x10000000, EPT_RWX);
	expect_map(3 * MIB - 1, 0x10000000 + 3 * MIB - 1, EPT_RWX);
	expect_map(3 * MIB, 0x20300000, EPT_RWX);
	expect_map(4 * MIB - 1, 0x20400000 - 1, EPT_RWX);
	expect_map(4 * MIB, 0x30000000, EPT_RWX);
	expect_map(8 * MIB - 1, 0x30400000 - 1, EPT_RWX);
	expect_unmapped(8 * MIB);
	assert_true(raw_entry(0, 2) & EPT_LARGE);
	assert_int_equal(raw_entry(2 * MIB, 2) & EPT_LARGE, 0);
	assert_true(raw_entry(4 * MIB, 2) & EPT_LARGE);
	assert_true(raw_entry(6 * MIB, 2) & EPT_LARGE);
}

static void test_map_ram_rejects_bad_chunk_before_mapping(void **state)
{
	const struct ept_chunk bad_align[] = {
		{ 0x10000000, 2 * MIB },
		{ 0x20000800, 1 * MIB },
	};
	const struct ept_chunk empty[] = {
		{ 0x10000000, 2 * MIB },
		{ 0x20000000, 0 },
	};
	uint64_t ram = 12345;
	assert_int_equal(ept_map_ram(&ctx, bad_align, 2, EPT_RWX, &ram),
			 EPT_ERR_ALIGN);
	assert_int_equal(ept_map_ram(&ctx, empty, 2, EPT_RWX, &ram),
			 EPT_ERR_RANGE);
	assert_int_equal(ram, 12345);
	assert_int_equal(arena_used, 1);
	expect_unmapped(0);
	assert_int_equal(ept_map_ram(&ctx, bad_align, 1, EPT_RWX, 0), EPT_OK);
	expect_map(0x1000, 0x10001000, EPT_RWX);
}

static void test_eptp(void **state)
{
	/* WB (6) | (4 - 1) << 3 = 0x1e; A/D is bit 6. */
	assert_int_equal(ept_eptp(0x12345000, false), 0x1234501eull);
	assert_int_equal(ept_eptp(0x12345000, true), 0x1234505eull);
	/* Stray low bits of the root never leak into the control bits. */
	assert_int_equal(ept_eptp(0x12345fff, false), 0x1234501eull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_2m_leaf_bits, setup),
		cmocka_unit_test_setup(test_4k_leaf_bits, setup),
		cmocka_unit_test_setup(test_misaligned_hpa_gets_4k_pages, setup),
		cmocka_unit_test_setup(test_mixed_sizes_in_one_range, setup),
		cmocka_unit_test_setup(test_split_keeps_the_other_pages, setup),
		cmocka_unit_test_setup(test_remap_2m_over_table_keeps_table, setup),
		cmocka_unit_test_setup(test_unmap_4k_inside_2m, setup),
		cmocka_unit_test_setup(test_unmap_whole_2m_and_holes, setup),
		cmocka_unit_test_setup(test_rejects_bad_input, setup),
		cmocka_unit_test_setup(test_rejects_misconfigured_perms, setup),
		cmocka_unit_test_setup(test_out_of_memory, setup),
		cmocka_unit_test_setup(test_map_ram_from_chunks, setup),
		cmocka_unit_test_setup(test_map_ram_rejects_bad_chunk_before_mapping,
				       setup),
		cmocka_unit_test_setup(test_eptp, setup),
		cmocka_unit_test_setup(test_destroy_frees_every_table, setup),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
