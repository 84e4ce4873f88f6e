/*
 * x86 instruction decoder for MMIO emulation (see x86_decode.h).
 *
 * The instruction format (Intel SDM Vol. 2, figure 2-1) is decoded left
 * to right: legacy prefixes (2.1.1), REX (2.2.1, 64-bit mode only, and
 * only when it is the last prefix), the opcode (one byte or 0F + one
 * byte), ModRM and SIB (tables 2-1 to 2-3), displacement, immediate.
 * What each supported opcode needs is data: the two opcode tables below.
 * Every byte is fetched through one function that enforces both the
 * caller's length (X86_DECODE_TRUNCATED) and the architectural 15-byte
 * limit (X86_DECODE_INVALID: the CPU raises #GP).
 */
#include "vmm/insn/x86_decode.h"
#include "lib/string.h"

/* How an opcode's operands are encoded. */
enum form {
	FORM_NONE,    /* not decoded here */
	FORM_RM_REG,  /* ModRM: memory, then ModRM.reg (01: ADD r/m, r) */
	FORM_REG_RM,  /* ModRM: ModRM.reg, then memory (03: ADD r, r/m) */
	FORM_RM_IMM,  /* ModRM with a /digit, then an immediate */
	FORM_MOFFS,   /* A0-A3: accumulator and an absolute offset */
	FORM_STRING,  /* A4-AF: implicit [rSI] and/or [rDI] */
};

/* Opcode properties. */
#define OPF_BYTE     0x001 /* 8-bit operation */
#define OPF_LOCK     0x002 /* LOCK allowed (with a memory destination) */
#define OPF_IMM8     0x004 /* imm8, sign-extended */
#define OPF_IMM8U    0x008 /* imm8, an unsigned bit offset */
#define OPF_IMMZ     0x010 /* imm16 (16-bit operand size) or imm32 */
#define OPF_GRP1     0x020 /* 80/81/83: the ALU op is ModRM.reg */
#define OPF_GRP_ZERO 0x040 /* C6/C7, F6/F7: only /0 is decoded */
#define OPF_GRP_BT   0x080 /* 0F BA: only /4 (BT) is decoded */
#define OPF_MEM8     0x100 /* memory operand is a byte (MOVZX/MOVSX) */
#define OPF_MEM16    0x200 /* memory operand is a word (MOVZX/MOVSX) */
#define OPF_MEMD     0x400 /* MOVSXD: memory is at most a dword */
#define OPF_64ONLY   0x800 /* only in 64-bit mode (63 is ARPL elsewhere) */

struct opcode_desc {
	uint8_t form; /* enum form */
	uint8_t op;   /* enum x86_op (groups: resolved from ModRM.reg) */
	uint8_t dir;  /* enum x86_mem_dir */
	uint16_t flags;
};

#define D(f, o, d, fl) { FORM_##f, X86_OP_##o, X86_MEM_##d, (fl) }

/* 00-3B: each ALU op has four forms: Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev. The
 * memory-destination forms write memory; CMP never writes. */
