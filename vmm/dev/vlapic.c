/*
 * The virtual local APIC (see vlapic.h). Section names are those of the
 * Intel SDM vol. 3A chapter "Advanced Programmable Interrupt Controller
 * (APIC)"; docs/devices-lapic.md walks through the model.
 *
 * One register file serves both interfaces: the xAPIC page (offset off)
 * and the x2APIC MSRs (MSR 0x800 + off / 16). They differ in which
 * registers exist, in the ID/LDR/ICR formats, and in how errors show: the
 * xAPIC ignores bad writes (or sets ESR bit 7), x2APIC raises #GP
 * ("Reserved Bit Checking": reserved bits are RsvdZ, nonzero writes #GP).
 *
 * The registers live in a page in the xAPIC layout (struct vlapic_page),
 * the same page VT-x's APIC virtualization reads and writes as the
 * virtual-APIC page; vlapic_apicv.c is what that needs beyond this file
 * (RVI/SVI, APIC-write and EOI-induced exits).
 *
 * The timer ("APIC Timer") lives in vlapic_timer.c; the two files share
 * only what vlapic_internal.h declares.
 */
#include "vmm/dev/vlapic.h"
#include "vmm/dev/vlapic_internal.h"
#include "lib/string.h"

#define LVT_DM(lvt) (((lvt) >> APIC_LVT_DM_SHIFT) & 7)
#define ICR_VECTOR 0xffu
#define ICR_LOGICAL (1u << 11)
#define ICR_PENDING (1u << 12)
#define ICR_ASSERT (1u << 14)
#define ICR_LEVEL (1u << 15)
#define ICR_SHORTHAND_SHIFT 18
/* xAPIC ICR low: vector, mode, dest mode, level, trigger, shorthand */
#define ICR_LOW_WRITABLE 0x000ccfffu
#define ICR_HIGH_WRITABLE 0xff000000u
/* x2APIC ICR bits 31:20, 17:16, 13 are reserved (RsvdZ) */
#define X2APIC_ICR_RESERVED 0xfff32000ull
#define LDR_WRITABLE 0xff000000u
#define DFR_MODEL 0xf0000000u /* 0xf flat, 0x0 cluster; bits 27:0 are 1 */
#define DFR_CLUSTER 0x0u

enum { REG_R = 1, REG_W = 2 };

static const uint32_t lvt_writable[VLAPIC_LVT_COUNT] = {
	[VLAPIC_LVT_TIMER] = 0x700ff,	/* vector, mask, mode 18:17 */
	[VLAPIC_LVT_THERMAL] = 0x107ff, /* vector, delivery mode, mask */
	[VLAPIC_LVT_PERF] = 0x107ff,
	[VLAPIC_LVT_LINT0] = 0x1a7ff, /* + polarity, trigger mode */
	[VLAPIC_LVT_LINT1] = 0x1a7ff,
	[VLAPIC_LVT_ERROR] = 0x100ff, /* vector, mask */
};

/* ---- small helpers ------------------------------------------------------ */

bool vlapic_hw_enabled(const struct vlapic *v)
{
	return (v->apic_base & APIC_BASE_EN) != 0;
}

