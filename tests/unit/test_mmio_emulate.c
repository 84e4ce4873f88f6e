/*
 * Host tests for MMIO instruction emulation (vmm/insn/mmio_emulate.c).
 *
 * Instructions are decoded from real encodings (the same bytes as in
 * test_x86_decode.c), run against a fake device that records every
 * access, and checked for register results (zero/sign extension, merges),
 * device traffic, and RFLAGS. The flag expectations are worked out by
 * hand from the SDM definitions (each row says why), e.g. 8-bit
 * 0x80 - 0x01 = 0x7f sets OF: negative minus positive gave a positive.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/insn/mmio_emulate.h"

#define CF X86_RFLAGS_CF
#define PF X86_RFLAGS_PF
#define AF X86_RFLAGS_AF
#define ZF X86_RFLAGS_ZF
#define SF X86_RFLAGS_SF
#define OF X86_RFLAGS_OF
#define DF X86_RFLAGS_DF
#define RFLAGS_FIXED 0x2ull /* bit 1 always reads 1 */
#define RFLAGS_IF (1ull << 9)

#define GPA 0xfee00300ull

/* A device that returns `value` and records what it was asked. */
struct fake {
	uint64_t value;
	bool fail_read, fail_write;
	unsigned reads, writes;
	uint64_t gpa, written;
	unsigned size;
	/* The linear side of MOVS. */
	uint64_t lin_value;
	bool fail_lin;
	unsigned lin_reads, lin_writes;
	uint64_t lin_addr, lin_written;
	unsigned lin_size;
};

static int dev_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *val)
{
	struct fake *f = ctx;
	f->reads++, f->gpa = gpa, f->size = size;
	*val = f->value | 0xdead000000000000ull * (size < 8); /* junk above */
	return f->fail_read;
}

static int dev_write(void *ctx, uint64_t gpa, unsigned size, uint64_t val)
{
	struct fake *f = ctx;
	f->writes++, f->gpa = gpa, f->size = size, f->written = val;
	return f->fail_write;
}

static int lin_read(void *ctx, uint64_t la, unsigned size, uint64_t *val)
{
	struct fake *f = ctx;
	f->lin_reads++, f->lin_addr = la, f->lin_size = size;
	*val = f->lin_value;
	return f->fail_lin;
}

static int lin_write(void *ctx, uint64_t la, unsigned size, uint64_t val)
{
	struct fake *f = ctx;
	f->lin_writes++, f->lin_addr = la, f->lin_size = size;
	f->lin_written = val;
	return f->fail_lin;
}

static const struct mmio_emul_ops ops = { dev_read, dev_write, lin_read,
					  lin_write };
static const struct mmio_emul_ops ops_no_linear = { dev_read, dev_write,
						    NULL, NULL };

static struct fake dev;
static struct x86_regs regs;

static int setup(void **state)
{
	memset(&dev, 0, sizeof(dev));
	memset(&regs, 0, sizeof(regs));
	regs.rflags = RFLAGS_FIXED | RFLAGS_IF;
	return 0;
}

static struct x86_insn decode_ok(enum x86_cpu_mode mode, const char *b,
				 size_t len)
{
	struct x86_insn in;
	assert_int_equal(x86_decode((const uint8_t *)b, len, mode, &in), 0);
	return in;
}

#define INSN(mode, lit) decode_ok(X86_MODE_##mode, lit, sizeof(lit) - 1)

/* Run `in` against the device with a read (or write) fault at GPA. */
static int run(const struct x86_insn *in, bool write_fault, bool *complete)
{
	struct mmio_fault f = { GPA, write_fault };
	return mmio_emulate(in, &regs, &f, &ops, &dev, complete);
}

static void run_ok(const struct x86_insn *in, bool write_fault)
{
	bool complete;
	assert_int_equal(run(in, write_fault, &complete), MMIO_EMUL_OK);
	assert_true(complete);
}

/* ---- loads and stores --------------------------------------------- */

