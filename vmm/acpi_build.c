/*
 * Guest ACPI table builder (see acpi_build.h). Section numbers are ACPI
 * 6.5's (the 6.4 layouts are the same): 5.2.5.3 RSDP, 5.2.6 table header,
 * 5.2.8 XSDT, 5.2.9 FADT (Table 5.9, flags Table 5.10, IA-PC boot
 * architecture flags Table 5.11), 5.2.10 FACS (Table 5.14), 5.2.11.1
 * DSDT, 5.2.12 MADT (Tables 5.19-5.21, 5.2.12.2-5.2.12.13), 20.2 AML
 * encoding. The byte layouts come from arch/x86/acpi_tables.h, the same
 * header Volt's parser reads the host's tables with, so the two cannot
 * disagree about an offset.
 */
#include <stdarg.h>
#include "vmm/acpi_build.h"
#include "arch/x86/acpi_tables.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/dev/acpi_pm.h"
#include "vmm/dev/ioapic.h"

/* Revisions: ACPI 6.4 (see acpi_build.h). */
#define RSDP_REVISION 2
#define XSDT_REVISION 1
#define FADT_REVISION 6
#define FADT_MINOR_VERSION 4
#define MADT_REVISION 5
#define DSDT_REVISION 2 /* 2 and up: AML integers are 64 bits */
#define FACS_VERSION 2

#define OEM_REVISION 1
#define CREATOR_ID "VOLT"
#define CREATOR_REVISION 1

/* 5.2.9 Table 5.10 FADT fixed feature flags */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_PWR_BUTTON (1u << 4) /* 1: no fixed power button */
#define FADT_SLP_BUTTON (1u << 5) /* 1: no fixed sleep button */
#define FADT_TMR_VAL_EXT (1u << 8) /* 0: the PM timer has 24 bits */
#define FADT_RESET_REG_SUP (1u << 10)

/* 5.2.9.3 Table 5.11 IA-PC Boot Architecture Flags */
#define BOOT_LEGACY_DEVICES (1u << 0) /* ISA devices the OS cannot enumerate */
#define BOOT_8042 (1u << 1)
#define BOOT_VGA_NOT_PRESENT (1u << 2)
#define BOOT_MSI_NOT_SUPPORTED (1u << 3)
#define BOOT_CMOS_RTC_NOT_PRESENT (1u << 5)

/* 5.2.9: latencies above these mean "C2/C3 not supported" */
#define FADT_NO_C2_LATENCY 101
#define FADT_NO_C3_LATENCY 1001
#define RTC_CENTURY_INDEX 0x32 /* CMOS byte holding the century */

/* 5.2.3.2 GAS access sizes */
#define GAS_ACCESS_BYTE 1
#define GAS_ACCESS_WORD 2
#define GAS_ACCESS_DWORD 3

/* The reset register: the chipset's Reset Control port (pc_ports.c);
 * 0x06 = SYS_RST | RST_CPU: a hard reset. */
#define RESET_PORT 0xcf9
#define RESET_VALUE 0x06

/* 5.2.12.5 MPS INTI flags: polarity bits 1:0, trigger mode bits 3:2 */
#define MPS_INTI_CONFORMING 0x0
#define MPS_INTI_ACTIVE_HIGH 0x1
#define MPS_INTI_LEVEL (0x3 << 2)

#define MADT_LAPIC_NMI 4  /* 5.2.12.7 Local APIC NMI */
#define MADT_X2APIC_NMI 10 /* 5.2.12.13 Local x2APIC NMI */
#define ALL_PROCESSORS_UID8 0xff
#define ALL_PROCESSORS_UID32 0xffffffffu
#define NMI_LINT 1	   /* LINT1: NMI on a PC */

#define PIT_ISA_IRQ 0

/* 5.2.10 FACS (Table 5.14): 64 bytes, 64-byte aligned, no checksum. */
#define FACS_ALIGN 64
struct acpi_facs {
	char signature[4];
	uint32_t length;
	uint32_t hardware_signature;
	uint32_t firmware_waking_vector;
	uint32_t global_lock;
	uint32_t flags;
	uint64_t x_firmware_waking_vector;
	uint8_t version;
	uint8_t reserved0[3];
	uint32_t ospm_flags;
	uint8_t reserved1[24];
} ACPI_PACKED;

/* 5.2.12.7 Local APIC NMI structure */
struct acpi_madt_lapic_nmi {
	struct acpi_madt_entry e; /* type 4, length 6 */
	uint8_t uid;		  /* 0xff: all processors */
	uint16_t flags;		  /* MPS INTI flags */
	uint8_t lint;
} ACPI_PACKED;