bool vlapic_x2apic_mode(const struct vlapic *v)
{
	return (v->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
	       (APIC_BASE_EN | APIC_BASE_EXTD);
}

bool vlapic_xapic_mmio_active(const struct vlapic *v)
{
	return (v->apic_base & (APIC_BASE_EN | APIC_BASE_EXTD)) ==
	       APIC_BASE_EN;
}

static uint32_t reg_get(const struct vlapic *v, unsigned off)
{
	return vlapic_page_reg(v, off);
}

static void reg_set(struct vlapic *v, unsigned off, uint32_t val)
{
	vlapic_page_set(v, off, val);
}

bool vlapic_sw_enabled(const struct vlapic *v)
{
	return (reg_get(v, APIC_SVR) & APIC_SVR_ENABLE) != 0;
}

uint64_t vlapic_apic_base(const struct vlapic *v)
{
	return v->apic_base;
}

static void notify(struct vlapic *v)
{
	if (v->hooks.notify)
		v->hooks.notify(v->hooks.ctx);
}

/* The 256-bit registers ISR, TMR and IRR: eight 32-bit registers 16
 * bytes apart in the page, vector v in bit v % 32 of the (v / 32)th. */
static unsigned vec_reg(unsigned base, unsigned vec)
{
	return base + 0x10 * (vec / 32);
}

/* Highest set bit of eight words, or -1. */
static int highest_bit(const uint32_t w[8])
{
	for (int i = 7; i >= 0; i--)
		if (w[i])
			return i * 32 + 31 - __builtin_clz(w[i]);
	return -1;
}

int vlapic_highest(const struct vlapic *v, unsigned base)
{
	for (int i = 7; i >= 0; i--) {
		uint32_t r = reg_get(v, base + 0x10 * (unsigned)i);
		if (r)
			return i * 32 + 31 - __builtin_clz(r);
	}
	return -1;
}

static bool test_vec(const struct vlapic *v, unsigned base, unsigned vec)
{
	return (reg_get(v, vec_reg(base, vec)) >> (vec % 32)) & 1;
}

static void set_vec(struct vlapic *v, unsigned base, unsigned vec, bool on)
{
	uint32_t r = reg_get(v, vec_reg(base, vec)), bit = 1u << (vec % 32);
	reg_set(v, vec_reg(base, vec), on ? r | bit : r & ~bit);
}

/* x2APIC logical ID: cluster ID[19:4] in bits 31:16, one bit of 16 below
 * ("Deriving Logical x2APIC ID from the Local x2APIC ID"). */
static uint32_t x2apic_ldr(uint32_t id)
{
	return ((id >> 4) & 0xffff) << 16 | 1u << (id & 15);
}

/* The registers whose format follows the mode: the ID (8 bits in 31:24
 * in xAPIC mode, all 32 in x2APIC mode), the derived x2APIC LDR; and the
 * constant version register. */
void vlapic_mode_registers(struct vlapic *v)
{
	bool x2 = vlapic_x2apic_mode(v);
	reg_set(v, APIC_ID, x2 ? v->id : (v->id & 0xff) << 24);
	reg_set(v, APIC_VERSION,
		APIC_VERSION_ID | APIC_MAX_LVT << 16 |
		(v->eoi_suppression_allowed ? APIC_VERSION_EOI_SUPPRESS : 0));
	if (x2)
		reg_set(v, APIC_LDR, x2apic_ldr(v->id));
}

static uint32_t svr_writable(const struct vlapic *v)
{
	uint32_t m = 0xff | APIC_SVR_ENABLE | APIC_SVR_FOCUS_OFF;
	return v->eoi_suppression_allowed ? m | APIC_SVR_EOI_SUPPRESS : m;
}

/* ---- errors ("Error Handling") ------------------------------------------ */

/* Log an error; a new one raises the LVT error interrupt. An LVT error
 * vector below 16 logs "receive illegal vector" once and stops there. */
static void raise_error(struct vlapic *v, uint32_t bit)
{
	if (v->esr_pending & bit)
		return;
	v->esr_pending |= bit;
	uint32_t lvt = v->lvt[VLAPIC_LVT_ERROR];
	if (!(lvt & APIC_LVT_MASKED))
		vlapic_accept(v, lvt & APIC_LVT_VECTOR, false);
}

/* ---- priorities and acceptance ("Interrupt, Task, and Processor
 * Priority", "Interrupt Acceptance for Fixed Interrupts") --------------- */

uint8_t vlapic_ppr(const struct vlapic *v)
{
	int isrv = vlapic_highest(v, APIC_ISR);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;
	uint32_t tpr = reg_get(v, APIC_TPR) & 0xff;
	if ((tpr & 0xf0) >= isr_class)
		return (uint8_t)tpr;
	return (uint8_t)isr_class;
}

void vlapic_set_tpr(struct vlapic *v, uint8_t tpr)
{
	reg_set(v, APIC_TPR, tpr);
	v->apicv_dirty = true;
}

uint8_t vlapic_get_tpr(const struct vlapic *v)
{
	return (uint8_t)reg_get(v, APIC_TPR);
}

/* Interrupts accepted while the processor owns the page wait here. */
static void post(struct vlapic *v, uint8_t vector, bool level)
{
	uint32_t bit = 1u << (vector % 32);
	v->posted[vector / 32] |= bit;
	if (level)
		v->posted_level[vector / 32] |= bit;
	else
		v->posted_level[vector / 32] &= ~bit;
}

void vlapic_merge_posted(struct vlapic *v)
{
	for (unsigned i = 0; i < 8; i++) {
		uint32_t p = v->posted[i];
		if (!p)
			continue;
		unsigned off = 0x10 * i;
		reg_set(v, APIC_IRR + off, reg_get(v, APIC_IRR + off) | p);
		reg_set(v, APIC_TMR + off, (reg_get(v, APIC_TMR + off) & ~p) |
					   (v->posted_level[i] & p));
		v->posted[i] = v->posted_level[i] = 0;
	}
}

void vlapic_accept(struct vlapic *v, uint8_t vector, bool level_triggered)
{
	if (!vlapic_hw_enabled(v) || !vlapic_sw_enabled(v)) {
		v->dropped++; /* "software disabled": only NMI/INIT/SIPI */
		return;
	}
	if (vector < 16) {
		raise_error(v, APIC_ESR_RECV_ILLEGAL);
		return;
	}
	if (v->apicv) {
		post(v, vector, level_triggered);
	} else {
		set_vec(v, APIC_IRR, vector, true);
		set_vec(v, APIC_TMR, vector, level_triggered);
	}
	v->apicv_dirty = true;
	notify(v);
}

int vlapic_pending(const struct vlapic *v)
{
	if (!vlapic_hw_enabled(v))
		return -1;
	int irrv = vlapic_highest(v, APIC_IRR);
	if (v->apicv) {
		int posted = highest_bit(v->posted);
		irrv = posted > irrv ? posted : irrv;
	}
	if (irrv < 0 || ((unsigned)irrv & 0xf0) <= (vlapic_ppr(v) & 0xf0u))
		return -1;
	return irrv;
}

int vlapic_ack(struct vlapic *v)
{
	vlapic_merge_posted(v);
	int vec = vlapic_pending(v);
	if (vec < 0) /* spurious: no ISR bit */
		return (int)(reg_get(v, APIC_SVR) & 0xff);
	set_vec(v, APIC_IRR, (unsigned)vec, false);
	set_vec(v, APIC_ISR, (unsigned)vec, true);
	v->apicv_dirty = true;
	return vec;
}

/* ---- LINT0 / LINT1 ------------------------------------------------------ */

/* A local interrupt source with this LVT delivery mode fired. */
static void local_event(struct vlapic *v, unsigned dm, uint8_t vector)
{
	switch (dm) {
	case VLAPIC_DM_FIXED:
		vlapic_accept(v, vector, false);
		break;
	case VLAPIC_DM_NMI:
		v->nmi_pending = true;
		notify(v);
		break;
	case VLAPIC_DM_INIT:
		v->init_pending = true;
		notify(v);
		break;
	case VLAPIC_DM_SMI:
		v->smi_ignored++;
		break;
	default: /* ExtINT: the VMM takes the 8259A's vector itself */
		break;
	}
}

/* Level-triggered fixed LINT inputs deliver while asserted and remote IRR
 * is clear; remote IRR holds until the EOI. Others act on rising edges. */
static void lint_eval(struct vlapic *v, unsigned idx, bool rising)
{
	uint32_t lvt = v->lvt[idx];
	bool asserted = v->lint_level[idx - VLAPIC_LVT_LINT0];
	if (!vlapic_hw_enabled(v) || (lvt & APIC_LVT_MASKED))
		return;
	if (LVT_DM(lvt) == VLAPIC_DM_FIXED && (lvt & APIC_LVT_LEVEL)) {
		if (asserted && !(lvt & APIC_LVT_REMOTE_IRR)) {
			vlapic_set_lvt(v, idx, lvt | APIC_LVT_REMOTE_IRR);
			vlapic_accept(v, lvt & APIC_LVT_VECTOR, true);
		}
		return;
	}
	if (rising)
		local_event(v, LVT_DM(lvt), lvt & APIC_LVT_VECTOR);
}

static void lint_input(struct vlapic *v, unsigned idx, bool level)
{
	bool *pin = &v->lint_level[idx - VLAPIC_LVT_LINT0];
	bool rising = level && !*pin;
	*pin = level;
	lint_eval(v, idx, rising);
}

void vlapic_lint0(struct vlapic *v, bool level)
{
	lint_input(v, VLAPIC_LVT_LINT0, level);
}

void vlapic_lint1(struct vlapic *v, bool level)
{
	lint_input(v, VLAPIC_LVT_LINT1, level);
}

bool vlapic_lint0_extint(const struct vlapic *v)
{
	uint32_t lvt = v->lvt[VLAPIC_LVT_LINT0];
	if (!vlapic_hw_enabled(v))
		return true;
	return !(lvt & APIC_LVT_MASKED) && LVT_DM(lvt) == VLAPIC_DM_EXTINT;
}

/* ---- EOI ("Signaling Interrupt Servicing Completion") ------------------ */

void vlapic_eoi_done(struct vlapic *v, unsigned vec)
{
	v->apicv_dirty = true;
	if (!test_vec(v, APIC_TMR, vec))
		return;
	for (unsigned i = VLAPIC_LVT_LINT0; i <= VLAPIC_LVT_LINT1; i++) {
		uint32_t lvt = v->lvt[i];
		if ((lvt & APIC_LVT_REMOTE_IRR) &&
		    (lvt & APIC_LVT_VECTOR) == vec) {
			vlapic_set_lvt(v, i, lvt & ~APIC_LVT_REMOTE_IRR);
			lint_eval(v, i, false); /* still asserted: again */
		}
	}
	if (!(reg_get(v, APIC_SVR) & APIC_SVR_EOI_SUPPRESS) &&
	    v->hooks.eoi_broadcast)
		v->hooks.eoi_broadcast(v->hooks.ctx, (uint8_t)vec);
}

static void eoi(struct vlapic *v)
{
	int vec = vlapic_highest(v, APIC_ISR);
	if (vec < 0)
		return;
	set_vec(v, APIC_ISR, (unsigned)vec, false);
	vlapic_eoi_done(v, (unsigned)vec);
}

/* ---- IPIs ("Issuing Interprocessor Interrupts") ------------------------- */

/* Decode the ICR and hand the message to the VM. The ICR's delivery
 * status always reads 0: delivery is instant. */
static void icr_send(struct vlapic *v)
{
	uint32_t lo = reg_get(v, APIC_ICR_LOW), hi = reg_get(v, APIC_ICR_HIGH);
	struct vlapic_ipi ipi = {
		.vector = lo & ICR_VECTOR,
		.delivery_mode = (uint8_t)LVT_DM(lo),
		.logical = (lo & ICR_LOGICAL) != 0,
		.level = false, /* P4 and later: IPIs are edge, assert */
		.assert = true,
		.shorthand = (uint8_t)(lo >> ICR_SHORTHAND_SHIFT & 3),
		.dest = vlapic_x2apic_mode(v) ? hi : hi >> 24,
	};
	switch (ipi.delivery_mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST:
		if (ipi.vector < 16) {
			raise_error(v, APIC_ESR_SEND_ILLEGAL);
			return;
		}
		break;
	case VLAPIC_DM_NMI:
	case VLAPIC_DM_SIPI:
		break;
	case VLAPIC_DM_INIT:
		if ((lo & ICR_LEVEL) && !(lo & ICR_ASSERT)) {
			v->init_deassert_ignored++; /* as P4 and later */
			return;
		}
		break;
	case VLAPIC_DM_SMI:
		v->smi_ignored++;
		return;
	default: /* 011 and 111 are reserved in the ICR */
		v->bad_ipis++;
		return;
	}
	v->ipis_sent++;
	if (v->hooks.send_ipi)
		v->hooks.send_ipi(v->hooks.ctx, &ipi);
}

static void self_ipi(struct vlapic *v, uint8_t vector)
{
	if (vector < 16)
		raise_error(v, APIC_ESR_SEND_ILLEGAL);
	else
		vlapic_accept(v, vector, false);
}

void vlapic_deliver(struct vlapic *v, const struct vlapic_ipi *ipi)
{
	if (!vlapic_hw_enabled(v))
		return;
	switch (ipi->delivery_mode) {
	case VLAPIC_DM_FIXED:
	case VLAPIC_DM_LOWEST:
		vlapic_accept(v, ipi->vector, ipi->level);
		break;
	case VLAPIC_DM_INIT:
		if (ipi->level && !ipi->assert) {
			v->init_deassert_ignored++;
			break;
		}
		local_event(v, VLAPIC_DM_INIT, 0);
		break;
	case VLAPIC_DM_SIPI:
		v->sipi_pending = true;
		v->sipi_vector = ipi->vector;
		notify(v);
		break;
	case VLAPIC_DM_EXTINT:
		v->extint_pending = true;
		notify(v);
		break;
	case VLAPIC_DM_NMI:
	case VLAPIC_DM_SMI:
		local_event(v, ipi->delivery_mode, 0);
		break;
	default:
		v->bad_ipis++;
		break;
	}
}

static bool take(bool *flag)
{
	bool was = *flag;
	*flag = false;
	return was;
}

bool vlapic_take_nmi(struct vlapic *v)
{
	return take(&v->nmi_pending);
}

bool vlapic_take_init(struct vlapic *v)
{
	return take(&v->init_pending);
}

bool vlapic_take_extint(struct vlapic *v)
{
	return take(&v->extint_pending);
}

bool vlapic_take_sipi(struct vlapic *v, uint8_t *vector)
{
	if (!take(&v->sipi_pending))
		return false;
	*vector = v->sipi_vector;
	return true;
}

/* ---- destinations ("Determining IPI Destination", "x2APIC Logical
 * Destination Mode") ------------------------------------------------------ */

static bool match_logical(const struct vlapic *t, uint32_t dest, bool x2)
{
	if (x2 != vlapic_x2apic_mode(t))
		return false; /* formats differ: only broadcasts cross */
	uint32_t ldr = reg_get(t, APIC_LDR);
	if (x2)
		return (dest >> 16) == (ldr >> 16) && (dest & ldr & 0xffff);
	uint32_t id = ldr >> 24;
	if ((reg_get(t, APIC_DFR) & DFR_MODEL) == DFR_CLUSTER)
		return (dest >> 4) == (id >> 4) && (dest & id & 0xf);
	return (dest & id) != 0; /* flat: one bit per APIC, 8 APICs */
}

bool vlapic_match_dest(const struct vlapic *target,
		       const struct vlapic_ipi *ipi,
		       const struct vlapic *source)
{
	if (!vlapic_hw_enabled(target))
		return false;
	switch (ipi->shorthand) {
	case VLAPIC_SH_SELF:
		return target == source;
	case VLAPIC_SH_ALL:
		return true;
	case VLAPIC_SH_ALL_BUT_SELF:
		return target != source;
	}
	/* the sender's mode sets the format; IOAPIC messages are 8-bit */
	bool x2 = source && vlapic_x2apic_mode(source);
	uint32_t dest = x2 ? ipi->dest : ipi->dest & 0xff;
	if (dest == (x2 ? VLAPIC_X2APIC_BROADCAST : VLAPIC_XAPIC_BROADCAST))
		return true;
	if (ipi->logical)
		return match_logical(target, dest, x2);
	uint32_t id = vlapic_x2apic_mode(target) ? target->id
						 : target->id & 0xff;
	return dest == id;
}

/* ---- registers ---------------------------------------------------------- */

static void lvt_write(struct vlapic *v, unsigned idx, uint32_t val)
{
	val &= lvt_writable[idx];
	if (!vlapic_sw_enabled(v))
		val |= APIC_LVT_MASKED; /* cannot unmask while disabled */
	if (idx == VLAPIC_LVT_LINT0 || idx == VLAPIC_LVT_LINT1) {
		if (val & APIC_LVT_LEVEL)
			val |= v->lvt[idx] & APIC_LVT_REMOTE_IRR;
		vlapic_set_lvt(v, idx, val);
		lint_eval(v, idx, false); /* a level input may fire now */
		return;
	}
	if (idx == VLAPIC_LVT_TIMER)
		vlapic_timer_write_lvt(v, val);
	else
		vlapic_set_lvt(v, idx, val);
}

static void svr_write(struct vlapic *v, uint32_t val)
{
	reg_set(v, APIC_SVR, val & svr_writable(v));
	if (!vlapic_sw_enabled(v))
		for (unsigned i = 0; i < VLAPIC_LVT_COUNT; i++)
			vlapic_set_lvt(v, i, v->lvt[i] | APIC_LVT_MASKED);
}

/* Which registers exist at `off` in this mode, and how. */
static unsigned reg_access(unsigned off, bool x2)
{
	if (off >= APIC_ISR && off < APIC_IRR + 0x80)
		return REG_R; /* ISR, TMR, IRR */
	if (off >= APIC_LVT_TIMER && off <= APIC_LVT_ERROR)
		return REG_R | REG_W;
	switch (off) {
	case APIC_ID:
	case APIC_VERSION:
	case APIC_PPR:
	case APIC_TIMER_CCR:
		return REG_R; /* the xAPIC ID is read-only here too */
	case APIC_TPR:
	case APIC_SVR:
	case APIC_ESR:
	case APIC_ICR_LOW:
	case APIC_TIMER_ICR:
	case APIC_TIMER_DCR:
		return REG_R | REG_W;
	case APIC_EOI:
		return REG_W;
	case APIC_LDR:
		return x2 ? REG_R : REG_R | REG_W;
	case APIC_APR:
	case APIC_RRD:
		return x2 ? 0 : REG_R;
	case APIC_DFR:
	case APIC_ICR_HIGH:
		return x2 ? 0 : REG_R | REG_W;
	case APIC_SELF_IPI:
		return x2 ? REG_W : 0;
	}
	return 0;
}

/* The 32-bit value of a readable register (not the x2APIC ICR): the
 * page's, but for the two the model computes. */
static uint32_t reg_read(const struct vlapic *v, unsigned off)
{
	switch (off) {
	case APIC_PPR:
		return vlapic_ppr(v);
	case APIC_TIMER_CCR:
		return vlapic_timer_current(v, vlapic_now(v));
	case APIC_APR:
	case APIC_RRD:
	case APIC_EOI:
		return 0;
	}
	return reg_get(v, off);
}

/* Write a writable register; bits that do not exist are dropped. */
static void reg_write(struct vlapic *v, unsigned off, uint32_t val)
{
	v->apicv_dirty = true;
	if (off >= APIC_LVT_TIMER && off <= APIC_LVT_ERROR) {
		lvt_write(v, (off - APIC_LVT_TIMER) / 0x10, val);
		return;
	}
	switch (off) {
	case APIC_TPR:
		reg_set(v, APIC_TPR, val & 0xff);
		break;
	case APIC_EOI:
		eoi(v);
		break;
	case APIC_LDR:
		reg_set(v, APIC_LDR, val & LDR_WRITABLE);
		break;
	case APIC_DFR:
		reg_set(v, APIC_DFR, (val & DFR_MODEL) | ~DFR_MODEL);
		break;
	case APIC_SVR:
		svr_write(v, val);
		break;
	case APIC_ESR: /* latch the errors seen since the last write */
		reg_set(v, APIC_ESR, v->esr_pending);
		v->esr_pending = 0;
		break;
	case APIC_ICR_LOW:
		reg_set(v, APIC_ICR_LOW, val & ICR_LOW_WRITABLE);
		icr_send(v);
		break;
	case APIC_ICR_HIGH:
		reg_set(v, APIC_ICR_HIGH, val & ICR_HIGH_WRITABLE);
		break;
	case APIC_TIMER_ICR:
		vlapic_timer_write_icr(v, val);
		break;
	case APIC_TIMER_DCR:
		vlapic_timer_write_dcr(v, val);
		break;
	case APIC_SELF_IPI:
		self_ipi(v, val & 0xff);
		break;
	}
}

/* ---- xAPIC MMIO --------------------------------------------------------- */

void vlapic_mmio_read(void *dev, uint64_t off, unsigned size, uint64_t *value)
{
	struct vlapic *v = dev;
	uint64_t mask = size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
	unsigned reg = (unsigned)off & 0xff0, byte = (unsigned)off & 0xf;
	uint64_t full = 0;

	if (!vlapic_xapic_mmio_active(v)) {
		*value = mask;
		return;
	}
	unsigned acc = reg_access(reg, false);
	if (!acc)
		raise_error(v, APIC_ESR_ILLEGAL_REG);
	else if (acc & REG_R)
		full = reg_read(v, reg);
	*value = byte < 8 ? (full >> (8 * byte)) & mask : 0;
}

int vlapic_mmio_write(void *dev, uint64_t off, unsigned size, uint64_t value)
{
	struct vlapic *v = dev;
	if (!vlapic_xapic_mmio_active(v))
		return 0;
	if (size != 4 || (off & 0xf)) {
		v->odd_mmio_writes++;
		return 0;
	}
	unsigned acc = reg_access((unsigned)off & 0xff0, false);
	if (!acc)
		raise_error(v, APIC_ESR_ILLEGAL_REG);
	else if (acc & REG_W)
		reg_write(v, (unsigned)off & 0xff0, (uint32_t)value);
	return 0;
}

/* ---- x2APIC MSRs ("x2APIC Register Address Space") ---------------------- */

/* Bits a WRMSR may set (others are RsvdZ: #GP). Read-only status bits
 * (delivery status, remote IRR) may be written back as read. */
static uint32_t x2apic_defined_bits(const struct vlapic *v, unsigned off)
{
	if (off >= APIC_LVT_TIMER && off <= APIC_LVT_ERROR) {
		unsigned i = (off - APIC_LVT_TIMER) / 0x10;
		uint32_t ro = APIC_LVT_PENDING;
		if (i == VLAPIC_LVT_LINT0 || i == VLAPIC_LVT_LINT1)
			ro |= APIC_LVT_REMOTE_IRR;
		return lvt_writable[i] | ro;
	}
	switch (off) {
	case APIC_TPR:
	case APIC_SELF_IPI:
		return 0xff;
	case APIC_SVR:
		return svr_writable(v);
	case APIC_TIMER_ICR:
		return 0xffffffffu;
	case APIC_TIMER_DCR:
		return DCR_WRITABLE;
	}
	return 0; /* EOI and ESR: only 0 may be written */
}

static bool x2apic_msr(const struct vlapic *v, uint32_t msr, unsigned *off)
{
	if (!vlapic_x2apic_mode(v) || msr < X2APIC_MSR_FIRST ||
	    msr > X2APIC_MSR_LAST)
		return false;
	*off = (msr - X2APIC_MSR_FIRST) << 4;
	return true;
}

int vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t *value)
{
	unsigned off;
	if (!x2apic_msr(v, msr, &off) || !(reg_access(off, true) & REG_R))
		return VLAPIC_GP;
	*value = off == APIC_ICR_LOW
		? (uint64_t)reg_get(v, APIC_ICR_HIGH) << 32 |
		  reg_get(v, APIC_ICR_LOW)
		: reg_read(v, off);
	return 0;
}

int vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value)
{
	unsigned off;
	if (!x2apic_msr(v, msr, &off) || !(reg_access(off, true) & REG_W))
		return VLAPIC_GP;
	if (off == APIC_ICR_LOW) { /* one 64-bit register, no ICR2 */
		if (value & X2APIC_ICR_RESERVED)
			return VLAPIC_GP;
		v->apicv_dirty = true;
		reg_set(v, APIC_ICR_LOW, (uint32_t)value & ~ICR_PENDING);
		reg_set(v, APIC_ICR_HIGH, (uint32_t)(value >> 32));
		icr_send(v);
		return 0;
	}
	if (value >> 32 || ((uint32_t)value & ~x2apic_defined_bits(v, off)))
		return VLAPIC_GP;
	reg_write(v, off, (uint32_t)value);
	return 0;
}

/* ---- IA32_APIC_BASE ("x2APIC State Transitions") ------------------------ */

/* Every register as at power-up (the page all zeros but for DFR, SVR
 * and the masked LVTs), the ID and mode kept; nothing posted. */
static void reset_registers(struct vlapic *v)
{
	memset(v->page, 0, sizeof(*v->page));
	reg_set(v, APIC_DFR, 0xffffffffu);
	reg_set(v, APIC_SVR, 0xff);
	v->esr_pending = 0;
	memset(v->posted, 0, sizeof(v->posted));
	memset(v->posted_level, 0, sizeof(v->posted_level));
	for (unsigned i = 0; i < VLAPIC_LVT_COUNT; i++)
		vlapic_set_lvt(v, i, APIC_LVT_MASKED);
	vlapic_timer_reset(v);
	vlapic_mode_registers(v);
	v->apicv_dirty = true;
}

