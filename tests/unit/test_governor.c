/*
 * Host tests for the CPU-frequency governors (pm/governor.c): Xen's
 * ondemand (cpufreq_ondemand.c, dbs_check_cpu) on utilization traces,
 * its hysteresis band, thresholds and APERF-style average frequency;
 * performance, powersave, userspace; parameter checks; and equivalence
 * with the simulator's model (tools/sim/ondemand_model.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "pm/governor.h"
#include "pm/pstate.h"
#include "tools/sim/cpu_model.h"
#include "tools/sim/ondemand_model.h"

#define MS 1000000ull

/* 2.8 / 2.4 / 2.0 / 1.6 / 1.2 GHz: indices 0..4. */
static struct pstate_table table;
static struct gov_params od;
static struct gov_cpu g;

static int setup(void **state)
{
	pstate_modeled_default_table(&table);
	gov_params_default(&od, GOV_ONDEMAND);
	memset(&g, 0, sizeof(g));
	return 0;
}

/* One 20 ms ondemand sample at `load` percent, no counters. */
static uint32_t sample(uint32_t cur, uint32_t load)
{
	return gov_sample(&od, &g, &table, cur, 20 * MS * load / 100, 20 * MS,
			  0);
}

static void test_defaults_are_xens(void **state)
{
	char why[PSTATE_WHY_LEN];

	assert_int_equal(od.kind, GOV_ONDEMAND);
	assert_int_equal(od.up_threshold, 80);
	assert_int_equal(od.sampling_ns, 20 * MS);
	assert_int_equal(gov_params_check(&od, why, sizeof(why)), 0);
}

static void test_params_check(void **state)
{
	char why[PSTATE_WHY_LEN];
	struct gov_params p = od;

	p.sampling_ns = 19 * MS;  /* under Xen's 20 ms minimum */
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "19000 us"));
	p.sampling_ns = 20 * MS;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), 0);
	p.sampling_ns = 10001 * MS;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	p.sampling_ns = 30 * MS;
	p.up_threshold = 10;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	assert_non_null(strstr(why, "up_threshold 10"));
	p.up_threshold = 11;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), 0);
	p.up_threshold = 100;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), 0);
	p.up_threshold = 101;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	p.up_threshold = 80;
	p.userspace_index = PSTATE_MAX;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	p.userspace_index = 0;
	p.kind = (enum gov_kind)7;
	assert_int_equal(gov_params_check(&p, why, sizeof(why)), -1);
	/* A tiny buffer is truncated, not overrun. */
	p.kind = GOV_ONDEMAND;
	p.up_threshold = 5;
	char small[8];
	memset(small, 'x', sizeof(small));
	assert_int_equal(gov_params_check(&p, small, 4), -1);
	assert_int_equal(strlen(small), 3);
	assert_int_equal(small[4], 'x');
}

static void test_names(void **state)
{
	enum gov_kind k;
	const char *names[] = { "performance", "powersave", "userspace",
				"ondemand" };

	for (unsigned i = 0; i < 4; i++) {
		assert_int_equal(gov_kind_parse(names[i], &k), 0);
		assert_int_equal(k, i);
		assert_string_equal(gov_kind_name(k), names[i]);
	}
	assert_int_equal(gov_kind_parse("conservative", &k), -1);
	assert_int_equal(gov_kind_parse("", &k), -1);
	assert_int_equal(gov_kind_parse("ondemand ", &k), -1);
	assert_string_equal(gov_kind_name((enum gov_kind)99), "?");
}

