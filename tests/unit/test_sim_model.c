/*
 * Host tests for the DVFS-credit simulator (tools/sim): the processor
 * model (throughput scaling with the CPU-bound fraction, the power
 * formula, exact energy sums), the ondemand governor (Xen's
 * dbs_check_cpu steps), the workloads (deterministic arrivals, jobs
 * completing in order, a full queue), and the glue with the real
 * sched/credit.c (what each mode delivers at a fixed frequency, time and
 * energy conservation, determinism, two CPUs, bad configurations).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "tools/sim/cpu_model.h"
#include "tools/sim/ondemand_model.h"
#include "tools/sim/sim.h"
#include "tools/sim/workload.h"

#define MS 1000000ull
#define S 1000000000ull

/* 1.2-2.8 GHz, 0.8-1.2 V; 3 W static, 12 W dynamic at the top, 1 W idle. */
static const struct sim_cpu_model model = {
	.levels = { { 1200000, 800 }, { 1600000, 900 }, { 2000000, 1000 },
		    { 2400000, 1100 }, { 2800000, 1200 } },
	.nlevels = 5,
	.static_mw = 3000,
	.dyn_max_mw = 12000,
	.idle_mw = 1000,
};

/* ---- processor ----------------------------------------------------------- */

static void test_model_valid(void **state)
{
	struct sim_cpu_model m = model;
	assert_true(sim_cpu_model_valid(&m));
	m.nlevels = 0;
	assert_false(sim_cpu_model_valid(&m));
	m.nlevels = SIM_MAX_LEVELS + 1;
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.levels[2].khz = m.levels[1].khz; /* not strictly ascending */
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.levels[0].khz = 999;             /* below 1 MHz */
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.levels[4].khz = 10000001;        /* above 10 GHz */
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.levels[3].mv = 2001;
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.levels[0].mv = 299;
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.dyn_max_mw = 1000001;
	assert_false(sim_cpu_model_valid(&m));
	m = model;
	m.nlevels = 1;                     /* one level is a valid CPU */
	assert_true(sim_cpu_model_valid(&m));
	assert_int_equal(sim_fmax_khz(&m), 1200000);
}

static void test_levels(void **state)
{
	assert_int_equal(sim_top_level(&model), 4);
	assert_int_equal(sim_fmax_khz(&model), 2800000);
	assert_int_equal(sim_level_at_or_above(&model, 0), 0);
	assert_int_equal(sim_level_at_or_above(&model, 1200000), 0);
	assert_int_equal(sim_level_at_or_above(&model, 1200001), 1);
	assert_int_equal(sim_level_at_or_above(&model, 2399999), 3);
	assert_int_equal(sim_level_at_or_above(&model, 2800000), 4);
	assert_int_equal(sim_level_at_or_above(&model, 9000000), 4);
}

static void test_throughput_scaling(void **state)
{
	/* CPU-bound: work scales with f/f_max (1.2/2.8 = 3/7). */
	assert_int_equal(sim_work_ps(&model, 0, 1000, MS), 428571428);
	assert_int_equal(sim_work_ps(&model, 2, 1000, 7 * MS), 5 * S);
	/* Memory-bound: no scaling at all. */
	assert_int_equal(sim_work_ps(&model, 0, 0, MS), S / 1000 * 1000);
	/* Half and half: 1/2 x 3/7 + 1/2 = 5/7. */
	assert_int_equal(sim_work_ps(&model, 0, 500, 7 * MS), 5 * S);
	/* At the top level b does not matter. */
	for (uint32_t b = 0; b <= 1000; b += 125)
		assert_int_equal(sim_work_ps(&model, 4, b, 3 * MS), 3 * S);
	/* b above 1000 is clamped, not extrapolated. */
	assert_int_equal(sim_work_ps(&model, 0, 5000, 7 * MS), 3 * S);
	assert_int_equal(sim_work_ps(&model, 0, 1000, 0), 0);
	/* An hour in one call does not overflow. */
	assert_int_equal(sim_work_ps(&model, 0, 1000, 3600 * S),
			 3600ull * S * 1000 * 3 / 7);
	/* More frequency, more work, never less (every b). */
	for (uint32_t b = 0; b <= 1000; b += 100)
		for (uint32_t l = 1; l < model.nlevels; l++)
			assert_true(sim_work_ps(&model, l, b, MS) >=
				    sim_work_ps(&model, l - 1, b, MS));
}

