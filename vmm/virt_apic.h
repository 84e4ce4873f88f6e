/*
 * A vCPU's local APIC as a backend with APIC virtualization sees it
 * (virt_ops.def: apic_virtualization, vcpu_sync_apic; docs/apicv.md).
 * With VT-x's APIC-register virtualization and virtual-interrupt delivery
 * (SDM vol. 3C "APIC Virtualization and Virtual Interrupts") the guest
 * reads its APIC registers from a page in memory, and the processor
 * delivers the local APIC's interrupts itself from that page's IRR and
 * two numbers Volt keeps up to date before each entry (RVI, SVI). The
 * generic side owns the page (vmm/dev/vlapic.c keeps its registers
 * there); the backend only points the processor at it.
 */
#ifndef VOLT_VMM_VIRT_APIC_H
#define VOLT_VMM_VIRT_APIC_H

#include <stdint.h>

/* How the guest reaches its APIC (IA32_APIC_BASE): the backend turns on
 * the matching kind of virtualization (MMIO page or x2APIC MSRs). */
enum virt_apic_mode {
	VIRT_APIC_DISABLED,	/* EN=0: neither */
	VIRT_APIC_XAPIC,	/* the page at 0xfee00000 */
	VIRT_APIC_X2APIC,	/* MSRs 0x800-0x8ff */
};

struct virt_apic_state {
	void *page;		/* the registers: 4 KiB, 4 KiB aligned, in
				 * the xAPIC layout; the vCPU's for life */
	uint8_t mode;		/* enum virt_apic_mode */
	uint8_t rvi;		/* highest requested vector, 0: none */
	uint8_t svi;		/* highest in-service vector, 0: none */
	uint64_t eoi_exit[4];	/* vector v in bit v % 64 of [v / 64]: its
				 * EOI must exit (level-triggered) */
};

#endif
