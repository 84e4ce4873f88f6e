/*
 * The credit policy as a struct sched_ops (sched_ops.h), and the
 * completeness check the glue runs before using a policy.
 */
#include <stddef.h>
#include "sched/sched_ops.h"

const struct sched_ops credit_sched_ops = {
	.name = "credit",
	.init = csched_init,
	.dom_init = csched_dom_init,
	.dom_remove = csched_dom_remove,
	.vcpu_add = csched_vcpu_add,
	.vcpu_remove = csched_vcpu_remove,
	.wake = csched_wake,
	.sleep = csched_block,
	.pick_next = csched_pick_next,
	.tick = csched_tick,
	.account = csched_account,
	.set_freq = csched_set_freq,
	.sync = csched_sync,
	.dom_credit_pct = csched_dom_credit_pct,
};

const char *sched_ops_missing(const struct sched_ops *ops)
{
#define NEED(op)                \
	if (!ops->op)           \
		return #op;
	NEED(init) NEED(dom_init) NEED(dom_remove) NEED(vcpu_add)
	NEED(vcpu_remove) NEED(wake) NEED(sleep) NEED(pick_next) NEED(tick)
	NEED(account) NEED(set_freq) NEED(sync) NEED(dom_credit_pct)
#undef NEED
	return NULL;
}
