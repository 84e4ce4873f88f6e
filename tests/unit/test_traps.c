/*
 * Host tests for the pure parts of exception reporting: the frame-pointer
 * walker (arch/x86/backtrace.c) on fake stacks, and vector names and
 * error-code decoding (arch/x86/trap_decode.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/backtrace.h"
#include "arch/x86/trap_decode.h"
#include "arch/x86/idt.h"

#define STACK_WORDS 64

/* A fake stack: frames are built at word indices, highest = outermost. */
static uint64_t stack[STACK_WORDS] __attribute__((aligned(16)));

static uint64_t addr_of(unsigned word)
{
	return (uint64_t)(uintptr_t)&stack[word];
}

static uint64_t lo(void) { return addr_of(0); }
static uint64_t hi(void) { return addr_of(0) + sizeof(stack); }

/* Frame at `word`: saved RBP = caller frame (0: none), return address. */
static void put_frame(unsigned word, uint64_t caller, uint64_t ret)
{
	stack[word] = caller;
	stack[word + 1] = ret;
}

static void test_walk_three_frames(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	put_frame(40, 0, 0x1003);
	put_frame(20, addr_of(40), 0x1002);
	put_frame(4, addr_of(20), 0x1001);
	backtrace_walk(addr_of(4), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 3);
	assert_int_equal(bt.ret[0], 0x1001);
	assert_int_equal(bt.ret[1], 0x1002);
	assert_int_equal(bt.ret[2], 0x1003);
	assert_int_equal(bt.stop, BACKTRACE_END);
}

static void test_walk_null_start(void **state)
{
	struct backtrace bt;
	backtrace_walk(0, lo(), hi(), &bt);
	assert_int_equal(bt.depth, 0);
	assert_int_equal(bt.stop, BACKTRACE_END);
}

static void test_walk_null_return_ends(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	put_frame(10, addr_of(30), 0x2000);
	put_frame(30, addr_of(50), 0); /* e.g. the entry stub's frame */
	backtrace_walk(addr_of(10), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.stop, BACKTRACE_END);
}

static void test_walk_misaligned(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	put_frame(4, addr_of(20) + 3, 0x1001);
	backtrace_walk(addr_of(4), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.stop, BACKTRACE_MISALIGNED);
}

static void test_walk_noncanonical(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	put_frame(4, 0x0000800000000000ull, 0x1001);
	backtrace_walk(addr_of(4), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.stop, BACKTRACE_NONCANONICAL);
}

static void test_walk_off_stack(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	/* Caller frame above the top of the stack range. */
	put_frame(4, hi(), 0x1001);
	backtrace_walk(addr_of(4), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.stop, BACKTRACE_OFF_STACK);

	/* A frame whose second word would straddle the top. */
	backtrace_walk(hi() - 8, lo(), hi(), &bt);
	assert_int_equal(bt.depth, 0);
	assert_int_equal(bt.stop, BACKTRACE_OFF_STACK);

	/* Below the range (e.g. below the interrupted RSP). */
	backtrace_walk(addr_of(4), addr_of(8), hi(), &bt);
	assert_int_equal(bt.depth, 0);
	assert_int_equal(bt.stop, BACKTRACE_OFF_STACK);

	/* The last frame fitting exactly is read. */
	put_frame(STACK_WORDS - 2, 0, 0x7777);
	backtrace_walk(addr_of(STACK_WORDS - 2), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.ret[0], 0x7777);
}

static void test_walk_loop_stops(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	put_frame(4, addr_of(20), 0x1001);
	put_frame(20, addr_of(4), 0x1002); /* points back down: a cycle */
	backtrace_walk(addr_of(4), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 2);
	assert_int_equal(bt.stop, BACKTRACE_NOT_UPWARD);

	put_frame(30, addr_of(30), 0x1003); /* points at itself */
	backtrace_walk(addr_of(30), lo(), hi(), &bt);
	assert_int_equal(bt.depth, 1);
	assert_int_equal(bt.stop, BACKTRACE_NOT_UPWARD);
}

static void test_walk_depth_limit(void **state)
{
	struct backtrace bt;
	memset(stack, 0, sizeof(stack));
	/* 20 frames two words apart at 0, 2, ..., 38: more than the limit. */
	for (unsigned i = 0; i < 20; i++)
		put_frame(2 * i, i == 19 ? 0 : addr_of(2 * i + 2), 0x100 + i);
	backtrace_walk(addr_of(0), lo(), hi(), &bt);
	assert_int_equal(bt.depth, BACKTRACE_MAX_DEPTH);
	assert_int_equal(bt.ret[0], 0x100);
	assert_int_equal(bt.ret[BACKTRACE_MAX_DEPTH - 1],
			 0x100 + BACKTRACE_MAX_DEPTH - 1);
	assert_int_equal(bt.stop, BACKTRACE_TOO_DEEP);

	/* Exactly BACKTRACE_MAX_DEPTH frames: a normal end. */
	stack[2 * (BACKTRACE_MAX_DEPTH - 1)] = 0;
	backtrace_walk(addr_of(0), lo(), hi(), &bt);
	assert_int_equal(bt.depth, BACKTRACE_MAX_DEPTH);
	assert_int_equal(bt.stop, BACKTRACE_END);
}

static void test_walk_range_near_top_of_address_space(void **state)
{
	struct backtrace bt;
	/* Must not overflow or read: hi smaller than a frame. */
	backtrace_walk(8, 0, 8, &bt);
	assert_int_equal(bt.stop, BACKTRACE_OFF_STACK);
	backtrace_walk(0xfffffffffffffff0ull, 0xffffffffffff0000ull,
		       0xfffffffffffffff8ull, &bt);
	assert_int_equal(bt.depth, 0);
	assert_int_equal(bt.stop, BACKTRACE_OFF_STACK);
}

