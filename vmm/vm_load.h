/* Loading a VM's kernel (and initrd) into its RAM: see vm_load.c. */
#ifndef VOLT_VMM_VM_LOAD_H
#define VOLT_VMM_VM_LOAD_H

#include "vmm/vcpu_boot.h"
#include "vmm/vm.h"

struct boot_info;

/* 0 with *boot filled, or -1 after printing why for this VM. */
int vm_load_kernel(struct vm *vm, const struct boot_info *bi,
		   struct vcpu_boot *boot);

#endif
