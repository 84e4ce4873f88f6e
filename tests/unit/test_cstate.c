/*
 * Host tests for the C-state tables (pm/cstate_table.c): per-model
 * selection against Linux's intel_idle numbers, the generic table from
 * CPUID leaf 5 (Bochs 2.7's values, EMULATORS.md and the captures in
 * test_cpuid_filter.c), HLT only, max_cstate, malformed leaf 5.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pm/cstate.h"

/* Bochs corei7_skylake_x: CPUID.1 EAX 0x00050654 (family 6, model 0x55),
 * leaf 5 = 64, 64, 3, 0x2020 (C1 with 2 sub-states, MWAIT C3 with 2). */
static const uint32_t bochs_skx_leaf5[4] = { 0x40, 0x40, 0x3, 0x2020 };
/* Bochs tigerlake: CPUID.1 EAX 0x000806c1 (model 0x8c). */
static const uint32_t bochs_tgl_leaf5[4] = { 0x40, 0x40, 0x3, 0x11121020 };
/* A Skylake client (i7-6700K class): C1 x2, C3 x1, C6 x2, C7 x4 (0x33
 * is the 4th), C8, C9, C10 x1. */
static const uint32_t skl_leaf5[4] = { 0x40, 0x40, 0x3, 0x11142120 };
/* Every sub-state of every C-state: keeps whole model tables. */
static const uint32_t all_leaf5[4] = { 0x40, 0x40, 0x3, 0xfffffff0 };

static struct cstate_table t;

static void expect_state(uint32_t i, const char *name, uint32_t hint,
			 uint32_t exit_us, uint32_t residency_us)
{
	assert_true(i < t.count);
	assert_string_equal(t.states[i].name, name);
	assert_int_equal(t.states[i].mwait_hint, hint);
	assert_int_equal(t.states[i].exit_latency_us, exit_us);
	assert_int_equal(t.states[i].target_residency_us, residency_us);
}

static void test_bochs_skylake_x_uses_skx_table(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x55, bochs_skx_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 3);
	assert_int_equal(t.source, CSTATE_SRC_MODEL);
	assert_string_equal(t.table_name, "skx");
	expect_state(0, "C1", 0x00, 2, 2);
	expect_state(1, "C1E", 0x01, 10, 20);
	expect_state(2, "C6", 0x20, 133, 600);
	assert_true(t.mwait_irq_break);
	assert_int_equal(t.monitor_line, 64);
	assert_int_equal(t.warnings, 0);
}

static void test_skylake_client_full_table(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 8);
	assert_string_equal(t.table_name, "skl");
	expect_state(0, "C1", 0x00, 2, 2);
	expect_state(1, "C1E", 0x01, 10, 20);
	expect_state(2, "C3", 0x10, 70, 100);
	expect_state(3, "C6", 0x20, 85, 200);
	expect_state(4, "C7s", 0x33, 124, 800);
	expect_state(5, "C8", 0x40, 200, 800);
	expect_state(6, "C9", 0x50, 480, 5000);
	expect_state(7, "C10", 0x60, 890, 5000);
	assert_int_equal(t.warnings, 0);
}

/* A model state is kept only if leaf 5 enumerates its sub-state. */
static void test_model_states_checked_against_leaf5(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x5e, bochs_skx_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 3);
	expect_state(0, "C1", 0x00, 2, 2);
	expect_state(1, "C1E", 0x01, 10, 20);
	expect_state(2, "C6", 0x20, 85, 200);
	assert_int_equal(t.warnings, CSTATE_WARN_DROPPED);

	/* C7s is MWAIT 0x33: sub-state 3 needs a count of 4, not 3. */
	uint32_t three[4] = { 0x40, 0x40, 0x3, 0x11132120 };
	assert_int_equal(cstate_table_build(6, 0x5e, three, true,
					    CSTATE_NO_LIMIT, &t), 7);
	expect_state(4, "C8", 0x40, 200, 800);
	assert_int_equal(t.warnings, CSTATE_WARN_DROPPED);

	/* Only C1E enumerated (count 2 for C1, sub-state 0 too): C1, C1E. */
	uint32_t c1[4] = { 0x40, 0x40, 0x3, 0x20 };
	assert_int_equal(cstate_table_build(6, 0x55, c1, true,
					    CSTATE_NO_LIMIT, &t), 2);
	expect_state(1, "C1E", 0x01, 10, 20);
}

