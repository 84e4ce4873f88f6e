/* Hypercalls from test guests (ABI: vmm/hypercall.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "lib/string.h"
#include "vmm/exit_handlers.h"
#include "vmm/hypercall.h"

static enum vm_exit_action hc_print(struct vcpu *v)
{
	uint64_t len = v->regs.rcx & 0xffffffffu;
	if (len > HC_PRINT_MAX)
		len = HC_PRINT_MAX;
	const char *s = vm_gpa_to_host(v->vm, v->regs.rbx & 0xffffffffu, len);
	if (!s) {
		v->regs.rax = (uint64_t)-1;
		return VM_RESUME_SKIP_INSN;
	}
	char line[HC_PRINT_MAX + 1];
	memcpy(line, s, len);
	line[len] = 0;
	for (uint64_t i = 0; i < len; i++) /* the console is ours: no escapes */
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '.';
	vm_printk(v->vm, "%s\n", line);
	v->regs.rax = 0;
	return VM_RESUME_SKIP_INSN;
}

/* A named value (benchmarks): "[vm] value <name> <number>". */
static enum vm_exit_action hc_value(struct vcpu *v)
{
	const char *name = vm_gpa_to_host(v->vm, v->regs.rbx & 0xffffffffu,
					  HC_NAME_MAX);
	size_t len = name ? strnlen(name, HC_NAME_MAX) : HC_NAME_MAX;
	if (len == HC_NAME_MAX) {
		v->regs.rax = (uint64_t)-1;
		return VM_RESUME_SKIP_INSN;
	}
	vm_printk(v->vm, "value %s %lu\n", name,
		  (unsigned long)(v->regs.rcx & 0xffffffffu));
	v->regs.rax = 0;
	return VM_RESUME_SKIP_INSN;
}

enum vm_exit_action exit_hypercall(struct vcpu *v, struct vm_exit *e)
{
	switch (v->regs.rax & 0xffffffffu) {
	case HC_PRINT:
		return hc_print(v);
	case HC_RESULT:
		vm_printk(v->vm, "test %u: %s\n", (unsigned)v->regs.rbx,
			  (v->regs.rcx & 0xffffffffu) ? "FAIL" : "PASS");
		v->regs.rax = 0;
		return VM_RESUME_SKIP_INSN;
	case HC_VALUE:
		return hc_value(v);
	case HC_TIMER:
		v->timer_vector = (uint8_t)v->regs.rcx;
		v->timer_deadline = rdtsc() + tsc_ns_to_ticks(
			(v->regs.rbx & 0xffffffffu) * 1000ull);
		if (v->timer_deadline < v->next_event)
			v->next_event = v->timer_deadline; /* arm the backend */
		v->regs.rax = 0;
		return VM_RESUME_SKIP_INSN;
	case HC_NOP:
		v->regs.rax = 0;
		return VM_RESUME_SKIP_INSN;
	case HC_EXIT:
		v->vm->exit_status = (int)(v->regs.rbx & 0xffffffffu);
		return VM_EXITED;
	default:
		v->regs.rax = (uint64_t)-1; /* unknown call: refused */
		return VM_RESUME_SKIP_INSN;
	}
}
