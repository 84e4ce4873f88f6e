/*
 * Host tests for the ACPI parser (arch/x86/acpi_parse.c) and the \_S5
 * decoder (arch/x86/aml_s5.c).
 *
 * Two kinds of input:
 *  - synthetic tables built here in a fake physical "arena", each test
 *    starting from a good platform and breaking one thing;
 *  - real tables captured from emulators with `acpidump` and
 *    tools/acpi_capture.py, under tests/unit/fixtures/acpi/<name>/ as
 *    <SIG>@<hexaddr>.bin files plus an `expect` file (see its README).
 */
#define _GNU_SOURCE /* memmem */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>

#include "arch/x86/acpi.h"
#include "arch/x86/acpi_tables.h"

/* ---- a fake physical address space ------------------------------------ */

#define ARENA_BASE 0x7fe0000ull
#define ARENA_SIZE 0x20000
#define RSDP_AT (ARENA_BASE + 0x0)
#define XSDT_AT (ARENA_BASE + 0x100)
#define RSDT_AT (ARENA_BASE + 0x200)
#define MADT_AT (ARENA_BASE + 0x400)
#define FADT_AT (ARENA_BASE + 0x1000)
#define DSDT_AT (ARENA_BASE + 0x2000)
#define HPET_AT (ARENA_BASE + 0x3000)
#define DSDT2_AT (ARENA_BASE + 0x4000)

static uint8_t arena[ARENA_SIZE];

static uint8_t *at(uint64_t phys)
{
	assert_true(phys >= ARENA_BASE && phys < ARENA_BASE + ARENA_SIZE);
	return arena + (phys - ARENA_BASE);
}

static const void *arena_map(void *opaque, uint64_t phys, uint64_t len)
{
	int *calls = opaque;
	if (calls)
		(*calls)++;
	if (phys < ARENA_BASE || len > ARENA_SIZE ||
	    phys - ARENA_BASE > ARENA_SIZE - len)
		return NULL;
	return arena + (phys - ARENA_BASE);
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

/* Makes bytes [0, len) sum to zero by adjusting the byte at csum. */
static void seal(uint8_t *p, size_t len, size_t csum)
{
	uint8_t sum = 0;
	p[csum] = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	p[csum] = (uint8_t)(0x100 - sum);
}

static void make_rsdp(uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	uint8_t *p = at(RSDP_AT);
	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "VOLTOE", 6);
	p[15] = rev;
	put32(p + 16, rsdt);
	seal(p, 20, 8);
	if (rev >= 2) {
		put32(p + 20, 36);
		put64(p + 24, xsdt);
		seal(p, 36, 32);
	}
}

static void sdt_header(uint64_t phys, const char *sig, uint32_t len,
		       uint8_t rev)
{
	uint8_t *p = at(phys);
	memset(p, 0, 36);
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = rev;
	memcpy(p + 10, "VOLTOE", 6);
	memcpy(p + 16, "TESTTABL", 8);
}

/* Recomputes a table's checksum from its own length field. */
static void sdt_seal(uint64_t phys)
{
	uint32_t len;
	memcpy(&len, at(phys) + 4, 4);
	seal(at(phys), len, 9);
}

static void make_xsdt(const uint64_t *tables, int n)
{
	sdt_header(XSDT_AT, "XSDT", 36 + 8 * n, 1);
	for (int i = 0; i < n; i++)
		put64(at(XSDT_AT) + 36 + 8 * i, tables[i]);
	sdt_seal(XSDT_AT);
}

static void make_rsdt(const uint32_t *tables, int n)
{
	sdt_header(RSDT_AT, "RSDT", 36 + 4 * n, 1);
	for (int i = 0; i < n; i++)
		put32(at(RSDT_AT) + 36 + 4 * i, tables[i]);
	sdt_seal(RSDT_AT);
}

/* MADT builder: entries are appended, madt_end() fixes length and sum. */
static uint32_t madt_len;

static void madt_begin(uint32_t lapic, uint32_t flags)
{
	sdt_header(MADT_AT, "APIC", 44, 3);
	put32(at(MADT_AT) + 36, lapic);
	put32(at(MADT_AT) + 40, flags);
	madt_len = 44;
}

static uint8_t *madt_entry(uint8_t type, uint8_t len)
{
	uint8_t *e = at(MADT_AT) + madt_len;
	memset(e, 0, len < 2 ? 2 : len);
	e[0] = type;
	e[1] = len;
	madt_len += len < 2 ? 2 : len;
	return e;
}

static void madt_lapic(uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = madt_entry(0, 8);
	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
}

static void madt_x2apic(uint32_t id, uint32_t uid, uint32_t flags)
{
	uint8_t *e = madt_entry(9, 16);
	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
}

static void madt_ioapic(uint8_t id, uint32_t addr, uint32_t gsi_base)
{
	uint8_t *e = madt_entry(1, 12);
	e[2] = id;
	put32(e + 4, addr);
	put32(e + 8, gsi_base);
}

static void madt_iso(uint8_t source, uint32_t gsi, uint16_t flags)
{
	uint8_t *e = madt_entry(2, 10);
	e[3] = source;
	put32(e + 4, gsi);
	put16(e + 8, flags);
}

static void madt_end(void)
{
	put32(at(MADT_AT) + 4, madt_len);
	sdt_seal(MADT_AT);
}

/* A DSDT whose AML is exactly `aml`. */
static void make_dsdt(uint64_t phys, const uint8_t *aml, size_t n)
{
	sdt_header(phys, "DSDT", (uint32_t)(36 + n), 2);
	memcpy(at(phys) + 36, aml, n);
	sdt_seal(phys);
}

/* Name (\_S5, Package (4) { 5, 5, 0, 0 }) inside some filler AML. */
static const uint8_t s5_aml[] = {
	0x10, 0x05, 0x5c, 0x00, 0xa3, /* filler: Scope (\) { Noop } */
	0x08, 0x5c, '_', 'S', '5', '_', 0x12, 0x08, 0x04,
	0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00,
};

