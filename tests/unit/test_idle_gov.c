/*
 * Host tests for the idle governors (pm/idle_gov.c) on idle-duration
 * traces, the accuracy counters, and the C-state report
 * (pm/idle_report.c). Tables come from pm/cstate_table.c: Skylake client
 * (intel_idle's skl numbers), Bochs's skylake_x and tigerlake, HLT.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pm/cstate.h"
#include "pm/idle_gov.h"
#include "pm/idle_report.h"

#define US 1000ull
#define MS 1000000ull

/* C1 2/2, C1E 10/20, C3 70/100, C6 85/200, C7s 124/800, C8 200/800,
 * C9 480/5000, C10 890/5000 (exit latency / target residency, us). */
enum { C1, C1E, C3, C6, C7S, C8, C9, C10 };
static const uint32_t skl_leaf5[4] = { 0x40, 0x40, 0x3, 0x11142120 };
static const uint32_t bochs_skx_leaf5[4] = { 0x40, 0x40, 0x3, 0x2020 };
static const uint32_t bochs_tgl_leaf5[4] = { 0x40, 0x40, 0x3, 0x11121020 };

static struct cstate_table skl;

static int setup(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true,
					    CSTATE_NO_LIMIT, &skl), 8);
	return 0;
}

/* One idle period: select, "sleep" measured_ns, reflect, account. */
static uint32_t idle_once(enum idle_gov_kind kind, struct idle_gov_state *g,
			  struct idle_stats *s, const struct cstate_table *t,
			  uint64_t next_timer, uint64_t limit,
			  uint64_t measured)
{
	uint32_t st = idle_select(kind, g, t, next_timer, limit);
	idle_reflect(g, st, next_timer, measured);
	idle_account(s, t, &g->last, measured);
	return st;
}

static void test_next_timer_picks_deepest_that_fits(void **state)
{
	struct idle_gov_state g;
	idle_gov_init(&g);
	const uint64_t none = UINT64_MAX;
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 1 * US,
				     none), C1);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 19 * US,
				     none), C1);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 20 * US,
				     none), C1E);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 150 * US,
				     none), C3);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     none), C10);
	assert_int_equal(g.last.predicted_ns, 10 * MS);
	/* The limit: C8 (200 us) is allowed at 200 us, C7s at 124 us... */
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     200 * US), C8);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     199 * US), C7S);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     100 * US), C6);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     1 * US), C1);
	assert_int_equal(g.last.latency_limit_ns, 1 * US);
}

/*
 * The brief's trace: the next timer is 10 ms away, but an interrupt wakes
 * the processor every 300 us. next-timer sleeps in C8 every time (its
 * 800 us residency is never reached: too deep); menu learns after the
 * 8-interval pattern window fills and settles on C6, the state an oracle
 * picks for 300 us under the 200 us limit.
 */
static void test_menu_learns_periodic_interrupts(void **state)
{
	struct idle_gov_state menu, nt;
	struct idle_stats sm, sn;
	const uint64_t limit = IDLE_LATENCY_LIMIT_DEFAULT_NS;

	idle_gov_init(&menu);
	idle_gov_init(&nt);
	memset(&sm, 0, sizeof(sm));
	memset(&sn, 0, sizeof(sn));
	assert_int_equal(idle_oracle_state(&skl, 300 * US, limit), C6);
	for (int i = 0; i < 200; i++) {
		uint32_t a = idle_once(IDLE_GOV_MENU, &menu, &sm, &skl,
				       10 * MS, limit, 300 * US);
		uint32_t b = idle_once(IDLE_GOV_NEXT_TIMER, &nt, &sn, &skl,
				       10 * MS, limit, 300 * US);
		assert_int_equal(b, C8);
		if (i < 8)
			assert_int_equal(a, C8); /* nothing learned yet */
		else /* never again a state that cannot pay off in 300 us */
			assert_true(skl.states[a].target_residency_us <= 300);
		if (i >= 16)
			assert_int_equal(a, C6);
	}
	assert_int_equal(sn.too_deep, 200);
	assert_int_equal(sn.wrong_state, 200);
	assert_int_equal(sn.too_shallow, 0);
	assert_true(sm.wrong_state <= 16);
	assert_int_equal(sm.too_deep, 8);
	assert_int_equal(sm.entries[C6], 200 - sm.wrong_state);
	/* The learned factor of the 10 ms bucket approaches 300/10000 (as
	 * learned: 300 us less C6's exit latency, 215 us => 0.0215). */
	assert_true(menu.correction[4] < IDLE_FACTOR_UNITY / 20);
	assert_true(menu.correction[4] > IDLE_FACTOR_UNITY / 100);
	/* next-timer's idea of the idle time is 33x off; menu's close. */
	assert_int_equal(sn.predicted_sum, 200 * 10 * MS);
	assert_true(sm.abs_error_sum / 200 < 1 * MS);
	assert_int_equal(sm.actual_sum, 200 * 300 * US);
}

