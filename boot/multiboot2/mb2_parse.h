/*
 * Multiboot2 boot-information parser (Multiboot2 specification 1.0, 3.6).
 * Pure: it reads the tag list and fills a struct boot_info, so it runs in
 * host unit tests on hand-built tag lists.
 */
#ifndef VOLT_BOOT_MB2_PARSE_H
#define VOLT_BOOT_MB2_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "boot/boot_info.h"

#define MB2_BOOTLOADER_MAGIC 0x36d76289u

/* Tag types Volt reads (spec 3.6.x). */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1
#define MB2_TAG_MODULE 3
#define MB2_TAG_MMAP 6
#define MB2_TAG_ACPI_OLD 14
#define MB2_TAG_ACPI_NEW 15

/* Multiboot2 memory types (spec 3.6.8). */
#define MB2_MEM_AVAILABLE 1
#define MB2_MEM_ACPI_RECLAIMABLE 3
#define MB2_MEM_NVS 4
#define MB2_MEM_BADRAM 5

/*
 * Parse the boot information at `info` (at most `max_len` bytes readable,
 * physical address `info_phys` for messages). Returns 0, or -1 with a
 * message in bi->error (bi->error_fatal set) when the tag list is malformed.
 */
int mb2_parse(const void *info, size_t max_len, struct boot_info *bi);

#endif
