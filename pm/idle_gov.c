/*
 * The idle governors (idle_gov.h): next-timer and a menu governor after
 * Linux's drivers/cpuidle/governors/menu.c (correction factor per
 * duration bucket, repeating-interval detection, latency limit), and the
 * per-processor idle statistics. Pure integer code: no hardware, no
 * floating point, no 128-bit arithmetic.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/string.h"
#include "pm/idle_gov.h"

#define NS_PER_US 1000ull
/* Pattern detection: stddev <= 20 us, i.e. variance <= 400 us^2. */
#define TYPICAL_VARIANCE_MAX_NS2 (400ull * NS_PER_US * NS_PER_US)
/* ... or average > 6 x stddev (avg^2 > 36 x variance). */
#define TYPICAL_AVG_STDDEV_RATIO2 36u
/* Outliers above are dropped while more than 6 of 8 samples remain. */
#define TYPICAL_MIN_SAMPLES 6u

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t us_to_ns(uint32_t us)
{
	return (uint64_t)us * NS_PER_US;
}

/* menu's buckets: by the order of magnitude of the time to the timer. */
static uint32_t which_bucket(uint64_t ns)
{
	uint64_t limit = 10 * NS_PER_US;
	uint32_t b = 0;

	while (b < IDLE_BUCKETS - 1 && ns >= limit) {
		b++;
		limit *= 10;
	}
	return b;
}

/* A never-initialized factor (a zeroed per-CPU structure) is unity. */
static uint32_t factor_of(const struct idle_gov_state *g, uint32_t bucket)
{
	uint32_t f = g->correction[bucket];
	return f ? f : IDLE_FACTOR_UNITY;
}

/* ns x factor / unity, rounded to nearest, without overflow: ns is below
 * the horizon and factor at most unity. */
static uint64_t scale(uint64_t ns, uint32_t factor)
{
	return ns / IDLE_FACTOR_UNITY * factor +
	       (ns % IDLE_FACTOR_UNITY * factor + IDLE_FACTOR_UNITY / 2) /
		       IDLE_FACTOR_UNITY;
}

/* Deepest state above 0 within both bounds; 0 if none. Every state is
 * checked (latencies need not grow with depth). */
static uint32_t deepest(const struct cstate_table *t, uint64_t idle_ns,
			uint64_t latency_limit_ns)
{
	uint32_t pick = 0;

	for (uint32_t i = 1; i < t->count && i < CSTATE_MAX; i++) {
		const struct cstate *s = &t->states[i];
		if (us_to_ns(s->target_residency_us) <= idle_ns &&
		    us_to_ns(s->exit_latency_us) <= latency_limit_ns)
			pick = i;
	}
	return pick;
}

uint32_t idle_oracle_state(const struct cstate_table *t, uint64_t idle_ns,
			   uint64_t latency_limit_ns)
{
	if (!t || !t->count)
		return 0;
	return deepest(t, idle_ns, latency_limit_ns);
}

struct interval_summary {
	uint64_t avg, variance, max;
	uint32_t n;
};

/* Average and variance of the intervals <= thresh. Each interval is
 * capped at 1 s, so eight squared deviations stay below 2^63. */
static struct interval_summary summarize(const struct idle_gov_state *g,
					 uint64_t thresh)
{
	struct interval_summary r = { 0, 0, 0, 0 };
	uint64_t sum = 0;

	for (uint32_t i = 0; i < IDLE_INTERVALS; i++) {
		uint64_t v = g->intervals_ns[i];
		if (v > thresh)
			continue;
		sum += v;
		r.n++;
		if (v > r.max)
			r.max = v;
	}
	if (!r.n)
		return r;
	r.avg = sum / r.n;
	for (uint32_t i = 0; i < IDLE_INTERVALS; i++) {
		uint64_t v = g->intervals_ns[i];
		if (v > thresh)
			continue;
		uint64_t d = v > r.avg ? v - r.avg : r.avg - v;
		r.variance += d * d;
	}
	r.variance /= r.n;
	return r;
}

static bool repeats(const struct interval_summary *s)
{
	if (s->variance <= TYPICAL_VARIANCE_MAX_NS2)
		return true;
	if (s->variance > UINT64_MAX / TYPICAL_AVG_STDDEV_RATIO2)
		return false;
	return s->n >= TYPICAL_MIN_SAMPLES &&
	       s->avg * s->avg > s->variance * TYPICAL_AVG_STDDEV_RATIO2;
}

/*
 * menu's repeating-interval detector: the average of the last 8 measured
 * intervals if they repeat, dropping the largest ones (outliers) while
 * more than 6 remain; UINT64_MAX when there is no pattern, fewer than 8
 * intervals were seen, or none is below `predicted` (it could not lower
 * the prediction).
 */