/*
 * A jittery version (300 us +- 30 us). The history is bimodal for a while
 * (the periods spent in C8 were learned halved: under twice its exit
 * latency), so the pattern comes and goes before the factor has decayed
 * enough; after that menu stays at C6 (C3 when the average of the
 * window dips under C6's 200 us residency). next-timer is too deep every
 * time.
 */
static void test_menu_pattern_with_jitter(void **state)
{
	struct idle_gov_state g, n;
	struct idle_stats s, sn;
	uint32_t seed = 7;

	idle_gov_init(&g);
	idle_gov_init(&n);
	memset(&s, 0, sizeof(s));
	memset(&sn, 0, sizeof(sn));
	for (int i = 0; i < 100; i++) {
		seed = seed * 1103515245u + 12345u;
		uint64_t m = 270 * US + (seed >> 8) % (60 * US);
		uint32_t a = idle_once(IDLE_GOV_MENU, &g, &s, &skl, 10 * MS,
				       IDLE_LATENCY_LIMIT_DEFAULT_NS, m);
		idle_once(IDLE_GOV_NEXT_TIMER, &n, &sn, &skl, 10 * MS,
			  IDLE_LATENCY_LIMIT_DEFAULT_NS, m);
		if (i >= 30) /* C6, or C3 when the average dips < 200 us */
			assert_true(a == C6 || a == C3);
	}
	assert_true(s.too_deep <= 20);
	assert_true(s.wrong_state <= 30);
	assert_int_equal(sn.too_deep, 100);
}

/* Woken by the timer itself: the prediction stays the timer and both
 * governors agree with the oracle. */
static void test_timer_bound_idle_keeps_deep_state(void **state)
{
	struct idle_gov_state menu, nt;
	struct idle_stats sm, sn;

	idle_gov_init(&menu);
	idle_gov_init(&nt);
	memset(&sm, 0, sizeof(sm));
	memset(&sn, 0, sizeof(sn));
	for (int i = 0; i < 50; i++) {
		assert_int_equal(idle_once(IDLE_GOV_MENU, &menu, &sm, &skl,
					   10 * MS, 200 * US, 10 * MS), C8);
		assert_int_equal(idle_once(IDLE_GOV_NEXT_TIMER, &nt, &sn, &skl,
					   10 * MS, 200 * US, 10 * MS), C8);
	}
	/* Measured == expected less the exit latency: factor ~0.98. */
	assert_true(menu.correction[4] > IDLE_FACTOR_UNITY * 97 / 100);
	assert_int_equal(sm.wrong_state, 0);
	assert_int_equal(sn.wrong_state, 0);
	assert_int_equal(sm.residency_ns[C8], 50 * 10 * MS);
}

/* Whatever the trace, table or limit: a state above 0 never has an exit
 * latency above the limit, nor (menu) above the prediction, and its
 * target residency fits the prediction. */
