/*
 * Host tests for the power model (pm/power_model.c) and the energy
 * attribution to VMs (pm/energy_attrib.c): power at the default P-states
 * from the documented equation (and against the simulator's model),
 * exact energy sums over any split of time, clamps on hostile inputs,
 * the 128-bit mul-div, attribution in proportion to capacity (also with
 * capacities produced by the credit scheduler at two frequencies), and
 * conservation of energy through rounding.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "pm/energy_attrib.h"
#include "pm/power_model.h"
#include "sched/credit.h"
#include "tools/sim/cpu_model.h"

#define MS 1000000ull
#define SEC 1000000000ull

static struct pm_power_model model;

static int setup(void **state)
{
	pm_power_model_default(&model);
	return 0;
}

/* The default P-state table (pm/pstate_modeled.c and tools/sim). */
static const uint32_t table_khz[5] = { 1200000, 1600000, 2000000, 2400000,
				       2800000 };
static const uint32_t table_mv[5] = { 800, 900, 1000, 1100, 1200 };

/* P = 3 W + 2976 pF x f x V^2, in uW, worked out by hand:
 * 2976e-12 x 2.8e9 x 1.44 = 11.999232 W. */
static void test_default_power(void **state)
{
	static const uint64_t busy_uw[5] = { 5285568, 6856896, 8952000,
					     11642304, 14999232 };

	assert_true(pm_power_model_valid(&model));
	for (int i = 0; i < 5; i++)
		assert_int_equal(pm_busy_power_uw(&model, table_khz[i],
						  table_mv[i]), busy_uw[i]);
	assert_int_equal(pm_dynamic_power_uw(&model, 2800000, 1200),
			 11999232);
	/* f x V^2: halving f halves it, halving V quarters it. */
	assert_int_equal(pm_dynamic_power_uw(&model, 1400000, 1200),
			 11999232 / 2);
	assert_int_equal(pm_dynamic_power_uw(&model, 2800000, 600),
			 11999232 / 4);
	assert_int_equal(pm_dynamic_power_uw(&model, 0, 1200), 0);
}

/* Within 0.01% of the simulator's model at every level. */
static void test_matches_simulator(void **state)
{
	struct sim_cpu_model sim = {
		.nlevels = 5, .static_mw = 3000, .dyn_max_mw = 12000,
		.idle_mw = 1000,
	};

	for (int i = 0; i < 5; i++)
		sim.levels[i] = (struct sim_pstate){ table_khz[i],
						     table_mv[i] };
	assert_true(sim_cpu_model_valid(&sim));
	for (uint32_t i = 0; i < 5; i++) {
		uint64_t ours = pm_busy_power_uw(&model, table_khz[i],
						 table_mv[i]);
		uint64_t theirs = sim_power_uw(&sim, i, true);
		uint64_t diff = ours > theirs ? ours - theirs : theirs - ours;

		assert_true(diff * 10000 <= theirs);
	}
	assert_int_equal(pm_default_cstate_power_mw[0] * 1000ull,
			 sim_power_uw(&sim, 0, false));
}

static void test_voltage_estimate(void **state)
{
	for (int i = 0; i < 5; i++)
		assert_int_equal(pm_model_mv(table_khz[i], 0), table_mv[i]);
	assert_int_equal(pm_model_mv(2800000, 1000), 1000); /* known: kept */
	assert_int_equal(pm_model_mv(100000, 0), PM_MODEL_MV_ESTIMATE_MIN);
	assert_int_equal(pm_model_mv(9000000, 0), PM_MODEL_MV_ESTIMATE_MAX);
	assert_int_equal(pm_busy_power_uw(&model, 2800000, 0), 14999232);
}

