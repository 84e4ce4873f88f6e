/*
 * MMIO instruction emulation (see mmio_emulate.h).
 *
 * Each instruction runs on a copy of the registers, which replaces the
 * caller's only when every access succeeded: a failed device or RAM
 * access leaves the guest's state as it was, so the caller can inject a
 * fault or stop the VM without undoing anything.
 *
 * Flags follow the SDM instruction pages: ADD/ADC/SUB/SBB/CMP set CF, PF,
 * AF, ZF, SF and OF from the result; AND/OR/XOR/TEST clear CF and OF,
 * set PF, ZF, SF, and leave AF "undefined": Volt clears it (as current
 * Intel and AMD processors do). BT sets CF to the selected bit, leaves ZF
 * alone and OF, SF, AF, PF "undefined": Volt leaves them unchanged.
 */
#include "vmm/insn/mmio_emulate.h"

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static uint64_t sign_bit(unsigned size)
{
	return 1ull << (8 * size - 1);
}

static bool valid_size(unsigned size)
{
	return size == 1 || size == 2 || size == 4 || size == 8;
}

static bool valid_mem(const struct x86_mem_operand *m)
{
	return m->seg < X86_SEG_COUNT && m->base >= X86_REG_NONE &&
	       m->base < X86_GPR_COUNT && m->index >= X86_REG_NONE &&
	       m->index < X86_GPR_COUNT && valid_size(m->scale);
}

/* Reject what x86_decode never produces, so that a corrupted or
 * hand-built x86_insn cannot index outside the register file. */
static bool valid_insn(const struct x86_insn *in)
{
	if ((unsigned)in->op >= X86_OP_COUNT || !valid_size(in->op_size) ||
	    !valid_size(in->mem_size) || in->mem_size > in->op_size ||
	    (in->addr_size != 2 && in->addr_size != 4 && in->addr_size != 8))
		return false;
	if (in->reg >= X86_GPR_COUNT ||
	    (in->reg_high8 && (in->reg >= 4 || in->op_size != 1)))
		return false;
	return valid_mem(&in->mem) &&
	       (in->op != X86_OP_MOVS || valid_mem(&in->mem2));
}

/* ---- registers ---------------------------------------------------- */

static uint64_t reg_get(const struct x86_regs *r, unsigned reg, bool high8,
			unsigned size)
{
	if (high8)
		return (r->gpr[reg] >> 8) & 0xff;
	return r->gpr[reg] & size_mask(size);
}

/* 8- and 16-bit writes merge into the register; 32-bit writes zero bits
 * 63:32 in 64-bit mode (SDM Vol. 1 3.4.1.1) and, elsewhere, leave the
 * half that 32-bit code cannot see alone. */
static void reg_set(struct x86_regs *r, const struct x86_insn *in,
		    unsigned reg, bool high8, unsigned size, uint64_t v)
{
	uint64_t *g = &r->gpr[reg];

	if (high8)
		*g = (*g & ~0xff00ull) | ((v & 0xff) << 8);
	else if (size == 8 || (size == 4 && in->mode == X86_MODE_64))
		*g = v & size_mask(size);
	else
		*g = (*g & ~size_mask(size)) | (v & size_mask(size));
}

/* The instruction's register operand, or its immediate. */
static uint64_t source_operand(const struct x86_regs *r,
			       const struct x86_insn *in)
{
	if (in->has_imm)
		return (uint64_t)in->imm & size_mask(in->op_size);
	return reg_get(r, in->reg, in->reg_high8, in->op_size);
}

/* ---- device access ------------------------------------------------ */

struct access {
	const struct mmio_fault *fault;
	const struct mmio_emul_ops *ops;
	void *ctx;
};

static int dev_read(const struct access *a, unsigned size, uint64_t *v)
{
	if (a->ops->read(a->ctx, a->fault->gpa, size, v))
		return MMIO_EMUL_ACCESS;
	*v &= size_mask(size);
	return 0;
}

static int dev_write(const struct access *a, unsigned size, uint64_t v)
{
	if (a->ops->write(a->ctx, a->fault->gpa, size, v & size_mask(size)))
		return MMIO_EMUL_ACCESS;
	return 0;
}

/* ---- arithmetic --------------------------------------------------- */

/* PF: set when the low byte of the result has an even number of 1s. */
static uint64_t parity_flag(uint64_t result)
{
	uint8_t b = (uint8_t)result;
	b ^= b >> 4;
	b ^= b >> 2;
	b ^= b >> 1;
	return (b & 1) ? 0 : X86_RFLAGS_PF;
}

static uint64_t result_flags(uint64_t result, unsigned size)
{
	uint64_t f = parity_flag(result);
	if ((result & size_mask(size)) == 0)
		f |= X86_RFLAGS_ZF;
	if (result & sign_bit(size))
		f |= X86_RFLAGS_SF;
	return f;
}

