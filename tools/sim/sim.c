/*
 * The simulator's glue (see sim.h): one loop that finds the next event,
 * accounts the interval up to it on every CPU (work done, busy/idle time,
 * energy), then handles what happens at that instant in the order Volt's
 * glue would: blocks, wakes, ticks, accounting, frequency changes, slice
 * ends, and finally one csched_pick_next per CPU that must reschedule.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tools/sim/sim.h"

#define NEVER UINT64_MAX
/* Events at the same instant, in a row, before we call it a livelock
 * (a decision whose run_until never moves forward). */
#define MAX_STALLED_EVENTS 100000

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

bool sim_config_valid(const struct sim_config *c, const char **why)
{
	const char *w = NULL;
	if (!sim_cpu_model_valid(&c->cpu))
		w = "processor model: levels or powers out of range";
	else if (c->ncpus == 0 || c->ncpus > SIM_MAX_CPUS)
		w = "ncpus: 1 to SIM_MAX_CPUS";
	else if (c->nvms == 0 || c->nvms > SIM_MAX_VMS)
		w = "nvms: 1 to SIM_MAX_VMS";
	else if (!c->sched.tslice_ns || !c->sched.tick_ns)
		w = "scheduler: tslice and tick must be set";
	else if (c->governor == SIM_GOV_ONDEMAND && c->sample_ns == 0)
		w = "ondemand: sampling period must be set";
	else if (!c->duration_ns || !c->window_ns ||
		 c->duration_ns / c->window_ns > SIM_MAX_POINTS)
		w = "duration / window: at most SIM_MAX_POINTS windows";
	for (uint32_t i = 0; !w && i < c->nvms; i++) {
		const struct sim_vm_config *v = &c->vms[i];
		if (v->cpu >= c->ncpus)
			w = "vm: starting cpu out of range";
		else if (!v->load.overloaded && (!v->load.period_ns ||
						 !v->load.demand_pm))
			w = "vm: an I/O-like load needs a period and a demand";
	}
	if (why)
		*why = w;
	return !w;
}

static const char *const state_names[] = {
	[CSCHED_BLOCKED] = "blocked", [CSCHED_RUNNABLE] = "runnable",
	[CSCHED_RUNNING] = "running", [CSCHED_PARKED] = "parked",
};

static const char *pri_name(enum csched_pri p)
{
	switch (p) {
	case CSCHED_PRI_BOOST: return "boost";
	case CSCHED_PRI_UNDER: return "under";
	case CSCHED_PRI_OVER: return "over";
	default: return "idle";
	}
}

/* One trace line: what happened, then every VM's vCPU as the policy
 * sees it. */
