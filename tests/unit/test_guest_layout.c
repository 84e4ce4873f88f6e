/* Host tests for the guest boot layout: e820 map, boot GDT, identity
 * page tables (walked like the MMU would, SDM vol. 3A 4.5). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/loader/guest_layout.h"

#define MIB (1ull << 20)
#define GIB (1ull << 30)

static uint8_t low[MIB]; /* the first MiB of a pretend VM */

static uint64_t rd64(uint64_t gpa)
{
	uint64_t v;
	memcpy(&v, low + gpa, 8);
	return v;
}

/* Translate a 64-bit linear address through the tables at cr3; returns
 * ~0 when a level is not present. Only 2 MiB pages are expected. */
static uint64_t walk(uint64_t cr3, uint64_t va)
{
	uint64_t e = rd64(cr3 + ((va >> 39) & 511) * 8);
	if (!(e & 1))
		return ~0ull;
	assert_int_equal(e & 0x2, 0x2); /* writable */
	e = rd64((e & 0xffffffffff000ull) + ((va >> 30) & 511) * 8);
	if (!(e & 1))
		return ~0ull;
	assert_int_equal(e & 0x80, 0); /* no 1 GiB pages */
	e = rd64((e & 0xffffffffff000ull) + ((va >> 21) & 511) * 8);
	if (!(e & 1))
		return ~0ull;
	assert_int_equal(e & 0x82, 0x82); /* 2 MiB page, writable */
	return (e & 0xfffffffe00000ull) + (va & 0x1fffff);
}

static void test_e820(void **state)
{
	struct e820_entry m[4];

	assert_int_equal(sizeof(struct e820_entry), 20);
	assert_int_equal(guest_e820(64 * MIB, m, 4), 3);
	assert_int_equal(m[0].addr, 0);
	assert_int_equal(m[0].size, 0x9fc00);
	assert_int_equal(m[0].type, E820_RAM);
	assert_int_equal(m[1].addr, 0x9fc00);
	assert_int_equal(m[1].size, 0x100000 - 0x9fc00);
	assert_int_equal(m[1].type, E820_RESERVED);
	assert_int_equal(m[2].addr, 0x100000);
	assert_int_equal(m[2].size, 63 * MIB);
	assert_int_equal(m[2].type, E820_RAM);

	/* Large RAM: one block above 1 MiB, 64-bit sizes. */
	assert_int_equal(guest_e820(6 * GIB, m, 4), 3);
	assert_int_equal(m[2].size, 6 * GIB - MIB);

	/* Too small a buffer: count still returned, nothing past max. */
	memset(m, 0xee, sizeof(m));
	assert_int_equal(guest_e820(64 * MIB, m, 1), 3);
	assert_int_equal(m[0].size, 0x9fc00);
	assert_int_equal(m[1].type, 0xeeeeeeee);

	/* Exactly 1 MiB of RAM: no high entry. */
	assert_int_equal(guest_e820(MIB, m, 4), 2);
}

static void test_ram_ptr_and_overlap(void **state)
{
	uint8_t ram[64];

	assert_ptr_equal(guest_ram_ptr(ram, 64, 0, 64), ram);
	assert_ptr_equal(guest_ram_ptr(ram, 64, 60, 4), ram + 60);
	assert_null(guest_ram_ptr(ram, 64, 60, 5));
	assert_null(guest_ram_ptr(ram, 64, 65, 0));
	assert_null(guest_ram_ptr(ram, 64, 8, ~0ull)); /* wraps */
	assert_null(guest_ram_ptr(ram, 64, ~0ull, 2));

	assert_true(guest_ranges_overlap(0, 10, 9, 1));
	assert_false(guest_ranges_overlap(0, 10, 10, 1)); /* touching */
	assert_false(guest_ranges_overlap(10, 1, 0, 10));
	assert_false(guest_ranges_overlap(5, 0, 0, 10)); /* empty */
	assert_true(guest_ranges_overlap(~0ull - 1, 2, ~0ull, 1)); /* at top */
	assert_true(guest_ranges_overlap(0x30000, 0x10000, 0x3fff0, 0x100));
}

