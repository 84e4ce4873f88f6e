/*
 * Executing a decoded instruction (x86_decode.h) against an MMIO device.
 *
 * The caller has an EPT violation at a guest-physical address that
 * belongs to a device, has fetched and decoded the instruction at the
 * guest's RIP, and copied the guest's general registers and RFLAGS into
 * a struct x86_regs. mmio_emulate() performs the instruction's effect:
 * device reads and writes go through callbacks, results land in the
 * registers and RFLAGS, and the caller copies them back and advances RIP
 * when the instruction is complete.
 *
 * Semantics follow the Intel SDM Vol. 2 instruction pages (MOV, MOVZX,
 * MOVSX/MOVSXD, ADD ... CMP, TEST, BT, XCHG, STOS, LODS, MOVS) and
 * Vol. 1 3.4.3.1 (status flags), 3.4.1.1 (32-bit results zero-extend to
 * 64 bits; 8- and 16-bit results leave the rest of the register alone).
 * Pure: no hardware, host-tested and fuzzed.
 */
#ifndef VOLT_VMM_INSN_MMIO_EMULATE_H
#define VOLT_VMM_INSN_MMIO_EMULATE_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/insn/x86_decode.h"

/* RFLAGS bits the emulator reads or writes. */
#define X86_RFLAGS_CF (1ull << 0)
#define X86_RFLAGS_PF (1ull << 2)
#define X86_RFLAGS_AF (1ull << 4)
#define X86_RFLAGS_ZF (1ull << 6)
#define X86_RFLAGS_SF (1ull << 7)
#define X86_RFLAGS_DF (1ull << 10)
#define X86_RFLAGS_OF (1ull << 11)
#define X86_RFLAGS_STATUS (X86_RFLAGS_CF | X86_RFLAGS_PF | X86_RFLAGS_AF | \
			   X86_RFLAGS_ZF | X86_RFLAGS_SF | X86_RFLAGS_OF)

/* The guest state an instruction can read or change. */
struct x86_regs {
	uint64_t gpr[X86_GPR_COUNT]; /* enum x86_reg order: RAX RCX RDX RBX
					RSP RBP RSI RDI R8 ... R15 */
	uint64_t rflags;
	/* Segment bases (enum x86_seg order), used only to form the linear
	 * address of a MOVS operand that is not the faulting one. In 64-bit
	 * mode only FS and GS are read (the others count as 0). */
	uint64_t seg_base[X86_SEG_COUNT];
};

/*
 * How the emulator reaches memory. All callbacks return 0 on success;
 * any other value stops the emulation with MMIO_EMUL_ACCESS and the
 * caller's ctx records why (device asked to stop the VM, #PF to inject,
 * address not backed...). Values are zero-extended, `size` bytes wide.
 *
 * read/write: the device at a guest-physical address. The faulting
 * access always goes here, at the address the EPT violation reported.
 *
 * read_linear/write_linear: MOVS's other operand, by linear address
 * (segment base already added). The caller translates it through the
 * guest's page tables (guest_walk) and sends it to RAM or to the MMIO
 * bus, whichever owns the page. NULL when the caller does not support
 * MOVS: MOVS then returns MMIO_EMUL_UNSUPPORTED.
 */
struct mmio_emul_ops {
	int (*read)(void *ctx, uint64_t gpa, unsigned size, uint64_t *val);
	int (*write)(void *ctx, uint64_t gpa, unsigned size, uint64_t val);
	int (*read_linear)(void *ctx, uint64_t la, unsigned size,
			   uint64_t *val);
	int (*write_linear)(void *ctx, uint64_t la, unsigned size,
			    uint64_t val);
};

/* What the EPT violation reported. */
struct mmio_fault {
	uint64_t gpa; /* the device address the instruction touched */
	bool write;   /* the faulting access was a write (MOVS: the
			 destination is the device, else the source is) */
};

enum mmio_emul_error {
	MMIO_EMUL_OK = 0,
	MMIO_EMUL_UNSUPPORTED = -1, /* e.g. MOVS without linear callbacks */
	MMIO_EMUL_ACCESS = -2,      /* a callback failed; see its ctx */
	MMIO_EMUL_BAD_INSN = -3,    /* the x86_insn is not one x86_decode
				       produces (sizes, registers) */
};

/*
 * Perform `insn` once against the device at fault->gpa. On success
 * returns 0 and sets *complete: true when the instruction is done (the
 * caller advances RIP by insn->len), false when a REP string instruction
 * has iterations left (RCX not yet 0: re-enter the guest at the same RIP;
 * the CPU resumes the loop and exits again on the next device access).
 * One call performs one iteration: an MMIO REP STOS of n elements costs
 * n exits, which is what keeps each device access a separate, ordered
 * event. On failure the registers and RFLAGS are unchanged (a device
 * read may already have had its side effect).
 */
int mmio_emulate(const struct x86_insn *insn, struct x86_regs *regs,
		 const struct mmio_fault *fault,
		 const struct mmio_emul_ops *ops, void *ctx, bool *complete);

/* The offset (effective address) of a memory operand, modulo the address
 * size; `rip` is the instruction's own address (RIP-relative operands
 * are relative to the next instruction). */
uint64_t x86_effective_address(const struct x86_insn *insn,
			       const struct x86_mem_operand *m,
			       const struct x86_regs *regs, uint64_t rip);

/* The linear address: segment base + effective address; 32 bits wide
 * outside 64-bit mode, where only FS and GS have a base. */
uint64_t x86_linear_address(const struct x86_insn *insn,
			    const struct x86_mem_operand *m,
			    const struct x86_regs *regs, uint64_t rip);

#endif
