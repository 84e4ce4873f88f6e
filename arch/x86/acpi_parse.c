/*
 * Host ACPI table parser: RSDP -> XSDT (or RSDT) -> MADT, FADT -> DSDT.
 *
 * Implements ACPI 6.5 sections 5.2.5 (RSDP), 5.2.6 (table header and
 * checksum), 5.2.7/5.2.8 (RSDT/XSDT), 5.2.9 (FADT) and 5.2.12 (MADT); the
 * \_S5 package is decoded by aml_s5.c.
 *
 * Pure C: memory is reached only through the caller's map callback, so the
 * same code runs in Volt (identity map) and in host tests (fixture bytes
 * served at their original physical addresses). Firmware tables are input
 * we do not trust: every length is checked against the bytes actually
 * mapped before anything inside is read.
 *
 * Required structures (RSDP, RSDT/XSDT, MADT) must be valid or parsing
 * fails; a bad optional table (FADT, DSDT, anything else) only costs a
 * warning, because Volt can still boot without power-off through ACPI.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/acpi.h"
#include "arch/x86/acpi_tables.h"
#include "lib/format.h"
#include "lib/string.h"

/*
 * Sanity bounds. The largest real DSDTs are a few hundred KiB; anything
 * over 4 MiB is a corrupt length, not a table. The RSDP is 36 bytes today;
 * a future revision may grow it a little, never to a page.
 */
#define ACPI_MAX_TABLE_LEN (4u << 20)
#define ACPI_RSDP_MAX_LEN 1024
#define ACPI_FADT_V1_LEN 116 /* the ACPI 1.0 FADT, up to and including Flags */
#define ACPI_IO_PORT_MAX 0xffff
#define ACPI_SLEEP_TYPE_MAX 7 /* SLP_TYP is a 3-bit field of PM1 control */

struct acpi_ctx {
	acpi_map_fn map;
	void *opaque;
	struct acpi_info *out;
	char *err;
	size_t errlen;
};

