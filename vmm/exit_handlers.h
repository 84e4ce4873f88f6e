/*
 * Generic VM-exit handlers, one file per family (vmm/exit_*.c). Each takes
 * the vCPU and the generic exit and returns what to do next; none of them
 * advances RIP itself (vcpu_run.c does, for VM_RESUME_SKIP_INSN).
 */
#ifndef VOLT_VMM_EXIT_HANDLERS_H
#define VOLT_VMM_EXIT_HANDLERS_H

#include "vmm/vm.h"
#include "vmm/vm_exit.h"

/* A handler may fill in what the hardware did not report (the length of
 * an instruction it emulated, for RESUME_SKIP_INSN). */
typedef enum vm_exit_action (*exit_handler_fn)(struct vcpu *v,
					       struct vm_exit *e);

enum vm_exit_action exit_cpuid(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_io(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_hypercall(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_msr_read(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_msr_write(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_cr_access(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_hlt(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_mwait(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_monitor(struct vcpu *v, struct vm_exit *e);
/* pm guest_mwait=nop: a guest's MWAIT returns at once (else it halts). */
void exit_set_guest_mwait_nop(bool nop);
enum vm_exit_action exit_preemption_timer(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_nmi(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_interrupt_window(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_external_interrupt(struct vcpu *v, struct vm_exit *e);
/* Guest-physical accesses outside RAM: emulated for MMIO devices, else
 * the VM is stopped (exit_mmio.c). */
enum vm_exit_action exit_memory_fault(struct vcpu *v, struct vm_exit *e);
/* APIC virtualization: the end of a guest's write to its local APIC, and
 * of an EOI the processor handed over (exit_apic.c). */
enum vm_exit_action exit_apic_write(struct vcpu *v, struct vm_exit *e);
enum vm_exit_action exit_apic_eoi(struct vcpu *v, struct vm_exit *e);
/* Exits that stop the VM with a report: memory faults, triple faults,
 * entry failures, and anything not handled yet. */
enum vm_exit_action exit_fatal(struct vcpu *v, struct vm_exit *e);

/* Run a vCPU until its VM exits (VM_EXITED) or is stopped (VM_KILL). */
enum vm_exit_action vcpu_run(struct vcpu *v);

/* One line: how many exits of each kind this vCPU took. */
void vcpu_report_exits(const struct vcpu *v);

/* "[vm] " prefixed console line for this VM. */
void vm_printk(const struct vm *vm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
