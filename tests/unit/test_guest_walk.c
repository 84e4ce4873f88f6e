/*
 * Host tests for the guest page-table walk (vmm/guest_walk.c).
 *
 * Each test builds the guest's page tables in a small fake guest RAM
 * (ram[], guest-physical 0 to RAM_SIZE) and translates through them in
 * every paging mode: page sizes, the rights combined over the levels,
 * CR0.WP, NX, SMEP, SMAP, reserved bits (incl. MAXPHYADDR), the exact
 * page-fault error codes of SDM 4.7, and guest_read_virt across pages.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/guest_walk.h"

#define RAM_SIZE (256 * 1024)
static uint8_t ram[RAM_SIZE];
static unsigned ptr_calls;

#define P   0x001ull
#define RW  0x002ull
#define US  0x004ull
#define PS  0x080ull
#define XD  (1ull << 63)

#define CR0_PE 0x1ull
#define CR0_WP (1ull << 16)
#define CR0_PG (1ull << 31)
#define CR4_PSE (1ull << 4)
#define CR4_PAE (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define RFLAGS_AC (1ull << 18)

#define RD 0u
#define WR GUEST_ACCESS_WRITE
#define USR GUEST_ACCESS_USER
#define FETCH GUEST_ACCESS_FETCH

#define PF_P GUEST_PFEC_PRESENT
#define PF_W GUEST_PFEC_WRITE
#define PF_U GUEST_PFEC_USER
#define PF_R GUEST_PFEC_RSVD
#define PF_I GUEST_PFEC_FETCH

static const void *gpa_ptr(void *opaque, uint64_t gpa, size_t len)
{
	ptr_calls++;
	if (gpa >= RAM_SIZE || len > RAM_SIZE - gpa)
		return NULL;
	assert_true((gpa & 0xfff) + len <= 4096); /* never crosses a page */
	return ram + gpa;
}

static void put32(uint64_t gpa, uint32_t v)
{
	memcpy(ram + gpa, &v, 4);
}

static void put64(uint64_t gpa, uint64_t v)
{
	memcpy(ram + gpa, &v, 8);
}

static struct guest_walk_ctx ctx;

static int setup(void **state)
{
	memset(ram, 0, sizeof(ram));
	memset(&ctx, 0, sizeof(ctx));
	ctx.gpa_ptr = gpa_ptr;
	ptr_calls = 0;
	return 0;
}

static uint64_t gpa_of(uint64_t gva, unsigned access)
{
	uint64_t gpa = 0;
	uint32_t pfec = 0xdead;
	assert_int_equal(guest_walk(&ctx, gva, access, &gpa, &pfec),
			 GUEST_WALK_OK);
	assert_int_equal(pfec, 0);
	return gpa;
}

static uint32_t pfec_of(uint64_t gva, unsigned access)
{
	uint64_t gpa = 0x5a5a;
	uint32_t pfec = 0;
	assert_int_equal(guest_walk(&ctx, gva, access, &gpa, &pfec),
			 GUEST_WALK_PAGE_FAULT);
	assert_int_equal(gpa, 0x5a5a); /* untouched on failure */
	return pfec;
}

static int walk_rc(uint64_t gva, unsigned access)
{
	uint64_t gpa;
	uint32_t pfec;
	return guest_walk(&ctx, gva, access, &gpa, &pfec);
}

/* ---- no paging ---------------------------------------------------- */

static void test_no_paging(void **state)
{
	ctx.cr0 = CR0_PE;
	assert_int_equal(gpa_of(0xfee00300, RD), 0xfee00300);
	assert_int_equal(gpa_of(0xfffffff0, FETCH | USR), 0xfffffff0);
	/* Linear addresses are 32 bits wide without paging. */
	assert_int_equal(gpa_of(0x100001000ull, WR), 0x1000);
	assert_int_equal(ptr_calls, 0);
}

/* ---- 32-bit paging ------------------------------------------------ */

