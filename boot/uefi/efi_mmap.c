/*
 * UEFI memory map conversion (see efi_mmap.h). Which UEFI memory is free
 * once boot services have exited (UEFI 2.10, 7.2, table 7-6):
 *   conventional                 -> usable now;
 *   boot-services code/data,     -> usable once Volt runs on its own page
 *   loader code/data                tables, GDT, IDT and stack (the
 *                                   firmware's tables live there until
 *                                   then); Volt's image and the files it
 *                                   loaded are carved out of this by
 *                                   volt_main as MEM_VOLT / MEM_MODULE;
 *   ACPI reclaim / NVS, unusable -> their own types;
 *   runtime services, MMIO, reserved, anything unknown -> reserved.
 */
#include "boot/uefi/efi_mmap.h"
#include "lib/format.h"
#include "lib/string.h"

uint32_t efi_mem_type_to_volt(uint32_t efi_type)
{
	switch (efi_type) {
	case EFI_CONVENTIONAL: return MEM_USABLE;
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BS_CODE:
	case EFI_BS_DATA: return MEM_FIRMWARE_RECLAIM;
	case EFI_ACPI_RECLAIM: return MEM_ACPI_RECLAIM;
	case EFI_ACPI_NVS: return MEM_ACPI_NVS;
	case EFI_UNUSABLE: return MEM_BAD;
	default: return MEM_RESERVED;
	}
}

int efi_mmap_convert(const void *map, size_t map_size, size_t desc_size,
		     struct boot_info *bi, char *err, size_t errlen)
{
	if (desc_size < sizeof(struct efi_mem_desc)) {
		volt_snprintf(err, errlen,
			      "UEFI memory descriptor size %lu is too small",
			      (unsigned long)desc_size);
		return -1;
	}
	for (size_t off = 0; off + desc_size <= map_size; off += desc_size) {
		struct efi_mem_desc d;
		memcpy(&d, (const uint8_t *)map + off, sizeof(d));
		if (d.pages == 0 || d.pages > UINT64_MAX / EFI_PAGE_BYTES)
			continue;
		uint64_t len = d.pages * EFI_PAGE_BYTES;
		uint32_t type = efi_mem_type_to_volt(d.type);
		struct mem_region *last =
			bi->mem_count ? &bi->mem[bi->mem_count - 1] : 0;
		if (last && last->type == type &&
		    last->base + last->length == d.phys_start) {
			last->length += len;
			continue;
		}
		if (bi->mem_count == BOOT_MAX_MEM_REGIONS) {
			volt_snprintf(err, errlen,
				      "UEFI memory map has more than %d regions",
				      BOOT_MAX_MEM_REGIONS);
			return -1;
		}
		bi->mem[bi->mem_count++] =
			(struct mem_region){ d.phys_start, len, type };
	}
	return 0;
}