static void test_fixed_governors(void **state)
{
	struct gov_params p;

	gov_params_default(&p, GOV_PERFORMANCE);
	for (uint32_t cur = 0; cur < 5; cur++) {
		assert_int_equal(gov_sample(&p, &g, &table, cur, 0, 20 * MS, 0),
				 0);
	}
	gov_params_default(&p, GOV_POWERSAVE);
	assert_int_equal(gov_sample(&p, &g, &table, 0, 20 * MS, 20 * MS, 0),
			 4);
	gov_params_default(&p, GOV_USERSPACE);
	p.userspace_index = 2;
	assert_int_equal(gov_sample(&p, &g, &table, 0, 20 * MS, 20 * MS, 0),
			 2);
	assert_int_equal(gov_sample(&p, &g, &table, 4, 0, 20 * MS, 0), 2);
	/* A config index beyond this processor's table: its slowest. */
	p.userspace_index = 9;
	assert_int_equal(gov_sample(&p, &g, &table, 0, 0, 20 * MS, 0), 4);
	/* Load does not matter to them, and short windows neither. */
	assert_int_equal(gov_sample(&p, &g, &table, 0, 0, 1, 0), 4);
}

static void test_busy_jumps_to_max_in_one_sample(void **state)
{
	for (uint32_t cur = 1; cur < 5; cur++)
		assert_int_equal(sample(cur, 100), 0);
	/* Just above the threshold from the slowest state: 81% > 80%. */
	assert_int_equal(sample(4, 81), 0);
	/* Already at the top: stays. */
	assert_int_equal(sample(0, 100), 0);
	assert_int_equal(g.raises, 5);
	assert_int_equal(g.lowers, 0);
	assert_int_equal(g.samples, 6);
	assert_int_equal(g.last_load, 100);
}

/*
 * Below up_threshold - 10, the target is load x f_cur / 70: the slowest
 * state at or above it. At 2.8 GHz: 30% -> 1.2 GHz, 40% -> 1.6 GHz,
 * 50% -> exactly 2.0 GHz, 51% -> 2.04 GHz -> 2.4 GHz, 69% -> 2.76 GHz
 * -> 2.8 GHz (no change).
 */
static void test_idle_steps_down_proportionally(void **state)
{
	assert_int_equal(sample(0, 0), 4);
	assert_int_equal(sample(0, 30), 4);
	assert_int_equal(sample(0, 40), 3);
	assert_int_equal(sample(0, 50), 2);
	assert_int_equal(sample(0, 51), 1);
	assert_int_equal(sample(0, 60), 1);
	assert_int_equal(sample(0, 69), 0);
	/* From 2.0 GHz: 50% -> 1.43 GHz -> 1.6 GHz; 42% -> 1.2 GHz. */
	assert_int_equal(sample(2, 50), 3);
	assert_int_equal(sample(2, 42), 4);
	/* The slowest state cannot go lower. */
	assert_int_equal(sample(4, 0), 4);
}

/* Between 70% and 80% (inclusive: Xen compares strictly) nothing moves. */
static void test_hysteresis_band(void **state)
{
	for (uint32_t cur = 0; cur < 5; cur++)
		for (uint32_t load = 70; load <= 80; load++)
			assert_int_equal(sample(cur, load), cur);
	assert_int_equal(g.raises + g.lowers, 0);
	assert_int_equal(sample(2, 81), 0);
	/* Under the band the target may still round up to the same state:
	 * 69% or 65% of 2.0 GHz / 70% = 1.97 or 1.86 GHz -> 2.0 GHz. */
	assert_int_equal(sample(2, 69), 2);
	assert_int_equal(sample(2, 65), 2);
	assert_int_equal(sample(2, 55), 3);  /* 1.57 GHz -> 1.6 GHz */
}

/*
 * A trace: a CPU-bound burst, a mostly idle stretch, a medium load that
 * the slowest state carries, then a load it does not.
 */
static void test_trace(void **state)
{
	static const struct {
		uint32_t load, want;
	} trace[] = {
		{ 100, 0 }, { 100, 0 }, { 95, 0 },  /* busy: top */
		{ 20, 4 },                          /* 0.8 GHz -> 1.2 GHz */
		{ 10, 4 }, { 60, 4 },               /* 1.2 GHz carries 60% */
		{ 80, 4 },                          /* band edge: stay */
		{ 85, 0 },                          /* 1.02 > 0.96: top */
		{ 55, 1 },                          /* 2.2 GHz -> 2.4 */
		{ 75, 1 },                          /* band */
		{ 40, 3 },                          /* 1.37 GHz -> 1.6 */
		{ 0, 4 },                           /* idle: the slowest */
	};
	uint32_t cur = 0;

	for (size_t i = 0; i < sizeof(trace) / sizeof(trace[0]); i++) {
		uint32_t next = sample(cur, trace[i].load);
		assert_int_equal(next, trace[i].want);
		cur = next;
	}
}