/* CR3 = 0x1000: PD; PDE 1 -> PT at 0x2000. */
static void setup_32bit(uint64_t pte3_flags)
{
	ctx.cr0 = CR0_PE | CR0_PG;
	ctx.cr3 = 0x1000 | 0x18; /* PWT/PCD bits are not address bits */
	put32(0x1000 + 1 * 4, 0x2000 | P | RW | US);
	put32(0x2000 + 3 * 4, (uint32_t)(0x00abc000 | pte3_flags));
}

static void test_32bit_4k(void **state)
{
	setup_32bit(P | RW | US);
	assert_int_equal(gpa_of(0x00403123, RD), 0x00abc123);
	assert_int_equal(gpa_of(0x00403fff, WR | USR), 0x00abcfff);
	assert_int_equal(ptr_calls, 4);
	/* Not present, at the PTE and at the PDE: P = 0. No I/D bit with
	 * 32-bit paging (and no SMEP), even for a fetch. */
	assert_int_equal(pfec_of(0x00404000, RD), 0);
	assert_int_equal(pfec_of(0x00404000, WR | USR), PF_W | PF_U);
	assert_int_equal(pfec_of(0x00004000, FETCH), 0);
	/* The upper 32 bits of the address are not part of it. */
	assert_int_equal(gpa_of(0xffffffff00403123ull, RD), 0x00abc123);
}

static void test_32bit_rights(void **state)
{
	setup_32bit(P); /* read-only supervisor page */
	/* Supervisor write to a read-only page: allowed with WP = 0... */
	assert_int_equal(gpa_of(0x00403000, WR), 0x00abc000);
	/* ...a protection fault with WP = 1. */
	ctx.cr0 |= CR0_WP;
	assert_int_equal(pfec_of(0x00403000, WR), PF_P | PF_W);
	/* User access to a supervisor page. */
	assert_int_equal(pfec_of(0x00403000, USR), PF_P | PF_U);
	assert_int_equal(pfec_of(0x00403000, USR | FETCH), PF_P | PF_U);
	/* User page, read-only in the PTE: user write faults, WP or not. */
	setup_32bit(P | US);
	ctx.cr0 &= ~CR0_WP;
	assert_int_equal(gpa_of(0x00403000, USR), 0x00abc000);
	assert_int_equal(pfec_of(0x00403000, USR | WR), PF_P | PF_W | PF_U);
	/* Rights combine: R/W = 0 in the PDE makes the page read-only. */
	setup_32bit(P | RW | US);
	put32(0x1000 + 4, 0x2000 | P | US);
	assert_int_equal(pfec_of(0x00403000, USR | WR), PF_P | PF_W | PF_U);
	/* And U/S = 0 in the PDE makes it a supervisor page. */
	put32(0x1000 + 4, 0x2000 | P | RW);
	assert_int_equal(pfec_of(0x00403000, USR), PF_P | PF_U);
	assert_int_equal(gpa_of(0x00403000, WR), 0x00abc000);
}

