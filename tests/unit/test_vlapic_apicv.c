/*
 * Host tests for the virtual local APIC's side of VT-x APIC virtualization
 * (vmm/dev/vlapic.c, docs/apicv.md): the register page in the layout of
 * the virtual-APIC page, posted interrupts, what the backend loads into
 * RVI, SVI and the EOI-exit bitmap, and APIC-write / EOI-induced exits.
 *
 * The processor's part is modelled here from the pseudocode of the Intel
 * SDM vol. 3C chapter "APIC Virtualization and Virtual Interrupts" (PPR
 * virtualization, evaluation and delivery of virtual interrupts, EOI
 * virtualization, APIC-write emulation): page offsets and bit positions
 * are computed from the SDM's formulas, independently of the model's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/vlapic.h"

#define HZ 1000000000ull
#define TIMER_HZ 25000000ull

static struct vlapic apic, plain;
static struct vlapic_page page_a, page_b;
static uint64_t now;
static struct vlapic_ipi ipis[64];
static unsigned nipis;
static uint8_t eois[16];
static unsigned neois;
static unsigned notifies;

static uint64_t fake_now(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void rec_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	ipis[nipis++ % 64] = *ipi;
}

static void rec_eoi(void *ctx, uint8_t vector)
{
	eois[neois++ % 16] = vector;
}

static void rec_notify(void *ctx)
{
	notifies++;
}

static const struct vlapic_hooks hooks = { rec_ipi, rec_eoi, rec_notify,
					   NULL };

static void make(struct vlapic *v, struct vlapic_page *p, uint32_t id)
{
	struct dev_clock c = { fake_now, &now, HZ };
	struct vlapic_config cfg = {
		.page = p, .apic_id = id, .bsp = id == 0,
		.timer_hz = TIMER_HZ, .phys_bits = 39, .x2apic = true,
		.eoi_suppression = true,
	};
	memset(p, 0x5a, sizeof(*p)); /* init must write every byte */
	vlapic_init(v, &cfg, &c, &hooks);
}

static int setup(void **state)
{
	now = 1000;
	nipis = neois = notifies = 0;
	make(&apic, &page_a, 0);
	make(&plain, &page_b, 0);
	vlapic_set_apicv(&apic, true);
	return 0;
}

/* ---- the page, as the processor sees it (SDM "Virtual-APIC Page") ---- */

static uint32_t pg(const struct vlapic *v, unsigned off)
{
	return v->page->reg[off / 4];
}

static void pg_set(struct vlapic *v, unsigned off, uint32_t val)
{
	v->page->reg[off / 4] = val;
}

/* "Bit x of the VISR is at bit position (x & 1FH) at offset
 * (100H | ((x & E0H) >> 1))"; VIRR at 200H, TMR at 180H alike. */
static bool vbit(const struct vlapic *v, unsigned base, unsigned x)
{
	return (pg(v, base | ((x & 0xe0) >> 1)) >> (x & 0x1f)) & 1;
}

static void vbit_set(struct vlapic *v, unsigned base, unsigned x, bool on)
{
	unsigned off = base | ((x & 0xe0) >> 1);
	uint32_t r = pg(v, off);
	pg_set(v, off, on ? r | 1u << (x & 0x1f) : r & ~(1u << (x & 0x1f)));
}

static int vhighest(const struct vlapic *v, unsigned base)
{
	for (int x = 255; x >= 0; x--)
		if (vbit(v, base, (unsigned)x))
			return x;
	return -1;
}

/* The processor's state: guest interrupt status and EOI-exit bitmap. */
struct cpu {
	uint8_t rvi, svi;
	uint64_t eoi_exit[4];
	unsigned reloads;
};

/* "PPR virtualization" */
static void ppr_virtualization(struct cpu *c)
{
	uint32_t vtpr = pg(&apic, APIC_TPR) & 0xff;
	uint32_t svi_class = (uint32_t)c->svi & 0xf0;
	uint32_t vppr = (vtpr & 0xf0) >= svi_class ? vtpr : svi_class;
	pg_set(&apic, APIC_PPR, vppr);
}