static void test_latency_limit_never_exceeded(void **state)
{
	struct cstate_table tables[4];
	cstate_table_build(6, 0x5e, skl_leaf5, true, CSTATE_NO_LIMIT,
			   &tables[0]);
	cstate_table_build(6, 0x3c, skl_leaf5, true, CSTATE_NO_LIMIT,
			   &tables[1]); /* hsw: C10 at 2.6 ms */
	cstate_table_build(6, 0x55, bochs_skx_leaf5, true, CSTATE_NO_LIMIT,
			   &tables[2]);
	cstate_table_build(6, 0x8c, bochs_tgl_leaf5, true, CSTATE_NO_LIMIT,
			   &tables[3]); /* generic: C10 at 10 ms */
	static const uint64_t limits[] = { 0, 1 * US, 50 * US, 133 * US,
					   200 * US, 2600 * US, 9 * MS,
					   UINT64_MAX };
	uint32_t seed = 1;
	uint64_t checked = 0;

	for (int kind = 0; kind < 2; kind++) {
		for (int ti = 0; ti < 4; ti++) {
			const struct cstate_table *t = &tables[ti];
			struct idle_gov_state g;
			idle_gov_init(&g);
			for (int i = 0; i < 20000; i++) {
				seed = seed * 1103515245u + 12345u;
				/* 1 us .. ~1 s, log-uniform-ish */
				uint64_t nt = (uint64_t)1000
					      << ((seed >> 4) % 21);
				nt += (seed >> 8) % nt;
				uint64_t limit = limits[(seed >> 16) % 8];
				seed = seed * 1103515245u + 12345u;
				uint64_t m = (seed >> 2) % 4 ? nt :
					     (seed >> 8) % (nt + 1);
				uint32_t st = idle_select(
					(enum idle_gov_kind)kind, &g, t, nt,
					limit);
				assert_true(st < t->count);
				const struct cstate *c = &t->states[st];
				uint64_t pred = g.last.predicted_ns;
				assert_true(pred <= nt);
				if (st) {
					assert_true(c->exit_latency_us * US <=
						    limit);
					assert_true(c->target_residency_us *
							    US <= pred);
					if (kind == IDLE_GOV_MENU)
						assert_true(c->exit_latency_us *
							    US <= pred);
					checked++;
				}
				idle_reflect(&g, st, nt, m);
				for (int b = 0; b < IDLE_BUCKETS; b++)
					assert_true(g.correction[b] > 0 &&
						    g.correction[b] <=
							    IDLE_FACTOR_UNITY);
			}
		}
	}
	assert_true(checked > 50000); /* the deep cases were exercised */
}

/* menu never picks a state slower to leave than the predicted idle, even
 * when its residency fits (a Bay Trail-like C6N: exit 300 us, residency
 * 275 us); next-timer only looks at the residency and the limit. */
static void test_menu_exit_latency_within_prediction(void **state)
{
	struct cstate_table t;
	struct idle_gov_state g;

	memset(&t, 0, sizeof(t));
	t.count = 2;
	t.states[0] = (struct cstate){ "C1", 0x00, 1, 1, 1000 };
	t.states[1] = (struct cstate){ "C6N", 0x58, 300, 275, 100 };
	idle_gov_init(&g);
	assert_int_equal(idle_select(IDLE_GOV_MENU, &g, &t, 280 * US,
				     UINT64_MAX), 0);
	assert_int_equal(idle_select(IDLE_GOV_MENU, &g, &t, 300 * US,
				     UINT64_MAX), 1);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &t, 280 * US,
				     UINT64_MAX), 1);
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &t, 280 * US,
				     299 * US), 0);
}

/* Each bucket learns alone: training the 10 ms bucket leaves the 500 us
 * bucket at unity. */