static void test_canonical(void **state)
{
	assert_true(address_is_canonical(0));
	assert_true(address_is_canonical(0x00007fffffffffffull));
	assert_false(address_is_canonical(0x0000800000000000ull));
	assert_false(address_is_canonical(0xffff7fffffffffffull));
	assert_true(address_is_canonical(0xffff800000000000ull));
	assert_true(address_is_canonical(0xffffffffffffffffull));
}

static void test_stop_reasons_named(void **state)
{
	assert_string_equal(backtrace_stop_reason(BACKTRACE_OFF_STACK),
			    "frame pointer outside the stack");
	assert_string_equal(backtrace_stop_reason((enum backtrace_stop)99), "?");
}

static void test_vector_names(void **state)
{
	assert_string_equal(trap_vector_mnemonic(14), "#PF");
	assert_string_equal(trap_vector_description(14), "page fault");
	assert_string_equal(trap_vector_mnemonic(0), "#DE");
	assert_string_equal(trap_vector_mnemonic(2), "NMI");
	assert_string_equal(trap_vector_mnemonic(8), "#DF");
	assert_string_equal(trap_vector_mnemonic(13), "#GP");
	assert_string_equal(trap_vector_mnemonic(18), "#MC");
	assert_string_equal(trap_vector_mnemonic(9), "#RSV");
	assert_string_equal(trap_vector_description(22), "reserved");
	assert_string_equal(trap_vector_mnemonic(31), "#RSV");
	assert_string_equal(trap_vector_mnemonic(32), "INT");
	assert_string_equal(trap_vector_mnemonic(255), "INT");
	assert_string_equal(trap_vector_mnemonic(100000), "INT");
}

static void test_error_code_vectors(void **state)
{
	/* SDM 6.15 (plus AMD's #VC and #SX): exactly these push one. */
	static const unsigned with[] = { 8, 10, 11, 12, 13, 14, 17, 21, 29, 30 };
	unsigned count = 0;
	for (unsigned v = 0; v < 256; v++)
		count += trap_vector_has_error_code(v);
	assert_int_equal(count, sizeof(with) / sizeof(with[0]));
	for (unsigned i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		assert_true(trap_vector_has_error_code(with[i]));
	assert_false(trap_vector_has_error_code(2));
	assert_false(trap_vector_has_error_code(18));
}

static void test_decode_page_fault(void **state)
{
	char buf[160];
	size_t n = trap_decode_error_code(14, 0x2, buf, sizeof(buf));
	assert_string_equal(buf, "not-present, write, supervisor, data");
	assert_int_equal(n, strlen(buf));
	trap_decode_error_code(14, 0x1d, buf, sizeof(buf));
	assert_string_equal(buf, "protection violation, read, user, "
				 "instruction fetch, reserved bit set");
	trap_decode_error_code(14, 0x8061, buf, sizeof(buf));
	assert_string_equal(buf, "protection violation, read, supervisor, "
				 "data, protection key, shadow stack, SGX");
}

static void test_decode_selector(void **state)
{
	char buf[160];
	trap_decode_error_code(13, 0, buf, sizeof(buf));
	assert_string_equal(buf, "no selector");
	trap_decode_error_code(13, 0x18, buf, sizeof(buf));
	assert_string_equal(buf, "GDT selector 0x18 (index 3)");
	trap_decode_error_code(11, 0x1c, buf, sizeof(buf));
	assert_string_equal(buf, "LDT selector 0x1c (index 3)");
	trap_decode_error_code(13, (0x80 << 3) | 0x2 | 0x1, buf, sizeof(buf));
	assert_string_equal(buf, "IDT vector 128, during delivery of an "
				 "external event");
	trap_decode_error_code(10, 0x1, buf, sizeof(buf));
	assert_string_equal(buf, "no selector, during delivery of an "
				 "external event");
}

static void test_decode_other_and_truncation(void **state)
{
	char buf[16];
	assert_int_equal(trap_decode_error_code(8, 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	assert_int_equal(trap_decode_error_code(40, 5, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
	/* Truncated but terminated; length is what was stored. */
	size_t n = trap_decode_error_code(14, 0x2, buf, sizeof(buf));
	assert_int_equal(n, sizeof(buf) - 1);
	assert_string_equal(buf, "not-present, wr");
	char one[1] = { 'x' };
	assert_int_equal(trap_decode_error_code(14, 0x2, one, 1), 0);
	assert_int_equal(one[0], '\0');
	assert_int_equal(trap_decode_error_code(14, 0x2, NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_three_frames),
		cmocka_unit_test(test_walk_null_start),
		cmocka_unit_test(test_walk_null_return_ends),
		cmocka_unit_test(test_walk_misaligned),
		cmocka_unit_test(test_walk_noncanonical),
		cmocka_unit_test(test_walk_off_stack),
		cmocka_unit_test(test_walk_loop_stops),
		cmocka_unit_test(test_walk_depth_limit),
		cmocka_unit_test(test_walk_range_near_top_of_address_space),
		cmocka_unit_test(test_canonical),
		cmocka_unit_test(test_stop_reasons_named),
		cmocka_unit_test(test_vector_names),
		cmocka_unit_test(test_error_code_vectors),
		cmocka_unit_test(test_decode_page_fault),
		cmocka_unit_test(test_decode_selector),
		cmocka_unit_test(test_decode_other_and_truncation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