struct fadt_spec {
	uint32_t len;
	uint32_t dsdt;
	uint64_t x_dsdt;
	uint32_t pm1a, pm1b;
	uint64_t x_pm1a;
	uint8_t x_pm1a_space;
	uint32_t flags;
};

static void make_fadt(const struct fadt_spec *s)
{
	uint8_t *p = at(FADT_AT);
	sdt_header(FADT_AT, "FACP", s->len, s->len > 116 ? 6 : 1);
	memset(p + 36, 0, s->len - 36);
	put32(p + 40, s->dsdt);
	put32(p + 48, 0xb2);      /* SMI_CMD */
	p[52] = 0xf1;             /* ACPI_ENABLE */
	put32(p + 64, s->pm1a);
	put32(p + 68, s->pm1b);
	put32(p + 112, s->flags);
	if (s->len >= 148)
		put64(p + 140, s->x_dsdt);
	if (s->len >= 184) {
		p[172] = s->x_pm1a_space;
		p[173] = 16;
		put64(p + 176, s->x_pm1a);
	}
	sdt_seal(FADT_AT);
}

static const struct fadt_spec good_fadt = {
	.len = 276, .dsdt = 0, .x_dsdt = DSDT_AT, .pm1a = 0xb004,
	.x_pm1a = 0x604, .x_pm1a_space = ACPI_GAS_SYSTEM_IO,
};

/* The good platform: ACPI 2.0, XSDT -> MADT, FADT (-> DSDT), HPET. */
static void build_platform(void)
{
	memset(arena, 0, sizeof(arena));
	make_rsdp(2, (uint32_t)RSDT_AT, XSDT_AT);
	const uint64_t tables[] = { FADT_AT, MADT_AT, HPET_AT };
	make_xsdt(tables, 3);
	const uint32_t tables32[] = { (uint32_t)MADT_AT };
	make_rsdt(tables32, 1);
	madt_begin(0xfee00000, ACPI_MADT_PCAT_COMPAT);
	madt_lapic(0, 0, ACPI_MADT_CPU_ENABLED);
	madt_lapic(1, 1, ACPI_MADT_CPU_ENABLED);
	madt_lapic(2, 2, 0); /* an empty socket */
	madt_lapic(3, 3, ACPI_MADT_CPU_ONLINE_CAPABLE);
	madt_ioapic(4, 0xfec00000, 0);
	madt_iso(0, 2, 0);
	madt_iso(9, 9, 0xd);
	madt_end();
	make_fadt(&good_fadt);
	make_dsdt(DSDT_AT, s5_aml, sizeof(s5_aml));
	sdt_header(HPET_AT, "HPET", 56, 1);
	sdt_seal(HPET_AT);
}

static struct acpi_info info;
static char err[160];

static int parse(void)
{
	memset(err, 0, sizeof(err));
	return acpi_parse(RSDP_AT, arena_map, NULL, &info, err, sizeof(err));
}

static void expect_fail(int code, const char *needle)
{
	int rc = parse();
	if (rc != code || !strstr(err, needle))
		print_error("rc %d (want %d), err '%s' (want '%s')\n", rc, code,
			    err, needle);
	assert_int_equal(rc, code);
	assert_non_null(strstr(err, needle));
}

static bool has_warning(const char *needle)
{
	for (uint32_t i = 0; i < info.warning_count && i < ACPI_MAX_WARNINGS; i++)
		if (strstr(info.warnings[i], needle))
			return true;
	return false;
}

/* ---- synthetic platforms ------------------------------------------------ */

static void test_good_platform(void **state)
{
	build_platform();
	assert_int_equal(parse(), ACPI_OK);
	assert_string_equal(err, "");
	assert_int_equal(info.revision, 2);
	assert_string_equal(info.oem_id, "VOLTOE");
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_true(info.pcat_compat);
	assert_int_equal(info.cpu_count, 3); /* 0, 1 enabled; 3 online-capable */
	assert_int_equal(info.cpus[0].apic_id, 0);
	assert_int_equal(info.cpus[1].apic_id, 1);
	assert_int_equal(info.cpus[2].apic_id, 3);
	assert_int_equal(info.cpus[2].uid, 3);
	assert_false(info.cpus[0].x2apic_entry);
	assert_int_equal(info.ioapic_count, 1);
	assert_int_equal(info.ioapics[0].id, 4);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.ioapics[0].gsi_base, 0);
	assert_int_equal(info.iso_count, 2);
	assert_int_equal(info.isos[0].source, 0);
	assert_int_equal(info.isos[0].gsi, 2);
	assert_int_equal(info.isos[1].source, 9);
	assert_int_equal(info.isos[1].flags, 0xd);
	assert_true(info.has_fadt);
	assert_false(info.hw_reduced);
	assert_int_equal(info.pm1a_cnt_port, 0x604); /* X_ wins over 0xb004 */
	assert_int_equal(info.pm1b_cnt_port, 0);
	assert_int_equal(info.smi_cmd, 0xb2);
	assert_int_equal(info.acpi_enable, 0xf1);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_true(info.s5_valid);
	assert_int_equal(info.slp_typa, 5);
	assert_int_equal(info.slp_typb, 5);
	assert_int_equal(info.warning_count, 0);
	/* Tables in the order visited: RSDP, XSDT, its entries, DSDT via FADT. */
	static const char *const sigs[] = { "RSDP", "XSDT", "FACP", "DSDT",
					    "APIC", "HPET" };
	static const uint64_t where[] = { RSDP_AT, XSDT_AT, FADT_AT, DSDT_AT,
					  MADT_AT, HPET_AT };
	assert_int_equal(info.table_count, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(info.tables[i].sig, sigs[i]);
		assert_int_equal(info.tables[i].phys, where[i]);
	}
	assert_int_equal(info.tables[0].length, 36);
	assert_int_equal(info.tables[4].length, madt_len);
	assert_string_equal(info.tables[4].oem_id, "VOLTOE");
}

