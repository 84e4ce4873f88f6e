/*
 * The host's ACPI tables, as Volt needs them: processors and IOAPICs from
 * the MADT, the power-off registers from the FADT and the DSDT's \_S5.
 *
 * Two layers (ACPI 6.5 chapter 5.2, and 7.4.2 for \_S5):
 *   acpi_parse() and aml_find_s5()  pure C, memory reached through a map
 *                                   callback; host-tested on fixtures.
 *   acpi_init() and acpi_dump()     kernel glue: identity map, boot log,
 *                                   and the `acpidump` serial dump that
 *                                   tools/acpi_capture.py turns into
 *                                   fixtures.
 */
#ifndef VOLT_ARCH_X86_ACPI_H
#define VOLT_ARCH_X86_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Returns a pointer to [phys, phys + len) or NULL if that range cannot be
 * reached. The parser never keeps a pointer beyond the table it read.
 */
typedef const void *(*acpi_map_fn)(void *opaque, uint64_t phys, uint64_t len);

#define ACPI_MAX_CPUS 64
#define ACPI_MAX_IOAPICS 8
#define ACPI_MAX_ISOS 16
#define ACPI_MAX_TABLES 32
#define ACPI_MAX_WARNINGS 4
#define ACPI_WARNING_LEN 96

/* Pure-parser error codes (acpi_parse, aml_find_s5); the message says more. */
enum acpi_error {
	ACPI_OK = 0,
	ACPI_ERR_UNMAPPED = 1,   /* the map callback refused a range */
	ACPI_ERR_SIGNATURE = 2,  /* not the table we were pointed at */
	ACPI_ERR_CHECKSUM = 3,   /* a required structure does not sum to 0 */
	ACPI_ERR_LENGTH = 4,     /* a length is too small, too big or overflows */
	ACPI_ERR_MISSING = 5,    /* a required table (MADT) is absent */
	ACPI_ERR_MALFORMED = 6,  /* bad MADT entry, duplicate APIC ID, bad AML */
	ACPI_ERR_NOT_FOUND = 7,  /* aml_find_s5: no \_S5 package */
};

struct acpi_cpu {
	uint32_t apic_id;
	uint32_t uid;          /* ACPI processor UID */
	bool x2apic_entry;     /* came from a type 9 (x2APIC) MADT entry */
};

struct acpi_ioapic {
	uint32_t id;
	uint64_t address;
	uint32_t gsi_base;
};

/* Interrupt source override: ISA IRQ `source` is wired to `gsi`. */
struct acpi_iso {
	uint8_t bus, source;
	uint32_t gsi;
	uint16_t flags;        /* MPS INTI polarity (bits 1:0), trigger (3:2) */
};

struct acpi_table_ref {
	char sig[5];           /* "RSDP", "XSDT", "APIC", ... NUL-terminated */
	char oem_id[7];
	uint64_t phys;
	uint32_t length;
};

struct acpi_info {
	uint8_t revision;            /* RSDP revision: 0 = ACPI 1.0 (RSDT), 2 = XSDT */
	char oem_id[7];
	uint64_t lapic_address;      /* MADT (or its 64-bit override entry) */
	bool pcat_compat;            /* MADT flags: 8259 present */
	struct acpi_cpu cpus[ACPI_MAX_CPUS];
	uint32_t cpu_count;          /* enabled (or online-capable) processors only */
	struct acpi_ioapic ioapics[ACPI_MAX_IOAPICS];
	uint32_t ioapic_count;
	struct acpi_iso isos[ACPI_MAX_ISOS];
	uint32_t iso_count;
	bool has_fadt;
	bool hw_reduced;             /* FADT: no PM1 registers, no SMI_CMD */
	uint32_t pm1a_cnt_port, pm1b_cnt_port; /* from FADT (X_ fields preferred when valid) */
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	uint64_t dsdt;               /* phys, 0 if none */
	bool s5_valid;
	uint8_t slp_typa, slp_typb;  /* from \_S5 in the DSDT */
	/* Every structure found, RSDP first, for the boot log and acpidump. */
	struct acpi_table_ref tables[ACPI_MAX_TABLES];
	uint32_t table_count;
	/* Problems that did not stop parsing (a bad optional table...). The
	 * first ACPI_MAX_WARNINGS are kept; warning_count counts them all. */
	char warnings[ACPI_MAX_WARNINGS][ACPI_WARNING_LEN];
	uint32_t warning_count;
};

/*
 * Reads the tables reachable from the RSDP at rsdp_phys into *out.
 * Required: a valid RSDP, RSDT or XSDT (XSDT preferred) and MADT. Optional:
 * FADT, DSDT and its \_S5 (a bad one becomes a warning). Returns ACPI_OK or
 * an enum acpi_error with a message in err.
 */
int acpi_parse(uint64_t rsdp_phys, acpi_map_fn map, void *opaque,
	       struct acpi_info *out, char *err, size_t errlen);

/*
 * Finds `Name (\_S5, Package () { SLP_TYPa, SLP_TYPb, ... })` in DSDT AML
 * (the bytes after the table header) and decodes the two sleep types
 * (ACPI 7.4.2.5; encoding 20.2). Returns ACPI_OK, ACPI_ERR_NOT_FOUND, or
 * ACPI_ERR_MALFORMED with a message in err.
 */
int aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		uint8_t *slp_typb, char *err, size_t errlen);

#ifndef VOLT_HOST_TEST
/*
 * Kernel glue: parses the host's tables (identity-mapped), prints a
 * summary and any warnings. Returns 0, or an enum acpi_error after printing
 * "error: ACPI: <what>".
 */
int acpi_init(uint64_t rsdp, struct acpi_info *out);

/*
 * Prints every table of *info as `ACPIDUMP <SIG> <phys> <length> <offset>
 * <hex bytes>` lines (32 bytes a line), then `ACPIDUMP END`.
 */
void acpi_dump(const struct acpi_info *info);
#endif

#endif