static void test_buckets_are_independent(void **state)
{
	struct idle_gov_state g;
	idle_gov_init(&g);
	for (int i = 0; i < 80; i++) {
		idle_select(IDLE_GOV_MENU, &g, &skl, 10 * MS, UINT64_MAX);
		/* a tenth, once C1's 2 us exit latency is taken off */
		idle_reflect(&g, C1, 10 * MS, 1 * MS + 2 * US);
	}
	/* Steady state of f = f*7/8 + 1024 x ratio: 8192 x ratio. */
	assert_in_range(g.correction[4], 8192 / 10 - 30, 8192 / 10 + 30);
	for (int b = 0; b < IDLE_BUCKETS; b++)
		if (b != 4)
			assert_int_equal(g.correction[b], IDLE_FACTOR_UNITY);
	/* A 500 us timer: bucket 2 (<1 ms), still unity; the pattern (all
	 * intervals 1 ms) is not below 500 us so it does not apply. */
	idle_select(IDLE_GOV_MENU, &g, &skl, 500 * US, UINT64_MAX);
	assert_int_equal(g.last.predicted_ns, 500 * US);
	/* The 10 ms timer again: 10 ms x ~0.1, or the 1 ms pattern if
	 * lower. */
	idle_select(IDLE_GOV_MENU, &g, &skl, 10 * MS, UINT64_MAX);
	assert_in_range(g.last.predicted_ns, 990 * US, 1 * MS);
	/* Bucket edges: <10us, <100us, <1ms, <10ms, <100ms, >=100ms. */
	static const uint64_t edge[] = { 9999, 10 * US, 100 * US, 1 * MS,
					 10 * MS, 100 * MS };
	static const int bucket[] = { 0, 1, 2, 3, 4, 5 };
	for (int i = 0; i < 6; i++) {
		idle_gov_init(&g);
		idle_reflect(&g, C1, edge[i], 0);
		for (int b = 0; b < IDLE_BUCKETS; b++) {
			uint32_t want = b == bucket[i]
						? IDLE_FACTOR_UNITY * 7 / 8
						: IDLE_FACTOR_UNITY;
			assert_int_equal(g.correction[b], want);
		}
	}
}

/* The factor never exceeds unity (measured is clamped to the timer) and
 * a long idle counts as a perfect prediction. */
static void test_factor_bounds(void **state)
{
	struct idle_gov_state g;
	idle_gov_init(&g);
	for (int i = 0; i < 20; i++)
		idle_reflect(&g, C1, 10 * MS, 1000 * MS);
	assert_int_equal(g.correction[4], IDLE_FACTOR_UNITY);
	for (int i = 0; i < 20; i++)
		idle_reflect(&g, C1, 10 * MS, 0);
	assert_true(g.correction[4] > 0 && g.correction[4] < 1000);
	/* >= 50 ms idle in the >=100 ms bucket: +1024 whatever the ratio. */
	idle_gov_init(&g);
	g.correction[5] = 1000;
	idle_reflect(&g, C1, 1000 * MS, 60 * MS);
	assert_int_equal(g.correction[5], 1000 - 125 + 1024);
	/* A zeroed (never initialized) state behaves as initialized. */
	struct idle_gov_state z, i0;
	memset(&z, 0, sizeof(z));
	idle_gov_init(&i0);
	assert_int_equal(idle_select(IDLE_GOV_MENU, &z, &skl, 10 * MS,
				     UINT64_MAX),
			 idle_select(IDLE_GOV_MENU, &i0, &skl, 10 * MS,
				     UINT64_MAX));
	idle_reflect(&z, C1, 10 * MS, 5 * MS + 2 * US); /* learns 5 ms */
	assert_int_equal(z.correction[4], IDLE_FACTOR_UNITY * 7 / 8 + 512);
}

static void feed(struct idle_gov_state *g, const uint64_t *us, int n)
{
	for (int i = 0; i < n; i++)
		idle_reflect(g, C1, 10 * MS, us[i] * US);
}

static uint64_t menu_prediction(struct idle_gov_state *g)
{
	idle_select(IDLE_GOV_MENU, g, &skl, 10 * MS, UINT64_MAX);
	return g->last.predicted_ns;
}

/* The repeating-interval detector: outliers above are dropped down to
 * 6 of 8 samples; widely spread intervals are not a pattern. */
