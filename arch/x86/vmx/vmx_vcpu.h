/*
 * The VT-x backend's per-VM and per-vCPU state, shared by the backend's
 * files: vmx_vcpu.c (VMCS controls, entry, exit translation),
 * vmx_guest_boot.c (the guest state a vCPU starts with) and
 * vmx_guest_msrs.c (the guest MSRs the backend owns).
 */
#ifndef VOLT_ARCH_X86_VMX_VMX_VCPU_H
#define VOLT_ARCH_X86_VMX_VMX_VCPU_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/vmx_vcpu_switch.h"
#include "vmm/vm.h"

struct vmx_vm {
	struct ept_ctx ept;
	uint64_t eptp;
	uint64_t apic_access; /* APIC virtualization: the page EPT maps at
				 0xfee00000 (vmx_apicv.c), or 0 */
};

struct vmx_vcpu {
	uint64_t vmcs;  /* physical address of the VMCS region */
	uint64_t msr_bitmap; /* physical address of the 4 KiB MSR bitmap */
	uint64_t io_bitmaps; /* two 4 KiB pages: ports 0-0x7fff, 0x8000-0xffff */
	bool launched;  /* VMLAUNCH done: later entries use VMRESUME */
	uint64_t host_rsp; /* HOST_RSP as last written (0: not yet) */
	bool preemption_timer; /* the VMX-preemption timer is active */
	bool timer_at_max;     /* its VMCS value is the maximum (no deadline) */
	bool window_exiting;   /* interrupt-window exiting is on */
	bool virtual_nmis;     /* the "virtual NMIs" pin control is on */
	bool nmi_window_exiting;
	uint16_t vpid;
	/* APIC virtualization (vmx_apicv.c): on for this vCPU; what the
	 * VMCS holds now, so that only changes are written. */
	bool apicv;
	uint8_t apic_mode;    /* enum virt_apic_mode, or 0xff: not yet */
	uint32_t proc2;       /* the secondary controls */
	uint64_t apic_page;   /* virtual-APIC address (0: not yet) */
	uint64_t eoi_exit[4]; /* the EOI-exit bitmap */
	/* What of the guest lives in the processor, while the vCPU is
	 * switched out (vmx_vcpu_switch.c). */
	struct vmx_switch_state sw;
};

/* Host state fields for the calling processor (vmx_vcpu.c). */
void vmx_setup_host_state(void);
/* Drop the processor's cached translations of this vCPU (EPT + VPID). */
void vmx_flush_guest_tlbs(struct vcpu *v, struct vmx_vcpu *vx);
/* Scheduling (vmx_vcpu_switch.c). */
void vmx_switch_state_init(struct vmx_vcpu *vx);
void vmx_vcpu_put(struct vcpu *v);
void vmx_vcpu_load(struct vcpu *v);

/* Guest state for a vCPU's first entry (vmx_guest_boot.c). */
void vmx_setup_guest_state(const struct vcpu_boot *boot);

/* Guest MSRs (vmx_guest_msrs.c). The VMCS switches EFER, PAT, DEBUGCTL
 * and SYSENTER_*; the SYSCALL MSRs and KERNEL_GS_BASE stay in the
 * processor while the vCPU is loaded on it. */
void vmx_guest_msrs_pass(uint8_t *msr_bitmap);
void vmx_guest_msrs_load_initial(void);
void vmx_guest_msrs_scrub(void);
int vmx_vcpu_get_msr(struct vcpu *v, uint32_t index, uint64_t *value);
int vmx_vcpu_set_msr(struct vcpu *v, uint32_t index, uint64_t value);
void vmx_set_guest_efer(uint64_t efer);

#endif