static void test_bad_rsdp_signature(void **state)
{
	build_platform();
	at(RSDP_AT)[0] = 'X';
	expect_fail(ACPI_ERR_SIGNATURE, "RSD PTR");
}

static void test_bad_rsdp_checksum(void **state)
{
	build_platform();
	at(RSDP_AT)[8] -= 1; /* the sum is now 0xff */
	expect_fail(ACPI_ERR_CHECKSUM, "RSDP: bad checksum");
	assert_non_null(strstr(err, "sum to 0xff, expected 0x00"));
}

static void test_bad_rsdp_ext_checksum(void **state)
{
	build_platform();
	at(RSDP_AT)[32] += 2; /* 1.0 part still fine */
	expect_fail(ACPI_ERR_CHECKSUM, "extended checksum");
	assert_non_null(strstr(err, "sum to 0x02"));
}

static void test_bad_rsdp_length(void **state)
{
	build_platform();
	put32(at(RSDP_AT) + 20, 20); /* shorter than the 2.0 structure */
	seal(at(RSDP_AT), 36, 32);
	expect_fail(ACPI_ERR_LENGTH, "RSDP: bad length 20");
}

static void test_unmapped_rsdp(void **state)
{
	build_platform();
	int rc = acpi_parse(0x1000, arena_map, NULL, &info, err, sizeof(err));
	assert_int_equal(rc, ACPI_ERR_UNMAPPED);
	assert_non_null(strstr(err, "RSDP at 0x1000 not mapped"));
}

static void test_bad_xsdt_checksum(void **state)
{
	build_platform();
	at(XSDT_AT)[20] += 0x10;
	expect_fail(ACPI_ERR_CHECKSUM, "XSDT at 0x7fe0100: bad checksum");
	assert_non_null(strstr(err, "sum 0x10, expected 0x00"));
}

static void test_xsdt_wrong_signature(void **state)
{
	build_platform();
	memcpy(at(XSDT_AT), "RSDT", 4);
	sdt_seal(XSDT_AT);
	expect_fail(ACPI_ERR_SIGNATURE, "signature is 'RSDT'");
}

static void test_xsdt_truncated(void **state)
{
	build_platform();
	put32(at(XSDT_AT) + 4, 20); /* shorter than its header */
	sdt_seal(XSDT_AT);
	expect_fail(ACPI_ERR_LENGTH, "bad length 20");

	build_platform();
	put32(at(XSDT_AT) + 4, 36 + 8 + 3); /* not whole entries */
	sdt_seal(XSDT_AT);
	expect_fail(ACPI_ERR_LENGTH, "whole 8-byte entries");

	build_platform();
	put32(at(XSDT_AT) + 4, 0xfffffff0u); /* absurd */
	expect_fail(ACPI_ERR_LENGTH, "bad length 4294967280");

	build_platform();
	put32(at(XSDT_AT) + 4, ARENA_SIZE); /* runs past mapped memory */
	expect_fail(ACPI_ERR_UNMAPPED, "not mapped");
}

static void test_rsdt_only_acpi1(void **state)
{
	build_platform();
	make_rsdp(0, (uint32_t)RSDT_AT, 0);
	/* An ACPI 1.0 FADT: 116 bytes, 32-bit DSDT and PM1 ports only. */
	make_fadt(&(struct fadt_spec){ .len = 116, .dsdt = (uint32_t)DSDT_AT,
				       .pm1a = 0xb004, .pm1b = 0xb044 });
	const uint32_t t[] = { (uint32_t)MADT_AT, (uint32_t)FADT_AT };
	make_rsdt(t, 2);
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.revision, 0);
	assert_string_equal(info.tables[0].sig, "RSDP");
	assert_int_equal(info.tables[0].length, 20);
	assert_string_equal(info.tables[1].sig, "RSDT");
	assert_int_equal(info.tables[1].phys, RSDT_AT);
	assert_int_equal(info.cpu_count, 3);
	assert_int_equal(info.pm1a_cnt_port, 0xb004);
	assert_int_equal(info.pm1b_cnt_port, 0xb044);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_true(info.s5_valid);
	/* The XSDT is never looked at: break it to be sure. */
	at(XSDT_AT)[0] = 'Z';
	assert_int_equal(parse(), ACPI_OK);
}

static void test_rev2_without_xsdt_uses_rsdt(void **state)
{
	build_platform();
	make_rsdp(2, (uint32_t)RSDT_AT, 0);
	assert_int_equal(parse(), ACPI_OK);
	assert_string_equal(info.tables[1].sig, "RSDT");
	assert_false(info.has_fadt); /* our RSDT lists only the MADT */
}

static void test_no_root_table(void **state)
{
	build_platform();
	make_rsdp(0, 0, 0);
	expect_fail(ACPI_ERR_MISSING, "neither an RSDT nor an XSDT");
}

static void test_xsdt_preferred_over_rsdt(void **state)
{
	build_platform();
	at(RSDT_AT)[0] = 'Z'; /* a broken RSDT does not matter */
	assert_int_equal(parse(), ACPI_OK);
	assert_string_equal(info.tables[1].sig, "XSDT");
	assert_true(info.has_fadt);
}

static void test_zero_length_madt_entry(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_entry(4, 0); /* would loop forever if trusted */
	madt_lapic(1, 1, 1);
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "entry type 4 at offset 52 has length 0");
}

static void test_madt_entry_past_end(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	uint8_t *e = madt_entry(1, 12);
	e[1] = 40; /* claims more than the table holds */
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "runs past the table end");

	/* A single trailing byte: not even a type/length pair. */
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_len += 1;
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "truncated entry at offset 52");
}

static void test_madt_short_known_entry(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_entry(9, 8); /* an x2APIC entry needs 16 bytes */
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "type 9 at offset 52 is too short");
}

