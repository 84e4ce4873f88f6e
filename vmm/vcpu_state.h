/*
 * A vCPU's architectural state beyond the general registers, in generic
 * terms: what instruction emulation (fetching through the guest's page
 * tables, decoding in the right mode) and reports need. The backend fills
 * it from wherever it keeps the state (the VMCS for VT-x); generic code
 * changes RSP and RFLAGS only through the backend ops that set them.
 */
#ifndef VOLT_VMM_VCPU_STATE_H
#define VOLT_VMM_VCPU_STATE_H

#include <stdbool.h>
#include <stdint.h>

enum vcpu_seg { VCPU_SEG_ES, VCPU_SEG_CS, VCPU_SEG_SS, VCPU_SEG_DS,
		VCPU_SEG_FS, VCPU_SEG_GS, VCPU_SEG_COUNT };

/* Bits of that state generic code looks at. */
#define VCPU_RFLAGS_IF (1ull << 9)   /* interrupts enabled */
#define VCPU_EFER_LMA (1ull << 10)   /* IA-32e mode active */

struct vcpu_cpu_state {
	uint64_t rip, rsp, rflags;
	uint64_t cr0, cr3, cr4, efer; /* as the guest sees them */
	uint64_t seg_base[VCPU_SEG_COUNT];
	bool cs_db;  /* CS.D: default operand size 32 (outside 64-bit mode) */
	bool cs_l;   /* CS.L: 64-bit code (with EFER.LMA) */
	uint8_t cpl; /* current privilege level (SS.DPL) */
};

/* x86 register numbers (ModRM order): 0 = RAX, 1 = RCX, 2 = RDX, 3 = RBX,
 * 4 = RSP, 5 = RBP, 6 = RSI, 7 = RDI, 8-15 = R8-R15. */
#define VCPU_GPR_RSP 4

struct vcpu;
/* Read or write general register `nr` (x86 numbering); RSP goes through
 * the backend. Out-of-range numbers read 0 and ignore writes. */
uint64_t vcpu_gpr_get(struct vcpu *v, unsigned nr);
void vcpu_gpr_set(struct vcpu *v, unsigned nr, uint64_t value);

#endif