/* 5.2.12.13 Local x2APIC NMI structure */
struct acpi_madt_x2apic_nmi {
	struct acpi_madt_entry e; /* type 10, length 12 */
	uint16_t flags;
	uint32_t uid;		  /* 0xffffffff: all processors */
	uint8_t lint;
	uint8_t reserved[3];
} ACPI_PACKED;

_Static_assert(sizeof(struct acpi_facs) == 64, "FACS is 64 bytes");
_Static_assert(sizeof(struct acpi_madt_lapic_nmi) == 6, "MADT type 4");
_Static_assert(sizeof(struct acpi_madt_x2apic_nmi) == 12, "MADT type 10");
_Static_assert(ACPI_PM_SLP_TYP_S5 > 1 && ACPI_PM_SLP_TYP_S5 <= 7,
	       "the \\_S5 AML below encodes SLP_TYP with a BytePrefix");

/*
 * The DSDT's AML (20.2): Name (\_S5, Package (4) { 5, 5, 0, 0 }):
 *   08          NameOp
 *   5C 5F53355F  '\' "_S5_"
 *   12 08 04    PackageOp, PkgLength 8 (itself included), 4 elements
 *   0A 05 0A 05 BytePrefix SLP_TYPa, BytePrefix SLP_TYPb
 *   00 00       Zero, Zero (reserved)
 */
static const uint8_t dsdt_aml[] = {
	0x08, 0x5c, '_', 'S', '5', '_',
	0x12, 0x08, 0x04,
	0x0a, ACPI_PM_SLP_TYP_S5, 0x0a, ACPI_PM_SLP_TYP_S5,
	0x00, 0x00,
};

/* ---- layout ------------------------------------------------------------- */

#define TABLE_ALIGN 16
#define XSDT_ENTRIES 2 /* FADT, MADT */