static uint32_t rng = 2463534242u;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void test_time_for_work_is_the_inverse(void **state)
{
	for (int i = 0; i < 20000; i++) {
		uint32_t level = rnd() % model.nlevels;
		uint32_t b = rnd() % 1001;
		uint64_t work = ((uint64_t)rnd() << 12 | rnd() % 4096) + 1;
		uint64_t t = sim_time_for_work(&model, level, b, work);
		assert_true(sim_work_ps(&model, level, b, t) >= work);
		/* and it is the shortest such time */
		assert_true(sim_work_ps(&model, level, b, t - 1) < work);
	}
	assert_int_equal(sim_time_for_work(&model, 4, 1000, 0), 0);
	assert_int_equal(sim_time_for_work(&model, 0, 1000, 3 * S), 7 * MS);
	/* The largest work still has an exact answer here... */
	assert_int_equal(sim_time_for_work(&model, 0, 1000, UINT64_MAX),
			 43042402838655621ull);
	/* ...but at 1 MHz out of 10 GHz it would take over 2^64 ns:
	 * saturates instead of wrapping. */
	struct sim_cpu_model slow = {
		.levels = { { 1000, 800 }, { 10000000, 1200 } }, .nlevels = 2,
	};
	assert_true(sim_cpu_model_valid(&slow));
	assert_int_equal(sim_time_for_work(&slow, 0, 1000, UINT64_MAX),
			 UINT64_MAX);
	assert_int_equal(sim_time_for_work(&slow, 0, 1000, 1000000),
			 10000000);
}

static void test_power_formula(void **state)
{
	/* Top level: static + all of the dynamic power. */
	assert_int_equal(sim_power_uw(&model, 4, true), 15000000);
	/* 1.2 GHz, 0.8 V: 12 W x 3/7 x (0.8/1.2)^2 = 2.2857 W dynamic. */
	assert_int_equal(sim_power_uw(&model, 0, true), 3000000 + 2285714);
	/* 2.0 GHz, 1.0 V: 12 W x 5/7 x 25/36 = 5.952 W. */
	assert_int_equal(sim_power_uw(&model, 2, true), 3000000 + 5952380);
	/* Idle: flat, whatever the level. */
	for (uint32_t l = 0; l < model.nlevels; l++)
		assert_int_equal(sim_power_uw(&model, l, false), 1000000);
	/* What a unit of CPU-bound work costs over idling, (P_busy -
	 * P_idle) / f, falls with every level down: with this model,
	 * slowing down beats racing to idle. */
	for (uint32_t l = 1; l < model.nlevels; l++)
		assert_true((sim_power_uw(&model, l, true) - 1000000) *
				    model.levels[l - 1].khz >
			    (sim_power_uw(&model, l - 1, true) - 1000000) *
				    model.levels[l].khz);
	/* Busy power alone per unit of work is lowest at 1.6 GHz, not at
	 * the bottom: the static power is paid for longer there. */
	assert_true(sim_power_uw(&model, 1, true) * 1200 <
		    sim_power_uw(&model, 0, true) * 1600);
	assert_true(sim_power_uw(&model, 1, true) * 2000 <
		    sim_power_uw(&model, 2, true) * 1600);
	/* Doubling C x f x V^2 at one level doubles the dynamic part. */
	struct sim_cpu_model m = model;
	m.dyn_max_mw *= 2;
	assert_int_equal(sim_power_uw(&m, 0, true), 3000000 + 2 * 2285714);
}

static void test_energy_sums_exactly(void **state)
{
	struct sim_energy one = { 0 }, many = { 0 };
	/* 15 W for 20 s = 300 J. */
	sim_energy_add(&one, sim_power_uw(&model, 4, true), 20 * S);
	assert_int_equal(one.uj, 300000000);
	assert_int_equal(one.rem_fj, 0);
	/* A million 1 us steps add up to one 1 s step, to the fJ. */
	one = (struct sim_energy){ 0 };
	sim_energy_add(&one, 5285714, S);
	for (int i = 0; i < 1000000; i++)
		sim_energy_add(&many, 5285714, 1000);
	assert_int_equal(many.uj, one.uj);
	assert_int_equal(many.rem_fj, one.rem_fj);
	assert_int_equal(one.uj, 5285714);
	/* Sub-uJ pieces carry over. */
	struct sim_energy e = { 0 };
	sim_energy_add(&e, 1, 999999999); /* 1 uW x ~1 s */
	assert_int_equal(e.uj, 0);
	sim_energy_add(&e, 1, 1);
	assert_int_equal(e.uj, 1);
	assert_int_equal(e.rem_fj, 0);
}