/* What the backend does before an entry, then the entry itself ("VM
 * entry ... loads RVI and SVI ... PPR virtualization"). */
static void enter(struct cpu *c)
{
	if (vlapic_apicv_sync(&apic)) {
		c->rvi = vlapic_rvi(&apic);
		c->svi = vlapic_svi(&apic);
		vlapic_eoi_exit_bitmap(&apic, c->eoi_exit);
		c->reloads++;
	}
	ppr_virtualization(c);
}

/* "Evaluation of pending virtual interrupts" then "virtual-interrupt
 * delivery" (the guest has IF=1): the vector taken, or -1. */
static int deliver(struct cpu *c)
{
	if ((c->rvi >> 4) <= (pg(&apic, APIC_PPR) >> 4 & 0xf))
		return -1;
	unsigned vec = c->rvi;
	vbit_set(&apic, APIC_ISR, vec, true);
	c->svi = (uint8_t)vec;
	pg_set(&apic, APIC_PPR, vec & 0xf0);
	vbit_set(&apic, APIC_IRR, vec, false);
	int next = vhighest(&apic, APIC_IRR);
	c->rvi = next < 0 ? 0 : (uint8_t)next;
	return (int)vec;
}

/* "EOI virtualization": true when it ends in an EOI-induced exit, which
 * Volt handles with vlapic_apicv_eoi. */
static bool eoi_virtualization(struct cpu *c)
{
	unsigned vec = c->svi;
	vbit_set(&apic, APIC_ISR, vec, false);
	int next = vhighest(&apic, APIC_ISR);
	c->svi = next < 0 ? 0 : (uint8_t)next;
	ppr_virtualization(c);
	if ((c->eoi_exit[vec / 64] >> (vec % 64)) & 1) {
		vlapic_apicv_eoi(&apic, (uint8_t)vec);
		return true;
	}
	return false;
}

/* A virtualized xAPIC write that ends in an APIC-write exit: the value
 * goes into the page, then Volt sees the offset. */
static void apic_write(struct vlapic *v, unsigned off, uint32_t val)
{
	pg_set(v, off, val);
	vlapic_apicv_write(v, off);
}

static void mmio_write(struct vlapic *v, unsigned off, uint32_t val)
{
	assert_int_equal(vlapic_mmio_write(v, off, 4, val), 0);
}

static uint32_t mmio_read(struct vlapic *v, unsigned off)
{
	uint64_t val;
	vlapic_mmio_read(v, off, 4, &val);
	return (uint32_t)val;
}

/* ---- layout --------------------------------------------------------- */

/* Every register where the processor looks for it (the read-virtualized
 * offsets of "Virtualizing Reads from the APIC-Access Page"), after the
 * xAPIC setup Linux does. */