static uint64_t typical_interval(const struct idle_gov_state *g,
				 uint64_t predicted)
{
	uint64_t thresh = UINT64_MAX, min = UINT64_MAX;

	if (g->interval_count < IDLE_INTERVALS)
		return UINT64_MAX;
	for (uint32_t i = 0; i < IDLE_INTERVALS; i++)
		min = min64(min, g->intervals_ns[i]);
	if (min >= predicted)
		return UINT64_MAX;
	for (;;) {
		struct interval_summary s = summarize(g, thresh);
		if (s.n && repeats(&s))
			return s.avg;
		if (s.n <= TYPICAL_MIN_SAMPLES || !s.max)
			return UINT64_MAX;
		thresh = s.max - 1;
	}
}

void idle_gov_init(struct idle_gov_state *g)
{
	memset(g, 0, sizeof(*g));
	for (uint32_t b = 0; b < IDLE_BUCKETS; b++)
		g->correction[b] = IDLE_FACTOR_UNITY;
}

static uint64_t menu_predict(const struct idle_gov_state *g,
			     uint64_t next_timer_ns)
{
	uint32_t bucket = which_bucket(next_timer_ns);
	uint64_t predicted = scale(next_timer_ns, factor_of(g, bucket));
	return min64(predicted, typical_interval(g, predicted));
}

uint32_t idle_select(enum idle_gov_kind kind, struct idle_gov_state *g,
		     const struct cstate_table *t, uint64_t next_timer_ns,
		     uint64_t latency_limit_ns)
{
	uint64_t nt = min64(next_timer_ns, IDLE_HORIZON_NS);
	uint64_t predicted = nt, limit = latency_limit_ns;
	uint32_t state = 0;

	if (kind == IDLE_GOV_MENU) {
		predicted = menu_predict(g, nt);
		/* menu: a state that takes longer to leave than the
		 * expected idle time costs more than it saves. */
		limit = min64(limit, predicted);
	}
	if (t && t->count)
		state = deepest(t, predicted, limit);
	g->table = t;
	g->last.state = state;
	g->last.next_timer_ns = nt;
	g->last.predicted_ns = predicted;
	g->last.latency_limit_ns = latency_limit_ns;
	return state;
}

/* What the governor learns from: the measured time without the exit
 * latency (the wake-up began that much earlier), or half of it when it
 * is so short that the state was probably never reached (menu_update). */
static uint64_t learned_idle(const struct idle_gov_state *g, uint32_t state,
			     uint64_t measured_ns)
{
	const struct cstate_table *t = g->table;
	uint64_t exit_ns = 0;

	if (t && state < t->count && state < CSTATE_MAX)
		exit_ns = us_to_ns(t->states[state].exit_latency_us);
	if (measured_ns > 2 * exit_ns)
		return measured_ns - exit_ns;
	return measured_ns / 2;
}

void idle_reflect(struct idle_gov_state *g, uint32_t state,
		  uint64_t next_timer_ns, uint64_t measured_ns)
{
	uint64_t nt = min64(next_timer_ns, IDLE_HORIZON_NS);
	uint32_t bucket = which_bucket(nt);
	uint64_t m = min64(learned_idle(g, state, measured_ns), nt);
	uint32_t f = factor_of(g, bucket);

	/* Decaying average: f = f x 7/8 + 1024 x measured/expected. */
	f -= f / IDLE_DECAY;
	if (nt && m < IDLE_MAX_INTERESTING_NS)
		f += (uint32_t)(IDLE_RESOLUTION * m / nt);
	else
		f += IDLE_RESOLUTION; /* long enough: a perfect prediction */
	g->correction[bucket] = f ? f : 1;

	g->intervals_ns[g->interval_next] = min64(m, IDLE_INTERVAL_CAP_NS);
	g->interval_next = (g->interval_next + 1) % IDLE_INTERVALS;
	if (g->interval_count < IDLE_INTERVALS)
		g->interval_count++;
}

void idle_account(struct idle_stats *s, const struct cstate_table *t,
		  const struct idle_decision *d, uint64_t measured_ns)
{
	if (!s || !t || !d || d->state >= t->count || d->state >= CSTATE_MAX)
		return;
	uint32_t state = d->state;
	uint32_t right = deepest(t, measured_ns, d->latency_limit_ns);

	s->entries[state]++;
	s->residency_ns[state] += measured_ns;
	s->predicted_sum += d->predicted_ns;
	s->actual_sum += measured_ns;
	s->abs_error_sum += d->predicted_ns > measured_ns
				    ? d->predicted_ns - measured_ns
				    : measured_ns - d->predicted_ns;
	if (state > right)
		s->too_deep++;
	else if (state < right)
		s->too_shallow++;
	s->wrong_state = s->too_deep + s->too_shallow;
}

const char *idle_gov_name(enum idle_gov_kind kind)
{
	switch (kind) {
	case IDLE_GOV_MENU:
		return "menu";
	case IDLE_GOV_NEXT_TIMER:
		return "next-timer";
	}
	return "?";
}

bool idle_gov_parse(const char *name, enum idle_gov_kind *kind)
{
	if (!name || !kind)
		return false;
	if (!strcmp(name, "menu"))
		*kind = IDLE_GOV_MENU;
	else if (!strcmp(name, "next-timer"))
		*kind = IDLE_GOV_NEXT_TIMER;
	else
		return false;
	return true;
}