static void test_mov_load_sizes(void **state)
{
	struct x86_insn in;

	dev.value = 0x8899aabbccddeeffull;
	regs.gpr[X86_RCX] = 0x1111111111111111ull;
	in = INSN(64, "\x8a\x08"); /* mov cl, [rax]: merges 8 bits */
	run_ok(&in, false);
	assert_int_equal(dev.gpa, GPA);
	assert_int_equal(dev.size, 1);
	assert_int_equal(regs.gpr[X86_RCX], 0x11111111111111ffull);

	in = INSN(64, "\x8a\x3e"); /* mov bh, [rsi]: bits 15:8 of RBX */
	regs.gpr[X86_RBX] = 0x2222222222222222ull;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RBX], 0x222222222222ff22ull);

	in = INSN(64, "\x40\x8a\x3e"); /* mov dil, [rsi] */
	regs.gpr[X86_RDI] = 0x3333333333333333ull;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RDI], 0x33333333333333ffull);

	in = INSN(64, "\x66\x8b\x06"); /* mov ax, [rsi]: merges 16 bits */
	regs.gpr[X86_RAX] = 0x4444444444444444ull;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x444444444444eeffull);

	in = INSN(64, "\x8b\x06"); /* mov eax, [rsi]: zero-extends */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0xccddeeffull);

	in = INSN(64, "\x4d\x8b\x53\x7f"); /* mov r10, [r11+0x7f] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_R10], 0x8899aabbccddeeffull);
	assert_int_equal(dev.size, 8);

	/* Outside 64-bit mode a 32-bit load leaves bits 63:32 alone. */
	in = INSN(32, "\xa1\x20\x00\xe0\xfe"); /* mov eax, [0xfee00020] */
	regs.gpr[X86_RAX] = 0x5555555555555555ull;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x55555555ccddeeffull);

	/* Flags never change on a move. */
	assert_int_equal(regs.rflags, RFLAGS_FIXED | RFLAGS_IF);
}

static void test_mov_store(void **state)
{
	struct x86_insn in;

	regs.gpr[X86_RAX] = 0x1122334455667788ull;
	in = INSN(64, "\x88\x20"); /* mov [rax], ah */
	run_ok(&in, true);
	assert_int_equal(dev.writes, 1);
	assert_int_equal(dev.reads, 0);
	assert_int_equal(dev.size, 1);
	assert_int_equal(dev.written, 0x77);

	in = INSN(64, "\x66\x89\x53\x10"); /* mov [rbx+0x10], dx */
	regs.gpr[X86_RDX] = 0xffffffffffff1234ull;
	run_ok(&in, true);
	assert_int_equal(dev.size, 2);
	assert_int_equal(dev.written, 0x1234);

	in = INSN(64, "\x48\xc7\x00\xff\xff\xff\xff"); /* mov qword [rax], -1 */
	run_ok(&in, true);
	assert_int_equal(dev.size, 8);
	assert_int_equal(dev.written, 0xffffffffffffffffull);

	in = INSN(64, "\xc7\x00\xef\xcd\xab\x89"); /* mov dword [rax], imm */
	run_ok(&in, true);
	assert_int_equal(dev.size, 4);
	assert_int_equal(dev.written, 0x89abcdefull); /* not sign-extended */

	in = INSN(64, "\xa3\x00\x00\xe0\xfe\x00\x00\x00\x00"); /* moffs */
	regs.gpr[X86_RAX] = 0xdeadbeef00000042ull;
	run_ok(&in, true);
	assert_int_equal(dev.written, 0x42);
	assert_int_equal(regs.gpr[X86_RAX], 0xdeadbeef00000042ull);
}

static void test_movzx_movsx(void **state)
{
	struct x86_insn in;

	dev.value = 0x80;
	regs.gpr[X86_RAX] = ~0ull;
	in = INSN(64, "\x0f\xb6\x03"); /* movzx eax, byte [rbx] */
	run_ok(&in, false);
	assert_int_equal(dev.size, 1);
	assert_int_equal(regs.gpr[X86_RAX], 0x80);

	in = INSN(64, "\x0f\xbe\x03"); /* movsx eax, byte [rbx] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0xffffff80ull);

	in = INSN(64, "\x48\x0f\xbe\x03"); /* movsx rax, byte [rbx] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0xffffffffffffff80ull);

	dev.value = 0x7f;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x7f);

	dev.value = 0x8000;
	in = INSN(64, "\x48\x0f\xbf\x03"); /* movsx rax, word [rbx] */
	run_ok(&in, false);
	assert_int_equal(dev.size, 2);
	assert_int_equal(regs.gpr[X86_RAX], 0xffffffffffff8000ull);

	in = INSN(64, "\x0f\xb7\x03"); /* movzx eax, word [rbx] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x8000);

	dev.value = 0xff;
	regs.gpr[X86_RAX] = 0x1234567812345678ull;
	in = INSN(64, "\x66\x0f\xbe\x03"); /* movsx ax, byte [rbx] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x123456781234ffffull);

	dev.value = 0x80000000;
	in = INSN(64, "\x48\x63\x03"); /* movsxd rax, dword [rbx] */
	run_ok(&in, false);
	assert_int_equal(dev.size, 4);
	assert_int_equal(regs.gpr[X86_RAX], 0xffffffff80000000ull);

	in = INSN(64, "\x63\x03"); /* movsxd eax, dword [rbx]: a plain load */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x80000000ull);
}