static void test_32bit_4m_and_pse36(void **state)
{
	ctx.cr0 = CR0_PE | CR0_PG;
	ctx.cr4 = CR4_PSE;
	ctx.cr3 = 0x1000;
	ctx.maxphyaddr = 36;
	put32(0x1000 + 2 * 4, 0x00c00000 | PS | P | RW);
	assert_int_equal(gpa_of(0x00812345, WR), 0x00c12345);
	/* PSE-36: PDE bits 16:13 are physical-address bits 35:32. */
	put32(0x1000 + 2 * 4, 0x00c00000 | (0x5 << 13) | PS | P);
	assert_int_equal(gpa_of(0x00812345, RD), 0x500c12345ull);
	/* Bits 20:17 are beyond MAXPHYADDR 36: reserved. */
	put32(0x1000 + 2 * 4, 0x00c00000 | (0x10 << 13) | PS | P);
	assert_int_equal(pfec_of(0x00812345, RD), PF_P | PF_R);
	/* ...but address bits with MAXPHYADDR 40. */
	ctx.maxphyaddr = 40;
	assert_int_equal(gpa_of(0x00812345, RD), 0x1000c12345ull);
	/* Bit 21 is always reserved; bit 12 is PAT, not an address bit. */
	put32(0x1000 + 2 * 4, 0x00c00000 | (1u << 21) | PS | P);
	assert_int_equal(pfec_of(0x00812345, WR | USR),
			 PF_P | PF_R | PF_W | PF_U);
	put32(0x1000 + 2 * 4, 0x00c00000 | (1u << 12) | PS | P);
	assert_int_equal(gpa_of(0x00812345, RD), 0x00c12345);
	/* Without CR4.PSE, PS is ignored: the PDE points to a page table,
	 * here outside guest RAM. */
	ctx.cr4 = 0;
	assert_int_equal(walk_rc(0x00812345, RD), GUEST_WALK_NOT_RAM);
}

/* ---- PAE paging --------------------------------------------------- */

/* CR3 = 0x3020 (PDPT, 32-byte aligned); PDPTE 2 -> PD 0x4000;
 * PDE 5 -> PT 0x5000; PTE 7 -> 0x0123456000. PDE 6 maps a 2 MiB page. */
static void setup_pae(void)
{
	ctx.cr0 = CR0_PE | CR0_PG | CR0_WP;
	ctx.cr4 = CR4_PAE;
	ctx.cr3 = 0x3020;
	ctx.maxphyaddr = 40;
	put64(0x3020 + 2 * 8, 0x4000 | P);
	put64(0x4000 + 5 * 8, 0x5000 | P | RW | US);
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | RW | US);
	put64(0x4000 + 6 * 8, 0x00ffe00000ull | PS | P | RW);
}

#define PAE_4K (0x80000000ull | (5ull << 21) | (7ull << 12))
#define PAE_2M (0x80000000ull | (6ull << 21))

static void test_pae(void **state)
{
	setup_pae();
	assert_int_equal(gpa_of(PAE_4K | 0xabc, WR | USR), 0x0123456abcull);
	assert_int_equal(gpa_of(PAE_2M | 0x1abcde, WR), 0x00fffabcdeull);
	/* A 2 MiB page: bit 12 is PAT, not an address bit (the offset has
	 * bit 12 clear so that a wrong mask would show). */
	put64(0x4000 + 6 * 8, 0x00ffe00000ull | (1ull << 12) | PS | P);
	assert_int_equal(gpa_of(PAE_2M | 0x1aacde, RD), 0x00fffaacdeull);
	/* The PDPT index comes from bits 31:30; an absent PDPTE is P = 0. */
	assert_int_equal(pfec_of(0x40000000, RD), 0);
	assert_int_equal(pfec_of(0x40000000, FETCH), 0); /* no NXE: no I */
}

static void test_pae_reserved_bits(void **state)
{
	setup_pae();
	/* PDPTE: bits 2:1 (no R/W, U/S at this level), 8:5, 63:M. */
	put64(0x3020 + 2 * 8, 0x4000 | P | RW);
	assert_int_equal(pfec_of(PAE_4K, RD), PF_P | PF_R);
	put64(0x3020 + 2 * 8, 0x4000 | P | (1ull << 5));
	assert_int_equal(pfec_of(PAE_4K, RD), PF_P | PF_R);
	put64(0x3020 + 2 * 8, 0x4000 | P | XD);
	ctx.efer = EFER_NXE; /* reserved in a PDPTE even with NXE */
	assert_int_equal(pfec_of(PAE_4K, RD), PF_P | PF_R);
	ctx.efer = 0;
	put64(0x3020 + 2 * 8, 0x4000 | P);
	/* PDE/PTE: XD without NXE, bits 62:M, 2 MiB bits 20:13. */
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | XD);
	assert_int_equal(pfec_of(PAE_4K, RD), PF_P | PF_R);
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | (1ull << 40));
	assert_int_equal(pfec_of(PAE_4K, WR), PF_P | PF_R | PF_W);
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | (1ull << 39));
	assert_int_equal(gpa_of(PAE_4K, RD), 0x8123456000ull);
	put64(0x4000 + 6 * 8, 0x00ffe00000ull | (1ull << 13) | PS | P);
	assert_int_equal(pfec_of(PAE_2M, RD), PF_P | PF_R);
	/* A reserved bit in a non-present entry does not count. */
	put64(0x5000 + 7 * 8, XD | (1ull << 40));
	assert_int_equal(pfec_of(PAE_4K, RD), 0);
}

