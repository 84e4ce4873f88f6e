/*
 * CPUID exits: answer from the vCPU's table of filtered leaves
 * (cpuid_filter.c, pure and host-tested), built once at the vCPU's first
 * CPUID. Only the leaves that depend on the moment (XSAVE sizes, TLB
 * subleaves) run CPUID on the host again. docs/cpu-model.md describes
 * what the guest sees.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "vmm/cpuid_filter.h"
#include "vmm/exit_handlers.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"

#define LEAF_FEATURES 1u
#define CR4_OSXSAVE (1ull << 18)

static void host_cpuid(uint32_t leaf, uint32_t subleaf,
		       struct cpuid_result *r, void *ctx)
{
	struct cpuid_regs h;
	cpuid(leaf, subleaf, &h);
	*r = (struct cpuid_result){ h.eax, h.ebx, h.ecx, h.edx };
}

/*
 * What this VM provides today: one vCPU with a local APIC (xAPIC and
 * x2APIC, TSC-deadline timer: vmm/dev/vlapic.c); no
 * MWAIT, XSAVE switching, RDTSCP or INVPCID yet; the TSC rate Volt
 * measured (tsc_init), for leaves 0x15/0x16 when the host has none.
 */
const struct cpuid_policy *vcpu_cpuid_policy(struct vcpu *v)
{
	struct cpuid_policy *p = &v->cpuid_policy;

	if (!v->cpuid_policy_ready) {
		*p = (struct cpuid_policy){
			.vcpu_id = v->id,
			.vcpu_count = v->vm->vcpu_count,
			.lapic = true,        /* vmm/dev/vlapic.c */
			.x2apic = true,
			.tsc_deadline = true,
			.tsc_hz = tsc_hz,
		};
		cpuid_policy_build(p, host_cpuid, NULL);
		v->cpuid_policy_ready = true;
	}
	return p;
}

/* Leaf 1 reports the guest's own CR4.OSXSAVE. Only with XSAVE offered:
 * otherwise the bit is always clear and CR4 need not be read. */
static void refresh_osxsave(struct vcpu *v, uint32_t leaf)
{
	struct cpuid_policy *p = &v->cpuid_policy;
	struct vcpu_cpu_state s;

	if (!p->xsave || cpuid_effective_leaf(p, leaf) != LEAF_FEATURES)
		return;
	virt_vcpu_get_cpu_state(v, &s);
	p->guest_osxsave = s.cr4 & CR4_OSXSAVE;
}

enum vm_exit_action exit_cpuid(struct vcpu *v, struct vm_exit *e)
{
	const struct cpuid_policy *p = vcpu_cpuid_policy(v);
	uint32_t leaf = e->u.cpuid.leaf, subleaf = e->u.cpuid.subleaf;
	struct cpuid_result r;

	refresh_osxsave(v, leaf);
	if (!cpuid_table_lookup(p, leaf, subleaf, &r))
		cpuid_answer(p, leaf, subleaf, host_cpuid, NULL, &r);
	v->regs.rax = r.eax;
	v->regs.rbx = r.ebx;
	v->regs.rcx = r.ecx;
	v->regs.rdx = r.edx;
	return VM_RESUME_SKIP_INSN;
}
