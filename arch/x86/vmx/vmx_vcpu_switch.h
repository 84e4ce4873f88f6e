/*
 * The part of a guest's state that VMX leaves in the processor rather
 * than the VMCS (SDM vol. 3C 25.4/26.3 list what entry and exit switch;
 * everything else stays as the guest left it): x87/SSE registers, CR2,
 * DR0-DR3 and DR6, and the MSRs Volt passes through (SYSCALL's and
 * KERNEL_GS_BASE). Saved when the vCPU leaves a processor, restored when
 * it comes back.
 */
#ifndef VOLT_ARCH_X86_VMX_VMX_VCPU_SWITCH_H
#define VOLT_ARCH_X86_VMX_VMX_VCPU_SWITCH_H

#include <stdbool.h>
#include <stdint.h>

#define VMX_SWITCH_MSRS 5

struct vmx_switch_state {
	uint8_t fxsave[512] __attribute__((aligned(16))); /* FXSAVE image */
	uint64_t cr2;
	uint64_t dr[4], dr6;
	uint64_t msrs[VMX_SWITCH_MSRS];
	bool loaded;        /* its VMCS is current on `cpu` */
	uint32_t cpu;       /* where it was loaded last */
};

#endif
