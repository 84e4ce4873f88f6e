/*
 * The credit scheduler's policy (see credit.h and docs/scheduler.md):
 * Xen's credit1 semantics (xen/common/sched/credit.c: csched_acct,
 * csched_schedule, burn_credits, csched_unit_wake, csched_load_balance)
 * with exact charging and three enforcement modes.
 *
 * Credit: 10 credits per ms of running (per ms of max-frequency capacity
 * in dvfs mode). Every time slice csched_account shares the credit of
 * all CPUs for one slice among the active domains by weight. A vCPU with
 * credit >= 0 is UNDER, below 0 OVER; a capped vCPU below 0 is PARKED
 * (off the queues) until accounting brings it back to >= 0.
 *
 * Pure C, integer only, no 128-bit division: time, frequency and CPU
 * numbers come in as arguments; the caller serializes every call.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sched/credit.h"

#include "sched/credit_internal.h"

/* ---- active vCPUs and domains (earning credit) --------------------------- */

static void activate(struct csched *s, struct csched_vcpu *v)
{
	struct csched_dom *d = v->dom;

	if (v->is_active)
		return;
	v->is_active = true;
	link_insert_before(&d->active, &v->active_link);
	d->active_count++;
	if (!d->is_active) {
		d->is_active = true;
		link_insert_before(&s->active_doms, &d->active_link);
	}
}

void cs_deactivate(struct csched_vcpu *v)
{
	struct csched_dom *d = v->dom;

	if (!v->is_active)
		return;
	v->is_active = false;
	link_del(&v->active_link);
	d->active_count--;
	if (d->active_count == 0) {
		d->is_active = false;
		link_del(&d->active_link);
	}
}

/* ---- charging ------------------------------------------------------------ */

/* Subtract `cost_ns` worth of credit, keeping the sub-credit remainder;
 * never below the floor of minus one period. */
static void burn(const struct csched *s, struct csched_vcpu *v,
		 uint64_t cost_ns)
{
	uint64_t r = cost_ns % NS_PER_CREDIT + v->residual;
	uint64_t credits = cost_ns / NS_PER_CREDIT + r / NS_PER_CREDIT;
	int64_t floor = -(int64_t)credits_per_tslice(s);
	int64_t c;

	v->residual = r % NS_PER_CREDIT;
	c = (int64_t)v->credit - (int64_t)min_u64(credits, INT32_MAX);
	v->credit = (int32_t)(c < floor ? floor : c);
}

/*
 * Charge v, which ran on v->cpu, for (charged_until, now]. Runtime and
 * capacity always grow; the credit pays for runtime, or for capacity in
 * dvfs mode. Running makes a vCPU active (it earns credit again), and
 * credit below zero makes it OVER (boost is for vCPUs with credit).
 */
static void charge(struct csched *s, struct csched_vcpu *v, uint64_t now)
{
	const struct csched_pcpu *pc = &s->cpus[v->cpu];
	struct csched_dom *d = v->dom;
	uint64_t delta, scaled;

	if (now <= v->charged_until)
		return;
	delta = now - v->charged_until;
	v->charged_until = now;
	scaled = delta;
	if (freq_scaled(pc))
		scaled = mul_div_rem(delta, pc->f_cur_khz, pc->f_max_khz,
				     &v->freq_residual);
	v->runtime_ns += delta;
	v->capacity_ns += scaled;
	d->runtime_ns += delta;
	d->capacity_ns += scaled;
	burn(s, v, d->mode == CSCHED_MODE_DVFS ? scaled : delta);
	activate(s, v);
	if (v->credit < 0)
		v->pri = CSCHED_PRI_OVER;
}