/* ---- ALU and flags -------------------------------------------------- */

struct alu_case {
	const char *what;
	const char *bytes;
	size_t len;
	uint64_t mem, reg;    /* device value; RCX (the register operand) */
	uint64_t cf_in;       /* CF before (ADC/SBB) */
	uint64_t result;      /* written to the device (or register) */
	uint64_t flags;       /* status flags after */
	enum { TO_DEV, TO_REG, NO_WRITE } where; /* the result goes to the
						    device, RCX, or nowhere */
};

#define C(what, b, ...) { what, b, sizeof(b) - 1, __VA_ARGS__ }

/* 64-bit mode; memory at [rax], register operand CL/CX/ECX/RCX. */
static const struct alu_case alu_cases[] = {
	/* 0x80 - 0x01 = 0x7f: negative - positive = positive: OF. The low
	 * nibble borrows (0 - 1): AF. 0x7f has seven 1s: no PF. */
	C("sub8 0x80-1", "\x28\x08", 0x80, 0x01, 0, 0x7f, OF | AF, TO_DEV),
	/* 0xff + 1 wraps to 0: CF, ZF; carry out of bit 3: AF; PF (0 ones). */
	C("add8 0xff+1", "\x00\x08", 0xff, 0x01, 0, 0x00,
	  CF | ZF | AF | PF, TO_DEV),
	/* 0x7f + 1 = 0x80: positive + positive = negative: OF, SF; AF. */
	C("add8 0x7f+1", "\x00\x08", 0x7f, 0x01, 0, 0x80, OF | SF | AF, TO_DEV),
	/* Imm8 sign-extended: 0xffffffff + 1 = 0. */
	C("add32 imm", "\x83\x00\x01", 0xffffffff, 0, 0, 0,
	  CF | ZF | AF | PF, TO_DEV),
	/* 2^63 + 2^63 = 0: CF and OF (two negatives gave 0), no AF. */
	C("add64", "\x48\x01\x08", 0x8000000000000000ull,
	  0x8000000000000000ull, 0, 0, CF | OF | ZF | PF, TO_DEV),
	/* 0 - 1 = 0xffff: borrow CF, SF, AF; low byte 0xff: PF. */
	C("sub16 0-1", "\x66\x29\x08", 0, 1, 0, 0xffff,
	  CF | SF | AF | PF, TO_DEV),
	/* 0x8000 - 1 = 0x7fff: OF (neg - pos = pos), AF; 0xff: PF. */
	C("sub16 0x8000-1", "\x66\x29\x08", 0x8000, 1, 0, 0x7fff,
	  OF | AF | PF, TO_DEV),
	/* ADC: 0xff + 0 + CF = 0: CF, ZF, AF, PF. */
	C("adc8 cf", "\x10\x08", 0xff, 0, CF, 0, CF | ZF | AF | PF, TO_DEV),
	/* ADC: 0x7f + 0 + CF = 0x80: OF, SF, AF. */
	C("adc8 of", "\x10\x08", 0x7f, 0, CF, 0x80, OF | SF | AF, TO_DEV),
	/* ADC without carry in: 1 + 2 = 3 (two 1s: PF). */
	C("adc32 nocf", "\x11\x08", 1, 2, 0, 3, PF, TO_DEV),
	/* ADC 64: ~0 + ~0 + 1 = ~0 with carry out: CF, SF, AF, PF. */
	C("adc64 max", "\x48\x11\x08", ~0ull, ~0ull, CF, ~0ull,
	  CF | SF | AF | PF, TO_DEV),
	/* SBB: 0 - 0 - CF = 0xff: CF, SF, AF, PF. */
	C("sbb8 cf", "\x18\x08", 0, 0, CF, 0xff, CF | SF | AF | PF, TO_DEV),
	/* SBB: 0x80 - 0x7f - 1 = 0: -128 - 128 overflows: OF; ZF, PF;
	 * 0 - 0xf - 1 in the low nibble borrows: AF; 0x80 >= 0x80: no CF. */
	C("sbb8 of", "\x18\x08", 0x80, 0x7f, CF, 0, OF | ZF | PF | AF, TO_DEV),
	/* SBB: a == b with CF set borrows. */
	C("sbb32 eq", "\x19\x08", 5, 5, CF, 0xffffffff,
	  CF | SF | AF | PF, TO_DEV),
	/* AND: 0xf0 & 0x0f = 0: ZF, PF; CF and OF cleared. */
	C("and8 zero", "\x20\x08", 0xf0, 0x0f, CF, 0, ZF | PF, TO_DEV),
	/* OR 16: 0x8000 | 1 = 0x8001: SF; low byte has one 1: no PF. */
	C("or16", "\x66\x09\x08", 0x8000, 1, 0, 0x8001, SF, TO_DEV),
	/* XOR 64 of equal values: ZF, PF. */
	C("xor64 self", "\x48\x31\x08", 0x123456789abcdef0ull,
	  0x123456789abcdef0ull, 0, 0, ZF | PF, TO_DEV),
	/* OR with imm32 sign-extended to 64 bits. */
	C("or64 imm", "\x48\x81\x08\x00\x00\x00\x80", 1, 0, 0,
	  0xffffffff80000001ull, SF, TO_DEV),
	/* AND byte imm: 0x81 & 0xfe = 0x80: SF, no PF (one 1). */
	C("and8 imm", "\x80\x20\xfe", 0x81, 0, 0, 0x80, SF, TO_DEV),
	/* SUB 2B: the register is the destination: ECX = 10 - 3. */
	C("sub r, m", "\x2b\x08", 3, 10, 0, 7, 0, TO_REG),
	/* CMP r/m, r: mem - reg = 2 - 1 = 1: no flags but none of CF. */
	C("cmp m, r", "\x39\x08", 2, 1, 0, 0, 0, NO_WRITE),
	/* CMP r, r/m: reg - mem = 1 - 2: borrow CF, SF, AF, PF. */
	C("cmp r, m", "\x3b\x08", 2, 1, 0, 0, CF | SF | AF | PF, NO_WRITE),
	/* CMP imm equal: ZF, PF. */
	C("cmp32 imm eq", "\x83\x38\x05", 5, 0, 0, 0, ZF | PF, NO_WRITE),
	/* CMP 8 with imm 0x80: 0x7f - 0x80 = 0xff: CF, SF, OF, PF (no AF:
	 * 0xf - 0 in the low nibble does not borrow). */
	C("cmp8 imm", "\x80\x38\x80", 0x7f, 0, 0, 0,
	  CF | SF | OF | PF, NO_WRITE),
	/* TEST byte: 0x80 & 0x80: SF; CF/OF cleared. */
	C("test8", "\x84\x08", 0x80, 0x80, CF, 0, SF, NO_WRITE),
	/* TEST imm32: 0x80000000 & 0x7fffffff = 0: ZF, PF. */
	C("test32 imm", "\xf7\x00\xff\xff\xff\x7f", 0x80000000, 0, 0, 0,
	  ZF | PF, NO_WRITE),
	/* ADD r8, r/m8 into CL: 0x01 + 0x01 = 2. */
	C("add r8, m", "\x02\x08", 1, 1, 0, 2, 0, TO_REG),
};

