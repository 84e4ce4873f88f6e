/* The exit port device (see exit_port.h). */
#include "vmm/dev/exit_port.h"
#include "vmm/io_bus.h"

static int exit_port_write(void *dev, uint16_t port, uint8_t size,
			   uint32_t value)
{
	struct vm *vm = dev;
	vm->exit_status = (int)value;
	return 1; /* stop the VM */
}

int exit_port_attach(struct vm *vm)
{
	struct io_range r = { EXIT_PORT_BASE, EXIT_PORT_COUNT, "exit-port",
			      NULL, exit_port_write, vm };
	return io_bus_register(&vm->io, &r, NULL);
}
