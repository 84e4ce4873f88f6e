/*
 * VMCS access in the kernel (SDM vol. 3C 25 "Virtual Machine Control
 * Structures", 31 VMREAD/VMWRITE). The fields and the width-typed
 * accessors come from vmcs_fields.h (one table: vmcs_fields.def); this
 * header supplies the two instructions they expand to.
 */
#ifndef VOLT_ARCH_X86_VMX_VMCS_H
#define VOLT_ARCH_X86_VMX_VMCS_H

#include <stdint.h>

static inline uint64_t __vmcs_read(uint32_t field)
{
	uint64_t v;
	__asm__ volatile("vmread %1, %0" : "=r"(v) : "r"((uint64_t)field) : "cc");
	return v;
}

static inline void __vmcs_write(uint32_t field, uint64_t v)
{
	__asm__ volatile("vmwrite %1, %0" ::"r"((uint64_t)field), "r"(v)
			 : "cc", "memory");
}

#include "arch/x86/vmx/vmcs_fields.h"

/* Print every field Volt knows with its current value (this CPU's VMCS). */
void vmcs_dump(void);

#endif
