/*
 * The scheduling policy's operations, so that another policy can replace
 * the credit scheduler without touching the per-CPU glue (sched/sched.c),
 * which calls nothing else of a policy. The data it works on are the
 * types of sched/credit.h (a policy keeps its per-vCPU, per-domain and
 * per-CPU state there and ignores what it does not need). Every
 * operation is pure: no hardware, no locks; time in ns.
 */
#ifndef VOLT_SCHED_SCHED_OPS_H
#define VOLT_SCHED_SCHED_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include "sched/credit.h"

struct sched_ops {
	const char *name;
	void (*init)(struct csched *s, const struct csched_params *p,
		     uint32_t ncpus, uint64_t now);
	void (*dom_init)(struct csched *s, struct csched_dom *d, uint32_t id,
			 uint32_t weight, uint32_t cap, enum csched_mode mode);
	void (*dom_remove)(struct csched *s, struct csched_dom *d);
	/* add/remove a vCPU; it is added blocked */
	void (*vcpu_add)(struct csched *s, struct csched_vcpu *v,
			 struct csched_dom *d, uint32_t id, void *owner,
			 uint64_t affinity, uint32_t cpu, uint64_t now);
	void (*vcpu_remove)(struct csched *s, struct csched_vcpu *v);
	/* a blocked vCPU becomes runnable: the CPU to tickle, or -1 */
	int (*wake)(struct csched *s, struct csched_vcpu *v, uint64_t now);
	/* the running vCPU blocks */
	void (*sleep)(struct csched *s, struct csched_vcpu *v, uint64_t now);
	void (*pick_next)(struct csched *s, uint32_t cpu, uint64_t now,
			  struct csched_decision *d);
	/* every tick on a busy CPU: true = reschedule it */
	bool (*tick)(struct csched *s, uint32_t cpu, uint64_t now);
	/* every accounting period: the CPUs to tickle */
	uint64_t (*account)(struct csched *s, uint64_t now);
	void (*set_freq)(struct csched *s, uint32_t cpu, uint32_t f_cur_khz,
			 uint32_t f_max_khz, uint64_t now);
	/* bring the books up to now (reports) */
	void (*sync)(struct csched *s, uint64_t now);
	uint32_t (*dom_credit_pct)(const struct csched *s,
				   const struct csched_dom *d);
};

/* Xen's credit1 with Volt's modes (sched/credit.c). */
extern const struct sched_ops credit_sched_ops;

/* Every operation present? NULL, or the name of the first missing. */
const char *sched_ops_missing(const struct sched_ops *ops);

#endif