/*
 * With APERF/MPERF the load is scaled by the measured average: a CPU
 * asked for 2.0 GHz that ran at 2.4 GHz (a shared clock) with 75% busy
 * carried 1.8 GHz of work: above 80% of 2.0 GHz -> top. avg 0 means
 * "none": the current state's frequency.
 */
static void test_average_frequency(void **state)
{
	assert_int_equal(gov_sample(&od, &g, &table, 2, 15 * MS, 20 * MS,
				    2400000), 0);
	assert_int_equal(gov_sample(&od, &g, &table, 2, 15 * MS, 20 * MS, 0),
			 2);
	/* Ran slower than asked (throttled): 75% of 1.2 GHz = 0.9 GHz of
	 * work at 2.0 GHz: 45% -> 1.29 GHz -> 1.6 GHz. */
	assert_int_equal(gov_sample(&od, &g, &table, 2, 15 * MS, 20 * MS,
				    1200000), 3);
}

static void test_windows(void **state)
{
	/* Under 100 us: ignored, counted, no decision. */
	assert_int_equal(gov_sample(&od, &g, &table, 0, 0, 99999, 0), 0);
	assert_int_equal(g.short_windows, 1);
	assert_int_equal(g.samples, 0);
	assert_int_equal(gov_sample(&od, &g, &table, 0, 0, 100000, 0), 4);
	assert_int_equal(g.samples, 1);
	/* Busy longer than the window (clock skew): 100%, not more. */
	assert_int_equal(gov_sample(&od, &g, &table, 4, 50 * MS, 20 * MS, 0),
			 0);
	assert_int_equal(g.last_load, 100);
	/* Enormous windows do not overflow the load. */
	assert_int_equal(gov_sample(&od, &g, &table, 0, UINT64_MAX / 2,
				    UINT64_MAX, 0), 2);  /* 50%: 2.0 GHz */
	assert_int_equal(g.last_load, 50);
	assert_int_equal(gov_sample(&od, &g, &table, 4, UINT64_MAX,
				    UINT64_MAX, 0), 0);
	/* A current index beyond the table is taken as the slowest. */
	assert_int_equal(gov_sample(&od, &g, &table, 77, 0, 20 * MS, 0), 4);
}

static void test_thresholds(void **state)
{
	/* up_threshold 11: up above 11%, down below 1%. */
	od.up_threshold = 11;
	assert_int_equal(sample(4, 12), 0);
	assert_int_equal(sample(0, 1), 0);   /* in the band */
	assert_int_equal(sample(0, 0), 4);
	/* 100: never above it; down below 90%. */
	od.up_threshold = 100;
	assert_int_equal(sample(4, 100), 4);
	assert_int_equal(sample(0, 89), 0);  /* 2.77 GHz -> 2.8 */
	assert_int_equal(sample(0, 75), 1);  /* 2.33 GHz -> 2.4 */
}

/* Hostile thresholds are clamped to Xen's range, never underflow. */
static void test_threshold_clamped(void **state)
{
	od.up_threshold = 0;
	assert_int_equal(sample(4, 12), 0);      /* as 11 */
	assert_int_equal(gov_ondemand_target(&table, 3, 0, 0, 2800000), 4);
	od.up_threshold = 1000;
	assert_int_equal(sample(4, 100), 4);     /* as 100 */
	struct pstate_table empty = { 0 };
	assert_int_equal(gov_sample(&od, &g, &empty, 0, 0, 20 * MS, 0), 0);
	assert_int_equal(gov_ondemand_target(&empty, 80, 0, 50, 1), 0);
}