/* ---- ondemand ------------------------------------------------------------ */

static uint32_t target(uint32_t cur, uint32_t load)
{
	return sim_ondemand_target(&model, 80, cur, load,
				   model.levels[cur].khz);
}

static void test_ondemand_steps(void **state)
{
	/* Above up_threshold: straight to the top. */
	assert_int_equal(target(0, 81), 4);
	assert_int_equal(target(2, 100), 4);
	assert_int_equal(target(4, 95), 4);
	/* Between up_threshold - 10 and up_threshold: stay. */
	assert_int_equal(target(2, 80), 2);
	assert_int_equal(target(2, 70), 2);
	assert_int_equal(target(1, 75), 1);
	/* Below: proportional, to the level at or above. At 2.8 GHz, 40 %
	 * load needs 40 x 2.8 / 70 = 1.6 GHz. */
	assert_int_equal(target(4, 40), 1);
	/* 41 % needs 1.64 GHz: the next level up. */
	assert_int_equal(target(4, 41), 2);
	/* 69 % at 2.0 GHz needs 1.97 GHz: 2.0 again. */
	assert_int_equal(target(2, 69), 2);
	/* 60 % at 2.8 GHz: 2.4 GHz exactly. */
	assert_int_equal(target(4, 60), 3);
	/* Idle: the bottom. Already at the bottom: stays. */
	assert_int_equal(target(4, 0), 0);
	assert_int_equal(target(0, 50), 0);
	assert_int_equal(target(0, 0), 0);
	/* Xen weighs the load by the average busy frequency: 50 % busy at
	 * 2.8 GHz while the current level is 1.2 GHz is 140 % of 1.2. */
	assert_int_equal(sim_ondemand_target(&model, 80, 0, 50, 2800000), 4);
	/* and 30 % at 1.2 GHz average while at 2.8 GHz: 0.51 GHz wanted. */
	assert_int_equal(sim_ondemand_target(&model, 80, 4, 30, 1200000), 0);
	/* Another threshold: 50 %: up above 50, down below 40. */
	assert_int_equal(sim_ondemand_target(&model, 50, 2, 51, 2000000), 4);
	assert_int_equal(sim_ondemand_target(&model, 50, 2, 45, 2000000), 2);
	assert_int_equal(sim_ondemand_target(&model, 50, 4, 20, 2800000), 1);
}

static void test_ondemand_sample(void **state)
{
	struct sim_cpu_counters c = { 0 };
	struct sim_ondemand g;
	sim_ondemand_init(&g, 80, SIM_ONDEMAND_SAMPLE_NS, &c);

	/* 8 ms busy in 20 ms at 2.8 GHz: 40 % -> 1.6 GHz. */
	c.busy_ns += 8 * MS;
	c.idle_ns += 12 * MS;
	c.busy_khz_ns += 8 * MS * 2800000;
	assert_int_equal(sim_ondemand_sample(&g, &model, 4, &c), 1);
	/* The next window only: 17 ms busy at 1.6 GHz = 85 %: top. */
	c.busy_ns += 17 * MS;
	c.idle_ns += 3 * MS;
	c.busy_khz_ns += 17 * MS * 1600000;
	assert_int_equal(sim_ondemand_sample(&g, &model, 1, &c), 4);
	/* A window under 100 us decides nothing and is not consumed. */
	c.busy_ns += 50000;
	c.busy_khz_ns += 50000ull * 2800000;
	assert_int_equal(sim_ondemand_sample(&g, &model, 4, &c), 4);
	c.idle_ns += 20 * MS;  /* now 50 us busy in 20.05 ms: idle -> bottom */
	assert_int_equal(sim_ondemand_sample(&g, &model, 4, &c), 0);
	/* A wholly idle window at the bottom stays there. */
	c.idle_ns += 20 * MS;
	assert_int_equal(sim_ondemand_sample(&g, &model, 0, &c), 0);
	/* Thresholds are clamped to Xen's 11-100. */
	sim_ondemand_init(&g, 5, SIM_ONDEMAND_SAMPLE_NS, &c);
	assert_int_equal(g.up_threshold, 11);
	sim_ondemand_init(&g, 200, SIM_ONDEMAND_SAMPLE_NS, &c);
	assert_int_equal(g.up_threshold, 100);
	/* up_threshold 100 never goes up: 100 % is not above 100. */
	c.busy_ns += 20 * MS;
	c.busy_khz_ns += 20 * MS * 1200000;
	assert_int_equal(sim_ondemand_sample(&g, &model, 0, &c), 0);
}

