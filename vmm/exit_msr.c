/*
 * RDMSR/WRMSR exits. Every MSR access exits for now (no MSR bitmap yet).
 * The few MSRs a guest may use are emulated here; any other raises #GP in
 * the guest, as an MSR the processor does not have would (SDM vol. 4:
 * "RDMSR/WRMSR of a reserved or unimplemented MSR causes #GP(0)").
 */
#include "arch/x86/cpu.h"
#include "vmm/exit_handlers.h"
#include "vmm/virt_ops.h"

#define MSR_TSC 0x10u
#define MSR_APIC_BASE 0x1bu
#define MSR_MISC_ENABLE 0x1a0u
#define APIC_BASE_DEFAULT 0xfee00000ull
#define APIC_BASE_ENABLE_BSP ((1ull << 11) | (1ull << 8))
#define MISC_ENABLE_FAST_STRINGS 1ull
#define VECTOR_GP 13

static bool msr_read(struct vcpu *v, uint32_t index, uint64_t *value)
{
	switch (index) {
	case MSR_TSC:
		*value = rdtsc(); /* no TSC offsetting yet: the host's count */
		return true;
	case MSR_APIC_BASE:
		*value = APIC_BASE_DEFAULT | APIC_BASE_ENABLE_BSP;
		return true;
	case MSR_MISC_ENABLE:
		*value = MISC_ENABLE_FAST_STRINGS;
		return true;
	default:
		return false;
	}
}

static enum vm_exit_action inject_gp(struct vcpu *v)
{
	virt_vcpu_inject_exception(v, VECTOR_GP, true, 0);
	return VM_RESUME; /* a fault: RIP stays on the instruction */
}

enum vm_exit_action exit_msr_read(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t value;
	if (!msr_read(v, e->u.msr.index, &value))
		return inject_gp(v);
	v->regs.rax = (uint32_t)value;
	v->regs.rdx = (uint32_t)(value >> 32);
	return VM_RESUME_SKIP_INSN;
}

enum vm_exit_action exit_msr_write(struct vcpu *v, const struct vm_exit *e)
{
	/* Nothing is writable yet: the LAPIC and power MSRs come later. */
	return inject_gp(v);
}
