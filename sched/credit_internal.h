/*
 * What the credit policy's files share (credit.c: set-up, wake/block,
 * pick_next, tick; credit_acct.c: the accounting period): constants,
 * list and arithmetic helpers, and the few operations on run queues and
 * active vCPUs that accounting needs. Not for anything outside sched/.
 */
#ifndef VOLT_SCHED_CREDIT_INTERNAL_H
#define VOLT_SCHED_CREDIT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sched/credit.h"

#define NS_PER_MS 1000000ull
#define NS_PER_CREDIT (NS_PER_MS / CSCHED_CREDITS_PER_MS)
#define DEFAULT_TSLICE_NS (30 * NS_PER_MS)
#define DEFAULT_TICK_NS (10 * NS_PER_MS)
#define DEFAULT_RATELIMIT_NS NS_PER_MS
/* Xen's limits for sched_credit_tslice_ms. */
#define TSLICE_MIN_NS NS_PER_MS
#define TSLICE_MAX_NS (1000 * NS_PER_MS)
#define TICK_MIN_NS (100 * 1000ull)
#define NO_CPU UINT32_MAX

#define LINK_ENTRY(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* ---- intrusive lists ----------------------------------------------------- */

static inline void link_init(struct csched_link *l)
{
	l->prev = l;
	l->next = l;
}

static inline bool link_empty(const struct csched_link *l)
{
	return l->next == l;
}

static inline void link_insert_before(struct csched_link *pos, struct csched_link *n)
{
	n->prev = pos->prev;
	n->next = pos;
	pos->prev->next = n;
	pos->prev = n;
}

/* Safe on a self-linked node: it stays self-linked. */
static inline void link_del(struct csched_link *n)
{
	n->prev->next = n->next;
	n->next->prev = n->prev;
	link_init(n);
}

static inline struct csched_vcpu *runq_entry(struct csched_link *l)
{
	return LINK_ENTRY(l, struct csched_vcpu, runq_link);
}

/* ---- small helpers ------------------------------------------------------- */

static inline uint32_t credits_per_tslice(const struct csched *s)
{
	return (uint32_t)(s->p.tslice_ns / NS_PER_CREDIT);
}

static inline uint64_t online_mask(const struct csched *s)
{
	return s->ncpus >= 64 ? ~0ull : (1ull << s->ncpus) - 1;
}

static inline bool cpu_allowed(const struct csched *s, const struct csched_vcpu *v,
			uint32_t cpu)
{
	return cpu < s->ncpus && ((v->affinity >> cpu) & 1);
}

/* Out-of-range weights are clamped, also when the caller wrote them. */
static inline uint32_t dom_weight(const struct csched_dom *d)
{
	if (d->weight == 0)
		return 1;
	return d->weight > CSCHED_WEIGHT_MAX ? CSCHED_WEIGHT_MAX : d->weight;
}

static inline uint32_t min_u32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

static inline uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static inline uint64_t div_up(uint64_t a, uint64_t b)
{
	return a / b + (a % b != 0);
}

/*
 * Saturating: the accounting's products (credit x weight) only have to
 * be right up to a domain's peak; past 2^64 they are far beyond it for
 * any number of vCPUs a machine can hold.
 */
static inline uint64_t sat_mul(uint64_t a, uint64_t b)
{
	return b && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

static inline uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/*
 * floor((a x mul + *rem) / div), keeping the remainder in *rem, without
 * a 128-bit product: a = q x div + r, and r x mul < 2^64 because both
 * are below 2^32. The quotient's high part q x mul fits when mul <= div.
 */
static inline uint64_t mul_div_rem(uint64_t a, uint32_t mul, uint32_t div,
			    uint64_t *rem)
{
	uint64_t q = a / div, r = a % div;
	uint64_t t = r * mul + *rem;

	*rem = t % div;
	return q * mul + t / div;
}

static inline bool freq_scaled(const struct csched_pcpu *pc)
{
	return pc->f_cur_khz && pc->f_max_khz && pc->f_cur_khz < pc->f_max_khz;
}

/* Is d limited by parking: a cap in variable mode, always otherwise. */
static inline bool dom_capped(const struct csched_dom *d)
{
	return d->mode != CSCHED_MODE_VARIABLE || d->cap != 0;
}

static inline uint32_t dom_cap_pct(const struct csched *s, const struct csched_dom *d)
{
	if (d->mode != CSCHED_MODE_VARIABLE)
		return csched_dom_credit_pct(s, d);
	if (d->vcpu_count && d->cap > 100 * d->vcpu_count)
		return 100 * d->vcpu_count;
	return d->cap;
}

static inline bool must_park(const struct csched_vcpu *v)
{
	return v->credit < 0 && dom_capped(v->dom);
}

/* credit.c */
void cs_deactivate(struct csched_vcpu *v);
void cs_runq_sort(struct csched_pcpu *pc);
struct csched_vcpu *cs_runq_head(struct csched_pcpu *pc);
bool cs_preempts(const struct csched *s, uint32_t cpu,
		 const struct csched_vcpu *v);
int cs_make_runnable(struct csched *s, struct csched_vcpu *v);
void cs_park(struct csched *s, struct csched_vcpu *v);
struct csched_vcpu *cs_steal_candidate(struct csched *s, uint32_t cpu,
				       int level);

#endif
