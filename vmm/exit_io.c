/*
 * Port I/O exits. No device is registered yet (the PC device models come
 * with the Linux issues), so every port is unclaimed: reads return all
 * ones, as an empty ISA bus does, and writes are dropped and counted.
 */
#include "vmm/exit_handlers.h"

enum vm_exit_action exit_io(struct vcpu *v, const struct vm_exit *e)
{
	if (e->u.io.string || e->u.io.rep) {
		vm_printk(v->vm, "string I/O on port %#x is not emulated yet; "
			  "stopping the VM\n", e->u.io.port);
		return VM_KILL;
	}
	if (e->u.io.in) {
		uint64_t ones = e->u.io.size == 4 ? 0xffffffffull
						  : (1ull << (8 * e->u.io.size)) - 1;
		uint64_t keep = ~0ull << (8 * e->u.io.size);
		v->regs.rax = (v->regs.rax & keep) | ones;
	} else {
		v->vm->unclaimed_io_writes++;
	}
	return VM_RESUME_SKIP_INSN;
}
