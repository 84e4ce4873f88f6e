/*
 * The guest boot layout (see guest_layout.h): e820 map, boot GDT and the
 * identity page tables for Linux's 64-bit entry. Descriptor formats: SDM
 * vol. 3A 3.4.5 "Segment Descriptors"; page-table entries: SDM vol. 3A
 * 4.5 "4-Level Paging" (tables 4-15, 4-17 and 4-18).
 */
#include "lib/string.h"
#include "vmm/loader/guest_layout.h"

/*
 * Flat descriptors: base 0, limit 0xfffff in 4 KiB units (G=1), present,
 * DPL 0. The type has the accessed bit set, as the segment state the
 * backend loads (AR_*_ACCESSED): a guest that reloads a selector then
 * gets the same segment, and the CPU never writes to the table.
 *   code64: type 0xb (execute/read), L=1, D=0 (SDM 5.2.1: D must be 0)
 *   code32: type 0xb, D=1 (32-bit default operand size)
 *   data:   type 0x3 (read/write), B=1
 */
#define GDT_CODE64 0x00af9b000000ffffull
#define GDT_CODE32 0x00cf9b000000ffffull
#define GDT_DATA   0x00cf93000000ffffull

/* Page-table entry bits (SDM vol. 3A tables 4-15, 4-17, 4-18). */
#define PTE_PRESENT 0x1ull
#define PTE_WRITE   0x2ull
#define PTE_LARGE   0x80ull /* PS: a PD entry maps a 2 MiB page */

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static unsigned add_entry(struct e820_entry *out, unsigned n, unsigned max,
			  uint64_t addr, uint64_t size, uint32_t type)
{
	if (size == 0)
		return n;
	if (n < max) {
		out[n].addr = addr;
		out[n].size = size;
		out[n].type = type;
	}
	return n + 1;
}

unsigned guest_e820(uint64_t ram_bytes, struct e820_entry *out, unsigned max)
{
	uint64_t low = ram_bytes < GUEST_BIOS_START ? ram_bytes
						     : GUEST_BIOS_START;
	unsigned n = 0;

	n = add_entry(out, n, max, 0, low, E820_RAM);
	/* The BIOS area is reserved whatever the RAM size: on a PC it is
	 * never ordinary memory, and ACPI tables live there. */
	n = add_entry(out, n, max, GUEST_BIOS_START,
		      GUEST_HIGH_START - GUEST_BIOS_START, E820_RESERVED);
	if (ram_bytes > GUEST_HIGH_START)
		n = add_entry(out, n, max, GUEST_HIGH_START,
			      ram_bytes - GUEST_HIGH_START, E820_RAM);
	return n;
}

void *guest_ram_ptr(void *ram, uint64_t ram_bytes, uint64_t gpa,
		    uint64_t len)
{
	if (gpa > ram_bytes || len > ram_bytes - gpa)
		return NULL;
	return (uint8_t *)ram + gpa;
}

bool guest_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
			  uint64_t blen)
{
	if (alen == 0 || blen == 0)
		return false;
	/* a starts before b ends and b starts before a ends; the "- 1"
	 * forms keep ranges that end at 2^64 from wrapping. */
	return a <= b + (blen - 1) && b <= a + (alen - 1);
}

int guest_write_boot_gdt(void *ram, uint64_t ram_bytes, bool code64,
			 struct vcpu_boot *boot)
{
	uint8_t *gdt = guest_ram_ptr(ram, ram_bytes, GUEST_GDT_ADDR,
				     GUEST_GDT_LIMIT + 1);
	if (!gdt)
		return -1;
	memset(gdt, 0, GUEST_GDT_LIMIT + 1); /* entries 0 and 1 are null */
	put_le64(gdt + GUEST_SEL_CODE, code64 ? GDT_CODE64 : GDT_CODE32);
	put_le64(gdt + GUEST_SEL_DATA, GDT_DATA);
	boot->gdt_base = GUEST_GDT_ADDR;
	boot->gdt_limit = GUEST_GDT_LIMIT;
	boot->code_sel = GUEST_SEL_CODE;
	boot->data_sel = GUEST_SEL_DATA;
	return 0;
}

uint64_t guest_write_identity_map(void *ram, uint64_t ram_bytes)
{
	uint8_t *tables = guest_ram_ptr(ram, ram_bytes, GUEST_PML4_ADDR,
					GUEST_PT_END - GUEST_PML4_ADDR);
	uint64_t top = ram_bytes < GUEST_IDMAP_MAX ? ram_bytes
						   : GUEST_IDMAP_MAX;
	uint64_t pages = (top + GUEST_LARGE_PAGE_SIZE - 1) /
			 GUEST_LARGE_PAGE_SIZE;

	if (!tables)
		return 0;
	memset(tables, 0, GUEST_PT_END - GUEST_PML4_ADDR);
	put_le64(tables, GUEST_PDPT_ADDR | PTE_PRESENT | PTE_WRITE);
	/* One PD (512 entries of 2 MiB) per GiB; fill only what RAM needs
	 * so a stray access past RAM faults in the guest, not in EPT. */
	for (uint64_t i = 0; i < pages; i++) {
		uint64_t pd = GUEST_PD_ADDR + (i / 512) * GUEST_PAGE_SIZE;
		uint8_t *pde = tables + (pd - GUEST_PML4_ADDR) + (i % 512) * 8;
		if (i % 512 == 0)
			put_le64(tables + (GUEST_PDPT_ADDR - GUEST_PML4_ADDR) +
					 (i / 512) * 8,
				 pd | PTE_PRESENT | PTE_WRITE);
		put_le64(pde, i * GUEST_LARGE_PAGE_SIZE | PTE_PRESENT |
				      PTE_WRITE | PTE_LARGE);
	}
	return GUEST_PML4_ADDR;
}