static void test_per_model_selection(void **state)
{
	static const struct {
		uint32_t model;
		const char *table;
		uint32_t count;
		uint32_t deepest_hint, deepest_exit;
	} cases[] = {
		{ 0x3c, "hsw", 8, 0x60, 2600 }, { 0x3f, "hsw", 8, 0x60, 2600 },
		{ 0x45, "hsw", 8, 0x60, 2600 }, { 0x46, "hsw", 8, 0x60, 2600 },
		{ 0x3d, "bdw", 8, 0x60, 2600 }, { 0x47, "bdw", 8, 0x60, 2600 },
		{ 0x4f, "bdw", 8, 0x60, 2600 }, { 0x56, "bdw", 8, 0x60, 2600 },
		{ 0x4e, "skl", 8, 0x60, 890 },  { 0x5e, "skl", 8, 0x60, 890 },
		{ 0x8e, "skl", 8, 0x60, 890 },  { 0x9e, "skl", 8, 0x60, 890 },
		{ 0x55, "skx", 3, 0x20, 133 },  { 0x6a, "icx", 3, 0x20, 170 },
		{ 0x6c, "icx", 3, 0x20, 170 },  { 0x97, "adl", 4, 0x60, 680 },
		{ 0x9a, "adl_l", 4, 0x60, 230 }, { 0x8f, "spr", 3, 0x20, 290 },
		{ 0xcf, "spr", 3, 0x20, 290 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = cstate_table_build(6, cases[i].model, all_leaf5, true,
					   CSTATE_NO_LIMIT, &t);
		assert_int_equal(n, cases[i].count);
		assert_int_equal(t.source, CSTATE_SRC_MODEL);
		assert_string_equal(t.table_name, cases[i].table);
		assert_int_equal(t.states[n - 1].mwait_hint,
				 cases[i].deepest_hint);
		assert_int_equal(t.states[n - 1].exit_latency_us,
				 cases[i].deepest_exit);
		assert_int_equal(t.warnings, 0);
	}
	/* Alder Lake: C1 left out as intel_idle does; C1E first. */
	cstate_table_build(6, 0x97, all_leaf5, true, CSTATE_NO_LIMIT, &t);
	expect_state(0, "C1E", 0x01, 2, 4);
}

/* Same model number, other family: not Intel family 6, so generic. */
static void test_other_family_is_generic(void **state)
{
	assert_int_equal(cstate_table_build(0x17, 0x55, bochs_skx_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 2);
	assert_int_equal(t.source, CSTATE_SRC_GENERIC);
	assert_int_equal(cstate_table_build(0, 0x55, bochs_skx_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 2);
	assert_int_equal(t.source, CSTATE_SRC_GENERIC);
}

/* Unknown model with Bochs's EDX 0x2020: MWAIT C1 and C3 (0x20), with
 * conservative latencies. */
static void test_generic_from_bochs_leaf5(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x8c, bochs_skx_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 2);
	assert_int_equal(t.source, CSTATE_SRC_GENERIC);
	assert_string_equal(t.table_name, "leaf5");
	expect_state(0, "C1", 0x00, 3, 6);
	expect_state(1, "C6", 0x20, 300, 900);
	assert_true(t.mwait_irq_break);
	assert_int_equal(t.warnings, 0);
	/* Conservative: no model table leaves its state sooner. */
	struct cstate_table skx;
	cstate_table_build(6, 0x55, bochs_skx_leaf5, true, CSTATE_NO_LIMIT,
			   &skx);
	assert_true(t.states[1].exit_latency_us >=
		    skx.states[2].exit_latency_us);
	assert_true(t.states[1].target_residency_us >=
		    skx.states[2].target_residency_us);
}

/* Bochs tigerlake (model 0x8c: no intel_idle table) with its own EDX. */
static void test_generic_tiger_lake(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x8c, bochs_tgl_leaf5, true,
					    CSTATE_NO_LIMIT, &t), 6);
	static const uint32_t hints[] = { 0x00, 0x20, 0x30, 0x40, 0x50, 0x60 };
	static const char *const names[] = { "C1", "C6", "C7", "C8", "C9",
					     "C10" };
	for (uint32_t i = 0; i < 6; i++) {
		assert_int_equal(t.states[i].mwait_hint, hints[i]);
		assert_string_equal(t.states[i].name, names[i]);
	}
	expect_state(5, "C10", 0x60, 10000, 30000);
}

