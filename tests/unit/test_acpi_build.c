/*
 * Host tests for the guest ACPI table builder (vmm/acpi_build.c).
 *
 * Each build goes into a fake guest RAM and is then
 *   - parsed back with Volt's own parser (arch/x86/acpi_parse.c, the one
 *     that reads the host's tables) and its \_S5 decoder (aml_s5.c);
 *   - found again by the legacy RSDP search (ACPI 6.5 5.2.5.1);
 *   - checked field by field at the byte offsets of the ACPI 6.5 tables
 *     (Table 5.3 RSDP, 5.5 XSDT, 5.9 FADT, 5.14 FACS, 5.19-5.33 MADT),
 *     written out here as numbers on purpose: this file does not use
 *     acpi_tables.h's structs, so a wrong offset there would show here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/acpi.h"
#include "vmm/acpi_build.h"
#include "vmm/dev/acpi_pm.h"

#define RAM_BYTES (2ull << 20)
#define AREA_START 0xe0000u
#define AREA_END 0x100000u

static uint8_t ram[RAM_BYTES];
static struct acpi_build_result res;
static struct acpi_info info;
static char err[160];

static const void *ram_map(void *opaque, uint64_t phys, uint64_t len)
{
	if (phys > RAM_BYTES || len > RAM_BYTES - phys)
		return NULL;
	return ram + phys;
}

static uint8_t rd8(uint64_t a) { return ram[a]; }
static uint16_t rd16(uint64_t a) { uint16_t v; memcpy(&v, ram + a, 2); return v; }
static uint32_t rd32(uint64_t a) { uint32_t v; memcpy(&v, ram + a, 4); return v; }
static uint64_t rd64(uint64_t a) { uint64_t v; memcpy(&v, ram + a, 8); return v; }

static uint8_t sum(uint64_t a, size_t len)
{
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + ram[a + i]);
	return s;
}

static int build(const struct acpi_build_args *a)
{
	memset(&res, 0x5a, sizeof(res));
	return acpi_build(a, ram, RAM_BYTES, &res, err, sizeof(err));
}

static void parse_ok(void)
{
	char perr[128];
	int rc = acpi_parse(res.rsdp, ram_map, NULL, &info, perr, sizeof(perr));
	if (rc)
		fail_msg("acpi_parse: %s", perr);
	for (uint32_t i = 0; i < info.warning_count && i < ACPI_MAX_WARNINGS; i++)
		print_error("warning: %s\n", info.warnings[i]);
	assert_int_equal(info.warning_count, 0);
}

static int setup(void **state)
{
	memset(ram, 0xaa, sizeof(ram));
	memset(err, 0, sizeof(err));
	return 0;
}

/* 5.2.6 Table 5.4: the common header. */
static void check_header(uint64_t t, const char *sig, uint32_t len,
			 uint8_t rev, const char *table_id)
{
	assert_memory_equal(ram + t, sig, 4);
	assert_int_equal(rd32(t + 4), len);
	assert_int_equal(rd8(t + 8), rev);
	assert_memory_equal(ram + t + 10, "VOLT  ", 6);
	assert_memory_equal(ram + t + 16, table_id, 8);
	assert_int_equal(rd32(t + 24), 1);		   /* OEM revision */
	assert_memory_equal(ram + t + 28, "VOLT", 4);	   /* creator ID */
	assert_int_equal(rd32(t + 32), 1);		   /* creator rev */
	assert_int_equal(sum(t, len), 0);		   /* checksum */
	assert_int_equal(t % 16, 0);
	assert_true(t >= AREA_START && t + len <= AREA_END);
}

/* 5.2.3.2 Table 5.1: a GAS in system I/O space. */
static void check_io_gas(uint64_t g, uint16_t port, uint8_t bits,
			 uint8_t access)
{
	assert_int_equal(rd8(g + 0), 1); /* system I/O */
	assert_int_equal(rd8(g + 1), bits);
	assert_int_equal(rd8(g + 2), 0);
	assert_int_equal(rd8(g + 3), access);
	assert_int_equal(rd64(g + 4), port);
}

