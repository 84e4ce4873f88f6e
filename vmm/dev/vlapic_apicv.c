/*
 * The virtual local APIC under VT-x APIC virtualization (see vlapic.h and
 * docs/apicv.md): what the processor loads before an entry (RVI, SVI, the
 * EOI-exit bitmap), and the VM exits that leave the end of a guest's
 * access to Volt (APIC-write, EOI-induced). Follows the Intel SDM vol. 3C
 * chapter "APIC Virtualization and Virtual Interrupts": "Virtual-APIC
 * Page", "Virtual-Interrupt Delivery", "EOI Virtualization", "APIC-Write
 * Emulation", "APIC-Write VM Exits", "Virtualizing MSR-Based APIC
 * Accesses". The registers are in the page already (vlapic.c keeps them
 * there in both modes); this file adds the processor's view.
 */
#include "vmm/dev/vlapic.h"
#include "vmm/dev/vlapic_internal.h"

void vlapic_set_apicv(struct vlapic *v, bool on)
{
	if (!on)
		vlapic_merge_posted(v);
	v->apicv = on;
	v->apicv_dirty = true;
}

bool vlapic_apicv_sync(struct vlapic *v)
{
	vlapic_merge_posted(v);
	if (!v->apicv_dirty)
		return false;
	v->apicv_dirty = false;
	/* VM entry recomputes VPPR from VTPR and SVI ("PPR virtualization");
	 * this keeps the page right for readers before that. */
	vlapic_page_set(v, APIC_PPR, vlapic_ppr(v));
	return true;
}

bool vlapic_posted(const struct vlapic *v)
{
	for (unsigned i = 0; i < 8; i++)
		if (v->posted[i])
			return true;
	return false;
}

uint8_t vlapic_rvi(const struct vlapic *v)
{
	int vec = vlapic_highest(v, APIC_IRR);
	return vec < 0 ? 0 : (uint8_t)vec;
}

uint8_t vlapic_svi(const struct vlapic *v)
{
	int vec = vlapic_highest(v, APIC_ISR);
	return vec < 0 ? 0 : (uint8_t)vec;
}

void vlapic_eoi_exit_bitmap(const struct vlapic *v, uint64_t bitmap[4])
{
	for (unsigned i = 0; i < 4; i++) {
		unsigned off = APIC_TMR + 0x20 * i;
		bitmap[i] = vlapic_page_reg(v, off) |
			    (uint64_t)vlapic_page_reg(v, off + 0x10) << 32;
	}
}

/* The registers the model keeps (or derives) written back over whatever
 * the guest's write left in the page. */
static void restore_model_registers(struct vlapic *v)
{
	for (unsigned i = 0; i < VLAPIC_LVT_COUNT; i++)
		vlapic_set_lvt(v, i, v->lvt[i]);
	vlapic_set_timer_icr(v, v->timer_icr);
	vlapic_set_timer_dcr(v, v->timer_dcr);
	vlapic_mode_registers(v);
}

/*
 * The processor stored the guest's write at `off` and left the rest to
 * Volt ("APIC-Write VM Exits"): the value is taken from the page and
 * written as the interface in use would (the MMIO rules in xAPIC mode;
 * in x2APIC mode the MSR rules, where a #GP cannot be raised any more:
 * the write has completed, so a bad value is dropped).
 */
void vlapic_apicv_write(struct vlapic *v, uint32_t off)
{
	unsigned reg = off & 0xff0;
	uint32_t val = vlapic_page_reg(v, reg);

	v->apicv_dirty = true;
	if (vlapic_x2apic_mode(v)) {
		uint64_t value = val;
		if (reg == APIC_ICR_LOW) /* one 64-bit register */
			value |= (uint64_t)vlapic_page_reg(v, APIC_ICR_HIGH)
				 << 32;
		(void)vlapic_msr_write(v, X2APIC_MSR_FIRST + (reg >> 4), value);
	} else {
		(void)vlapic_mmio_write(v, reg, 4, val);
	}
	restore_model_registers(v);
}

void vlapic_apicv_eoi(struct vlapic *v, uint8_t vector)
{
	vlapic_eoi_done(v, vector);
}
