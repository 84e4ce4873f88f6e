/* The exit port: a write ends the VM with that status (QEMU isa-debug-exit
 * compatible, port 0xf4). Enabled per VM with exit_port=on, for tests. */
#ifndef VOLT_VMM_DEV_EXIT_PORT_H
#define VOLT_VMM_DEV_EXIT_PORT_H

#include "vmm/vm.h"

#define EXIT_PORT_BASE 0xf4
#define EXIT_PORT_COUNT 4

int exit_port_attach(struct vm *vm);

#endif
