/*
 * APIC virtualization in the VT-x backend (docs/apicv.md): the guest's
 * local APIC registers are read from a page in memory without exits,
 * TPR, EOI and self-IPI writes are virtualized, and the processor
 * delivers the local APIC's interrupts itself. SDM vol. 3C chapter "APIC
 * Virtualization and Virtual Interrupts" (30 in recent editions, 29 in
 * older ones), the VM-entry checks on VM-execution control fields
 * (27.2.1.1 / 26.2.1.1) and appendix A.3 for the capability bits.
 *
 * Two halves:
 *   - pure rules (vmx_apicv_rules.c, host-tested): which capability is
 *     missing, the entry checks on the APIC controls, the secondary
 *     controls per guest APIC mode, the x2APIC part of the MSR bitmap;
 *   - kernel glue (vmx_apicv.c): the boot-time decision, the per-VM
 *     APIC-access page, VMCS setup and the vcpu_sync_apic op, exit
 *     translation.
 */
#ifndef VOLT_ARCH_X86_VMX_VMX_APICV_H
#define VOLT_ARCH_X86_VMX_VMX_APICV_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/vmx/msr_bitmap.h"
#include "vmm/virt_apic.h"

/* ---- pure rules ----------------------------------------------------- */

/*
 * What APIC virtualization needs, from the capability MSRs' allowed-1
 * halves (A.3.2, A.3.3): the primary processor-based MSR (the TRUE one
 * when IA32_VMX_BASIC bit 55 is set) and IA32_VMX_PROCBASED_CTLS2 (0 when
 * there are no secondary controls). NULL when everything is there, else
 * the first missing feature's name ("virtual-interrupt delivery").
 */
const char *vmx_apicv_missing(uint64_t procbased_cap, uint64_t procbased2_cap);

/* The control values a VM entry will check, for vmx_apicv_check. */
struct vmx_apicv_controls {
	uint32_t pin, proc, proc2;
	uint32_t tpr_threshold;
	uint64_t virtual_apic_addr;	/* "use TPR shadow" */
	uint64_t apic_access_addr;	/* "virtualize APIC accesses" */
	uint8_t vtpr;			/* the virtual-APIC page's TPR */
	uint8_t maxphyaddr;		/* the processor's */
};

/* The checks of "Checks on VM-Execution Control Fields" that concern
 * the TPR shadow and APIC virtualization, in the SDM's order: NULL when
 * they pass, else the rule the values break. */
const char *vmx_apicv_check(const struct vmx_apicv_controls *c);

/* The secondary controls for a guest APIC in `mode` (enum
 * virt_apic_mode): "virtualize APIC accesses" for xAPIC, "virtualize
 * x2APIC mode" for x2APIC, neither while disabled; the rest of proc2
 * unchanged. */
uint32_t vmx_apicv_mode_proc2(uint32_t proc2, unsigned mode);

/* Is RDMSR of this x2APIC MSR satisfied from the virtual-APIC page
 * ("virtualize x2APIC mode" with APIC-register virtualization)? */
bool vmx_apicv_x2apic_read_virtualized(uint32_t msr);
/*
 * MSRs 0x800-0x8ff in the MSR bitmap. Virtualized (x2APIC mode): reads
 * pass exactly where the processor reads the virtual-APIC page (every
 * readable register but the current count, which Volt computes), writes
 * pass for TPR, EOI and SELF IPI (the processor virtualizes them); all
 * else exits. Not virtualized: everything exits (the processor would
 * otherwise reach the host's own x2APIC).
 */
void vmx_apicv_x2apic_msrs(uint8_t page[MSR_BITMAP_BYTES], bool virtualized);

/* ---- kernel glue (vmx_apicv.c) ----------------------------------------- */
struct vcpu;
struct vm_exit;
struct vmx_vm;
struct vmx_vcpu;

/* Decide once, before the first VM, and say so on the console: on when
 * the processor has every feature and `allowed` (host option apicv=on,
 * the default). Without a call, the first VM decides with allowed. */
void virt_apicv_configure(bool allowed);
/* The decision (the apic_virtualization op). */
bool vmx_apicv_enabled(void);

/* Per VM: the APIC-access page behind guest-physical 0xfee00000. */
int vmx_apicv_vm_init(struct vmx_vm *vv);
void vmx_apicv_vm_destroy(struct vmx_vm *vv);
/* Per vCPU, with its VMCS current: the controls to add (or drop: MOV CR8
 * needs no exit with a TPR shadow), then the fields they use. */
void vmx_apicv_controls(struct vmx_vcpu *vx, uint32_t *proc_want,
			uint32_t *proc2_want);
void vmx_apicv_vcpu_init(struct vcpu *v, struct vmx_vcpu *vx);
/* The vcpu_sync_apic op. */
void vmx_apicv_sync(struct vcpu *v, const struct virt_apic_state *s);
/* APIC-access, APIC-write and EOI-induced exits -> generic exits. */
void vmx_apicv_translate_exit(struct vm_exit *e, uint16_t basic,
			      uint64_t qualification);

#endif
