/*
 * Host test for the backend completeness check (vmm/virt_ops.h,
 * virt_ops_complete): every op in vmm/virt_ops.def is required, and a
 * missing one is named. The ops are never called, so one placeholder
 * function stands in for all of them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/virt_ops.h"

static void placeholder(void)
{
}

/* A backend with every op filled, built from the same list. */
static struct virt_ops full_backend(void)
{
	struct virt_ops ops = { .name = "test" };
#define VIRT_OP(op, ret, params) ops.op = (ret(*) params)placeholder;
#include "vmm/virt_ops.def"
#undef VIRT_OP
	return ops;
}

static void test_complete(void **state)
{
	struct virt_ops ops = full_backend();
	const char *missing = "untouched";

	assert_true(virt_ops_complete(&ops, &missing));
	assert_null(missing);
	assert_true(virt_ops_complete(&ops, NULL)); /* missing is optional */
}

/* Remove each op in turn: the check must fail and name exactly it. */
static void test_each_op_required(void **state)
{
	const char *missing;
	int ops_checked = 0;

#define VIRT_OP(op, ret, params)                                  \
	{                                                         \
		struct virt_ops ops = full_backend();             \
		ops.op = NULL;                                    \
		missing = NULL;                                   \
		assert_false(virt_ops_complete(&ops, &missing));  \
		assert_non_null(missing);                         \
		assert_string_equal(missing, #op);                \
		ops_checked++;                                    \
	}
#include "vmm/virt_ops.def"
#undef VIRT_OP
	/* The list has the ops issues 3-6 need; a new op must come with
	 * its backend implementation (this count is a reminder). */
	assert_int_equal(ops_checked, 24);
}

static void test_first_hole_named(void **state)
{
	struct virt_ops ops = { .name = "empty" };
	const char *missing = NULL;

	assert_false(virt_ops_complete(&ops, &missing));
	assert_string_equal(missing, "vm_init"); /* first line of the .def */

	ops = full_backend();
	ops.vcpu_run = NULL;
	ops.vcpu_dump = NULL;
	assert_false(virt_ops_complete(&ops, &missing));
	assert_string_equal(missing, "vcpu_run");
}

static void test_nameless_or_null(void **state)
{
	struct virt_ops ops = full_backend();
	const char *missing = NULL;

	ops.name = NULL;
	assert_false(virt_ops_complete(&ops, &missing));
	assert_string_equal(missing, "name");
	assert_false(virt_ops_complete(NULL, &missing));
	assert_string_equal(missing, "ops");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_each_op_required),
		cmocka_unit_test(test_first_hole_named),
		cmocka_unit_test(test_nameless_or_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