static void test_madt_shorter_than_fixed_part(void **state)
{
	build_platform();
	put32(at(MADT_AT) + 4, 40);
	sdt_seal(MADT_AT);
	expect_fail(ACPI_ERR_LENGTH, "shorter than its fixed part");
}

static void test_duplicate_apic_ids(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_lapic(1, 7, 1);
	madt_lapic(2, 7, 1);
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "APIC ID 7 listed twice (uid 1 and 2)");

	/* The same ID in a local APIC and an x2APIC entry. */
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 5, 1);
	madt_x2apic(5, 9, 1);
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "APIC ID 5 listed twice");

	/* A disabled duplicate is not a processor, so not a conflict. */
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 5, 1);
	madt_lapic(1, 5, 0);
	madt_end();
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.cpu_count, 1);
}

static void test_x2apic_entries(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 1);
	madt_x2apic(300, 300, ACPI_MADT_CPU_ENABLED);
	madt_x2apic(0x10001, 7, ACPI_MADT_CPU_ONLINE_CAPABLE);
	madt_x2apic(400, 8, 0); /* absent */
	madt_end();
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.cpu_count, 3);
	assert_false(info.cpus[0].x2apic_entry);
	assert_int_equal(info.cpus[1].apic_id, 300);
	assert_int_equal(info.cpus[1].uid, 300);
	assert_true(info.cpus[1].x2apic_entry);
	assert_int_equal(info.cpus[2].apic_id, 0x10001);
	assert_int_equal(info.cpus[2].uid, 7);
	assert_false(info.pcat_compat);
}

static void test_lapic_override_and_unknown_entries(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	uint8_t *o = madt_entry(5, 12);
	put64(o + 4, 0x1fee00000ull);
	madt_entry(0x7f, 7);  /* an unknown (future) type: skipped */
	madt_entry(4, 6);     /* local APIC NMI: skipped */
	madt_lapic(0, 0, 1);
	madt_end();
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.lapic_address, 0x1fee00000ull);
	assert_int_equal(info.cpu_count, 1);
}

static void test_madt_no_processor(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	madt_lapic(0, 0, 0);
	madt_ioapic(1, 0xfec00000, 0);
	madt_end();
	expect_fail(ACPI_ERR_MALFORMED, "no enabled processor");
}

static void test_too_many_cpus(void **state)
{
	build_platform();
	madt_begin(0xfee00000, 0);
	for (int i = 0; i < ACPI_MAX_CPUS + 3; i++)
		madt_lapic((uint8_t)i, (uint8_t)i, 1);
	for (int i = 0; i < ACPI_MAX_IOAPICS + 1; i++)
		madt_ioapic((uint8_t)(100 + i), 0xfec00000u + 0x1000u * i, 24 * i);
	madt_end();
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.cpu_count, ACPI_MAX_CPUS);
	assert_int_equal(info.cpus[ACPI_MAX_CPUS - 1].apic_id, ACPI_MAX_CPUS - 1);
	assert_int_equal(info.ioapic_count, ACPI_MAX_IOAPICS);
	assert_int_equal(info.warning_count, 4);
	assert_true(has_warning("APIC ID 64 ignored"));
	assert_true(has_warning("APIC ID 66 ignored"));
	assert_true(has_warning("IOAPIC"));
}

static void test_missing_madt(void **state)
{
	build_platform();
	const uint64_t t[] = { FADT_AT, HPET_AT };
	make_xsdt(t, 2);
	expect_fail(ACPI_ERR_MISSING, "no MADT");
}

static void test_bad_madt_checksum(void **state)
{
	build_platform();
	at(MADT_AT)[44] += 0x40;
	expect_fail(ACPI_ERR_CHECKSUM, "APIC at 0x7fe0400: bad checksum");
	assert_non_null(strstr(err, "sum 0x40, expected 0x00"));
}

static void test_bad_optional_tables_warn(void **state)
{
	/* A bad HPET is skipped with a warning, the rest still parses. */
	build_platform();
	at(HPET_AT)[40] = 1;
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.warning_count, 1);
	assert_true(has_warning("HPET at 0x7fe3000: bad checksum"));
	assert_int_equal(info.table_count, 5);

	/* A bad FADT: no ACPI power-off, but the CPUs are known. */
	build_platform();
	at(FADT_AT)[100] ^= 0x55;
	assert_int_equal(parse(), ACPI_OK);
	assert_false(info.has_fadt);
	assert_false(info.s5_valid);
	assert_int_equal(info.cpu_count, 3);
	assert_true(has_warning("FACP at 0x7fe1000: bad checksum"));

	/* A bad DSDT: the FADT is kept, \_S5 is not. */
	build_platform();
	at(DSDT_AT)[40] ^= 1;
	assert_int_equal(parse(), ACPI_OK);
	assert_true(info.has_fadt);
	assert_int_equal(info.pm1a_cnt_port, 0x604);
	assert_false(info.s5_valid);
	assert_true(has_warning("DSDT at 0x7fe2000: bad checksum"));

	/* A null XSDT entry and an unmapped one. */
	build_platform();
	const uint64_t t[] = { 0, MADT_AT, 0x100000000ull };
	make_xsdt(t, 3);
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.warning_count, 2);
	assert_true(has_warning("entry 0 is null"));
	assert_true(has_warning("header not mapped"));
}

