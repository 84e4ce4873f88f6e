/* Early processor setup shared by both boot paths (before anything else). */
#ifndef VOLT_ARCH_X86_EARLY_H
#define VOLT_ARCH_X86_EARLY_H

#include <stdint.h>

/* Turn the caches on: clear CR0.CD and CR0.NW (Bochs's firmware leaves them
 * set, which also stops MONITOR from arming), then write back/invalidate. */
void caches_enable(void);

/* Continue on the stack whose top is `top`, calling fn(arg); never returns. */
void call_on_stack(uint64_t top, void (*fn)(void *), void *arg)
	__attribute__((noreturn));

#endif
