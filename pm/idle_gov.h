/*
 * Idle governors: which C-state (pm/cstate.h) an idle processor enters,
 * and how well that choice matched the idle time that followed.
 *
 *   next-timer: the deepest state whose target residency fits before the
 *     next timer event and whose exit latency is within the limit. It
 *     trusts the timer, so interrupts that end idle early make it sleep
 *     too deep.
 *   menu: Linux's cpuidle menu governor (drivers/cpuidle/governors/
 *     menu.c, read, not copied): predicted idle = time to the next timer
 *     x a correction factor learned per duration bucket (<10us, <100us,
 *     <1ms, <10ms, <100ms, >=100ms; a decaying average of measured /
 *     expected, DECAY 8, unity = 1024 x 8); if the last 8 measured idle
 *     intervals repeat (standard deviation <= 20 us, or average > 6 x
 *     standard deviation over at least 6 of them), their average when it
 *     is lower; if not, the largest values (all equal to the maximum at
 *     once) are dropped and the test repeated while more than 6 were
 *     used. The exit latency may not exceed the limit nor the
 *     prediction; then the deepest state whose target residency <=
 *     predicted. Left out: menu's I/O-wait buckets and performance
 *     multiplier (Volt has no I/O waiters) and its tick handling.
 *
 * Per processor, no locks: the idle path of that processor owns its
 * idle_gov_state and idle_stats. Times in ns. Pure C: no hardware.
 */
#ifndef VOLT_PM_IDLE_GOV_H
#define VOLT_PM_IDLE_GOV_H

#include <stdbool.h>
#include <stdint.h>
#include "pm/cstate.h"

enum idle_gov_kind {
	IDLE_GOV_MENU,
	IDLE_GOV_NEXT_TIMER,
};

/* Default latency limit: a woken guest waits at most 200 us for its
 * processor to leave the state (keeps C6 on Skylake client and server,
 * Ice Lake server; excludes C9/C10). UINT64_MAX: no limit. */
#define IDLE_LATENCY_LIMIT_DEFAULT_NS 200000ull
/* Timers further away than this count as this far (no timer at all:
 * UINT64_MAX). Keeps every product below 2^64. */
#define IDLE_HORIZON_NS 4000000000ull

#define IDLE_BUCKETS 6
#define IDLE_INTERVALS 8
#define IDLE_RESOLUTION 1024u
#define IDLE_DECAY 8u
#define IDLE_FACTOR_UNITY (IDLE_RESOLUTION * IDLE_DECAY)
/* An idle interval this long is a perfect prediction (menu's
 * MAX_INTERESTING, 50 ms). */
#define IDLE_MAX_INTERESTING_NS 50000000ull
/* Intervals kept for pattern detection are capped (1 s) so that eight
 * squared deviations fit in 64 bits. */
#define IDLE_INTERVAL_CAP_NS 1000000000ull

/* One decision, kept for idle_reflect and idle_account. */
struct idle_decision {
	uint32_t state;
	uint64_t next_timer_ns;    /* as given, capped at the horizon */
	uint64_t predicted_ns;     /* the governor's expected idle time */
	uint64_t latency_limit_ns; /* as given */
};

struct idle_gov_state {
	/* menu: per bucket, measured/expected x IDLE_FACTOR_UNITY
	 * (decaying sum of 8 ratios x 1024); starts at unity. */
	uint32_t correction[IDLE_BUCKETS];
	uint64_t intervals_ns[IDLE_INTERVALS]; /* last measured, ring */
	uint32_t interval_next;                /* next slot to write */
	uint32_t interval_count;               /* valid slots, <= 8 */
	const struct cstate_table *table;      /* of the last select */
	struct idle_decision last;
};

/* Every processor's statistics. */
struct idle_stats {
	uint64_t residency_ns[CSTATE_MAX]; /* measured idle, per state */
	uint64_t entries[CSTATE_MAX];      /* times entered, per state */
	uint64_t predicted_sum;            /* sum of predicted_ns */
	uint64_t actual_sum;               /* sum of measured idle ns */
	uint64_t abs_error_sum;            /* sum |predicted - measured| */
	/*
	 * wrong_state: the chosen state differed from the one an oracle
	 * knowing the measured idle time d would choose under the same
	 * latency limit L: the deepest state with target residency <= d
	 * and exit latency <= L (state 0 if none). Chosen deeper than that
	 * counts in too_deep (it did not stay long enough to pay for
	 * itself), shallower in too_shallow (a deeper allowed state would
	 * have paid). wrong_state = too_deep +
	 * too_shallow.
	 */
	uint64_t wrong_state, too_deep, too_shallow;
};

void idle_gov_init(struct idle_gov_state *g);

/*
 * The state to enter now (an index into t; 0 when t has no state), with
 * next_timer_ns until the next timer event on this processor and a
 * latency limit. Never returns a state above 0 whose exit latency
 * exceeds latency_limit_ns; state 0 is the floor (the shallowest way to
 * idle) even when the limit is below its latency. Records the decision in
 * g->last.
 */
uint32_t idle_select(enum idle_gov_kind kind, struct idle_gov_state *g,
		     const struct cstate_table *t, uint64_t next_timer_ns,
		     uint64_t latency_limit_ns);

/*
 * After waking: `state` was entered with next_timer_ns to the timer and
 * the processor stayed measured_ns (entry to wake-up, exit latency
 * included). Teaches menu's correction factor and interval history
 * (whatever governor chose the state).
 */
void idle_reflect(struct idle_gov_state *g, uint32_t state,
		  uint64_t next_timer_ns, uint64_t measured_ns);

/* Count one idle period of measured_ns in state d->state (a state out
 * of t's range is ignored). */
void idle_account(struct idle_stats *s, const struct cstate_table *t,
		  const struct idle_decision *d, uint64_t measured_ns);

/* The oracle of idle_stats.wrong_state. */
uint32_t idle_oracle_state(const struct cstate_table *t, uint64_t idle_ns,
			   uint64_t latency_limit_ns);

/* "menu", "next-timer" ("?" otherwise); idle_gov_parse accepts exactly
 * these names (for the config's `pm idle=`). */
const char *idle_gov_name(enum idle_gov_kind kind);
bool idle_gov_parse(const char *name, enum idle_gov_kind *kind);

#endif