static void test_pae_nx(void **state)
{
	setup_pae();
	ctx.efer = EFER_NXE;
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | RW | US | XD);
	assert_int_equal(gpa_of(PAE_4K, RD), 0x0123456000ull);
	assert_int_equal(pfec_of(PAE_4K, FETCH), PF_P | PF_I);
	assert_int_equal(pfec_of(PAE_4K, FETCH | USR), PF_P | PF_I | PF_U);
	/* XD in the PDE covers the whole table. */
	put64(0x5000 + 7 * 8, 0x0123456000ull | P | RW | US);
	put64(0x4000 + 5 * 8, 0x5000 | P | RW | US | XD);
	assert_int_equal(pfec_of(PAE_4K, FETCH), PF_P | PF_I);
	/* With NXE, a fetch from a non-present page reports I/D. */
	assert_int_equal(pfec_of(0x40000000, FETCH), PF_I);
}

/* ---- 4-level paging ----------------------------------------------- */

/* PML4 0x6000; PML4E 256 -> PDPT 0x7000 (gva 0xffff8000_00000000);
 * PDPTE 1 -> PD 0x8000; PDE 2 -> PT 0x9000; PTE 3 -> 0x7654321000.
 * PDPTE 4 is a 1 GiB page, PDE 5 a 2 MiB page. */
#define L4_BASE 0xffff800000000000ull
#define L4_4K (L4_BASE | (1ull << 30) | (2ull << 21) | (3ull << 12))
#define L4_2M (L4_BASE | (1ull << 30) | (5ull << 21))
#define L4_1G (L4_BASE | (4ull << 30))

static void setup_4level(void)
{
	ctx.cr0 = CR0_PE | CR0_PG | CR0_WP;
	ctx.cr4 = CR4_PAE;
	ctx.efer = EFER_LME | EFER_LMA | EFER_NXE;
	ctx.cr3 = 0x6000;
	put64(0x6000 + 256 * 8, 0x7000 | P | RW | US);
	put64(0x7000 + 1 * 8, 0x8000 | P | RW | US);
	put64(0x8000 + 2 * 8, 0x9000 | P | RW | US);
	put64(0x9000 + 3 * 8, 0x7654321000ull | P | RW | US);
	put64(0x7000 + 4 * 8, 0x0040000000ull | PS | P | RW);
	put64(0x8000 + 5 * 8, 0x0000a00000ull | PS | P | RW | US);
}

static void test_4level_sizes(void **state)
{
	setup_4level();
	assert_int_equal(gpa_of(L4_4K | 0x123, WR | USR), 0x7654321123ull);
	assert_int_equal(ptr_calls, 4);
	assert_int_equal(gpa_of(L4_2M | 0x12345, FETCH | USR), 0xa12345);
	assert_int_equal(gpa_of(L4_1G | 0x3fffffff, WR), 0x7fffffffull);
	put64(0x7000 + 4 * 8, 0x0040000000ull | (1ull << 12) | PS | P);
	assert_int_equal(gpa_of(L4_1G | 0x2000, RD), 0x40002000ull); /* PAT */
	/* PCID bits in CR3 are not address bits. */
	ctx.cr3 = 0x6000 | 0xfff;
	assert_int_equal(gpa_of(L4_4K, RD), 0x7654321000ull);
	/* The low half of the address space: PML4E 0 is absent. */
	assert_int_equal(pfec_of(0x1000, WR), PF_W);
	assert_int_equal(pfec_of(0x1000, FETCH), PF_I); /* NXE: I/D */
}

