/*
 * The local APIC timer of the virtual local APIC (see vlapic.h): the
 * one-shot, periodic and TSC-deadline modes, the divide configuration,
 * the current-count register, and the next-event time the VMM arms a host
 * timer for. Follows the Intel SDM vol. 3A chapter "Advanced Programmable
 * Interrupt Controller (APIC)", sections "APIC Timer" (with "TSC-Deadline
 * Mode") and "Local Vector Table" (the LVT timer register's mode bits).
 * docs/devices-lapic.md walks through the model; vlapic.c holds the rest
 * of the APIC and calls in here through vlapic_internal.h.
 *
 * Time is counted in timer-clock units from dev-clock time timer_t0 (see
 * struct vlapic): exact integer arithmetic, no drift across periods.
 */
#include "vmm/dev/vlapic.h"
#include "vmm/dev/vlapic_internal.h"

/* A periodic timer fires at most every 50 us (timer_hz / 20000 clocks):
 * an ICR of 1 would otherwise ask the VMM for millions of exits per
 * second. Linux asks for 1 ms or more. */
#define MIN_PERIOD_PER_SECOND 20000

static enum vlapic_timer_mode timer_mode(const struct vlapic *v)
{
	uint32_t m = v->lvt[VLAPIC_LVT_TIMER] >> APIC_LVT_TIMER_SHIFT & 3;
	return m == 3 ? VLAPIC_TIMER_ONESHOT : (enum vlapic_timer_mode)m;
}

/* Divide configuration bits 3,1,0: 000 = /2 ... 110 = /128, 111 = /1 */
static uint64_t timer_divisor(const struct vlapic *v)
{
	uint32_t code = (v->timer_dcr & 8) >> 1 | (v->timer_dcr & 3);
	return code == 7 ? 1 : 2ull << code;
}

/* Timer clocks per period (periodic mode), at least the minimum. */
static uint64_t timer_period(const struct vlapic *v)
{
	uint64_t p = v->timer_icr * timer_divisor(v);
	uint64_t min = v->timer_hz / MIN_PERIOD_PER_SECOND;
	return p < min ? min : p;
}

static uint64_t timer_clocks(const struct vlapic *v, uint64_t now)
{
	if (now <= v->timer_t0)
		return 0;
	return dev_clock_muldiv(now - v->timer_t0, v->timer_hz, v->clk.hz);
}

/* First dev-clock tick at which timer_clocks() reaches c. */
static uint64_t timer_clock_tick(const struct vlapic *v, uint64_t c)
{
	uint64_t t = dev_clock_muldiv(c, v->clk.hz, v->timer_hz);
	if ((c % v->timer_hz) * v->clk.hz % v->timer_hz)
		t++;
	return v->timer_t0 + t;
}

/* Start counting `count` from now: the first expiry after count * div
 * clocks, then every period in periodic mode. */
static void timer_start(struct vlapic *v, uint64_t now, uint64_t count)
{
	v->timer_armed = count != 0;
	v->timer_t0 = now;
	v->timer_due = count * timer_divisor(v);
	v->timer_period = timer_mode(v) == VLAPIC_TIMER_PERIODIC ?
			  timer_period(v) : 0;
}

/* Move t0 by whole seconds, which are whole timer clocks too. */
static void timer_rebase(struct vlapic *v, uint64_t now)
{
	if (!v->timer_armed || now <= v->timer_t0)
		return;
	uint64_t m = (now - v->timer_t0) / v->clk.hz;
	uint64_t k = v->timer_due / v->timer_hz;
	if (k < m)
		m = k;
	v->timer_t0 += m * v->clk.hz;
	v->timer_due -= m * v->timer_hz;
}

uint32_t vlapic_timer_current(const struct vlapic *v, uint64_t now)
{
	if (!v->timer_armed || timer_mode(v) == VLAPIC_TIMER_TSC_DEADLINE)
		return 0;
	uint64_t c = timer_clocks(v, now), due = v->timer_due;
	if (c >= due) {
		if (!v->timer_period)
			return 0; /* one-shot: stays at 0 */
		due += ((c - due) / v->timer_period + 1) * v->timer_period;
	}
	uint64_t div = timer_divisor(v);
	uint64_t count = (due - c + div - 1) / div;
	return count > v->timer_icr ? v->timer_icr : (uint32_t)count;
}

static void timer_fire(struct vlapic *v)
{
	uint32_t lvt = v->lvt[VLAPIC_LVT_TIMER];
	v->timer_fired++;
	if (!(lvt & APIC_LVT_MASKED))
		vlapic_accept(v, lvt & APIC_LVT_VECTOR, false);
}

