/*
 * VMCS access (SDM vol. 3C 25 "Virtual Machine Control Structures", 31
 * VMREAD/VMWRITE/VMPTRLD/VMCLEAR). Fields come from vmcs_fields.def;
 * the accessors are typed by width, and using a field with the wrong
 * accessor does not compile:
 *
 *     vmcs_write32(GUEST_RIP, x);   -> error: size of array is negative
 */
#ifndef VOLT_ARCH_X86_VMX_VMCS_H
#define VOLT_ARCH_X86_VMX_VMCS_H

#include <stdint.h>

enum vmcs_width { VMCS_W16 = 0, VMCS_W64 = 1, VMCS_W32 = 2, VMCS_WNAT = 3 };

#define VMCS_FIELD(name, enc, width) VMCS_##name = enc,
enum vmcs_field {
#include "arch/x86/vmx/vmcs_fields.def"
};
#undef VMCS_FIELD

#define VMCS_FIELD(name, enc, width) VMCS_WIDTH_##name = VMCS_##width,
enum vmcs_field_width {
#include "arch/x86/vmx/vmcs_fields.def"
};
#undef VMCS_FIELD

/* Width of an encoding, from its bits 14:13 (SDM 3C 25.11.2). */
#define VMCS_ENCODING_WIDTH(enc) (((enc) >> 13) & 3)

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

/* A compile-time error unless field f has width w. */
#define VMCS_CHECK(f, w) ((void)sizeof(char[(int)VMCS_WIDTH_##f == (int)(w) ? 1 : -1]))

#define vmcs_read16(f) (VMCS_CHECK(f, VMCS_W16), (uint16_t)__vmcs_read(VMCS_##f))
#define vmcs_read32(f) (VMCS_CHECK(f, VMCS_W32), (uint32_t)__vmcs_read(VMCS_##f))
#define vmcs_read64(f) (VMCS_CHECK(f, VMCS_W64), __vmcs_read(VMCS_##f))
#define vmcs_readnat(f) (VMCS_CHECK(f, VMCS_WNAT), __vmcs_read(VMCS_##f))
#define vmcs_write16(f, v) (VMCS_CHECK(f, VMCS_W16), __vmcs_write(VMCS_##f, (uint16_t)(v)))
#define vmcs_write32(f, v) (VMCS_CHECK(f, VMCS_W32), __vmcs_write(VMCS_##f, (uint32_t)(v)))
#define vmcs_write64(f, v) (VMCS_CHECK(f, VMCS_W64), __vmcs_write(VMCS_##f, (uint64_t)(v)))
#define vmcs_writenat(f, v) (VMCS_CHECK(f, VMCS_WNAT), __vmcs_write(VMCS_##f, (uint64_t)(v)))

/* Name of a field for dumps ("?" when unknown). */
const char *vmcs_field_name(uint32_t encoding);
/* Print every field Volt knows with its current value (this CPU's VMCS). */
void vmcs_dump(void);

#endif
