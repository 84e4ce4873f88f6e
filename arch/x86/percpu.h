/*
 * Per-CPU data. Each processor finds its own struct percpu through GS.base
 * (set by cpu_tables_init), so this_cpu() is one instruction.
 *
 * Ownership: cpus[i] is written by CPU 0 before CPU i starts (index, apic_id,
 * stack_top) and afterwards only by CPU i itself, except `online`, which CPU i
 * sets once and everyone may read.
 */
#ifndef VOLT_ARCH_X86_PERCPU_H
#define VOLT_ARCH_X86_PERCPU_H

#include <stdint.h>
#include <stdbool.h>
#include "arch/x86/cpu_tables.h"

#define MAX_CPUS 64

struct percpu {
	struct percpu *self; /* must stay first: this_cpu() reads GS:0 */
	uint32_t index;      /* 0 is the bootstrap processor */
	uint32_t apic_id;    /* local APIC (or x2APIC) ID from the MADT */
	volatile bool online;
	uint64_t stack_top;  /* top of this CPU's stack; a guard page lies below */
	/* Work posted by smp_run_on(): written by the poster while idle is
	 * true, taken (and idle cleared) by this CPU. */
	void (*volatile work)(void *);
	void *volatile work_arg;
	volatile bool idle;
	struct cpu_tables tables; /* GDT, TSS, IST stacks (cpu_tables.h) */
};

extern struct percpu cpus[MAX_CPUS];
extern uint32_t cpu_count; /* processors Volt knows of (from the MADT) */

static inline struct percpu *this_cpu(void)
{
	struct percpu *p;
	__asm__ volatile("movq %%gs:0, %0" : "=r"(p));
	return p;
}

#endif
