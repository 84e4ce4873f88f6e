/*
 * sched_ops: the glue's only way into a policy. Every operation is
 * required (the check names the first hole), and the credit policy
 * behind the table schedules as it does when called directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "sched/sched_ops.h"

#define MS 1000000ull

static void test_credit_ops_complete(void **state)
{
	assert_null(sched_ops_missing(&credit_sched_ops));
	assert_string_equal(credit_sched_ops.name, "credit");
}

/* Remove each operation in turn: the check names exactly that one. */
static void test_each_op_required(void **state)
{
	static const struct {
		size_t offset;
		const char *name;
	} ops[] = {
#define OP(n) { offsetof(struct sched_ops, n), #n }
		OP(init), OP(dom_init), OP(dom_remove), OP(vcpu_add),
		OP(vcpu_remove), OP(wake), OP(sleep), OP(pick_next), OP(tick),
		OP(account), OP(set_freq), OP(sync), OP(dom_credit_pct),
#undef OP
	};
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		struct sched_ops o = credit_sched_ops;
		memset((char *)&o + ops[i].offset, 0, sizeof(void (*)(void)));
		const char *missing = sched_ops_missing(&o);
		assert_non_null(missing);
		assert_string_equal(missing, ops[i].name);
	}
}

/* Two CPU hogs with weights 256:512 on one CPU, driven only through the
 * ops as the glue does (ticks, accounting, slice ends): 1:2. */
static void test_credit_through_ops(void **state)
{
	const struct sched_ops *ops = &credit_sched_ops;
	static struct csched s;
	static struct csched_dom d[2];
	static struct csched_vcpu v[2];
	struct csched_params p = { 30 * MS, 10 * MS, 1 * MS };
	uint64_t ran[2] = { 0, 0 }, until = 0, step = MS / 10;

	ops->init(&s, &p, 1, 0);
	for (int i = 0; i < 2; i++) {
		ops->dom_init(&s, &d[i], i, 256u << i, 0, CSCHED_MODE_VARIABLE);
		ops->vcpu_add(&s, &v[i], &d[i], 0, &v[i], 1, 0, 0);
		ops->wake(&s, &v[i], 0);
	}
	for (uint64_t now = 0; now < 3000 * MS; now += step) {
		bool pick = now >= until;
		if (now && now % p.tick_ns == 0)
			pick |= ops->tick(&s, 0, now);
		if (now && now % p.tslice_ns == 0)
			pick |= ops->account(&s, now) & 1;
		if (pick) {
			struct csched_decision dec;
			ops->pick_next(&s, 0, now, &dec);
			until = dec.run_until;
		}
		struct csched_vcpu *cur = s.cpus[0].curr;
		if (cur)
			ran[cur == &v[1]] += step;
	}
	ops->sync(&s, 3000 * MS);
	/* B gets twice A's time, within 1%. */
	assert_in_range(ran[1] * 1000 / ran[0], 1980, 2020);
	assert_int_equal(ops->dom_credit_pct(&s, &d[0]), 33);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_credit_ops_complete),
		cmocka_unit_test(test_each_op_required),
		cmocka_unit_test(test_credit_through_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
