/*
 * Control-register exits (SDM vol. 3C 26.1.3 says which MOV CR accesses
 * exit). Volt intercepts:
 *  - CR4.VMXE (the CR4 guest/host mask; the guest reads it as 0): a MOV to
 *    CR4 exits only when the guest tries to set it. VMX is not offered to
 *    guests (CPUID hides it), so that write raises #GP, as on a processor
 *    without VMX.
 *  - CR8, the task-priority register of 64-bit mode: without a TPR
 *    shadow, MOV CR8 would read and write the host's own TPR (and could
 *    block the host's interrupts). It is the guest's virtual local APIC's
 *    TPR[7:4] (SDM vol. 3A 11.8.6.1).
 */
#include "vmm/exit_handlers.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"

#define CR4_NUMBER 4
#define CR8_NUMBER 8
#define CR8_RESERVED (~0xfull) /* bits 63:4: #GP if set (vol. 3A 10.8.6.1) */
#define VECTOR_GP 13

static enum vm_exit_action inject_gp(struct vcpu *v)
{
	virt_vcpu_inject_exception(v, VECTOR_GP, true, 0);
	return VM_RESUME; /* a fault: RIP stays on the instruction */
}

static enum vm_exit_action cr8_access(struct vcpu *v, struct vm_exit *e)
{
	struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	if (e->u.cr.access == VM_CR_MOV_FROM) {
		vcpu_gpr_set(v, e->u.cr.gpr, vlapic_get_tpr(l) >> 4);
		return VM_RESUME_SKIP_INSN;
	}
	uint64_t value = vcpu_gpr_get(v, e->u.cr.gpr);
	if (value & CR8_RESERVED)
		return inject_gp(v);
	vlapic_set_tpr(l, (uint8_t)(value << 4)); /* CR8 = TPR[7:4] */
	return VM_RESUME_SKIP_INSN;
}

enum vm_exit_action exit_cr_access(struct vcpu *v, struct vm_exit *e)
{
	if (e->u.cr.access == VM_CR_MOV_TO && e->u.cr.cr == CR4_NUMBER)
		return inject_gp(v);
	if (e->u.cr.cr == CR8_NUMBER && (e->u.cr.access == VM_CR_MOV_TO ||
					 e->u.cr.access == VM_CR_MOV_FROM))
		return cr8_access(v, e);
	return exit_fatal(v, e); /* no other CR access is intercepted */
}