/* Hostile inputs are clamped, never overflow. */
static void test_clamps(void **state)
{
	struct pm_power_model big = { UINT32_MAX, UINT32_MAX, UINT32_MAX };
	uint64_t top = (uint64_t)PM_MODEL_CDYN_PF_MAX * PM_MODEL_KHZ_MAX *
		       PM_MODEL_MV_MAX * PM_MODEL_MV_MAX / 1000000000ull;
	struct pm_energy_cpu c;

	assert_false(pm_power_model_valid(&big));
	assert_int_equal(pm_dynamic_power_uw(&big, UINT32_MAX, UINT32_MAX),
			 top);
	assert_int_equal(pm_busy_power_uw(&big, UINT32_MAX, UINT32_MAX),
			 top + PM_MODEL_MW_MAX * 1000ull);
	pm_energy_cpu_init(&c, &big);
	pm_energy_add_idle(&c, UINT32_MAX, SEC);
	assert_int_equal(pm_energy_cpu_idle_uj(&c), PM_MODEL_MW_MAX * 1000ull);
	/* A day at the highest clamped power still adds up. */
	pm_energy_add_busy(&c, UINT32_MAX, UINT32_MAX, 86400 * SEC);
	assert_int_equal(pm_energy_cpu_busy_uj(&c),
			 (top + PM_MODEL_MW_MAX * 1000ull) * 86400);
}

/* Energy = P x t, exact: whatever the split, the same total. */
static void test_exact_sums(void **state)
{
	struct pm_energy_cpu one, many, odd;
	uint64_t left = 3 * SEC + 7, piece = 1;

	pm_energy_cpu_init(&one, &model);
	pm_energy_cpu_init(&many, &model);
	pm_energy_cpu_init(&odd, &model);
	pm_energy_add_busy(&one, 2800000, 1200, SEC);
	assert_int_equal(pm_energy_cpu_busy_uj(&one), 14999232);
	assert_int_equal(one.busy.rem_fj, 0);
	for (int i = 0; i < 1000; i++)
		pm_energy_add_busy(&many, 2800000, 1200, MS);
	assert_int_equal(pm_energy_cpu_busy_uj(&many), 14999232);
	assert_int_equal(many.busy.rem_fj, 0);
	/* 1 ns, 2 ns, 3 ns ... at 2.0 GHz: each piece is far below 1 uJ. */
	while (left) {
		uint64_t ns = piece < left ? piece : left;

		pm_energy_add_busy(&odd, 2000000, 1000, ns);
		left -= ns;
		piece = piece * 3 + 1;
	}
	pm_energy_cpu_init(&one, &model);
	pm_energy_add_busy(&one, 2000000, 1000, 3 * SEC + 7);
	assert_int_equal(odd.busy.uj, one.busy.uj);
	assert_int_equal(odd.busy.rem_fj, one.busy.rem_fj);
	/* 8952000 uW x 3.000000007 s = 26856000.062664 uJ. */
	assert_int_equal(one.busy.uj, 26856000);
	assert_int_equal(one.busy.rem_fj, 62664000);
	assert_int_equal(odd.busy_ns, 3 * SEC + 7);
}

static void test_idle_and_totals(void **state)
{
	struct pm_energy_cpu c[2];
	struct pm_energy_pkg pkg;

	pm_energy_cpu_init(&c[0], &model);
	pm_energy_cpu_init(&c[1], &model);
	pm_energy_pkg_init(&pkg, &model);
	/* 0.6 uJ of running and 0.6 uJ of idling: 1.2 uJ in all. */
	pm_energy_add_busy(&c[0], 2800000, 1200, 40); /* 14999232 x 40 fJ */
	pm_energy_add_idle(&c[0], 1000, 600);         /* 1e6 uW x 600 ns */
	assert_int_equal(pm_energy_cpu_busy_uj(&c[0]), 0);
	assert_int_equal(pm_energy_cpu_idle_uj(&c[0]), 0);
	assert_int_equal(pm_energy_cpu_total_uj(&c[0]), 1);
	assert_int_equal(c[0].idle_ns, 600);
	/* C6 for a second: 100 mW. */
	pm_energy_add_idle(&c[1], pm_default_cstate_power_mw[3], SEC);
	assert_int_equal(pm_energy_cpu_idle_uj(&c[1]), 100000);
	pm_energy_pkg_add_time(&pkg, SEC);
	assert_int_equal(pm_energy_pkg_uncore_uj(&pkg), 2000000);
	assert_int_equal(pkg.ns, SEC);
	assert_int_equal(pm_energy_pkg_total_uj(&pkg, c, 2),
			 2000000 + 100000 + 1);
	assert_int_equal(pm_energy_pkg_total_uj(&pkg, c, 0), 2000000);
}