static void test_pattern_detection(void **state)
{
	struct idle_gov_state g;

	/* Seven at 300 us and one 5 ms outlier: 300 us. */
	idle_gov_init(&g);
	const uint64_t one_outlier[8] = { 300, 300, 300, 5000, 300, 300, 300,
					  300 };
	feed(&g, one_outlier, 8);
	assert_int_equal(menu_prediction(&g), 300 * US);

	/* Half 100 us, half 5 ms: as Linux, every value equal to the
	 * maximum is dropped at once, and the four left at 100 us repeat:
	 * the short mode wins. */
	idle_gov_init(&g);
	const uint64_t bimodal[8] = { 100, 5000, 100, 5000, 100, 5000, 100,
				      5000 };
	feed(&g, bimodal, 8);
	assert_int_equal(menu_prediction(&g), 100 * US);

	/* Spread out (stddev 37 us around 100 us, average < 6 stddev), and
	 * still after dropping the two largest: no pattern, the factor. */
	idle_gov_init(&g);
	const uint64_t spread[8] = { 50, 150, 60, 140, 70, 130, 80, 120 };
	feed(&g, spread, 8);
	uint32_t f = g.correction[4];
	uint64_t expect = (10 * MS * f + IDLE_FACTOR_UNITY / 2) /
			  IDLE_FACTOR_UNITY;
	assert_true(expect > 1 * MS);
	assert_int_equal(menu_prediction(&g), expect);

	/* Fewer than 8 intervals seen: no pattern yet. */
	idle_gov_init(&g);
	feed(&g, one_outlier, 7);
	assert_true(menu_prediction(&g) > 1 * MS);

	/* Standard deviation <= 20 us: a pattern even if the average is
	 * small against it (40 +- 20 us). */
	idle_gov_init(&g);
	const uint64_t tight[8] = { 20, 60, 20, 60, 20, 60, 20, 60 };
	feed(&g, tight, 8);
	assert_int_equal(menu_prediction(&g), 40 * US);

	/* Just over: 40 +- 21 us (variance 441 us^2, average < 6 stddev),
	 * and the four left at 19 us after dropping the 61s repeat. */
	idle_gov_init(&g);
	const uint64_t over[8] = { 19, 61, 19, 61, 19, 61, 19, 61 };
	feed(&g, over, 8);
	assert_int_equal(menu_prediction(&g), 19 * US);

	/* A pattern longer than the factor's prediction is not used. */
	idle_gov_init(&g);
	for (int i = 0; i < 8; i++)
		idle_reflect(&g, C1, 100 * US, 100 * US);
	idle_select(IDLE_GOV_MENU, &g, &skl, 50 * US, UINT64_MAX);
	assert_int_equal(g.last.predicted_ns, 50 * US);
}

/* What menu learns: measured less the exit latency, or half the measured
 * time when it is under twice the exit latency, capped at the timer. */
static void test_reflect_learns_without_exit_latency(void **state)
{
	struct idle_gov_state g;
	idle_gov_init(&g);
	idle_select(IDLE_GOV_MENU, &g, &skl, 10 * MS, UINT64_MAX);
	idle_reflect(&g, C8, 10 * MS, 1000 * US); /* C8 exit 200 us */
	assert_int_equal(g.intervals_ns[0], 800 * US);
	idle_reflect(&g, C8, 10 * MS, 300 * US);
	assert_int_equal(g.intervals_ns[1], 150 * US);
	idle_reflect(&g, C8, 10 * MS, 20 * MS);
	assert_int_equal(g.intervals_ns[2], 10 * MS);
	/* Out-of-range state: nothing subtracted. */
	idle_reflect(&g, 99, 10 * MS, 300 * US);
	assert_int_equal(g.intervals_ns[3], 300 * US);
	assert_int_equal(g.interval_next, 4);
	assert_int_equal(g.interval_count, 4);
	for (int i = 0; i < 10; i++)
		idle_reflect(&g, C1, 10 * MS, 5 * MS);
	assert_int_equal(g.interval_count, IDLE_INTERVALS);
	assert_int_equal(g.interval_next, 14 % IDLE_INTERVALS);
	/* Long intervals are capped at 1 s in the history. */
	idle_reflect(&g, C1, UINT64_MAX, 3000 * MS);
	assert_int_equal(g.intervals_ns[14 % IDLE_INTERVALS],
			 IDLE_INTERVAL_CAP_NS);
}

