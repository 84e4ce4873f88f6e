/*
 * Default handling of exceptions, NMIs and stray interrupts: the fault
 * report a student reads on the serial console.
 *
 * Intel SDM vol. 3A 6.15 describes each exception (what the saved RIP
 * points at, what the error code means); 4.7 the #PF error code and CR2.
 * The report ends with machine_stop_after_fault() (power.h).
 *
 * A fault inside the report itself (a bad stack, a console that faults...)
 * must not recurse forever: a per-CPU depth counter lets the first nested
 * fault print one line and stop, and any deeper one just halts.
 */
#include <stdint.h>
#include "arch/x86/backtrace.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/idt.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/power.h"
#include "arch/x86/trap_decode.h"
#include "lib/console.h"
#include "lib/format.h"

#define PAGE_BYTES 4096ull
/* No Volt stack is larger; used only to decide which stack RSP is on. */
#define KSTACK_MAX_BYTES (64 * 1024ull)
#define ERROR_TEXT_MAX 160

/* Depth counter for a CPU whose GS.base cannot be trusted (see below). */
static uint32_t orphan_trap_depth;

/*
 * The faulting CPU's struct percpu, or NULL if GS.base does not point into
 * cpus[]: the fault may have hit before cpu_tables_init() finished, and a
 * report must not fault on its own bookkeeping.
 */
static struct percpu *trap_cpu(void)
{
	uint64_t gs = rdmsr(MSR_GS_BASE);
	uint64_t first = (uint64_t)(uintptr_t)&cpus[0];
	uint64_t end = (uint64_t)(uintptr_t)&cpus[MAX_CPUS];
	if (gs < first || gs >= end || (gs - first) % sizeof(struct percpu))
		return NULL;
	return (struct percpu *)(uintptr_t)gs;
}

static long trap_cpu_number(const struct percpu *c)
{
	return c ? (long)c->index : -1;
}

/* Is rsp inside the stack whose top is `top` and size at most `bytes`? */
static int on_stack(uint64_t rsp, uint64_t top, uint64_t bytes)
{
	return top && rsp < top && rsp >= top - bytes;
}

/*
 * The part of the interrupted stack the backtrace may read: from RSP up to
 * the top of the stack it is on. On a stack Volt does not know (a loader's
 * boot stack), only the page holding RSP is known to be mapped.
 */
static void trap_stack_range(const struct percpu *c, uint64_t rsp,
			     uint64_t *lo, uint64_t *hi)
{
	*lo = rsp;
	*hi = (rsp | (PAGE_BYTES - 1)) + 1;
	if (!c)
		return;
	for (unsigned i = 0; i < IST_STACKS; i++) {
		if (on_stack(rsp, c->tables.ist_top[i], IST_STACK_BYTES)) {
			*hi = c->tables.ist_top[i];
			return;
		}
	}
	if (on_stack(rsp, c->stack_top, KSTACK_MAX_BYTES))
		*hi = c->stack_top;
}

static void trap_print_backtrace(const struct percpu *c,
				 const struct trap_frame *f)
{
	struct backtrace bt;
	uint64_t lo, hi;

	trap_stack_range(c, f->rsp, &lo, &hi);
	backtrace_walk(f->rbp, lo, hi, &bt);
	printk("  backtrace (stack 0x%lx-0x%lx):\n", (unsigned long)lo,
	       (unsigned long)hi);
	printk("    #0  0x%016lx (RIP)\n", (unsigned long)f->rip);
	for (unsigned i = 0; i < bt.depth; i++)
		printk("    #%-2u 0x%016lx\n", i + 1, (unsigned long)bt.ret[i]);
	printk("  backtrace ends: %s\n", backtrace_stop_reason(bt.stop));

	/* One line to paste into tools/symbolize.sh. */
	char line[32 + 19 * (BACKTRACE_MAX_DEPTH + 1)];
	int n = volt_snprintf(line, sizeof(line), "0x%lx",
			      (unsigned long)f->rip);
	for (unsigned i = 0; i < bt.depth && n < (int)sizeof(line); i++)
		n += volt_snprintf(line + n, sizeof(line) - (size_t)n,
				   " 0x%lx", (unsigned long)bt.ret[i]);
	printk("  symbolize: tools/symbolize.sh build/volt.elf %s\n", line);
}

