/*
 * Where the vCPU run loop (vcpu_run.c) meets the scheduler: a vCPU that
 * halts blocks, and after every exit the processor may be handed to
 * another vCPU. The run loop knows nothing else of scheduling.
 */
#ifndef VOLT_VMM_VCPU_SCHED_H
#define VOLT_VMM_VCPU_SCHED_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;
struct vm_config;

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

/* Wake a vCPU blocked in HLT or waiting for its start-up IPI. */
void vcpu_wake(struct vcpu *v);

/* Run fn(arg) on a new thread for vCPU v of VM vm_id, scheduled with the
 * VM's parameters (its domain must be set up: sched_dom_setup). */
void vcpu_spawn(struct vcpu *v, const struct vm_config *cfg, uint32_t vm_id,
		void (*fn)(void *), void *arg);

#endif