/* When a capped v that starts running at `now` goes below zero credit. */
static uint64_t out_of_credit_at(const struct csched *s,
				 const struct csched_vcpu *v, uint32_t cpu,
				 uint64_t now)
{
	const struct csched_pcpu *pc = &s->cpus[cpu];
	uint64_t cost;

	if (v->credit < 0)
		return now;
	cost = ((uint64_t)v->credit + 1) * NS_PER_CREDIT - v->residual;
	cost = min_u64(cost, s->p.tslice_ns);
	if (v->dom->mode == CSCHED_MODE_DVFS && freq_scaled(pc))
		cost = div_up(cost * pc->f_max_khz, pc->f_cur_khz);
	return now + cost;
}

/* ---- runqueues ----------------------------------------------------------- */

static bool on_runq(const struct csched_vcpu *v)
{
	return !link_empty(&v->runq_link);
}

/* After every vCPU of the same or higher priority (credit1's FIFO). */
static void runq_insert(struct csched_pcpu *pc, struct csched_vcpu *v)
{
	struct csched_link *it = pc->runq.next;

	while (it != &pc->runq && runq_entry(it)->pri >= v->pri)
		it = it->next;
	link_insert_before(it, &v->runq_link);
}

struct csched_vcpu *cs_runq_head(struct csched_pcpu *pc)
{
	return link_empty(&pc->runq) ? NULL : runq_entry(pc->runq.next);
}

/* Accounting changed priorities: stable re-sort (credit1's runq_sort). */
void cs_runq_sort(struct csched_pcpu *pc)
{
	struct csched_link old = pc->runq;

	if (link_empty(&pc->runq))
		return;
	old.next->prev = &old;
	old.prev->next = &old;
	link_init(&pc->runq);
	while (!link_empty(&old)) {
		struct csched_vcpu *v = runq_entry(old.next);

		link_del(&v->runq_link);
		runq_insert(pc, v);
	}
}

static bool cpu_idle(const struct csched *s, uint32_t cpu)
{
	const struct csched_pcpu *pc = &s->cpus[cpu];

	return !pc->curr && link_empty(&pc->runq);
}

/*
 * Where a vCPU that becomes runnable is queued: its own CPU if allowed
 * and idle, else an idle CPU it may run on, else its own CPU, else the
 * next one it may run on. -1: its affinity has no online CPU.
 */
static int place(const struct csched *s, const struct csched_vcpu *v)
{
	uint64_t allowed = v->affinity & online_mask(s);
	uint32_t own = v->cpu < s->ncpus ? v->cpu : 0;
	bool own_ok = cpu_allowed(s, v, own);
	uint32_t i, c;

	if (!allowed)
		return -1;
	if (own_ok && cpu_idle(s, own))
		return (int)own;
	for (i = 1; i < s->ncpus; i++) {
		c = (own + i) % s->ncpus;
		if (cpu_allowed(s, v, c) && cpu_idle(s, c))
			return (int)c;
	}
	if (own_ok)
		return (int)own;
	for (i = 1; i < s->ncpus; i++) {
		c = (own + i) % s->ncpus;
		if (cpu_allowed(s, v, c))
			return (int)c;
	}
	return -1;
}

/* Should `cpu` reschedule for v, just queued there? */
bool cs_preempts(const struct csched *s, uint32_t cpu,
		     const struct csched_vcpu *v)
{
	const struct csched_vcpu *curr = s->cpus[cpu].curr;

	return !curr || curr->state != CSCHED_RUNNING || v->pri > curr->pri;
}

/* Queue a vCPU that became runnable; returns its CPU or -1. */
int cs_make_runnable(struct csched *s, struct csched_vcpu *v)
{
	int cpu = place(s, v);

	if (cpu < 0)
		return -1;
	v->cpu = (uint32_t)cpu;
	v->state = CSCHED_RUNNABLE;
	runq_insert(&s->cpus[cpu], v);
	return cpu;
}

void cs_park(struct csched *s, struct csched_vcpu *v)
{
	if (on_runq(v))
		link_del(&v->runq_link);
	v->state = CSCHED_PARKED;
	v->pri = CSCHED_PRI_OVER;
	v->parks++;
	activate(s, v); /* it must earn its way back */
}

