/*
 * Where Volt's loaders put things in a VM's RAM (one block mapped at
 * guest-physical 0), the e820 map every guest is told, and the small
 * bounds-checked helpers the loaders share. Pure C, host-tested.
 *
 * Guest-physical layout of the first megabyte:
 *
 *   0x00000-0x00fff  real-mode IVT and BIOS data area: left zero
 *   0x01000-0x0101f  boot GDT: null, null, 0x10 code, 0x18 data (Linux's
 *                    __BOOT_CS/__BOOT_DS, boot.rst "32-bit/64-bit Boot
 *                    Protocol"); the code descriptor is 64-bit (L=1)
 *                    for the 64-bit entry, 32-bit flat otherwise
 *   0x07000-0x07fff  Linux zero page (struct boot_params)
 *   0x09000-0x0efff  identity page tables for Linux's 64-bit entry: PML4,
 *                    one PDPT, up to 4 PDs of 2 MiB pages covering
 *                    min(RAM, 4 GiB) rounded up to 2 MiB, nothing more
 *   0x20000-0x2ffff  kernel command line (Linux's cmdline_size bounds it)
 *   0x30000-0x3ffff  Multiboot information, memory map, strings, modules
 *   0x40000-0x9fbff  free (a Multiboot kernel may load here)
 *   0x9fc00-0xfffff  reserved in e820: EBDA, VGA hole, BIOS area. Volt
 *                    puts a VM's ACPI tables here, so nothing is loaded
 *                    here.
 *   0x100000-        kernel, then initrd/modules (see bzimage.c and
 *                    multiboot.c for the placement rules)
 *
 * e820 map (the BIOS INT 15h AX=E820h view, also what ACPI code uses):
 *   usable [0, 0x9fc00), reserved [0x9fc00, 0x100000),
 *   usable [0x100000, end of RAM)
 */
#ifndef VOLT_VMM_LOADER_GUEST_LAYOUT_H
#define VOLT_VMM_LOADER_GUEST_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmm/vcpu_boot.h"

#define GUEST_GDT_ADDR          0x1000ull
#define GUEST_GDT_ENTRIES       4
#define GUEST_GDT_LIMIT         (GUEST_GDT_ENTRIES * 8 - 1)
#define GUEST_SEL_CODE          0x10 /* Linux __BOOT_CS */
#define GUEST_SEL_DATA          0x18 /* Linux __BOOT_DS */

#define GUEST_ZERO_PAGE_ADDR    0x7000ull
#define GUEST_ZERO_PAGE_SIZE    0x1000ull

#define GUEST_PML4_ADDR         0x9000ull
#define GUEST_PDPT_ADDR         0xa000ull
#define GUEST_PD_ADDR           0xb000ull /* 4 PDs: 0xb000-0xefff */
#define GUEST_PD_COUNT          4
#define GUEST_PT_END            0xf000ull
#define GUEST_IDMAP_MAX         (4ull << 30) /* identity map: at most 4 GiB */

#define GUEST_CMDLINE_ADDR      0x20000ull
#define GUEST_CMDLINE_END       0x30000ull /* exclusive */

#define GUEST_MB_INFO_ADDR      0x30000ull
#define GUEST_MB_INFO_END       0x40000ull /* exclusive */

/* Everything below this is Volt's boot data; a Multiboot kernel may not
 * load over it. */
#define GUEST_LOW_BOOT_END      0x40000ull

#define GUEST_BIOS_START        0x9fc00ull /* EBDA: reserved from here */
#define GUEST_HIGH_START        0x100000ull /* 1 MiB */

#define GUEST_PAGE_SIZE         0x1000ull
#define GUEST_LARGE_PAGE_SIZE   0x200000ull

/* e820 entry as the BIOS returns it and as Linux's zero page stores it
 * (struct boot_e820_entry, 20 bytes, packed). */
#define E820_RAM      1
#define E820_RESERVED 2
#define GUEST_E820_MAX 8 /* room for guest_e820's map (3 entries today) */

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
} __attribute__((packed));

/* The map a VM with `ram_bytes` of RAM is told. Writes at most `max`
 * entries to `out` and returns how many the map has (like snprintf: a
 * return value > max means `out` was too small). */
unsigned guest_e820(uint64_t ram_bytes, struct e820_entry *out, unsigned max);

/* Host pointer to guest-physical [gpa, gpa+len) inside RAM, or NULL when
 * any byte of it lies outside (overflow-safe). */
void *guest_ram_ptr(void *ram, uint64_t ram_bytes, uint64_t gpa,
		    uint64_t len);

/* Does [a, a+alen) overlap [b, b+blen)? (overflow-safe, empty ranges
 * overlap nothing) */
bool guest_ranges_overlap(uint64_t a, uint64_t alen, uint64_t b,
			  uint64_t blen);

/* Write the boot GDT at GUEST_GDT_ADDR (64-bit or 32-bit flat code
 * descriptor at GUEST_SEL_CODE, flat data at GUEST_SEL_DATA) and fill
 * boot's gdt_base/limit and selectors. 0, or -1 when RAM is too small. */
int guest_write_boot_gdt(void *ram, uint64_t ram_bytes, bool code64,
			 struct vcpu_boot *boot);

/* Write identity page tables at GUEST_PML4_ADDR mapping
 * [0, round_up(min(ram_bytes, 4 GiB), 2 MiB)) with 2 MiB pages, present
 * and writable. Returns the PML4 address for CR3, or 0 when RAM is too
 * small to hold the tables. */
uint64_t guest_write_identity_map(void *ram, uint64_t ram_bytes);

#endif
