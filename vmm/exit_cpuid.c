/*
 * CPUID exits: run CPUID on the host, then let the filter (cpuid_filter.c,
 * pure and host-tested) hide what Volt does not virtualize and add the
 * hypervisor leaves ("VoltVoltVolt").
 */
#include "arch/x86/cpu.h"
#include "vmm/cpuid_filter.h"
#include "vmm/exit_handlers.h"

#define CPUID_MAX_EXT_LEAF 0x80000000u

/* The policy for a vCPU: one vCPU per VM for now, no vLAPIC, MWAIT,
 * XSAVE switching, RDTSCP or INVPCID yet. Built once per vCPU. */
static void vcpu_cpuid_policy(const struct vcpu *v, struct cpuid_policy *p)
{
	struct cpuid_regs r;
	cpuid(0, 0, &r);
	uint32_t host_max_basic = r.eax;
	cpuid(CPUID_MAX_EXT_LEAF, 0, &r);
	*p = (struct cpuid_policy){
		.vcpu_id = v->id,
		.vcpu_count = 1,
		.host_max_basic = host_max_basic,
		.host_max_ext = r.eax,
	};
}

enum vm_exit_action exit_cpuid(struct vcpu *v, const struct vm_exit *e)
{
	struct cpuid_regs h;
	cpuid(e->u.cpuid.leaf, e->u.cpuid.subleaf, &h);
	struct cpuid_result r = { h.eax, h.ebx, h.ecx, h.edx };

	if (!v->cpuid_policy_ready) {
		vcpu_cpuid_policy(v, &v->cpuid_policy);
		v->cpuid_policy_ready = true;
	}
	cpuid_filter(e->u.cpuid.leaf, e->u.cpuid.subleaf, &r, &v->cpuid_policy);
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	return VM_RESUME_SKIP_INSN;
}