/*
 * The best vCPU queued on another (busy) CPU that may run on `cpu` and
 * has a priority above `level` (credit1's csched_runq_steal: an idle
 * peer is skipped, it is about to pick from its own queue).
 */
struct csched_vcpu *cs_steal_candidate(struct csched *s, uint32_t cpu,
					   int level)
{
	struct csched_vcpu *best = NULL;
	uint32_t i;

	for (i = 1; i < s->ncpus; i++) {
		struct csched_pcpu *peer = &s->cpus[(cpu + i) % s->ncpus];
		struct csched_link *it;

		if (!peer->curr)
			continue;
		for (it = peer->runq.next; it != &peer->runq; it = it->next) {
			struct csched_vcpu *v = runq_entry(it);

			if (v->pri <= level || (best && v->pri <= best->pri))
				break;
			if (cpu_allowed(s, v, cpu)) {
				best = v;
				break;
			}
		}
	}
	return best;
}

/* Close the current busy or idle stretch of a CPU at `now`. */
static void cpu_time(struct csched_pcpu *pc, uint64_t now)
{
	if (now <= pc->since)
		return;
	if (pc->curr)
		pc->busy_ns += now - pc->since;
	else
		pc->idle_ns += now - pc->since;
	pc->since = now;
}

/* ---- set-up -------------------------------------------------------------- */

static void set_params(struct csched *s, const struct csched_params *p)
{
	s->p.tslice_ns = DEFAULT_TSLICE_NS;
	s->p.tick_ns = DEFAULT_TICK_NS;
	s->p.ratelimit_ns = DEFAULT_RATELIMIT_NS;
	if (!p)
		return;
	if (p->tslice_ns) {
		s->p.tslice_ns = p->tslice_ns < TSLICE_MIN_NS ? TSLICE_MIN_NS
			: min_u64(p->tslice_ns, TSLICE_MAX_NS);
		/* whole credits per slice, so periods hand out exact time */
		s->p.tslice_ns -= s->p.tslice_ns % NS_PER_CREDIT;
	}
	if (p->tick_ns)
		s->p.tick_ns = p->tick_ns < TICK_MIN_NS ? TICK_MIN_NS
			: p->tick_ns;
	s->p.tick_ns = min_u64(s->p.tick_ns, s->p.tslice_ns);
	/* As Xen: a rate limit longer than the slice is the slice. */
	s->p.ratelimit_ns = min_u64(p->ratelimit_ns, s->p.tslice_ns);
}

void csched_init(struct csched *s, const struct csched_params *p,
		 uint32_t ncpus, uint64_t now)
{
	uint32_t i;

	*s = (struct csched){ 0 };
	set_params(s, p);
	if (ncpus == 0)
		ncpus = 1;
	s->ncpus = min_u32(ncpus, CSCHED_MAX_CPUS);
	for (i = 0; i < CSCHED_MAX_CPUS; i++) {
		link_init(&s->cpus[i].runq);
		s->cpus[i].since = now;
		s->cpus[i].online = i < s->ncpus;
	}
	link_init(&s->active_doms);
	link_init(&s->all_doms);
	s->last_acct = now;
}

void csched_dom_init(struct csched *s, struct csched_dom *d, uint32_t id,
		     uint32_t weight, uint32_t cap, enum csched_mode mode)
{
	*d = (struct csched_dom){ 0 };
	d->id = id;
	d->weight = weight;
	d->weight = dom_weight(d);
	d->cap = min_u32(cap, 100 * CSCHED_MAX_CPUS);
	d->mode = mode <= CSCHED_MODE_DVFS ? mode : CSCHED_MODE_VARIABLE;
	link_init(&d->active);
	link_init(&d->active_link);
	link_insert_before(&s->all_doms, &d->all_link);
}