static __attribute__((format(printf, 3, 4))) int
acpi_fail(struct acpi_ctx *c, int code, const char *fmt, ...)
{
	va_list ap;
	if (c->err && c->errlen) {
		va_start(ap, fmt);
		volt_vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

static __attribute__((format(printf, 2, 3))) void
acpi_warn(struct acpi_info *out, const char *fmt, ...)
{
	va_list ap;
	if (out->warning_count < ACPI_MAX_WARNINGS) {
		va_start(ap, fmt);
		volt_vsnprintf(out->warnings[out->warning_count],
			       ACPI_WARNING_LEN, fmt, ap);
		va_end(ap);
	}
	out->warning_count++;
}

/* 5.2.6: a table is valid when all its bytes sum to zero (mod 256). */
static uint8_t acpi_sum(const uint8_t *p, size_t len)
{
	uint8_t sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum;
}

static const void *acpi_map(struct acpi_ctx *c, uint64_t phys, uint64_t len)
{
	if (phys == 0 || phys + len < phys)
		return NULL;
	return c->map(c->opaque, phys, len);
}

/* A signature as printable text: firmware bugs can put anything there. */
static void acpi_sig_text(char dst[5], const char *sig)
{
	for (int i = 0; i < 4; i++) {
		char ch = sig[i];
		dst[i] = (ch >= 0x20 && ch < 0x7f) ? ch : '?';
	}
	dst[4] = 0;
}

static void acpi_oem_text(char dst[7], const char *oem)
{
	for (int i = 0; i < 6; i++) {
		char ch = oem[i];
		dst[i] = (ch >= 0x20 && ch < 0x7f) ? ch : ' ';
	}
	dst[6] = 0;
}

static void acpi_record(struct acpi_info *out, const char *sig,
			const char *oem, uint64_t phys, uint32_t length)
{
	if (out->table_count >= ACPI_MAX_TABLES) {
		acpi_warn(out, "more than %d tables; %.4s at 0x%llx not listed",
			  ACPI_MAX_TABLES, sig, (unsigned long long)phys);
		return;
	}
	struct acpi_table_ref *t = &out->tables[out->table_count++];
	acpi_sig_text(t->sig, sig);
	acpi_oem_text(t->oem_id, oem);
	t->phys = phys;
	t->length = length;
}

/*
 * Maps a whole table and checks its header: signature (when `want` is
 * given), length and checksum. On failure, writes why into msg (the caller
 * decides whether that is an error or a warning).
 */
static int acpi_load_table(struct acpi_ctx *c, uint64_t phys, const char *want,
			   const struct acpi_sdt_header **out, char *msg,
			   size_t msglen)
{
	const struct acpi_sdt_header *h = acpi_map(c, phys, sizeof(*h));
	char sig[5];
	if (!h) {
		volt_snprintf(msg, msglen, "%s at 0x%llx: header not mapped",
			      want ? want : "table", (unsigned long long)phys);
		return ACPI_ERR_UNMAPPED;
	}
	acpi_sig_text(sig, h->signature);
	if (want && memcmp(h->signature, want, 4) != 0) {
		volt_snprintf(msg, msglen, "%s at 0x%llx: signature is '%s'", want,
			      (unsigned long long)phys, sig);
		return ACPI_ERR_SIGNATURE;
	}
	uint32_t len = h->length;
	if (len < sizeof(*h) || len > ACPI_MAX_TABLE_LEN) {
		volt_snprintf(msg, msglen, "%s at 0x%llx: bad length %u", sig,
			      (unsigned long long)phys, len);
		return ACPI_ERR_LENGTH;
	}
	h = acpi_map(c, phys, len);
	if (!h) {
		volt_snprintf(msg, msglen, "%s at 0x%llx: %u bytes not mapped",
			      sig, (unsigned long long)phys, len);
		return ACPI_ERR_UNMAPPED;
	}
	uint8_t sum = acpi_sum((const uint8_t *)h, len);
	if (sum != 0) {
		volt_snprintf(msg, msglen,
			      "%s at 0x%llx: bad checksum (sum 0x%02x, expected 0x00)",
			      sig, (unsigned long long)phys, sum);
		return ACPI_ERR_CHECKSUM;
	}
	*out = h;
	return ACPI_OK;
}

/* A required table: any problem is the parse error. */
static int acpi_load_required(struct acpi_ctx *c, uint64_t phys,
			      const char *want,
			      const struct acpi_sdt_header **out)
{
	char msg[ACPI_WARNING_LEN + 32];
	int rc = acpi_load_table(c, phys, want, out, msg, sizeof(msg));
	if (rc)
		return acpi_fail(c, rc, "%s", msg);
	return ACPI_OK;
}

/* 5.2.5.3: checks the RSDP and returns the root table (XSDT preferred). */
static int acpi_parse_rsdp(struct acpi_ctx *c, uint64_t phys,
			   uint64_t *root, bool *is_xsdt)
{
	const struct acpi_rsdp *r = acpi_map(c, phys, ACPI_RSDP_V1_LEN);
	if (!r)
		return acpi_fail(c, ACPI_ERR_UNMAPPED, "RSDP at 0x%llx not mapped",
				 (unsigned long long)phys);
	if (memcmp(r->signature, ACPI_RSDP_SIGNATURE, 8) != 0)
		return acpi_fail(c, ACPI_ERR_SIGNATURE,
				 "RSDP at 0x%llx: no 'RSD PTR ' signature",
				 (unsigned long long)phys);
	uint8_t sum = acpi_sum((const uint8_t *)r, ACPI_RSDP_V1_LEN);
	if (sum != 0)
		return acpi_fail(c, ACPI_ERR_CHECKSUM,
				 "RSDP: bad checksum (bytes 0-19 sum to 0x%02x, expected 0x00)",
				 sum);
	struct acpi_info *out = c->out;
	out->revision = r->revision;
	acpi_oem_text(out->oem_id, r->oem_id);
	*root = r->rsdt_address;
	*is_xsdt = false;
	uint32_t len = ACPI_RSDP_V1_LEN;

	/* Revision 2+ adds a length, the XSDT and a checksum over it all. */
	if (r->revision >= 2) {
		r = acpi_map(c, phys, sizeof(*r));
		if (!r)
			return acpi_fail(c, ACPI_ERR_UNMAPPED,
					 "RSDP 2.0 at 0x%llx not mapped",
					 (unsigned long long)phys);
		len = r->length;
		if (len < sizeof(*r) || len > ACPI_RSDP_MAX_LEN)
			return acpi_fail(c, ACPI_ERR_LENGTH,
					 "RSDP: bad length %u", len);
		r = acpi_map(c, phys, len);
		if (!r)
			return acpi_fail(c, ACPI_ERR_UNMAPPED,
					 "RSDP at 0x%llx: %u bytes not mapped",
					 (unsigned long long)phys, len);
		sum = acpi_sum((const uint8_t *)r, len);
		if (sum != 0)
			return acpi_fail(c, ACPI_ERR_CHECKSUM,
					 "RSDP: bad extended checksum (%u bytes sum to 0x%02x, expected 0x00)",
					 len, sum);
		if (r->xsdt_address) {
			*root = r->xsdt_address;
			*is_xsdt = true;
		}
	}
	if (*root == 0)
		return acpi_fail(c, ACPI_ERR_MISSING,
				 "RSDP names neither an RSDT nor an XSDT");
	acpi_record(out, "RSDP", r->oem_id, phys, len);
	return ACPI_OK;
}

static void acpi_cpu_overflow(struct acpi_info *out, uint32_t apic_id)
{
	acpi_warn(out, "MADT: more than %d processors; APIC ID %u ignored",
		  ACPI_MAX_CPUS, apic_id);
}

static int acpi_add_cpu(struct acpi_ctx *c, uint32_t apic_id, uint32_t uid,
			uint32_t flags, bool x2apic)
{
	struct acpi_info *out = c->out;
	if (!(flags & (ACPI_MADT_CPU_ENABLED | ACPI_MADT_CPU_ONLINE_CAPABLE)))
		return ACPI_OK; /* not usable: firmware lists absent sockets too */
	for (uint32_t i = 0; i < out->cpu_count; i++)
		if (out->cpus[i].apic_id == apic_id)
			return acpi_fail(c, ACPI_ERR_MALFORMED,
					 "MADT: APIC ID %u listed twice (uid %u and %u)",
					 apic_id, out->cpus[i].uid, uid);
	if (out->cpu_count >= ACPI_MAX_CPUS) {
		acpi_cpu_overflow(out, apic_id);
		return ACPI_OK;
	}
	struct acpi_cpu *cpu = &out->cpus[out->cpu_count++];
	cpu->apic_id = apic_id;
	cpu->uid = uid;
	cpu->x2apic_entry = x2apic;
	return ACPI_OK;
}

static void acpi_add_ioapic(struct acpi_info *out,
			    const struct acpi_madt_ioapic *e)
{
	if (out->ioapic_count >= ACPI_MAX_IOAPICS) {
		acpi_warn(out, "MADT: more than %d IOAPICs; ID %u ignored",
			  ACPI_MAX_IOAPICS, e->id);
		return;
	}
	struct acpi_ioapic *io = &out->ioapics[out->ioapic_count++];
	io->id = e->id;
	io->address = e->address;
	io->gsi_base = e->gsi_base;
}

static void acpi_add_iso(struct acpi_info *out, const struct acpi_madt_iso *e)
{
	if (out->iso_count >= ACPI_MAX_ISOS) {
		acpi_warn(out, "MADT: more than %d overrides; IRQ %u ignored",
			  ACPI_MAX_ISOS, e->source);
		return;
	}
	struct acpi_iso *iso = &out->isos[out->iso_count++];
	iso->bus = e->bus;
	iso->source = e->source;
	iso->gsi = e->gsi;
	iso->flags = e->flags;
}

/* Table 5.21: the smallest length each known entry type may have. */
static size_t acpi_madt_min_len(uint8_t type)
{
	switch (type) {
	case ACPI_MADT_LAPIC:
		return sizeof(struct acpi_madt_lapic);
	case ACPI_MADT_IOAPIC:
		return sizeof(struct acpi_madt_ioapic);
	case ACPI_MADT_ISO:
		return sizeof(struct acpi_madt_iso);
	case ACPI_MADT_LAPIC_OVERRIDE:
		return sizeof(struct acpi_madt_lapic_override);
	case ACPI_MADT_X2APIC:
		return sizeof(struct acpi_madt_x2apic);
	default:
		return sizeof(struct acpi_madt_entry);
	}
}

/* One interrupt controller structure, already bounds-checked. */
static int acpi_madt_entry(struct acpi_ctx *c, const struct acpi_madt_entry *e,
			   uint64_t *lapic_override)
{
	switch (e->type) {
	case ACPI_MADT_LAPIC: {
		const struct acpi_madt_lapic *l = (const void *)e;
		return acpi_add_cpu(c, l->apic_id, l->uid, l->flags, false);
	}
	case ACPI_MADT_X2APIC: {
		const struct acpi_madt_x2apic *x = (const void *)e;
		return acpi_add_cpu(c, x->x2apic_id, x->uid, x->flags, true);
	}
	case ACPI_MADT_IOAPIC:
		acpi_add_ioapic(c->out, (const void *)e);
		return ACPI_OK;
	case ACPI_MADT_ISO:
		acpi_add_iso(c->out, (const void *)e);
		return ACPI_OK;
	case ACPI_MADT_LAPIC_OVERRIDE:
		*lapic_override = ((const struct acpi_madt_lapic_override *)e)->address;
		return ACPI_OK;
	default:
		return ACPI_OK; /* NMI sources, GIC, ...: not Volt's business */
	}
}

/* 5.2.12: the MADT is required, it is how Volt finds the processors. */
static int acpi_parse_madt(struct acpi_ctx *c, const struct acpi_sdt_header *h)
{
	struct acpi_info *out = c->out;
	const uint8_t *base = (const uint8_t *)h;
	if (h->length < sizeof(struct acpi_madt))
		return acpi_fail(c, ACPI_ERR_LENGTH,
				 "MADT: length %u is shorter than its fixed part (%zu)",
				 h->length, sizeof(struct acpi_madt));
	const struct acpi_madt *m = (const void *)h;
	out->lapic_address = m->lapic_address;
	out->pcat_compat = m->flags & ACPI_MADT_PCAT_COMPAT;

	uint64_t lapic_override = 0;
	size_t off = sizeof(*m);
	while (off < h->length) {
		size_t left = h->length - off;
		const struct acpi_madt_entry *e = (const void *)(base + off);
		if (left < sizeof(*e))
			return acpi_fail(c, ACPI_ERR_MALFORMED,
					 "MADT: truncated entry at offset %zu", off);
		/* A length below 2 would never advance: refuse, don't loop. */
		if (e->length < sizeof(*e))
			return acpi_fail(c, ACPI_ERR_MALFORMED,
					 "MADT: entry type %u at offset %zu has length %u",
					 e->type, off, e->length);
		if (e->length > left)
			return acpi_fail(c, ACPI_ERR_MALFORMED,
					 "MADT: entry type %u at offset %zu runs past the table end",
					 e->type, off);
		if (e->length < acpi_madt_min_len(e->type))
			return acpi_fail(c, ACPI_ERR_MALFORMED,
					 "MADT: entry type %u at offset %zu is too short (%u bytes)",
					 e->type, off, e->length);
		int rc = acpi_madt_entry(c, e, &lapic_override);
		if (rc)
			return rc;
		off += e->length;
	}
	if (lapic_override)
		out->lapic_address = lapic_override;
	if (out->cpu_count == 0)
		return acpi_fail(c, ACPI_ERR_MALFORMED,
				 "MADT lists no enabled processor");
	return ACPI_OK;
}

/*
 * A PM1 control block: the 64-bit GAS when the table is long enough, it
 * is in I/O space and non-zero; otherwise the ACPI 1.0 port (5.2.9: "if
 * the X_ field is non-zero, OSPM uses it").
 */
static uint32_t acpi_pm1_port(const struct acpi_fadt *f, size_t x_end,
			      const struct acpi_gas *x, uint32_t legacy)
{
	if (f->hdr.length >= x_end && x->address != 0 &&
	    x->space_id == ACPI_GAS_SYSTEM_IO && x->address <= ACPI_IO_PORT_MAX)
		return (uint32_t)x->address;
	return legacy;
}

/* 7.4.2.5 \_S5: the sleep types written to PM1 control to power off. */
static void acpi_parse_dsdt(struct acpi_ctx *c)
{
	struct acpi_info *out = c->out;
	const struct acpi_sdt_header *h;
	char msg[ACPI_WARNING_LEN];
	if (acpi_load_table(c, out->dsdt, ACPI_SIG_DSDT, &h, msg, sizeof(msg))) {
		acpi_warn(out, "%s", msg);
		return;
	}
	acpi_record(out, h->signature, h->oem_id, out->dsdt, h->length);
	const uint8_t *aml = (const uint8_t *)h + sizeof(*h);
	int rc = aml_find_s5(aml, h->length - sizeof(*h), &out->slp_typa,
			     &out->slp_typb, msg, sizeof(msg));
	if (rc) {
		acpi_warn(out, "DSDT: %s", msg);
		return;
	}
	out->s5_valid = true;
}

/* 5.2.9: optional; without it Volt has no ACPI power-off. */
static void acpi_parse_fadt(struct acpi_ctx *c, const struct acpi_sdt_header *h,
			    uint64_t phys)
{
	struct acpi_info *out = c->out;
	const struct acpi_fadt *f = (const void *)h;
	if (h->length < ACPI_FADT_V1_LEN) {
		acpi_warn(out, "FACP at 0x%llx: length %u is too short; ignored",
			  (unsigned long long)phys, h->length);
		return;
	}
	out->has_fadt = true;
	out->hw_reduced = f->flags & ACPI_FADT_HW_REDUCED;
	out->dsdt = f->dsdt;
	if (h->length >= ACPI_FIELD_END(struct acpi_fadt, x_dsdt) && f->x_dsdt)
		out->dsdt = f->x_dsdt;
	/* Hardware-reduced platforms have no PM1 blocks and no SMI_CMD. */
	if (!out->hw_reduced) {
		out->smi_cmd = f->smi_cmd;
		out->acpi_enable = f->acpi_enable;
		out->pm1a_cnt_port = acpi_pm1_port(
			f, ACPI_FIELD_END(struct acpi_fadt, x_pm1a_cnt_blk),
			&f->x_pm1a_cnt_blk, f->pm1a_cnt_blk);
		out->pm1b_cnt_port = acpi_pm1_port(
			f, ACPI_FIELD_END(struct acpi_fadt, x_pm1b_cnt_blk),
			&f->x_pm1b_cnt_blk, f->pm1b_cnt_blk);
	}
	if (out->dsdt)
		acpi_parse_dsdt(c);
	else
		acpi_warn(out, "FACP names no DSDT");
}

/* One entry of the RSDT/XSDT: check it, list it, read it if we need it. */
static int acpi_visit_table(struct acpi_ctx *c, uint64_t phys, bool *seen_madt,
			    bool *seen_fadt)
{
	struct acpi_info *out = c->out;
	const struct acpi_sdt_header *h;
	char msg[ACPI_WARNING_LEN];
	int rc = acpi_load_table(c, phys, NULL, &h, msg, sizeof(msg));
	if (rc) {
		/* Only the MADT is required; we know it by its signature. */
		const struct acpi_sdt_header *peek = acpi_map(c, phys, 4);
		if (peek && memcmp(peek->signature, ACPI_SIG_MADT, 4) == 0)
			return acpi_fail(c, rc, "%s", msg);
		acpi_warn(out, "%s; skipped", msg);
		return ACPI_OK;
	}
	acpi_record(out, h->signature, h->oem_id, phys, h->length);
	if (memcmp(h->signature, ACPI_SIG_MADT, 4) == 0) {
		if (*seen_madt) {
			acpi_warn(out, "second MADT at 0x%llx ignored",
				  (unsigned long long)phys);
			return ACPI_OK;
		}
		*seen_madt = true;
		return acpi_parse_madt(c, h);
	}
	if (memcmp(h->signature, ACPI_SIG_FADT, 4) == 0) {
		if (*seen_fadt) {
			acpi_warn(out, "second FACP at 0x%llx ignored",
				  (unsigned long long)phys);
			return ACPI_OK;
		}
		*seen_fadt = true;
		acpi_parse_fadt(c, h, phys);
	}
	return ACPI_OK;
}

/* 5.2.7/5.2.8: walk the root table's array of table addresses. */
static int acpi_parse_root(struct acpi_ctx *c, uint64_t phys, bool is_xsdt)
{
	const struct acpi_sdt_header *h;
	const char *sig = is_xsdt ? ACPI_SIG_XSDT : ACPI_SIG_RSDT;
	int rc = acpi_load_required(c, phys, sig, &h);
	if (rc)
		return rc;
	acpi_record(c->out, h->signature, h->oem_id, phys, h->length);
	size_t entry_size = is_xsdt ? sizeof(uint64_t) : sizeof(uint32_t);
	size_t body = h->length - sizeof(*h);
	if (body % entry_size)
		return acpi_fail(c, ACPI_ERR_LENGTH,
				 "%s: length %u is not the header plus whole %zu-byte entries",
				 sig, h->length, entry_size);

	const uint8_t *entries = (const uint8_t *)h + sizeof(*h);
	bool seen_madt = false, seen_fadt = false;
	for (size_t i = 0; i < body / entry_size; i++) {
		/* XSDT entries sit at offset 36: not 8-byte aligned. */
		uint64_t addr = 0;
		memcpy(&addr, entries + i * entry_size, entry_size);
		if (addr == 0) {
			acpi_warn(c->out, "%s entry %zu is null; skipped", sig, i);
			continue;
		}
		rc = acpi_visit_table(c, addr, &seen_madt, &seen_fadt);
		if (rc)
			return rc;
	}
	if (!seen_madt)
		return acpi_fail(c, ACPI_ERR_MISSING,
				 "no MADT (APIC) table: cannot find the processors");
	return ACPI_OK;
}

int acpi_parse(uint64_t rsdp_phys, acpi_map_fn map, void *opaque,
	       struct acpi_info *out, char *err, size_t errlen)
{
	struct acpi_ctx c = { map, opaque, out, err, errlen };
	uint64_t root;
	bool is_xsdt;
	memset(out, 0, sizeof(*out));
	if (err && errlen)
		err[0] = 0;
	int rc = acpi_parse_rsdp(&c, rsdp_phys, &root, &is_xsdt);
	if (rc)
		return rc;
	return acpi_parse_root(&c, root, is_xsdt);
}
