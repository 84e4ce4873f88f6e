/*
 * General registers by x86 number. struct vcpu_regs is laid out for the
 * backend's entry code (RAX, RBX, RCX, RDX, ...), not in ModRM order, and
 * RSP lives in the backend's state: this file is the one translation.
 */
#include <stddef.h>
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"
#include "vmm/vm.h"

#define NO_SLOT SIZE_MAX
static const size_t gpr_offset[16] = {
	offsetof(struct vcpu_regs, rax), offsetof(struct vcpu_regs, rcx),
	offsetof(struct vcpu_regs, rdx), offsetof(struct vcpu_regs, rbx),
	NO_SLOT,                         offsetof(struct vcpu_regs, rbp),
	offsetof(struct vcpu_regs, rsi), offsetof(struct vcpu_regs, rdi),
	offsetof(struct vcpu_regs, r8),  offsetof(struct vcpu_regs, r9),
	offsetof(struct vcpu_regs, r10), offsetof(struct vcpu_regs, r11),
	offsetof(struct vcpu_regs, r12), offsetof(struct vcpu_regs, r13),
	offsetof(struct vcpu_regs, r14), offsetof(struct vcpu_regs, r15),
};

static uint64_t *slot(struct vcpu *v, unsigned nr)
{
	return (uint64_t *)((char *)&v->regs + gpr_offset[nr]);
}

uint64_t vcpu_gpr_get(struct vcpu *v, unsigned nr)
{
	if (nr >= 16)
		return 0;
	if (nr == VCPU_GPR_RSP) {
		struct vcpu_cpu_state s;
		virt_vcpu_get_cpu_state(v, &s);
		return s.rsp;
	}
	return *slot(v, nr);
}

void vcpu_gpr_set(struct vcpu *v, unsigned nr, uint64_t value)
{
	if (nr >= 16)
		return;
	if (nr == VCPU_GPR_RSP)
		virt_vcpu_set_rsp(v, value);
	else
		*slot(v, nr) = value;
}