struct layout {
	uint64_t rsdp, xsdt, facs, fadt, dsdt, madt, end;
	uint32_t madt_len;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint32_t madt_length(const struct acpi_build_args *a)
{
	uint32_t cpu = a->x2apic_entries ? sizeof(struct acpi_madt_x2apic)
					 : sizeof(struct acpi_madt_lapic);
	uint32_t nmi = a->x2apic_entries ? sizeof(struct acpi_madt_x2apic_nmi)
					 : sizeof(struct acpi_madt_lapic_nmi);
	/* vcpus is checked against the area before this can matter */
	return (uint32_t)sizeof(struct acpi_madt) + a->vcpus * cpu +
	       (uint32_t)sizeof(struct acpi_madt_ioapic) +
	       2 * (uint32_t)sizeof(struct acpi_madt_iso) + nmi;
}

/* Fixed-size tables first, the MADT (which grows with vCPUs) last. */
static void plan(const struct acpi_build_args *a, struct layout *l)
{
	l->rsdp = ACPI_BUILD_START;
	l->xsdt = align_up(l->rsdp + sizeof(struct acpi_rsdp), TABLE_ALIGN);
	l->facs = align_up(l->xsdt + sizeof(struct acpi_sdt_header) +
				   XSDT_ENTRIES * sizeof(uint64_t),
			   FACS_ALIGN);
	l->fadt = align_up(l->facs + sizeof(struct acpi_facs), TABLE_ALIGN);
	l->dsdt = align_up(l->fadt + sizeof(struct acpi_fadt), TABLE_ALIGN);
	l->madt = align_up(l->dsdt + sizeof(struct acpi_sdt_header) +
				   sizeof(dsdt_aml),
			   TABLE_ALIGN);
	l->madt_len = madt_length(a);
	l->end = l->madt + l->madt_len;
}

/* ---- helpers ------------------------------------------------------------ */

static uint8_t sum_bytes(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t s = 0;
	for (size_t i = 0; i < len; i++)
		s = (uint8_t)(s + b[i]);
	return s;
}

/* Make [p, p + len) sum to zero through the byte at *csum (0 before). */
static void seal(const void *p, size_t len, uint8_t *csum)
{
	*csum = 0;
	*csum = (uint8_t)(0x100 - sum_bytes(p, len));
}

static void fill_header(struct acpi_sdt_header *h, const char *sig,
			uint32_t len, uint8_t rev, const char *table_id)
{
	memcpy(h->signature, sig, 4);
	h->length = len;
	h->revision = rev;
	memcpy(h->oem_id, ACPI_BUILD_OEM_ID, 6);
	memcpy(h->oem_table_id, table_id, 8);
	h->oem_revision = OEM_REVISION;
	memcpy(&h->creator_id, CREATOR_ID, 4);
	h->creator_revision = CREATOR_REVISION;
}

static void seal_table(struct acpi_sdt_header *h)
{
	seal(h, h->length, &h->checksum);
}

static struct acpi_gas io_gas(uint16_t port, uint8_t bytes, uint8_t access)
{
	struct acpi_gas g = { ACPI_GAS_SYSTEM_IO, (uint8_t)(8 * bytes), 0,
			      access, port };
	return g;
}

static void *at(uint8_t *ram, uint64_t gpa)
{
	return ram + gpa;
}

/* ---- tables ------------------------------------------------------------- */

/* 5.2.5.3: no RSDT (ACPI 1.0 OSes are not supported), the XSDT instead. */
static void build_rsdp(uint8_t *ram, const struct layout *l)
{
	struct acpi_rsdp *r = at(ram, l->rsdp);
	memcpy(r->signature, ACPI_RSDP_SIGNATURE, 8);
	memcpy(r->oem_id, ACPI_BUILD_OEM_ID, 6);
	r->revision = RSDP_REVISION;
	r->rsdt_address = 0;
	r->length = sizeof(*r);
	r->xsdt_address = l->xsdt;
	seal(r, ACPI_RSDP_V1_LEN, &r->checksum);
	seal(r, sizeof(*r), &r->ext_checksum);
}

/* 5.2.8: the FACS and DSDT are reached through the FADT, not listed. */
static void build_xsdt(uint8_t *ram, const struct layout *l)
{
	struct acpi_sdt_header *h = at(ram, l->xsdt);
	uint64_t entries[XSDT_ENTRIES] = { l->fadt, l->madt };
	uint32_t len = sizeof(*h) + sizeof(entries);
	fill_header(h, ACPI_SIG_XSDT, len, XSDT_REVISION, "VOLTXSDT");
	memcpy(h + 1, entries, sizeof(entries)); /* unaligned: offset 36 */
	seal_table(h);
}

/* 5.2.10: nothing to wake, no global lock owner: all zero but the ID. */
static void build_facs(uint8_t *ram, const struct layout *l)
{
	struct acpi_facs *f = at(ram, l->facs);
	memcpy(f->signature, "FACS", 4);
	f->length = sizeof(*f);
	f->version = FACS_VERSION;
}

static void build_dsdt(uint8_t *ram, const struct layout *l)
{
	struct acpi_sdt_header *h = at(ram, l->dsdt);
	uint32_t len = sizeof(*h) + sizeof(dsdt_aml);
	fill_header(h, ACPI_SIG_DSDT, len, DSDT_REVISION, "VOLTDSDT");
	memcpy(h + 1, dsdt_aml, sizeof(dsdt_aml));
	seal_table(h);
}

/* 5.2.9 FADT: the fixed hardware of vmm/dev/acpi_pm.c (see acpi_pm.h). */
static void fadt_pm_blocks(struct acpi_fadt *f, uint16_t base)
{
	uint16_t evt = base + ACPI_PM1_EVT_OFF;
	uint16_t cnt = base + ACPI_PM1_CNT_OFF;
	uint16_t tmr = base + ACPI_PM_TMR_OFF;
	f->pm1a_evt_blk = evt;
	f->pm1a_cnt_blk = cnt;
	f->pm_tmr_blk = tmr;
	f->pm1_evt_len = ACPI_PM1_EVT_LEN;
	f->pm1_cnt_len = ACPI_PM1_CNT_LEN;
	f->pm_tmr_len = ACPI_PM_TMR_LEN;
	/* The X_ copies must match the 32-bit ones exactly (ACPICA warns
	 * about "32/64X address mismatch" and "length mismatch"). PM1_STS
	 * and PM1_EN are 16-bit registers, PM1_CNT too; the timer 32. */
	f->x_pm1a_evt_blk = io_gas(evt, ACPI_PM1_EVT_LEN, GAS_ACCESS_WORD);
	f->x_pm1a_cnt_blk = io_gas(cnt, ACPI_PM1_CNT_LEN, GAS_ACCESS_WORD);
	f->x_pm_tmr_blk = io_gas(tmr, ACPI_PM_TMR_LEN, GAS_ACCESS_DWORD);
}

static void build_fadt(uint8_t *ram, const struct layout *l, uint16_t pm_base)
{
	struct acpi_fadt *f = at(ram, l->fadt);
	fill_header(&f->hdr, ACPI_SIG_FADT, sizeof(*f), FADT_REVISION,
		    "VOLTFACP");
	/* 5.2.9: X_FIRMWARE_CTRL "must be zero" when FIRMWARE_CTRL is set;
	 * X_DSDT has no such rule, and both DSDT fields agree. */
	f->firmware_ctrl = (uint32_t)l->facs;
	f->x_firmware_ctrl = 0;
	f->dsdt = (uint32_t)l->dsdt;
	f->x_dsdt = l->dsdt;
	f->preferred_pm_profile = 0; /* unspecified */
	f->sci_int = ACPI_PM_SCI_IRQ;
	f->smi_cmd = 0; /* SCI_EN is set from reset: nothing to enable */
	fadt_pm_blocks(f, pm_base);
	f->p_lvl2_lat = FADT_NO_C2_LATENCY;
	f->p_lvl3_lat = FADT_NO_C3_LATENCY;
	f->century = RTC_CENTURY_INDEX;
	f->iapc_boot_arch = BOOT_LEGACY_DEVICES | BOOT_VGA_NOT_PRESENT |
			    BOOT_MSI_NOT_SUPPORTED;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_PWR_BUTTON |
		   FADT_SLP_BUTTON | FADT_RESET_REG_SUP;
	f->reset_reg = io_gas(RESET_PORT, 1, GAS_ACCESS_BYTE);
	f->reset_value = RESET_VALUE;
	f->minor_version = FADT_MINOR_VERSION;
	memcpy(&f->hypervisor_vendor_id, "VOLT", 4);
	seal_table(&f->hdr);
}

/* 5.2.12: the processors, then the IOAPIC, overrides and NMI wiring. */
static uint8_t *madt_cpus(uint8_t *p, const struct acpi_build_args *a)
{
	for (uint32_t i = 0; i < a->vcpus; i++) {
		if (a->x2apic_entries) {
			struct acpi_madt_x2apic x = {
				{ ACPI_MADT_X2APIC, sizeof(x) }, 0, i,
				ACPI_MADT_CPU_ENABLED, i,
			};
			memcpy(p, &x, sizeof(x));
			p += sizeof(x);
		} else {
			struct acpi_madt_lapic c = {
				{ ACPI_MADT_LAPIC, sizeof(c) }, (uint8_t)i,
				(uint8_t)i, ACPI_MADT_CPU_ENABLED,
			};
			memcpy(p, &c, sizeof(c));
			p += sizeof(c);
		}
	}
	return p;
}

static uint8_t *madt_iso(uint8_t *p, uint8_t irq, uint32_t gsi,
			 uint16_t flags)
{
	struct acpi_madt_iso o = { { ACPI_MADT_ISO, sizeof(o) }, 0, irq, gsi,
				   flags };
	memcpy(p, &o, sizeof(o));
	return p + sizeof(o);
}

static uint8_t *madt_nmi(uint8_t *p, bool x2apic)
{
	if (x2apic) {
		struct acpi_madt_x2apic_nmi n = {
			{ MADT_X2APIC_NMI, sizeof(n) }, MPS_INTI_CONFORMING,
			ALL_PROCESSORS_UID32, NMI_LINT, { 0 },
		};
		memcpy(p, &n, sizeof(n));
		return p + sizeof(n);
	}
	struct acpi_madt_lapic_nmi n = {
		{ MADT_LAPIC_NMI, sizeof(n) }, ALL_PROCESSORS_UID8,
		MPS_INTI_CONFORMING, NMI_LINT,
	};
	memcpy(p, &n, sizeof(n));
	return p + sizeof(n);
}

static void build_madt(uint8_t *ram, const struct layout *l,
		       const struct acpi_build_args *a, uint8_t ioapic_id)
{
	struct acpi_madt *m = at(ram, l->madt);
	fill_header(&m->hdr, ACPI_SIG_MADT, l->madt_len, MADT_REVISION,
		    "VOLTAPIC");
	m->lapic_address = ACPI_BUILD_LAPIC_BASE;
	m->flags = ACPI_MADT_PCAT_COMPAT;
	uint8_t *p = madt_cpus((uint8_t *)(m + 1), a);
	struct acpi_madt_ioapic io = {
		{ ACPI_MADT_IOAPIC, sizeof(io) }, ioapic_id, 0,
		(uint32_t)IOAPIC_DEFAULT_BASE, 0,
	};
	memcpy(p, &io, sizeof(io));
	p += sizeof(io);
	/* The PIT's IRQ 0 reaches pin 2; flags as the ISA bus defines them
	 * (edge, active high), as QEMU and SeaBIOS declare it. */
	p = madt_iso(p, PIT_ISA_IRQ,
		     ioapic_pin_for_isa_irq(PIT_ISA_IRQ), MPS_INTI_CONFORMING);
	/* The SCI is a shareable level interrupt, active high on a PC. */
	p = madt_iso(p, ACPI_PM_SCI_IRQ,
		     ioapic_pin_for_isa_irq(ACPI_PM_SCI_IRQ),
		     MPS_INTI_ACTIVE_HIGH | MPS_INTI_LEVEL);
	madt_nmi(p, a->x2apic_entries);
	seal_table(&m->hdr);
}

/* ---- entry point -------------------------------------------------------- */

static __attribute__((format(printf, 4, 5))) int
fail(char *err, size_t errlen, int rc, const char *fmt, ...)
{
	va_list ap;
	if (err && errlen) {
		va_start(ap, fmt);
		volt_vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return rc;
}

static int check_args(const struct acpi_build_args *a, void *ram,
		      uint64_t ram_bytes, char *err, size_t errlen)
{
	if (!ram || ram_bytes < ACPI_BUILD_END)
		return fail(err, errlen, ACPI_BUILD_EINVAL,
			    "ACPI tables: RAM (%llu bytes) must cover 0x%llx",
			    (unsigned long long)(ram ? ram_bytes : 0),
			    (unsigned long long)ACPI_BUILD_END);
	if (a->vcpus == 0)
		return fail(err, errlen, ACPI_BUILD_EINVAL,
			    "ACPI tables: a VM needs at least one vCPU");
	if (!a->x2apic_entries && a->vcpus > ACPI_BUILD_MAX_XAPIC_CPUS)
		return fail(err, errlen, ACPI_BUILD_EINVAL,
			    "ACPI tables: %u vCPUs need x2APIC entries (xAPIC IDs stop at %u)",
			    a->vcpus, ACPI_BUILD_MAX_XAPIC_CPUS - 1);
	uint32_t id = a->ioapic_id_set ? a->ioapic_id : a->vcpus;
	if (id > IOAPIC_ID_MASK)
		return fail(err, errlen, ACPI_BUILD_EINVAL,
			    "ACPI tables: IOAPIC ID %u does not fit the IOAPIC's 4-bit ID register (max %u); set one",
			    id, IOAPIC_ID_MASK);
	if (a->pm_base && a->pm_base > 0x10000 - ACPI_PM_PORTS)
		return fail(err, errlen, ACPI_BUILD_EINVAL,
			    "ACPI tables: %u PM ports at 0x%x run past port 0xffff",
			    ACPI_PM_PORTS, a->pm_base);
	/* Per-vCPU entries are at most 16 bytes: bound vcpus before any
	 * multiplication can overflow. */
	uint64_t room = ACPI_BUILD_END - ACPI_BUILD_START;
	if (a->vcpus > room / sizeof(struct acpi_madt_lapic))
		return fail(err, errlen, ACPI_BUILD_ENOSPC,
			    "ACPI tables: %u vCPUs cannot fit in %llu bytes",
			    a->vcpus, (unsigned long long)room);
	return ACPI_BUILD_OK;
}

int acpi_build(const struct acpi_build_args *a, void *ram, uint64_t ram_bytes,
	       struct acpi_build_result *out, char *err, size_t errlen)
{
	if (err && errlen)
		err[0] = 0;
	int rc = check_args(a, ram, ram_bytes, err, errlen);
	if (rc)
		return rc;
	struct layout l;
	plan(a, &l);
	if (l.end > ACPI_BUILD_END)
		return fail(err, errlen, ACPI_BUILD_ENOSPC,
			    "ACPI tables: %u vCPUs need tables up to 0x%llx, past the reserved area (0xe0000-0xfffff)",
			    a->vcpus, (unsigned long long)l.end);
	uint8_t ioapic_id = a->ioapic_id_set ? a->ioapic_id : (uint8_t)a->vcpus;
	uint16_t pm_base = a->pm_base ? a->pm_base : ACPI_PM_DEFAULT_BASE;

	uint8_t *mem = ram;
	memset(mem + ACPI_BUILD_START, 0, l.end - ACPI_BUILD_START);
	build_facs(mem, &l);
	build_dsdt(mem, &l);
	build_fadt(mem, &l, pm_base);
	build_madt(mem, &l, a, ioapic_id);
	build_xsdt(mem, &l);
	build_rsdp(mem, &l);

	memset(out, 0, sizeof(*out));
	out->rsdp = l.rsdp;
	out->xsdt = l.xsdt;
	out->fadt = l.fadt;
	out->facs = l.facs;
	out->dsdt = l.dsdt;
	out->madt = l.madt;
	out->end = l.end;
	out->ioapic_id = ioapic_id;
	out->pm_base = pm_base;
	return ACPI_BUILD_OK;
}
