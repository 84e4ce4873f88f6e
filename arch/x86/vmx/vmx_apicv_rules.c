/*
 * The rules of VT-x APIC virtualization as pure functions (see
 * vmx_apicv.h): capability bits (SDM vol. 3C A.3.2, A.3.3), the VM-entry
 * checks on the APIC-related VM-execution controls ("Checks on
 * VM-Execution Control Fields", 27.2.1.1 / 26.2.1.1), the controls per
 * guest APIC mode, and which x2APIC MSRs the processor virtualizes
 * ("Virtualizing MSR-Based APIC Accesses"). Host-tested
 * (tests/unit/test_vmx_apicv.c) against Bochs's capability MSRs.
 */
#include <stddef.h>
#include "arch/x86/vmx/vmx_apicv.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_controls.h"

#define PAGE_MASK 0xfffull

const char *vmx_apicv_missing(uint64_t procbased_cap, uint64_t procbased2_cap)
{
	static const struct {
		bool secondary;
		uint32_t bit;
		const char *name;
	} need[] = {
		{ false, PROC_ACTIVATE_SECONDARY, "secondary controls" },
		{ false, PROC_USE_TPR_SHADOW, "the TPR shadow" },
		{ true, PROC2_VIRTUALIZE_APIC_ACCESSES,
		  "APIC-access virtualization" },
		{ true, PROC2_VIRTUALIZE_X2APIC_MODE,
		  "x2APIC-mode virtualization" },
		{ true, PROC2_APIC_REGISTER_VIRT,
		  "APIC-register virtualization" },
		{ true, PROC2_VIRTUAL_INTR_DELIVERY,
		  "virtual-interrupt delivery" },
	};
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		uint64_t cap = need[i].secondary ? procbased2_cap
						 : procbased_cap;
		if (!(vmx_ctls_may_be_1(cap) & need[i].bit))
			return need[i].name;
	}
	return NULL;
}

/* "bits 11:0 ... must be 0; the address should not set any bits beyond
 * the processor's physical-address width" */
static bool page_address_ok(uint64_t addr, uint8_t maxphyaddr)
{
	return !(addr & PAGE_MASK) &&
	       (maxphyaddr >= 64 || !(addr >> maxphyaddr));
}

const char *vmx_apicv_check(const struct vmx_apicv_controls *c)
{
	bool tpr_shadow = c->proc & PROC_USE_TPR_SHADOW;
	/* Without "activate secondary controls" the processor acts as if
	 * they were all 0. */
	uint32_t proc2 = (c->proc & PROC_ACTIVATE_SECONDARY) ? c->proc2 : 0;
	bool vid = proc2 & PROC2_VIRTUAL_INTR_DELIVERY;
	bool apic_accesses = proc2 & PROC2_VIRTUALIZE_APIC_ACCESSES;

	if (tpr_shadow) {
		if (!page_address_ok(c->virtual_apic_addr, c->maxphyaddr))
			return "virtual-APIC address not 4 KiB aligned or "
			       "beyond MAXPHYADDR";
		if (!vid && (c->tpr_threshold >> 4))
			return "TPR threshold bits 31:4 not 0 (without "
			       "virtual-interrupt delivery)";
		if (!vid && !apic_accesses &&
		    (c->tpr_threshold & 0xf) > (uint32_t)(c->vtpr >> 4))
			return "TPR threshold above VTPR[7:4]";
	} else if (proc2 & (PROC2_VIRTUALIZE_X2APIC_MODE |
			    PROC2_APIC_REGISTER_VIRT |
			    PROC2_VIRTUAL_INTR_DELIVERY)) {
		return "x2APIC-mode virtualization, APIC-register "
		       "virtualization or virtual-interrupt delivery without "
		       "the TPR shadow";
	}
	if ((proc2 & PROC2_VIRTUALIZE_X2APIC_MODE) && apic_accesses)
		return "x2APIC-mode virtualization together with APIC-access "
		       "virtualization";
	if (vid && !(c->pin & PIN_EXTERNAL_INTERRUPT_EXITING))
		return "virtual-interrupt delivery without external-interrupt "
		       "exiting";
	if (apic_accesses &&
	    !page_address_ok(c->apic_access_addr, c->maxphyaddr))
		return "APIC-access address not 4 KiB aligned or beyond "
		       "MAXPHYADDR";
	return NULL;
}

uint32_t vmx_apicv_mode_proc2(uint32_t proc2, unsigned mode)
{
	proc2 &= ~(PROC2_VIRTUALIZE_APIC_ACCESSES |
		   PROC2_VIRTUALIZE_X2APIC_MODE);
	if (mode == VIRT_APIC_XAPIC)
		proc2 |= PROC2_VIRTUALIZE_APIC_ACCESSES;
	else if (mode == VIRT_APIC_X2APIC)
		proc2 |= PROC2_VIRTUALIZE_X2APIC_MODE;
	return proc2;
}

#define X2APIC_FIRST 0x800u
#define X2APIC_LAST 0x8ffu
#define X2APIC_TPR 0x808u
#define X2APIC_EOI 0x80bu
#define X2APIC_SELF_IPI 0x83fu

/* The SDM's list: ID, version, TPR, PPR, LDR, SVR, ISR, TMR, IRR, ESR,
 * ICR, the LVT timer..error, initial count, divide configuration. */
bool vmx_apicv_x2apic_read_virtualized(uint32_t msr)
{
	switch (msr) {
	case 0x802: case 0x803: case 0x808: case 0x80a: case 0x80d:
	case 0x80f: case 0x828: case 0x830: case 0x83e:
		return true;
	}
	return (msr >= 0x810 && msr <= 0x827) ||
	       (msr >= 0x832 && msr <= 0x838);
}

void vmx_apicv_x2apic_msrs(uint8_t page[MSR_BITMAP_BYTES], bool virtualized)
{
	for (uint32_t msr = X2APIC_FIRST; msr <= X2APIC_LAST; msr++) {
		bool read = virtualized &&
			    vmx_apicv_x2apic_read_virtualized(msr);
		bool write = virtualized &&
			     (msr == X2APIC_TPR || msr == X2APIC_EOI ||
			      msr == X2APIC_SELF_IPI);
		msr_bitmap_pass(page, msr, read, write);
	}
}
