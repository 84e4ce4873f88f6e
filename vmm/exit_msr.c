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
#define MSR_EFER 0xc0000080u
#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10) /* read-only: the processor sets it */
#define EFER_NXE (1ull << 11)
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
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
	case MSR_EFER:
		*value = virt_vcpu_get_efer(v);
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

/* EFER: the guest may set SCE, LME, NXE (reserved bits: #GP). LMA is the
 * processor's and keeps its value. */
static bool efer_write(struct vcpu *v, uint64_t value)
{
	if (value & ~(EFER_GUEST_WRITABLE | EFER_LMA))
		return false;
	uint64_t lma = virt_vcpu_get_efer(v) & EFER_LMA;
	virt_vcpu_set_efer(v, (value & EFER_GUEST_WRITABLE) | lma);
	return true;
}

enum vm_exit_action exit_msr_write(struct vcpu *v, const struct vm_exit *e)
{
	uint64_t value = (v->regs.rdx << 32) | (uint32_t)v->regs.rax;
	if (e->u.msr.index == MSR_EFER && efer_write(v, value))
		return VM_RESUME_SKIP_INSN;
	/* Nothing else is writable yet: LAPIC and power MSRs come later. */
	return inject_gp(v);
}