/* ---- workloads ----------------------------------------------------------- */

static const struct sim_workload_params io = {
	.demand_pm = 100, .cpu_bound_pm = 1000, .period_ns = 10 * MS,
	.jitter_pm = 500, .seed = 12345,
};

static struct sim_workload w, w2;

static void test_overloaded(void **state)
{
	struct sim_workload_params p = { .overloaded = true, .seed = 1 };
	sim_workload_init(&w, &p, 0);
	assert_true(sim_workload_runnable(&w));
	assert_int_equal(w.next_arrival, UINT64_MAX);
	assert_false(sim_workload_arrive(&w, UINT64_MAX - 1));
	assert_int_equal(sim_workload_work_to_completion(&w), UINT64_MAX);
	assert_int_equal(sim_workload_do(&w, 12345, 10), 12345);
	assert_int_equal(sim_workload_do(&w, 5, 20), 5);
	assert_int_equal(w.done_ps, 12350);
	assert_true(sim_workload_runnable(&w));
}

static void test_arrivals(void **state)
{
	sim_workload_init(&w, &io, 0);
	assert_int_equal(w.job_ps, 1000000000); /* 1 ms at f_max */
	assert_false(sim_workload_runnable(&w));
	uint64_t prev = 0, first = w.next_arrival;
	for (int i = 0; i < 10000; i++) {
		uint64_t t = w.next_arrival;
		/* each gap within period x (1 +- 0.5) */
		assert_in_range(t - prev, 5 * MS, 15 * MS);
		prev = t;
		assert_true(sim_workload_arrive(&w, t));
		assert_int_equal(sim_workload_do(&w, w.job_ps, t), w.job_ps);
	}
	assert_int_equal(w.jobs_arrived, 10000);
	assert_int_equal(w.jobs_done, 10000);
	assert_int_equal(w.response_sum_ns, 0);
	/* The mean gap is the period (within 1 %). */
	assert_in_range(prev / 10000, 9900000, 10100000);
	/* The same seed gives the same arrivals; another one does not. */
	sim_workload_init(&w2, &io, 0);
	assert_int_equal(w2.next_arrival, first);
	struct sim_workload_params p = io;
	p.seed = 54321;
	sim_workload_init(&w2, &p, 0);
	assert_int_not_equal(w2.next_arrival, first);
	/* No jitter: exactly periodic. */
	p.jitter_pm = 0;
	sim_workload_init(&w2, &p, 7);
	assert_int_equal(w2.next_arrival, 7 + 10 * MS);
	assert_true(sim_workload_arrive(&w2, 7 + 30 * MS));
	assert_int_equal(w2.pending, 3);
	assert_int_equal(w2.next_arrival, 7 + 40 * MS);
}

static void test_jobs_complete_in_order(void **state)
{
	struct sim_workload_params p = io;
	p.jitter_pm = 0;
	sim_workload_init(&w, &p, 0);
	assert_false(sim_workload_arrive(&w, 10 * MS - 1));
	assert_true(sim_workload_arrive(&w, 20 * MS)); /* jobs at 10, 20 */
	assert_int_equal(w.pending, 2);
	assert_int_equal(sim_workload_work_to_completion(&w), S / 1000 * 1000);
	/* Part of the first job. */
	assert_int_equal(sim_workload_do(&w, 400000000, 21 * MS), 400000000);
	assert_int_equal(sim_workload_work_to_completion(&w), 600000000);
	assert_int_equal(w.jobs_done, 0);
	/* The rest of it and all of the second, with work to spare: only
	 * what the jobs need is used. */
	assert_int_equal(sim_workload_do(&w, 5 * S, 23 * MS), 1600000000);
	assert_int_equal(w.jobs_done, 2);
	assert_int_equal(w.response_sum_ns, 13 * MS + 3 * MS);
	assert_int_equal(w.response_max_ns, 13 * MS);
	assert_false(sim_workload_runnable(&w));
	assert_int_equal(sim_workload_work_to_completion(&w), 0);
	assert_int_equal(sim_workload_do(&w, 100, 24 * MS), 0);
	assert_int_equal(w.done_ps, 2 * S);
}

