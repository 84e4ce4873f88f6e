/*
 * Host tests for the virtual local APIC (vmm/dev/vlapic.c), driven through
 * its MMIO and MSR interfaces with a fake dev_clock. Expected values come
 * from the Intel SDM vol. 3A APIC chapter (reset table, priorities, timer,
 * ICR, x2APIC MSR rules and state transitions) and from what Linux 6.1
 * does (arch/x86/kernel/apic/apic.c: setup_local_APIC, lapic_setup_esr,
 * __setup_APIC_LVTT, lapic_next_deadline; smpboot.c: INIT/SIPI/SIPI).
 * Expected timer ticks are computed here with 128-bit arithmetic,
 * independently of the model's.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/vlapic.h"

#define EXACT_HZ 1000000000ull	/* 40 ticks per timer clock */
#define EXACT_TIMER_HZ 25000000ull
#define TSC_HZ 3500000000ull	/* ratio 145.833...: not an integer */
#define CRYSTAL_HZ 24000000ull
#define MSR(off) (X2APIC_MSR_FIRST + ((off) >> 4))

static struct vlapic apic;
static uint64_t now;
static struct vlapic_ipi ipis[16];
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
	ipis[nipis++ % 16] = *ipi; /* the hostile test sends many */
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

/* Register pages, handed out in turn: no test has more than 8 APICs
 * alive at once. Filled with garbage first: init must set every byte. */
static struct vlapic_page pages[16];
static unsigned next_page;

static void make(struct vlapic *v, uint32_t id, bool bsp, uint64_t hz,
		 uint64_t timer_hz, bool eoi_suppression)
{
	struct dev_clock c = { fake_now, &now, hz };
	struct vlapic_page *page = &pages[next_page++ % 16];
	memset(page, 0xa5, sizeof(*page));
	struct vlapic_config cfg = {
		.page = page,
		.apic_id = id, .bsp = bsp, .timer_hz = timer_hz,
		.phys_bits = 39, .x2apic = true,
		.eoi_suppression = eoi_suppression,
	};
	vlapic_init(v, &cfg, &c, &hooks);
}

static int setup(void **state)
{
	now = 1000;
	nipis = neois = notifies = 0;
	make(&apic, 0, true, EXACT_HZ, EXACT_TIMER_HZ, false);
	return 0;
}

static uint32_t rd(unsigned off)
{
	uint64_t v;
	vlapic_mmio_read(&apic, off, 4, &v);
	return (uint32_t)v;
}

static void wr(unsigned off, uint32_t v)
{
	assert_int_equal(vlapic_mmio_write(&apic, off, 4, v), 0);
}

static uint64_t rdmsr(uint32_t msr)
{
	uint64_t v = 0xdead;
	assert_int_equal(vlapic_msr_read(&apic, msr, &v), 0);
	return v;
}

static void wrmsr(uint32_t msr, uint64_t v)
{
	assert_int_equal(vlapic_msr_write(&apic, msr, v), 0);
}

static void enable(void)
{
	wr(APIC_SVR, 0x1ff);
}

/* The 256-bit registers, straight from the page. */
static uint32_t page_word(unsigned base, unsigned i)
{
	return vlapic_page_reg(&apic, base + 0x10 * i);
}

static bool page_bit(unsigned base, unsigned vec)
{
	return (page_word(base, vec / 32) >> (vec % 32)) & 1;
}

static bool irr(unsigned vec)
{
	return page_bit(APIC_IRR, vec);
}

static bool isr(unsigned vec)
{
	return page_bit(APIC_ISR, vec);
}

static void to_x2apic(void)
{
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					      APIC_BASE_EN | APIC_BASE_EXTD |
					      APIC_BASE_BSP), 0);
}

/* ---- reset -------------------------------------------------------------- */

static void check_reset_registers(void)
{
	assert_int_equal(rd(APIC_TPR), 0);
	assert_int_equal(rd(APIC_APR), 0);
	assert_int_equal(rd(APIC_PPR), 0);
	assert_int_equal(rd(APIC_LDR), 0);
	assert_int_equal(rd(APIC_DFR), 0xffffffff);
	assert_int_equal(rd(APIC_SVR), 0xff);
	for (unsigned i = 0; i < 8; i++) {
		assert_int_equal(rd(APIC_ISR + 16 * i), 0);
		assert_int_equal(rd(APIC_TMR + 16 * i), 0);
		assert_int_equal(rd(APIC_IRR + 16 * i), 0);
	}
	assert_int_equal(rd(APIC_ESR), 0);
	assert_int_equal(rd(APIC_ICR_LOW), 0);
	assert_int_equal(rd(APIC_ICR_HIGH), 0);
	for (unsigned off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 16)
		assert_int_equal(rd(off), 0x10000);
	assert_int_equal(rd(APIC_TIMER_ICR), 0);
	assert_int_equal(rd(APIC_TIMER_CCR), 0);
	assert_int_equal(rd(APIC_TIMER_DCR), 0);
}

static void test_power_on_state(void **state)
{
	assert_int_equal(vlapic_apic_base(&apic), 0xfee00900);
	assert_true(vlapic_xapic_mmio_active(&apic));
	assert_false(vlapic_x2apic_mode(&apic));
	assert_false(vlapic_sw_enabled(&apic));
	assert_int_equal(rd(APIC_ID), 0);
	assert_int_equal(rd(APIC_VERSION), 0x00050014);
	check_reset_registers();
	assert_int_equal(vlapic_pending(&apic), -1);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);

	make(&apic, 0x12345, false, EXACT_HZ, EXACT_TIMER_HZ, true);
	assert_int_equal(vlapic_apic_base(&apic), 0xfee00800);
	assert_int_equal(rd(APIC_ID), 0x45000000); /* low 8 bits of x2APIC ID */
	assert_int_equal(rd(APIC_VERSION), 0x01050014);
	wr(APIC_ID, 0x07000000); /* read-only here */
	assert_int_equal(rd(APIC_ID), 0x45000000);
	to_x2apic();
	assert_int_equal(rdmsr(0x802), 0x12345);
}

static void test_init_reset(void **state)
{
	enable();
	wr(APIC_TPR, 0x20);
	wr(APIC_LDR, 0x01000000);
	wr(APIC_DFR, 0x0fffffff);
	wr(APIC_LVT_LINT0, 0x700);
	wr(APIC_TIMER_DCR, 0xb);
	wr(APIC_TIMER_ICR, 1000);
	vlapic_accept(&apic, 0x40, true);
	assert_int_equal(vlapic_ack(&apic), 0x40);
	vlapic_accept(&apic, 0x50, false);
	vlapic_reset(&apic, false);
	check_reset_registers();
	assert_int_equal(vlapic_apic_base(&apic), 0xfee00800);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);

	/* INIT keeps x2APIC mode and the ID; the LDR is derived again */
	make(&apic, 0x21, false, EXACT_HZ, EXACT_TIMER_HZ, false);
	to_x2apic();
	wrmsr(MSR(APIC_TPR), 0x30);
	vlapic_reset(&apic, true);
	assert_true(vlapic_x2apic_mode(&apic));
	assert_int_equal(vlapic_apic_base(&apic), 0xfee00d00);
	assert_int_equal(rdmsr(MSR(APIC_TPR)), 0);
	assert_int_equal(rdmsr(MSR(APIC_ID)), 0x21);
	assert_int_equal(rdmsr(MSR(APIC_LDR)), 0x20002);
	assert_int_equal(rdmsr(MSR(APIC_SVR)), 0xff);

	/* the vCPU's pending events survive: an SIPI can follow an INIT */
	struct vlapic_ipi sipi = { .vector = 0x9a,
				   .delivery_mode = VLAPIC_DM_SIPI };
	vlapic_deliver(&apic, &sipi);
	vlapic_reset(&apic, false);
	uint8_t vec = 0;
	assert_true(vlapic_take_sipi(&apic, &vec));
	assert_int_equal(vec, 0x9a);
}