static void test_mul_div(void **state)
{
	uint64_t q, r;

	assert_int_equal(pm_mul_div(10, 3, 4, &q, &r), 0);
	assert_int_equal(q, 7);
	assert_int_equal(r, 2);
	assert_int_equal(pm_mul_div(UINT64_MAX, UINT64_MAX, UINT64_MAX, &q,
				    &r), 0);
	assert_true(q == UINT64_MAX && r == 0);
	assert_int_equal(pm_mul_div(1, 1, 0, &q, NULL), -1);
	assert_int_equal(pm_mul_div(UINT64_MAX, 2, 1, &q, NULL), -1);
	srand(7);
	for (int i = 0; i < 10000; i++) {
		uint64_t a = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11)
			     ^ (uint64_t)rand();
		uint64_t b = ((uint64_t)rand() << 20) ^ (uint64_t)rand();
		uint64_t c = ((uint64_t)rand() << 31) ^ (uint64_t)rand();
		unsigned __int128 p = (unsigned __int128)a * b;

		c |= 1;
		if ((p >> 64) >= c) {
			assert_int_equal(pm_mul_div(a, b, c, &q, &r), -1);
			continue;
		}
		assert_int_equal(pm_mul_div(a, b, c, &q, &r), 0);
		assert_true(q == (uint64_t)(p / c));
		assert_true(r == (uint64_t)(p % c));
	}
}

/* ---- attribution ------------------------------------------------------- */

static uint64_t attributed(const struct pm_attrib *a)
{
	uint64_t sum = a->unattributed_uj;

	for (int vm = 0; vm < PM_ATTRIB_MAX_VMS; vm++)
		sum += a->vm_uj[vm];
	return sum;
}

static void test_split_proportional(void **state)
{
	struct pm_attrib a;
	struct pm_vm_capacity caps[3] = { { 0, 10 * MS }, { 1, 10 * MS },
					  { 5, 20 * MS } };

	pm_attrib_init(&a);
	assert_int_equal(pm_attrib_split(&a, 1000, 300, caps, 3), 0);
	assert_int_equal(a.vm_uj[0], 250);
	assert_int_equal(a.vm_uj[1], 250);
	assert_int_equal(a.vm_uj[5], 500);
	assert_int_equal(a.vm_capacity_ns[5], 20 * MS);
	assert_int_equal(a.idle_uj, 300);        /* reported, not charged */
	assert_int_equal(a.busy_uj, 1000);
	assert_int_equal(a.unattributed_uj, 0);
	/* The same VM twice on one processor adds up. */
	caps[1].vm = 0;
	assert_int_equal(pm_attrib_split(&a, 1000, 0, caps, 3), 0);
	assert_int_equal(a.vm_uj[0], 250 + 500);
	assert_int_equal(a.vm_uj[5], 500 + 500);
	assert_int_equal(attributed(&a), a.busy_uj);
}

/* 10 uJ over three equal shares: 3 + 3 + 4 (in some order), never 9. */
static void test_split_rounding_conserves(void **state)
{
	struct pm_attrib a;
	struct pm_vm_capacity caps[3] = { { 0, 1 }, { 1, 1 }, { 2, 1 } };

	pm_attrib_init(&a);
	assert_int_equal(pm_attrib_split(&a, 10, 0, caps, 3), 0);
	assert_int_equal(a.vm_uj[0] + a.vm_uj[1] + a.vm_uj[2], 10);
	for (int vm = 0; vm < 3; vm++)
		assert_true(a.vm_uj[vm] == 3 || a.vm_uj[vm] == 4);
	/* Random intervals: exact conservation, each share within 1 uJ. */
	srand(11);
	for (int t = 0; t < 5000; t++) {
		struct pm_vm_capacity c[6];
		uint64_t before[PM_ATTRIB_MAX_VMS], total = 0;
		uint64_t e = (uint64_t)rand() * (uint64_t)rand();
		size_t n = (size_t)(rand() % 6);

		memcpy(before, a.vm_uj, sizeof(before));
		for (size_t i = 0; i < n; i++) {
			c[i].vm = (uint32_t)(i * 3);  /* distinct VMs */
			c[i].capacity_ns = (uint64_t)rand() *
					   (uint64_t)(rand() % 1000);
			total += c[i].capacity_ns;
		}
		assert_int_equal(pm_attrib_split(&a, e, 0, c, n), 0);
		for (size_t i = 0; i < n && total; i++) {
			unsigned __int128 exact =
				(unsigned __int128)e * c[i].capacity_ns;
			uint64_t lo = (uint64_t)(exact / total);
			uint64_t got = a.vm_uj[c[i].vm] - before[c[i].vm];

			assert_true(got == lo || got == lo + 1);
		}
		assert_int_equal(attributed(&a), a.busy_uj);
	}
}