static void test_page_layout_xapic(void **state)
{
	make(&apic, &page_a, 0x17);
	vlapic_set_apicv(&apic, true);
	assert_int_equal(pg(&apic, 0x020), 0x17u << 24);     /* ID */
	assert_int_equal(pg(&apic, 0x030), 0x01050014);      /* version */
	assert_int_equal(pg(&apic, 0x0e0), 0xffffffff);      /* DFR */
	assert_int_equal(pg(&apic, 0x0f0), 0xff);            /* SVR */
	for (unsigned off = 0x320; off <= 0x370; off += 0x10)
		assert_int_equal(pg(&apic, off), APIC_LVT_MASKED);
	for (unsigned off = 0x100; off < 0x280; off += 0x10)
		assert_int_equal(pg(&apic, off), 0);
	/* the bytes between registers are zero too */
	for (unsigned off = 0; off < VLAPIC_PAGE_SIZE; off += 4)
		if (off & 0xf)
			assert_int_equal(pg(&apic, off), 0);

	mmio_write(&apic, APIC_DFR, 0xffffffff);
	mmio_write(&apic, APIC_LDR, 0x01000000);
	mmio_write(&apic, APIC_TPR, 0x10);
	mmio_write(&apic, APIC_SVR, 0x1ff);
	mmio_write(&apic, APIC_LVT_LINT0, 0x10700);
	mmio_write(&apic, APIC_LVT_LINT1, 0x400);
	mmio_write(&apic, APIC_LVT_ERROR, 0xfe);
	mmio_write(&apic, APIC_LVT_TIMER, 0x400ec);
	mmio_write(&apic, APIC_TIMER_DCR, 0xb);
	mmio_write(&apic, APIC_ICR_HIGH, 0x03000000);
	mmio_write(&apic, APIC_ICR_LOW, 0x000040fd);
	assert_int_equal(pg(&apic, 0x080), 0x10);
	assert_int_equal(pg(&apic, 0x0d0), 0x01000000);
	assert_int_equal(pg(&apic, 0x0f0), 0x1ff);
	assert_int_equal(pg(&apic, 0x350), 0x10700);
	assert_int_equal(pg(&apic, 0x360), 0x400);
	assert_int_equal(pg(&apic, 0x370), 0xfe);
	assert_int_equal(pg(&apic, 0x320), 0x400ec);
	assert_int_equal(pg(&apic, 0x3e0), 0xb);
	assert_int_equal(pg(&apic, 0x300), 0x40fd);
	assert_int_equal(pg(&apic, 0x310), 0x03000000);
	assert_int_equal(nipis, 1);

	/* a periodic timer: initial count in the page, current count not
	 * (the processor does not virtualize it; reads exit) */
	mmio_write(&apic, APIC_LVT_TIMER, 0x200ef);
	mmio_write(&apic, APIC_TIMER_ICR, 1000000);
	now += 40 * 1000;
	assert_int_equal(pg(&apic, 0x380), 1000000);
	assert_int_equal(pg(&apic, 0x390), 0);
	assert_int_equal(mmio_read(&apic, APIC_TIMER_CCR), 1000000 - 1000);

	/* level 0x41 and edge 0xb3, posted then synced: VIRR and TMR bits
	 * at the SDM's positions */
	vlapic_accept(&apic, 0x41, true);
	vlapic_accept(&apic, 0xb3, false);
	assert_true(vlapic_apicv_sync(&apic));
	assert_int_equal(pg(&apic, 0x220), 1u << 1);
	assert_int_equal(pg(&apic, 0x250), 1u << 19);
	assert_int_equal(pg(&apic, 0x1a0), 1u << 1);
	assert_int_equal(pg(&apic, 0x1d0), 0);
	/* PPR (TPR 0x10, nothing in service) */
	assert_int_equal(pg(&apic, 0x0a0), 0x10);
}

static void test_page_layout_x2apic(void **state)
{
	make(&apic, &page_a, 0x12345);
	assert_int_equal(pg(&apic, 0x020), 0x45u << 24); /* xAPIC: 8 bits */
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					      APIC_BASE_EN | APIC_BASE_EXTD),
			 0);
	/* RDMSR 802H/80DH read offsets 020H/0D0H: the 32-bit ID and the
	 * derived logical ID (cluster 0x1234, bit 5) */
	assert_int_equal(pg(&apic, 0x020), 0x12345);
	assert_int_equal(pg(&apic, 0x0d0), 0x12340020);
	/* RDMSR 830H reads 64 bits from 300H (low) and 310H (high) */
	assert_int_equal(vlapic_msr_write(&apic, 0x80f, 0x1ff), 0);
	assert_int_equal(vlapic_msr_write(&apic, 0x830, 0x00000007000000f1ull),
			 0);
	assert_int_equal(pg(&apic, 0x300), 0xf1);
	assert_int_equal(pg(&apic, 0x310), 7);
	uint64_t icr;
	assert_int_equal(vlapic_msr_read(&apic, 0x830, &icr), 0);
	assert_int_equal(icr, 0x00000007000000f1ull);
	/* INIT keeps x2APIC mode: the formats stay */
	vlapic_reset(&apic, false);
	assert_int_equal(pg(&apic, 0x020), 0x12345);
	assert_int_equal(pg(&apic, 0x0d0), 0x12340020);
	/* disabled, then xAPIC again: the 8-bit ID, LDR cleared */
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE), 0);
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					      APIC_BASE_EN), 0);
	assert_int_equal(pg(&apic, 0x020), 0x45u << 24);
	assert_int_equal(pg(&apic, 0x0d0), 0);
}