/* ---- priorities, EOI ---------------------------------------------------- */

static void test_priorities(void **state)
{
	enable();
	vlapic_accept(&apic, 0x31, false);
	vlapic_accept(&apic, 0x45, false);
	vlapic_accept(&apic, 0x80, false);
	assert_int_equal(notifies, 3);
	assert_int_equal(vlapic_pending(&apic), 0x80);
	assert_int_equal(rd(APIC_IRR + 0x40), 1u << 0); /* 0x80 */
	assert_int_equal(rd(APIC_IRR + 0x20), 1u << 5); /* 0x45 */

	wr(APIC_TPR, 0x80); /* class 8 does not beat class 8 */
	assert_int_equal(rd(APIC_PPR), 0x80);
	assert_int_equal(vlapic_pending(&apic), -1);
	assert_int_equal(vlapic_ack(&apic), 0xff); /* spurious, no ISR */
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(page_word(APIC_ISR, i), 0);
	wr(APIC_TPR, 0x7f);
	assert_int_equal(vlapic_pending(&apic), 0x80);
	assert_int_equal(vlapic_ack(&apic), 0x80);
	assert_true(isr(0x80));
	assert_false(irr(0x80));
	assert_int_equal(rd(APIC_PPR), 0x80); /* ISR class beats TPR */

	vlapic_accept(&apic, 0x8f, false); /* same class: waits */
	assert_int_equal(vlapic_pending(&apic), -1);
	vlapic_accept(&apic, 0x90, false);
	assert_int_equal(vlapic_pending(&apic), 0x90);
	wr(APIC_TPR, 0x95); /* TPR above ISR: PPR = TPR */
	assert_int_equal(rd(APIC_PPR), 0x95);
	assert_int_equal(vlapic_pending(&apic), -1);
	vlapic_set_tpr(&apic, 0);
	assert_int_equal(vlapic_get_tpr(&apic), 0);
	assert_int_equal(rd(APIC_PPR), 0x80);
	assert_int_equal(vlapic_ack(&apic), 0x90);
	wr(APIC_EOI, 0); /* the highest in service: 0x90 */
	assert_false(isr(0x90));
	assert_true(isr(0x80));
	assert_int_equal(vlapic_pending(&apic), -1); /* 0x8f vs ISR 0x80 */
	wr(APIC_EOI, 0);
	assert_int_equal(vlapic_pending(&apic), 0x8f);
	assert_int_equal(vlapic_ack(&apic), 0x8f);
	wr(APIC_EOI, 0);
	assert_int_equal(vlapic_ack(&apic), 0x45);
	wr(APIC_EOI, 0);
	assert_int_equal(vlapic_ack(&apic), 0x31);
	wr(APIC_EOI, 0);
	wr(APIC_EOI, 0); /* nothing in service: harmless */
	assert_int_equal(vlapic_ack(&apic), 0xff);
	assert_int_equal(neois, 0);

	/* CR8 is TPR[7:4]: CR8 = 2 masks classes 0-2 */
	vlapic_set_tpr(&apic, 2 << 4);
	vlapic_accept(&apic, 0x2f, false);
	assert_int_equal(vlapic_pending(&apic), -1);
	vlapic_accept(&apic, 0x30, false);
	assert_int_equal(vlapic_pending(&apic), 0x30);
}

static void test_eoi_broadcast(void **state)
{
	enable();
	vlapic_accept(&apic, 0x41, true);  /* level: IOAPIC pin */
	vlapic_accept(&apic, 0x61, false); /* edge */
	assert_int_equal(rd(APIC_TMR + 0x20), 1u << 1);
	assert_int_equal(vlapic_ack(&apic), 0x61);
	assert_int_equal(vlapic_ack(&apic), 0xff); /* 0x41 below PPR 0x60 */
	wr(APIC_EOI, 0);
	assert_int_equal(neois, 0); /* 0x61 was edge */
	assert_int_equal(vlapic_ack(&apic), 0x41);
	wr(APIC_EOI, 0);
	assert_int_equal(neois, 1);
	assert_int_equal(eois[0], 0x41);
	/* an edge accept of the same vector clears its TMR bit */
	vlapic_accept(&apic, 0x41, false);
	assert_int_equal(rd(APIC_TMR + 0x20), 0);

	/* SVR bit 12 is dropped unless suppression is offered */
	wr(APIC_SVR, 0x11ff);
	assert_int_equal(rd(APIC_SVR), 0x1ff);
	make(&apic, 0, true, EXACT_HZ, EXACT_TIMER_HZ, true);
	wr(APIC_SVR, 0x11ff);
	assert_int_equal(rd(APIC_SVR), 0x11ff);
	vlapic_accept(&apic, 0x42, true);
	assert_int_equal(vlapic_ack(&apic), 0x42);
	wr(APIC_EOI, 0);
	assert_int_equal(neois, 1); /* suppressed */
}

static void test_illegal_vectors_and_esr(void **state)
{
	enable();
	for (unsigned v = 0; v < 16; v++)
		vlapic_accept(&apic, (uint8_t)v, false);
	assert_int_equal(page_word(APIC_IRR, 0), 0);
	assert_int_equal(rd(APIC_ESR), 0); /* not latched before a write */
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR), APIC_ESR_RECV_ILLEGAL);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR), 0);

	/* sending: fixed IPI with vector 3 is not sent */
	wr(APIC_ICR_LOW, 0x4003);
	assert_int_equal(nipis, 0);
	/* a reserved register: 0x40 */
	assert_int_equal(rd(0x40), 0);
	wr(0x3a0, 1);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR),
			 APIC_ESR_SEND_ILLEGAL | APIC_ESR_ILLEGAL_REG);

	/* an unmasked LVT error raises its vector for a new error */
	wr(APIC_LVT_ERROR, 0xfe);
	wr(APIC_ESR, 0);
	vlapic_accept(&apic, 7, false);
	assert_true(irr(0xfe));
	assert_int_equal(vlapic_ack(&apic), 0xfe);
	wr(APIC_EOI, 0);
	/* an illegal LVT error vector logs once and stops */
	wr(APIC_LVT_ERROR, 0x05);
	wr(APIC_ESR, 0);
	wr(APIC_ICR_LOW, 0x4001);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR),
			 APIC_ESR_SEND_ILLEGAL | APIC_ESR_RECV_ILLEGAL);
	assert_int_equal(vlapic_pending(&apic), -1);
}