void csched_vcpu_add(struct csched *s, struct csched_vcpu *v,
		     struct csched_dom *d, uint32_t id, void *owner,
		     uint64_t affinity, uint32_t cpu, uint64_t now)
{
	*v = (struct csched_vcpu){ 0 };
	v->dom = d;
	v->id = id;
	v->owner = owner;
	v->affinity = affinity;
	v->state = CSCHED_BLOCKED;
	v->pri = CSCHED_PRI_UNDER;
	v->cpu = cpu < s->ncpus ? cpu : 0;
	if (!cpu_allowed(s, v, v->cpu)) {
		int c = place(s, v);

		if (c >= 0)
			v->cpu = (uint32_t)c;
	}
	v->ran_on = NO_CPU;
	v->charged_until = now;
	link_init(&v->runq_link);
	link_init(&v->active_link);
	d->vcpu_count++;
}

/* Take a vCPU off every list; it ends BLOCKED and not current. */
static void detach_vcpu(struct csched *s, struct csched_vcpu *v)
{
	if (on_runq(v))
		link_del(&v->runq_link);
	if (v->cpu < s->ncpus && s->cpus[v->cpu].curr == v)
		s->cpus[v->cpu].curr = NULL;
	cs_deactivate(v);
	v->state = CSCHED_BLOCKED;
	v->wake_pending = false;
}

void csched_vcpu_remove(struct csched *s, struct csched_vcpu *v)
{
	detach_vcpu(s, v);
	if (v->dom->vcpu_count)
		v->dom->vcpu_count--;
}

void csched_dom_remove(struct csched *s, struct csched_dom *d)
{
	uint32_t c;

	/* Its vCPUs should be gone already; take any left off the queues. */
	for (c = 0; c < s->ncpus; c++) {
		struct csched_pcpu *pc = &s->cpus[c];
		struct csched_link *it = pc->runq.next;

		while (it != &pc->runq) {
			struct csched_vcpu *v = runq_entry(it);

			it = it->next;
			if (v->dom == d)
				detach_vcpu(s, v);
		}
		if (pc->curr && pc->curr->dom == d)
			detach_vcpu(s, pc->curr);
	}
	while (!link_empty(&d->active))
		detach_vcpu(s, LINK_ENTRY(d->active.next, struct csched_vcpu,
					  active_link));
	link_del(&d->active_link);
	link_del(&d->all_link);
	d->is_active = false;
	d->vcpu_count = 0;
}

static uint64_t all_doms_weight(const struct csched *s)
{
	const struct csched_link *it;
	uint64_t total = 0;

	for (it = s->all_doms.next; it != &s->all_doms; it = it->next)
		total += dom_weight(LINK_ENTRY(it, struct csched_dom,
					       all_link));
	return total;
}

/* The cap, or the weight's share of all CPUs (at weight ratios, not
 * by active vCPUs: a promise must not depend on who runs); at most one
 * CPU per vCPU. Rounded down. */
uint32_t csched_dom_credit_pct(const struct csched *s,
			       const struct csched_dom *d)
{
	uint64_t limit = 100ull * d->vcpu_count, pct = d->cap;
	uint64_t total = all_doms_weight(s);

	if (!pct && total)
		pct = (uint64_t)dom_weight(d) * s->ncpus * 100 / total;
	return (uint32_t)min_u64(pct, limit);
}

/* ---- wake, block --------------------------------------------------------- */

int csched_wake(struct csched *s, struct csched_vcpu *v, uint64_t now)
{
	int cpu;

	/* Not blocked, or no online CPU it may run on: stays as it is. */
	if (v->state != CSCHED_BLOCKED || !(v->affinity & online_mask(s)))
		return -1;
	v->wakeups++;
	/* credit1's boost on wake, for vCPUs that have credit left */
	v->pri = v->credit >= 0 ? CSCHED_PRI_BOOST : CSCHED_PRI_OVER;
	if (v->cpu < s->ncpus && s->cpus[v->cpu].curr == v) {
		/* Blocked but not switched away yet: it just goes on (a
		 * wake latency of 0). */
		v->state = CSCHED_RUNNING;
		v->charged_until = now;
		return -1;
	}
	/* The latency runs until it runs, parked time included: that is
	 * what the guest sees. */
	v->woken_at = now;
	v->wake_pending = true;
	if (must_park(v)) {
		cs_park(s, v);
		return -1;
	}
	cpu = cs_make_runnable(s, v);
	return cpu >= 0 && cs_preempts(s, (uint32_t)cpu, v) ? cpu : -1;
}

