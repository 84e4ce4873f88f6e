/*
 * Physical memory map normalizer.
 *
 * Firmware maps (Multiboot2 memory-map tag, section 3.6.8 of the Multiboot2
 * spec; UEFI GetMemoryMap(), UEFI spec 7.2) come unsorted, overlapping,
 * touching, with zero-length entries and sometimes with entries that run
 * past 2^64. memmap_build() turns one into a sorted list of non-overlapping
 * regions with adjacent regions of one type merged.
 *
 * Where regions overlap, the more restrictive type wins:
 *
 *   BAD > RESERVED (and unknown types) > ACPI_NVS > ACPI_RECLAIM
 *       > VOLT > MODULE > FIRMWARE_RECLAIM > USABLE
 *
 * Why this order: anything the firmware still owns or that is broken must
 * never be touched; ACPI tables must survive until Volt (and later a guest)
 * has read them; Volt's image and the boot modules sit above both "free"
 * kinds so they can never be handed out as free memory, whatever the
 * loader's map claims. VOLT beats MODULE because a module overlapping the
 * image is a loader bug and the image is what is running.
 *
 * USABLE and FIRMWARE_RECLAIM regions (the two kinds the frame allocator
 * may take) are shrunk inward to 4 KiB page boundaries *after* merging, so
 * a page shared with any other type is never free, and a page split over
 * two touching usable entries is not lost. The other types keep their exact
 * byte bounds (they are only ever kept out, never handed out).
 *
 * Pure: no hardware access, no printing; host-tested.
 */
#ifndef VOLT_LIB_MEMMAP_H
#define VOLT_LIB_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include "boot/boot_info.h"

/* Room for the firmware map plus Volt's own carve-outs (image, modules,
 * each of which can split one region into three). */
#define MEMMAP_MAX (BOOT_MAX_MEM_REGIONS + 2 * BOOT_MAX_MODULES + 16)
#define PAGE_SIZE 4096ull

enum memmap_error {
	MEMMAP_OK = 0,
	MEMMAP_ERR_NO_RAM = -1,   /* nothing usable in the map */
	MEMMAP_ERR_TOO_MANY = -2, /* more regions than MEMMAP_MAX */
};

struct memmap {
	struct mem_region r[MEMMAP_MAX]; /* sorted by base, non-overlapping */
	uint32_t count;
};

/*
 * Normalize `n` raw firmware regions into *out. Returns MEMMAP_OK, or an
 * error with a message in err (too many regions, no usable RAM); *out is
 * then empty.
 */
int memmap_build(struct memmap *out, const struct mem_region *raw, uint32_t n,
		 char *err, size_t errlen);

/*
 * Mark [base, base+len) as `type` and re-normalize (the priority order
 * above applies: reserving MEM_VOLT over ACPI tables keeps the tables, and
 * "reserving" MEM_USABLE never frees anything). Returns MEMMAP_OK, or
 * MEMMAP_ERR_TOO_MANY with *m unchanged.
 */
int memmap_reserve(struct memmap *m, uint64_t base, uint64_t len,
		   uint32_t type);

/* Bytes of memory of `type`. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

/* The type of the byte at addr (0 when no region covers it). */
uint32_t memmap_type_at(const struct memmap *m, uint64_t addr);

const char *mem_type_name(uint32_t type);

#endif
