/*
 * Device time. Every timed device model (PIT, RTC, UART baud pacing) reads
 * one clock: the host TSC in Volt, so all devices of a VM and the guest's
 * own RDTSC agree; a fake clock in host tests. Devices never wait: they
 * compute their state at `now` when the guest accesses them, and report
 * their next event's time so the VMM can arm a timer for it.
 */
#ifndef VOLT_VMM_DEV_DEV_CLOCK_H
#define VOLT_VMM_DEV_DEV_CLOCK_H

#include <stdint.h>

#define DEV_CLOCK_NEVER UINT64_MAX /* "no event pending" */

struct dev_clock {
	uint64_t (*now)(void *ctx); /* ticks, monotonic */
	void *ctx;
	uint64_t hz;                /* ticks per second, > 0 */
};

static inline uint64_t dev_clock_now(const struct dev_clock *c)
{
	return c->now(c->ctx);
}

/* a * b / d without a 128-bit division (which would need libgcc in
 * Volt): exact while (d - 1) * b fits in 64 bits, true for every clock
 * here (d and b below 2^32). */
static inline uint64_t dev_clock_muldiv(uint64_t a, uint64_t b, uint64_t d)
{
	return (a / d) * b + ((a % d) * b) / d;
}

/* ticks -> whole units of a `unit_hz` clock (e.g. the PIT's 1193182 Hz) */
static inline uint64_t dev_clock_ticks_to(const struct dev_clock *c,
					  uint64_t ticks, uint64_t unit_hz)
{
	return dev_clock_muldiv(ticks, unit_hz, c->hz);
}

/* units of a `unit_hz` clock -> ticks (rounded down) */
static inline uint64_t dev_clock_ticks_from(const struct dev_clock *c,
					    uint64_t units, uint64_t unit_hz)
{
	return dev_clock_muldiv(units, c->hz, unit_hz);
}

#endif