static void test_full_queue_drops(void **state)
{
	struct sim_workload_params p = io;
	p.jitter_pm = 0;
	sim_workload_init(&w, &p, 0);
	/* 2000 jobs arrive while the vCPU never runs. */
	assert_true(sim_workload_arrive(&w, 2000 * 10 * MS));
	assert_int_equal(w.jobs_arrived, 2000);
	assert_int_equal(w.pending, SIM_JOB_QUEUE);
	assert_int_equal(w.jobs_dropped, 2000 - SIM_JOB_QUEUE);
	/* The queue still drains in order: the first job came at 10 ms. */
	sim_workload_do(&w, w.job_ps, 2000 * 10 * MS);
	assert_int_equal(w.response_max_ns, 1999 * 10 * MS);
	assert_int_equal(w.pending, SIM_JOB_QUEUE - 1);
	/* and takes new jobs again, behind the old ones. */
	assert_true(sim_workload_arrive(&w, 2001 * 10 * MS));
	assert_int_equal(w.pending, SIM_JOB_QUEUE);
	sim_workload_do(&w, (uint64_t)SIM_JOB_QUEUE * w.job_ps, 2002 * 10 * MS);
	assert_int_equal(w.pending, 0);
	assert_int_equal(w.jobs_done, SIM_JOB_QUEUE + 1);
}

/* ---- the glue, with sched/credit.c --------------------------------------- */

static struct sim sim;
static struct sim_result res, res2;

/* The seed's two VMs: A (30 %, overloaded, CPU-bound), B (70 %, about
 * 10 % in 1 ms jobs); 2 s. */
static struct sim_config two_vms(enum csched_mode mode, enum sim_governor g)
{
	struct sim_config c = {
		.label = "test", .mode = mode, .governor = g,
		.up_threshold = 80, .sample_ns = 20 * MS,
		.repick_on_freq_change = true, .ncpus = 1, .cpu = model,
		.sched = { .tslice_ns = 30 * MS, .tick_ns = 10 * MS,
			   .ratelimit_ns = MS },
		.duration_ns = 2 * S, .window_ns = 100 * MS, .nvms = 2,
	};
	c.vms[0] = (struct sim_vm_config){ .name = "A", .weight = 300,
		.load = { .overloaded = true, .cpu_bound_pm = 1000,
			  .seed = 1 } };
	c.vms[1] = (struct sim_vm_config){ .name = "B", .weight = 700,
		.load = io };
	return c;
}

/* Work done, in permille of a max-frequency CPU over the run. */
static uint64_t got_pm(const struct sim_config *c, uint32_t vm)
{
	return res.vm[vm].work_ps / (c->duration_ns / 1000) / 1000;
}

static void assert_conserved(const struct sim_config *c)
{
	uint64_t runtime = 0, busy = 0;
	for (uint32_t i = 0; i < c->ncpus; i++) {
		/* every ns of every CPU is busy or idle, once */
		assert_int_equal(res.cpu[i].busy_ns + res.cpu[i].idle_ns,
				 c->duration_ns);
		uint64_t at_levels = 0;
		for (uint32_t l = 0; l < c->cpu.nlevels; l++)
			at_levels += res.cpu[i].level_ns[l];
		assert_int_equal(at_levels, c->duration_ns);
		busy += res.cpu[i].busy_ns;
	}
	/* the scheduler's runtimes add up to the processors' busy time */
	for (uint32_t i = 0; i < c->nvms; i++)
		runtime += res.vm[i].runtime_ns;
	assert_int_equal(runtime, busy);
	assert_int_equal(res.npoints, c->duration_ns / c->window_ns);
}