static void test_4level_canonical_la57(void **state)
{
	setup_4level();
	assert_int_equal(walk_rc(0x0000800000000000ull, RD),
			 GUEST_WALK_NONCANONICAL);
	assert_int_equal(walk_rc(0xfff0800000000000ull, RD),
			 GUEST_WALK_NONCANONICAL);
	assert_int_equal(walk_rc(0x00007fffffffffffull, RD),
			 GUEST_WALK_PAGE_FAULT);
	ctx.cr4 |= CR4_LA57;
	assert_int_equal(walk_rc(L4_4K, RD), GUEST_WALK_UNSUPPORTED);
	assert_int_equal(ptr_calls, 1); /* only the one canonical walk */
}

static void test_4level_reserved_bits(void **state)
{
	setup_4level();
	/* PS is reserved in a PML4E. */
	put64(0x6000 + 256 * 8, 0x7000 | P | RW | US | PS);
	assert_int_equal(pfec_of(L4_4K, RD), PF_P | PF_R);
	put64(0x6000 + 256 * 8, 0x7000 | P | RW | US);
	/* 1 GiB page: bits 29:13 reserved. */
	put64(0x7000 + 4 * 8, 0x0040000000ull | (1ull << 20) | PS | P);
	assert_int_equal(pfec_of(L4_1G, FETCH), PF_P | PF_R | PF_I);
	/* 2 MiB page: bits 20:13 reserved. */
	put64(0x8000 + 5 * 8, 0x0000a00000ull | (1ull << 13) | PS | P | US);
	assert_int_equal(pfec_of(L4_2M, WR | USR),
			 PF_P | PF_R | PF_W | PF_U);
	/* Reserved bits are found before rights are checked: a reserved
	 * bit in a supervisor entry is RSVD, not just a U/S violation. */
	put64(0x8000 + 5 * 8, 0x0000a00000ull | (1ull << 13) | PS | P);
	assert_int_equal(pfec_of(L4_2M, USR), PF_P | PF_R | PF_U);
}

static void test_4level_maxphyaddr(void **state)
{
	setup_4level();
	ctx.maxphyaddr = 39; /* 0x7654321000 needs 39 bits: fine */
	assert_int_equal(gpa_of(L4_4K, RD), 0x7654321000ull);
	ctx.maxphyaddr = 38;
	assert_int_equal(pfec_of(L4_4K, RD), PF_P | PF_R);
	/* Bits 62:52 are ignored (software bits, protection keys). */
	ctx.maxphyaddr = 0; /* 52 */
	put64(0x9000 + 3 * 8, 0x7654321000ull | P | (0x7ffull << 52));
	assert_int_equal(gpa_of(L4_4K, RD), 0x7654321000ull);
	/* Bit 51 is an address bit with MAXPHYADDR 52. */
	put64(0x9000 + 3 * 8, (1ull << 51) | P);
	assert_int_equal(gpa_of(L4_4K, RD), 1ull << 51);
	/* XD without NXE is reserved. */
	ctx.efer &= ~EFER_NXE;
	put64(0x9000 + 3 * 8, 0x7654321000ull | P | XD);
	assert_int_equal(pfec_of(L4_4K, RD), PF_P | PF_R);
}