static void test_split_no_capacity_and_bad_input(void **state)
{
	struct pm_attrib a, copy;
	struct pm_vm_capacity zero[2] = { { 0, 0 }, { 1, 0 } };
	struct pm_vm_capacity bad[2] = { { 0, 5 }, { PM_ATTRIB_MAX_VMS, 5 } };
	struct pm_vm_capacity huge[2] = { { 0, UINT64_MAX }, { 1, 1 } };

	pm_attrib_init(&a);
	assert_int_equal(pm_attrib_split(&a, 77, 5, NULL, 0), 0);
	assert_int_equal(pm_attrib_split(&a, 23, 5, zero, 2), 0);
	assert_int_equal(a.unattributed_uj, 100);
	assert_int_equal(a.vm_uj[0] + a.vm_uj[1], 0);
	assert_int_equal(a.idle_uj, 10);
	copy = a;
	assert_int_equal(pm_attrib_split(&a, 50, 5, bad, 2), -1);
	assert_int_equal(pm_attrib_split(&a, 50, 5, huge, 2), -1);
	assert_int_equal(pm_attrib_split(&a, 50, 5, NULL, 2), -1);
	assert_memory_equal(&a, &copy, sizeof(a));
	/* The largest energies and capacities that fit still split. */
	huge[0].capacity_ns = UINT64_MAX - 1;
	assert_int_equal(pm_attrib_split(&a, UINT64_MAX / 2, 0, huge, 2), 0);
	/* (2^63 - 1) x (2^64 - 2) / (2^64 - 1): floor 2^63 - 2; the last
	 * share takes the rest. */
	assert_int_equal(a.vm_uj[0], UINT64_MAX / 2 - 1);
	assert_int_equal(a.vm_uj[1], 1);
}

static void test_window(void **state)
{
	struct pm_attrib a;
	struct pm_attrib_window w;

	pm_attrib_init(&a);
	pm_attrib_window_init(&w, 1000, 50);
	assert_int_equal(pm_attrib_window_note(&w, 2, 3 * MS), 0);
	assert_int_equal(pm_attrib_window_note(&w, 4, 1 * MS), 0);
	assert_int_equal(pm_attrib_window_note(&w, 2, 0), 0);
	assert_int_equal(pm_attrib_window_note(&w, PM_ATTRIB_MAX_VMS, 1), -1);
	assert_int_equal(pm_attrib_window_close(&a, &w, 1400, 80), 0);
	assert_int_equal(a.vm_uj[2], 300);
	assert_int_equal(a.vm_uj[4], 100);
	assert_int_equal(a.idle_uj, 30);
	/* The next interval starts empty at the new counters. */
	assert_int_equal(pm_attrib_window_close(&a, &w, 1500, 80), 0);
	assert_int_equal(a.unattributed_uj, 100);
	/* A counter that ran backwards: nothing charged, reopened. */
	pm_attrib_window_note(&w, 2, MS);
	assert_int_equal(pm_attrib_window_close(&a, &w, 1400, 90), -1);
	assert_int_equal(a.busy_uj, 500);
	assert_int_equal(w.busy_uj_at_open, 1400);
	assert_int_equal(w.cap_ns[2], 0);
	/* Saturating notes keep the window's total in 64 bits. */
	for (int vm = 0; vm < PM_ATTRIB_MAX_VMS; vm++) {
		pm_attrib_window_note(&w, (uint32_t)vm, UINT64_MAX);
		pm_attrib_window_note(&w, (uint32_t)vm, UINT64_MAX);
	}
	assert_int_equal(pm_attrib_window_close(&a, &w, 1400 + 1600, 90), 0);
	for (int vm = 0; vm < PM_ATTRIB_MAX_VMS; vm++)
		assert_int_equal(a.vm_uj[vm] - (vm == 2 ? 300 :
						vm == 4 ? 100 : 0), 100);
	assert_int_equal(attributed(&a), a.busy_uj);
}