void csched_block(struct csched *s, struct csched_vcpu *v, uint64_t now)
{
	bool current = v->cpu < s->ncpus && s->cpus[v->cpu].curr == v;

	if (v->state == CSCHED_BLOCKED)
		return;
	if (current)
		charge(s, v, now);
	if (on_runq(v))
		link_del(&v->runq_link);
	v->state = CSCHED_BLOCKED;
	v->wake_pending = false;
}

/* ---- pick_next ----------------------------------------------------------- */

/* Does a capped vCPU with credit left wait on this CPU's queue? Its
 * credit cannot outgrow its cap's share of one period, so what it misses
 * while it waits is lost. */
static bool capped_under_waiting(const struct csched_pcpu *pc)
{
	const struct csched_vcpu *head = cs_runq_head((struct csched_pcpu *)pc);
	return head && head->pri >= CSCHED_PRI_UNDER && dom_capped(head->dom);
}

/* Run `next` (NULL: idle) on cpu from now on and fill in the decision. */
static void run(struct csched *s, uint32_t cpu, struct csched_vcpu *next,
		uint64_t now, uint64_t until, struct csched_decision *dec)
{
	struct csched_pcpu *pc = &s->cpus[cpu];

	dec->next = next;
	dec->migrated = false;
	dec->run_until = until;
	if (!next) {
		pc->curr = NULL;
		return;
	}
	if (pc->curr != next) {
		next->run_start = now;
		next->charged_until = now;
	}
	pc->curr = next;
	next->state = CSCHED_RUNNING;
	if (next->ran_on != NO_CPU && next->ran_on != cpu) {
		dec->migrated = true;
		next->migrations++;
	}
	next->ran_on = cpu;
	next->cpu = cpu;
	if (next->wake_pending) {
		uint64_t lat = now - next->woken_at;

		next->wake_pending = false;
		next->wake_latency_sum_ns += lat;
		if (lat > next->wake_latency_max_ns)
			next->wake_latency_max_ns = lat;
	}
	/* Come back the moment its credit runs out when that matters: a
	 * capped vCPU parks then; an UNDER one turns OVER, which lets a
	 * waiting capped vCPU in. Waiting for the next tick instead lets it
	 * overrun by up to a tick each time, and a capped vCPU queued
	 * behind such overruns misses its share of a period. */
	if (dom_capped(next->dom) ||
	    (next->credit >= 0 && capped_under_waiting(pc)))
		dec->run_until = min_u64(until,
					 out_of_credit_at(s, next, cpu, now));
}

/* The head of cpu's queue, after moving away the vCPUs whose affinity
 * the caller changed so that they may no longer run here. */
static struct csched_vcpu *local_best(struct csched *s, uint32_t cpu)
{
	struct csched_pcpu *pc = &s->cpus[cpu];
	struct csched_vcpu *v;

	while ((v = cs_runq_head(pc)) && !cpu_allowed(s, v, cpu)) {
		link_del(&v->runq_link);
		if (cs_make_runnable(s, v) < 0)
			v->state = CSCHED_BLOCKED; /* nowhere to run at all */
	}
	return v;
}

/* credit1's rate limit: a vCPU that has run less than ratelimit_ns
 * keeps the CPU (even against a BOOST waker), if it may stay here. */
static bool rate_limited(const struct csched *s, const struct csched_vcpu *v,
			 uint32_t cpu, uint64_t now)
{
	return s->p.ratelimit_ns && now - v->run_start < s->p.ratelimit_ns &&
	       cpu_allowed(s, v, cpu);
}

/* The current vCPU at a scheduling point: charge it, then park it,
 * keep it (rate limit: returns true) or put it back on a queue. */