/* ---- posted interrupts, RVI, SVI, EOI-exit bitmap ------------------- */

static void test_posted_until_sync(void **state)
{
	mmio_write(&apic, APIC_SVR, 0x1ff);
	assert_true(vlapic_apicv_sync(&apic));
	assert_false(vlapic_apicv_sync(&apic)); /* nothing changed */

	/* accepted while the guest runs: the page is the processor's */
	unsigned before = notifies;
	vlapic_accept(&apic, 0x61, false);
	vlapic_accept(&apic, 0x52, true);
	assert_int_equal(notifies, before + 2); /* the vCPU gets kicked */
	assert_false(vbit(&apic, APIC_IRR, 0x61));
	assert_false(vbit(&apic, APIC_TMR, 0x52));
	assert_true(vlapic_posted(&apic));
	/* a halted vCPU must still see them */
	assert_int_equal(vlapic_pending(&apic), 0x61);

	assert_true(vlapic_apicv_sync(&apic));
	assert_false(vlapic_posted(&apic));
	assert_true(vbit(&apic, APIC_IRR, 0x61));
	assert_true(vbit(&apic, APIC_IRR, 0x52));
	assert_false(vbit(&apic, APIC_TMR, 0x61));
	assert_true(vbit(&apic, APIC_TMR, 0x52));
	assert_int_equal(vlapic_rvi(&apic), 0x61);
	assert_int_equal(vlapic_svi(&apic), 0);
	uint64_t bm[4];
	vlapic_eoi_exit_bitmap(&apic, bm);
	assert_int_equal(bm[0], 0);
	assert_int_equal(bm[1], 1ull << (0x52 - 64));
	assert_int_equal(bm[2], 0);
	assert_int_equal(bm[3], 0);

	/* the same vector again, edge this time: TMR follows the last one */
	vlapic_accept(&apic, 0x52, false);
	assert_true(vbit(&apic, APIC_TMR, 0x52));
	assert_true(vlapic_apicv_sync(&apic));
	assert_false(vbit(&apic, APIC_TMR, 0x52));

	/* the top vector and bitmap word */
	vlapic_accept(&apic, 0xff, true);
	assert_true(vlapic_apicv_sync(&apic));
	assert_int_equal(vlapic_rvi(&apic), 0xff);
	vlapic_eoi_exit_bitmap(&apic, bm);
	assert_int_equal(bm[3], 1ull << 63);

	/* a disabled APIC takes nothing, posted or not */
	mmio_write(&apic, APIC_SVR, 0xff);
	vlapic_accept(&apic, 0x70, false);
	assert_true(vlapic_apicv_sync(&apic));
	assert_false(vbit(&apic, APIC_IRR, 0x70));

	/* INIT drops what waits */
	mmio_write(&apic, APIC_SVR, 0x1ff);
	vlapic_accept(&apic, 0x71, false);
	vlapic_reset(&apic, true);
	vlapic_apicv_sync(&apic);
	assert_int_equal(vlapic_rvi(&apic), 0);
	assert_int_equal(vlapic_pending(&apic), -1);

	/* turning APIC virtualization off moves posted ones in */
	mmio_write(&apic, APIC_SVR, 0x1ff);
	vlapic_accept(&apic, 0x72, false);
	vlapic_set_apicv(&apic, false);
	assert_true(vbit(&apic, APIC_IRR, 0x72));
	vlapic_accept(&apic, 0x73, false);
	assert_true(vbit(&apic, APIC_IRR, 0x73)); /* direct again */
}

/* Interrupts through the processor's delivery and EOI virtualization:
 * priorities as the plain path gives them, and an EOI exit exactly for
 * the level-triggered vector, which reaches the IOAPIC. */
