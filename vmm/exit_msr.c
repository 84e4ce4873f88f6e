/*
 * RDMSR/WRMSR exits: the glue between the exit, the pure MSR model
 * (msr_emul.c: emulated MSRs, #GP rules and counts) and the backend, which
 * owns the MSRs the VMCS or the processor holds for the guest (EFER, PAT,
 * DEBUGCTL, SYSENTER, SYSCALL, segment bases). An MSR nobody emulates
 * raises #GP(0) in the guest, as an unimplemented MSR does on hardware
 * (SDM vol. 2B, RDMSR/WRMSR), and is counted for the VM's report.
 */
#include "arch/x86/cpu.h"
#include "vmm/cpuid_filter.h"
#include "vmm/exit_handlers.h"
#include "vmm/msr_emul.h"
#include "vmm/virt_ops.h"

#define VECTOR_GP 13
#define MSR_APIC_BASE 0x1bu
#define MSR_TSC_DEADLINE 0x6e0u

static int lapic_msr_read(struct vcpu *v, uint32_t index, uint64_t *value)
{
	struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	if (index == MSR_APIC_BASE)
		*value = vlapic_apic_base(l);
	else if (index == MSR_TSC_DEADLINE)
		*value = vlapic_get_tsc_deadline(l);
	else
		return vlapic_msr_read(l, index, value);
	return 0;
}

static int lapic_msr_write(struct vcpu *v, uint32_t index, uint64_t value)
{
	struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	if (index == MSR_APIC_BASE)
		return vlapic_set_apic_base(l, value);
	if (index == MSR_TSC_DEADLINE) {
		vlapic_set_tsc_deadline(l, value);
		return 0;
	}
	return vlapic_msr_write(l, index, value);
}

static uint64_t guest_tsc(void)
{
	return rdtsc(); /* no TSC offsetting yet: the host's count */
}

/* The vCPU's MSR state, set up at its first MSR exit from the same
 * policy its CPUID shows. Out of line: it runs once. */
static __attribute__((noinline)) void vcpu_msrs_init(struct vcpu *v)
{
	const struct cpuid_policy *p = vcpu_cpuid_policy(v);
	struct msr_emul_config c = {
		.vcpu_id = v->id,
		.phys_addr_bits = p->phys_addr_bits,
		.lapic = p->lapic,
		.x2apic = p->x2apic,
		.mwait = p->mwait,
		.rdtscp = p->rdtscp,
		.read_tsc = guest_tsc,
	};
	msr_emul_init(&v->msrs, &c);
}

static inline struct vcpu_msrs *vcpu_msrs(struct vcpu *v)
{
	if (__builtin_expect(!v->msrs.initialized, 0))
		vcpu_msrs_init(v);
	return &v->msrs;
}

static enum vm_exit_action inject_gp(struct vcpu *v)
{
	virt_vcpu_inject_exception(v, VECTOR_GP, true, 0);
	return VM_RESUME; /* a fault: RIP stays on the instruction */
}

static void set_edx_eax(struct vcpu *v, uint64_t value)
{
	v->regs.rax = (uint32_t)value;
	v->regs.rdx = (uint32_t)(value >> 32);
}

/* The backend's MSRs, out of line so the emulated path stays short. */
static __attribute__((noinline)) enum vm_exit_action
backend_read(struct vcpu *v, uint32_t index)
{
	uint64_t value;

	if (virt_vcpu_get_msr(v, index, &value)) {
		msr_emul_count_backend_gp(&v->msrs, index, false);
		return inject_gp(v);
	}
	set_edx_eax(v, value);
	return VM_RESUME_SKIP_INSN;
}

static __attribute__((noinline)) enum vm_exit_action
backend_write(struct vcpu *v, uint32_t index, uint64_t value)
{
	if (virt_vcpu_set_msr(v, index, value)) {
		msr_emul_count_backend_gp(&v->msrs, index, true);
		return inject_gp(v);
	}
	return VM_RESUME_SKIP_INSN;
}

enum vm_exit_action exit_msr_read(struct vcpu *v, struct vm_exit *e)
{
	uint32_t index = e->u.msr.index;
	uint64_t value;

	switch (msr_emul_read(vcpu_msrs(v), index, &value)) {
	case MSR_EMUL_OK:
		set_edx_eax(v, value);
		return VM_RESUME_SKIP_INSN;
	case MSR_EMUL_LAPIC:
		if (lapic_msr_read(v, index, &value))
			return inject_gp(v);
		set_edx_eax(v, value);
		return VM_RESUME_SKIP_INSN;
	case MSR_EMUL_BACKEND:
		return backend_read(v, index);
	case MSR_EMUL_GP:
	case MSR_EMUL_UNKNOWN: /* counted by msr_emul for the report */
	default:
		return inject_gp(v);
	}
}

enum vm_exit_action exit_msr_write(struct vcpu *v, struct vm_exit *e)
{
	uint32_t index = e->u.msr.index;
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;

	switch (msr_emul_write(vcpu_msrs(v), index, value)) {
	case MSR_EMUL_OK:
		return VM_RESUME_SKIP_INSN;
	case MSR_EMUL_LAPIC:
		return lapic_msr_write(v, index, value) ? inject_gp(v)
							: VM_RESUME_SKIP_INSN;
	case MSR_EMUL_BACKEND:
		return backend_write(v, index, value);
	case MSR_EMUL_GP:
	case MSR_EMUL_UNKNOWN:
	default:
		return inject_gp(v);
	}
}
