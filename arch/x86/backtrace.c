/*
 * Frame-pointer backtrace (see backtrace.h). Volt is built with
 * -fno-omit-frame-pointer, so each frame starts with the saved RBP of its
 * caller followed by the return address into the caller.
 *
 * Every check below exists because the walk runs after a fault, when the
 * stack may be the very thing that is broken: it must never read outside
 * the stack it was given, and it must end even if the chain forms a loop.
 */
#include <stddef.h>
#include "arch/x86/backtrace.h"

#define FRAME_ALIGN 8u
#define FRAME_BYTES 16u /* saved RBP + return address */
#define CANONICAL_SHIFT 47 /* bits 63..47 must be copies of bit 47 */

bool address_is_canonical(uint64_t a)
{
	uint64_t upper = a >> CANONICAL_SHIFT;
	return upper == 0 || upper == (UINT64_MAX >> CANONICAL_SHIFT);
}

/* Returns BACKTRACE_END when rbp names a readable frame, else why not. */
static enum backtrace_stop frame_check(uint64_t rbp, uint64_t lo, uint64_t hi)
{
	if (rbp == 0)
		return BACKTRACE_END;
	if (rbp % FRAME_ALIGN)
		return BACKTRACE_MISALIGNED;
	if (!address_is_canonical(rbp))
		return BACKTRACE_NONCANONICAL;
	/* Written so that nothing overflows even for rbp near 2^64. */
	if (rbp < lo || hi < FRAME_BYTES || rbp > hi - FRAME_BYTES)
		return BACKTRACE_OFF_STACK;
	return BACKTRACE_END;
}

void backtrace_walk(uint64_t rbp, uint64_t lo, uint64_t hi,
		    struct backtrace *bt)
{
	bt->depth = 0;
	for (;;) {
		if (rbp == 0) {
			bt->stop = BACKTRACE_END;
			return;
		}
		enum backtrace_stop why = frame_check(rbp, lo, hi);
		if (why != BACKTRACE_END) {
			bt->stop = why;
			return;
		}
		if (bt->depth == BACKTRACE_MAX_DEPTH) {
			bt->stop = BACKTRACE_TOO_DEEP;
			return;
		}
		const uint64_t *frame = (const uint64_t *)(uintptr_t)rbp;
		uint64_t caller_rbp = frame[0];
		uint64_t ret = frame[1];
		if (ret == 0) {
			bt->stop = BACKTRACE_END;
			return;
		}
		bt->ret[bt->depth++] = ret;
		/* The stack grows down: a caller's frame is always higher. A
		 * null caller frame ends the chain on the next round. */
		if (caller_rbp != 0 && caller_rbp <= rbp) {
			bt->stop = BACKTRACE_NOT_UPWARD;
			return;
		}
		rbp = caller_rbp;
	}
}

const char *backtrace_stop_reason(enum backtrace_stop stop)
{
	switch (stop) {
	case BACKTRACE_END:
		return "end of the frame chain";
	case BACKTRACE_MISALIGNED:
		return "misaligned frame pointer";
	case BACKTRACE_NONCANONICAL:
		return "non-canonical frame pointer";
	case BACKTRACE_OFF_STACK:
		return "frame pointer outside the stack";
	case BACKTRACE_NOT_UPWARD:
		return "frame chain does not go up the stack";
	case BACKTRACE_TOO_DEEP:
		return "depth limit reached";
	}
	return "?";
}
