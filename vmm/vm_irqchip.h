/*
 * A VM's interrupt controllers and how they are wired, as on a PC with an
 * APIC (Intel MultiProcessor Specification 1.4 "virtual wire" and "symmetric
 * I/O" modes; SDM vol. 3A 11.6 for the local APIC's LINT0):
 *
 *   ISA IRQ n --+--> 8259A input n --> INTR --> local APIC LINT0 (ExtINT)
 *               +--> IOAPIC pin n (IRQ 0: pin 2) --> message --> local APIC
 *   local APIC: timer, IPIs, EOI of level vectors --> IOAPIC remote IRR
 *
 * Until the guest programs its APIC, LINT0 is in ExtINT mode (as a BIOS
 * leaves it), so the 8259A reaches the CPU; Linux then moves the timer
 * and devices to the IOAPIC. One local APIC per vCPU; IPIs go from one to
 * the others by their destination fields. The VM serializes every call
 * (its lock).
 *
 * With APIC virtualization (virt_apic_virtualization(), docs/apicv.md)
 * each local APIC's register page is its vCPU's virtual-APIC page: the
 * processor delivers that APIC's interrupts, Volt only brings the
 * processor's view (RVI, SVI, EOI-exit bitmap, mode) up to date before
 * entries (vm_irqchip_apicv_state); the 8259A's ExtINT interrupts are
 * still injected.
 */
#ifndef VOLT_VMM_VM_IRQCHIP_H
#define VOLT_VMM_VM_IRQCHIP_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/irq.h"
#include "vmm/dev/ioapic.h"
#include "vmm/dev/pic.h"
#include "vmm/dev/vlapic.h"
#include "vmm/virt_apic.h"

struct vm;
struct mmio_bus;
struct io_bus;
struct dev_clock;

#define VM_IRQCHIP_MAX_LAPICS 8

struct vm_irqchip;
struct vm_irqchip_lapic_ctx { /* what a local APIC's hooks get */
	struct vm_irqchip *chip;
	uint32_t index;
};

struct vm_irqchip {
	/* the local APICs' registers: page-aligned, as VT-x wants its
	 * virtual-APIC pages (first, so no padding goes before them) */
	struct vlapic_page lapic_page[VM_IRQCHIP_MAX_LAPICS];
	struct pic pic;
	struct ioapic ioapic;
	struct vlapic lapic[VM_IRQCHIP_MAX_LAPICS]; /* one per vCPU */
	struct vm_irqchip_lapic_ctx lapic_ctx[VM_IRQCHIP_MAX_LAPICS];
	uint32_t lapic_count;
	/* lapic i has nothing deliverable until its notify hook or a write
	 * to its registers says otherwise: spares a priority scan per exit.
	 * With APIC virtualization the guest changes its TPR and ISR without
	 * exits, so quiet then means "nothing requested at all". */
	bool lapic_quiet[VM_IRQCHIP_MAX_LAPICS];
	bool extint;          /* an IOAPIC ExtINT message: take the 8259A's */
	/* Something became pending for vCPU `index`: bring it out of the
	 * guest if it runs (the VM's job). */
	void (*kick)(void *ctx, uint32_t index);
	void *kick_ctx;
};

struct vm_irqchip_config {
	uint32_t vcpus;       /* local APICs, IDs 0..vcpus-1; vCPU 0 is the BSP */
	uint8_t ioapic_id;    /* what the MADT says */
	uint64_t timer_hz;    /* the APIC timer clock CPUID 0x15 shows */
	uint8_t phys_bits;    /* the guest's MAXPHYADDR */
	bool x2apic;          /* offered in CPUID */
};

/* The xAPIC page: every vCPU reaches its own local APIC at this one
 * address, so accesses are dispatched by vCPU, not through the MMIO bus
 * (vmm/exit_mmio.c). */
#define VM_LAPIC_BASE 0xfee00000ull
#define VM_LAPIC_MMIO_LEN 0x1000ull
static inline bool vm_irqchip_lapic_page(uint64_t gpa)
{
	return gpa - VM_LAPIC_BASE < VM_LAPIC_MMIO_LEN;
}

int vm_irqchip_create(struct vm_irqchip *c, const struct vm_irqchip_config *cfg,
		      const struct dev_clock *clk, struct io_bus *io,
		      struct mmio_bus *mmio);
/* The line of ISA IRQ `irq` (0-15): to both the 8259A and the IOAPIC. */
struct irq_line vm_irqchip_isa_line(struct vm_irqchip *c, unsigned irq);

/* vCPU `index` wrote its local APIC's registers (EOI, TPR...): what is
 * deliverable may have changed. */
static inline void vm_irqchip_lapic_touched(struct vm_irqchip *c,
					    uint32_t index)
{
	c->lapic_quiet[index] = false;
}

/* An interrupt waits for vCPU `index` (from its local APIC, or for the
 * BSP the 8259A). */
bool vm_irqchip_pending(struct vm_irqchip *c, uint32_t index);
/* One waits that the run loop must inject: the 8259A's, and the local
 * APIC's unless the processor delivers those (APIC virtualization). */
bool vm_irqchip_injectable(struct vm_irqchip *c, uint32_t index);
/* The interrupt-acknowledge cycle: the vector to inject. Only after
 * vm_irqchip_injectable said yes and the guest can take it. */
uint8_t vm_irqchip_acknowledge(struct vm_irqchip *c, uint32_t index);

/* ---- APIC virtualization ------------------------------------------------ */
/* Does the processor deliver vCPU `index`'s local APIC interrupts? */
static inline bool vm_irqchip_apicv(const struct vm_irqchip *c,
				    uint32_t index)
{
	return c->lapic[index].apicv;
}
/* Something the processor must know changed since the last look (a
 * cheap test for the run loop's fast path). */
static inline bool vm_irqchip_apicv_dirty(const struct vm_irqchip *c,
					  uint32_t index)
{
	return c->lapic[index].apicv && c->lapic[index].apicv_dirty;
}
/* Before an entry: interrupts posted meanwhile go into the page; true
 * with *s filled when the backend must be told (virt_vcpu_sync_apic). */
bool vm_irqchip_apicv_state(struct vm_irqchip *c, uint32_t index,
			    struct virt_apic_state *s);
/* The local APIC has an interrupt the guest would take now, priorities
 * permitting (a halted vCPU wakes for it; the processor delivers it). */
bool vm_irqchip_lapic_deliverable(struct vm_irqchip *c, uint32_t index);

#endif
