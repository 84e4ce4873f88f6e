/*
 * The vCPU run loop: enter the guest, get a generic exit from the backend,
 * dispatch it through one table, act on the handler's answer. The guest's
 * RIP is advanced here and nowhere else.
 */
#include <stdarg.h>
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
	[VM_EXIT_ENTRY_FAILED] = "entry-failed", [VM_EXIT_VENDOR] = "vendor",
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

/* Run until the VM exits or is stopped; returns the final action. */
enum vm_exit_action vcpu_run(struct vcpu *v)
{
	for (;;) {
		struct vm_exit e;
		virt_vcpu_run(v, &e);
		v->exits++;
		exit_handler_fn fn = (unsigned)e.kind < VM_EXIT_KINDS
					     ? exit_table[e.kind] : exit_fatal;
		enum vm_exit_action a = fn(v, &e);
		switch (a) {
		case VM_RESUME_SKIP_INSN: /* the one place RIP advances */
			virt_vcpu_set_rip(v, e.rip + e.insn_len);
			break;
		case VM_RESUME:
			break;
		case VM_BLOCK: /* no wake-up source exists yet */
		case VM_KILL:
		case VM_EXITED:
			return a == VM_BLOCK ? VM_KILL : a;
		}
	}
}