#define ALU(op) \
	[X86_OP_##op * 8 + 0] = D(RM_REG, op, BOTH, OPF_BYTE | OPF_LOCK), \
	[X86_OP_##op * 8 + 1] = D(RM_REG, op, BOTH, OPF_LOCK), \
	[X86_OP_##op * 8 + 2] = D(REG_RM, op, SRC, OPF_BYTE), \
	[X86_OP_##op * 8 + 3] = D(REG_RM, op, SRC, 0)

static const struct opcode_desc one_byte[256] = {
	ALU(ADD), ALU(OR), ALU(ADC), ALU(SBB), ALU(AND), ALU(SUB), ALU(XOR),
	[0x38] = D(RM_REG, CMP, SRC, OPF_BYTE),
	[0x39] = D(RM_REG, CMP, SRC, 0),
	[0x3a] = D(REG_RM, CMP, SRC, OPF_BYTE),
	[0x3b] = D(REG_RM, CMP, SRC, 0),
	[0x63] = D(REG_RM, MOVSX, SRC, OPF_MEMD | OPF_64ONLY),
	[0x80] = D(RM_IMM, ADD, BOTH, OPF_GRP1 | OPF_BYTE | OPF_IMM8),
	[0x81] = D(RM_IMM, ADD, BOTH, OPF_GRP1 | OPF_IMMZ),
	[0x83] = D(RM_IMM, ADD, BOTH, OPF_GRP1 | OPF_IMM8),
	[0x84] = D(RM_REG, TEST, SRC, OPF_BYTE),
	[0x85] = D(RM_REG, TEST, SRC, 0),
	[0x86] = D(RM_REG, XCHG, BOTH, OPF_BYTE | OPF_LOCK),
	[0x87] = D(RM_REG, XCHG, BOTH, OPF_LOCK),
	[0x88] = D(RM_REG, MOV, DST, OPF_BYTE),
	[0x89] = D(RM_REG, MOV, DST, 0),
	[0x8a] = D(REG_RM, MOV, SRC, OPF_BYTE),
	[0x8b] = D(REG_RM, MOV, SRC, 0),
	[0xa0] = D(MOFFS, MOV, SRC, OPF_BYTE),
	[0xa1] = D(MOFFS, MOV, SRC, 0),
	[0xa2] = D(MOFFS, MOV, DST, OPF_BYTE),
	[0xa3] = D(MOFFS, MOV, DST, 0),
	[0xa4] = D(STRING, MOVS, BOTH, OPF_BYTE),
	[0xa5] = D(STRING, MOVS, BOTH, 0),
	[0xaa] = D(STRING, STOS, DST, OPF_BYTE),
	[0xab] = D(STRING, STOS, DST, 0),
	[0xac] = D(STRING, LODS, SRC, OPF_BYTE),
	[0xad] = D(STRING, LODS, SRC, 0),
	[0xc6] = D(RM_IMM, MOV, DST, OPF_GRP_ZERO | OPF_BYTE | OPF_IMM8),
	[0xc7] = D(RM_IMM, MOV, DST, OPF_GRP_ZERO | OPF_IMMZ),
	[0xf6] = D(RM_IMM, TEST, SRC, OPF_GRP_ZERO | OPF_BYTE | OPF_IMM8),
	[0xf7] = D(RM_IMM, TEST, SRC, OPF_GRP_ZERO | OPF_IMMZ),
};

static const struct opcode_desc two_byte[256] = {
	[0xa3] = D(RM_REG, BT, SRC, 0),
	[0xb6] = D(REG_RM, MOVZX, SRC, OPF_MEM8),
	[0xb7] = D(REG_RM, MOVZX, SRC, OPF_MEM16),
	[0xba] = D(RM_IMM, BT, SRC, OPF_GRP_BT | OPF_IMM8U),
	[0xbe] = D(REG_RM, MOVSX, SRC, OPF_MEM8),
	[0xbf] = D(REG_RM, MOVSX, SRC, OPF_MEM16),
};

#define REX_B 0x1
#define REX_X 0x2
#define REX_R 0x4
#define REX_W 0x8

/* The bytes being decoded: never read at or past len, nor past 15. */
struct cursor {
	const uint8_t *bytes;
	size_t len;
	size_t pos;
};

/* Little-endian n-byte field at the cursor. */
static int fetch(struct cursor *c, unsigned n, uint64_t *value)
{
	if (c->pos + n > X86_MAX_INSN_LEN)
		return X86_DECODE_INVALID;
	if (c->pos + n > c->len)
		return X86_DECODE_TRUNCATED;
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++)
		v |= (uint64_t)c->bytes[c->pos + i] << (8 * i);
	c->pos += n;
	*value = v;
	return 0;
}

static int fetch_byte(struct cursor *c, uint8_t *b)
{
	uint64_t v = 0;
	int rc = fetch(c, 1, &v);
	*b = (uint8_t)v;
	return rc;
}

static int64_t sign_extend(uint64_t v, unsigned bytes)
{
	unsigned shift = 64 - 8 * bytes;
	return (int64_t)(v << shift) >> shift;
}

/* A signed field of n bytes (displacements, most immediates). */
static int fetch_signed(struct cursor *c, unsigned n, int64_t *value)
{
	uint64_t v;
	int rc = fetch(c, n, &v);
	if (rc == 0)
		*value = sign_extend(v, n);
	return rc;
}

static int segment_prefix(uint8_t b)
{
	switch (b) {
	case 0x26: return X86_SEG_ES;
	case 0x2e: return X86_SEG_CS;
	case 0x36: return X86_SEG_SS;
	case 0x3e: return X86_SEG_DS;
	case 0x64: return X86_SEG_FS;
	case 0x65: return X86_SEG_GS;
	default: return -1;
	}
}

/* Legacy prefixes in any order, each possibly repeated, then in 64-bit
 * mode an optional REX. A REX followed by another prefix is ignored
 * (SDM 2.2.1); the last segment override and the last of F2/F3 win.
 * Leaves the cursor on the first opcode byte, in *opcode. */
static int read_prefixes(struct cursor *c, struct x86_insn *in,
			 int *seg_override, uint8_t *opcode)
{
	for (;;) {
		uint8_t b;
		int rc = fetch_byte(c, &b);
		if (rc)
			return rc;
		int seg = segment_prefix(b);
		if (in->mode == X86_MODE_64 && (b & 0xf0) == 0x40) {
			in->rex = b;
			continue;
		}
		if (seg >= 0)
			*seg_override = seg;
		else if (b == 0x66)
			in->opsize_prefix = true;
		else if (b == 0x67)
			in->addrsize_prefix = true;
		else if (b == 0xf0)
			in->lock = true;
		else if (b == 0xf2)
			in->rep = X86_REP_NE;
		else if (b == 0xf3)
			in->rep = X86_REP_E;
		else {
			*opcode = b;
			return 0;
		}
		in->rex = 0; /* a REX not right before the opcode is ignored */
	}
}

static uint8_t operand_size(const struct x86_insn *in, uint16_t flags)
{
	if (flags & OPF_BYTE)
		return 1;
	if (in->rex & REX_W)
		return 8;
	if (in->mode == X86_MODE_16)
		return in->opsize_prefix ? 4 : 2;
	return in->opsize_prefix ? 2 : 4;
}

static uint8_t address_size(const struct x86_insn *in)
{
	switch (in->mode) {
	case X86_MODE_64: return in->addrsize_prefix ? 4 : 8;
	case X86_MODE_32: return in->addrsize_prefix ? 2 : 4;
	default:          return in->addrsize_prefix ? 4 : 2;
	}
}

static uint8_t memory_size(const struct x86_insn *in, uint16_t flags)
{
	if (flags & OPF_MEM8)
		return 1;
	if (flags & OPF_MEM16)
		return 2;
	if ((flags & OPF_MEMD) && in->op_size > 4)
		return 4;
	return in->op_size;
}

/* 16-bit addressing, SDM table 2-1: rm selects one of eight base/index
 * pairs; mod 0 with rm 6 is a bare disp16. BP-based forms default to SS. */
static int decode_mem16(struct cursor *c, struct x86_mem_operand *m,
			unsigned mod, unsigned rm)
{
	static const int8_t base[8] = { X86_RBX, X86_RBX, X86_RBP, X86_RBP,
					X86_RSI, X86_RDI, X86_RBP, X86_RBX };
	static const int8_t index[8] = { X86_RSI, X86_RDI, X86_RSI, X86_RDI,
					 X86_REG_NONE, X86_REG_NONE,
					 X86_REG_NONE, X86_REG_NONE };
	if (mod == 0 && rm == 6) {
		m->base = X86_REG_NONE;
		return fetch_signed(c, 2, &m->disp);
	}
	m->base = base[rm];
	m->index = index[rm];
	if (m->base == X86_RBP)
		m->seg = X86_SEG_SS;
	if (mod == 1)
		return fetch_signed(c, 1, &m->disp);
	if (mod == 2)
		return fetch_signed(c, 2, &m->disp);
	return 0;
}

/* 32/64-bit addressing, SDM tables 2-2 and 2-3. rm 4 means a SIB byte
 * follows; SIB.index 4 (without REX.X) means no index; a base of 5 with
 * mod 0 means disp32 and no base (in ModRM: RIP-relative in 64-bit mode).
 * These special cases look at the 3-bit field, before REX extends it. */
static int decode_mem32(struct cursor *c, const struct x86_insn *in,
			struct x86_mem_operand *m, unsigned mod, unsigned rm)
{
	bool disp32 = mod == 2;
	unsigned base = rm;
	int rc;

	if (rm == 4) {
		uint8_t sib;
		if ((rc = fetch_byte(c, &sib)))
			return rc;
		unsigned index = ((sib >> 3) & 7) | (in->rex & REX_X ? 8 : 0);
		m->scale = (uint8_t)(1u << (sib >> 6));
		if (index != X86_RSP)
			m->index = (int8_t)index;
		base = sib & 7;
		if (base == 5 && mod == 0) {
			base = 0xff;
			disp32 = true;
		}
	} else if (rm == 5 && mod == 0) {
		base = 0xff;
		disp32 = true;
		m->rip_rel = in->mode == X86_MODE_64;
	}
	if (base != 0xff) {
		m->base = (int8_t)(base | (in->rex & REX_B ? 8 : 0));
		if (m->base == X86_RSP || m->base == X86_RBP)
			m->seg = X86_SEG_SS;
	}
	if (mod == 1)
		return fetch_signed(c, 1, &m->disp);
	return disp32 ? fetch_signed(c, 4, &m->disp) : 0;
}

/* In 64-bit mode the CS, DS, ES and SS overrides are ignored (their
 * bases are 0); FS and GS apply (SDM Vol. 1 3.3.7.1). */
static void apply_override(const struct x86_insn *in,
			   struct x86_mem_operand *m, int seg_override)
{
	if (seg_override < 0)
		return;
	if (in->mode == X86_MODE_64 && seg_override < X86_SEG_FS)
		return;
	m->seg = (uint8_t)seg_override;
}

static void init_mem(struct x86_mem_operand *m)
{
	memset(m, 0, sizeof(*m));
	m->seg = X86_SEG_DS;
	m->base = X86_REG_NONE;
	m->index = X86_REG_NONE;
	m->scale = 1;
}

/* The register named by ModRM.reg (extended by REX.R): for byte
 * operations without REX, 4-7 are AH, CH, DH, BH. */
static void set_reg(struct x86_insn *in, unsigned reg)
{
	in->has_reg = true;
	if (in->op_size == 1 && !in->rex && reg >= 4) {
		in->reg = (uint8_t)(reg - 4);
		in->reg_high8 = true;
	} else {
		in->reg = (uint8_t)reg;
	}
}

/* Resolve a /digit group once ModRM.reg is known. */
static int resolve_group(struct opcode_desc *d, unsigned digit)
{
	if (d->flags & OPF_GRP1) {
		d->op = (uint8_t)digit;
		if (digit == X86_OP_CMP) {
			d->dir = X86_MEM_SRC;
			d->flags &= (uint16_t)~OPF_LOCK;
		} else {
			d->flags |= OPF_LOCK;
		}
		return 0;
	}
	if (d->flags & OPF_GRP_ZERO) {
		/* C6/C7 /1-7 with a memory operand are #UD; F6/F7 /1-7 are
		 * TEST's alias, NOT, NEG, MUL, IMUL, DIV, IDIV. */
		if (digit == 0)
			return 0;
		return d->op == X86_OP_MOV ? X86_DECODE_INVALID
					   : X86_DECODE_UNSUPPORTED;
	}
	if (d->flags & OPF_GRP_BT) {
		/* 0F BA /0-3 are #UD; /5-7 are BTS, BTR, BTC. */
		if (digit == 4)
			return 0;
		return digit < 4 ? X86_DECODE_INVALID : X86_DECODE_UNSUPPORTED;
	}
	return 0;
}

static int read_immediate(struct cursor *c, struct x86_insn *in,
			  uint16_t flags)
{
	uint64_t v;
	int rc;

	if (flags & OPF_IMM8U) {
		if ((rc = fetch(c, 1, &v)))
			return rc;
		in->imm = (int64_t)v;
	} else if (flags & OPF_IMM8) {
		rc = fetch_signed(c, 1, &in->imm);
	} else if (flags & OPF_IMMZ) {
		rc = fetch_signed(c, in->op_size == 2 ? 2 : 4, &in->imm);
	} else {
		return 0;
	}
	in->has_imm = rc == 0;
	return rc;
}

/* ModRM forms: the memory operand, the register or /digit, immediate. */
static int decode_modrm_form(struct cursor *c, struct x86_insn *in,
			     struct opcode_desc *d, int seg_override)
{
	uint8_t modrm;
	int rc;

	if ((rc = fetch_byte(c, &modrm)))
		return rc;
	unsigned mod = modrm >> 6, rm = modrm & 7;
	unsigned reg = ((modrm >> 3) & 7) | (in->rex & REX_R ? 8 : 0);
	if (mod == 3) /* register only: never MMIO; LOCK on it is #UD */
		return in->lock ? X86_DECODE_INVALID : X86_DECODE_UNSUPPORTED;
	if (d->form == FORM_RM_IMM) {
		if ((rc = resolve_group(d, (modrm >> 3) & 7)))
			return rc;
	} else {
		set_reg(in, reg);
	}
	init_mem(&in->mem);
	rc = in->addr_size == 2 ? decode_mem16(c, &in->mem, mod, rm)
				: decode_mem32(c, in, &in->mem, mod, rm);
	if (rc)
		return rc;
	apply_override(in, &in->mem, seg_override);
	return read_immediate(c, in, d->flags);
}

/* A0-A3: MOV between the accumulator and seg:[moffs], an address-size
 * wide offset with no ModRM. */
static int decode_moffs(struct cursor *c, struct x86_insn *in,
			int seg_override)
{
	uint64_t offset;
	int rc = fetch(c, in->addr_size, &offset);
	if (rc)
		return rc;
	in->has_reg = true;
	in->reg = X86_RAX;
	init_mem(&in->mem);
	in->mem.disp = (int64_t)offset;
	apply_override(in, &in->mem, seg_override);
	return 0;
}

/* String instructions: the source is seg:[rSI] (DS unless overridden),
 * the destination always ES:[rDI] (SDM Vol. 1 3.7.4.1). */
static void decode_string(struct x86_insn *in, int seg_override)
{
	struct x86_mem_operand src, dst;

	init_mem(&src);
	src.base = X86_RSI;
	apply_override(in, &src, seg_override);
	init_mem(&dst);
	dst.seg = X86_SEG_ES;
	dst.base = X86_RDI;

	switch (in->op) {
	case X86_OP_MOVS:
		in->mem = src;
		in->mem2 = dst;
		break;
	case X86_OP_LODS:
		in->mem = src;
		in->has_reg = true;
		break;
	default: /* STOS */
		in->mem = dst;
		in->has_reg = true;
		break;
	}
	in->reg = X86_RAX;
}

static int read_opcode(struct cursor *c, struct x86_insn *in, uint8_t first,
		       struct opcode_desc *d)
{
	in->opcode = first;
	if (first == 0x0f) {
		int rc = fetch_byte(c, &in->opcode);
		if (rc)
			return rc;
		in->map_0f = true;
		*d = two_byte[in->opcode];
	} else {
		*d = one_byte[first];
	}
	if (d->form == FORM_NONE)
		return X86_DECODE_UNSUPPORTED;
	if ((d->flags & OPF_64ONLY) && in->mode != X86_MODE_64)
		return X86_DECODE_UNSUPPORTED;
	return 0;
}

/* LOCK is #UD unless the instruction is lockable and writes memory. */
static bool lock_ok(const struct x86_insn *in, const struct opcode_desc *d)
{
	return !in->lock || ((d->flags & OPF_LOCK) && in->dir == X86_MEM_BOTH &&
			     d->form != FORM_STRING);
}

int x86_decode(const uint8_t *bytes, size_t len, enum x86_cpu_mode mode,
	       struct x86_insn *out)
{
	struct cursor c = { bytes, len, 0 };
	struct opcode_desc d;
	int seg_override = -1;
	uint8_t first;
	int rc;

	memset(out, 0, sizeof(*out));
	init_mem(&out->mem);
	init_mem(&out->mem2);
	out->mode = mode;
	if (mode != X86_MODE_16 && mode != X86_MODE_32 && mode != X86_MODE_64)
		return X86_DECODE_INVALID;
	if ((rc = read_prefixes(&c, out, &seg_override, &first)))
		return rc;
	if ((rc = read_opcode(&c, out, first, &d)))
		return rc;

	out->op_size = operand_size(out, d.flags);
	out->addr_size = address_size(out);
	out->op = d.op;
	switch (d.form) {
	case FORM_MOFFS:
		rc = decode_moffs(&c, out, seg_override);
		break;
	case FORM_STRING:
		decode_string(out, seg_override);
		rc = 0;
		break;
	default:
		rc = decode_modrm_form(&c, out, &d, seg_override);
		break;
	}
	if (rc)
		return rc;
	out->op = d.op; /* a group may have resolved it */
	out->dir = d.dir;
	out->mem_size = memory_size(out, d.flags);
	out->mem_first = d.form == FORM_RM_REG || d.form == FORM_RM_IMM ||
			 out->dir != X86_MEM_SRC;
	if (!lock_ok(out, &d))
		return X86_DECODE_INVALID;
	out->len = (uint8_t)c.pos;
	return 0;
}

const char *x86_op_name(enum x86_op op)
{
	static const char *const names[X86_OP_COUNT] = {
		"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp",
		"mov", "movzx", "movsx", "test", "bt", "xchg",
		"stos", "lods", "movs",
	};
	return (unsigned)op < X86_OP_COUNT ? names[op] : "?";
}