static void test_software_disabled(void **state)
{
	/* power-up: software disabled, LVTs cannot be unmasked */
	wr(APIC_LVT_LINT0, 0x700);
	assert_int_equal(rd(APIC_LVT_LINT0), 0x10700);
	vlapic_accept(&apic, 0x40, false);
	assert_false(irr(0x40));
	assert_int_equal(apic.dropped, 1);
	enable();
	wr(APIC_LVT_LINT0, 0x700);
	wr(APIC_LVT_ERROR, 0xfe);
	assert_int_equal(rd(APIC_LVT_LINT0), 0x700);
	vlapic_accept(&apic, 0x40, false);
	wr(APIC_SVR, 0xff); /* disable: every LVT masked, IRR kept */
	for (unsigned off = APIC_LVT_TIMER; off <= APIC_LVT_ERROR; off += 16)
		assert_true(rd(off) & APIC_LVT_MASKED);
	assert_true(irr(0x40));
	assert_false(vlapic_lint0_extint(&apic));
	/* NMI, INIT and SIPI still arrive */
	struct vlapic_ipi nmi = { .delivery_mode = VLAPIC_DM_NMI };
	vlapic_deliver(&apic, &nmi);
	assert_true(vlapic_take_nmi(&apic));
	assert_false(vlapic_take_nmi(&apic));
}

/* ---- timer -------------------------------------------------------------- */

/* Dev-clock tick at which `clocks` timer clocks after t0 have passed. */
static uint64_t expect_tick(uint64_t t0, uint64_t clocks, uint64_t hz,
			    uint64_t timer_hz)
{
	unsigned __int128 x = (unsigned __int128)clocks * hz;
	return t0 + (uint64_t)((x + timer_hz - 1) / timer_hz);
}

static void test_timer_oneshot_every_divisor(void **state)
{
	static const struct { uint32_t dcr; uint64_t div; } divs[] = {
		{ 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 }, { 0x3, 16 },
		{ 0x8, 32 }, { 0x9, 64 }, { 0xa, 128 }, { 0xb, 1 },
		{ 0xf4, 2 }, /* bit 2 and above bit 3 are not part of it */
	};
	enable();
	for (unsigned i = 0; i < sizeof(divs) / sizeof(divs[0]); i++) {
		wr(APIC_LVT_TIMER, 0x30);
		wr(APIC_TIMER_DCR, divs[i].dcr);
		assert_int_equal(rd(APIC_TIMER_DCR), divs[i].dcr & 0xb);
		uint64_t t0 = now;
		wr(APIC_TIMER_ICR, 1000);
		assert_int_equal(rd(APIC_TIMER_CCR), 1000);
		uint64_t fire = t0 + 1000 * divs[i].div * 40;
		assert_int_equal(vlapic_next_event(&apic), fire);
		now = t0 + 40 * divs[i].div; /* one decrement */
		assert_int_equal(rd(APIC_TIMER_CCR), 999);
		now = t0 + 40 * divs[i].div - 1;
		assert_int_equal(rd(APIC_TIMER_CCR), 1000);
		now = t0 + 500 * divs[i].div * 40;
		assert_int_equal(rd(APIC_TIMER_CCR), 500);
		vlapic_update(&apic, fire - 1);
		assert_false(irr(0x30));
		now = fire - 1;
		assert_int_equal(rd(APIC_TIMER_CCR), 1);
		now = fire;
		vlapic_update(&apic, now);
		assert_true(irr(0x30));
		assert_int_equal(rd(APIC_TIMER_CCR), 0);
		assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
		assert_int_equal(vlapic_ack(&apic), 0x30);
		wr(APIC_EOI, 0);
		now += 12345678;
		vlapic_update(&apic, now); /* one-shot: once */
		assert_false(irr(0x30));
	}
	assert_int_equal(apic.timer_fired, 9);
}

static void test_timer_periodic_no_drift(void **state)
{
	make(&apic, 0, true, TSC_HZ, CRYSTAL_HZ, false);
	enable();
	now = 777;
	wr(APIC_LVT_TIMER, 0x20031); /* periodic, vector 0x31 */
	wr(APIC_TIMER_DCR, 0xb);     /* /1 */
	uint64_t t0 = now, period = 240007; /* ~10 ms at 24 MHz, odd */
	wr(APIC_TIMER_ICR, (uint32_t)period);
	for (uint64_t n = 1; n <= 3000; n++) { /* 30 s: many rebases */
		uint64_t due = expect_tick(t0, n * period, TSC_HZ, CRYSTAL_HZ);
		assert_int_equal(vlapic_next_event(&apic), due);
		vlapic_update(&apic, due - 1);
		assert_false(irr(0x31));
		now = due - 1;
		assert_int_equal(rd(APIC_TIMER_CCR), 1);
		now = due;
		vlapic_update(&apic, due);
		assert_true(irr(0x31));
		assert_int_equal(rd(APIC_TIMER_CCR), period); /* reloaded */
		assert_int_equal(vlapic_ack(&apic), 0x31);
		wr(APIC_EOI, 0);
	}
	assert_int_equal(apic.timer_coalesced, 0);

	/* late: 10 periods at once fire once, 9 coalesced */
	uint64_t due = expect_tick(t0, 3010 * period, TSC_HZ, CRYSTAL_HZ);
	now = due + 5;
	vlapic_update(&apic, now);
	assert_true(irr(0x31));
	assert_int_equal(apic.timer_coalesced, 9);
	assert_int_equal(vlapic_next_event(&apic),
			 expect_tick(t0, 3011 * period, TSC_HZ, CRYSTAL_HZ));
}

