/*
 * The C side of the Multiboot2 entry: entry.asm has put us in long mode on
 * an identity map of the first 4 GiB; here the boot information becomes a
 * struct boot_info and control passes to volt_main().
 */
#include <stdint.h>
#include "boot/boot_info.h"
#include "boot/multiboot2/mb2_parse.h"
#include "lib/format.h"

/* Linker-script symbols (boot/multiboot2/volt.ld). */
extern char __image_start[], __text_end[], __image_end[];

/* A Multiboot2 information structure larger than this is not believed. */
#define MB2_INFO_MAX (1u << 20)

static struct boot_info boot_info;

void mb2_entry(uint32_t magic, uint64_t info_phys) __attribute__((noreturn));

void mb2_entry(uint32_t magic, uint64_t info_phys)
{
	struct boot_info *bi = &boot_info;

	bi->loader = "multiboot2";
	bi->image_base = (uint64_t)(uintptr_t)__image_start;
	bi->text_end = (uint64_t)(uintptr_t)__text_end;
	bi->image_end = (uint64_t)(uintptr_t)__image_end;

	if (magic != MB2_BOOTLOADER_MAGIC) {
		volt_snprintf(bi->error, sizeof(bi->error),
			      "not started by a Multiboot2 loader (EAX=%#x, expected %#x)",
			      magic, MB2_BOOTLOADER_MAGIC);
		bi->error_fatal = 1;
	} else if (info_phys == 0 || info_phys % 8) {
		volt_snprintf(bi->error, sizeof(bi->error),
			      "multiboot2: boot information address %#lx is invalid",
			      (unsigned long)info_phys);
		bi->error_fatal = 1;
	} else {
		mb2_parse((const void *)(uintptr_t)info_phys, MB2_INFO_MAX, bi);
	}
	volt_main(bi);
}