/* A one-state table: every governor says 0. */
static void test_single_state(void **state)
{
	struct pstate_table one = { .count = 1 };
	one.states[0].khz = 1000000;
	for (uint32_t load = 0; load <= 100; load += 5)
		assert_int_equal(gov_sample(&od, &g, &one, 0,
					    20 * MS * load / 100, 20 * MS, 0),
				 0);
}

/*
 * pm/governor.c makes the same decisions as the simulator's model
 * (levels ascending there, descending here), on every load, average
 * frequency around each level and threshold, and on whole samples built
 * from cumulative counters.
 */
static void sim_model_of(const struct pstate_table *t,
			 struct sim_cpu_model *m)
{
	memset(m, 0, sizeof(*m));
	m->nlevels = t->count;
	for (uint32_t i = 0; i < t->count; i++) {
		m->levels[t->count - 1 - i].khz = t->states[i].khz;
		m->levels[t->count - 1 - i].mv = t->states[i].mv;
	}
}

static void test_same_as_simulator_model(void **state)
{
	struct sim_cpu_model m;
	const uint32_t ups[] = { 11, 50, 79, 80, 81, 95, 100 };
	uint64_t n = 0;

	sim_model_of(&table, &m);
	for (size_t u = 0; u < sizeof(ups) / sizeof(ups[0]); u++)
		for (uint32_t cur = 0; cur < table.count; cur++)
			for (uint32_t load = 0; load <= 100; load++)
				for (uint64_t avg = 1000000; avg <= 3400000;
				     avg += 50000) {
					uint32_t mine = gov_ondemand_target(
						&table, ups[u], cur, load, avg);
					uint32_t sim = sim_ondemand_target(
						&m, ups[u], table.count - 1 - cur,
						load, avg);
					assert_int_equal(mine,
							 table.count - 1 - sim);
					n++;
				}
	assert_true(n > 100000);
}

static void test_sample_same_as_simulator(void **state)
{
	struct sim_cpu_model m;
	struct sim_ondemand sim;
	struct sim_cpu_counters c = { 0, 0, 0 };
	uint32_t cur = 0, sim_cur;
	uint64_t seed = 12345;

	sim_model_of(&table, &m);
	sim_ondemand_init(&sim, 80, 20 * MS, &c);
	sim_cur = table.count - 1 - cur;
	for (int i = 0; i < 5000; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		uint64_t window = 20 * MS + (seed >> 40) % (10 * MS);
		uint64_t busy = (seed >> 20) % (window + 1);
		/* Ran at the requested frequency, or (1 in 4) faster. */
		uint64_t khz = table.states[cur].khz +
			       (((seed >> 10) & 3) == 0 ? 200000 : 0);
		c.busy_ns += busy;
		c.idle_ns += window - busy;
		c.busy_khz_ns += busy * khz;
		uint32_t avg = busy ? (uint32_t)(busy * khz / busy) : 0;
		uint32_t mine = gov_sample(&od, &g, &table, cur, busy, window,
					   avg);
		sim_cur = sim_ondemand_sample(&sim, &m, sim_cur, &c);
		assert_int_equal(mine, table.count - 1 - sim_cur);
		cur = mine;
	}
	assert_true(g.raises > 100 && g.lowers > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_defaults_are_xens, setup),
		cmocka_unit_test_setup(test_params_check, setup),
		cmocka_unit_test_setup(test_names, setup),
		cmocka_unit_test_setup(test_fixed_governors, setup),
		cmocka_unit_test_setup(test_busy_jumps_to_max_in_one_sample,
				       setup),
		cmocka_unit_test_setup(test_idle_steps_down_proportionally,
				       setup),
		cmocka_unit_test_setup(test_hysteresis_band, setup),
		cmocka_unit_test_setup(test_trace, setup),
		cmocka_unit_test_setup(test_average_frequency, setup),
		cmocka_unit_test_setup(test_windows, setup),
		cmocka_unit_test_setup(test_thresholds, setup),
		cmocka_unit_test_setup(test_threshold_clamped, setup),
		cmocka_unit_test_setup(test_single_state, setup),
		cmocka_unit_test_setup(test_same_as_simulator_model, setup),
		cmocka_unit_test_setup(test_sample_same_as_simulator, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
