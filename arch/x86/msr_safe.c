/*
 * rdmsr_safe / wrmsr_safe: MSR accesses whose #GP is turned into -1
 * (see msr_safe.h), and the hardware msr_io / cpuid_io the P-state and
 * RAPL drivers run on in Volt.
 *
 * The fixup (Intel SDM vol. 3A 6.15, #GP: "the saved RIP points to the
 * faulting instruction"): each accessor executes its RDMSR or WRMSR at a
 * global label, with RSI = 0. The #GP handler, registered with
 * idt_set_handler(), compares the saved RIP with the two labels; on a
 * match it moves RIP to the label right after the instruction and sets
 * the saved RSI to 1, which the interrupt stub restores (idt.h: handlers
 * may change the frame). Any other #GP goes to the usual fault report.
 *
 * The labels exist once: the accessors are never inlined or cloned (a
 * second copy would be an assembler error, never a silent miss).
 */
#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "arch/x86/idt.h"
#include "arch/x86/msr_safe.h"

#define HIDDEN __attribute__((visibility("hidden")))

/* Defined by the inline assembly below. */
extern const char msr_safe_rd_insn[] HIDDEN, msr_safe_rd_done[] HIDDEN;
extern const char msr_safe_wr_insn[] HIDDEN, msr_safe_wr_done[] HIDDEN;

static bool fixup_installed;

static void msr_safe_gp(struct trap_frame *f)
{
	if (f->rip == (uint64_t)(uintptr_t)msr_safe_rd_insn) {
		f->rip = (uint64_t)(uintptr_t)msr_safe_rd_done;
		f->rsi = 1;
		return;
	}
	if (f->rip == (uint64_t)(uintptr_t)msr_safe_wr_insn) {
		f->rip = (uint64_t)(uintptr_t)msr_safe_wr_done;
		f->rsi = 1;
		return;
	}
	trap_report_exception(f);
}

/* Idempotent: two CPUs racing here store the same pointer. */
static void msr_safe_install(void)
{
	if (__atomic_load_n(&fixup_installed, __ATOMIC_ACQUIRE))
		return;
	idt_set_handler(VEC_GP, msr_safe_gp);
	__atomic_store_n(&fixup_installed, true, __ATOMIC_RELEASE);
}

__attribute__((noinline, noclone)) int rdmsr_safe(uint32_t msr, uint64_t *v)
{
	uint32_t lo = 0, hi = 0;
	uint64_t failed = 0;

	msr_safe_install();
	__asm__ volatile(".globl msr_safe_rd_insn\n\t"
			 ".hidden msr_safe_rd_insn\n"
			 "msr_safe_rd_insn:\n\t"
			 "rdmsr\n\t"
			 ".globl msr_safe_rd_done\n\t"
			 ".hidden msr_safe_rd_done\n"
			 "msr_safe_rd_done:"
			 : "+a"(lo), "+d"(hi), "+S"(failed)
			 : "c"(msr));
	if (failed) {
		*v = 0;
		return -1;
	}
	*v = ((uint64_t)hi << 32) | lo;
	return 0;
}

__attribute__((noinline, noclone)) int wrmsr_safe(uint32_t msr, uint64_t v)
{
	uint64_t failed = 0;

	msr_safe_install();
	__asm__ volatile(".globl msr_safe_wr_insn\n\t"
			 ".hidden msr_safe_wr_insn\n"
			 "msr_safe_wr_insn:\n\t"
			 "wrmsr\n\t"
			 ".globl msr_safe_wr_done\n\t"
			 ".hidden msr_safe_wr_done\n"
			 "msr_safe_wr_done:"
			 : "+S"(failed)
			 : "c"(msr), "a"((uint32_t)v),
			   "d"((uint32_t)(v >> 32))
			 : "memory");
	return failed ? -1 : 0;
}

static void hw_cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	struct cpuid_regs x;

	cpuid(leaf, sub, &x);
	r[CPUID_EAX] = x.eax;
	r[CPUID_EBX] = x.ebx;
	r[CPUID_ECX] = x.ecx;
	r[CPUID_EDX] = x.edx;
}

static const struct msr_io hw_msr_io = { rdmsr_safe, wrmsr_safe };
static const struct cpuid_io hw_cpuid_io = { hw_cpuid };

const struct msr_io *msr_io_hw(void)
{
	return &hw_msr_io;
}

const struct cpuid_io *cpuid_io_hw(void)
{
	return &hw_cpuid_io;
}