static void test_timer_changes(void **state)
{
	enable();
	/* masked: counts on, no event, no interrupt */
	wr(APIC_LVT_TIMER, 0x10040);
	wr(APIC_TIMER_DCR, 0xb);
	uint64_t t0 = now;
	wr(APIC_TIMER_ICR, 100);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	now = t0 + 40 * 30;
	assert_int_equal(rd(APIC_TIMER_CCR), 70);
	now = t0 + 40 * 100;
	vlapic_update(&apic, now);
	assert_false(irr(0x40));
	assert_int_equal(rd(APIC_TIMER_CCR), 0);

	/* ICR 0 stops it */
	wr(APIC_LVT_TIMER, 0x40);
	wr(APIC_TIMER_ICR, 100);
	wr(APIC_TIMER_ICR, 0);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	assert_int_equal(rd(APIC_TIMER_CCR), 0);

	/* the divisor changes mid-count: what is left runs at the new rate */
	t0 = now;
	wr(APIC_TIMER_ICR, 100);
	now = t0 + 40 * 60;
	wr(APIC_TIMER_DCR, 0x3); /* /16 */
	assert_int_equal(rd(APIC_TIMER_CCR), 40);
	assert_int_equal(vlapic_next_event(&apic), now + 40 * 16 * 40);

	/* one-shot -> periodic while running keeps the count */
	wr(APIC_TIMER_DCR, 0xb);
	t0 = now;
	wr(APIC_TIMER_ICR, 2000);
	now = t0 + 40 * 1000;
	wr(APIC_LVT_TIMER, 0x20040);
	assert_int_equal(rd(APIC_TIMER_CCR), 1000);
	vlapic_update(&apic, t0 + 40 * 2000);
	assert_true(irr(0x40));
	assert_int_equal(vlapic_next_event(&apic), t0 + 40 * 4000);
	/* periodic -> one-shot: this period is the last */
	wr(APIC_LVT_TIMER, 0x40);
	vlapic_update(&apic, t0 + 40 * 4000);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	assert_int_equal(apic.timer_fired, 3);

	/* a tiny periodic count is held to 50 us per period */
	wr(APIC_LVT_TIMER, 0x20040);
	t0 = now = 10000000;
	wr(APIC_TIMER_ICR, 1);
	vlapic_update(&apic, t0 + 40);
	assert_int_equal(vlapic_next_event(&apic),
			 t0 + 40 + EXACT_HZ / 20000);
}

static void test_tsc_deadline(void **state)
{
	enable();
	/* not in TSC-deadline mode: the MSR ignores writes, reads 0 */
	vlapic_set_tsc_deadline(&apic, 5000);
	assert_int_equal(vlapic_get_tsc_deadline(&apic), 0);
	wr(APIC_TIMER_DCR, 0xb);
	wr(APIC_TIMER_ICR, 1000); /* armed one-shot ... */
	wr(APIC_LVT_TIMER, 0x400ec); /* ... disarmed by the mode change */
	assert_int_equal(rd(APIC_TIMER_ICR), 0);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	wr(APIC_TIMER_ICR, 1000); /* ignored in this mode */
	assert_int_equal(rd(APIC_TIMER_ICR), 0);
	assert_int_equal(rd(APIC_TIMER_CCR), 0);

	vlapic_set_tsc_deadline(&apic, now + 5000);
	assert_int_equal(vlapic_get_tsc_deadline(&apic), now + 5000);
	assert_int_equal(vlapic_next_event(&apic), now + 5000);
	vlapic_update(&apic, now + 4999);
	assert_false(irr(0xec));
	now += 5000;
	vlapic_update(&apic, now);
	assert_true(irr(0xec));
	assert_int_equal(vlapic_get_tsc_deadline(&apic), 0);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	assert_int_equal(vlapic_ack(&apic), 0xec);
	wr(APIC_EOI, 0);

	/* disarm with 0 */
	vlapic_set_tsc_deadline(&apic, now + 100);
	vlapic_set_tsc_deadline(&apic, 0);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
	vlapic_update(&apic, now + 1000);
	assert_false(irr(0xec));

	/* a deadline in the past fires at once */
	now += 1000;
	vlapic_set_tsc_deadline(&apic, now - 1);
	assert_true(irr(0xec));
	assert_int_equal(vlapic_get_tsc_deadline(&apic), 0);

	/* leaving TSC-deadline mode disarms */
	vlapic_set_tsc_deadline(&apic, now + 100);
	wr(APIC_LVT_TIMER, 0xec);
	assert_int_equal(vlapic_get_tsc_deadline(&apic), 0);
	wr(APIC_LVT_TIMER, 0x400ec);
	assert_int_equal(vlapic_next_event(&apic), DEV_CLOCK_NEVER);
}

/* ---- x2APIC ------------------------------------------------------------- */

static void test_x2apic_msrs(void **state)
{
	uint64_t v;
	make(&apic, 0x12345, true, EXACT_HZ, EXACT_TIMER_HZ, false);
	/* in xAPIC mode every x2APIC MSR faults */
	assert_int_equal(vlapic_msr_read(&apic, 0x802, &v), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x808, 0), VLAPIC_GP);
	to_x2apic();
	assert_false(vlapic_xapic_mmio_active(&apic));
	vlapic_mmio_read(&apic, APIC_ID, 4, &v);
	assert_int_equal(v, 0xffffffff);
	vlapic_mmio_write(&apic, APIC_TPR, 4, 0x50);

	assert_int_equal(rdmsr(0x802), 0x12345);
	assert_int_equal(rdmsr(0x803), 0x00050014);
	assert_int_equal(rdmsr(0x808), 0);
	assert_int_equal(rdmsr(0x80d), 0x12340020);
	assert_int_equal(rdmsr(0x80f), 0xff);
	wrmsr(0x80f, 0x1ff);
	wrmsr(0x808, 0x20);
	assert_int_equal(rdmsr(0x80a), 0x20);

	static const uint32_t absent[] = {
		0x800, 0x801, 0x804, 0x809 /* APR */, 0x80c /* RRD */,
		0x80e /* DFR */, 0x82f /* CMCI */, 0x831 /* ICR2 */,
		0x83a, 0x83d, 0x840, 0x8ff,
	};
	for (unsigned i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_int_equal(vlapic_msr_read(&apic, absent[i], &v),
				 VLAPIC_GP);
		assert_int_equal(vlapic_msr_write(&apic, absent[i], 0),
				 VLAPIC_GP);
	}
	static const uint32_t read_only[] = {
		0x802, 0x803, 0x80a, 0x80d, 0x810, 0x817, 0x818, 0x820,
		0x827, 0x839,
	};
	for (unsigned i = 0; i < sizeof(read_only) / sizeof(read_only[0]);
	     i++)
		assert_int_equal(vlapic_msr_write(&apic, read_only[i], 0),
				 VLAPIC_GP);
	assert_int_equal(vlapic_msr_read(&apic, 0x80b, &v), VLAPIC_GP);
	assert_int_equal(vlapic_msr_read(&apic, 0x83f, &v), VLAPIC_GP);
	assert_int_equal(vlapic_msr_read(&apic, 0x1b, &v), VLAPIC_GP);

	/* reserved bits are RsvdZ: nonzero writes fault */
	assert_int_equal(vlapic_msr_write(&apic, 0x808, 0x100), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x808, 1ull << 32),
			 VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x80b, 1), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x828, 1), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x80f, 0x11ff), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x832, 0x80000), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x835, 0x20000), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x83e, 0x4), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x83f, 0x140), VLAPIC_GP);
	assert_int_equal(vlapic_msr_write(&apic, 0x830, 1ull << 13),
			 VLAPIC_GP);
	assert_int_equal(nipis, 0);
	assert_int_equal(rdmsr(0x808), 0x20);

	/* SELF IPI: a fixed edge interrupt to this APIC */
	wrmsr(0x83f, 0x40);
	assert_true(irr(0x40));
	wrmsr(0x83f, 0x05);
	wrmsr(0x828, 0);
	assert_int_equal(rdmsr(0x828), APIC_ESR_SEND_ILLEGAL);
	assert_int_equal(vlapic_ack(&apic), 0x40);
	assert_int_equal(rdmsr(0x810 + 0x40 / 32), 1);
	wrmsr(0x80b, 0);
	assert_int_equal(rdmsr(0x810 + 0x40 / 32), 0);

	/* the 64-bit ICR: destination in bits 63:32 */
	wrmsr(0x830, 0x0000abcd000040f1ull);
	assert_int_equal(nipis, 1);
	assert_int_equal(ipis[0].dest, 0xabcd);
	assert_int_equal(ipis[0].vector, 0xf1);
	assert_false(ipis[0].logical);
	assert_int_equal(rdmsr(0x830), 0x0000abcd000040f1ull);
	wrmsr(0x830, 0xffffffff00000cf2ull); /* logical broadcast, NMI? no */
	assert_int_equal(ipis[1].dest, 0xffffffff);
	assert_true(ipis[1].logical);
	assert_int_equal(ipis[1].delivery_mode, VLAPIC_DM_NMI);

	/* LDR derivation for other IDs */
	static const struct { uint32_t id, ldr; } ldrs[] = {
		{ 0, 0x1 }, { 1, 0x2 }, { 15, 0x8000 }, { 16, 0x10001 },
		{ 0x23, 0x20008 }, { 0xfffff, 0xffff8000 },
	};
	for (unsigned i = 0; i < sizeof(ldrs) / sizeof(ldrs[0]); i++) {
		make(&apic, ldrs[i].id, false, EXACT_HZ, EXACT_TIMER_HZ,
		     false);
		to_x2apic();
		assert_int_equal(rdmsr(0x80d), ldrs[i].ldr);
	}
}