static void test_fadt_variants(void **state)
{
	/* X_DSDT wins over DSDT; a memory-space X_PM1a falls back to the port. */
	build_platform();
	make_dsdt(DSDT2_AT, s5_aml, sizeof(s5_aml));
	make_fadt(&(struct fadt_spec){ .len = 276, .dsdt = (uint32_t)DSDT_AT,
				       .x_dsdt = DSDT2_AT, .pm1a = 0xb004,
				       .x_pm1a = 0xfed80000,
				       .x_pm1a_space = ACPI_GAS_SYSTEM_MEMORY });
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.dsdt, DSDT2_AT);
	assert_int_equal(info.pm1a_cnt_port, 0xb004);

	/* An FADT that ends before the X_ fields (ACPI 2.0 era, 132 bytes). */
	build_platform();
	make_fadt(&(struct fadt_spec){ .len = 132, .dsdt = (uint32_t)DSDT_AT,
				       .pm1a = 0x404 });
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.dsdt, DSDT_AT);
	assert_int_equal(info.pm1a_cnt_port, 0x404);
	assert_true(info.s5_valid);

	/* Hardware-reduced: no PM1 ports even if the fields are filled. */
	build_platform();
	make_fadt(&(struct fadt_spec){ .len = 276, .x_dsdt = DSDT_AT,
				       .pm1a = 0xb004,
				       .flags = ACPI_FADT_HW_REDUCED });
	assert_int_equal(parse(), ACPI_OK);
	assert_true(info.hw_reduced);
	assert_int_equal(info.pm1a_cnt_port, 0);
	assert_int_equal(info.smi_cmd, 0);

	/* Too short to be an FADT at all. */
	build_platform();
	make_fadt(&(struct fadt_spec){ .len = 100 });
	assert_int_equal(parse(), ACPI_OK);
	assert_false(info.has_fadt);
	assert_true(has_warning("length 100 is too short"));

	/* No DSDT named. */
	build_platform();
	make_fadt(&(struct fadt_spec){ .len = 276, .pm1a = 0xb004 });
	assert_int_equal(parse(), ACPI_OK);
	assert_true(info.has_fadt);
	assert_false(info.s5_valid);
	assert_true(has_warning("FACP names no DSDT"));
}

static void test_dsdt_without_s5_warns(void **state)
{
	build_platform();
	static const uint8_t aml[] = { 0x10, 0x05, 0x5c, 0x00, 0xa3 };
	make_dsdt(DSDT_AT, aml, sizeof(aml));
	assert_int_equal(parse(), ACPI_OK);
	assert_false(info.s5_valid);
	assert_true(has_warning("DSDT: no \\_S5 package"));
}

static void test_warning_overflow_counts(void **state)
{
	build_platform();
	const uint64_t t[] = { 0, 0, 0, 0, 0, 0, MADT_AT };
	make_xsdt(t, 7);
	assert_int_equal(parse(), ACPI_OK);
	assert_int_equal(info.warning_count, 6);
	assert_true(has_warning("entry 3 is null"));
	assert_false(has_warning("entry 4 is null")); /* counted, not kept */
}

static void test_tiny_error_buffer(void **state)
{
	build_platform();
	at(RSDP_AT)[8] ^= 1;
	char small[8];
	assert_int_equal(acpi_parse(RSDP_AT, arena_map, NULL, &info, small,
				    sizeof(small)),
			 ACPI_ERR_CHECKSUM);
	assert_string_equal(small, "RSDP: b");
	assert_int_equal(acpi_parse(RSDP_AT, arena_map, NULL, &info, NULL, 0),
			 ACPI_ERR_CHECKSUM);
}

/* ---- \_S5 AML encodings ------------------------------------------------- */

static int s5(const uint8_t *aml, size_t n, uint8_t *a, uint8_t *b)
{
	*a = *b = 0xee;
	memset(err, 0, sizeof(err));
	/* A heap copy of exactly n bytes lets ASan catch any over-read. */
	uint8_t *copy = malloc(n ? n : 1);
	if (n)
		memcpy(copy, aml, n);
	int rc = aml_find_s5(copy, n, a, b, err, sizeof(err));
	free(copy);
	return rc;
}

#define S5_OK(a_want, b_want, ...)                                        \
	do {                                                              \
		static const uint8_t aml_[] = { __VA_ARGS__ };            \
		uint8_t a_, b_;                                           \
		assert_int_equal(s5(aml_, sizeof(aml_), &a_, &b_), ACPI_OK); \
		assert_int_equal(a_, a_want);                             \
		assert_int_equal(b_, b_want);                             \
	} while (0)

#define S5_FAIL(code, needle, ...)                                        \
	do {                                                              \
		static const uint8_t aml_[] = { __VA_ARGS__ };            \
		uint8_t a_, b_;                                           \
		assert_int_equal(s5(aml_, sizeof(aml_), &a_, &b_), code); \
		if (!strstr(err, needle))                                 \
			fail_msg("err '%s' lacks '%s'", err, needle);     \
	} while (0)

#define NAME_S5 0x08, '_', 'S', '5', '_'
#define NAME_ROOT_S5 0x08, 0x5c, '_', 'S', '5', '_'

static void test_s5_encodings(void **state)
{
	/* SeaBIOS/Bochs style: ZeroOp elements, 1-byte PkgLength. */
	S5_OK(0, 0, NAME_ROOT_S5, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00);
	/* BytePrefix values, no root prefix. */
	S5_OK(7, 5, NAME_S5, 0x12, 0x06, 0x02, 0x0a, 0x07, 0x0a, 0x05, 0xa3);
	/* OneOp and WordPrefix. */
	S5_OK(1, 6, NAME_S5, 0x12, 0x06, 0x02, 0x01, 0x0b, 0x06, 0x00);
	/* DWordPrefix and QWordPrefix. */
	S5_OK(3, 4, NAME_S5, 0x12, 0x10, 0x02, 0x0c, 0x03, 0, 0, 0,
	      0x0e, 0x04, 0, 0, 0, 0, 0, 0, 0);
	/* One element holding both types (low byte a, next byte b). */
	S5_OK(5, 2, NAME_S5, 0x12, 0x05, 0x01, 0x0b, 0x05, 0x02);
	/* 2-byte PkgLength: 0x47 0x00 = 7 (bits 3:0 of the lead byte) + 0 << 4. */
	S5_OK(2, 3, NAME_S5, 0x12, 0x47, 0x00, 0x02, 0x0a, 0x02, 0x0a, 0x03);
	/* 3- and 4-byte PkgLength forms (lengths 7 and 8, padded out). */
	S5_OK(2, 3, NAME_S5, 0x12, 0x88, 0x00, 0x00, 0x02, 0x0a, 0x02, 0x0a,
	      0x03);
	S5_OK(1, 1, NAME_S5, 0x12, 0xc8, 0x00, 0x00, 0x00, 0x02, 0x01, 0x01,
	      0x00);
	/* A reference to \_S5 (no NameOp) is skipped; the declaration found. */
	S5_OK(6, 6, 0x70, '_', 'S', '5', '_', 0x60, NAME_S5, 0x12, 0x06, 0x02,
	      0x0a, 0x06, 0x0a, 0x06);
	/* A broken declaration followed by a good one. */
	S5_OK(4, 4, NAME_S5, 0x0a, 0x01, NAME_S5, 0x12, 0x06, 0x02, 0x0a,
	      0x04, 0x0a, 0x04);
}

