/*
 * Host threads (thread.h): a new thread's first switch "returns" into
 * thread_start, which calls fn(arg).
 */
#include "arch/x86/thread.h"

void thread_start(void); /* context_switch.asm */

/* The frame thread_switch pops: r15 r14 r13 r12 rbx rbp, then the return
 * address. The return address sits 8 bytes below a 16-byte boundary, as
 * after a call, so thread_start's own call keeps the ABI's alignment. */
enum { FRAME_R15, FRAME_R14, FRAME_R13, FRAME_R12, FRAME_RBX, FRAME_RBP,
       FRAME_RET, FRAME_WORDS };

void thread_prepare(struct host_thread *t, uint64_t stack_top,
		    void (*fn)(void *), void *arg)
{
	uint64_t *frame = (uint64_t *)(uintptr_t)((stack_top & ~15ull) - 8 -
						   8 * (FRAME_WORDS - 1));
	for (int i = 0; i < FRAME_WORDS; i++)
		frame[i] = 0;
	frame[FRAME_R12] = (uint64_t)(uintptr_t)fn;
	frame[FRAME_R13] = (uint64_t)(uintptr_t)arg;
	frame[FRAME_RET] = (uint64_t)(uintptr_t)thread_start;
	t->rsp = (uint64_t)(uintptr_t)frame;
	t->stack_top = stack_top;
}
