/*
 * Multiprocessor bring-up: start every application processor (AP) the
 * MADT lists, one at a time, with INIT-SIPI-SIPI and the real-mode
 * trampoline (trampoline.asm).
 *
 * Intel SDM vol. 3A 9.4 (8.4 in older editions), "Multiple-Processor (MP)
 * Initialization", in particular 9.4.4.1, the typical BSP sequence. See
 * docs/smp.md for a walk through.
 */
#ifndef VOLT_ARCH_X86_SMP_H
#define VOLT_ARCH_X86_SMP_H

#include "arch/x86/percpu.h"

struct acpi_info;

/* Stack of each AP (4 KiB pages, a guard page below). */
#define SMP_AP_STACK_PAGES 4

/*
 * On CPU 0, after lapic_init() and tsc_init(): for every MADT processor
 * other than the calling one, fill cpus[i] (index, apic_id, stack_top, IST
 * stacks), start it and wait (bounded) until it is online. A processor that
 * does not start is reported and skipped. Sets cpu_count to the number of
 * processors online and prints `smp: <n> of <m> CPUs online`.
 */
void smp_boot_aps(const struct acpi_info *acpi);

/*
 * Where each AP enters C, on its own stack, interrupts disabled: loads its
 * tables, enables its local APIC, reports online, then idles.
 */
void ap_main(struct percpu *c) __attribute__((noreturn));

/* Idle forever with interrupts enabled (until the scheduler replaces it). */
/* The IPI vector that wakes an idle CPU for posted work. */
#define SMP_WAKEUP_VECTOR 0xf1

/* Post fn(arg) to an idle, online CPU and wake it; false when that CPU is
 * offline or busy. The CPU runs fn in its idle loop, then is idle again. */
bool smp_run_on(uint32_t cpu, void (*fn)(void *), void *arg);

/* Interrupt CPU `index` (the wake-up vector): ends HLT, or a guest's run
 * there (a VM exit), so that it looks at new work or events. */
void smp_kick(uint32_t index);

void cpu_idle_loop(void) __attribute__((noreturn));

#endif
