/*
 * A VM's ACPI tables, built into its RAM the way firmware would leave
 * them: RSDP, XSDT, FADT, FACS, DSDT and MADT in the reserved BIOS area
 * [ACPI_BUILD_START, ACPI_BUILD_END), the RSDP 16-byte aligned so that
 * the legacy search of 0xE0000-0xFFFFF (ACPI 6.5 5.2.5.1) finds it; the
 * result also says where it is, for the Linux zero page's acpi_rsdp_addr.
 * Table layouts: ACPI 6.5 chapter 5.2 (5.2.5.3 RSDP, 5.2.8 XSDT, 5.2.9
 * FADT, 5.2.10 FACS, 5.2.11.1 DSDT, 5.2.12 MADT); the DSDT's only object
 * is \_S5 (7.4.2.5). Revisions are ACPI 6.4's: FADT 6.4, MADT 5, XSDT 1,
 * DSDT 2 (64-bit AML integers), FACS version 2, RSDP 2.
 * docs/devices-ioapic-acpi.md shows every field and how to inspect them.
 *
 * What the tables describe (and the device models that must match):
 *   - vCPUs with APIC IDs 0..n-1 (processor UIDs the same), all enabled,
 *     as Processor Local APIC entries, or Local x2APIC entries when asked
 *     (required for n > 255: an xAPIC ID is 8 bits and 0xFF broadcasts);
 *     local APICs at 0xFEE00000; LINT1 of every CPU is NMI;
 *   - dual 8259s present (PC-AT compatible, vmm/dev/pic.c);
 *   - one IOAPIC at IOAPIC_DEFAULT_BASE, GSI 0-23 (vmm/dev/ioapic.c):
 *     ISA IRQ 0 -> GSI 2 (bus-conforming flags), IRQ 9 -> GSI 9 level,
 *     active high (the SCI); every other ISA IRQ n is GSI n, edge/high;
 *   - the ACPI fixed hardware of vmm/dev/acpi_pm.c at `pm_base`: SCI on
 *     IRQ 9, no SMI_CMD (already in ACPI mode), 24-bit PM timer, \_S5 =
 *     ACPI_PM_SLP_TYP_S5; reset through port 0xCF9 value 0x06
 *     (vmm/dev/pc_ports.c); CMOS RTC with the century at index 0x32; no
 *     i8042, no VGA, no MSI; no HPET table (Volt has no HPET).
 *   - No processor objects in the DSDT: Linux takes the CPUs from the
 *     MADT and needs Processor/Device(ACPI0007) objects only for
 *     _PSS/_CST, which come later.
 *
 * Pure C, host-tested: the tests parse the result back with Volt's own
 * parser (arch/x86/acpi_parse.c) and check every field's offset.
 */
#ifndef VOLT_VMM_ACPI_BUILD_H
#define VOLT_VMM_ACPI_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ACPI_BUILD_START 0xe0000ull  /* the RSDP goes here */
#define ACPI_BUILD_END 0x100000ull   /* exclusive */
#define ACPI_BUILD_LAPIC_BASE 0xfee00000u
#define ACPI_BUILD_MAX_XAPIC_CPUS 255 /* APIC IDs 0-254 */
#define ACPI_BUILD_OEM_ID "VOLT  "   /* 6 characters, space-padded */

struct acpi_build_args {
	uint32_t vcpus;	     /* >= 1 */
	bool x2apic_entries; /* MADT type 9 (+ type 10 NMI) instead of 0/4 */
	bool ioapic_id_set;  /* else the IOAPIC's ID is `vcpus` */
	uint8_t ioapic_id;   /* 0-15: the 82093AA's ID register has 4 bits */
	uint16_t pm_base;    /* acpi_pm ports; 0: ACPI_PM_DEFAULT_BASE */
};

/* Guest-physical addresses of what was built. */
struct acpi_build_result {
	uint64_t rsdp;	     /* for the zero page's acpi_rsdp_addr */
	uint64_t xsdt, fadt, facs, dsdt, madt;
	uint64_t end;	     /* [ACPI_BUILD_START, end) holds the tables */
	uint8_t ioapic_id;   /* what the MADT says: give it to ioapic_init */
	uint16_t pm_base;    /* give it to acpi_pm_attach */
};

enum acpi_build_error {
	ACPI_BUILD_OK = 0,
	ACPI_BUILD_EINVAL = -1, /* bad arguments, RAM too small */
	ACPI_BUILD_ENOSPC = -2, /* too many vCPUs for the reserved area */
};

/*
 * Writes the tables into `ram` (guest-physical 0 .. ram_bytes), which
 * must cover ACPI_BUILD_END. Zeroes [ACPI_BUILD_START, out->end) first
 * and touches nothing else. Returns ACPI_BUILD_OK, or an error with a
 * message in err (then RAM may hold a partial, unreferenced build).
 */
int acpi_build(const struct acpi_build_args *a, void *ram, uint64_t ram_bytes,
	       struct acpi_build_result *out, char *err, size_t errlen);

#endif