static void test_apic_base_transitions(void **state)
{
	const uint64_t base = VLAPIC_DEFAULT_BASE | APIC_BASE_BSP;
	const uint64_t off = base, xapic = base | APIC_BASE_EN,
		       x2 = xapic | APIC_BASE_EXTD;
	static const struct { int from, to, ok; } table[] = {
		/* 0 disabled, 1 xAPIC, 2 x2APIC, 3 invalid */
		{ 1, 2, 1 }, { 1, 0, 1 }, { 1, 1, 1 }, { 1, 3, 0 },
		{ 2, 0, 1 }, { 2, 1, 0 }, { 2, 2, 1 }, { 2, 3, 0 },
		{ 0, 1, 1 }, { 0, 2, 0 }, { 0, 0, 1 }, { 0, 3, 0 },
	};
	const uint64_t states[] = { off, xapic, x2, base | APIC_BASE_EXTD };
	for (unsigned i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		make(&apic, 3, true, EXACT_HZ, EXACT_TIMER_HZ, false);
		if (table[i].from == 2)
			to_x2apic();
		if (table[i].from == 0)
			assert_int_equal(vlapic_set_apic_base(&apic, off), 0);
		uint64_t before = vlapic_apic_base(&apic);
		int rc = vlapic_set_apic_base(&apic, states[table[i].to]);
		assert_int_equal(rc, table[i].ok ? 0 : VLAPIC_GP);
		assert_int_equal(vlapic_apic_base(&apic),
				 table[i].ok ? states[table[i].to] : before);
	}

	make(&apic, 3, true, EXACT_HZ, EXACT_TIMER_HZ, false);
	/* reserved bits, MAXPHYADDR, relocation */
	assert_int_equal(vlapic_set_apic_base(&apic, xapic | 1), VLAPIC_GP);
	assert_int_equal(vlapic_set_apic_base(&apic, xapic | 0x200),
			 VLAPIC_GP);
	assert_int_equal(vlapic_set_apic_base(&apic, xapic | 1ull << 39),
			 VLAPIC_GP);
	assert_int_equal(vlapic_set_apic_base(&apic, 0xfed00900 |
					      APIC_BASE_EN), VLAPIC_GP);
	/* BSP is not the guest's to change */
	assert_int_equal(vlapic_set_apic_base(&apic, VLAPIC_DEFAULT_BASE |
					      APIC_BASE_EN), 0);
	assert_int_equal(vlapic_apic_base(&apic), xapic);

	/* no x2APIC in CPUID: EXTD is reserved */
	struct dev_clock c = { fake_now, &now, EXACT_HZ };
	struct vlapic_config cfg = { .page = &pages[15], .apic_id = 1,
				     .timer_hz = 1000, .phys_bits = 46 };
	vlapic_init(&apic, &cfg, &c, NULL);
	assert_int_equal(vlapic_set_apic_base(&apic, x2 & ~APIC_BASE_BSP),
			 VLAPIC_GP);
	assert_int_equal(vlapic_set_apic_base(&apic, xapic | 1ull << 46),
			 VLAPIC_GP);

	/* disabling loses the state; a disabled APIC takes nothing */
	make(&apic, 3, true, EXACT_HZ, EXACT_TIMER_HZ, false);
	enable();
	wr(APIC_TPR, 0x40);
	wr(APIC_LVT_LINT0, 0x700);
	vlapic_accept(&apic, 0x80, false);
	assert_int_equal(vlapic_set_apic_base(&apic, off), 0);
	assert_false(vlapic_hw_enabled(&apic));
	assert_false(vlapic_xapic_mmio_active(&apic));
	assert_true(vlapic_lint0_extint(&apic)); /* LINT0 is plain INTR */
	assert_int_equal(vlapic_pending(&apic), -1);
	struct vlapic_ipi all = { .vector = 0x50,
				  .shorthand = VLAPIC_SH_ALL };
	assert_false(vlapic_match_dest(&apic, &all, NULL));
	vlapic_deliver(&apic, &all);
	assert_int_equal(vlapic_set_apic_base(&apic, xapic), 0);
	check_reset_registers();
	assert_int_equal(rd(APIC_ID), 3u << 24);
}

/* ---- IPIs --------------------------------------------------------------- */