static void test_accuracy_counters(void **state)
{
	struct idle_stats s;
	struct idle_decision d = { C8, 10 * MS, 10 * MS, 200 * US };

	memset(&s, 0, sizeof(s));
	idle_account(&s, &skl, &d, 300 * US); /* C8 for 300 us: too deep */
	d.state = C1E;
	d.predicted_ns = 100 * US;
	idle_account(&s, &skl, &d, 300 * US); /* C6 would pay: shallow */
	d.state = C6;
	d.predicted_ns = 250 * US;
	idle_account(&s, &skl, &d, 300 * US); /* right */
	d.state = C8;
	d.predicted_ns = 10 * MS;
	idle_account(&s, &skl, &d, 10 * MS); /* right: C9 is over 200 us */
	d.state = C1;
	d.predicted_ns = 0;
	idle_account(&s, &skl, &d, 1 * US); /* right: nothing fits */
	assert_int_equal(s.too_deep, 1);
	assert_int_equal(s.too_shallow, 1);
	assert_int_equal(s.wrong_state, 2);
	assert_int_equal(s.entries[C8], 2);
	assert_int_equal(s.entries[C1E], 1);
	assert_int_equal(s.entries[C6], 1);
	assert_int_equal(s.entries[C1], 1);
	assert_int_equal(s.residency_ns[C8], 10300 * US);
	assert_int_equal(s.predicted_sum, 20350 * US);
	assert_int_equal(s.actual_sum, 10901 * US);
	/* |10000-300| + |100-300| + |250-300| + 0 + |0-1| us */
	assert_int_equal(s.abs_error_sum, (9700 + 200 + 50 + 0 + 1) * US);
	/* A state outside the table is not counted. */
	d.state = 8;
	idle_account(&s, &skl, &d, 1 * MS);
	d.state = 200;
	idle_account(&s, &skl, &d, 1 * MS);
	idle_account(NULL, &skl, &d, 1 * MS);
	idle_account(&s, NULL, &d, 1 * MS);
	idle_account(&s, &skl, NULL, 1 * MS);
	assert_int_equal(s.actual_sum, 10901 * US);
	/* The oracle under limits. */
	assert_int_equal(idle_oracle_state(&skl, 10 * MS, 100 * US), C6);
	assert_int_equal(idle_oracle_state(&skl, 10 * MS, UINT64_MAX), C10);
	assert_int_equal(idle_oracle_state(&skl, 0, UINT64_MAX), C1);
	assert_int_equal(idle_oracle_state(NULL, 10 * MS, UINT64_MAX), C1);
}

static void test_edges(void **state)
{
	struct idle_gov_state g;
	struct cstate_table empty, hlt;

	idle_gov_init(&g);
	memset(&empty, 0, sizeof(empty));
	assert_int_equal(idle_select(IDLE_GOV_MENU, &g, &empty, 10 * MS,
				     UINT64_MAX), 0);
	assert_int_equal(idle_select(IDLE_GOV_MENU, &g, NULL, 10 * MS,
				     UINT64_MAX), 0);
	assert_int_equal(idle_select(IDLE_GOV_MENU, &g, &skl, 0,
				     UINT64_MAX), C1);
	idle_reflect(&g, C1, 0, 0); /* no division by zero */
	/* No timer at all: the horizon. */
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl,
				     UINT64_MAX, UINT64_MAX), C10);
	assert_int_equal(g.last.next_timer_ns, IDLE_HORIZON_NS);
	assert_int_equal(g.last.predicted_ns, IDLE_HORIZON_NS);
	idle_reflect(&g, C10, UINT64_MAX, UINT64_MAX);
	/* HLT only: always state 0. */
	cstate_table_build(6, 0x55, NULL, false, CSTATE_NO_LIMIT, &hlt);
	for (uint64_t nt = 1; nt < 10 * IDLE_HORIZON_NS; nt *= 3)
		assert_int_equal(idle_select(IDLE_GOV_MENU, &g, &hlt, nt,
					     UINT64_MAX), 0);
	/* A latency limit below C1's: C1 still (the floor). */
	assert_int_equal(idle_select(IDLE_GOV_NEXT_TIMER, &g, &skl, 10 * MS,
				     0), C1);
}

static void test_names(void **state)
{
	enum idle_gov_kind k = IDLE_GOV_NEXT_TIMER;
	assert_string_equal(idle_gov_name(IDLE_GOV_MENU), "menu");
	assert_string_equal(idle_gov_name(IDLE_GOV_NEXT_TIMER), "next-timer");
	assert_string_equal(idle_gov_name((enum idle_gov_kind)5), "?");
	assert_true(idle_gov_parse("menu", &k));
	assert_int_equal(k, IDLE_GOV_MENU);
	assert_true(idle_gov_parse("next-timer", &k));
	assert_int_equal(k, IDLE_GOV_NEXT_TIMER);
	assert_false(idle_gov_parse("Menu", &k));
	assert_false(idle_gov_parse("menu ", &k));
	assert_false(idle_gov_parse("", &k));
	assert_false(idle_gov_parse(NULL, &k));
	assert_false(idle_gov_parse("menu", NULL));
	assert_int_equal(k, IDLE_GOV_NEXT_TIMER);
}