static void timer_update(struct vlapic *v, uint64_t now)
{
	if (timer_mode(v) == VLAPIC_TIMER_TSC_DEADLINE) {
		if (v->tsc_deadline && now >= v->tsc_deadline) {
			v->tsc_deadline = 0; /* the MSR reads 0 once fired */
			timer_fire(v);
		}
		return;
	}
	if (!v->timer_armed)
		return;
	uint64_t c = timer_clocks(v, now);
	if (c >= v->timer_due) {
		uint64_t n = 1;
		if (v->timer_period) {
			n += (c - v->timer_due) / v->timer_period;
			v->timer_due += n * v->timer_period;
		} else {
			v->timer_armed = false;
		}
		v->timer_coalesced += n - 1;
		timer_fire(v);
	}
	timer_rebase(v, now);
}

void vlapic_update(struct vlapic *v, uint64_t now)
{
	timer_update(v, now);
}

uint64_t vlapic_next_event(const struct vlapic *v)
{
	if (v->lvt[VLAPIC_LVT_TIMER] & APIC_LVT_MASKED)
		return DEV_CLOCK_NEVER; /* counts on, raises nothing */
	if (timer_mode(v) == VLAPIC_TIMER_TSC_DEADLINE)
		return v->tsc_deadline ? v->tsc_deadline : DEV_CLOCK_NEVER;
	if (!v->timer_armed)
		return DEV_CLOCK_NEVER;
	return timer_clock_tick(v, v->timer_due);
}

void vlapic_set_tsc_deadline(struct vlapic *v, uint64_t deadline)
{
	if (timer_mode(v) != VLAPIC_TIMER_TSC_DEADLINE)
		return; /* "writes are ignored" in the other modes */
	v->tsc_deadline = deadline;
	timer_update(v, vlapic_now(v)); /* a past deadline fires now */
}

uint64_t vlapic_get_tsc_deadline(const struct vlapic *v)
{
	if (timer_mode(v) != VLAPIC_TIMER_TSC_DEADLINE || !v->tsc_deadline)
		return 0;
	return vlapic_now(v) >= v->tsc_deadline ? 0 : v->tsc_deadline;
}

void vlapic_timer_write_icr(struct vlapic *v, uint32_t val)
{
	uint64_t now = vlapic_now(v);
	if (timer_mode(v) == VLAPIC_TIMER_TSC_DEADLINE)
		return; /* ignored in TSC-deadline mode */
	timer_update(v, now);
	vlapic_set_timer_icr(v, val);
	timer_start(v, now, val); /* 0 stops the timer */
}

/* A new divisor applies from now on to what is left of the count. */
void vlapic_timer_write_dcr(struct vlapic *v, uint32_t val)
{
	uint64_t now = vlapic_now(v);
	timer_update(v, now);
	uint32_t left = vlapic_timer_current(v, now);
	vlapic_set_timer_dcr(v, val & DCR_WRITABLE);
	if (v->timer_armed && timer_mode(v) != VLAPIC_TIMER_TSC_DEADLINE)
		timer_start(v, now, left);
}

/* "A write to the LVT Timer Register that changes the timer mode disarms
 * the local APIC timer" (to or from TSC-deadline); one-shot <-> periodic
 * keeps the current count running with the new reload rule. */
void vlapic_timer_write_lvt(struct vlapic *v, uint32_t val)
{
	uint64_t now = vlapic_now(v);
	timer_update(v, now); /* expiries so far used the old LVT */
	enum vlapic_timer_mode old = timer_mode(v);
	vlapic_set_lvt(v, VLAPIC_LVT_TIMER, val);
	enum vlapic_timer_mode mode = timer_mode(v);
	if ((old == VLAPIC_TIMER_TSC_DEADLINE) !=
	    (mode == VLAPIC_TIMER_TSC_DEADLINE)) {
		v->timer_armed = false;
		vlapic_set_timer_icr(v, 0);
		v->tsc_deadline = 0;
	} else if (v->timer_armed) {
		v->timer_period = mode == VLAPIC_TIMER_PERIODIC ?
				  timer_period(v) : 0;
	}
}

/* The timer's state as at power-up or INIT: stopped, every count 0. */
void vlapic_timer_reset(struct vlapic *v)
{
	vlapic_set_timer_icr(v, 0);
	vlapic_set_timer_dcr(v, 0);
	v->timer_armed = false;
	v->timer_t0 = v->timer_due = v->timer_period = 0;
	v->tsc_deadline = 0;
}