static void expect_hlt(void)
{
	assert_int_equal(t.count, 1);
	assert_int_equal(t.source, CSTATE_SRC_HLT);
	assert_string_equal(t.table_name, "hlt");
	assert_string_equal(t.states[0].name, "C1");
	assert_int_equal(t.states[0].mwait_hint, CSTATE_HINT_HLT);
	assert_true(cstate_is_hlt(&t.states[0]));
	assert_false(t.mwait_irq_break);
	assert_int_equal(t.monitor_line, 0);
}

static void test_hlt_only_without_mwait(void **state)
{
	/* Leaf 5 is ignored without CPUID.1:ECX.MONITOR. */
	assert_int_equal(cstate_table_build(6, 0x55, bochs_skx_leaf5, false,
					    CSTATE_NO_LIMIT, &t), 1);
	expect_hlt();
	assert_int_equal(t.warnings, 0);
	assert_int_equal(cstate_table_build(6, 0x55, NULL, false, 3, &t), 1);
	expect_hlt();
	/* max_cstate=0: HLT even with MWAIT (intel_idle.max_cstate=0). */
	assert_int_equal(cstate_table_build(6, 0x55, bochs_skx_leaf5, true,
					    0, &t), 1);
	expect_hlt();
	assert_int_equal(t.warnings, CSTATE_WARN_LIMITED);
}

static void test_max_cstate(void **state)
{
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true, 3, &t),
			 3);
	expect_state(2, "C3", 0x10, 70, 100);
	assert_int_equal(t.warnings, CSTATE_WARN_LIMITED);
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true, 1, &t),
			 1);
	expect_state(0, "C1", 0x00, 2, 2);
	/* Counted after the leaf 5 check: the 2nd usable state is C1E. */
	assert_int_equal(cstate_table_build(6, 0x55, bochs_skx_leaf5, true,
					    2, &t), 2);
	expect_state(1, "C1E", 0x01, 10, 20);
	/* At or above the count: nothing removed, no warning. */
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true, 8, &t),
			 8);
	assert_int_equal(t.warnings, 0);
	assert_int_equal(cstate_table_build(6, 0x5e, skl_leaf5, true, 100,
					    &t), 8);
	assert_int_equal(t.warnings, 0);
}

static void expect_c1_only(uint32_t warnings)
{
	assert_int_equal(t.count, 1);
	assert_int_equal(t.source, CSTATE_SRC_GENERIC);
	expect_state(0, "C1", 0x00, 3, 6);
	assert_int_equal(t.warnings, warnings);
}