static void test_4level_rights(void **state)
{
	setup_4level();
	/* U/S = 0 at the PDPT level only. */
	put64(0x6000 + 256 * 8, 0x7000 | P | RW);
	assert_int_equal(pfec_of(L4_4K, USR), PF_P | PF_U);
	assert_int_equal(gpa_of(L4_4K, WR), 0x7654321000ull);
	/* R/W = 0 in the PD level: supervisor write faults with WP. */
	put64(0x6000 + 256 * 8, 0x7000 | P | RW | US);
	put64(0x8000 + 2 * 8, 0x9000 | P | US);
	assert_int_equal(pfec_of(L4_4K, WR), PF_P | PF_W);
	ctx.cr0 &= ~CR0_WP;
	assert_int_equal(gpa_of(L4_4K, WR), 0x7654321000ull);
	assert_int_equal(pfec_of(L4_4K, WR | USR), PF_P | PF_W | PF_U);
	/* XD in the PML4E: data fine, fetch faults. */
	put64(0x6000 + 256 * 8, 0x7000 | P | RW | US | XD);
	assert_int_equal(gpa_of(L4_4K, USR), 0x7654321000ull);
	assert_int_equal(pfec_of(L4_4K, FETCH | USR), PF_P | PF_U | PF_I);
}

static void test_smep_smap(void **state)
{
	setup_4level(); /* L4_4K is a user page */
	/* SMEP: supervisor fetch from a user page. */
	assert_int_equal(gpa_of(L4_4K, FETCH), 0x7654321000ull);
	ctx.cr4 |= CR4_SMEP;
	assert_int_equal(pfec_of(L4_4K, FETCH), PF_P | PF_I);
	assert_int_equal(gpa_of(L4_4K, FETCH | USR), 0x7654321000ull);
	assert_int_equal(gpa_of(L4_1G, FETCH), 0x40000000); /* supervisor */
	/* SMEP reports I/D even without NXE. */
	ctx.efer &= ~EFER_NXE;
	assert_int_equal(pfec_of(L4_4K, FETCH), PF_P | PF_I);
	/* SMAP: supervisor data access to a user page, unless RFLAGS.AC. */
	ctx.cr4 = CR4_PAE | CR4_SMAP;
	assert_int_equal(pfec_of(L4_4K, RD), PF_P);
	assert_int_equal(pfec_of(L4_4K, WR), PF_P | PF_W);
	ctx.rflags = RFLAGS_AC;
	assert_int_equal(gpa_of(L4_4K, WR), 0x7654321000ull);
	ctx.rflags = 0;
	assert_int_equal(gpa_of(L4_4K, USR | WR), 0x7654321000ull);
	assert_int_equal(gpa_of(L4_4K, FETCH), 0x7654321000ull);
	/* SMEP with 32-bit paging: no NX there, I/D still reported. */
	setup_32bit(P | RW | US);
	ctx.cr4 = CR4_SMEP;
	assert_int_equal(pfec_of(0x00403000, FETCH), PF_P | PF_I);
}

static void test_tables_outside_ram(void **state)
{
	setup_4level();
	ctx.cr3 = 0x100000000ull;
	assert_int_equal(walk_rc(L4_4K, RD), GUEST_WALK_NOT_RAM);
	setup_4level();
	put64(0x8000 + 2 * 8, 0x7fff000ull | P | RW | US); /* PT not RAM */
	assert_int_equal(walk_rc(L4_4K, RD), GUEST_WALK_NOT_RAM);
}

/* ---- guest_read_virt ---------------------------------------------- */