/* a OP b at `size` bytes; updates the six status flags in *rflags.
 * Carry and borrow come from comparisons, so no wider type is needed:
 * a + b + c wrapped iff the result is below a (or equal, with c = 1);
 * a - b - c borrowed iff a < b (or a == b, with c = 1). AF is the carry
 * out of bit 3, which is bit 4 of a ^ b ^ result for both. */
static uint64_t alu(enum x86_op op, uint64_t a, uint64_t b, unsigned size,
		    uint64_t *rflags)
{
	uint64_t m = size_mask(size), s = sign_bit(size);
	uint64_t c = (op == X86_OP_ADC || op == X86_OP_SBB) ?
		     (*rflags & X86_RFLAGS_CF) : 0;
	uint64_t r, f = 0;

	a &= m;
	b &= m;
	switch (op) {
	case X86_OP_ADD:
	case X86_OP_ADC:
		r = (a + b + c) & m;
		if (r < a || (c && r == a))
			f |= X86_RFLAGS_CF;
		if ((a ^ r) & (b ^ r) & s)
			f |= X86_RFLAGS_OF;
		f |= (a ^ b ^ r) & X86_RFLAGS_AF;
		break;
	case X86_OP_SUB:
	case X86_OP_SBB:
	case X86_OP_CMP:
		r = (a - b - c) & m;
		if (a < b || (c && a == b))
			f |= X86_RFLAGS_CF;
		if ((a ^ b) & (a ^ r) & s)
			f |= X86_RFLAGS_OF;
		f |= (a ^ b ^ r) & X86_RFLAGS_AF;
		break;
	case X86_OP_OR:
		r = a | b;
		break;
	case X86_OP_XOR:
		r = a ^ b;
		break;
	default: /* AND, TEST */
		r = a & b;
		break;
	}
	*rflags = (*rflags & ~X86_RFLAGS_STATUS) | f | result_flags(r, size);
	return r;
}

/* ---- instruction classes ------------------------------------------ */

static int emulate_mov(const struct x86_insn *in, struct x86_regs *r,
		       const struct access *a)
{
	uint64_t v;
	int rc;

	if (in->dir == X86_MEM_DST)
		return dev_write(a, in->mem_size, source_operand(r, in));
	if ((rc = dev_read(a, in->mem_size, &v)))
		return rc;
	if (in->op == X86_OP_MOVSX && in->mem_size < 8)
		v = (v ^ sign_bit(in->mem_size)) - sign_bit(in->mem_size);
	reg_set(r, in, in->reg, in->reg_high8, in->op_size, v);
	return 0;
}

/* ADD ... CMP and TEST: read the device, compute, then write the result
 * back to the device (memory destination) or the register, unless the
 * instruction only compares. */
static int emulate_alu(const struct x86_insn *in, struct x86_regs *r,
		       const struct access *a)
{
	uint64_t mem, other = source_operand(r, in), result;
	int rc;

	if ((rc = dev_read(a, in->op_size, &mem)))
		return rc;
	result = in->mem_first ? alu(in->op, mem, other, in->op_size,
				     &r->rflags)
			       : alu(in->op, other, mem, in->op_size,
				     &r->rflags);
	if (in->op == X86_OP_CMP || in->op == X86_OP_TEST)
		return 0;
	if (in->dir == X86_MEM_BOTH)
		return dev_write(a, in->op_size, result);
	reg_set(r, in, in->reg, in->reg_high8, in->op_size, result);
	return 0;
}

/*
 * BT: CF = the selected bit. The bit offset is taken modulo the operand
 * width. A register offset may also select a different operand-sized
 * unit (EA + size * (offset DIV width), SDM "BT"); the processor has
 * already applied that displacement when it made the access, so the
 * faulting GPA *is* that unit and only the offset within it matters here.
 */
static int emulate_bt(const struct x86_insn *in, struct x86_regs *r,
		      const struct access *a)
{
	uint64_t v, bit = source_operand(r, in) & (8u * in->op_size - 1);
	int rc;

	if ((rc = dev_read(a, in->op_size, &v)))
		return rc;
	r->rflags &= ~X86_RFLAGS_CF;
	if ((v >> bit) & 1)
		r->rflags |= X86_RFLAGS_CF;
	return 0;
}

static int emulate_xchg(const struct x86_insn *in, struct x86_regs *r,
			const struct access *a)
{
	uint64_t old;
	int rc;

	if ((rc = dev_read(a, in->op_size, &old)))
		return rc;
	if ((rc = dev_write(a, in->op_size, source_operand(r, in))))
		return rc;
	reg_set(r, in, in->reg, in->reg_high8, in->op_size, old);
	return 0;
}

/* rSI/rDI/rCX are used at the address size. */
static void set_addr_reg(struct x86_regs *r, const struct x86_insn *in,
			 unsigned reg, uint64_t v)
{
	reg_set(r, in, reg, false, in->addr_size, v);
}