static void test_malformed_leaf5(void **state)
{
	/* No extensions enumerated: EDX is not valid; MWAIT C1 only, and
	 * ECX bit 1 is clear too, so MWAIT must not set ECX bit 0. */
	uint32_t no_ext[4] = { 0x40, 0x40, 0x0, 0x2020 };
	assert_int_equal(cstate_table_build(6, 0x55, no_ext, true,
					    CSTATE_NO_LIMIT, &t), 1);
	expect_c1_only(CSTATE_WARN_NO_EXTENSIONS | CSTATE_WARN_NO_IRQ_BREAK);
	assert_false(t.mwait_irq_break);
	/* Extensions but no interrupt break: the table, with a warning. */
	uint32_t no_break[4] = { 0x40, 0x40, 0x1, 0x2020 };
	assert_int_equal(cstate_table_build(6, 0x55, no_break, true,
					    CSTATE_NO_LIMIT, &t), 3);
	assert_false(t.mwait_irq_break);
	assert_int_equal(t.warnings, CSTATE_WARN_NO_IRQ_BREAK);
	/* No sub-state at all, or only C0's: C1 only. */
	uint32_t none[4] = { 0x40, 0x40, 0x3, 0x0 };
	cstate_table_build(6, 0x55, none, true, CSTATE_NO_LIMIT, &t);
	expect_c1_only(CSTATE_WARN_NO_SUBSTATES);
	uint32_t c0[4] = { 0x40, 0x40, 0x3, 0xf };
	cstate_table_build(0, 0, c0, true, CSTATE_NO_LIMIT, &t);
	expect_c1_only(CSTATE_WARN_NO_SUBSTATES);
	/* Deeper states without C1: C1 only (C1 is the floor). */
	uint32_t no_c1[4] = { 0x40, 0x40, 0x3, 0x2200 };
	cstate_table_build(6, 0x55, no_c1, true, CSTATE_NO_LIMIT, &t);
	expect_c1_only(CSTATE_WARN_NO_SUBSTATES);
	/* All zero (a hypervisor hiding leaf 5) and NULL alike. */
	uint32_t zero[4] = { 0, 0, 0, 0 };
	cstate_table_build(6, 0x55, zero, true, CSTATE_NO_LIMIT, &t);
	expect_c1_only(CSTATE_WARN_NO_EXTENSIONS | CSTATE_WARN_NO_IRQ_BREAK |
		       CSTATE_WARN_BAD_LINE);
	assert_int_equal(t.monitor_line, CSTATE_MONITOR_LINE_DEFAULT);
	cstate_table_build(6, 0x55, NULL, true, CSTATE_NO_LIMIT, &t);
	expect_c1_only(CSTATE_WARN_NO_EXTENSIONS | CSTATE_WARN_NO_IRQ_BREAK |
		       CSTATE_WARN_BAD_LINE);
	/* Every nibble at 15: at most 7 generic states, within CSTATE_MAX. */
	uint32_t all_f[4] = { 0x40, 0x40, 0x3, 0xffffffff };
	assert_int_equal(cstate_table_build(6, 0x8c, all_f, true,
					    CSTATE_NO_LIMIT, &t), 7);
	assert_int_equal(t.states[6].mwait_hint, 0x60);
	/* Garbage in ECX's reserved bits changes nothing. */
	uint32_t noisy[4] = { 0x40, 0x40, 0xfffffff3, 0x2020 };
	assert_int_equal(cstate_table_build(6, 0x55, noisy, true,
					    CSTATE_NO_LIMIT, &t), 3);
	assert_int_equal(t.warnings, 0);
	assert_int_equal(cstate_table_build(6, 0x55, NULL, true,
					    CSTATE_NO_LIMIT, NULL), -1);
}

static uint32_t line_for(uint32_t eax, uint32_t ebx, uint32_t *warnings)
{
	uint32_t l5[4] = { eax, ebx, 0x3, 0x2020 };
	cstate_table_build(6, 0x55, l5, true, CSTATE_NO_LIMIT, &t);
	*warnings = t.warnings;
	assert_int_equal(t.count, 3); /* the line never costs the states */
	return t.monitor_line;
}

static void test_monitor_line_sizes(void **state)
{
	uint32_t w;
	assert_int_equal(line_for(64, 128, &w), 128);
	assert_int_equal(w, 0);
	assert_int_equal(line_for(0xffff0040, 0x40, &w), 64); /* 31:16 rsvd */
	assert_int_equal(w, 0);
	assert_int_equal(line_for(0, 64, &w), 64);
	assert_int_equal(w, CSTATE_WARN_BAD_LINE);
	assert_int_equal(line_for(128, 64, &w), 64);  /* smallest > largest */
	assert_int_equal(w, CSTATE_WARN_BAD_LINE);
	assert_int_equal(line_for(48, 48, &w), 64);   /* not a power of 2 */
	assert_int_equal(w, CSTATE_WARN_BAD_LINE);
	assert_int_equal(line_for(64, 8192, &w), 64); /* absurdly large */
	assert_int_equal(w, CSTATE_WARN_BAD_LINE);
	assert_int_equal(line_for(64, 0x10000, &w), 64); /* 15:0 are 0 */
	assert_int_equal(w, CSTATE_WARN_BAD_LINE);
}