/* Compare; on a mismatch name the case, then fail. */
#define EXPECT(c, got, want) do { \
	if ((uint64_t)(got) != (uint64_t)(want)) { \
		print_error("%s: %s is %#llx, expected %#llx\n", (c)->what, \
			    #got, (unsigned long long)(got), \
			    (unsigned long long)(want)); \
		fail(); \
	} \
} while (0)

static void test_alu_flags(void **state)
{
	for (size_t i = 0; i < sizeof(alu_cases) / sizeof(alu_cases[0]); i++) {
		const struct alu_case *c = &alu_cases[i];
		struct x86_insn in = decode_ok(X86_MODE_64, c->bytes, c->len);
		uint64_t mask = in.op_size == 8 ? ~0ull :
				(1ull << (8 * in.op_size)) - 1;
		bool complete;

		setup(NULL);
		dev.value = c->mem;
		regs.gpr[X86_RCX] = c->reg;
		/* Status flags set to the opposite of the expectation (except
		 * CF, which is an input): every flag must be computed. */
		regs.rflags = RFLAGS_FIXED | DF | c->cf_in |
			      ((X86_RFLAGS_STATUS & ~CF) & ~c->flags);
		EXPECT(c, run(&in, false, &complete), MMIO_EMUL_OK);
		EXPECT(c, complete, true);
		EXPECT(c, regs.rflags & X86_RFLAGS_STATUS, c->flags);
		EXPECT(c, regs.rflags & ~X86_RFLAGS_STATUS, RFLAGS_FIXED | DF);
		EXPECT(c, dev.reads, 1);
		EXPECT(c, dev.size, in.op_size);
		EXPECT(c, dev.writes, c->where == TO_DEV);
		if (c->where == TO_DEV)
			EXPECT(c, dev.written, c->result);
		if (c->where == TO_REG)
			EXPECT(c, regs.gpr[X86_RCX] & mask, c->result);
		else
			EXPECT(c, regs.gpr[X86_RCX], c->reg);
	}
}