/* Step rSI or rDI by one element, down when RFLAGS.DF is set. */
static void advance(struct x86_regs *r, const struct x86_insn *in,
		    unsigned reg)
{
	uint64_t step = in->op_size;
	if (r->rflags & X86_RFLAGS_DF)
		step = -step;
	set_addr_reg(r, in, reg, r->gpr[reg] + step);
}

/* MOVS has two memory operands. The EPT violation says which one is the
 * device: a write fault means the destination (the source was read
 * without exiting), a read fault the source. The other one goes through
 * the linear-address callbacks. */
static int emulate_movs(const struct x86_insn *in, struct x86_regs *r,
			const struct access *a)
{
	const struct mmio_emul_ops *ops = a->ops;
	unsigned size = in->op_size;
	uint64_t v, la;

	if (!ops->read_linear || !ops->write_linear)
		return MMIO_EMUL_UNSUPPORTED;
	if (a->fault->write) {
		la = x86_linear_address(in, &in->mem, r, 0);
		if (ops->read_linear(a->ctx, la, size, &v))
			return MMIO_EMUL_ACCESS;
		return dev_write(a, size, v);
	}
	int rc = dev_read(a, size, &v);
	if (rc)
		return rc;
	la = x86_linear_address(in, &in->mem2, r, 0);
	if (ops->write_linear(a->ctx, la, size, v & size_mask(size)))
		return MMIO_EMUL_ACCESS;
	return 0;
}

/* One iteration of STOS, LODS or MOVS; with REP, RCX counts it. */
static int emulate_string(const struct x86_insn *in, struct x86_regs *r,
			  const struct access *a, bool *complete)
{
	bool rep = in->rep != X86_REP_NONE;
	uint64_t count = r->gpr[X86_RCX] & size_mask(in->addr_size);
	uint64_t v;
	int rc = 0;

	*complete = true;
	if (rep && count == 0) /* no iteration at all */
		return 0;
	switch (in->op) {
	case X86_OP_STOS:
		rc = dev_write(a, in->op_size,
			       reg_get(r, X86_RAX, false, in->op_size));
		advance(r, in, X86_RDI);
		break;
	case X86_OP_LODS:
		if ((rc = dev_read(a, in->op_size, &v)))
			break;
		reg_set(r, in, X86_RAX, false, in->op_size, v);
		advance(r, in, X86_RSI);
		break;
	default: /* MOVS */
		rc = emulate_movs(in, r, a);
		advance(r, in, X86_RSI);
		advance(r, in, X86_RDI);
		break;
	}
	if (rc == 0 && rep) {
		set_addr_reg(r, in, X86_RCX, count - 1);
		*complete = count == 1;
	}
	return rc;
}

int mmio_emulate(const struct x86_insn *insn, struct x86_regs *regs,
		 const struct mmio_fault *fault,
		 const struct mmio_emul_ops *ops, void *ctx, bool *complete)
{
	struct access a = { fault, ops, ctx };
	struct x86_regs r = *regs;
	bool done = true;
	int rc;

	*complete = false;
	if (!valid_insn(insn))
		return MMIO_EMUL_BAD_INSN;
	switch (insn->op) {
	case X86_OP_MOV:
	case X86_OP_MOVZX:
	case X86_OP_MOVSX:
		rc = emulate_mov(insn, &r, &a);
		break;
	case X86_OP_BT:
		rc = emulate_bt(insn, &r, &a);
		break;
	case X86_OP_XCHG:
		rc = emulate_xchg(insn, &r, &a);
		break;
	case X86_OP_STOS:
	case X86_OP_LODS:
	case X86_OP_MOVS:
		rc = emulate_string(insn, &r, &a, &done);
		break;
	default: /* ADD ... CMP, TEST */
		rc = emulate_alu(insn, &r, &a);
		break;
	}
	if (rc == 0) {
		*regs = r;
		*complete = done;
	}
	return rc;
}

uint64_t x86_effective_address(const struct x86_insn *insn,
			       const struct x86_mem_operand *m,
			       const struct x86_regs *regs, uint64_t rip)
{
	uint64_t ea = (uint64_t)m->disp;

	if (m->base >= 0 && m->base < X86_GPR_COUNT)
		ea += regs->gpr[m->base];
	if (m->index >= 0 && m->index < X86_GPR_COUNT)
		ea += regs->gpr[m->index] * m->scale;
	if (m->rip_rel)
		ea += rip + insn->len;
	return ea & size_mask(insn->addr_size);
}

uint64_t x86_linear_address(const struct x86_insn *insn,
			    const struct x86_mem_operand *m,
			    const struct x86_regs *regs, uint64_t rip)
{
	uint64_t la = x86_effective_address(insn, m, regs, rip);
	bool has_base = insn->mode != X86_MODE_64 || m->seg == X86_SEG_FS ||
			m->seg == X86_SEG_GS;

	if (has_base && m->seg < X86_SEG_COUNT)
		la += regs->seg_base[m->seg];
	return insn->mode == X86_MODE_64 ? la : la & 0xffffffffu;
}