static void test_config_checks(void **state)
{
	const char *why = NULL;
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_ONDEMAND);
	assert_true(sim_config_valid(&c, &why));
	assert_null(why);
	struct sim_config bad = c;
	bad.ncpus = 0;
	assert_false(sim_config_valid(&bad, &why));
	assert_non_null(why);
	bad = c;
	bad.ncpus = SIM_MAX_CPUS + 1;
	assert_false(sim_config_valid(&bad, NULL));
	bad = c;
	bad.nvms = 0;
	assert_false(sim_config_valid(&bad, NULL));
	bad = c;
	bad.vms[0].cpu = 1;  /* only CPU 0 exists */
	assert_false(sim_config_valid(&bad, NULL));
	bad = c;
	bad.vms[1].load.period_ns = 0;
	assert_false(sim_config_valid(&bad, NULL));
	bad = c;
	bad.window_ns = c.duration_ns / (SIM_MAX_POINTS + 1);
	assert_false(sim_config_valid(&bad, NULL));
	bad = c;
	bad.sample_ns = 0;
	assert_false(sim_config_valid(&bad, NULL));
	bad.governor = SIM_GOV_PERFORMANCE;  /* no samples needed then */
	assert_true(sim_config_valid(&bad, NULL));
	bad = c;
	bad.cpu.nlevels = 0;
	assert_false(sim_config_valid(&bad, NULL));
}

static void test_fixed_at_top_speed(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_PERFORMANCE);
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_int_equal(res.vm[0].promised_pct, 30);
	assert_int_equal(res.vm[1].promised_pct, 70);
	/* A gets its 30 %, B all it asks (about 10 %). */
	assert_in_range(got_pm(&c, 0), 295, 301);
	assert_in_range(got_pm(&c, 1), 90, 110);
	assert_int_equal(res.vm[1].jobs_dropped, 0);
	assert_true(res.vm[1].jobs_done + 1 >= res.vm[1].jobs_arrived);
	assert_int_equal(res.cpu[0].freq_changes, 0);
	assert_int_equal(res.cpu[0].level_ns[4], c.duration_ns);
	/* Energy: 15 W busy, 1 W idle, to the uJ. */
	uint64_t fj = res.cpu[0].busy_ns * 15000000 +
		      res.cpu[0].idle_ns * 1000000;
	assert_int_equal(res.cpu[0].energy.uj, fj / 1000000000);
}

/* At the bottom level for good: fixed credit gives A 30 % of the time,
 * worth 30 x 1.2/2.8 = 12.9 %; DVFS-aware credit gives it 30 % of
 * capacity (70 % of the time). The seed's claim, without a governor. */
static void test_powersave_fixed_vs_dvfs(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_POWERSAVE);
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_int_equal(res.cpu[0].level_ns[0], c.duration_ns);
	assert_in_range(got_pm(&c, 0), 125, 129);
	/* the scheduler's capacity count is the model's work (b = 1) */
	assert_in_range(res.vm[0].capacity_ns, res.vm[0].work_ps / 1000 - 1000,
			res.vm[0].work_ps / 1000 + 1000);

	/* A alone, capped at 30 % */
	c = two_vms(CSCHED_MODE_DVFS, SIM_GOV_POWERSAVE);
	c.nvms = 1;
	c.vms[0].cap = 30;
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_int_equal(res.vm[0].promised_pct, 30);
	assert_in_range(got_pm(&c, 0), 294, 301);
	assert_in_range(res.vm[0].runtime_ns, c.duration_ns * 68 / 100,
			c.duration_ns * 70 / 100);
	assert_in_range(res.vm[0].capacity_ns, res.vm[0].work_ps / 1000 - 1000,
			res.vm[0].work_ps / 1000 + 1000);
	assert_int_equal(res.vm[0].busy_credit_cuts, 0);
}

/*
 * The same with B beside A: 93 % load at 1.2 GHz, still room for A's
 * 30 %. (credit.c once halved the credit of a busy capped vCPU that
 * ended an accounting period above its cap's share, and A fell short:
 * no credit may be cut from it.)
 */
static void test_dvfs_promise_under_load(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_DVFS, SIM_GOV_POWERSAVE);
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_in_range(got_pm(&c, 1), 90, 110);
	assert_int_equal(res.vm[0].busy_credit_cuts, 0);
	assert_in_range(got_pm(&c, 0), 294, 301);
}

static void test_variable_takes_the_rest(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_VARIABLE,
				      SIM_GOV_PERFORMANCE);
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_int_equal(res.cpu[0].idle_ns, 0);
	assert_in_range(got_pm(&c, 0) + got_pm(&c, 1), 995, 1000);
	assert_in_range(got_pm(&c, 1), 90, 110);
}

