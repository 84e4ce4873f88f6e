/*
 * x86 instruction decoder for MMIO emulation.
 *
 * An EPT violation on an MMIO page tells Volt the guest-physical address
 * and whether the access was a read or a write, but not which register
 * or immediate took part. Volt fetches the bytes at the guest's RIP and
 * decodes them here into a struct x86_insn that mmio_emulate() executes.
 *
 * Only the instructions that touch memory the way drivers touch device
 * registers are decoded (MOV and friends, ALU with memory, TEST, BT, XCHG,
 * STOS/LODS/MOVS); everything else is X86_DECODE_UNSUPPORTED. A
 * register-only form (ModRM.mod = 3) cannot cause an MMIO exit, so it is
 * unsupported too.
 *
 * Follows the Intel SDM Vol. 2, chapter 2 (instruction format): 2.1.1
 * legacy prefixes, 2.2.1 REX (incl. 2.2.1.6 RIP-relative addressing),
 * tables 2-1 and 2-2 (16- and 32-bit ModRM), table 2-3 (SIB), 2.3.11
 * (15-byte limit); Vol. 1 3.6 (operand- and address-size attributes) and
 * 3.7.4.1 (default segments), and the opcode map of Vol. 2 appendix A.
 * Pure: no hardware, host-tested and fuzzed.
 */
#ifndef VOLT_VMM_INSN_X86_DECODE_H
#define VOLT_VMM_INSN_X86_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define X86_MAX_INSN_LEN 15

/* The code segment's default sizes. 16: real mode, virtual-8086, or a
 * 16-bit protected/compatibility-mode segment (CS.D = 0); 32: CS.D = 1;
 * 64: 64-bit mode (EFER.LMA = 1 and CS.L = 1). */
enum x86_cpu_mode { X86_MODE_16, X86_MODE_32, X86_MODE_64 };

static inline enum x86_cpu_mode x86_cpu_mode_of(bool efer_lma, bool cs_l,
						bool cs_d)
{
	if (efer_lma && cs_l)
		return X86_MODE_64;
	return cs_d ? X86_MODE_32 : X86_MODE_16;
}

enum x86_decode_error {
	X86_DECODE_OK = 0,
	X86_DECODE_TRUNCATED = -1,   /* needs more bytes than were given */
	X86_DECODE_UNSUPPORTED = -2, /* valid x86, but not emulated here */
	X86_DECODE_INVALID = -3,     /* the CPU would raise #UD or #GP */
};

/* General registers in x86 encoding order (ModRM.reg/rm, SIB, REX). */
enum x86_reg {
	X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
	X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
	X86_GPR_COUNT
};
#define X86_REG_NONE (-1)

/* Segment registers in encoding order (the same order as enum vcpu_seg). */
enum x86_seg {
	X86_SEG_ES, X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_FS, X86_SEG_GS,
	X86_SEG_COUNT
};

/* What the instruction does. The eight ALU operations come first, in the
 * order of their /digit in opcodes 80-83 (and bits 5:3 of 00-3F). */
enum x86_op {
	X86_OP_ADD, X86_OP_OR, X86_OP_ADC, X86_OP_SBB,
	X86_OP_AND, X86_OP_SUB, X86_OP_XOR, X86_OP_CMP,
	X86_OP_MOV,   /* 88-8B, A0-A3 (moffs), C6/C7 (immediate) */
	X86_OP_MOVZX, /* 0F B6/B7 */
	X86_OP_MOVSX, /* 0F BE/BF, and 63 MOVSXD (64-bit mode) */
	X86_OP_TEST,  /* 84/85, F6/F7 /0 */
	X86_OP_BT,    /* 0F A3, 0F BA /4 */
	X86_OP_XCHG,  /* 86/87 */
	X86_OP_STOS,  /* AA/AB */
	X86_OP_LODS,  /* AC/AD */
	X86_OP_MOVS,  /* A4/A5 */
	X86_OP_COUNT
};

/* How the instruction uses its memory operand. */
enum x86_mem_dir {
	X86_MEM_SRC,  /* only read: loads, CMP, TEST, BT, LODS */
	X86_MEM_DST,  /* only written: stores, STOS */
	X86_MEM_BOTH, /* read, then written: ALU into memory, XCHG; MOVS
			 reads `mem` and writes `mem2` */
};

enum x86_rep { X86_REP_NONE, X86_REP_E /* F3 */, X86_REP_NE /* F2 */ };

/* A memory operand: seg:[base + index * scale + disp], the offset taken
 * modulo the address size. */
struct x86_mem_operand {
	uint8_t seg;   /* enum x86_seg after overrides and defaults */
	int8_t base;   /* enum x86_reg or X86_REG_NONE */
	int8_t index;  /* enum x86_reg or X86_REG_NONE */
	uint8_t scale; /* 1, 2, 4 or 8 */
	int64_t disp;  /* sign-extended; a moffs address zero-extended */
	bool rip_rel;  /* add the next instruction's RIP (64-bit mode) */
};

struct x86_insn {
	uint8_t len; /* bytes, prefixes included: at most 15 */
	enum x86_cpu_mode mode;
	enum x86_op op;
	enum x86_mem_dir dir;
	/* The memory operand is the first (destination-position) operand,
	 * as in "CMP r/m, r"; false for "CMP r, r/m" and loads. It decides
	 * the order of the subtraction for CMP, SUB and SBB. */
	bool mem_first;
	uint8_t op_size;   /* operation and register width: 1, 2, 4, 8 */
	uint8_t mem_size;  /* bytes accessed in memory (MOVZX/MOVSX: the
			      narrower source); otherwise op_size */
	uint8_t addr_size; /* 2, 4 or 8 */

	/* The register operand (ModRM.reg, or the implied accumulator of
	 * A0-A3 and string instructions). With op_size 1 and no REX prefix,
	 * numbers 4-7 are AH, CH, DH, BH: reg is then 0-3 and reg_high8
	 * set. With any REX they are SPL, BPL, SIL, DIL. */
	bool has_reg;
	uint8_t reg;
	bool reg_high8;

	/* Immediate, sign-extended from its encoded width to 64 bits, except
	 * BT's imm8, which is an unsigned bit offset (zero-extended). */
	bool has_imm;
	int64_t imm;

	struct x86_mem_operand mem;  /* MOVS: the source, seg:[rSI] */
	struct x86_mem_operand mem2; /* MOVS only: the destination, ES:[rDI] */

	/* Prefixes, for the emulator and for reports. */
	enum x86_rep rep;
	bool lock;
	bool opsize_prefix;   /* 66 */
	bool addrsize_prefix; /* 67 */
	uint8_t rex;          /* the REX byte in effect (40-4F); 0 = none */
	uint8_t opcode;       /* the opcode byte (after 0F when map_0f) */
	bool map_0f;          /* two-byte opcode 0F xx */
};

/* Decode one instruction from bytes[0, len) in the given mode. Returns 0
 * and fills *out, or a negative enum x86_decode_error (then *out is
 * unspecified). Reads no byte at or beyond len, nor beyond 15. */
int x86_decode(const uint8_t *bytes, size_t len, enum x86_cpu_mode mode,
	       struct x86_insn *out);

/* "mov", "add", ... for reports; "?" for an out-of-range value. */
const char *x86_op_name(enum x86_op op);

#endif