static bool settle_curr(struct csched *s, uint32_t cpu, uint64_t now)
{
	struct csched_vcpu *curr = s->cpus[cpu].curr;

	if (!curr || curr->state == CSCHED_BLOCKED)
		return false;
	charge(s, curr, now); /* RUNNING, or PARKED while still current */
	if (curr->state == CSCHED_PARKED)
		return false;
	if (must_park(curr)) {
		cs_park(s, curr);
		return false;
	}
	if (rate_limited(s, curr, cpu, now))
		return true;
	curr->state = CSCHED_RUNNABLE;
	if (cpu_allowed(s, curr, cpu))
		runq_insert(&s->cpus[cpu], curr);
	else if (cs_make_runnable(s, curr) < 0) /* its affinity changed */
		curr->state = CSCHED_BLOCKED; /* no online CPU left in it */
	return false;
}

void csched_pick_next(struct csched *s, uint32_t cpu, uint64_t now,
		      struct csched_decision *dec)
{
	struct csched_pcpu *pc;
	struct csched_vcpu *next, *stolen;
	int level;

	dec->next = NULL;
	dec->migrated = false;
	dec->run_until = now + s->p.tslice_ns;
	if (cpu >= s->ncpus)
		return;
	pc = &s->cpus[cpu];
	cpu_time(pc, now);
	if (settle_curr(s, cpu, now)) {
		run(s, cpu, pc->curr, now,
		    pc->curr->run_start + s->p.ratelimit_ns, dec);
		return;
	}
	next = local_best(s, cpu);
	level = next ? next->pri : CSCHED_PRI_IDLE;
	if (level <= CSCHED_PRI_OVER) {
		stolen = cs_steal_candidate(s, cpu, level);
		if (stolen)
			next = stolen;
	}
	if (next)
		link_del(&next->runq_link);
	run(s, cpu, next, now, now + s->p.tslice_ns, dec);
}

/* ---- tick, set_freq, sync ------------------------------------------------ */

bool csched_tick(struct csched *s, uint32_t cpu, uint64_t now)
{
	struct csched_pcpu *pc;
	struct csched_vcpu *v, *head;

	if (cpu >= s->ncpus)
		return false;
	pc = &s->cpus[cpu];
	v = pc->curr;
	if (!v)
		return !link_empty(&pc->runq);
	if (v->state != CSCHED_RUNNING) {
		if (v->state == CSCHED_PARKED)
			charge(s, v, now);
		return true; /* blocked or parked: waiting for pick_next */
	}
	charge(s, v, now);
	/* It consumes a non-negligible amount of CPU: boost over. */
	if (v->pri == CSCHED_PRI_BOOST)
		v->pri = v->credit >= 0 ? CSCHED_PRI_UNDER : CSCHED_PRI_OVER;
	if (must_park(v)) {
		cs_park(s, v);
		return true;
	}
	head = cs_runq_head(pc);
	return head && head->pri > v->pri;
}

void csched_set_freq(struct csched *s, uint32_t cpu, uint32_t f_cur_khz,
		     uint32_t f_max_khz, uint64_t now)
{
	struct csched_pcpu *pc;

	if (cpu >= s->ncpus)
		return;
	pc = &s->cpus[cpu];
	if (pc->curr && pc->curr->state != CSCHED_BLOCKED)
		charge(s, pc->curr, now);
	/* Above f_max (turbo) counts as f_max: no credit for it. */
	if (f_max_khz && f_cur_khz > f_max_khz)
		f_cur_khz = f_max_khz;
	pc->f_cur_khz = f_cur_khz;
	pc->f_max_khz = f_max_khz;
}

void csched_sync(struct csched *s, uint64_t now)
{
	uint32_t c;

	for (c = 0; c < s->ncpus; c++) {
		struct csched_pcpu *pc = &s->cpus[c];

		cpu_time(pc, now);
		if (pc->curr && pc->curr->state != CSCHED_BLOCKED)
			charge(s, pc->curr, now);
	}
}