static void check_zero_gas(uint64_t g)
{
	for (int i = 0; i < 12; i++)
		assert_int_equal(rd8(g + i), 0);
}

/* ---- tests ------------------------------------------------------------ */

static void test_parse_back_two_vcpus(void **state)
{
	struct acpi_build_args a = { .vcpus = 2 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_string_equal(err, "");
	assert_int_equal(res.rsdp, AREA_START);
	assert_int_equal(res.ioapic_id, 2);
	assert_int_equal(res.pm_base, 0x600);
	parse_ok();
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "VOLT  ");
	assert_int_equal(info.lapic_address, 0xfee00000u);
	assert_true(info.pcat_compat);
	assert_int_equal(info.cpu_count, 2);
	for (uint32_t i = 0; i < 2; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_int_equal(info.cpus[i].uid, i);
		assert_false(info.cpus[i].x2apic_entry);
	}
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 2);
	assert_int_equal(info.ioapics[0].address, 0xfec00000u);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.iso_count, 2);
	assert_int_equal(info.isos[0].bus, 0);
	assert_int_equal(info.isos[0].source, 0);
	assert_int_equal(info.isos[0].gsi, 2);
	assert_int_equal(info.isos[0].flags, 0);
	assert_int_equal(info.isos[1].source, 9);
	assert_int_equal(info.isos[1].gsi, 9);
	assert_int_equal(info.isos[1].flags, 0x000d); /* level, active high */
	assert_true(info.has_fadt);
	assert_false(info.hw_reduced);
	assert_int_equal(info.pm1a_cnt_port, 0x604);
	assert_int_equal(info.pm1b_cnt_port, 0);
	assert_int_equal(info.smi_cmd, 0);
	assert_int_equal(info.dsdt, res.dsdt);
	assert_true(info.s5_valid);
	assert_int_equal(info.slp_typa, ACPI_PM_SLP_TYP_S5);
	assert_int_equal(info.slp_typb, ACPI_PM_SLP_TYP_S5);
	/* every table, where the result says */
	const char *sigs[] = { "RSDP", "XSDT", "FACP", "DSDT", "APIC" };
	uint64_t where[] = { res.rsdp, res.xsdt, res.fadt, res.dsdt, res.madt };
	assert_int_equal(info.table_count, 5);
	for (int i = 0; i < 5; i++) {
		assert_string_equal(info.tables[i].sig, sigs[i]);
		assert_int_equal(info.tables[i].phys, where[i]);
		assert_string_equal(info.tables[i].oem_id, "VOLT  ");
	}
}

