/*
 * Kernel glue for the host ACPI tables: runs the pure parser (acpi_parse.c)
 * over identity-mapped memory, prints what it found, and dumps the raw
 * tables on request.
 *
 * The dump (command line `acpidump`) is how test fixtures are made: every
 * structure the parser visited (ACPI 6.5 5.2.5 RSDP, 5.2.7/5.2.8 root
 * table, and the tables it lists, 5.2.9 FADT's DSDT included) is printed as
 *     ACPIDUMP <SIG> <phys-hex> <length> <offset-hex> <up to 32 hex bytes>
 * and ends with `ACPIDUMP END`; tools/acpi_capture.py rebuilds the exact
 * bytes at their physical addresses from a serial log.
 */
#include <stdint.h>
#include "arch/x86/acpi.h"
#include "lib/console.h"
#include "lib/format.h"

#define ACPI_DUMP_BYTES_PER_LINE 32

/*
 * Volt runs identity-mapped (virtual == physical), and the paging setup
 * maps the firmware's ACPI regions, so a table's physical address is its
 * pointer. Only an address range that wraps around is refused.
 */
static const void *acpi_identity_map(void *opaque, uint64_t phys, uint64_t len)
{
	if (phys + len < phys)
		return 0;
	return (const void *)(uintptr_t)phys;
}

static void acpi_print_tables(const struct acpi_info *info)
{
	printk("acpi: ACPI %s, OEM '%s'\n",
	       info->revision >= 2 ? "2.0+ (XSDT)" : "1.0 (RSDT)",
	       info->oem_id);
	for (uint32_t i = 0; i < info->table_count; i++) {
		const struct acpi_table_ref *t = &info->tables[i];
		printk("acpi:   %s at 0x%08llx, %6u bytes, OEM '%s'\n", t->sig,
		       (unsigned long long)t->phys, t->length, t->oem_id);
	}
}

static void acpi_print_cpus(const struct acpi_info *info)
{
	char ids[ACPI_MAX_CPUS * 12];
	size_t n = 0;
	ids[0] = 0;
	for (uint32_t i = 0; i < info->cpu_count && n < sizeof(ids); i++)
		n += (size_t)volt_snprintf(ids + n, sizeof(ids) - n, " %u%s",
					   info->cpus[i].apic_id,
					   info->cpus[i].x2apic_entry ? "(x2)" : "");
	printk("acpi: %u processor%s, APIC IDs:%s\n", info->cpu_count,
	       info->cpu_count == 1 ? "" : "s", ids);
	printk("acpi: local APIC at 0x%llx; %s\n",
	       (unsigned long long)info->lapic_address,
	       info->pcat_compat ? "dual 8259 PICs present" : "no 8259 PICs");
}

static void acpi_print_interrupts(const struct acpi_info *info)
{
	for (uint32_t i = 0; i < info->ioapic_count; i++) {
		const struct acpi_ioapic *io = &info->ioapics[i];
		printk("acpi: IOAPIC id %u at 0x%llx, GSI base %u\n", io->id,
		       (unsigned long long)io->address, io->gsi_base);
	}
	for (uint32_t i = 0; i < info->iso_count; i++) {
		const struct acpi_iso *iso = &info->isos[i];
		printk("acpi: override: bus %u IRQ %u -> GSI %u, flags 0x%x\n",
		       iso->bus, iso->source, iso->gsi, iso->flags);
	}
}

static void acpi_print_power(const struct acpi_info *info)
{
	if (!info->has_fadt)
		printk("acpi: power-off: no FADT, no ACPI S5\n");
	else if (info->hw_reduced)
		printk("acpi: power-off: hardware-reduced ACPI, no PM1 registers\n");
	else if (info->s5_valid && info->pm1a_cnt_port)
		printk("acpi: power-off: ACPI S5, PM1a_CNT port 0x%x, PM1b_CNT port 0x%x, SLP_TYP %u/%u\n",
		       info->pm1a_cnt_port, info->pm1b_cnt_port,
		       info->slp_typa, info->slp_typb);
	else
		printk("acpi: power-off: no usable \\_S5 (PM1a_CNT port 0x%x)\n",
		       info->pm1a_cnt_port);
	if (info->has_fadt && info->smi_cmd)
		printk("acpi: SMI_CMD port 0x%x, ACPI_ENABLE 0x%x\n",
		       info->smi_cmd, info->acpi_enable);
}

static void acpi_print_warnings(const struct acpi_info *info)
{
	uint32_t kept = info->warning_count < ACPI_MAX_WARNINGS
				? info->warning_count
				: ACPI_MAX_WARNINGS;
	for (uint32_t i = 0; i < kept; i++)
		printk("acpi: warning: %s\n", info->warnings[i]);
	if (info->warning_count > kept)
		printk("acpi: warning: ... and %u more\n",
		       info->warning_count - kept);
}

int acpi_init(uint64_t rsdp, struct acpi_info *out)
{
	char err[160];
	int rc = acpi_parse(rsdp, acpi_identity_map, 0, out, err, sizeof(err));
	if (rc) {
		printk("error: ACPI: %s\n", err);
		return rc;
	}
	acpi_print_tables(out);
	acpi_print_cpus(out);
	acpi_print_interrupts(out);
	acpi_print_power(out);
	acpi_print_warnings(out);
	return 0;
}

static void acpi_dump_table(const struct acpi_table_ref *t)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *p = (const uint8_t *)(uintptr_t)t->phys;
	char line[ACPI_DUMP_BYTES_PER_LINE * 2 + 1];
	for (uint32_t off = 0; off < t->length; off += ACPI_DUMP_BYTES_PER_LINE) {
		uint32_t n = t->length - off;
		if (n > ACPI_DUMP_BYTES_PER_LINE)
			n = ACPI_DUMP_BYTES_PER_LINE;
		for (uint32_t i = 0; i < n; i++) {
			line[2 * i] = hex[p[off + i] >> 4];
			line[2 * i + 1] = hex[p[off + i] & 0xf];
		}
		line[2 * n] = 0;
		printk("ACPIDUMP %s 0x%llx %u %04x %s\n", t->sig,
		       (unsigned long long)t->phys, t->length, off, line);
	}
}

void acpi_dump(const struct acpi_info *info)
{
	for (uint32_t i = 0; i < info->table_count; i++)
		acpi_dump_table(&info->tables[i]);
	printk("ACPIDUMP END\n");
}