/* Stats for the report tests: skx, 1 s elapsed. */
static void report_stats(struct cstate_table *t, struct idle_stats *s)
{
	cstate_table_build(6, 0x55, bochs_skx_leaf5, true, CSTATE_NO_LIMIT,
			   t);
	memset(s, 0, sizeof(*s));
	s->entries[0] = 10;
	s->residency_ns[0] = 1234567;    /* 1.234 ms, avg 123.4 us */
	s->entries[2] = 3;
	s->residency_ns[2] = 600000000;  /* 600 ms, avg 200000.0 us */
	s->predicted_sum = 601 * MS;
	s->actual_sum = 601234567;
	s->abs_error_sum = 13 * MS;
	s->too_deep = 2;
	s->too_shallow = 1;
	s->wrong_state = 3;
}

static void test_report_table(void **state)
{
	struct cstate_table t;
	struct idle_stats s;
	char buf[2048];

	report_stats(&t, &s);
	int n = idle_format_table(1, &t, IDLE_GOV_MENU, &s, 1000 * MS, buf,
				  sizeof(buf));
	const char *expect =
		"cpu 1 C-states: skx table, MWAIT, governor menu, "
		"1000.000 ms\n"
		"  state method       entries  residency_ms      %   avg_us\n"
		"  C0    running            -       398.765   39.8        -\n"
		"  C1    MWAIT 0x00        10         1.234    0.1    123.4\n"
		"  C1E   MWAIT 0x01         0         0.000    0.0      0.0\n"
		"  C6    MWAIT 0x20         3       600.000   60.0 200000.0\n"
		"  governor: 13 idle periods, predicted avg 46230.7 us, "
		"actual avg 46248.8 us, |error| avg 1000.0 us; wrong state 3 "
		"(23.0 %): 2 too deep, 1 too shallow\n";
	assert_string_equal(buf, expect);
	assert_int_equal(n, (int)strlen(expect));
	/* Too small: refused whole, never truncated. */
	assert_int_equal(idle_format_table(1, &t, IDLE_GOV_MENU, &s,
					   1000 * MS, buf, 100), -1);
	assert_string_equal(buf, "");
	assert_int_equal(idle_format_table(1, &t, IDLE_GOV_MENU, &s,
					   1000 * MS, buf, (size_t)n), -1);
	assert_int_equal(idle_format_table(1, &t, IDLE_GOV_MENU, &s,
					   1000 * MS, buf, (size_t)n + 1), n);
	assert_int_equal(idle_format_table(1, NULL, IDLE_GOV_MENU, &s,
					   1000 * MS, buf, sizeof(buf)), -1);
	assert_int_equal(idle_format_table(1, &t, IDLE_GOV_MENU, NULL,
					   1000 * MS, buf, sizeof(buf)), -1);
	assert_int_equal(idle_format_table(1, &t, IDLE_GOV_MENU, &s,
					   1000 * MS, NULL, 10), -1);
	/* Idle longer than the elapsed time (clock skew): C0 is 0. */
	assert_true(idle_format_table(0, &t, IDLE_GOV_NEXT_TIMER, &s, 0, buf,
				      sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "governor next-timer, 0.000 ms\n"));
	assert_non_null(strstr(buf, "  C0    running            -         "
				    "0.000    0.0        -\n"));
}