static void test_alu_register_destination_widths(void **state)
{
	struct x86_insn in;

	/* 32-bit ALU result into a register zero-extends (64-bit mode). */
	regs.gpr[X86_RCX] = 0xffffffff00000001ull;
	dev.value = 1;
	in = INSN(64, "\x03\x08"); /* add ecx, [rax] */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RCX], 2);
	/* 8-bit into AH merges. */
	regs.gpr[X86_RAX] = 0x1234;
	in = INSN(64, "\x22\x20"); /* and ah, [rax] */
	dev.value = 0x0f;
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x0234);
}

/* ---- BT, XCHG ----------------------------------------------------- */

static void test_bt(void **state)
{
	struct x86_insn in;
	const uint64_t others = ZF | SF | OF | AF | PF;

	dev.value = 0x80000000;
	regs.rflags |= others;
	in = INSN(64, "\x0f\xba\x20\x1f"); /* bt dword [rax], 31 */
	run_ok(&in, false);
	assert_int_equal(regs.rflags & CF, CF);
	assert_int_equal(regs.rflags & others, others); /* untouched */
	assert_int_equal(dev.writes, 0);

	in = INSN(64, "\x0f\xba\x20\x3f"); /* bit 63 mod 32 = 31 */
	run_ok(&in, false);
	assert_int_equal(regs.rflags & CF, CF);

	in = INSN(64, "\x0f\xba\x20\x1e"); /* bit 30 */
	run_ok(&in, false);
	assert_int_equal(regs.rflags & CF, 0);

	/* Register offset: 35 selects bit 3 of the unit the CPU accessed
	 * (EA + 4), which is the faulting GPA. */
	dev.value = 0x8;
	regs.gpr[X86_RCX] = 35;
	in = INSN(64, "\x0f\xa3\x08"); /* bt [rax], ecx */
	run_ok(&in, false);
	assert_int_equal(dev.gpa, GPA);
	assert_int_equal(regs.rflags & CF, CF);
	/* Negative offsets: -1 is bit 31 of the unit below. */
	regs.gpr[X86_RCX] = 0xffffffff;
	dev.value = 0x80000000;
	run_ok(&in, false);
	assert_int_equal(regs.rflags & CF, CF);
	/* 64-bit operand: bit 63. */
	dev.value = 0x8000000000000000ull;
	regs.gpr[X86_RCX] = 63;
	in = INSN(64, "\x48\x0f\xa3\x08"); /* bt [rax], rcx */
	run_ok(&in, false);
	assert_int_equal(dev.size, 8);
	assert_int_equal(regs.rflags & CF, CF);
	/* 16-bit: offset 17 is bit 1. */
	dev.value = 0x2;
	regs.gpr[X86_RCX] = 17;
	in = INSN(64, "\x66\x0f\xa3\x08"); /* bt [rax], cx */
	run_ok(&in, false);
	assert_int_equal(dev.size, 2);
	assert_int_equal(regs.rflags & CF, CF);
}

static void test_xchg(void **state)
{
	struct x86_insn in;

	dev.value = 0x11223344;
	regs.gpr[X86_RCX] = 0xffffffffaabbccddull;
	in = INSN(64, "\x87\x08"); /* xchg [rax], ecx */
	run_ok(&in, false);
	assert_int_equal(dev.reads, 1);
	assert_int_equal(dev.writes, 1);
	assert_int_equal(dev.written, 0xaabbccdd);
	assert_int_equal(regs.gpr[X86_RCX], 0x11223344);

	regs.gpr[X86_RAX] = 0xabcd;
	dev.value = 0x12;
	in = INSN(64, "\x86\x20"); /* xchg [rax], ah */
	run_ok(&in, false);
	assert_int_equal(dev.written, 0xab);
	assert_int_equal(regs.gpr[X86_RAX], 0x12cd);
	assert_int_equal(regs.rflags, RFLAGS_FIXED | RFLAGS_IF);
}

