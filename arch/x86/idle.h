/*
 * Entering an idle state on this processor: MWAIT with a C-state hint,
 * HLT, or polling. The choice of state is the idle governor's (pm/); this
 * is only the mechanism. Each returns after an interrupt (a kick, the
 * timer armed for `until`) with interrupts off again; `until` is a host
 * TSC value (UINT64_MAX: no timer).
 */
#ifndef VOLT_ARCH_X86_IDLE_H
#define VOLT_ARCH_X86_IDLE_H

#include <stdbool.h>
#include <stdint.h>

/* MWAIT with `hint` (EAX: C-state in bits 7:4, sub-state in 3:0) after
 * MONITOR on this processor's line, interrupts enabled around it. */
void cpu_idle_mwait(uint32_t hint, uint64_t until);
void cpu_idle_halt(uint64_t until);
/* Spin with interrupts on until `until` or *stop becomes true. */
void cpu_idle_poll(uint64_t until, const volatile bool *stop);

#endif
