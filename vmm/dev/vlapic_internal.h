/*
 * What the parts of the virtual local APIC share, and nobody else may
 * use: vlapic.c (registers, interrupts, IPIs, IA32_APIC_BASE) calls the
 * timer in vlapic_timer.c ("APIC Timer" in the Intel SDM vol. 3A chapter
 * "Advanced Programmable Interrupt Controller (APIC)") through these, and
 * vlapic_apicv.c (VT-x APIC virtualization) calls into vlapic.c. The
 * public interface stays in vlapic.h.
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

/* Store a register into the page (offset 16n). */
static inline void vlapic_page_set(struct vlapic *v, unsigned off,
				   uint32_t val)
{
	v->page->reg[(off & 0xff0) >> 2] = val;
}

/* The registers the model keeps beside the page, written through these
 * so that the page (what the guest reads) always agrees. */
static inline void vlapic_set_lvt(struct vlapic *v, unsigned idx,
				  uint32_t val)
{
	v->lvt[idx] = val;
	vlapic_page_set(v, APIC_LVT_TIMER + 0x10 * idx, val);
}

static inline void vlapic_set_timer_icr(struct vlapic *v, uint32_t val)
{
	v->timer_icr = val;
	vlapic_page_set(v, APIC_TIMER_ICR, val);
}

static inline void vlapic_set_timer_dcr(struct vlapic *v, uint32_t val)
{
	v->timer_dcr = val;
	vlapic_page_set(v, APIC_TIMER_DCR, val);
}

/* Highest vector set in the 256-bit register (ISR, TMR, IRR) at `base`,
 * or -1. */
int vlapic_highest(const struct vlapic *v, unsigned base);
/* The ID, version and (x2APIC) LDR registers for the current mode. */
void vlapic_mode_registers(struct vlapic *v);
/* Posted interrupts (APIC virtualization) into IRR, their trigger modes
 * into TMR. */
void vlapic_merge_posted(struct vlapic *v);
/* What follows the end of `vec`'s ISR bit: for a level-triggered vector
 * the LINT inputs waiting for it and the broadcast to the IOAPIC. */
void vlapic_eoi_done(struct vlapic *v, unsigned vec);

/* Register writes that reach the timer (values already checked). */
void vlapic_timer_write_icr(struct vlapic *v, uint32_t val);
void vlapic_timer_write_dcr(struct vlapic *v, uint32_t val);
void vlapic_timer_write_lvt(struct vlapic *v, uint32_t val);

/* The current-count register at dev-clock time `now`. */
uint32_t vlapic_timer_current(const struct vlapic *v, uint64_t now);

/* The timer's registers and state as at power-up or INIT. */
void vlapic_timer_reset(struct vlapic *v);

#endif