/* ---- string instructions ------------------------------------------ */

static void test_stos_lods_single(void **state)
{
	struct x86_insn in;

	regs.gpr[X86_RAX] = 0x1122334455667788ull;
	regs.gpr[X86_RDI] = 0x1000;
	regs.gpr[X86_RCX] = 7;
	in = INSN(64, "\xab"); /* stosd */
	run_ok(&in, true);
	assert_int_equal(dev.written, 0x55667788);
	assert_int_equal(dev.size, 4);
	assert_int_equal(regs.gpr[X86_RDI], 0x1004);
	assert_int_equal(regs.gpr[X86_RCX], 7); /* no REP: RCX untouched */

	regs.rflags |= DF; /* backwards */
	in = INSN(64, "\x48\xab"); /* stosq */
	run_ok(&in, true);
	assert_int_equal(dev.written, 0x1122334455667788ull);
	assert_int_equal(regs.gpr[X86_RDI], 0x0ffc);

	regs.rflags &= ~DF;
	dev.value = 0xa5;
	regs.gpr[X86_RSI] = 0x2000;
	in = INSN(64, "\xac"); /* lodsb */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0x11223344556677a5ull);
	assert_int_equal(regs.gpr[X86_RSI], 0x2001);

	dev.value = 0xcafef00d;
	in = INSN(64, "\xad"); /* lodsd: zero-extends */
	run_ok(&in, false);
	assert_int_equal(regs.gpr[X86_RAX], 0xcafef00dull);
	assert_int_equal(regs.gpr[X86_RSI], 0x2005);
}

static void test_rep_stos_one_iteration_per_call(void **state)
{
	struct x86_insn in = INSN(64, "\xf3\xab"); /* rep stosd */
	bool complete;

	regs.gpr[X86_RAX] = 0xabcd;
	regs.gpr[X86_RCX] = 3;
	regs.gpr[X86_RDI] = 0x100;
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(run(&in, true, &complete), 0);
		assert_int_equal(complete, i == 2);
		assert_int_equal(regs.gpr[X86_RCX], 2 - i);
		assert_int_equal(regs.gpr[X86_RDI], 0x104 + 4 * i);
	}
	assert_int_equal(dev.writes, 3);
	/* RCX = 0: no iteration, no access, done. */
	assert_int_equal(run(&in, true, &complete), 0);
	assert_true(complete);
	assert_int_equal(dev.writes, 3);
	assert_int_equal(regs.gpr[X86_RDI], 0x10c);
}

static void test_string_address_sizes(void **state)
{
	struct x86_insn in;
	bool complete;

	/* 32-bit addressing in 64-bit mode: EDI wraps and zero-extends. */
	in = INSN(64, "\x67\xf3\xaa"); /* addr32 rep stosb */
	regs.gpr[X86_RDI] = 0xaaaaaaaaffffffffull;
	regs.gpr[X86_RCX] = 0x5555555500000002ull;
	assert_int_equal(run(&in, true, &complete), 0);
	assert_false(complete);
	assert_int_equal(regs.gpr[X86_RDI], 0);
	assert_int_equal(regs.gpr[X86_RCX], 1);

	/* 16-bit: DI and CX wrap inside their 16 bits. */
	in = INSN(16, "\xf3\xaa"); /* rep stosb */
	regs.gpr[X86_RDI] = 0x1234ffff;
	regs.gpr[X86_RCX] = 0x56780001;
	assert_int_equal(run(&in, true, &complete), 0);
	assert_true(complete);
	assert_int_equal(regs.gpr[X86_RDI], 0x12340000);
	assert_int_equal(regs.gpr[X86_RCX], 0x56780000);
	/* CX = 0 (ECX is not): no iteration. */
	unsigned writes = dev.writes;
	assert_int_equal(run(&in, true, &complete), 0);
	assert_true(complete);
	assert_int_equal(dev.writes, writes);
}

