/*
 * Host threads: a stack and a saved stack pointer. Each vCPU runs its
 * loop on a thread of its own, so the scheduler can stop it at any exit
 * and resume it later, on this processor or another, exactly where it
 * was. Switching saves the callee-saved registers (System V ABI: RBX,
 * RBP, R12-R15) on the old stack and pops them from the new one; every
 * other register is dead across a call. Threads switch with interrupts
 * off; Volt's own code uses no FPU/SSE state (-mgeneral-regs-only), so
 * there is none to switch (a guest's is the backend's: vcpu_put/load).
 */
#ifndef VOLT_ARCH_X86_THREAD_H
#define VOLT_ARCH_X86_THREAD_H

#include <stdint.h>

struct host_thread {
	uint64_t rsp;       /* saved stack pointer while switched out */
	uint64_t stack_top; /* 0 for a processor's boot thread */
};

/* Make `t` start fn(arg) on the stack ending at stack_top when first
 * switched to. fn must not return (it ends by switching away for good). */
void thread_prepare(struct host_thread *t, uint64_t stack_top,
		    void (*fn)(void *), void *arg);

/* Save the running thread in `from`, continue `to` (context_switch.asm).
 * Returns when something switches back to `from`. */
void thread_switch(struct host_thread *from, struct host_thread *to);

#endif