static void test_read_across_pages(void **state)
{
	uint8_t buf[16];
	size_t copied;
	uint32_t pfec;

	setup_4level();
	/* gva L4_4K -> 0xa000, the next page -> 0xc000 (not contiguous). */
	put64(0x9000 + 3 * 8, 0xa000 | P | RW | US);
	put64(0x9000 + 4 * 8, 0xc000 | P | RW | US);
	for (unsigned i = 0; i < 16; i++) {
		ram[0xaff8 + i] = (uint8_t)(0x10 + i); /* 0xaff8..0xb007 */
		ram[0xc000 + i] = (uint8_t)(0x80 + i);
	}
	uint64_t gva = L4_4K + 0xffb; /* 5 bytes before the boundary */
	assert_int_equal(guest_read_virt(&ctx, gva, FETCH, buf, 15, &copied,
					 &pfec), GUEST_WALK_OK);
	assert_int_equal(copied, 15);
	const uint8_t want[15] = { 0x13, 0x14, 0x15, 0x16, 0x17, 0x80, 0x81,
				   0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
				   0x89 };
	assert_memory_equal(buf, want, 15);

	/* Second page absent: 5 bytes arrive, then #PF at gva + 5. */
	put64(0x9000 + 4 * 8, 0);
	memset(buf, 0, sizeof(buf));
	assert_int_equal(guest_read_virt(&ctx, gva, FETCH, buf, 15, &copied,
					 &pfec), GUEST_WALK_PAGE_FAULT);
	assert_int_equal(copied, 5);
	assert_int_equal(pfec, PF_I);
	assert_memory_equal(buf, want, 5);

	/* A page that is not RAM (an MMIO page executed from). */
	put64(0x9000 + 4 * 8, 0xfee00000ull | P | RW);
	assert_int_equal(guest_read_virt(&ctx, gva, RD, buf, 15, &copied,
					 &pfec), GUEST_WALK_NOT_RAM);
	assert_int_equal(copied, 5);

	/* Zero bytes: nothing walked. */
	ptr_calls = 0;
	assert_int_equal(guest_read_virt(&ctx, gva, RD, buf, 0, &copied,
					 &pfec), GUEST_WALK_OK);
	assert_int_equal(copied, 0);
	assert_int_equal(ptr_calls, 0);
}

static void test_read_wraps_in_32bit(void **state)
{
	uint8_t buf[4];
	size_t copied;
	uint32_t pfec;

	/* 32-bit paging: 0xfffffffe + 2 wraps to linear 0. PDE 1023 -> PT
	 * 0x2000 (PTE 1023 -> 0xa000); PDE 0 -> PT 0x3000 (PTE 0 -> 0xb000). */
	ctx.cr0 = CR0_PE | CR0_PG;
	ctx.cr3 = 0x1000;
	put32(0x1000 + 1023 * 4, 0x2000 | P | RW);
	put32(0x2000 + 1023 * 4, 0xa000 | P | RW);
	put32(0x1000, 0x3000 | P | RW);
	put32(0x3000, 0xb000 | P | RW);
	ram[0xaffe] = 1, ram[0xafff] = 2, ram[0xb000] = 3, ram[0xb001] = 4;
	assert_int_equal(guest_read_virt(&ctx, 0xfffffffe, RD, buf, 4, &copied,
					 &pfec), GUEST_WALK_OK);
	const uint8_t want[4] = { 1, 2, 3, 4 };
	assert_memory_equal(buf, want, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_paging, setup),
		cmocka_unit_test_setup(test_32bit_4k, setup),
		cmocka_unit_test_setup(test_32bit_rights, setup),
		cmocka_unit_test_setup(test_32bit_4m_and_pse36, setup),
		cmocka_unit_test_setup(test_pae, setup),
		cmocka_unit_test_setup(test_pae_reserved_bits, setup),
		cmocka_unit_test_setup(test_pae_nx, setup),
		cmocka_unit_test_setup(test_4level_sizes, setup),
		cmocka_unit_test_setup(test_4level_canonical_la57, setup),
		cmocka_unit_test_setup(test_4level_reserved_bits, setup),
		cmocka_unit_test_setup(test_4level_maxphyaddr, setup),
		cmocka_unit_test_setup(test_4level_rights, setup),
		cmocka_unit_test_setup(test_smep_smap, setup),
		cmocka_unit_test_setup(test_tables_outside_ram, setup),
		cmocka_unit_test_setup(test_read_across_pages, setup),
		cmocka_unit_test_setup(test_read_wraps_in_32bit, setup),
	};
	return cmocka_run_group_tests_name("guest_walk", tests, NULL, NULL);
}