static void test_icr_decoding(void **state)
{
	static const struct {
		uint32_t low, high;
		bool sent;
		struct vlapic_ipi ipi;
	} cases[] = {
		/* Linux: fixed physical to APIC 1 (send_IPI_mask) */
		{ 0x000040fd, 0x01000000, true,
		  { 0xfd, VLAPIC_DM_FIXED, false, false, true, 0, 1 } },
		/* logical flat, trigger/level bits ignored (P4+) */
		{ 0x000088fb, 0x03000000, true,
		  { 0xfb, VLAPIC_DM_FIXED, true, false, true, 0, 3 } },
		{ 0x000441fc, 0, true, /* lowest priority, self */
		  { 0xfc, VLAPIC_DM_LOWEST, false, false, true, 1, 0 } },
		{ 0x000844f2, 0, true, /* NMI to all */
		  { 0xf2, VLAPIC_DM_NMI, false, false, true, 2, 0 } },
		{ 0x000c40fe, 0, true, /* fixed to all but self */
		  { 0xfe, VLAPIC_DM_FIXED, false, false, true, 3, 0 } },
		/* Linux wakeup_secondary_cpu_via_init: INIT assert ... */
		{ 0x0000c500, 0x02000000, true,
		  { 0, VLAPIC_DM_INIT, false, false, true, 0, 2 } },
		/* ... INIT level de-assert: ignored */
		{ 0x00008500, 0x02000000, false, { 0 } },
		/* STARTUP with vector 0x9a (trampoline at 0x9a000) */
		{ 0x0000069a, 0x02000000, true,
		  { 0x9a, VLAPIC_DM_SIPI, false, false, true, 0, 2 } },
		{ 0x00000200, 0x02000000, false, { 0 } }, /* SMI */
		{ 0x00000340, 0x02000000, false, { 0 } }, /* reserved 011 */
		{ 0x00000740, 0x02000000, false, { 0 } }, /* reserved 111 */
	};
	enable();
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nipis = 0;
		wr(APIC_ICR_HIGH, cases[i].high);
		wr(APIC_ICR_LOW, cases[i].low);
		assert_int_equal(rd(APIC_ICR_LOW) & (1u << 12), 0);
		assert_int_equal(rd(APIC_ICR_HIGH), cases[i].high);
		assert_int_equal(nipis, cases[i].sent ? 1 : 0);
		if (!cases[i].sent)
			continue;
		const struct vlapic_ipi *e = &cases[i].ipi;
		assert_int_equal(ipis[0].vector, e->vector);
		assert_int_equal(ipis[0].delivery_mode, e->delivery_mode);
		assert_int_equal(ipis[0].logical, e->logical);
		assert_int_equal(ipis[0].level, e->level);
		assert_int_equal(ipis[0].assert, e->assert);
		assert_int_equal(ipis[0].shorthand, e->shorthand);
		assert_int_equal(ipis[0].dest, e->dest);
	}
	assert_int_equal(apic.init_deassert_ignored, 1);
	assert_int_equal(apic.smi_ignored, 1);
	assert_int_equal(apic.bad_ipis, 2);
	assert_int_equal(apic.ipis_sent, 7);
	/* writing ICR high alone sends nothing; read-only bits stay 0 */
	nipis = 0;
	wr(APIC_ICR_HIGH, 0xffffffff);
	assert_int_equal(rd(APIC_ICR_HIGH), 0xff000000);
	assert_int_equal(nipis, 0);
	wr(APIC_ICR_LOW, 0xfffff0ff & ~0x700u);
	assert_int_equal(rd(APIC_ICR_LOW), 0x000cc0ff);
}

static void test_match_dest(void **state)
{
	static struct vlapic a[4], x[3];
	/* xAPIC: IDs 0-3; flat LDRs 1, 2, 4, 8; cluster variant below */
	for (unsigned i = 0; i < 4; i++) {
		make(&a[i], i, i == 0, EXACT_HZ, EXACT_TIMER_HZ, false);
		assert_int_equal(vlapic_mmio_write(&a[i], APIC_LDR, 4,
						   (1u << i) << 24), 0);
	}
	/* x2APIC: IDs 0x10, 0x11, 0x20 */
	static const uint32_t xid[3] = { 0x10, 0x11, 0x20 };
	for (unsigned i = 0; i < 3; i++) {
		make(&x[i], xid[i], false, EXACT_HZ, EXACT_TIMER_HZ, false);
		vlapic_set_apic_base(&x[i], VLAPIC_DEFAULT_BASE |
				     APIC_BASE_EN | APIC_BASE_EXTD);
	}
	struct vlapic_ipi p = { .vector = 0x40 };
	/* physical */
	p.dest = 2;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vlapic_match_dest(&a[i], &p, &a[0]), i == 2);
	p.dest = 0xff;
	for (unsigned i = 0; i < 4; i++)
		assert_true(vlapic_match_dest(&a[i], &p, &a[0]));
	p.dest = 0x102; /* an xAPIC sender's destination is 8 bits */
	assert_true(vlapic_match_dest(&a[2], &p, &a[0]));
	/* logical flat: a bit mask */
	p.logical = true;
	p.dest = 0x06;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vlapic_match_dest(&a[i], &p, &a[0]),
				 i == 1 || i == 2);
	p.dest = 0;
	for (unsigned i = 0; i < 4; i++)
		assert_false(vlapic_match_dest(&a[i], &p, &a[0]));
	/* logical cluster: cluster 1 members 0 and 2 */
	static const uint32_t cl[4] = { 0x11, 0x12, 0x14, 0x21 };
	for (unsigned i = 0; i < 4; i++) {
		vlapic_mmio_write(&a[i], APIC_DFR, 4, 0x0fffffff);
		vlapic_mmio_write(&a[i], APIC_LDR, 4, cl[i] << 24);
	}
	p.dest = 0x15;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vlapic_match_dest(&a[i], &p, &a[0]),
				 i == 0 || i == 2);
	p.dest = 0x21;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vlapic_match_dest(&a[i], &p, &a[0]), i == 3);
	p.dest = 0xff;
	for (unsigned i = 0; i < 4; i++)
		assert_true(vlapic_match_dest(&a[i], &p, &a[0]));

	/* x2APIC physical and cluster */
	p.logical = false;
	p.dest = 0x11;
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vlapic_match_dest(&x[i], &p, &x[0]), i == 1);
	p.dest = 0xff; /* not a broadcast in x2APIC format */
	for (unsigned i = 0; i < 3; i++)
		assert_false(vlapic_match_dest(&x[i], &p, &x[0]));
	p.dest = 0xffffffff;
	for (unsigned i = 0; i < 3; i++)
		assert_true(vlapic_match_dest(&x[i], &p, &x[0]));
	p.logical = true;
	p.dest = 0x10003; /* cluster 1, members 0 and 1 */
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vlapic_match_dest(&x[i], &p, &x[0]), i < 2);
	p.dest = 0x20001;
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(vlapic_match_dest(&x[i], &p, &x[0]), i == 2);
	p.dest = 0x30001;
	for (unsigned i = 0; i < 3; i++)
		assert_false(vlapic_match_dest(&x[i], &p, &x[0]));
	/* IOAPIC messages (no sender): 8-bit, 0xff broadcast */
	p.logical = false;
	p.dest = 0x20;
	assert_true(vlapic_match_dest(&x[2], &p, NULL));
	p.dest = 0xff;
	assert_true(vlapic_match_dest(&x[1], &p, NULL));
	p.dest = 1;
	assert_true(vlapic_match_dest(&a[1], &p, NULL));
	assert_false(vlapic_match_dest(&a[0], &p, NULL));

	/* shorthands ignore the destination */
	p.dest = 0x3;
	p.shorthand = VLAPIC_SH_SELF;
	assert_true(vlapic_match_dest(&a[1], &p, &a[1]));
	assert_false(vlapic_match_dest(&a[3], &p, &a[1]));
	assert_false(vlapic_match_dest(&a[1], &p, NULL));
	p.shorthand = VLAPIC_SH_ALL;
	for (unsigned i = 0; i < 4; i++)
		assert_true(vlapic_match_dest(&a[i], &p, &a[1]));
	p.shorthand = VLAPIC_SH_ALL_BUT_SELF;
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(vlapic_match_dest(&a[i], &p, &a[1]), i != 1);
}