static void test_delivery_and_eoi(void **state)
{
	struct cpu c = { 0 };
	mmio_write(&apic, APIC_SVR, 0x1ff);
	mmio_write(&plain, APIC_SVR, 0x1ff);
	static const struct { uint8_t vec; bool level; } in[] = {
		{ 0x31, false }, { 0x45, true }, { 0x8f, false },
		{ 0x80, true }, { 0x46, false },
	};
	for (unsigned i = 0; i < 5; i++) {
		vlapic_accept(&apic, in[i].vec, in[i].level);
		vlapic_accept(&plain, in[i].vec, in[i].level);
	}
	enter(&c);
	assert_int_equal(c.rvi, 0x8f);
	assert_int_equal(c.svi, 0);
	unsigned exits = 0, n = 0;
	uint8_t got[8], want[8];
	for (;;) {
		int vec = deliver(&c);
		int pvec = vlapic_pending(&plain) >= 0 ? vlapic_ack(&plain)
						       : -1;
		assert_int_equal(vec, pvec);
		if (vec < 0)
			break;
		got[n] = (uint8_t)vec;
		want[n++] = (uint8_t)pvec;
		/* the handler returns: EOI for the one in service */
		if (eoi_virtualization(&c)) {
			exits++;
			enter(&c); /* the exit's way back in */
		}
		mmio_write(&plain, APIC_EOI, 0);
		/* the model agrees with the processor on what is left */
		assert_int_equal(vlapic_svi(&apic), c.svi);
	}
	assert_int_equal(n, 5);
	assert_memory_equal(got, want, n);
	assert_int_equal(got[0], 0x8f);
	assert_int_equal(got[4], 0x31);
	assert_int_equal(exits, 2); /* 0x80 and 0x45 */
	assert_int_equal(neois, 4); /* each broadcast twice: both models */
	assert_int_equal(eois[0], 0x80);
	assert_int_equal(eois[1], 0x80);
	assert_int_equal(eois[2], 0x45);

	/* nested: a higher class arrives while one is in service */
	vlapic_accept(&apic, 0x50, false);
	enter(&c);
	assert_int_equal(deliver(&c), 0x50);
	vlapic_accept(&apic, 0x51, false); /* same class: waits */
	vlapic_accept(&apic, 0x90, false);
	enter(&c);
	assert_int_equal(c.svi, 0x50);
	assert_int_equal(deliver(&c), 0x90);
	assert_int_equal(deliver(&c), -1);
	assert_false(eoi_virtualization(&c));
	assert_int_equal(deliver(&c), -1); /* 0x51 vs 0x50 in service */
	assert_int_equal(vlapic_pending(&apic), -1);
	assert_false(eoi_virtualization(&c));
	assert_int_equal(vlapic_pending(&apic), 0x51);
	assert_int_equal(deliver(&c), 0x51);

	/* TPR virtualization blocks a class; the model's view agrees */
	assert_false(eoi_virtualization(&c));
	pg_set(&apic, APIC_TPR, 0x60);
	ppr_virtualization(&c);
	vlapic_accept(&apic, 0x5f, false);
	enter(&c);
	assert_int_equal(deliver(&c), -1);
	assert_int_equal(vlapic_pending(&apic), -1);
	assert_int_equal(vlapic_ppr(&apic), 0x60);
	pg_set(&apic, APIC_TPR, 0x40);
	ppr_virtualization(&c);
	assert_int_equal(vlapic_pending(&apic), 0x5f);
	assert_int_equal(deliver(&c), 0x5f);
}

/* A fixed level-triggered LINT0 input: remote IRR set on delivery, kept
 * across the guest's LVT writes, cleared by the EOI exit, and the input
 * (still asserted) delivers again. */