/* Over every table and many leaf 5 values: 1..8 states, each deeper one
 * no faster to leave, no shorter to pay off, drawing no more power; each
 * hint enumerated; residency >= latency (the governors assume it). */
static void check_invariants(void)
{
	assert_true(t.count >= 1 && t.count <= CSTATE_MAX);
	for (uint32_t i = 0; i < t.count; i++) {
		const struct cstate *s = &t.states[i];
		assert_true(memchr(s->name, '\0', sizeof(s->name)) != NULL);
		assert_true(s->name[0] == 'C');
		assert_true(s->target_residency_us >= s->exit_latency_us);
		assert_true(s->power_mw > 0 && s->power_mw <= 1000);
		if (!i)
			continue;
		const struct cstate *p = &t.states[i - 1];
		assert_true(s->exit_latency_us >= p->exit_latency_us);
		assert_true(s->target_residency_us >= p->target_residency_us);
		assert_true(s->power_mw < p->power_mw);
		assert_true(s->mwait_hint > p->mwait_hint);
	}
}

static void test_invariants_everywhere(void **state)
{
	static const uint32_t models[] = { 0x3c, 0x3f, 0x45, 0x46, 0x3d, 0x47,
					   0x4f, 0x56, 0x4e, 0x5e, 0x8e, 0x9e,
					   0x55, 0x6a, 0x6c, 0x97, 0x9a, 0x8f,
					   0xcf, 0x8c, 0x7e, 0x00, 0xff };
	uint32_t edx = 0x2020;
	for (uint32_t k = 0; k < 2000; k++) {
		edx = edx * 1103515245u + 12345u;
		uint32_t l5[4] = { 0x40, 0x40, k & 3, edx };
		for (size_t m = 0; m < sizeof(models) / sizeof(models[0]);
		     m++) {
			cstate_table_build(6, models[m], l5, true,
					   k % 10, &t);
			check_invariants();
			cstate_table_build(6, models[m], l5, true,
					   CSTATE_NO_LIMIT, &t);
			check_invariants();
			for (uint32_t i = 0; i < t.count; i++) {
				uint32_t h = t.states[i].mwait_hint;
				uint32_t n = ((k & 1) ? edx : 0x10) >>
					     (4 * ((h >> 4) + 1));
				assert_true((h & 0xf) < (n & 0xf) ||
					    (i == 0 && h == 0));
			}
		}
	}
}

static void test_names(void **state)
{
	assert_string_equal(cstate_source_name(CSTATE_SRC_MODEL), "model");
	assert_string_equal(cstate_source_name(CSTATE_SRC_GENERIC), "generic");
	assert_string_equal(cstate_source_name(CSTATE_SRC_HLT), "hlt");
	assert_string_equal(cstate_source_name((enum cstate_source)9), "?");
	for (uint32_t b = 0; b < CSTATE_WARN_COUNT; b++)
		assert_string_not_equal(cstate_warning_text(1u << b), "?");
	assert_string_equal(cstate_warning_text(0), "?");
	assert_string_equal(cstate_warning_text(1u << CSTATE_WARN_COUNT), "?");
	assert_string_equal(cstate_warning_text(3), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_skylake_x_uses_skx_table),
		cmocka_unit_test(test_skylake_client_full_table),
		cmocka_unit_test(test_model_states_checked_against_leaf5),
		cmocka_unit_test(test_per_model_selection),
		cmocka_unit_test(test_other_family_is_generic),
		cmocka_unit_test(test_generic_from_bochs_leaf5),
		cmocka_unit_test(test_generic_tiger_lake),
		cmocka_unit_test(test_hlt_only_without_mwait),
		cmocka_unit_test(test_max_cstate),
		cmocka_unit_test(test_malformed_leaf5),
		cmocka_unit_test(test_monitor_line_sizes),
		cmocka_unit_test(test_invariants_everywhere),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests_name("cstate", tests, NULL, NULL);
}