static void test_ondemand_slows_an_idle_machine(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_ONDEMAND);
	c.nvms = 1;
	c.vms[0] = c.vms[1];  /* B alone: 10 % load */
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	/* 10 % at 2.8 GHz -> 1.2 GHz at the first sample, for good. */
	assert_int_equal(res.cpu[0].freq_changes, 1);
	assert_int_equal(res.cpu[0].level_ns[4], 20 * MS);
	assert_int_equal(res.nsteps, 2);
	assert_int_equal(res.steps[1].t_ns, 20 * MS);
	assert_int_equal(res.steps[1].khz, 1200000);
	assert_in_range(got_pm(&c, 0), 90, 110);
	/* An overloaded VM alone in variable mode keeps it at the top. */
	c.mode = CSCHED_MODE_VARIABLE;
	c.vms[0] = two_vms(CSCHED_MODE_VARIABLE, SIM_GOV_ONDEMAND).vms[0];
	sim_run(&sim, &c, &res);
	assert_int_equal(res.cpu[0].freq_changes, 0);
	assert_int_equal(got_pm(&c, 0), 1000);
}

static void test_deterministic(void **state)
{
	struct sim_config c = two_vms(CSCHED_MODE_DVFS, SIM_GOV_ONDEMAND);
	sim_run(&sim, &c, &res);
	sim_run(&sim, &c, &res2);
	assert_memory_equal(&res, &res2, sizeof(res));
	/* and something does change with the seed */
	c.vms[1].load.seed = 99;
	sim_run(&sim, &c, &res2);
	assert_int_not_equal(res.vm[1].jobs_arrived, res2.vm[1].jobs_arrived);
}

static void test_two_cpus(void **state)
{
	/* Three VMs of equal weight on two CPUs, fixed credit: each is
	 * promised 2/3 of a CPU; two always want more, one uses 10 %. */
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_PERFORMANCE);
	c.ncpus = 2;
	c.nvms = 3;
	c.vms[0].weight = c.vms[1].weight = 256;
	c.vms[2] = c.vms[0];
	c.vms[2].cpu = 1;
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_int_equal(res.vm[0].promised_pct, 66);
	assert_int_equal(res.vm[2].promised_pct, 66);
	assert_in_range(got_pm(&c, 0), 640, 668);
	assert_in_range(got_pm(&c, 2), 640, 668);
	assert_in_range(got_pm(&c, 1), 90, 110);
	/* Variable: the two overloaded VMs share what B leaves, 1.9 CPUs. */
	c.mode = CSCHED_MODE_VARIABLE;
	sim_run(&sim, &c, &res);
	assert_conserved(&c);
	assert_in_range(got_pm(&c, 0) + got_pm(&c, 2), 1880, 1910);
	assert_in_range(got_pm(&c, 0), 900, 1000);
}

static void test_trace(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	struct sim_config c = two_vms(CSCHED_MODE_FIXED, SIM_GOV_ONDEMAND);
	c.trace = open_memstream(&buf, &len);
	assert_non_null(c.trace);
	c.trace_from_ns = 30 * MS;
	c.trace_to_ns = 61 * MS;
	sim_run(&sim, &c, &res);
	fclose(c.trace);
	assert_non_null(strstr(buf, "    30.000 ms  account"));
	assert_non_null(strstr(buf, "cpu0 pick A"));
	assert_null(strstr(buf, "    29."));  /* nothing outside the range */
	assert_null(strstr(buf, "    61."));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_valid),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_throughput_scaling),
		cmocka_unit_test(test_time_for_work_is_the_inverse),
		cmocka_unit_test(test_power_formula),
		cmocka_unit_test(test_energy_sums_exactly),
		cmocka_unit_test(test_ondemand_steps),
		cmocka_unit_test(test_ondemand_sample),
		cmocka_unit_test(test_overloaded),
		cmocka_unit_test(test_arrivals),
		cmocka_unit_test(test_jobs_complete_in_order),
		cmocka_unit_test(test_full_queue_drops),
		cmocka_unit_test(test_config_checks),
		cmocka_unit_test(test_fixed_at_top_speed),
		cmocka_unit_test(test_powersave_fixed_vs_dvfs),
		cmocka_unit_test(test_dvfs_promise_under_load),
		cmocka_unit_test(test_variable_takes_the_rest),
		cmocka_unit_test(test_ondemand_slows_an_idle_machine),
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_two_cpus),
		cmocka_unit_test(test_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
