/*
 * The local APIC of each processor, in x2APIC or xAPIC mode, and its timer.
 *
 * Intel SDM vol. 3A chapter 11 (chapter 10 in older editions), "Advanced
 * Programmable Interrupt Controller": 11.4 (enabling, IA32_APIC_BASE),
 * 11.5.1 (LVT), 11.5.4 (timer, incl. 11.5.4.1 TSC-deadline mode), 11.6
 * (ICR, IPIs), 11.8.5 (EOI), 11.9 (spurious vector), 11.12 (x2APIC: the
 * registers become MSRs 0x800 + offset/16, the ICR one 64-bit MSR).
 *
 * lapic_init() runs on every processor, interrupts disabled, after
 * cpu_tables_init() (the first call, on CPU 0, also needs tsc_init(), and
 * pic_disable(): masking LINT0 does not stop every platform, Bochs for one,
 * from delivering the 8259's IRQ 0 on vector 8). It
 * uses x2APIC mode when CPUID.1:ECX[21] says the processor has it, so that
 * every CPU and every APIC ID (even > 255) works the same way; otherwise
 * the xAPIC MMIO page from IA32_APIC_BASE, which Volt's identity map covers.
 * All accessors below hide the mode.
 */
#ifndef VOLT_ARCH_X86_LAPIC_H
#define VOLT_ARCH_X86_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

/* Register offsets in the xAPIC page (SDM vol. 3A table 11-1). */
#define LAPIC_REG_ID 0x020
#define LAPIC_REG_VERSION 0x030
#define   LAPIC_VERSION_MAX_LVT_SHIFT 16 /* bits 23:16: LVT entries - 1 */
#define   LAPIC_VERSION_MAX_LVT_MASK 0xffu
#define LAPIC_REG_TPR 0x080
#define LAPIC_REG_EOI 0x0b0
#define LAPIC_REG_SVR 0x0f0
#define   LAPIC_SVR_ENABLE (1u << 8)    /* APIC software enable */
#define LAPIC_REG_ESR 0x280
#define LAPIC_REG_ICR_LOW 0x300
#define LAPIC_REG_ICR_HIGH 0x310        /* xAPIC only: destination */
#define   LAPIC_ICR_DEST_SHIFT 24       /* xAPIC: bits 31:24 of ICR high */
#define LAPIC_REG_LVT_TIMER 0x320
#define LAPIC_REG_LVT_THERMAL 0x330     /* exists if max LVT >= 5 */
#define LAPIC_REG_LVT_PERF 0x340        /* exists if max LVT >= 4 */
#define LAPIC_REG_LVT_LINT0 0x350
#define LAPIC_REG_LVT_LINT1 0x360
#define LAPIC_REG_LVT_ERROR 0x370
#define LAPIC_REG_TIMER_INIT 0x380
#define LAPIC_REG_TIMER_CUR 0x390
#define LAPIC_REG_TIMER_DIV 0x3e0
#define LAPIC_XAPIC_ID_SHIFT 24         /* xAPIC ID register: bits 31:24 */

#define LAPIC_LVT_THERMAL_MIN_MAXLVT 5
#define LAPIC_LVT_PERF_MIN_MAXLVT 4

/* Local vector table entry bits (SDM vol. 3A figure 11-8). */
#define LAPIC_LVT_MASKED (1u << 16)
#define LAPIC_LVT_DELIVERY_NMI (4u << 8)
#define LAPIC_LVT_TIMER_ONESHOT (0u << 17)
#define LAPIC_LVT_TIMER_PERIODIC (1u << 17)
#define LAPIC_LVT_TIMER_TSC_DEADLINE (2u << 17)

/* Divide configuration register: bits 3,1:0; 0b0011 divides by 16. */
#define LAPIC_TIMER_DIV_16 0x3u
#define LAPIC_TIMER_DIVISOR 16u

/* Interrupt command register, low half (SDM vol. 3A figure 11-12). */
#define LAPIC_ICR_DELIVERY_FIXED (0u << 8)
#define LAPIC_ICR_DELIVERY_NMI (4u << 8)
#define LAPIC_ICR_DELIVERY_INIT (5u << 8)
#define LAPIC_ICR_DELIVERY_STARTUP (6u << 8)
#define LAPIC_ICR_DEST_PHYSICAL (0u << 11)
#define LAPIC_ICR_SEND_PENDING (1u << 12) /* xAPIC only */
#define LAPIC_ICR_LEVEL_ASSERT (1u << 14)
#define LAPIC_ICR_TRIGGER_LEVEL (1u << 15)
#define LAPIC_ICR_SHORTHAND_NONE (0u << 18)

/* Vectors Volt's local APICs use (all above the exception range). */
#define LAPIC_TIMER_VECTOR 0xf0
#define LAPIC_SPURIOUS_VECTOR 0xff /* bits 3:0 must be 1 on old APICs */

/*
 * Set before the first lapic_init() (e.g. from the command line) to test
 * the fallbacks on machines that have the better feature.
 */
void lapic_set_options(bool xapic_only, bool no_tsc_deadline);

/* Per CPU: enable and configure this processor's local APIC (see top). */
void lapic_init(void);

bool lapic_is_x2apic(void);
uint32_t lapic_read(uint32_t reg);
void lapic_write(uint32_t reg, uint32_t value);

/* This processor's APIC ID (x2APIC: 32 bits; xAPIC: the 8-bit ID). */
uint32_t lapic_id(void);

/* Signal end of interrupt for the in-service vector. */
void lapic_eoi(void);

/*
 * Send an IPI: icr_low holds vector, delivery mode, level and trigger
 * (LAPIC_ICR_*), always physical destination apic_id. Returns 0, or -1 if
 * an xAPIC never reported the IPI delivered.
 */
int lapic_send_ipi(uint32_t apic_id, uint32_t icr_low);
/* INIT (assert): puts the target in wait-for-SIPI state (SDM 9.4.4). */
int lapic_send_init(uint32_t apic_id);
/* Start-up IPI: the target starts in real mode at vector_page << 12. */
int lapic_send_sipi(uint32_t apic_id, uint8_t vector_page);

/* The timer: TSC-deadline mode when CPUID.1:ECX[24], else one-shot. */
bool lapic_timer_tsc_deadline(void);
/* Arm this CPU's timer to raise LAPIC_TIMER_VECTOR in ns nanoseconds. */
void lapic_timer_oneshot_ns(uint64_t ns);
void lapic_timer_stop(void);
/* Timer interrupts this CPU has taken so far (for tests and reports). */
uint64_t lapic_timer_count(void);

/*
 * Boot self-test on the calling CPU: arm 1 ms, wait (bounded) for the
 * interrupt, print `lapic: timer ok (<mode>, N TSC ticks to interrupt)`.
 * Returns 0, or -1 after printing what went wrong.
 */
int lapic_timer_selftest(void);

#endif