static void test_s5_bad_encodings(void **state)
{
	S5_FAIL(ACPI_ERR_NOT_FOUND, "no \\_S5", 0x08, '_', 'S', '4', '_', 0x12);
	S5_FAIL(ACPI_ERR_NOT_FOUND, "no \\_S5", 0x70, '_', 'S', '5', '_', 0x60);
	S5_FAIL(ACPI_ERR_NOT_FOUND, "no \\_S5", '_', 'S', '5');
	S5_FAIL(ACPI_ERR_MALFORMED, "not a package", NAME_S5, 0x0a, 0x05);
	S5_FAIL(ACPI_ERR_MALFORMED, "not a package", NAME_S5);
	/* PkgLength runs past the AML. */
	S5_FAIL(ACPI_ERR_MALFORMED, "does not fit", NAME_S5, 0x12, 0x20, 0x02,
		0x00, 0x00);
	/* PkgLength too small to hold its own NumElements. */
	S5_FAIL(ACPI_ERR_MALFORMED, "does not fit", NAME_S5, 0x12, 0x01, 0x02,
		0x00, 0x00);
	/* Multi-byte PkgLength cut short, and with reserved bits set. */
	S5_FAIL(ACPI_ERR_MALFORMED, "bad package length", NAME_S5, 0x12, 0xc0,
		0x00);
	S5_FAIL(ACPI_ERR_MALFORMED, "bad package length", NAME_S5, 0x12, 0x70,
		0x00, 0x02, 0x00, 0x00);
	S5_FAIL(ACPI_ERR_MALFORMED, "empty package", NAME_S5, 0x12, 0x02, 0x00);
	/* Elements that run past the package's own end (inside the AML). */
	S5_FAIL(ACPI_ERR_MALFORMED, "element 1", NAME_S5, 0x12, 0x04, 0x02,
		0x0a, 0x05, 0x0a, 0x05);
	S5_FAIL(ACPI_ERR_MALFORMED, "element 0", NAME_S5, 0x12, 0x04, 0x02,
		0x0b, 0x05, 0x00);
	/* Not an integer constant (a name string). */
	S5_FAIL(ACPI_ERR_MALFORMED, "element 0 is not an integer", NAME_S5,
		0x12, 0x07, 0x02, 'S', 'L', 'P', 'A', 0x00);
	/* Values that do not fit SLP_TYP's 3 bits. */
	S5_FAIL(ACPI_ERR_MALFORMED, "exceed 3 bits", NAME_S5, 0x12, 0x05, 0x02,
		0x0a, 0x08, 0x00);
	S5_FAIL(ACPI_ERR_MALFORMED, "exceed 3 bits", NAME_S5, 0x12, 0x04, 0x02,
		0xff, 0x00);
	/* Empty input. */
	uint8_t a, b;
	assert_int_equal(s5(NULL, 0, &a, &b), ACPI_ERR_NOT_FOUND);
}

/* ---- real tables captured from emulators -------------------------------- */

#ifndef ACPI_FIXTURE_DIR
#define ACPI_FIXTURE_DIR "tests/unit/fixtures/acpi"
#endif
#define FIXTURE_MAX_REGIONS 40

struct fixture {
	char name[256];
	struct {
		uint64_t phys;
		uint8_t *bytes;
		size_t len;
	} r[FIXTURE_MAX_REGIONS];
	int count;
	uint64_t rsdp;
};

static const void *fixture_map(void *opaque, uint64_t phys, uint64_t len)
{
	struct fixture *f = opaque;
	for (int i = 0; i < f->count; i++)
		if (phys >= f->r[i].phys && len <= f->r[i].len &&
		    phys - f->r[i].phys <= f->r[i].len - len)
			return f->r[i].bytes + (phys - f->r[i].phys);
	return NULL;
}

static void fixture_load_file(struct fixture *f, const char *dir,
			      const char *file)
{
	char sig[8], path[2048];
	unsigned long long phys;
	if (sscanf(file, "%4[^@]@%llx.bin", sig, &phys) != 2)
		return; /* expect, README... */
	assert_true(f->count < FIXTURE_MAX_REGIONS);
	snprintf(path, sizeof(path), "%s/%s", dir, file);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	long n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	assert_true(n > 0);
	f->r[f->count].bytes = malloc((size_t)n);
	assert_int_equal(fread(f->r[f->count].bytes, 1, (size_t)n, fp), n);
	fclose(fp);
	f->r[f->count].phys = phys;
	f->r[f->count].len = (size_t)n;
	f->count++;
	if (strcmp(sig, "RSDP") == 0)
		f->rsdp = phys;
}

static void fixture_free(struct fixture *f)
{
	for (int i = 0; i < f->count; i++)
		free(f->r[i].bytes);
	f->count = 0;
}