/* 5.2.5.1: OSPM searches 0xE0000-0xFFFFF on 16-byte boundaries. */
static void test_legacy_rsdp_search(void **state)
{
	struct acpi_build_args a = { .vcpus = 1 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	int found = 0;
	for (uint64_t p = AREA_START; p < AREA_END; p += 16) {
		if (memcmp(ram + p, "RSD PTR ", 8) == 0 && sum(p, 20) == 0) {
			assert_int_equal(p, res.rsdp);
			found++;
		}
	}
	assert_int_equal(found, 1);
}

static void test_rsdp_and_xsdt_layout(void **state)
{
	struct acpi_build_args a = { .vcpus = 3 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t r = res.rsdp;
	assert_int_equal(r % 16, 0);
	assert_memory_equal(ram + r, "RSD PTR ", 8);
	assert_int_equal(sum(r, 20), 0);	/* checksum, offset 8 */
	assert_memory_equal(ram + r + 9, "VOLT  ", 6);
	assert_int_equal(rd8(r + 15), 2);	/* revision */
	assert_int_equal(rd32(r + 16), 0);	/* no RSDT */
	assert_int_equal(rd32(r + 20), 36);	/* length */
	assert_int_equal(rd64(r + 24), res.xsdt);
	assert_int_equal(sum(r, 36), 0);	/* extended checksum, 32 */
	assert_int_equal(rd8(r + 33) | rd8(r + 34) | rd8(r + 35), 0);

	check_header(res.xsdt, "XSDT", 36 + 2 * 8, 1, "VOLTXSDT");
	assert_int_equal(rd64(res.xsdt + 36), res.fadt);
	assert_int_equal(rd64(res.xsdt + 44), res.madt);
}

/* ACPI 6.5 Table 5.9, offset by offset. */
static void test_fadt_fields(void **state)
{
	struct acpi_build_args a = { .vcpus = 2 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t f = res.fadt;
	check_header(f, "FACP", 276, 6, "VOLTFACP");
	assert_int_equal(rd32(f + 36), res.facs);	/* FIRMWARE_CTRL */
	assert_int_equal(rd32(f + 40), res.dsdt);	/* DSDT */
	assert_int_equal(rd8(f + 44), 0);
	assert_int_equal(rd8(f + 45), 0);		/* PM profile */
	assert_int_equal(rd16(f + 46), 9);		/* SCI_INT */
	assert_int_equal(rd32(f + 48), 0);		/* SMI_CMD */
	assert_int_equal(rd8(f + 52), 0);		/* ACPI_ENABLE */
	assert_int_equal(rd8(f + 53), 0);		/* ACPI_DISABLE */
	assert_int_equal(rd8(f + 54), 0);		/* S4BIOS_REQ */
	assert_int_equal(rd8(f + 55), 0);		/* PSTATE_CNT */
	assert_int_equal(rd32(f + 56), 0x600);		/* PM1a_EVT_BLK */
	assert_int_equal(rd32(f + 60), 0);		/* PM1b_EVT_BLK */
	assert_int_equal(rd32(f + 64), 0x604);		/* PM1a_CNT_BLK */
	assert_int_equal(rd32(f + 68), 0);		/* PM1b_CNT_BLK */
	assert_int_equal(rd32(f + 72), 0);		/* PM2_CNT_BLK */
	assert_int_equal(rd32(f + 76), 0x608);		/* PM_TMR_BLK */
	assert_int_equal(rd32(f + 80), 0);		/* GPE0_BLK */
	assert_int_equal(rd32(f + 84), 0);		/* GPE1_BLK */
	assert_int_equal(rd8(f + 88), 4);		/* PM1_EVT_LEN */
	assert_int_equal(rd8(f + 89), 2);		/* PM1_CNT_LEN */
	assert_int_equal(rd8(f + 90), 0);		/* PM2_CNT_LEN */
	assert_int_equal(rd8(f + 91), 4);		/* PM_TMR_LEN */
	assert_int_equal(rd8(f + 92), 0);		/* GPE0_BLK_LEN */
	assert_int_equal(rd8(f + 93), 0);		/* GPE1_BLK_LEN */
	assert_int_equal(rd8(f + 95), 0);		/* CST_CNT */
	assert_true(rd16(f + 96) > 100);		/* P_LVL2_LAT: no C2 */
	assert_true(rd16(f + 98) > 1000);		/* P_LVL3_LAT: no C3 */
	assert_int_equal(rd8(f + 106), 0);		/* DAY_ALRM */
	assert_int_equal(rd8(f + 107), 0);		/* MON_ALRM */
	assert_int_equal(rd8(f + 108), 0x32);		/* CENTURY */
	/* IAPC_BOOT_ARCH: LEGACY_DEVICES, VGA not present, MSI not
	 * supported; no 8042; CMOS RTC present (bit 5 clear) */
	assert_int_equal(rd16(f + 109), 0x000d);
	assert_int_equal(rd8(f + 111), 0);
	/* Flags: WBINVD, PROC_C1, PWR_BUTTON, SLP_BUTTON, RESET_REG_SUP;
	 * TMR_VAL_EXT (bit 8) and HW_REDUCED_ACPI (bit 20) clear */
	assert_int_equal(rd32(f + 112), 0x00000435u);
	check_io_gas(f + 116, 0xcf9, 8, 1);		/* RESET_REG */
	assert_int_equal(rd8(f + 128), 0x06);		/* RESET_VALUE */
	assert_int_equal(rd16(f + 129), 0);		/* ARM_BOOT_ARCH */
	assert_int_equal(rd8(f + 131), 4);		/* minor version */
	assert_int_equal(rd64(f + 132), 0);		/* X_FIRMWARE_CTRL */
	assert_int_equal(rd64(f + 140), res.dsdt);	/* X_DSDT */
	check_io_gas(f + 148, 0x600, 32, 2);		/* X_PM1a_EVT_BLK */
	check_zero_gas(f + 160);			/* X_PM1b_EVT_BLK */
	check_io_gas(f + 172, 0x604, 16, 2);		/* X_PM1a_CNT_BLK */
	check_zero_gas(f + 184);			/* X_PM1b_CNT_BLK */
	check_zero_gas(f + 196);			/* X_PM2_CNT_BLK */
	check_io_gas(f + 208, 0x608, 32, 3);		/* X_PM_TMR_BLK */
	check_zero_gas(f + 220);			/* X_GPE0_BLK */
	check_zero_gas(f + 232);			/* X_GPE1_BLK */
	check_zero_gas(f + 244);			/* SLEEP_CONTROL_REG */
	check_zero_gas(f + 256);			/* SLEEP_STATUS_REG */
	assert_memory_equal(ram + f + 268, "VOLT\0\0\0\0", 8);
	/* the 32-bit and X_ blocks agree: address and length */
	assert_int_equal(rd64(f + 148 + 4), rd32(f + 56));
	assert_int_equal(rd8(f + 148 + 1), 8 * rd8(f + 88));
	assert_int_equal(rd64(f + 172 + 4), rd32(f + 64));
	assert_int_equal(rd8(f + 172 + 1), 8 * rd8(f + 89));
	assert_int_equal(rd64(f + 208 + 4), rd32(f + 76));
	assert_int_equal(rd8(f + 208 + 1), 8 * rd8(f + 91));
}

/* ACPI 6.5 Table 5.14; 64-byte alignment (5.2.10). */
static void test_facs(void **state)
{
	struct acpi_build_args a = { .vcpus = 1 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t f = res.facs;
	assert_int_equal(f % 64, 0);
	assert_memory_equal(ram + f, "FACS", 4);
	assert_int_equal(rd32(f + 4), 64);
	assert_int_equal(rd32(f + 8), 0);   /* hardware signature */
	assert_int_equal(rd32(f + 12), 0);  /* firmware waking vector */
	assert_int_equal(rd32(f + 16), 0);  /* global lock: free */
	assert_int_equal(rd32(f + 20), 0);  /* flags: no S4BIOS, no 64-bit wake */
	assert_int_equal(rd64(f + 24), 0);  /* X_FIRMWARE_WAKING_VECTOR */
	assert_int_equal(rd8(f + 32), 2);   /* version */
	assert_int_equal(rd32(f + 36), 0);  /* OSPM flags */
	for (int i = 40; i < 64; i++)
		assert_int_equal(rd8(f + i), 0);
}

static void test_dsdt_s5(void **state)
{
	struct acpi_build_args a = { .vcpus = 1 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t d = res.dsdt;
	uint32_t len = rd32(d + 4);
	check_header(d, "DSDT", len, 2, "VOLTDSDT");
	uint8_t ta = 0xee, tb = 0xee;
	char msg[96];
	assert_int_equal(aml_find_s5(ram + d + 36, len - 36, &ta, &tb, msg,
				     sizeof(msg)),
			 ACPI_OK);
	assert_int_equal(ta, ACPI_PM_SLP_TYP_S5);
	assert_int_equal(tb, ACPI_PM_SLP_TYP_S5);
	/* the exact AML: Name (\_S5, Package (4) { 5, 5, 0, 0 }) */
	static const uint8_t want[] = { 0x08, 0x5c, '_', 'S', '5', '_', 0x12,
					0x08, 0x04, 0x0a, 5, 0x0a, 5, 0, 0 };
	assert_int_equal(len, 36 + sizeof(want));
	assert_memory_equal(ram + d + 36, want, sizeof(want));
}

/* 5.2.12: walk the entries by their own lengths. */
static void test_madt_entries_xapic(void **state)
{
	struct acpi_build_args a = { .vcpus = 3 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t m = res.madt;
	uint32_t len = 44 + 3 * 8 + 12 + 2 * 10 + 6;
	check_header(m, "APIC", len, 5, "VOLTAPIC");
	assert_int_equal(rd32(m + 36), 0xfee00000u);
	assert_int_equal(rd32(m + 40), 1); /* PCAT_COMPAT */
	uint64_t e = m + 44;
	for (unsigned i = 0; i < 3; i++, e += 8) {
		assert_int_equal(rd8(e), 0);
		assert_int_equal(rd8(e + 1), 8);
		assert_int_equal(rd8(e + 2), i);	/* UID */
		assert_int_equal(rd8(e + 3), i);	/* APIC ID */
		assert_int_equal(rd32(e + 4), 1);	/* enabled */
	}
	assert_int_equal(rd8(e), 1);			/* I/O APIC */
	assert_int_equal(rd8(e + 1), 12);
	assert_int_equal(rd8(e + 2), 3);		/* ID = vCPUs */
	assert_int_equal(rd8(e + 3), 0);
	assert_int_equal(rd32(e + 4), 0xfec00000u);
	assert_int_equal(rd32(e + 8), 0);		/* GSI base */
	e += 12;
	uint8_t src[2] = { 0, 9 };
	uint32_t gsi[2] = { 2, 9 };
	uint16_t flags[2] = { 0x0000, 0x000d };
	for (int i = 0; i < 2; i++, e += 10) {
		assert_int_equal(rd8(e), 2);		/* override */
		assert_int_equal(rd8(e + 1), 10);
		assert_int_equal(rd8(e + 2), 0);	/* ISA */
		assert_int_equal(rd8(e + 3), src[i]);
		assert_int_equal(rd32(e + 4), gsi[i]);
		assert_int_equal(rd16(e + 8), flags[i]);
	}
	assert_int_equal(rd8(e), 4);			/* local APIC NMI */
	assert_int_equal(rd8(e + 1), 6);
	assert_int_equal(rd8(e + 2), 0xff);		/* all processors */
	assert_int_equal(rd16(e + 3), 0);		/* conforming */
	assert_int_equal(rd8(e + 5), 1);		/* LINT1 */
	assert_int_equal(e + 6, m + len);
	assert_int_equal(res.end, m + len);
}

static void test_madt_x2apic(void **state)
{
	struct acpi_build_args a = { .vcpus = 4, .x2apic_entries = true,
				     .ioapic_id_set = true, .ioapic_id = 0 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_int_equal(res.ioapic_id, 0);
	parse_ok();
	assert_int_equal(info.cpu_count, 4);
	for (uint32_t i = 0; i < 4; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_int_equal(info.cpus[i].uid, i);
		assert_true(info.cpus[i].x2apic_entry);
	}
	assert_int_equal(info.ioapics[0].id, 0);
	uint64_t m = res.madt;
	uint32_t len = 44 + 4 * 16 + 12 + 2 * 10 + 12;
	check_header(m, "APIC", len, 5, "VOLTAPIC");
	uint64_t e = m + 44;
	for (unsigned i = 0; i < 4; i++, e += 16) {
		assert_int_equal(rd8(e), 9);
		assert_int_equal(rd8(e + 1), 16);
		assert_int_equal(rd16(e + 2), 0);
		assert_int_equal(rd32(e + 4), i);	/* x2APIC ID */
		assert_int_equal(rd32(e + 8), 1);	/* enabled */
		assert_int_equal(rd32(e + 12), i);	/* UID */
	}
	e += 12 + 2 * 10;
	assert_int_equal(rd8(e), 10);			/* local x2APIC NMI */
	assert_int_equal(rd8(e + 1), 12);
	assert_int_equal(rd16(e + 2), 0);
	assert_int_equal(rd32(e + 4), 0xffffffffu);
	assert_int_equal(rd8(e + 8), 1);
	assert_int_equal(rd8(e + 9) | rd8(e + 10) | rd8(e + 11), 0);
}

static void test_custom_pm_base(void **state)
{
	struct acpi_build_args a = { .vcpus = 1, .pm_base = 0xb000 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_int_equal(res.pm_base, 0xb000);
	parse_ok();
	assert_int_equal(info.pm1a_cnt_port, 0xb004);
	assert_int_equal(rd32(res.fadt + 56), 0xb000);
	assert_int_equal(rd32(res.fadt + 76), 0xb008);
	check_io_gas(res.fadt + 208, 0xb008, 32, 3);
	a.pm_base = 0xfff8; /* 12 ports do not fit */
	assert_int_equal(build(&a), ACPI_BUILD_EINVAL);
	a.pm_base = 0x10000 - ACPI_PM_PORTS;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
}

/* Only [start, end) is written; gaps inside it are zero; rebuilding
 * gives the same bytes. */
static void test_touches_only_its_area(void **state)
{
	struct acpi_build_args a = { .vcpus = 2 };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	for (uint64_t p = 0; p < AREA_START; p++)
		if (ram[p] != 0xaa)
			fail_msg("byte 0x%llx changed", (unsigned long long)p);
	for (uint64_t p = res.end; p < RAM_BYTES; p++)
		if (ram[p] != 0xaa)
			fail_msg("byte 0x%llx changed", (unsigned long long)p);
	/* between the RSDP (36 bytes) and the XSDT */
	for (uint64_t p = res.rsdp + 36; p < res.xsdt; p++)
		assert_int_equal(ram[p], 0);
	static uint8_t copy[AREA_END - AREA_START];
	memcpy(copy, ram + AREA_START, sizeof(copy));
	memset(ram + AREA_START, 0x33, AREA_END - AREA_START);
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_memory_equal(ram + AREA_START, copy, res.end - AREA_START);
}

static void test_bad_arguments(void **state)
{
	struct acpi_build_args a = { .vcpus = 0 };
	assert_int_equal(build(&a), ACPI_BUILD_EINVAL);
	assert_non_null(strstr(err, "vCPU"));
	a.vcpus = 1;
	assert_int_equal(acpi_build(&a, ram, AREA_END - 1, &res, err,
				    sizeof(err)),
			 ACPI_BUILD_EINVAL);
	assert_non_null(strstr(err, "RAM"));
	assert_int_equal(acpi_build(&a, NULL, RAM_BYTES, &res, err,
				    sizeof(err)),
			 ACPI_BUILD_EINVAL);
	/* no message buffer: still just an error code */
	a.vcpus = 0;
	assert_int_equal(acpi_build(&a, ram, RAM_BYTES, &res, NULL, 0),
			 ACPI_BUILD_EINVAL);
	/* the default IOAPIC ID (= vCPUs) must fit in 4 bits */
	a.vcpus = 16;
	assert_int_equal(build(&a), ACPI_BUILD_EINVAL);
	assert_non_null(strstr(err, "IOAPIC ID 16"));
	a.ioapic_id_set = true;
	a.ioapic_id = 16;
	assert_int_equal(build(&a), ACPI_BUILD_EINVAL);
	a.ioapic_id = 15;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	/* xAPIC entries: APIC IDs 0-254 */
	a.vcpus = 255;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_int_equal(rd8(res.madt + 44 + 254 * 8 + 3), 254);
	a.vcpus = 256;
	assert_int_equal(build(&a), ACPI_BUILD_EINVAL);
	assert_non_null(strstr(err, "x2APIC"));
	a.x2apic_entries = true;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	/* a string that does not fit is cut, not overrun */
	char tiny[8];
	memset(tiny, 'x', sizeof(tiny));
	a.vcpus = 0;
	assert_int_equal(acpi_build(&a, ram, RAM_BYTES, &res, tiny, 5),
			 ACPI_BUILD_EINVAL);
	assert_int_equal(strlen(tiny), 4);
	assert_int_equal(tiny[5], 'x');
}

/* The MADT grows with the vCPUs; the last one that fits, then one more. */
static void test_too_many_vcpus(void **state)
{
	struct acpi_build_args a = { .vcpus = 1, .x2apic_entries = true,
				     .ioapic_id_set = true };
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	uint64_t fixed = 44 + 12 + 2 * 10 + 12;
	uint32_t max = (uint32_t)((AREA_END - res.madt - fixed) / 16);
	a.vcpus = max;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	assert_true(res.end <= AREA_END);
	assert_true(res.end + 16 > AREA_END);
	assert_int_equal(rd32(res.madt + 4), res.end - res.madt);
	assert_int_equal(sum(res.madt, rd32(res.madt + 4)), 0);
	a.vcpus = max + 1;
	assert_int_equal(build(&a), ACPI_BUILD_ENOSPC);
	assert_non_null(strstr(err, "reserved area"));
	a.vcpus = UINT32_MAX; /* no overflow on the way to the answer */
	assert_int_equal(build(&a), ACPI_BUILD_ENOSPC);
	/* the parser reads the biggest MADT too (keeping 64 CPUs) */
	a.vcpus = max;
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	char perr[128];
	assert_int_equal(acpi_parse(res.rsdp, ram_map, NULL, &info, perr,
				    sizeof(perr)),
			 ACPI_OK);
	assert_int_equal(info.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.ioapic_count, 1);
	assert_true(info.s5_valid);
}

/* A build the parser must reject after one byte flips: the checksums
 * are real. */
static void test_checksums_are_checked(void **state)
{
	struct acpi_build_args a = { .vcpus = 2 };
	char perr[128];
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	ram[res.madt + 40] ^= 1; /* MADT flags */
	assert_int_equal(acpi_parse(res.rsdp, ram_map, NULL, &info, perr,
				    sizeof(perr)),
			 ACPI_ERR_CHECKSUM);
	assert_int_equal(build(&a), ACPI_BUILD_OK);
	ram[res.rsdp + 24] ^= 1; /* XSDT address: extended checksum */
	assert_int_equal(acpi_parse(res.rsdp, ram_map, NULL, &info, perr,
				    sizeof(perr)),
			 ACPI_ERR_CHECKSUM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_parse_back_two_vcpus, setup),
		cmocka_unit_test_setup(test_legacy_rsdp_search, setup),
		cmocka_unit_test_setup(test_rsdp_and_xsdt_layout, setup),
		cmocka_unit_test_setup(test_fadt_fields, setup),
		cmocka_unit_test_setup(test_facs, setup),
		cmocka_unit_test_setup(test_dsdt_s5, setup),
		cmocka_unit_test_setup(test_madt_entries_xapic, setup),
		cmocka_unit_test_setup(test_madt_x2apic, setup),
		cmocka_unit_test_setup(test_custom_pm_base, setup),
		cmocka_unit_test_setup(test_touches_only_its_area, setup),
		cmocka_unit_test_setup(test_bad_arguments, setup),
		cmocka_unit_test_setup(test_too_many_vcpus, setup),
		cmocka_unit_test_setup(test_checksums_are_checked, setup),
	};
	return cmocka_run_group_tests_name("acpi_build", tests, NULL, NULL);
}