int vlapic_set_apic_base(struct vlapic *v, uint64_t value)
{
	const uint64_t mode = APIC_BASE_EN | APIC_BASE_EXTD;
	uint64_t phys_mask = (1ull << v->phys_bits) - 1;
	uint64_t reserved = 0x2ffull | ~phys_mask; /* bits 7:0, 9 */
	if (!v->x2apic_allowed)
		reserved |= APIC_BASE_EXTD;
	uint64_t old = v->apic_base & mode, new = value & mode;

	if (value & reserved)
		return VLAPIC_GP;
	if ((value & phys_mask & ~0xfffull) != VLAPIC_DEFAULT_BASE)
		return VLAPIC_GP; /* relocation: not supported */
	/* the invalid state; x2APIC -> xAPIC; disabled -> x2APIC */
	if (new == APIC_BASE_EXTD || (old == mode && new == APIC_BASE_EN) ||
	    (old == 0 && new == mode))
		return VLAPIC_GP;
	v->apic_base = VLAPIC_DEFAULT_BASE | new | (v->apic_base &
						    APIC_BASE_BSP);
	if (old && !new) /* "prior initialization ... may be lost" */
		reset_registers(v);
	vlapic_mode_registers(v); /* xAPIC -> x2APIC: the ID and LDR formats */
	v->apicv_dirty = true;
	return 0;
}