static void test_deliver_flags(void **state)
{
	enable();
	uint8_t vec;
	struct vlapic_ipi m = { .delivery_mode = VLAPIC_DM_INIT,
				.assert = true };
	assert_false(vlapic_take_init(&apic));
	vlapic_deliver(&apic, &m);
	assert_true(vlapic_take_init(&apic));
	assert_false(vlapic_take_init(&apic));
	m.level = true;
	m.assert = false; /* de-assert */
	vlapic_deliver(&apic, &m);
	assert_false(vlapic_take_init(&apic));
	m = (struct vlapic_ipi){ .delivery_mode = VLAPIC_DM_SIPI,
				 .vector = 0x10 };
	vlapic_deliver(&apic, &m);
	assert_true(vlapic_take_sipi(&apic, &vec));
	assert_int_equal(vec, 0x10);
	assert_false(vlapic_take_sipi(&apic, &vec));
	m.delivery_mode = VLAPIC_DM_NMI;
	vlapic_deliver(&apic, &m);
	assert_true(vlapic_take_nmi(&apic));
	m.delivery_mode = VLAPIC_DM_SMI;
	vlapic_deliver(&apic, &m);
	assert_int_equal(apic.smi_ignored, 1);
	m.delivery_mode = VLAPIC_DM_EXTINT;
	vlapic_deliver(&apic, &m);
	assert_true(vlapic_take_extint(&apic));
	/* fixed and lowest priority are accepted, level sets TMR */
	m = (struct vlapic_ipi){ .delivery_mode = VLAPIC_DM_LOWEST,
				 .vector = 0x33, .level = true };
	vlapic_deliver(&apic, &m);
	assert_true(irr(0x33));
	assert_int_equal(rd(APIC_TMR + 0x10), 1u << (0x33 - 32));
	assert_int_equal(notifies, 5);
}

static void test_lint_pins(void **state)
{
	/* virtual wire: ExtINT on LINT0 sends the VMM to the PIC */
	assert_false(vlapic_lint0_extint(&apic));
	vlapic_virtual_wire(&apic);
	assert_true(vlapic_lint0_extint(&apic));
	assert_int_equal(rd(APIC_LVT_LINT0), 0x700);
	assert_int_equal(rd(APIC_LVT_LINT1), 0x400);
	vlapic_lint0(&apic, true); /* ExtINT: nothing in the APIC */
	vlapic_lint0(&apic, false);
	assert_int_equal(vlapic_pending(&apic), -1);
	/* LINT1 NMI on rising edges only */
	vlapic_lint1(&apic, true);
	assert_true(vlapic_take_nmi(&apic));
	vlapic_lint1(&apic, true);
	assert_false(vlapic_take_nmi(&apic));
	vlapic_lint1(&apic, false);
	vlapic_lint1(&apic, true);
	assert_true(vlapic_take_nmi(&apic));
	wr(APIC_LVT_LINT0, 0x10700);
	assert_false(vlapic_lint0_extint(&apic));

	/* LINT0 fixed, level-triggered: remote IRR until the EOI */
	vlapic_lint0(&apic, false);
	wr(APIC_LVT_LINT0, 0x8055);
	vlapic_lint0(&apic, true);
	assert_true(irr(0x55));
	assert_true(rd(APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	assert_int_equal(vlapic_ack(&apic), 0x55);
	vlapic_lint0(&apic, true);
	assert_false(irr(0x55));
	wr(APIC_EOI, 0); /* still asserted: delivered again */
	assert_int_equal(neois, 1);
	assert_true(irr(0x55));
	assert_int_equal(vlapic_ack(&apic), 0x55);
	vlapic_lint0(&apic, false);
	wr(APIC_EOI, 0);
	assert_false(rd(APIC_LVT_LINT0) & APIC_LVT_REMOTE_IRR);
	assert_false(irr(0x55));
	/* edge fixed on LINT0 */
	wr(APIC_LVT_LINT0, 0x56);
	vlapic_lint0(&apic, true);
	assert_true(irr(0x56));
	/* masked: nothing */
	wr(APIC_LVT_LINT1, 0x10400);
	vlapic_lint1(&apic, false);
	vlapic_lint1(&apic, true);
	assert_false(vlapic_take_nmi(&apic));
}

/* ---- Linux ------------------------------------------------------------- */

/* setup_local_APIC + lapic_setup_esr + the TSC-deadline clockevent on the
 * BSP (xAPIC, flat logical mode, 6.1), as register accesses. */
static void test_linux_setup_local_apic(void **state)
{
	assert_int_equal((rd(APIC_VERSION) >> 16) & 0xff, APIC_MAX_LVT);
	/* init_apic_ldr (flat) */
	wr(APIC_DFR, 0xffffffff);
	wr(APIC_LDR, (rd(APIC_LDR) & ~0xff000000u) | 1u << 24);
	/* TPR: accept all but vectors 0-31 */
	wr(APIC_TPR, (rd(APIC_TPR) & ~0xffu) | 0x10);
	/* apic_pending_intr_clear: nothing in service */
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(rd(APIC_ISR + 16 * i), 0);
	/* SVR: enabled, focus off, spurious vector 0xff */
	wr(APIC_SVR, (rd(APIC_SVR) & ~0xffu) | 0x100 | 0x200 | 0xff);
	/* LINT0: masked at reset -> ExtINT masked on the BSP; LINT1 NMI */
	uint32_t v = rd(APIC_LVT_LINT0) & APIC_LVT_MASKED;
	wr(APIC_LVT_LINT0, v ? 0x10700 : 0x700);
	wr(APIC_LVT_LINT1, 0x400);
	/* lapic_setup_esr */
	wr(APIC_ESR, 0);
	uint32_t old = rd(APIC_ESR);
	wr(APIC_LVT_ERROR, 0xfe);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR), old);
	assert_int_equal(old, 0);
	/* end_local_APIC_setup: timer masked until the clockevent */
	wr(APIC_LVT_TIMER, rd(APIC_LVT_TIMER) | 0x10000 | 0xec);

	assert_int_equal(rd(APIC_PPR), 0x10);
	assert_int_equal(rd(APIC_LDR), 0x01000000);
	assert_int_equal(rd(APIC_SVR), 0x3ff);
	assert_int_equal(rd(APIC_LVT_LINT0), 0x10700);
	assert_false(vlapic_lint0_extint(&apic));
	assert_int_equal(vlapic_pending(&apic), -1);

	/* lapic_timer_set_oneshot + lapic_next_deadline */
	wr(APIC_LVT_TIMER, 0x400ec);
	vlapic_set_tsc_deadline(&apic, now + 3500000);
	assert_int_equal(vlapic_next_event(&apic), now + 3500000);
	vlapic_update(&apic, now + 3500000);
	assert_int_equal(vlapic_ack(&apic), 0xec);
	wr(APIC_EOI, 0);

	/* without TSC-deadline: /16, one-shot */
	wr(APIC_TIMER_DCR, 0x3);
	wr(APIC_LVT_TIMER, 0xec);
	wr(APIC_TIMER_ICR, 15625); /* 10 ms at 25 MHz / 16 */
	assert_int_equal(vlapic_next_event(&apic), now + 10000000);

	/* an IPI to CPU 1 (flat logical bit 1) and an error-free log */
	wr(APIC_ICR_HIGH, 2u << 24);
	wr(APIC_ICR_LOW, 0x8fd);
	assert_int_equal(nipis, 1);
	assert_true(ipis[0].logical);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR), 0);
	assert_false(irr(0xfe));
}

