/*
 * Control-register exits. Volt owns only CR4.VMXE today (the CR4
 * guest/host mask; the guest reads it as 0): a MOV to CR4 exits only when
 * the guest tries to set it. VMX is not offered to guests (CPUID hides it),
 * so that write raises #GP, as on a processor without VMX.
 */
#include "vmm/exit_handlers.h"
#include "vmm/virt_ops.h"

#define CR4_NUMBER 4
#define VECTOR_GP 13

enum vm_exit_action exit_cr_access(struct vcpu *v, const struct vm_exit *e)
{
	if (e->u.cr.access == VM_CR_MOV_TO && e->u.cr.cr == CR4_NUMBER) {
		virt_vcpu_inject_exception(v, VECTOR_GP, true, 0);
		return VM_RESUME;
	}
	return exit_fatal(v, e); /* no other CR access is intercepted */
}
