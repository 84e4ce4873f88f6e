/*
 * The boundary between generic VM code and a hardware backend (VT-x
 * today). The list of operations lives in virt_ops.def (KVM's
 * kvm-x86-ops.h idea): one line per op, expanded here into the ops struct
 * and the inline wrappers, and in virt_ops.c into a check that a backend
 * filled every op.
 */
#ifndef VOLT_VMM_VIRT_OPS_H
#define VOLT_VMM_VIRT_OPS_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/vm.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_apic.h"
#include "vmm/vm_exit.h"

struct virt_ops {
	const char *name;
#define VIRT_OP(name, ret, params) ret(*name) params;
#include "vmm/virt_ops.def"
#undef VIRT_OP
};

extern const struct virt_ops *virt_backend;

/*
 * The boot-time completeness check, expanded from the same list: true
 * when a backend filled its name and every op of virt_ops.def; otherwise
 * false, with *missing naming the first hole ("vcpu_run"). A backend with
 * a hole would crash the first time generic code called through it, far
 * from the cause; checking at install time names the cause instead.
 */
static inline bool virt_ops_complete(const struct virt_ops *ops,
				     const char **missing)
{
	const char *hole = !ops ? "ops" : !ops->name ? "name" : NULL;

	if (hole)
		goto out;
#define VIRT_OP(op, ret, params)   \
	if (!ops->op) {            \
		hole = #op;        \
		goto out;          \
	}
#include "vmm/virt_ops.def"
#undef VIRT_OP
out:
	if (missing)
		*missing = hole;
	return hole == NULL;
}

/* Install a backend; returns the name of a missing op, or NULL. */
const char *virt_ops_install(const struct virt_ops *ops);

static inline int virt_vm_init(struct vm *vm) { return virt_backend->vm_init(vm); }
/* The VM's vCPUs are destroyed: release its guest-physical mappings. */
static inline void virt_vm_destroy(struct vm *vm) { virt_backend->vm_destroy(vm); }
static inline int virt_vm_map_ram(struct vm *vm, uint64_t gpa, uint64_t hpa, uint64_t len)
{
	return virt_backend->vm_map_ram(vm, gpa, hpa, len);
}
static inline int virt_vcpu_init(struct vcpu *v, const struct vcpu_boot *b)
{
	return virt_backend->vcpu_init(v, b);
}
static inline int virt_vcpu_run(struct vcpu *v, struct vm_exit *e)
{
	return virt_backend->vcpu_run(v, e);
}
/* The exiting instruction was emulated: continue at rip. */
static inline void virt_vcpu_complete_insn(struct vcpu *v, uint64_t rip)
{
	virt_backend->vcpu_complete_insn(v, rip);
}
/* Deliver an exception at the next entry (the faulting instruction is not
 * skipped). The backend drops the error code where the guest's mode has
 * none (real mode). */
static inline void virt_vcpu_inject_exception(struct vcpu *v, uint8_t vector,
					      bool has_error, uint32_t error)
{
	virt_backend->vcpu_inject_exception(v, vector, has_error, error);
}
/* Can the guest take an external interrupt at the next entry (IF set,
 * no STI/MOV-SS shadow, no other event queued)? */
static inline bool virt_vcpu_interrupt_allowed(struct vcpu *v)
{
	return virt_backend->vcpu_interrupt_allowed(v);
}
/* Deliver external interrupt `vector` at the next entry; only after
 * virt_vcpu_interrupt_allowed said yes. */
static inline void virt_vcpu_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	virt_backend->vcpu_inject_interrupt(v, vector);
}
/* Exit as soon as the guest can take an interrupt (one is waiting), or
 * stop asking. */
static inline void virt_vcpu_set_interrupt_window(struct vcpu *v, bool on)
{
	virt_backend->vcpu_set_interrupt_window(v, on);
}

/* NMIs: may one be delivered at the next entry (no NMI or MOV-SS
 * blocking, nothing else queued)? Deliver it; or exit when the guest's
 * NMI blocking ends. */
static inline bool virt_vcpu_nmi_allowed(struct vcpu *v)
{
	return virt_backend->vcpu_nmi_allowed(v);
}
static inline void virt_vcpu_inject_nmi(struct vcpu *v)
{
	virt_backend->vcpu_inject_nmi(v);
}
static inline void virt_vcpu_set_nmi_window(struct vcpu *v, bool on)
{
	virt_backend->vcpu_set_nmi_window(v, on);
}

/* The guest's mode, control registers and segment bases (vcpu_state.h). */
static inline void virt_vcpu_get_cpu_state(struct vcpu *v,
					   struct vcpu_cpu_state *s)
{
	virt_backend->vcpu_get_cpu_state(v, s);
}
static inline void virt_vcpu_set_rsp(struct vcpu *v, uint64_t rsp)
{
	virt_backend->vcpu_set_rsp(v, rsp);
}
static inline void virt_vcpu_set_rflags(struct vcpu *v, uint64_t rflags)
{
	virt_backend->vcpu_set_rflags(v, rflags);
}
/* MSRs the backend owns (EFER, PAT, SYSENTER, SYSCALL...): 0, or -1 when
 * the access must raise #GP in the guest. */
static inline int virt_vcpu_get_msr(struct vcpu *v, uint32_t index,
				    uint64_t *value)
{
	return virt_backend->vcpu_get_msr(v, index, value);
}
static inline int virt_vcpu_set_msr(struct vcpu *v, uint32_t index,
				    uint64_t value)
{
	return virt_backend->vcpu_set_msr(v, index, value);
}
static inline void virt_vcpu_dump(struct vcpu *v) { virt_backend->vcpu_dump(v); }
/* The vCPU will never run again: release its backend state. */
static inline void virt_vcpu_destroy(struct vcpu *v) { virt_backend->vcpu_destroy(v); }
/* Scheduling (virt_ops.def): the vCPU leaves / comes back to the
 * processor that calls. */
static inline void virt_vcpu_put(struct vcpu *v) { virt_backend->vcpu_put(v); }
static inline void virt_vcpu_load(struct vcpu *v) { virt_backend->vcpu_load(v); }
/* APIC virtualization (virt_ops.def): is it used for new VMs? Tell the
 * backend what the processor must know of the vCPU's local APIC. */
static inline bool virt_apic_virtualization(void)
{
	return virt_backend && virt_backend->apic_virtualization();
}
static inline void virt_vcpu_sync_apic(struct vcpu *v,
				       const struct virt_apic_state *s)
{
	virt_backend->vcpu_sync_apic(v, s);
}

#endif