/* x2apic_setup + the same init through MSRs; INIT/SIPI via the ICR. */
static void test_linux_x2apic(void **state)
{
	make(&apic, 1, false, EXACT_HZ, EXACT_TIMER_HZ, false);
	to_x2apic();
	assert_int_equal(rdmsr(0x80d), 2); /* x2apic_cluster reads LDR */
	wrmsr(0x808, 0x10);
	wrmsr(0x80f, 0x3ff);
	wrmsr(0x835, 0x10700);
	wrmsr(0x836, 0x10400);
	wrmsr(0x828, 0);
	wrmsr(0x837, 0xfe);
	wrmsr(0x828, 0);
	assert_int_equal(rdmsr(0x828), 0);
	/* INIT, then STARTUP to x2APIC ID 2 */
	wrmsr(0x830, 0x200004500ull);
	wrmsr(0x830, 0x20000069aull);
	assert_int_equal(nipis, 2);
	assert_int_equal(ipis[0].delivery_mode, VLAPIC_DM_INIT);
	assert_int_equal(ipis[1].delivery_mode, VLAPIC_DM_SIPI);
	assert_int_equal(ipis[1].dest, 2);
	/* a TLB shootdown IPI to all but self */
	wrmsr(0x830, 0xc00fd);
	assert_int_equal(ipis[2].shorthand, VLAPIC_SH_ALL_BUT_SELF);
}

/* ---- access sizes and hostile input -------------------------------------- */

static void test_mmio_sizes(void **state)
{
	uint64_t v;
	make(&apic, 0x5a, true, EXACT_HZ, EXACT_TIMER_HZ, false);
	vlapic_mmio_read(&apic, APIC_ID + 3, 1, &v);
	assert_int_equal(v, 0x5a);
	vlapic_mmio_read(&apic, APIC_VERSION, 2, &v);
	assert_int_equal(v, 0x0014);
	vlapic_mmio_read(&apic, APIC_VERSION + 2, 2, &v);
	assert_int_equal(v, 0x0005);
	vlapic_mmio_read(&apic, APIC_SVR, 8, &v);
	assert_int_equal(v, 0xff);
	vlapic_mmio_read(&apic, APIC_SVR + 4, 4, &v);
	assert_int_equal(v, 0);
	vlapic_mmio_read(&apic, APIC_SVR + 12, 4, &v);
	assert_int_equal(v, 0);
	/* only aligned 32-bit stores act */
	assert_int_equal(vlapic_mmio_write(&apic, APIC_SVR, 1, 0x1ff), 0);
	assert_int_equal(vlapic_mmio_write(&apic, APIC_SVR, 8, 0x1ff), 0);
	assert_int_equal(vlapic_mmio_write(&apic, APIC_SVR + 4, 4, 0x1ff),
			 0);
	assert_int_equal(vlapic_mmio_write(&apic, APIC_SVR + 1, 2, 1), 0);
	assert_int_equal(rd(APIC_SVR), 0xff);
	assert_int_equal(apic.odd_mmio_writes, 4);
	/* the EOI register reads 0, the page beyond 0x3f0 is reserved */
	assert_int_equal(rd(APIC_EOI), 0);
	assert_int_equal(rd(0xff0), 0);
	wr(APIC_ESR, 0);
	assert_int_equal(rd(APIC_ESR), APIC_ESR_ILLEGAL_REG);
}

/* A guest writing anything anywhere: no crash (ASan/UBSan), no vector
 * below 16 ever pending or in service, at most one timer per update. */
static void test_hostile_writes(void **state)
{
	srand(5);
	for (unsigned round = 0; round < 4; round++) {
		make(&apic, (uint32_t)round, round == 0, TSC_HZ, CRYSTAL_HZ,
		     round & 1);
		if (round >= 2)
			to_x2apic();
		for (unsigned i = 0; i < 20000; i++) {
			uint32_t val = (uint32_t)rand() ^
				       (uint32_t)rand() << 16;
			if (i % 3 == 0)
				val &= 0x1ffff;
			unsigned off = (unsigned)(rand() % 0x1000);
			now += (uint64_t)(rand() % 5000);
			if (round < 2)
				vlapic_mmio_write(&apic, off & ~15u, 4, val);
			else
				vlapic_msr_write(&apic, 0x800 +
						 (uint32_t)(rand() % 0x100),
						 val);
			if (i % 7 == 0)
				vlapic_set_tsc_deadline(&apic, now +
						(uint64_t)(rand() % 10000));
			if (i % 5 == 0) {
				vlapic_update(&apic, now);
				int vec = vlapic_ack(&apic);
				assert_true(vec >= 0 && vec < 256);
			}
			assert_int_equal(page_word(APIC_IRR, 0) & 0xffff, 0);
			assert_int_equal(page_word(APIC_ISR, 0) & 0xffff, 0);
			uint64_t next = vlapic_next_event(&apic);
			if (next != DEV_CLOCK_NEVER && next < now)
				vlapic_update(&apic, now);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_power_on_state, setup),
		cmocka_unit_test_setup(test_init_reset, setup),
		cmocka_unit_test_setup(test_priorities, setup),
		cmocka_unit_test_setup(test_eoi_broadcast, setup),
		cmocka_unit_test_setup(test_illegal_vectors_and_esr, setup),
		cmocka_unit_test_setup(test_software_disabled, setup),
		cmocka_unit_test_setup(test_timer_oneshot_every_divisor, setup),
		cmocka_unit_test_setup(test_timer_periodic_no_drift, setup),
		cmocka_unit_test_setup(test_timer_changes, setup),
		cmocka_unit_test_setup(test_tsc_deadline, setup),
		cmocka_unit_test_setup(test_x2apic_msrs, setup),
		cmocka_unit_test_setup(test_apic_base_transitions, setup),
		cmocka_unit_test_setup(test_icr_decoding, setup),
		cmocka_unit_test_setup(test_match_dest, setup),
		cmocka_unit_test_setup(test_deliver_flags, setup),
		cmocka_unit_test_setup(test_lint_pins, setup),
		cmocka_unit_test_setup(test_linux_setup_local_apic, setup),
		cmocka_unit_test_setup(test_linux_x2apic, setup),
		cmocka_unit_test_setup(test_mmio_sizes, setup),
		cmocka_unit_test_setup(test_hostile_writes, setup),
	};
	return cmocka_run_group_tests_name("vlapic", tests, NULL, NULL);
}
