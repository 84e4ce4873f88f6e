/*
 * UEFI memory map -> struct boot_info regions (UEFI 2.10, 7.2: GetMemoryMap,
 * EFI_MEMORY_DESCRIPTOR). Pure: host-tested without the EFI headers, so the
 * descriptor layout is restated here.
 */
#ifndef VOLT_BOOT_UEFI_EFI_MMAP_H
#define VOLT_BOOT_UEFI_EFI_MMAP_H

#include <stddef.h>
#include <stdint.h>
#include "boot/boot_info.h"

#define EFI_PAGE_BYTES 4096ull

/* The part of EFI_MEMORY_DESCRIPTOR Volt reads; firmware descriptors may be
 * larger (DescriptorSize), never smaller. */
struct efi_mem_desc {
	uint32_t type;
	uint32_t pad;
	uint64_t phys_start;
	uint64_t virt_start;
	uint64_t pages;
	uint64_t attribute;
};

/* EFI_MEMORY_TYPE values. */
enum {
	EFI_RESERVED = 0, EFI_LOADER_CODE, EFI_LOADER_DATA, EFI_BS_CODE,
	EFI_BS_DATA, EFI_RT_CODE, EFI_RT_DATA, EFI_CONVENTIONAL, EFI_UNUSABLE,
	EFI_ACPI_RECLAIM, EFI_ACPI_NVS, EFI_MMIO, EFI_MMIO_PORT, EFI_PAL_CODE,
	EFI_PERSISTENT, EFI_UNACCEPTED,
};

uint32_t efi_mem_type_to_volt(uint32_t efi_type);

/* Append the map's regions to bi->mem (adjacent same-type regions merged).
 * Returns 0, or -1 with a message in err. */
int efi_mmap_convert(const void *map, size_t map_size, size_t desc_size,
		     struct boot_info *bi, char *err, size_t errlen);

#endif
