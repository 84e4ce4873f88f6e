/*
 * VMX instructions as inline functions (SDM vol. 3C ch. 31, "VMX
 * Instruction Reference"). Each returns 0 on success, -1 on VMfailInvalid
 * (CF=1) and -2 on VMfailValid (ZF=1; the VM-instruction error field says
 * why). Only arch/x86/vmx/ includes this.
 */
#ifndef VOLT_ARCH_X86_VMX_INSN_H
#define VOLT_ARCH_X86_VMX_INSN_H

#include <stdint.h>

#define VMX_FAIL_INVALID (-1)
#define VMX_FAIL_VALID (-2)

/* setna: CF=1 or ZF=1 means failure; then CF tells which kind. */
#define VMX_RESULT(cf, zf) ((cf) ? VMX_FAIL_INVALID : (zf) ? VMX_FAIL_VALID : 0)

static inline int vmxon(uint64_t region_phys)
{
	uint8_t cf, zf;
	__asm__ volatile("vmxon %2; setc %0; setz %1"
			 : "=r"(cf), "=r"(zf)
			 : "m"(region_phys)
			 : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline void vmxoff(void)
{
	__asm__ volatile("vmxoff" ::: "cc", "memory");
}

/* Make a VMCS inactive on this processor, its data written to memory and
 * its launch state "clear" / make it current (31, "VMCLEAR",
 * "VMPTRLD"). */
static inline int vmclear(uint64_t phys)
{
	uint8_t cf, zf;
	__asm__ volatile("vmclear %2; setc %0; setz %1"
			 : "=r"(cf), "=r"(zf) : "m"(phys) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

static inline int vmptrld(uint64_t phys)
{
	uint8_t cf, zf;
	__asm__ volatile("vmptrld %2; setc %0; setz %1"
			 : "=r"(cf), "=r"(zf) : "m"(phys) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

/* INVEPT / INVVPID types (31, "INVEPT", "INVVPID"). */
#define INVEPT_SINGLE_CONTEXT 1
#define INVEPT_ALL_CONTEXTS 2
#define INVVPID_SINGLE_CONTEXT 1
#define INVVPID_ALL_CONTEXTS 2

/* Drop cached guest-physical translations (EPT). */
static inline int invept(uint64_t type, uint64_t eptp)
{
	struct { uint64_t eptp, reserved; } desc = { eptp, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invept %2, %3; setc %0; setz %1"
			 : "=r"(cf), "=r"(zf) : "m"(desc), "r"(type) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

/* Drop cached linear translations tagged with a VPID. */
static inline int invvpid(uint64_t type, uint16_t vpid)
{
	struct { uint64_t vpid, addr; } desc = { vpid, 0 };
	uint8_t cf, zf;
	__asm__ volatile("invvpid %2, %3; setc %0; setz %1"
			 : "=r"(cf), "=r"(zf) : "m"(desc), "r"(type) : "cc", "memory");
	return VMX_RESULT(cf, zf);
}

#endif
