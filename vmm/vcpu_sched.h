/*
 * Where the vCPU run loop (vcpu_run.c) meets the scheduler: a vCPU that
 * halts blocks, and after every exit the processor may be handed to
 * another vCPU. The run loop knows nothing else of scheduling.
 */
#ifndef VOLT_VMM_VCPU_SCHED_H
#define VOLT_VMM_VCPU_SCHED_H

#include <stdbool.h>

struct vcpu;

/* Before an entry (and while halted): due timers raise their interrupts,
 * one waiting interrupt goes in if the guest can take it. Returns whether
 * one was injected or still waits (vcpu_run.c). */
bool vcpu_deliver_events(struct vcpu *v, bool devices_touched);

/* The vCPU executed HLT: wait until an event for it is injected. False
 * when nothing can ever wake it, or the VM is stopping. */
bool vcpu_block_until_event(struct vcpu *v);

/* After each handled exit: give the processor up if the scheduler says
 * the vCPU's slice is over or a more urgent vCPU waits. */
void vcpu_sched_point(struct vcpu *v);

#endif