static void trace(struct sim *sim, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void trace(struct sim *sim, const char *fmt, ...)
{
	const struct sim_config *c = sim->c;
	va_list ap;
	if (!c->trace || sim->now < c->trace_from_ns ||
	    sim->now >= c->trace_to_ns)
		return;
	fprintf(c->trace, "%10.3f ms  ", sim->now / 1e6);
	va_start(ap, fmt);
	vfprintf(c->trace, fmt, ap);
	va_end(ap);
	for (uint32_t i = 0; i < c->nvms; i++) {
		const struct csched_vcpu *v = &sim->vms[i].v;
		fprintf(c->trace, "  | %s %s/%s cr=%d", c->vms[i].name,
			state_names[v->state], pri_name(v->pri), v->credit);
	}
	fprintf(c->trace, "\n");
}

static struct sim_vm *vm_of(struct csched_vcpu *v)
{
	return v ? v->owner : NULL;
}

static struct csched_vcpu *curr(struct sim *sim, uint32_t cpu)
{
	return sim->s.cpus[cpu].curr;
}

/* ---- frequency ----------------------------------------------------------- */

static void set_level(struct sim *sim, uint32_t cpu, uint32_t level)
{
	const struct sim_cpu_model *m = &sim->c->cpu;
	struct sim_cpu *pc = &sim->cpus[cpu];
	if (level != pc->level) {
		sim->r->cpu[cpu].freq_changes++;
		trace(sim, "cpu%u %u -> %u MHz", cpu,
		      m->levels[pc->level].khz / 1000,
		      m->levels[level].khz / 1000);
	}
	pc->level = level;
	if (cpu == 0 && sim->r->nsteps < SIM_MAX_STEPS)
		sim->r->steps[sim->r->nsteps++] = (struct sim_freq_step){
			sim->now, m->levels[level].khz };
	/* The policy charges the running vCPU at the old frequency first. */
	csched_set_freq(&sim->s, cpu, m->levels[level].khz, sim_fmax_khz(m),
			sim->now);
	/* The decision's run_until came from the old frequency: in dvfs
	 * mode a capped vCPU's credit now lasts longer or shorter. Decide
	 * again (csched_set_freq does not say whether it matters). */
	if (sim->c->repick_on_freq_change)
		pc->need_resched = true;
}

static void governor_sample(struct sim *sim, uint32_t cpu)
{
	struct sim_cpu *pc = &sim->cpus[cpu];
	uint32_t level = sim_ondemand_sample(&pc->gov, &sim->c->cpu,
					     pc->level, &pc->ctr);
	if (level != pc->level)
		set_level(sim, cpu, level);
}

/* ---- scheduling ---------------------------------------------------------- */

static void pick(struct sim *sim, uint32_t cpu)
{
	struct sim_cpu *pc = &sim->cpus[cpu];
	struct csched_decision d;
	bool was_busy = curr(sim, cpu) != NULL;

	csched_pick_next(&sim->s, cpu, sim->now, &d);
	trace(sim, "cpu%u pick %s until %+.3f", cpu,
	      d.next ? sim->c->vms[vm_of(d.next) - sim->vms].name : "idle",
	      d.run_until ? (d.run_until - sim->now) / 1e6 : -1.0);
	pc->need_resched = false;
	pc->run_until = d.run_until ? d.run_until : NEVER;
	if (d.next && !was_busy)
		pc->next_tick = sim->now + sim->c->sched.tick_ns;
	if (!d.next) {
		/* Volt's idle loop comes back once per slice to steal. */
		pc->next_tick = NEVER;
		pc->idle_until = sim->now + sim->c->sched.tslice_ns;
	}
}

static void resched_mask(struct sim *sim, uint64_t mask)
{
	for (uint32_t c = 0; c < sim->c->ncpus; c++)
		if (mask & (1ull << c))
			sim->cpus[c].need_resched = true;
}

static void wake(struct sim *sim, struct sim_vm *vm)
{
	int cpu = csched_wake(&sim->s, &vm->v, sim->now);
	if (cpu >= 0 && (uint32_t)cpu < sim->c->ncpus)
		sim->cpus[cpu].need_resched = true;
}

/* ---- time ---------------------------------------------------------------- */

/* When the running vCPU's oldest job completes at the current level. */
static uint64_t completion_time(struct sim *sim, uint32_t cpu)
{
	struct sim_vm *vm = vm_of(curr(sim, cpu));
	if (!vm || vm->wl.p.overloaded)
		return NEVER;
	uint64_t work = sim_workload_work_to_completion(&vm->wl);
	uint64_t t = sim_time_for_work(&sim->c->cpu, sim->cpus[cpu].level,
				       vm->wl.p.cpu_bound_pm, work);
	return t > NEVER - sim->now ? NEVER : sim->now + t;
}

static uint64_t next_event(struct sim *sim)
{
	const struct sim_config *c = sim->c;
	uint64_t t = min64(c->duration_ns, sim->next_acct);
	t = min64(t, sim->next_window);
	for (uint32_t i = 0; i < c->ncpus; i++) {
		struct sim_cpu *pc = &sim->cpus[i];
		t = min64(t, pc->next_sample);
		if (curr(sim, i)) {
			t = min64(t, pc->next_tick);
			t = min64(t, pc->run_until);
			t = min64(t, completion_time(sim, i));
		} else {
			t = min64(t, pc->idle_until);
		}
	}
	for (uint32_t i = 0; i < c->nvms; i++)
		t = min64(t, sim->vms[i].wl.next_arrival);
	return t;
}

/* Nothing changes between now and `until`: account it on every CPU. */
static void advance(struct sim *sim, uint64_t until)
{
	const struct sim_cpu_model *m = &sim->c->cpu;
	uint64_t dt = until - sim->now;
	for (uint32_t i = 0; i < sim->c->ncpus; i++) {
		struct sim_cpu *pc = &sim->cpus[i];
		struct sim_cpu_result *cr = &sim->r->cpu[i];
		struct sim_vm *vm = vm_of(curr(sim, i));
		uint64_t khz = m->levels[pc->level].khz;
		bool busy = vm != NULL;

		sim_energy_add(&cr->energy, sim_power_uw(m, pc->level, busy),
			       dt);
		cr->khz_ns += khz * dt;
		cr->level_ns[pc->level] += dt;
		pc->win_khz_ns += khz * dt;
		if (!busy) {
			pc->ctr.idle_ns += dt;
			continue;
		}
		pc->ctr.busy_ns += dt;
		pc->ctr.busy_khz_ns += khz * dt;
		uint64_t work = sim_work_ps(m, pc->level,
					    vm->wl.p.cpu_bound_pm, dt);
		vm->win_work_ps += sim_workload_do(&vm->wl, work, until);
	}
	sim->now = until;
}

static void close_window(struct sim *sim)
{
	struct sim_result *r = sim->r;
	uint64_t len = sim->c->window_ns;
	if (r->npoints < SIM_MAX_POINTS) {
		for (uint32_t i = 0; i < sim->c->nvms; i++)
			/* ps per ns = permille of a max-frequency CPU */
			r->vm[i].series_pm[r->npoints] =
				(uint32_t)(sim->vms[i].win_work_ps / len);
		for (uint32_t i = 0; i < sim->c->ncpus; i++)
			r->cpu[i].series_khz[r->npoints] =
				(uint32_t)(sim->cpus[i].win_khz_ns / len);
		r->npoints++;
	}
	for (uint32_t i = 0; i < sim->c->nvms; i++)
		sim->vms[i].win_work_ps = 0;
	for (uint32_t i = 0; i < sim->c->ncpus; i++)
		sim->cpus[i].win_khz_ns = 0;
	sim->next_window += len;
}

static bool busy_state(enum csched_state st)
{
	return st == CSCHED_RUNNING || st == CSCHED_RUNNABLE;
}

/* csched_account, watching what it gives busy vCPUs: at least their
 * promise for the period (credit_pct x credits per period / 100), up to
 * that much in hand. */
static void account(struct sim *sim)
{
	const struct sim_config *c = sim->c;
	int64_t floor_ok[SIM_MAX_VMS];
	bool busy[SIM_MAX_VMS];
	int64_t per_period = (int64_t)(c->sched.tslice_ns / 1000000) *
			     CSCHED_CREDITS_PER_MS;
	for (uint32_t i = 0; i < c->nvms; i++) {
		struct sim_vm *vm = &sim->vms[i];
		int64_t due = (int64_t)csched_dom_credit_pct(&sim->s,
							     &vm->dom) *
			      per_period / 100 / (int64_t)vm->dom.vcpu_count;
		int64_t before = vm->v.credit;
		floor_ok[i] = (before + due < due ? before + due : due) - 2;
		busy[i] = busy_state(vm->v.state);
	}
	resched_mask(sim, csched_account(&sim->s, sim->now));
	for (uint32_t i = 0; i < c->nvms; i++) {
		sim->r->vm[i].accountings++;
		if (busy[i] && sim->vms[i].v.credit < floor_ok[i])
			sim->r->vm[i].busy_credit_cuts++;
	}
}

/* Everything due at sim->now, in Volt's glue's order. */
static void handle_events(struct sim *sim)
{
	const struct sim_config *c = sim->c;
	uint64_t now = sim->now;

	for (uint32_t i = 0; i < c->ncpus; i++) {
		struct sim_vm *vm = vm_of(curr(sim, i));
		if (vm && !sim_workload_runnable(&vm->wl)) {
			csched_block(&sim->s, &vm->v, now);  /* HLT */
			trace(sim, "cpu%u %s blocks", i,
			      c->vms[vm - sim->vms].name);
			sim->cpus[i].need_resched = true;
		}
	}
	for (uint32_t i = 0; i < c->nvms; i++) {
		struct sim_vm *vm = &sim->vms[i];
		if (sim_workload_arrive(&vm->wl, now) &&
		    vm->v.state == CSCHED_BLOCKED) {
			wake(sim, vm);
			trace(sim, "%s wakes", c->vms[i].name);
		}
	}
	for (uint32_t i = 0; i < c->ncpus; i++) {
		struct sim_cpu *pc = &sim->cpus[i];
		if (curr(sim, i) && now >= pc->next_tick) {
			bool resched = csched_tick(&sim->s, i, now);
			pc->need_resched |= resched;
			trace(sim, "cpu%u tick%s", i,
			      resched ? " resched" : "");
			pc->next_tick = now + c->sched.tick_ns;
		}
	}
	if (now >= sim->next_acct) {
		sim->next_acct += c->sched.tslice_ns;
		account(sim);
		trace(sim, "account");
	}
	for (uint32_t i = 0; i < c->ncpus; i++) {
		struct sim_cpu *pc = &sim->cpus[i];
		if (now >= pc->next_sample) {
			pc->next_sample += c->sample_ns;
			governor_sample(sim, i);
		}
		if (now >= pc->run_until ||
		    (!curr(sim, i) && now >= pc->idle_until))
			pc->need_resched = true;
	}
	if (now >= sim->next_window)
		close_window(sim);
	for (uint32_t i = 0; i < c->ncpus; i++)
		if (sim->cpus[i].need_resched)
			pick(sim, i);
}

/* ---- a run --------------------------------------------------------------- */

static void start(struct sim *sim, const struct sim_config *c,
		  struct sim_result *r)
{
	uint64_t all = c->ncpus >= 64 ? ~0ull : (1ull << c->ncpus) - 1;

	memset(sim, 0, sizeof(*sim));
	memset(r, 0, sizeof(*r));
	sim->c = c;
	sim->r = r;
	csched_init(&sim->s, &c->sched, c->ncpus, 0);
	sim->next_acct = c->sched.tslice_ns;
	sim->next_window = c->window_ns;
	for (uint32_t i = 0; i < c->ncpus; i++) {
		struct sim_cpu *pc = &sim->cpus[i];
		pc->level = c->governor == SIM_GOV_POWERSAVE ? 0 :
			    sim_top_level(&c->cpu);
		pc->next_tick = pc->run_until = pc->idle_until = NEVER;
		pc->need_resched = true;
		set_level(sim, i, pc->level);
		if (c->governor == SIM_GOV_ONDEMAND) {
			sim_ondemand_init(&pc->gov, c->up_threshold,
					  c->sample_ns, &pc->ctr);
			pc->next_sample = c->sample_ns;
		} else {
			pc->next_sample = NEVER;  /* stays where it is */
		}
	}
	for (uint32_t i = 0; i < c->nvms; i++) {
		const struct sim_vm_config *vc = &c->vms[i];
		struct sim_vm *vm = &sim->vms[i];
		csched_dom_init(&sim->s, &vm->dom, i, vc->weight, vc->cap,
				c->mode);
		csched_vcpu_add(&sim->s, &vm->v, &vm->dom, 0, vm, all,
				vc->cpu, 0);
		sim_workload_init(&vm->wl, &vc->load, 0);
	}
	for (uint32_t i = 0; i < c->nvms; i++) {
		r->vm[i].promised_pct =
			csched_dom_credit_pct(&sim->s, &sim->vms[i].dom);
		if (sim_workload_runnable(&sim->vms[i].wl))
			wake(sim, &sim->vms[i]);
	}
	for (uint32_t i = 0; i < c->ncpus; i++)
		pick(sim, i);
}

static void finish(struct sim *sim)
{
	const struct sim_config *c = sim->c;
	struct sim_result *r = sim->r;

	csched_sync(&sim->s, sim->now);
	for (uint32_t i = 0; i < c->nvms; i++) {
		const struct csched_vcpu *v = &sim->vms[i].v;
		const struct sim_workload *w = &sim->vms[i].wl;
		struct sim_vm_result *vr = &r->vm[i];
		vr->work_ps = w->done_ps;
		vr->runtime_ns = v->runtime_ns;
		vr->capacity_ns = v->capacity_ns;
		vr->wakeups = v->wakeups;
		vr->wake_latency_sum_ns = v->wake_latency_sum_ns;
		vr->wake_latency_max_ns = v->wake_latency_max_ns;
		vr->parks = v->parks;
		vr->jobs_arrived = w->jobs_arrived;
		vr->jobs_done = w->jobs_done;
		vr->jobs_dropped = w->jobs_dropped;
		vr->measured_jobs = w->measured_jobs;
		vr->response_sum_ns = w->response_sum_ns;
		vr->response_max_ns = w->response_max_ns;
		vr->response_max_all_ns = w->response_max_all_ns;
	}
	for (uint32_t i = 0; i < c->ncpus; i++) {
		r->cpu[i].busy_ns = sim->cpus[i].ctr.busy_ns;
		r->cpu[i].idle_ns = sim->cpus[i].ctr.idle_ns;
	}
}

void sim_run(struct sim *sim, const struct sim_config *c,
	     struct sim_result *r)
{
	uint32_t stalled = 0;
	start(sim, c, r);
	while (sim->now < c->duration_ns) {
		uint64_t t = next_event(sim);
		stalled = t == sim->now ? stalled + 1 : 0;
		if (stalled > MAX_STALLED_EVENTS) {
			fprintf(stderr, "volt-sim: %s: time stuck at %llu ns\n",
				c->label, (unsigned long long)t);
			abort();
		}
		advance(sim, t);
		handle_events(sim);
	}
	finish(sim);
}

uint64_t sim_total_energy_uj(const struct sim_config *c,
			     const struct sim_result *r)
{
	uint64_t uj = 0;
	for (uint32_t i = 0; i < c->ncpus; i++)
		uj += r->cpu[i].energy.uj;
	return uj;
}

uint64_t sim_total_work_ps(const struct sim_config *c,
			   const struct sim_result *r)
{
	uint64_t ps = 0;
	for (uint32_t i = 0; i < c->nvms; i++)
		ps += r->vm[i].work_ps;
	return ps;
}

uint64_t sim_avg_khz(const struct sim_config *c, const struct sim_result *r)
{
	uint64_t khz_ns = 0, ns = 0;
	for (uint32_t i = 0; i < c->ncpus; i++) {
		khz_ns += r->cpu[i].khz_ns;
		ns += r->cpu[i].busy_ns + r->cpu[i].idle_ns;
	}
	return ns ? khz_ns / ns : 0;
}