static void test_gdt(void **state)
{
	struct vcpu_boot b = { 0 };

	memset(low, 0xcc, sizeof(low));
	assert_int_equal(guest_write_boot_gdt(low, sizeof(low), true, &b), 0);
	assert_int_equal(b.gdt_base, 0x1000);
	assert_int_equal(b.gdt_limit, 31);
	assert_int_equal(b.code_sel, 0x10);
	assert_int_equal(b.data_sel, 0x18);
	assert_int_equal(rd64(0x1000), 0);
	assert_int_equal(rd64(0x1008), 0);
	/* 64-bit code: P, DPL 0, S, type 0xb (exec/read, accessed), G, L */
	assert_int_equal(rd64(0x1010), 0x00af9b000000ffffull);
	/* data: type 0x3 (read/write, accessed), G, B, limit 0xfffff */
	assert_int_equal(rd64(0x1018), 0x00cf93000000ffffull);
	assert_int_equal(low[0x1020], 0xcc); /* nothing past the table */

	assert_int_equal(guest_write_boot_gdt(low, sizeof(low), false, &b), 0);
	assert_int_equal(rd64(0x1010), 0x00cf9b000000ffffull); /* D=1, L=0 */

	assert_int_equal(guest_write_boot_gdt(low, 0x1010, false, &b), -1);
}

/* Every 2 MiB page below the mapped top is identity-mapped, the first
 * one above is not. */
static void check_map(uint64_t ram_bytes, uint64_t mapped)
{
	memset(low, 0xcc, sizeof(low));
	uint64_t cr3 = guest_write_identity_map(low, ram_bytes);
	assert_int_equal(cr3, 0x9000);
	for (uint64_t a = 0; a < mapped; a += 2 * MIB)
		assert_int_equal(walk(cr3, a + 0x1234), a + 0x1234);
	assert_int_equal(walk(cr3, mapped - 1), mapped - 1);
	assert_int_equal(walk(cr3, mapped), ~0ull);
	assert_int_equal(walk(cr3, 4 * GIB), ~0ull);
	assert_int_equal(walk(cr3, 1ull << 39), ~0ull); /* PML4[1] empty */
	assert_int_equal(low[0xf000], 0xcc); /* tables end at 0xefff */
	assert_int_equal(low[0x8fff], 0xcc);
}

static void test_identity_map(void **state)
{
	check_map(64 * MIB, 64 * MIB);
	check_map(65 * MIB + 4096, 66 * MIB); /* rounded up to 2 MiB */
	check_map(GIB + 2 * MIB, GIB + 2 * MIB); /* second PD, one entry */
	check_map(3 * GIB + 1, 3 * GIB + 2 * MIB);
	check_map(4 * GIB, 4 * GIB);
	check_map(6 * GIB, 4 * GIB); /* never more than 4 GiB */

	/* The PDPT points at consecutive PDs, PML4 at the PDPT. */
	guest_write_identity_map(low, 4 * GIB);
	assert_int_equal(rd64(0x9000), 0xa000 | 3);
	for (int i = 0; i < 4; i++)
		assert_int_equal(rd64(0xa000 + 8 * i),
				 (0xb000 + 0x1000 * i) | 3);
	assert_int_equal(rd64(0xa000 + 8 * 4), 0);
	assert_int_equal(rd64(0xb008), 0x200000 | 0x83);

	assert_int_equal(guest_write_identity_map(low, 0xe000), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_e820),
		cmocka_unit_test(test_ram_ptr_and_overlap),
		cmocka_unit_test(test_gdt),
		cmocka_unit_test(test_identity_map),
	};
	return cmocka_run_group_tests_name("guest_layout", tests, NULL, NULL);
}
