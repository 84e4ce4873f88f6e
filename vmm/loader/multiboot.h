/*
 * Multiboot (version 1) loader: the Multiboot Specification 0.6.96,
 * sections 3.1 "OS image format" (header, magic fields, address fields),
 * 3.2 "Machine state" and 3.3 "Boot information format".
 *
 * The image is found by its header (magic 0x1BADB002 in the first 8 KiB,
 * 4-byte aligned, checksum) and loaded from either the header's address
 * fields (the "a.out kludge", flags bit 16) or its ELF32/ELF64 program
 * headers. The vCPU starts in 32-bit protected mode, paging off, with
 * EAX = 0x2BADB002 and EBX = the Multiboot information structure, which
 * Volt writes at 0x30000 (guest_layout.h). One optional module (Volt
 * passes the VM's initrd) goes page-aligned after the kernel. Pure C,
 * host-tested.
 */
#ifndef VOLT_VMM_LOADER_MULTIBOOT_H
#define VOLT_VMM_LOADER_MULTIBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmm/vcpu_boot.h"

#define MB_HEADER_MAGIC     0x1badb002u
#define MB_BOOTLOADER_MAGIC 0x2badb002u /* in EAX at entry */
#define MB_SEARCH_BYTES     8192        /* the header lies within these */

/* Multiboot header (spec 3.1.1): offsets from the magic. */
#define MBH_MAGIC         0
#define MBH_FLAGS         4
#define MBH_CHECKSUM      8
#define MBH_HEADER_ADDR   12 /* the address fields: flags bit 16 */
#define MBH_LOAD_ADDR     16
#define MBH_LOAD_END_ADDR 20
#define MBH_BSS_END_ADDR  24
#define MBH_ENTRY_ADDR    28
#define MBH_SIZE          12 /* magic, flags, checksum */
#define MBH_SIZE_KLUDGE   32 /* ... and the address fields */

/* Header flags (spec 3.1.2). Bits 0-15 are requirements: an unknown one
 * set means the loader must refuse the image. */
#define MBH_PAGE_ALIGN    (1u << 0)  /* modules on 4 KiB boundaries */
#define MBH_MEMORY_INFO   (1u << 1)  /* mem_* fields required */
#define MBH_VIDEO_MODE    (1u << 2)  /* video mode table wanted */
#define MBH_REQUIRED_MASK 0xffffu
#define MBH_KNOWN_REQUIRED (MBH_PAGE_ALIGN | MBH_MEMORY_INFO | MBH_VIDEO_MODE)
#define MBH_AOUT_KLUDGE   (1u << 16) /* the address fields are valid */

/* Multiboot information structure (spec 3.3): offsets. */
#define MBI_FLAGS             0
#define MBI_MEM_LOWER         4
#define MBI_MEM_UPPER         8
#define MBI_BOOT_DEVICE       12
#define MBI_CMDLINE           16
#define MBI_MODS_COUNT        20
#define MBI_MODS_ADDR         24
#define MBI_SYMS              28 /* 16 bytes: a.out or ELF symbols */
#define MBI_MMAP_LENGTH       44
#define MBI_MMAP_ADDR         48
#define MBI_DRIVES_LENGTH     52
#define MBI_DRIVES_ADDR       56
#define MBI_CONFIG_TABLE      60
#define MBI_BOOT_LOADER_NAME  64
#define MBI_APM_TABLE         68
#define MBI_SIZE              116 /* through the framebuffer fields */

/* Info flags: which fields are valid. */
#define MBI_FLAG_MEMORY       (1u << 0)
#define MBI_FLAG_CMDLINE      (1u << 2)
#define MBI_FLAG_MODS         (1u << 3)
#define MBI_FLAG_MMAP         (1u << 6)
#define MBI_FLAG_LOADER_NAME  (1u << 9)

/* A module entry: mod_start, mod_end (exclusive), string, reserved. */
#define MB_MODULE_SIZE        16
/* A memory-map entry: size (of the rest, 20), base_addr, length, type. */
#define MB_MMAP_ENTRY_SIZE    24
#define MB_MMAP_SIZE_FIELD    20

/* Volt's layout of the info area [0x30000, 0x40000). */
#define MB_INFO_ADDR          0x30000u
#define MB_LOADER_NAME_ADDR   0x30080u
#define MB_MODS_ADDR          0x30100u
#define MB_MMAP_ADDR          0x30200u
#define MB_MMAP_END           0x30400u
#define MB_MOD_STRING_ADDR    0x30400u
#define MB_MOD_STRING_END     0x30800u
#define MB_CMDLINE_ADDR       0x30800u
#define MB_CMDLINE_END        0x40000u
#define MB_LOADER_NAME        "Volt"

#define MB_MAX_SEGMENTS       16

enum multiboot_format {
	MULTIBOOT_AOUT_KLUDGE = 0, /* header address fields (flags bit 16) */
	MULTIBOOT_ELF32,
	MULTIBOOT_ELF64,
};

/* What was placed where, for the VM's log line. */
struct multiboot_result {
	enum multiboot_format format;
	uint32_t header_offset;  /* of the Multiboot header in the file */
	uint32_t entry;
	uint32_t load_start;     /* lowest loaded byte */
	uint32_t load_end;       /* one past the highest, bss included */
	uint32_t module_addr;    /* 0 when there is none */
	uint32_t module_size;
	bool video_ignored;      /* flags bit 2 asked for a video mode */
};

struct multiboot_args {
	const void *file;        /* the whole kernel file */
	size_t size;
	const void *module;      /* NULL or module_size 0: none */
	size_t module_size;
	const char *module_name; /* the module's string (a file name) */
	const char *cmdline;     /* NULL: empty */
	void *ram;               /* host pointer to guest-physical 0 */
	uint64_t ram_bytes;
	struct vcpu_boot *boot;  /* out: how the vCPU starts */
	struct multiboot_result *result; /* out, may be NULL */
};

/* Is there a Multiboot header (magic and valid checksum, 4-byte aligned,
 * within the first 8 KiB)? */
bool multiboot_is_image(const void *file, size_t size);

/* Validate the image against the VM, copy its segments (bss zeroed) and
 * the module into RAM, write the information structure and the boot
 * GDT, fill *a->boot. 0, or -1 with a message in err; RAM is untouched
 * on error. */
int multiboot_load(const struct multiboot_args *a, char *err, size_t errlen);

#endif