/* ---- reset -------------------------------------------------------------- */

void vlapic_init(struct vlapic *v, const struct vlapic_config *cfg,
		 const struct dev_clock *clk, const struct vlapic_hooks *hooks)
{
	memset(v, 0, sizeof(*v));
	v->page = cfg->page;
	v->id = cfg->apic_id;
	v->timer_hz = cfg->timer_hz ? cfg->timer_hz : 1;
	v->phys_bits = cfg->phys_bits >= 32 && cfg->phys_bits <= 52 ?
		       cfg->phys_bits : 36;
	v->x2apic_allowed = cfg->x2apic;
	v->eoi_suppression_allowed = cfg->eoi_suppression;
	v->clk = *clk;
	if (hooks)
		v->hooks = *hooks;
	v->apic_base = VLAPIC_DEFAULT_BASE | APIC_BASE_EN |
		       (cfg->bsp ? APIC_BASE_BSP : 0);
	reset_registers(v);
}

void vlapic_reset(struct vlapic *v, bool bsp)
{
	reset_registers(v);
	v->apic_base &= ~APIC_BASE_BSP;
	if (bsp)
		v->apic_base |= APIC_BASE_BSP;
}

void vlapic_virtual_wire(struct vlapic *v)
{
	svr_write(v, reg_get(v, APIC_SVR) | APIC_SVR_ENABLE);
	lvt_write(v, VLAPIC_LVT_LINT0, VLAPIC_DM_EXTINT << APIC_LVT_DM_SHIFT);
	lvt_write(v, VLAPIC_LVT_LINT1, VLAPIC_DM_NMI << APIC_LVT_DM_SHIFT);
}
