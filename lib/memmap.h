/*
 * Physical memory map normalizer.
 *
 * Firmware maps come unsorted, overlapping and ragged. memmap_build() turns
 * one into a sorted list of non-overlapping regions, adjacent regions of one
 * type merged. Where regions overlap, the more restrictive type wins, so
 * Volt's image and the boot modules can never be handed out as free RAM:
 *
 *   BAD > RESERVED > ACPI_NVS > ACPI_RECLAIM > VOLT > MODULE
 *       > FIRMWARE_RECLAIM > USABLE
 *
 * Usable (and later-usable) regions are shrunk inward to 4 KiB boundaries.
 * Pure: no hardware access, host-tested.
 */
#ifndef VOLT_LIB_MEMMAP_H
#define VOLT_LIB_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include "boot/boot_info.h"

#define MEMMAP_MAX (BOOT_MAX_MEM_REGIONS + 2 * BOOT_MAX_MODULES + 16)
#define PAGE_SIZE 4096ull

struct memmap {
	struct mem_region r[MEMMAP_MAX];
	uint32_t count;
};

/* Returns 0, or -1 with a message (no usable memory, too many regions). */
int memmap_build(struct memmap *out, const struct mem_region *raw, uint32_t n,
		 char *err, size_t errlen);

/* Mark [base, base+len) as `type`, re-normalizing. Returns 0 or -1. */
int memmap_reserve(struct memmap *m, uint64_t base, uint64_t len,
		   uint32_t type);

/* Bytes of memory of `type`. */
uint64_t memmap_total(const struct memmap *m, uint32_t type);

const char *mem_type_name(uint32_t type);

#endif
