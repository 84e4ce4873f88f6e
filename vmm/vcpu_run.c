/*
 * The vCPU run loop: enter the guest, get a generic exit from the backend,
 * dispatch it through one table, act on the handler's answer. The guest's
 * RIP is advanced here and nowhere else.
 */
#include <stdarg.h>
#include "arch/x86/cpu.h"
#include "lib/console.h"
#include "lib/format.h"
#include "vmm/exit_handlers.h"
#include "vmm/virt_ops.h"

static const exit_handler_fn exit_table[VM_EXIT_KINDS] = {
	[VM_EXIT_CPUID] = exit_cpuid,
	[VM_EXIT_IO] = exit_io,
	[VM_EXIT_HYPERCALL] = exit_hypercall,
	[VM_EXIT_HLT] = exit_hlt,
	[VM_EXIT_EXTERNAL_INTERRUPT] = exit_external_interrupt,
	[VM_EXIT_INTERRUPT_WINDOW] = exit_interrupt_window,
	[VM_EXIT_NMI] = exit_nmi,
	[VM_EXIT_PREEMPTION_TIMER] = exit_preemption_timer,
	[VM_EXIT_CR_ACCESS] = exit_cr_access,
	[VM_EXIT_MSR_READ] = exit_msr_read,
	[VM_EXIT_MSR_WRITE] = exit_msr_write,
	/* These stop the VM with a report. */
	[VM_EXIT_MEMORY_FAULT] = exit_fatal,
	[VM_EXIT_TRIPLE_FAULT] = exit_fatal,
	[VM_EXIT_ENTRY_FAILED] = exit_fatal,
	[VM_EXIT_VENDOR] = exit_fatal,
};

static const char *const exit_names[VM_EXIT_KINDS] = {
	[VM_EXIT_CPUID] = "cpuid", [VM_EXIT_IO] = "io",
	[VM_EXIT_MSR_READ] = "msr-read", [VM_EXIT_MSR_WRITE] = "msr-write",
	[VM_EXIT_HLT] = "hlt", [VM_EXIT_HYPERCALL] = "hypercall",
	[VM_EXIT_MEMORY_FAULT] = "memory-fault",
	[VM_EXIT_TRIPLE_FAULT] = "triple-fault",
	[VM_EXIT_EXTERNAL_INTERRUPT] = "external-interrupt",
	[VM_EXIT_INTERRUPT_WINDOW] = "interrupt-window",
	[VM_EXIT_ENTRY_FAILED] = "entry-failed", [VM_EXIT_VENDOR] = "vendor",
	[VM_EXIT_PAUSE] = "pause", [VM_EXIT_MWAIT] = "mwait",
	[VM_EXIT_MONITOR] = "monitor", [VM_EXIT_CR_ACCESS] = "cr-access",
	[VM_EXIT_INIT] = "init", [VM_EXIT_SIPI] = "sipi",
	[VM_EXIT_PREEMPTION_TIMER] = "preemption-timer", [VM_EXIT_NMI] = "nmi",
	[VM_EXIT_EXCEPTION] = "exception",
};

const char *vm_exit_kind_name(enum vm_exit_kind kind)
{
	return (unsigned)kind < VM_EXIT_KINDS && exit_names[kind]
		       ? exit_names[kind] : "?";
}

void vm_printk(const struct vm *vm, const char *fmt, ...)
{
	char line[320];
	int n = volt_snprintf(line, sizeof(line), "[%s] ", vm->cfg->name);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && n < (int)sizeof(line))
		volt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	printk("%s", line);
}

/* A due timer becomes a pending interrupt; a pending interrupt goes in
 * when the guest can take it (else the backend asks for a window exit). */
static void deliver_events(struct vcpu *v)
{
	if (v->timer_deadline && rdtsc() >= v->timer_deadline) {
		v->timer_deadline = 0;
		v->irq_pending = true;
		v->irq_vector = v->timer_vector;
	}
	if (v->irq_pending && virt_vcpu_inject_interrupt(v, v->irq_vector))
		v->irq_pending = false;
}

/*
 * A halted vCPU waits for its next event. Until the credit scheduler
 * exists this waits here, on the vCPU's own processor; the scheduler will
 * instead block the vCPU and let the idle path choose a C-state.
 */
static void vcpu_wait_for_event(struct vcpu *v)
{
	while (!v->irq_pending && rdtsc() < v->timer_deadline)
		cpu_relax();
}

/* Run until the VM exits or is stopped; returns the final action. */
enum vm_exit_action vcpu_run(struct vcpu *v)
{
	for (;;) {
		struct vm_exit e;
		deliver_events(v);
		virt_vcpu_run(v, &e);
		v->exits++;
		/* Kinds without a handler (yet) stop the VM with a report. */
		exit_handler_fn fn = (unsigned)e.kind < VM_EXIT_KINDS &&
						     exit_table[e.kind]
					     ? exit_table[e.kind] : exit_fatal;
		enum vm_exit_action a = fn(v, &e);
		switch (a) {
		case VM_RESUME_SKIP_INSN: /* the one place RIP advances */
			virt_vcpu_complete_insn(v, e.rip + e.insn_len);
			break;
		case VM_RESUME:
			break;
		case VM_BLOCK: /* HLT completes, then the vCPU waits */
			virt_vcpu_complete_insn(v, e.rip + e.insn_len);
			vcpu_wait_for_event(v);
			break;
		case VM_KILL:
		case VM_EXITED:
			return a;
		}
	}
}
