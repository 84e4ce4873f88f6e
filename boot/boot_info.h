/*
 * boot_info: what a firmware entry hands to volt_main().
 *
 * Both entries (boot/multiboot2/ for GRUB, boot/uefi/ for UEFI) fill one of
 * these and call volt_main(). Nothing after volt_main() knows which firmware
 * booted us, except through boot_info->loader (for messages only).
 *
 * Addresses are physical. Volt runs identity-mapped (virtual == physical), so
 * a physical address can be dereferenced directly once it is mapped.
 */
#ifndef VOLT_BOOT_INFO_H
#define VOLT_BOOT_INFO_H

#include <stdint.h>

#define BOOT_MAX_MEM_REGIONS 256
#define BOOT_MAX_MODULES 16
#define BOOT_MODULE_NAME_MAX 64
#define BOOT_CMDLINE_MAX 512
#define BOOT_ERROR_MAX 160

/* Memory region types, independent of the firmware that reported them. */
enum mem_type {
	MEM_USABLE = 1,       /* free RAM */
	MEM_RESERVED = 2,     /* firmware, MMIO, unknown: never touched */
	MEM_ACPI_RECLAIM = 3, /* ACPI tables: kept, Volt reads them */
	MEM_ACPI_NVS = 4,     /* firmware's ACPI storage: never touched */
	MEM_BAD = 5,          /* defective RAM */
	MEM_VOLT = 6,         /* Volt's own image (code, data, bss, boot stack) */
	MEM_MODULE = 7,       /* a boot module (volt.cfg, guest images) */
	/*
	 * Firmware memory that becomes free RAM only once Volt runs on its own
	 * page tables, GDT, IDT and stack (UEFI boot-services code and data:
	 * the firmware's page tables live there until we switch CR3).
	 */
	MEM_FIRMWARE_RECLAIM = 8,
};

struct mem_region {
	uint64_t base;
	uint64_t length;
	uint32_t type; /* enum mem_type */
};

/* A file handed over by the loader: a GRUB module or a file read by UEFI. */
struct boot_module {
	uint64_t base; /* physical address of the first byte */
	uint64_t size; /* in bytes */
	char name[BOOT_MODULE_NAME_MAX]; /* GRUB module string / file name */
};

struct boot_info {
	const char *loader; /* "multiboot2" or "uefi", for messages */
	char cmdline[BOOT_CMDLINE_MAX];

	struct mem_region mem[BOOT_MAX_MEM_REGIONS]; /* raw firmware map */
	uint32_t mem_count;

	struct boot_module modules[BOOT_MAX_MODULES];
	uint32_t module_count;

	uint64_t rsdp; /* physical address of the ACPI RSDP, 0 if none */
	/* Multiboot2 hands over a copy of the RSDP, not its address: kept here
	 * and pointed to by rsdp (ACPI 2.0+ RSDP is 36 bytes). */
	uint8_t rsdp_copy[64];

	uint64_t image_base; /* Volt's image [image_base, image_end) */
	uint64_t image_end;
	uint64_t text_end;   /* [image_base, text_end) is code: mapped RX, rest NX */

	/*
	 * A problem the entry found before the console existed (malformed
	 * tag list, a file it could not read, too many regions...). volt_main
	 * prints it first thing; boot_error_fatal says whether to stop.
	 */
	char error[BOOT_ERROR_MAX];
	int error_fatal;
};

/* The one C entry point both firmware paths call. Never returns. */
void volt_main(struct boot_info *bi) __attribute__((noreturn));

#endif
