/*
 * CPUID exits: the guest sees the host's CPUID with what Volt does not
 * virtualize hidden (SDM vol. 2A, CPUID). Leaf 0x40000000 is the
 * hypervisor leaf: it names Volt.
 */
#include "arch/x86/cpu.h"
#include "vmm/exit_handlers.h"

#define CPUID_1_ECX_MONITOR (1u << 3)
#define CPUID_1_ECX_VMX (1u << 5)
#define CPUID_1_ECX_SMX (1u << 6)
#define CPUID_1_ECX_HYPERVISOR (1u << 31)
#define CPUID_HV_LEAF 0x40000000u
#define CPUID_HV_LAST 0x40000001u
#define VOLT_SIGNATURE 0x746c6f56u /* "Volt", little-endian */

enum vm_exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	struct cpuid_regs r = { 0, 0, 0, 0 };
	uint32_t leaf = e->u.cpuid.leaf;

	if (leaf == CPUID_HV_LEAF) {
		r.eax = CPUID_HV_LAST;
		r.ebx = r.ecx = r.edx = VOLT_SIGNATURE;
	} else if (leaf > CPUID_HV_LEAF && leaf <= CPUID_HV_LAST) {
		/* reserved for Volt's own features: none yet */
	} else {
		cpuid(leaf, e->u.cpuid.subleaf, &r);
		if (leaf == 1) {
			/* No nested VMX; no MONITOR/MWAIT until the PM issue
			 * decides how guests idle; "running on a hypervisor". */
			r.ecx &= ~(CPUID_1_ECX_VMX | CPUID_1_ECX_SMX |
				   CPUID_1_ECX_MONITOR);
			r.ecx |= CPUID_1_ECX_HYPERVISOR;
		}
	}
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	return VM_RESUME_SKIP_INSN;
}