static void trap_print_registers(const struct trap_frame *f, uint64_t cr2)
{
	printk("  RIP 0x%016lx CS 0x%04lx RFLAGS 0x%016lx\n",
	       (unsigned long)f->rip, (unsigned long)f->cs,
	       (unsigned long)f->rflags);
	printk("  RSP 0x%016lx SS 0x%04lx\n", (unsigned long)f->rsp,
	       (unsigned long)f->ss);
	printk("  CR0 0x%016lx CR2 0x%016lx\n", (unsigned long)read_cr0(),
	       (unsigned long)cr2);
	printk("  CR3 0x%016lx CR4 0x%016lx\n", (unsigned long)read_cr3(),
	       (unsigned long)read_cr4());
	printk("  RAX 0x%016lx RBX 0x%016lx RCX 0x%016lx\n",
	       (unsigned long)f->rax, (unsigned long)f->rbx,
	       (unsigned long)f->rcx);
	printk("  RDX 0x%016lx RSI 0x%016lx RDI 0x%016lx\n",
	       (unsigned long)f->rdx, (unsigned long)f->rsi,
	       (unsigned long)f->rdi);
	printk("  RBP 0x%016lx R8  0x%016lx R9  0x%016lx\n",
	       (unsigned long)f->rbp, (unsigned long)f->r8,
	       (unsigned long)f->r9);
	printk("  R10 0x%016lx R11 0x%016lx R12 0x%016lx\n",
	       (unsigned long)f->r10, (unsigned long)f->r11,
	       (unsigned long)f->r12);
	printk("  R13 0x%016lx R14 0x%016lx R15 0x%016lx\n",
	       (unsigned long)f->r13, (unsigned long)f->r14,
	       (unsigned long)f->r15);
}

static void trap_print_error_code(const struct trap_frame *f)
{
	char text[ERROR_TEXT_MAX];
	unsigned v = (unsigned)f->vector;

	if (!trap_vector_has_error_code(v))
		return;
	trap_decode_error_code(v, f->error_code, text, sizeof(text));
	printk("  error code 0x%lx%s%s\n", (unsigned long)f->error_code,
	       text[0] ? ": " : "", text);
}

/* A hint where the cause is often not where RIP points. */
static void trap_print_hint(const struct trap_frame *f, uint64_t cr2)
{
	if (f->vector == VEC_PF)
		printk("  the access to 0x%lx (CR2) faulted\n",
		       (unsigned long)cr2);
	else if (f->vector == VEC_DF)
		printk("  a fault while delivering another one (the saved RIP "
		       "may be stale)\n");
	/* A #PF on the stack itself cannot be delivered: it becomes #DF. */
	if (f->vector == VEC_DF && cr2 < f->rsp + PAGE_BYTES &&
	    cr2 + PAGE_BYTES > f->rsp)
		printk("  CR2 0x%lx is next to RSP: a stack overflow into the "
		       "guard page\n", (unsigned long)cr2);
}

/* A fault inside the report: say so once, then stop without recursing. */
static void __attribute__((noreturn))
trap_nested(const struct percpu *c, const struct trap_frame *f,
	    uint32_t depth)
{
	if (depth == 1) {
		printk("EXCEPTION: %s (vector %lu) inside the exception report "
		       "on CPU %ld, RIP 0x%lx; stopping\n",
		       trap_vector_mnemonic((unsigned)f->vector),
		       (unsigned long)f->vector, trap_cpu_number(c),
		       (unsigned long)f->rip);
		machine_stop_after_fault();
	}
	cpu_halt_forever();
}

void trap_report_exception(struct trap_frame *f)
{
	uint64_t cr2 = read_cr2(); /* first, before anything can fault again */
	struct percpu *c = trap_cpu();
	uint32_t *depth = c ? &c->tables.trap_depth : &orphan_trap_depth;
	unsigned v = (unsigned)f->vector;

	if ((*depth)++ > 0)
		trap_nested(c, f, *depth - 1);

	printk("EXCEPTION: %s (vector %u, %s) on CPU %ld\n",
	       trap_vector_mnemonic(v), v, trap_vector_description(v),
	       trap_cpu_number(c));
	trap_print_error_code(f);
	trap_print_hint(f, cr2);
	trap_print_registers(f, cr2);
	trap_print_backtrace(c, f);
	machine_stop_after_fault();
}

void trap_report_nmi(struct trap_frame *f)
{
	printk("NMI on CPU %ld (RIP 0x%lx); continuing\n",
	       trap_cpu_number(trap_cpu()), (unsigned long)f->rip);
}

void trap_report_unexpected(struct trap_frame *f)
{
	printk("interrupt: unexpected vector %lu on CPU %ld (no handler; "
	       "spurious?); later ones are only counted\n",
	       (unsigned long)f->vector, trap_cpu_number(trap_cpu()));
}
