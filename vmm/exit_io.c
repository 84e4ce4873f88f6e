/*
 * Port I/O exits, dispatched through the VM's I/O bus (io_bus.c): the
 * device that claimed the port answers; unclaimed ports read all ones, as
 * an empty ISA bus does, and writes to them are dropped and counted.
 */
#include "vmm/exit_handlers.h"

enum vm_exit_action exit_io(struct vcpu *v, struct vm_exit *e)
{
	if (e->u.io.string || e->u.io.rep) {
		vm_printk(v->vm, "string I/O on port %#x is not emulated yet; "
			  "stopping the VM\n", e->u.io.port);
		return VM_KILL;
	}
	struct io_bus *bus = &v->vm->io;
	uint8_t size = e->u.io.size;
	if (e->u.io.in) {
		uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;
		uint32_t value = io_bus_read(bus, e->u.io.port, size);
		/* IN to EAX zero-extends into RAX; to AL/AX it merges. */
		v->regs.rax = size == 4 ? value : (v->regs.rax & ~mask) | value;
		return VM_RESUME_SKIP_INSN;
	}
	if (io_bus_write(bus, e->u.io.port, size, (uint32_t)v->regs.rax))
		return VM_EXITED; /* a device asked to end the VM */
	return VM_RESUME_SKIP_INSN;
}