/*
 * The `expect` file: one "key value..." per line, written by hand from
 * the emulator's configuration (not from Volt's output), e.g.
 *     cpus 0 1 2 3       the enabled APIC IDs, in MADT order
 *     ioapic 0xfec00000 0
 *     pm1a 0xb004
 *     s5 0 0             SLP_TYPa SLP_TYPb (or "s5 none")
 *     revision 0
 *     lapic 0xfee00000
 *     tables 6
 */
static void fixture_check_line(const char *name, char *line)
{
	char key[32];
	int off = 0;
	unsigned long long v[ACPI_MAX_CPUS];
	if (sscanf(line, "%31s%n", key, &off) != 1 || key[0] == '#')
		return;
	int n = 0;
	char *p = line + off;
	int used;
	while (n < ACPI_MAX_CPUS && sscanf(p, "%lli%n", &v[n], &used) == 1) {
		n++;
		p += used;
	}
	if (strcmp(key, "cpus") == 0) {
		assert_int_equal(info.cpu_count, n);
		for (int i = 0; i < n; i++)
			assert_int_equal(info.cpus[i].apic_id, v[i]);
	} else if (strcmp(key, "ioapic") == 0) {
		assert_int_equal(n, 2);
		assert_int_equal(info.ioapic_count, 1);
		assert_int_equal(info.ioapics[0].address, v[0]);
		assert_int_equal(info.ioapics[0].gsi_base, v[1]);
	} else if (strcmp(key, "pm1a") == 0) {
		assert_int_equal(info.pm1a_cnt_port, v[0]);
	} else if (strcmp(key, "s5") == 0) {
		if (n == 0) {
			assert_false(info.s5_valid);
		} else {
			assert_true(info.s5_valid);
			assert_int_equal(info.slp_typa, v[0]);
			assert_int_equal(info.slp_typb, v[1]);
		}
	} else if (strcmp(key, "revision") == 0) {
		assert_int_equal(info.revision, v[0]);
	} else if (strcmp(key, "lapic") == 0) {
		assert_int_equal(info.lapic_address, v[0]);
	} else if (strcmp(key, "tables") == 0) {
		assert_int_equal(info.table_count, v[0]);
	} else if (strcmp(key, "isos") == 0) {
		assert_int_equal(info.iso_count, v[0]);
	} else if (strcmp(key, "warnings") == 0) {
		assert_int_equal(info.warning_count, v[0]);
	} else {
		fail_msg("%s/expect: unknown key '%s'", name, key);
	}
}

static void fixture_check(struct fixture *f, const char *dir)
{
	char path[2048], line[512];
	snprintf(path, sizeof(path), "%s/expect", dir);
	FILE *fp = fopen(path, "r");
	if (!fp)
		fail_msg("%s has no expect file", dir);
	while (fgets(line, sizeof(line), fp))
		fixture_check_line(f->name, line);
	fclose(fp);
}

static void fixture_load(struct fixture *f, const char *dir, const char *name)
{
	memset(f, 0, sizeof(*f));
	snprintf(f->name, sizeof(f->name), "%s", name);
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d)))
		fixture_load_file(f, dir, de->d_name);
	closedir(d);
	if (!f->rsdp)
		fail_msg("%s: no RSDP@<addr>.bin", dir);
}

static void run_fixture(const char *dir, const char *name)
{
	static struct fixture f;
	fixture_load(&f, dir, name);
	print_message("[ fixture ] %s: %d structures\n", name, f.count);
	int rc = acpi_parse(f.rsdp, fixture_map, &f, &info, err, sizeof(err));
	if (rc)
		fail_msg("%s: acpi_parse: %d (%s)", name, rc, err);
	fixture_check(&f, dir);
	/* Every table the parser listed is one of the captured files, whole. */
	for (uint32_t i = 0; i < info.table_count; i++)
		assert_non_null(fixture_map(&f, info.tables[i].phys,
					    info.tables[i].length));
	fixture_free(&f);
}

static void test_fixtures(void **state)
{
	const char *root = getenv("ACPI_FIXTURES");
	if (!root)
		root = ACPI_FIXTURE_DIR;
	DIR *d = opendir(root);
	int ran = 0;
	if (!d) {
		print_message("[ fixture ] no directory %s: skipped\n", root);
		return;
	}
	struct dirent *de;
	while ((de = readdir(d))) {
		char dir[1024];
		if (de->d_name[0] == '.')
			continue;
		snprintf(dir, sizeof(dir), "%s/%s", root, de->d_name);
		DIR *sub = opendir(dir);
		if (!sub)
			continue;
		closedir(sub);
		run_fixture(dir, de->d_name);
		ran++;
	}
	closedir(d);
	print_message("[ fixture ] %d captured platform(s) checked\n", ran);
}

static uint8_t *fixture_table(struct fixture *f, const char *sig)
{
	for (uint32_t i = 0; i < info.table_count; i++)
		if (strcmp(info.tables[i].sig, sig) == 0)
			return (uint8_t *)fixture_map(f, info.tables[i].phys, 1);
	fail_msg("%s: no %s table", f->name, sig);
	return NULL;
}

/* Real tables, broken one byte at a time: the parser must notice. */
static void test_fixture_corrupted(void **state)
{
	static struct fixture f;
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/bochs-4cpu", ACPI_FIXTURE_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		print_message("[ fixture ] no %s: skipped\n", dir);
		return;
	}
	closedir(d);
	fixture_load(&f, dir, "bochs-4cpu");
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_OK);
	uint8_t *madt = fixture_table(&f, "APIC");
	uint8_t *dsdt = fixture_table(&f, "DSDT");
	uint8_t *rsdt = fixture_table(&f, "RSDT");

	madt[50]++;
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_ERR_CHECKSUM);
	assert_non_null(strstr(err, "APIC at 0xfff0f98: bad checksum (sum 0x01"));
	madt[50]--;

	dsdt[100] ^= 0x80;
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_OK);
	assert_false(info.s5_valid);
	assert_int_equal(info.cpu_count, 4);
	assert_true(has_warning("DSDT at 0xfff0100: bad checksum"));
	dsdt[100] ^= 0x80;

	rsdt[4] = 35; /* length below the header */
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_ERR_LENGTH);
	fixture_free(&f);
}

