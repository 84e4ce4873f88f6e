/*
 * Host options: what Volt does at the edges of a run. They come from the
 * boot command line (GRUB's `multiboot2 volt.elf <words>`, UEFI load
 * options) and from the config's `host` line, with the same keys:
 *
 *   on_idle=poweroff|halt     when no VM is left running (default poweroff)
 *   on_fault=poweroff|halt    after an exception report or panic
 *                             (default halt)
 *   exit=isa-debug-exit|acpi  power off through QEMU's port 0xf4 with a
 *                             status, or through ACPI S5 (default acpi)
 *   debug=pagefault|gpfault|divide|none  deliberately fault (tests the
 *                             exception report; default none)
 *   acpidump                  print the ACPI tables as hex (test fixtures)
 *   config=<name>             the config module/file, 1-63 printable
 *                             characters, no spaces (default volt.cfg)
 *   apicv=on|off              use VT-x APIC virtualization when the
 *                             processor has it (default on; off keeps
 *                             every local APIC access exiting)
 *
 * The command line wins over the config's host line. Pure C, host-tested.
 */
#ifndef VOLT_VMM_OPTIONS_H
#define VOLT_VMM_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum host_action { HOST_HALT = 0, HOST_POWEROFF = 1 };
enum debug_fault { DEBUG_NONE = 0, DEBUG_PAGEFAULT, DEBUG_GPFAULT, DEBUG_DIVIDE };

/* Bits of host_options.set: which fields were given explicitly. */
#define OPT_ON_IDLE (1u << 0)
#define OPT_ON_FAULT (1u << 1)
#define OPT_EXIT (1u << 2)
#define OPT_DEBUG (1u << 3)
#define OPT_ACPIDUMP (1u << 4)
#define OPT_CONFIG (1u << 5)
#define OPT_APICV (1u << 6)

struct host_options {
	int on_idle;         /* enum host_action */
	int on_fault;        /* enum host_action */
	bool exit_isa_debug;
	int debug_fault;     /* enum debug_fault */
	bool acpidump;
	char config_name[64];
	bool apicv;          /* APIC virtualization allowed (default) */
	uint32_t set;        /* OPT_* bits given explicitly */
};

void options_defaults(struct host_options *o);

/* Enough for any message options_parse or options_apply_word writes. */
#define OPTIONS_ERR_MAX 128

/*
 * Parse words separated by spaces, tabs or line ends into `o` (call
 * options_defaults first). Unknown or malformed words are counted and the
 * first is described in err, while the other words still apply; returns
 * the count (0: all good). A word given twice: the later one wins. A first
 * word ending in ".efi" or ".elf" (the image path some firmware and boot
 * loaders put first) is skipped. A NULL cmdline is an empty one.
 */
int options_parse(const char *cmdline, struct host_options *o, char *err,
		  size_t errlen);

/* Parse one key=value word (the config's host line uses this too).
 * Returns 0, or -1 with a message. */
int options_apply_word(struct host_options *o, const char *word, size_t len,
		       char *err, size_t errlen);

/*
 * Fields set in `base` but not in `over` are copied into `over`: with
 * `over` the command line and `base` the config's host line, the command
 * line wins and the host line fills in the rest.
 */
void options_merge_under(struct host_options *over,
			 const struct host_options *base);

#endif
