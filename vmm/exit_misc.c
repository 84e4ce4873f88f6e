/*
 * HLT, host interrupts, and the exits that end a VM. A stopped VM is
 * reported with what happened and where; Volt and the other VMs go on.
 */
#include "arch/x86/idt.h"
#include "vmm/exit_handlers.h"
#include "vmm/virt_ops.h"

/*
 * HLT with interrupts disabled can only end by NMI, SMI or INIT, none of
 * which reaches a uniprocessor VM: the guest has stopped for good (Linux
 * does this after a power-off it could not perform). In an SMP VM it
 * parks that processor until the VM ends. Otherwise the vCPU blocks until
 * an interrupt comes.
 */
enum vm_exit_action exit_hlt(struct vcpu *v, struct vm_exit *e)
{
	struct vcpu_cpu_state s;
	virt_vcpu_get_cpu_state(v, &s);
	if (!(s.rflags & VCPU_RFLAGS_IF) && v->vm->vcpu_count == 1) {
		vm_printk(v->vm, "halted at %#lx with interrupts disabled; "
			  "stopping\n", (unsigned long)e->rip);
		return VM_KILL;
	}
	return VM_BLOCK;
}

static bool guest_mwait_nop;

void exit_set_guest_mwait_nop(bool nop)
{
	guest_mwait_nop = nop;
}

/*
 * A guest's MWAIT must not pick the host's C-state (Volt owns them; CPUID
 * does not even show MONITOR/MWAIT, but a guest may try). `pm
 * guest_mwait=exit` (the default): it is a HLT, the vCPU blocks in the
 * scheduler until an interrupt; `nop`: it returns at once, as MWAIT may
 * (SDM vol. 2B: MWAIT can wake for any reason), and the guest polls.
 */
enum vm_exit_action exit_mwait(struct vcpu *v, struct vm_exit *e)
{
	if (guest_mwait_nop)
		return VM_RESUME_SKIP_INSN;
	return exit_hlt(v, e);
}

/* MONITOR arms nothing: the MWAIT that follows never waits on it. */
enum vm_exit_action exit_monitor(struct vcpu *v, struct vm_exit *e)
{
	return VM_RESUME_SKIP_INSN;
}

enum vm_exit_action exit_interrupt_window(struct vcpu *v,
					  struct vm_exit *e)
{
	return VM_RESUME; /* the pending interrupt goes in before entry */
}

enum vm_exit_action exit_preemption_timer(struct vcpu *v,
					  struct vm_exit *e)
{
	return VM_RESUME; /* due events are delivered before the next entry */
}

enum vm_exit_action exit_nmi(struct vcpu *v, struct vm_exit *e)
{
	/* A host NMI arrived while the guest ran: nothing uses NMIs yet. */
	return VM_RESUME;
}

enum vm_exit_action exit_external_interrupt(struct vcpu *v,
					    struct vm_exit *e)
{
	/* A host interrupt, taken from the local APIC by the exit: its
	 * handler runs now (and sends the EOI). */
	idt_dispatch_acknowledged(e->u.interrupt.vector);
	return VM_RESUME;
}

enum vm_exit_action exit_fatal(struct vcpu *v, struct vm_exit *e)
{
	switch (e->kind) {
	case VM_EXIT_MEMORY_FAULT:
		vm_printk(v->vm, "%s%s%s of guest-physical %#lx outside its RAM "
			  "at RIP %#lx; stopping\n",
			  e->u.memory.read ? "read" : "",
			  e->u.memory.write ? "write" : "",
			  e->u.memory.fetch ? "fetch" : "",
			  (unsigned long)e->u.memory.gpa, (unsigned long)e->rip);
		return VM_KILL;
	case VM_EXIT_TRIPLE_FAULT:
		vm_printk(v->vm, "triple fault at RIP %#lx; stopping\n",
			  (unsigned long)e->rip);
		return VM_KILL;
	case VM_EXIT_ENTRY_FAILED:
		vm_printk(v->vm, "VM entry failed: %s (exit reason %#x, "
			  "VM-instruction error %u); stopping\n",
			  e->reason_name ? e->reason_name : "?", e->raw_reason,
			  e->u.entry_failed.error);
		break;
	default:
		vm_printk(v->vm, "unexpected exit '%s' (%s, raw reason %u, "
			  "qualification %#lx) at RIP %#lx; stopping\n",
			  vm_exit_kind_name(e->kind),
			  e->reason_name ? e->reason_name : "?",
			  e->raw_reason & 0xffff,
			  (unsigned long)e->qualification,
			  (unsigned long)e->rip);
		break;
	}
	virt_vcpu_dump(v);
	return VM_KILL;
}