static void test_movs(void **state)
{
	struct x86_insn in;
	bool complete;

	/* 32-bit mode, device is the destination (write fault): the source
	 * is read at DS.base + ESI. */
	in = INSN(32, "\xa5"); /* movsd */
	regs.seg_base[X86_SEG_DS] = 0x10000;
	regs.seg_base[X86_SEG_ES] = 0x20000;
	regs.gpr[X86_RSI] = 0x100;
	regs.gpr[X86_RDI] = 0x200;
	dev.lin_value = 0xfeedface;
	run_ok(&in, true);
	assert_int_equal(dev.lin_reads, 1);
	assert_int_equal(dev.lin_addr, 0x10100);
	assert_int_equal(dev.lin_size, 4);
	assert_int_equal(dev.writes, 1);
	assert_int_equal(dev.gpa, GPA);
	assert_int_equal(dev.written, 0xfeedface);
	assert_int_equal(regs.gpr[X86_RSI], 0x104);
	assert_int_equal(regs.gpr[X86_RDI], 0x204);

	/* Device is the source (read fault): written to ES.base + EDI. */
	dev.value = 0x12345678;
	run_ok(&in, false);
	assert_int_equal(dev.reads, 1);
	assert_int_equal(dev.lin_writes, 1);
	assert_int_equal(dev.lin_addr, 0x20204);
	assert_int_equal(dev.lin_written, 0x12345678);

	/* 64-bit mode: DS/ES bases do not apply, an FS override does. */
	in = INSN(64, "\x64\xf3\xa4"); /* rep movsb fs:[rsi] -> es:[rdi] */
	regs.seg_base[X86_SEG_FS] = 0x7000000000ull;
	regs.gpr[X86_RCX] = 2;
	regs.gpr[X86_RSI] = 0x10;
	regs.gpr[X86_RDI] = 0x20;
	assert_int_equal(run(&in, true, &complete), 0);
	assert_false(complete);
	assert_int_equal(dev.lin_addr, 0x7000000010ull);
	assert_int_equal(dev.lin_size, 1);
	assert_int_equal(run(&in, false, &complete), 0);
	assert_true(complete);
	assert_int_equal(dev.lin_addr, 0x21); /* ES base ignored */
	assert_int_equal(regs.gpr[X86_RSI], 0x12);

	/* No linear callbacks: MOVS cannot be done; nothing changes. */
	regs.gpr[X86_RCX] = 1;
	struct x86_regs before = regs;
	struct mmio_fault f = { GPA, true };
	assert_int_equal(mmio_emulate(&in, &regs, &f, &ops_no_linear, &dev,
				      &complete), MMIO_EMUL_UNSUPPORTED);
	assert_memory_equal(&regs, &before, sizeof(regs));
}

/* ---- failures leave the guest untouched ------------------------------ */

static void test_failures_change_nothing(void **state)
{
	static const struct { const char *b; size_t len; bool wr; } insns[] = {
#define I(s, wr) { s, sizeof(s) - 1, wr }
		I("\x8b\x08", false),     /* mov ecx, [rax] */
		I("\x01\x08", false),     /* add [rax], ecx (write fails) */
		I("\x03\x08", false),     /* add ecx, [rax] */
		I("\x87\x08", false),     /* xchg */
		I("\x0f\xa3\x08", false), /* bt */
		I("\xf3\xab", true),      /* rep stosd */
		I("\xf3\xad", false),     /* rep lodsd */
		I("\xf3\xa5", true),      /* rep movsd, source fails */
		I("\xf3\xa5", false),     /* rep movsd, device read fails */
#undef I
	};
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		for (unsigned which = 0; which < 3; which++) {
			struct x86_insn in = decode_ok(X86_MODE_64, insns[i].b,
						       insns[i].len);
			bool complete;
			setup(NULL);
			regs.gpr[X86_RCX] = 5;
			regs.gpr[X86_RSI] = 0x100;
			regs.gpr[X86_RDI] = 0x200;
			regs.rflags |= CF;
			dev.value = 0xffffffff;
			dev.fail_read = which == 0;
			dev.fail_write = which == 1;
			dev.fail_lin = which == 2;
			struct x86_regs before = regs;
			int rc = run(&in, insns[i].wr, &complete);
			bool fails = (which == 0 && dev.reads) ||
				     (which == 1 && dev.writes) ||
				     (which == 2 && (dev.lin_reads ||
						     dev.lin_writes));
			if (!fails)
				continue; /* that callback was not used */
			assert_int_equal(rc, MMIO_EMUL_ACCESS);
			assert_false(complete);
			assert_memory_equal(&regs, &before, sizeof(regs));
		}
	}
}