static void test_lint_level_eoi_exit(void **state)
{
	struct cpu c = { 0 };
	apic_write(&apic, APIC_SVR, 0x1ff);
	apic_write(&apic, APIC_LVT_LINT0, 0x8055);
	vlapic_lint0(&apic, true);
	enter(&c);
	assert_int_equal((c.eoi_exit[1] >> (0x55 - 64)) & 1, 1);
	assert_int_equal(deliver(&c), 0x55);
	assert_true(pg(&apic, APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	/* the guest rewrites the LVT, remote IRR bit clear in its value */
	apic_write(&apic, APIC_LVT_LINT0, 0x8055);
	assert_true(pg(&apic, APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	assert_true(eoi_virtualization(&c));
	assert_int_equal(neois, 1);
	enter(&c);
	assert_int_equal(c.rvi, 0x55); /* still asserted */
	vlapic_lint0(&apic, false);
	assert_int_equal(deliver(&c), 0x55);
	assert_true(eoi_virtualization(&c));
	assert_false(pg(&apic, APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	enter(&c);
	assert_int_equal(c.rvi, 0);
}

/* ---- APIC-write exits ------------------------------------------------ */

/* The write-virtualized offsets ("APIC-register virtualization" is 1):
 * after an APIC-write exit the page must hold what the plain MMIO path
 * gives for the same write, and the same side effects must follow. The
 * processor's own part: "310H-313H ... clears bytes 2:0 of VICR_HI"
 * without an exit, and ICR-low self-IPIs are virtualized. */
static const unsigned write_regs[] = {
	APIC_ID, APIC_LDR, APIC_DFR, APIC_SVR, APIC_ESR, APIC_ICR_HIGH,
	APIC_ICR_LOW, APIC_LVT_TIMER, APIC_LVT_THERMAL, APIC_LVT_PERF,
	APIC_LVT_LINT0, APIC_LVT_LINT1, APIC_LVT_ERROR, APIC_TIMER_ICR,
	APIC_TIMER_DCR,
};

static bool self_ipi_virtualized(uint32_t icr)
{
	return (icr & 0xfff3b700) == 0 && ((icr >> 18) & 3) == 1 &&
	       (icr & 0xff) >= 16;
}

static void guest_write(struct cpu *c, unsigned off, uint32_t val)
{
	mmio_write(&plain, off, val);
	if (off == APIC_ICR_HIGH) {
		pg_set(&apic, off, val & 0xff000000);
		return;
	}
	if (off == APIC_ICR_LOW && self_ipi_virtualized(val)) {
		/* "self-IPI virtualization": VIRR, RVI; no exit */
		pg_set(&apic, off, val);
		vbit_set(&apic, APIC_IRR, val & 0xff, true);
		if ((val & 0xff) > c->rvi)
			c->rvi = val & 0xff;
		return;
	}
	apic_write(&apic, off, val);
}

static void test_apic_write_matches_mmio(void **state)
{
	struct cpu c = { 0 };
	srand(7);
	for (unsigned i = 0; i < 40000; i++) {
		unsigned off = write_regs[(unsigned)rand() %
					  (sizeof(write_regs) /
					   sizeof(write_regs[0]))];
		uint32_t val = (uint32_t)rand() ^ (uint32_t)rand() << 16;
		switch (rand() % 4) {
		case 0:
			val &= 0x1ffff; /* plausible LVT/SVR values */
			break;
		case 1:
			val &= 0x000cffff; /* plausible ICR values */
			break;
		}
		if (off == APIC_TIMER_ICR)
			val &= 0xfffff;
		now += (uint64_t)(rand() % 3000);
		unsigned ipis_before = nipis;
		guest_write(&c, off, val);
		if (off == APIC_ICR_LOW && self_ipi_virtualized(val)) {
			/* the plain APIC sent it to itself through the VM;
			 * the processor put it straight into VIRR */
			assert_int_equal(nipis, ipis_before + 1);
			assert_true(vbit(&apic, APIC_IRR, val & 0xff));
		} else if (nipis != ipis_before) {
			/* both sent the same message */
			assert_int_equal(nipis, ipis_before + 2);
			assert_memory_equal(&ipis[(nipis - 2) % 64],
					    &ipis[(nipis - 1) % 64],
					    sizeof(ipis[0]));
		}
		/* registers the guest reads, without an exit, agree */
		for (unsigned r = 0; r < sizeof(write_regs) /
						 sizeof(write_regs[0]); r++) {
			unsigned o = write_regs[r];
			assert_int_equal(pg(&apic, o), pg(&plain, o));
		}
		assert_int_equal(mmio_read(&apic, APIC_TIMER_CCR),
				 mmio_read(&plain, APIC_TIMER_CCR));
		assert_int_equal(vlapic_next_event(&apic),
				 vlapic_next_event(&plain));
		assert_int_equal(apic.esr_pending, plain.esr_pending);
		if (i % 16 == 0) {
			vlapic_update(&apic, now);
			vlapic_update(&plain, now);
		}
	}
	assert_true(nipis > 1000);
}

/* The cases that matter one by one. */
static void test_apic_write_cases(void **state)
{
	/* ID is read-only here: the page gets it back */
	apic_write(&apic, APIC_ID, 0x7f000000);
	assert_int_equal(pg(&apic, APIC_ID), 0);
	/* software-disabled: LVT writes cannot unmask */
	apic_write(&apic, APIC_LVT_TIMER, 0xffffffff);
	assert_int_equal(pg(&apic, APIC_LVT_TIMER), 0x700ff);
	apic_write(&apic, APIC_SVR, 0xffffffff);
	assert_int_equal(pg(&apic, APIC_SVR), 0x13ff); /* focus, suppress */
	apic_write(&apic, APIC_LVT_TIMER, 0x000000ec); /* one-shot */
	assert_int_equal(pg(&apic, APIC_LVT_TIMER), 0xec);

	/* the timer: initial count, divide by 16, the old divisor for
	 * what was left when the divisor changes */
	apic_write(&apic, APIC_TIMER_DCR, 0x3);
	apic_write(&apic, APIC_TIMER_ICR, 1000);
	assert_int_equal(vlapic_next_event(&apic), now + 16 * 1000 * 40);
	now += 16 * 40 * 250; /* 250 counts gone */
	apic_write(&apic, APIC_TIMER_DCR, 0xb); /* /1 from now on */
	assert_int_equal(pg(&apic, APIC_TIMER_DCR), 0xb);
	assert_int_equal(vlapic_next_event(&apic), now + 750 * 40);
	now += 750 * 40;
	vlapic_update(&apic, now);
	assert_true(vlapic_apicv_sync(&apic));
	assert_int_equal(vlapic_rvi(&apic), 0xec);

	/* TSC-deadline mode ignores the initial count: the page reads 0 */
	apic_write(&apic, APIC_LVT_TIMER, 0x400ec);
	apic_write(&apic, APIC_TIMER_ICR, 12345);
	assert_int_equal(pg(&apic, APIC_TIMER_ICR), 0);

	/* ESR: the write latches what was collected */
	apic_write(&apic, APIC_ICR_LOW, 0x00000005); /* illegal vector */
	assert_int_equal(pg(&apic, APIC_ESR), 0);
	apic_write(&apic, APIC_ESR, 0xffffffff);
	assert_int_equal(pg(&apic, APIC_ESR), APIC_ESR_SEND_ILLEGAL);
	apic_write(&apic, APIC_ESR, 0);
	assert_int_equal(pg(&apic, APIC_ESR), 0);

	/* an IPI: destination from ICR high, which the processor kept */
	nipis = 0;
	pg_set(&apic, APIC_ICR_HIGH, 0x02000000);
	apic_write(&apic, APIC_ICR_LOW, 0x000c44d1);
	assert_int_equal(nipis, 1);
	assert_int_equal(ipis[0].vector, 0xd1);
	assert_int_equal(ipis[0].delivery_mode, VLAPIC_DM_NMI);
	assert_int_equal(ipis[0].shorthand, VLAPIC_SH_ALL_BUT_SELF);
	apic_write(&apic, APIC_ICR_LOW, 0x000000d2);
	assert_int_equal(ipis[1].dest, 2);
	assert_int_equal(pg(&apic, APIC_ICR_LOW), 0xd2);

	/* LDR/DFR keep only their defined bits */
	apic_write(&apic, APIC_LDR, 0xffffffff);
	assert_int_equal(pg(&apic, APIC_LDR), 0xff000000);
	apic_write(&apic, APIC_DFR, 0x0fffffff);
	assert_int_equal(pg(&apic, APIC_DFR), 0x0fffffff);
	apic_write(&apic, APIC_DFR, 0x12345678);
	assert_int_equal(pg(&apic, APIC_DFR), 0x1fffffff);

	/* x2APIC: a SELF IPI below 16 ends in an APIC-write exit at 3F0H
	 * (the processor virtualizes the others): send-illegal in ESR */
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					      APIC_BASE_EN | APIC_BASE_EXTD |
					      APIC_BASE_BSP), 0);
	assert_int_equal(vlapic_msr_write(&apic, 0x828, 0), 0);
	apic_write(&apic, APIC_SELF_IPI, 0x7);
	assert_int_equal(vlapic_msr_write(&apic, 0x828, 0), 0);
	assert_int_equal(pg(&apic, APIC_ESR), APIC_ESR_SEND_ILLEGAL);
	/* an x2APIC write the MSR rules refuse changes nothing */
	apic_write(&apic, APIC_LVT_LINT1, 0xfff00000);
	assert_int_equal(pg(&apic, APIC_LVT_LINT1), APIC_LVT_MASKED);
	apic_write(&apic, APIC_ID, 0x55);
	assert_int_equal(pg(&apic, APIC_ID), 0);
}

/* A hostile guest writes anything anywhere in the page between exits
 * (the processor lets it reach the write-virtualized registers) and
 * reports any offset: the model's own state stays sane. */
static void test_hostile_page(void **state)
{
	struct cpu c = { 0 };
	srand(11);
	for (unsigned round = 0; round < 4; round++) {
		make(&apic, &page_a, round);
		vlapic_set_apicv(&apic, true);
		if (round & 1)
			vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					     APIC_BASE_EN | APIC_BASE_EXTD);
		for (unsigned i = 0; i < 20000; i++) {
			unsigned off = (unsigned)rand() % VLAPIC_PAGE_SIZE;
			uint32_t val = (uint32_t)rand() ^
				       (uint32_t)rand() << 16;
			now += (uint64_t)(rand() % 4000);
			pg_set(&apic, off & ~3u, val);
			vlapic_apicv_write(&apic, (uint32_t)rand() & 0xfff);
			if (i % 3 == 0)
				vlapic_accept(&apic, (uint8_t)rand(),
					      rand() & 1);
			if (i % 5 == 0)
				vlapic_apicv_eoi(&apic, (uint8_t)rand());
			if (i % 7 == 0)
				vlapic_update(&apic, now);
			enter(&c);
			/* what the backend loads is consistent with the page */
			int top = vhighest(&apic, APIC_IRR);
			assert_int_equal(c.rvi, top < 0 ? 0 : top);
			/* the model's own registers are in the page as kept */
			for (unsigned l = 0; l < VLAPIC_LVT_COUNT; l++)
				assert_int_equal(pg(&apic, 0x320 + 0x10 * l),
						 apic.lvt[l]);
			assert_int_equal(pg(&apic, APIC_TIMER_ICR),
					 apic.timer_icr);
			assert_int_equal(pg(&apic, APIC_TIMER_DCR) & ~0xbu, 0);
			assert_int_equal(pg(&apic, APIC_ID),
					 round & 1 ? round : round << 24);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_page_layout_xapic, setup),
		cmocka_unit_test_setup(test_page_layout_x2apic, setup),
		cmocka_unit_test_setup(test_posted_until_sync, setup),
		cmocka_unit_test_setup(test_delivery_and_eoi, setup),
		cmocka_unit_test_setup(test_lint_level_eoi_exit, setup),
		cmocka_unit_test_setup(test_apic_write_matches_mmio, setup),
		cmocka_unit_test_setup(test_apic_write_cases, setup),
		cmocka_unit_test_setup(test_hostile_page, setup),
	};
	return cmocka_run_group_tests_name("vlapic_apicv", tests, NULL, NULL);
}
