/*
 * libFuzzer harness for what a guest controls in MMIO emulation: the
 * instruction bytes (vmm/insn/x86_decode.c), the instruction's effect
 * (vmm/insn/mmio_emulate.c) and the page tables Volt walks to fetch it
 * (vmm/guest_walk.c).
 *
 * Input: the first 15 bytes are the instruction; the rest seeds the
 * registers and device values, and doubles as "guest RAM" holding page
 * tables for a walk. Each input is decoded in all three modes. Any crash,
 * sanitizer report or broken invariant (abort) is a bug: turn the input
 * into a unit test in tests/unit/test_x86_decode.c, test_mmio_emulate.c
 * or test_guest_walk.c, then fix. Run: make fuzz-decode [FUZZ_SECONDS=60].
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/guest_walk.h"
#include "vmm/insn/mmio_emulate.h"
#include "vmm/insn/x86_decode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

/* The input after the instruction, read cyclically as 64-bit values. */
struct seed {
	const uint8_t *p;
	size_t len, pos;
};

static uint64_t next64(struct seed *s)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8 && s->len; i++) {
		v = v << 8 | s->p[s->pos];
		s->pos = (s->pos + 1) % s->len;
	}
	return v;
}

struct dev {
	struct seed *seed;
	unsigned calls;
};

/* Device and RAM callbacks: values from the input; every seventh call
 * fails, to exercise the "nothing changes on failure" paths. */
static int cb_result(struct dev *d)
{
	return ++d->calls % 7 == 0;
}

static int dev_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *val)
{
	(void)gpa;
	check(size == 1 || size == 2 || size == 4 || size == 8);
	*val = next64(((struct dev *)ctx)->seed);
	return cb_result(ctx);
}

static int dev_write(void *ctx, uint64_t gpa, unsigned size, uint64_t val)
{
	(void)gpa;
	check(size == 1 || size == 2 || size == 4 || size == 8);
	check(size == 8 || val >> (8 * size) == 0);
	return cb_result(ctx);
}

static void check_insn(const struct x86_insn *in, size_t size)
{
	check(in->len >= 1 && in->len <= X86_MAX_INSN_LEN && in->len <= size);
	check((unsigned)in->op < X86_OP_COUNT);
	check(in->op_size == 1 || in->op_size == 2 || in->op_size == 4 ||
	      in->op_size == 8);
	check(in->mem_size >= 1 && in->mem_size <= in->op_size);
	check(in->addr_size == 2 || in->addr_size == 4 || in->addr_size == 8);
	check(in->reg < X86_GPR_COUNT && (!in->reg_high8 || in->reg < 4));
	check(in->mem.seg < X86_SEG_COUNT && in->mem.base < X86_GPR_COUNT &&
	      in->mem.index < X86_GPR_COUNT);
	check(!in->mem.rip_rel || in->mode == X86_MODE_64);
	check(in->mode == X86_MODE_64 || !in->rex);
}

/* A successful decode of length L is the same from exactly L bytes,
 * and every shorter prefix is TRUNCATED. */
static void check_prefixes(const uint8_t *data, const struct x86_insn *in)
{
	struct x86_insn again;
	check(x86_decode(data, in->len, in->mode, &again) == 0);
	check(memcmp(&again, in, sizeof(again)) == 0);
	for (size_t cut = 0; cut < in->len; cut++)
		check(x86_decode(data, cut, in->mode, &again) ==
		      X86_DECODE_TRUNCATED);
}

static void emulate(const struct x86_insn *in, struct seed *seed)
{
	static const struct mmio_emul_ops ops = { dev_read, dev_write,
						  dev_read, dev_write };
	struct dev d = { seed, 0 };
	struct x86_regs regs, before;
	struct mmio_fault fault;
	bool complete;

	for (unsigned i = 0; i < X86_GPR_COUNT; i++)
		regs.gpr[i] = next64(seed);
	for (unsigned i = 0; i < X86_SEG_COUNT; i++)
		regs.seg_base[i] = next64(seed);
	regs.rflags = next64(seed);
	fault.gpa = next64(seed);
	fault.write = fault.gpa & 1;
	(void)x86_linear_address(in, &in->mem, &regs, next64(seed));

	before = regs;
	int rc = mmio_emulate(in, &regs, &fault, &ops, &d, &complete);
	check(rc == MMIO_EMUL_OK || rc == MMIO_EMUL_ACCESS);
	if (rc) {
		check(memcmp(&regs, &before, sizeof(regs)) == 0 && !complete);
		return;
	}
	/* Only the status flags may change; segment bases never. */
	check((regs.rflags & ~X86_RFLAGS_STATUS) ==
	      (before.rflags & ~X86_RFLAGS_STATUS));
	check(memcmp(regs.seg_base, before.seg_base,
		     sizeof(regs.seg_base)) == 0);
	check(complete || in->rep != X86_REP_NONE);
}

/* Guest RAM is the input itself: page tables full of fuzz. */
struct ram {
	const uint8_t *p;
	size_t len;
};

static const void *ram_ptr(void *opaque, uint64_t gpa, size_t len)
{
	const struct ram *r = opaque;
	check(len >= 1 && len <= 4096 && (gpa & 0xfff) + len <= 4096);
	if (gpa >= r->len || len > r->len - gpa)
		return NULL;
	return r->p + gpa;
}

static void walk(const uint8_t *data, size_t size, struct seed *seed)
{
	struct ram ram = { data, size };
	struct guest_walk_ctx c = {
		.cr0 = next64(seed), .cr3 = next64(seed) & 0xffff,
		.cr4 = next64(seed), .efer = next64(seed),
		.rflags = next64(seed), .maxphyaddr = (uint8_t)next64(seed),
		.gpa_ptr = ram_ptr, .opaque = &ram,
	};
	uint64_t gva = next64(seed), gpa;
	uint32_t pfec;
	uint8_t buf[X86_MAX_INSN_LEN];
	size_t copied;

	unsigned access = (unsigned)next64(seed) &
		(GUEST_ACCESS_WRITE | GUEST_ACCESS_USER | GUEST_ACCESS_FETCH);
	int rc = guest_walk(&c, gva, access, &gpa, &pfec);
	check(rc <= 0 && rc >= GUEST_WALK_UNSUPPORTED);
	check(rc == GUEST_WALK_PAGE_FAULT || pfec == 0);
	check(pfec < 32);
	rc = guest_read_virt(&c, gva, access, buf, sizeof(buf), &copied,
			     &pfec);
	check(copied <= sizeof(buf) && (rc != 0 || copied == sizeof(buf)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum x86_cpu_mode modes[] = { X86_MODE_16, X86_MODE_32,
						   X86_MODE_64 };
	size_t insn_len = size < X86_MAX_INSN_LEN ? size : X86_MAX_INSN_LEN;
	struct seed seed = { data + insn_len, size - insn_len, 0 };

	for (unsigned m = 0; m < 3; m++) {
		struct x86_insn in;
		int rc = x86_decode(data, size, modes[m], &in);
		check(rc <= 0 && rc >= X86_DECODE_INVALID);
		if (rc)
			continue;
		check_insn(&in, size);
		check_prefixes(data, &in);
		emulate(&in, &seed);
	}
	walk(data, size, &seed);
	return 0;
}
