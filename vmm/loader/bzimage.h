/*
 * Linux bzImage loader: the x86 boot protocol 2.12+ as a boot loader
 * without BIOS sees it (Documentation/arch/x86/boot.rst: "The Real-Mode
 * Kernel Header", "Loading The Rest of The Kernel", "32-bit Boot
 * Protocol", "64-bit Boot Protocol"; the zero page: zero-page.rst and
 * arch/x86/include/uapi/asm/bootparam.h).
 *
 * The kernel's real-mode setup code never runs: Volt writes the zero page
 * itself and starts the vCPU at the 64-bit entry (load + 0x200) when the
 * kernel has one (XLF_KERNEL_64), else at the 32-bit entry (load). The
 * guest memory layout is in guest_layout.h. Pure C, host-tested.
 */
#ifndef VOLT_VMM_LOADER_BZIMAGE_H
#define VOLT_VMM_LOADER_BZIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmm/vcpu_boot.h"

/* Setup header offsets in the file and in the zero page (boot.rst table
 * "The Real-Mode Kernel Header"; bootparam.h struct setup_header). */
#define BZ_SETUP_SECTS        0x1f1
#define BZ_SYSSIZE            0x1f4
#define BZ_BOOT_FLAG          0x1fe
#define BZ_JUMP               0x200
#define BZ_HEADER_MAGIC       0x202
#define BZ_VERSION            0x206
#define BZ_TYPE_OF_LOADER     0x210
#define BZ_LOADFLAGS          0x211
#define BZ_CODE32_START       0x214
#define BZ_RAMDISK_IMAGE      0x218
#define BZ_RAMDISK_SIZE       0x21c
#define BZ_HEAP_END_PTR       0x224
#define BZ_CMD_LINE_PTR       0x228
#define BZ_INITRD_ADDR_MAX    0x22c
#define BZ_KERNEL_ALIGNMENT   0x230
#define BZ_RELOCATABLE        0x234
#define BZ_MIN_ALIGNMENT      0x235
#define BZ_XLOADFLAGS         0x236
#define BZ_CMDLINE_SIZE       0x238
#define BZ_PREF_ADDRESS       0x258
#define BZ_INIT_SIZE          0x260
#define BZ_HANDOVER_OFFSET    0x264 /* last 2.12 field: header ends >= 0x268 */

/* Zero-page fields outside the setup header (zero-page.rst). */
#define BP_ACPI_RSDP_ADDR     0x070
#define BP_EXT_RAMDISK_IMAGE  0x0c0
#define BP_EXT_RAMDISK_SIZE   0x0c4
#define BP_EXT_CMD_LINE_PTR   0x0c8
#define BP_E820_ENTRIES       0x1e8
#define BP_SENTINEL           0x1ef
#define BP_EDD_MBR_SIG_BUFFER 0x290 /* the setup header must end before */
#define BP_E820_TABLE         0x2d0
#define BP_E820_MAX           128

#define BZ_BOOT_FLAG_VALUE    0xaa55
#define BZ_HEADER_MAGIC_VALUE 0x53726448u /* "HdrS" */
#define BZ_MIN_PROTOCOL       0x020c /* 2.12: xloadflags, 64-bit entry */
#define BZ_RSDP_PROTOCOL      0x020e /* 2.14+: boot_params.acpi_rsdp_addr */
#define BZ_TYPE_OF_LOADER_VOLT 0xff  /* "undefined": no assigned ID */

/* loadflags / xloadflags bits (bootparam.h) */
#define BZ_LOADED_HIGH        0x01
#define BZ_CAN_USE_HEAP       0x80
#define BZ_XLF_KERNEL_64      0x01

#define BZ_ENTRY64_OFFSET     0x200 /* startup_64 = load + 0x200 */

enum bzimage_entry_kind {
	BZIMAGE_ENTRY_64 = 0, /* 64-bit boot protocol (VCPU_BOOT_LONG64) */
	BZIMAGE_ENTRY_32,     /* 32-bit boot protocol (VCPU_BOOT_PROT32) */
};

/* What was placed where, for the VM's log line. */
struct bzimage_result {
	uint16_t protocol;        /* e.g. 0x020f */
	enum bzimage_entry_kind entry_kind;
	bool relocatable;
	uint64_t load_addr;       /* protected-mode code, = code32_start */
	uint64_t kernel_end;      /* load_addr + init_size: kept free */
	uint64_t initrd_addr;     /* 0 when there is none */
	uint64_t initrd_size;
};

struct bzimage_args {
	const void *file;         /* the whole bzImage file */
	size_t size;
	const void *initrd;       /* NULL or initrd_size 0: none */
	size_t initrd_size;
	const char *cmdline;      /* NULL: empty */
	void *ram;                /* host pointer to guest-physical 0 */
	uint64_t ram_bytes;
	uint64_t acpi_rsdp;       /* guest-physical RSDP, 0 = none */
	struct vcpu_boot *boot;   /* out: how the vCPU starts */
	struct bzimage_result *result; /* out, may be NULL */
};

/* Does the file carry a Linux boot header (0xAA55 at 0x1fe and "HdrS" at
 * 0x202)? Says nothing about whether Volt can load it. */
bool bzimage_is_image(const void *file, size_t size);

/* Validate the kernel against the VM, copy kernel and initrd into RAM,
 * write the zero page, command line, boot GDT and (64-bit entry)
 * identity page tables, fill *a->boot. 0, or -1 with a message in err
 * (RAM may then be partly written). */
int bzimage_load(const struct bzimage_args *a, char *err, size_t errlen);

#endif
