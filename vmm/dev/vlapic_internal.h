/*
 * What the two halves of the virtual local APIC share, and nobody else
 * may use: vlapic.c (registers, interrupts, IPIs, IA32_APIC_BASE) calls
 * the timer in vlapic_timer.c ("APIC Timer" in the Intel SDM vol. 3A
 * chapter "Advanced Programmable Interrupt Controller (APIC)") through
 * these. The public interface stays in vlapic.h.
 */
#ifndef VOLT_VMM_DEV_VLAPIC_INTERNAL_H
#define VOLT_VMM_DEV_VLAPIC_INTERNAL_H

#include <stdint.h>
#include "vmm/dev/vlapic.h"

/* Divide configuration register: bits 0, 1 and 3 exist. */
#define DCR_WRITABLE 0xbu

static inline uint64_t vlapic_now(const struct vlapic *v)
{
	return dev_clock_now(&v->clk);
}

/* Register writes that reach the timer (values already checked). */
void vlapic_timer_write_icr(struct vlapic *v, uint32_t val);
void vlapic_timer_write_dcr(struct vlapic *v, uint32_t val);
void vlapic_timer_write_lvt(struct vlapic *v, uint32_t val);

/* The current-count register at dev-clock time `now`. */
uint32_t vlapic_timer_current(const struct vlapic *v, uint64_t now);

/* The timer's registers and state as at power-up or INIT. */
void vlapic_timer_reset(struct vlapic *v);

#endif