/*
 * From the scheduler: VM 0 runs 10 ms at 2.8 GHz, VM 1 runs 20 ms at
 * 1.4 GHz on the same processor. Their capacities (csched_vcpu) are
 * equal, so they share that interval's running energy equally although
 * VM 1 ran twice as long.
 */
static void test_capacity_from_scheduler(void **state)
{
	struct csched s;
	struct csched_params p = { 30 * MS, 10 * MS, 0 };
	struct csched_dom d0, d1;
	struct csched_vcpu v0, v1;
	struct csched_decision dec;
	struct pm_energy_cpu e;
	struct pm_attrib a;
	struct pm_vm_capacity caps[2];

	csched_init(&s, &p, 1, 0);
	csched_dom_init(&s, &d0, 0, 256, 0, CSCHED_MODE_DVFS);
	csched_dom_init(&s, &d1, 1, 256, 0, CSCHED_MODE_DVFS);
	csched_vcpu_add(&s, &v0, &d0, 0, NULL, 1, 0, 0);
	csched_vcpu_add(&s, &v1, &d1, 0, NULL, 1, 0, 0);
	csched_set_freq(&s, 0, 2800000, 2800000, 0);
	csched_wake(&s, &v0, 0);
	csched_pick_next(&s, 0, 0, &dec);
	assert_ptr_equal(dec.next, &v0);
	csched_block(&s, &v0, 10 * MS);
	csched_set_freq(&s, 0, 1400000, 2800000, 10 * MS);
	csched_wake(&s, &v1, 10 * MS);
	csched_pick_next(&s, 0, 10 * MS, &dec);
	assert_ptr_equal(dec.next, &v1);
	csched_block(&s, &v1, 30 * MS);
	assert_int_equal(v0.runtime_ns, 10 * MS);
	assert_int_equal(v1.runtime_ns, 20 * MS);
	assert_int_equal(v0.capacity_ns, 10 * MS);
	assert_int_equal(v1.capacity_ns, 10 * MS);

	pm_energy_cpu_init(&e, &model);
	pm_energy_add_busy(&e, 2800000, 1200, 10 * MS);
	pm_energy_add_busy(&e, 1400000, 0, 20 * MS);
	caps[0] = (struct pm_vm_capacity){ d0.id, v0.capacity_ns };
	caps[1] = (struct pm_vm_capacity){ d1.id, v1.capacity_ns };
	pm_attrib_init(&a);
	assert_int_equal(pm_attrib_split(&a, pm_energy_cpu_busy_uj(&e), 0,
					 caps, 2), 0);
	/* 14999232 uW x 10 ms + (3 W + 2976 pF x 1.4 GHz x (850 mV)^2 =
	 * 6010224 uW) x 20 ms = 149992.32 + 120204.48 uJ. */
	assert_int_equal(pm_energy_cpu_busy_uj(&e), 270196);
	assert_int_equal(a.vm_uj[0], 270196 / 2);
	assert_int_equal(a.vm_uj[1], 270196 / 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_default_power, setup),
		cmocka_unit_test_setup(test_matches_simulator, setup),
		cmocka_unit_test_setup(test_voltage_estimate, setup),
		cmocka_unit_test_setup(test_clamps, setup),
		cmocka_unit_test_setup(test_exact_sums, setup),
		cmocka_unit_test_setup(test_idle_and_totals, setup),
		cmocka_unit_test(test_mul_div),
		cmocka_unit_test(test_split_proportional),
		cmocka_unit_test(test_split_rounding_conserves),
		cmocka_unit_test(test_split_no_capacity_and_bad_input),
		cmocka_unit_test(test_window),
		cmocka_unit_test_setup(test_capacity_from_scheduler, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