/* The adapter for pm/pm_report.h: nested under the report's "cpu N". */
static void test_report_part(void **state)
{
	struct cstate_table t;
	struct idle_stats s[2];
	char buf[2048];

	report_stats(&t, &s[1]);
	memset(&s[0], 0, sizeof(s[0]));
	struct idle_report_ctx ctx = { &t, s, 2, IDLE_GOV_NEXT_TIMER,
				       1000 * MS };
	int n = idle_report_part(&ctx, 1, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(n, (int)strlen(buf));
	assert_true(strncmp(buf, "  C-states: skx table, MWAIT, governor "
				 "next-timer, 1000.000 ms\n"
				 "    state method       entries", 90) == 0);
	assert_non_null(strstr(buf, "\n    C6    MWAIT 0x20         3 "));
	assert_non_null(strstr(buf, "\n    governor: 13 idle periods"));
	assert_null(strstr(buf, "cpu 1"));
	/* Every line indented under the report's "cpu N". */
	for (char *l = buf; *l; l = strchr(l, '\n') + 1)
		assert_true(l[0] == ' ' && l[1] == ' ');
	assert_true(idle_report_part(&ctx, 0, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "governor: 0 idle periods"));
	assert_int_equal(idle_report_part(&ctx, 2, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
	assert_int_equal(idle_report_part(NULL, 0, buf, sizeof(buf)), -1);
	assert_int_equal(idle_report_part(&ctx, 1, buf, 64), -1);
	assert_string_equal(buf, "");
}

static void test_report_hlt_and_empty(void **state)
{
	struct cstate_table t;
	struct idle_stats s;
	char buf[1024];

	cstate_table_build(0, 0, NULL, false, CSTATE_NO_LIMIT, &t);
	memset(&s, 0, sizeof(s));
	assert_true(idle_format_table(0, &t, IDLE_GOV_MENU, &s, 0, buf,
				      sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "hlt table, HLT, governor menu"));
	assert_non_null(strstr(buf, "  C1    HLT                0 "));
	assert_non_null(strstr(buf, "governor: 0 idle periods, predicted avg "
				    "0.0 us"));
	assert_non_null(strstr(buf, "wrong state 0 (0.0 %)"));
	assert_true(idle_format_json(0, &t, &s, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
		"{\"cpu\":0,\"idle_ms\":0.000,\"states\":[{\"name\":"
		"\"C1\",\"hint\":-1,\"entries\":0,\"res_ms\":0.000}],"
		"\"periods\":0,\"pred_ms\":0.000,\"actual_ms\":0.000,"
		"\"wrong\":0,\"too_deep\":0,\"too_shallow\":0}");
}

static void test_report_json(void **state)
{
	struct cstate_table t;
	struct idle_stats s;
	char buf[1024];

	report_stats(&t, &s);
	int n = idle_format_json(3, &t, &s, buf, sizeof(buf));
	const char *expect =
		"{\"cpu\":3,\"idle_ms\":601.234,\"states\":["
		"{\"name\":\"C1\",\"hint\":0,\"entries\":10,\"res_ms\":1.234},"
		"{\"name\":\"C1E\",\"hint\":1,\"entries\":0,\"res_ms\":0.000},"
		"{\"name\":\"C6\",\"hint\":32,\"entries\":3,\"res_ms\":600.000}"
		"],\"periods\":13,\"pred_ms\":601.000,\"actual_ms\":601.234,"
		"\"wrong\":3,\"too_deep\":2,\"too_shallow\":1}";
	assert_string_equal(buf, expect);
	assert_int_equal(n, (int)strlen(expect));
	assert_int_equal(idle_format_json(3, &t, &s, buf, 50), -1);
	assert_string_equal(buf, "");
	assert_int_equal(idle_stats_idle_ns(&t, &s), 601234567);
	assert_int_equal(idle_stats_periods(&t, &s), 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_next_timer_picks_deepest_that_fits),
		cmocka_unit_test(test_menu_learns_periodic_interrupts),
		cmocka_unit_test(test_menu_pattern_with_jitter),
		cmocka_unit_test(test_timer_bound_idle_keeps_deep_state),
		cmocka_unit_test(test_latency_limit_never_exceeded),
		cmocka_unit_test(test_menu_exit_latency_within_prediction),
		cmocka_unit_test(test_buckets_are_independent),
		cmocka_unit_test(test_factor_bounds),
		cmocka_unit_test(test_pattern_detection),
		cmocka_unit_test(test_reflect_learns_without_exit_latency),
		cmocka_unit_test(test_accuracy_counters),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_report_table),
		cmocka_unit_test(test_report_part),
		cmocka_unit_test(test_report_hlt_and_empty),
		cmocka_unit_test(test_report_json),
	};
	return cmocka_run_group_tests_name("idle_gov", tests, setup, NULL);
}
