/*
 * The credit policy's accounting period (credit.h: csched_account),
 * credit1's csched_acct: every time slice the credit of all online CPUs
 * for one slice is shared among the active domains by weight, caps and
 * the credit ceiling and floor applied, parked vCPUs with credit again
 * unparked.
 */
#include "sched/credit_internal.h"

/* ---- accounting ---------------------------------------------------------- */

/* Accounting state of one period, as credit1's csched_acct keeps it. */
struct acct {
	uint64_t credit_total;  /* to share; grows by what capped doms leave */
	uint64_t weight_total;
	uint64_t weight_left;   /* of the doms not yet handed credit */
	bool xtra;              /* an earlier dom could have used more */
	uint64_t resched;
};

static void unpark(struct csched *s, struct csched_vcpu *v, struct acct *a)
{
	int cpu;

	if (v->cpu < s->ncpus && s->cpus[v->cpu].curr == v) {
		v->state = CSCHED_RUNNING; /* still current: just goes on */
		return;
	}
	cpu = cs_make_runnable(s, v); /* not boosted, as in credit1 */
	if (cpu >= 0 && cs_preempts(s, (uint32_t)cpu, v))
		a->resched |= 1ull << cpu;
}

/* Credit `per_vcpu` to v, then set its priority, park or unpark it, and
 * apply the floor and ceiling. */
static void credit_vcpu(struct csched *s, struct csched_vcpu *v,
			int64_t per_vcpu, int64_t ceiling, struct acct *a)
{
	int64_t floor = -(int64_t)credits_per_tslice(s);
	int64_t c = (int64_t)v->credit + per_vcpu;

	if (c < 0) {
		v->credit = (int32_t)(c < floor ? floor : c);
		v->pri = CSCHED_PRI_OVER;
		if (must_park(v) && (v->state == CSCHED_RUNNABLE ||
				     v->state == CSCHED_RUNNING)) {
			if (v->state == CSCHED_RUNNING)
				a->resched |= 1ull << v->cpu;
			cs_park(s, v);
		}
		return;
	}
	v->credit = (int32_t)c;
	if (v->pri != CSCHED_PRI_BOOST)
		v->pri = CSCHED_PRI_UNDER;
	if (v->state == CSCHED_PARKED)
		unpark(s, v, a);
	if (c > ceiling && dom_capped(v->dom) &&
	    (v->state == CSCHED_RUNNING || v->state == CSCHED_RUNNABLE)) {
		/* A busy capped vCPU that ended the period with a little
		 * credit left (its cap's share is the ceiling, far below
		 * credit1's one period): keep it earning, at the ceiling.
		 * Deactivating and halving it here would cut its cap. */
		v->credit = (int32_t)ceiling;
	} else if (c > ceiling) {
		/* Not using its credit: stop earning, and start again a
		 * little ahead when it runs (credit1 halves the credit). */
		cs_deactivate(v);
		v->credit = (int32_t)(c / 2);
	}
}

/* A domain's share of this period (credit1's csched_acct, per domain). */
static void account_dom(struct csched *s, struct csched_dom *d,
			struct acct *a)
{
	uint64_t cpt = credits_per_tslice(s);
	uint64_t weight = (uint64_t)dom_weight(d) * d->active_count;
	uint64_t peak = d->active_count * cpt, fair, ceiling = cpt;
	struct csched_link *it, *next;

	a->weight_left -= weight;
	if (dom_capped(d)) {
		uint64_t cap = div_up((uint64_t)dom_cap_pct(s, d) * cpt, 100);

		peak = min_u64(peak, cap);
		ceiling = min_u64(cpt, div_up(cap, d->active_count));
	}
	fair = div_up(sat_mul(a->credit_total, weight), a->weight_total);
	if (fair < peak) {
		a->xtra = true;
	} else {
		/* Give the doms after it what it cannot use. */
		if (a->weight_left)
			a->credit_total = sat_add(a->credit_total,
				div_up(sat_mul(fair - peak, a->weight_total),
				       a->weight_left));
		if (a->xtra) {
			/* Capped doms first next time, so the credit
			 * they leave goes to the doms that want it. */
			link_del(&d->active_link);
			link_insert_before(s->active_doms.next,
					   &d->active_link);
		}
		fair = peak;
	}
	fair = div_up(fair, d->active_count);
	for (it = d->active.next; it != &d->active; it = next) {
		next = it->next;
		credit_vcpu(s, LINK_ENTRY(it, struct csched_vcpu, active_link),
			    (int64_t)fair, (int64_t)ceiling, a);
	}
}

/* Should `cpu` reschedule now: it has something better to run. */
static bool cpu_wants_pick(struct csched *s, uint32_t cpu)
{
	struct csched_pcpu *pc = &s->cpus[cpu];
	struct csched_vcpu *head = cs_runq_head(pc);
	int level = CSCHED_PRI_IDLE;

	if (pc->curr) {
		if (pc->curr->state != CSCHED_RUNNING)
			return true;
		level = pc->curr->pri;
	}
	if (head && head->pri > level)
		return true;
	/* Work stealing needs a kick: idle CPUs are not told otherwise. */
	return level <= CSCHED_PRI_OVER && cs_steal_candidate(s, cpu, level);
}

uint64_t csched_account(struct csched *s, uint64_t now)
{
	struct acct a = { 0 };
	struct csched_link *it, *next;
	uint32_t c;

	s->last_acct = now;
	for (it = s->active_doms.next; it != &s->active_doms; it = it->next) {
		struct csched_dom *d = LINK_ENTRY(it, struct csched_dom,
						  active_link);

		a.weight_total += (uint64_t)dom_weight(d) * d->active_count;
	}
	a.weight_left = a.weight_total;
	a.credit_total = (uint64_t)s->ncpus * credits_per_tslice(s);
	if (a.weight_total) {
		for (it = s->active_doms.next; it != &s->active_doms;
		     it = next) {
			next = it->next;
			account_dom(s, LINK_ENTRY(it, struct csched_dom,
						  active_link), &a);
		}
	}
	for (c = 0; c < s->ncpus; c++)
		cs_runq_sort(&s->cpus[c]);
	for (c = 0; c < s->ncpus; c++)
		if (cpu_wants_pick(s, c))
			a.resched |= 1ull << c;
	return a.resched & online_mask(s);
}