/* Re-seal with the table's original length, so mutations get past the
 * checksum and reach the field decoders. */
static void reseal(uint8_t *t, uint32_t len)
{
	seal(t, len, 9);
}

static void mutate_range(struct fixture *f, uint8_t *t, uint32_t len,
			 uint32_t from, uint32_t to, int *runs)
{
	static const int kinds = 4;
	for (uint32_t i = from; i < to && i < len; i++) {
		if (i == 9)
			continue; /* the checksum byte itself */
		uint8_t orig = t[i];
		for (int k = 0; k < kinds; k++) {
			t[i] = k == 0 ? 0 : k == 1 ? 0xff : k == 2 ? orig ^ 0x80
							  : orig + 1;
			reseal(t, len);
			int rc = acpi_parse(f->rsdp, fixture_map, f, &info, err,
					    sizeof(err));
			assert_in_range(rc, ACPI_OK, ACPI_ERR_NOT_FOUND);
			if (rc == ACPI_OK)
				assert_in_range(info.cpu_count, 1, ACPI_MAX_CPUS);
			else
				assert_true(err[0] != 0);
			(*runs)++;
		}
		t[i] = orig;
		reseal(t, len);
	}
}

/*
 * Every byte of the root table, MADT and FADT (and the DSDT around \_S5)
 * of a real platform set to 0, 0xff, flipped and incremented: the parser
 * must return an error or a sane result, never crash or over-read (ASan).
 */
static void test_fixture_mutations(void **state)
{
	static struct fixture f;
	char dir[1024];
	int runs = 0;
	snprintf(dir, sizeof(dir), "%s/qemu-q35-ovmf", ACPI_FIXTURE_DIR);
	DIR *d = opendir(dir);
	if (!d) {
		print_message("[ fixture ] no %s: skipped\n", dir);
		return;
	}
	closedir(d);
	fixture_load(&f, dir, "qemu-q35-ovmf");
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_OK);
	static const char *const sigs[] = { "XSDT", "APIC", "FACP" };
	struct acpi_table_ref refs[3] = { 0 }, dsdt_ref = { 0 };
	for (int i = 0; i < 3; i++)
		for (uint32_t j = 0; j < info.table_count; j++)
			if (!strcmp(info.tables[j].sig, sigs[i]))
				refs[i] = info.tables[j];
	for (uint32_t j = 0; j < info.table_count; j++)
		if (!strcmp(info.tables[j].sig, "DSDT"))
			dsdt_ref = info.tables[j];
	for (int i = 0; i < 3; i++) {
		uint8_t *t = (uint8_t *)fixture_map(&f, refs[i].phys, refs[i].length);
		assert_non_null(t);
		mutate_range(&f, t, refs[i].length, 0, refs[i].length, &runs);
	}
	uint8_t *dsdt = (uint8_t *)fixture_map(&f, dsdt_ref.phys, dsdt_ref.length);
	assert_non_null(dsdt);
	uint8_t *s5_at = memmem(dsdt, dsdt_ref.length, "_S5_", 4);
	assert_non_null(s5_at);
	uint32_t s5_off = (uint32_t)(s5_at - dsdt);
	mutate_range(&f, dsdt, dsdt_ref.length, s5_off - 8, s5_off + 24, &runs);
	mutate_range(&f, dsdt, dsdt_ref.length, 0, 36, &runs);
	/* All restored: the original still parses exactly. */
	assert_int_equal(acpi_parse(f.rsdp, fixture_map, &f, &info, err,
				    sizeof(err)), ACPI_OK);
	assert_true(info.s5_valid);
	assert_int_equal(info.cpu_count, 2);
	print_message("[ fixture ] %d mutated parses\n", runs);
	fixture_free(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_platform),
		cmocka_unit_test(test_bad_rsdp_signature),
		cmocka_unit_test(test_bad_rsdp_checksum),
		cmocka_unit_test(test_bad_rsdp_ext_checksum),
		cmocka_unit_test(test_bad_rsdp_length),
		cmocka_unit_test(test_unmapped_rsdp),
		cmocka_unit_test(test_bad_xsdt_checksum),
		cmocka_unit_test(test_xsdt_wrong_signature),
		cmocka_unit_test(test_xsdt_truncated),
		cmocka_unit_test(test_rsdt_only_acpi1),
		cmocka_unit_test(test_rev2_without_xsdt_uses_rsdt),
		cmocka_unit_test(test_no_root_table),
		cmocka_unit_test(test_xsdt_preferred_over_rsdt),
		cmocka_unit_test(test_zero_length_madt_entry),
		cmocka_unit_test(test_madt_entry_past_end),
		cmocka_unit_test(test_madt_short_known_entry),
		cmocka_unit_test(test_madt_shorter_than_fixed_part),
		cmocka_unit_test(test_duplicate_apic_ids),
		cmocka_unit_test(test_x2apic_entries),
		cmocka_unit_test(test_lapic_override_and_unknown_entries),
		cmocka_unit_test(test_madt_no_processor),
		cmocka_unit_test(test_too_many_cpus),
		cmocka_unit_test(test_missing_madt),
		cmocka_unit_test(test_bad_madt_checksum),
		cmocka_unit_test(test_bad_optional_tables_warn),
		cmocka_unit_test(test_fadt_variants),
		cmocka_unit_test(test_dsdt_without_s5_warns),
		cmocka_unit_test(test_warning_overflow_counts),
		cmocka_unit_test(test_tiny_error_buffer),
		cmocka_unit_test(test_s5_encodings),
		cmocka_unit_test(test_s5_bad_encodings),
		cmocka_unit_test(test_fixtures),
		cmocka_unit_test(test_fixture_corrupted),
		cmocka_unit_test(test_fixture_mutations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