static void test_bad_insn(void **state)
{
	struct x86_insn in = INSN(64, "\x89\x08");
	struct x86_insn bad;
	bool complete;

	bad = in, bad.op_size = 3;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.reg = 16;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.reg_high8 = true; /* with a 4-byte operand */
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.op = X86_OP_COUNT;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.mem.seg = 6;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.addr_size = 1;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	bad = in, bad.mem_size = 8;
	assert_int_equal(run(&bad, true, &complete), MMIO_EMUL_BAD_INSN);
	assert_int_equal(dev.reads + dev.writes, 0);
}

/* ---- addresses ------------------------------------------------------ */

static void test_effective_and_linear_address(void **state)
{
	struct x86_insn in;

	/* [rbx+rcx*4+0x10] */
	in = INSN(64, "\x89\x44\x8b\x10");
	regs.gpr[X86_RBX] = 0x1000;
	regs.gpr[X86_RCX] = 3;
	assert_int_equal(x86_effective_address(&in, &in.mem, &regs, 0),
			 0x101c);
	/* RIP-relative: from the next instruction. */
	in = INSN(64, "\x89\x05\x00\x01\x00\x00");
	assert_int_equal(x86_effective_address(&in, &in.mem, &regs,
					       0xffffffff80001000ull),
			 0xffffffff80001106ull);
	/* Negative displacement wraps in 64 bits. */
	in = INSN(64, "\x89\x75\xf8"); /* [rbp-8] */
	regs.gpr[X86_RBP] = 4;
	assert_int_equal(x86_effective_address(&in, &in.mem, &regs, 0),
			 0xfffffffffffffffcull);
	/* 32-bit addressing in 64-bit mode drops the upper halves. */
	in = INSN(64, "\x67\x89\x14\x08"); /* [eax+ecx] */
	regs.gpr[X86_RAX] = 0x12345678fffffff0ull;
	regs.gpr[X86_RCX] = 0x20;
	assert_int_equal(x86_effective_address(&in, &in.mem, &regs, 0), 0x10);
	/* 16-bit: [bx+si] wraps at 64 KiB. */
	in = INSN(16, "\x89\x00");
	regs.gpr[X86_RBX] = 0xffff;
	regs.gpr[X86_RSI] = 2;
	assert_int_equal(x86_effective_address(&in, &in.mem, &regs, 0), 1);
	/* Real mode: DS base added, 32-bit linear. */
	regs.seg_base[X86_SEG_DS] = 0xf0000;
	assert_int_equal(x86_linear_address(&in, &in.mem, &regs, 0), 0xf0001);
	/* [bp+si] uses SS. */
	in = INSN(16, "\x89\x02");
	regs.gpr[X86_RBP] = 0x10;
	regs.seg_base[X86_SEG_SS] = 0x20000;
	assert_int_equal(x86_linear_address(&in, &in.mem, &regs, 0), 0x20012);
	/* 32-bit mode: base + offset wraps at 4 GiB. */
	in = INSN(32, "\x89\x08"); /* [eax] */
	regs.gpr[X86_RAX] = 0x20;
	regs.seg_base[X86_SEG_DS] = 0xfffffff0;
	assert_int_equal(x86_linear_address(&in, &in.mem, &regs, 0), 0x10);
	/* 64-bit mode: DS base ignored, GS base used. */
	in = INSN(64, "\x89\x08");
	assert_int_equal(x86_linear_address(&in, &in.mem, &regs, 0), 0x20);
	in = INSN(64, "\x65\x89\x08");
	regs.seg_base[X86_SEG_GS] = 0xffff888000000000ull;
	assert_int_equal(x86_linear_address(&in, &in.mem, &regs, 0),
			 0xffff888000000020ull);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mov_load_sizes, setup),
		cmocka_unit_test_setup(test_mov_store, setup),
		cmocka_unit_test_setup(test_movzx_movsx, setup),
		cmocka_unit_test_setup(test_alu_flags, setup),
		cmocka_unit_test_setup(test_alu_register_destination_widths,
				       setup),
		cmocka_unit_test_setup(test_bt, setup),
		cmocka_unit_test_setup(test_xchg, setup),
		cmocka_unit_test_setup(test_stos_lods_single, setup),
		cmocka_unit_test_setup(test_rep_stos_one_iteration_per_call,
				       setup),
		cmocka_unit_test_setup(test_string_address_sizes, setup),
		cmocka_unit_test_setup(test_movs, setup),
		cmocka_unit_test_setup(test_failures_change_nothing, setup),
		cmocka_unit_test_setup(test_bad_insn, setup),
		cmocka_unit_test_setup(test_effective_and_linear_address,
				       setup),
	};
	return cmocka_run_group_tests_name("mmio_emulate", tests, NULL, NULL);
}
