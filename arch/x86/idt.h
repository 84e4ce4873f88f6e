/*
 * The interrupt descriptor table and the trap frame every entry stub builds.
 *
 * Intel SDM vol. 3A: 6.10 (IDT), 6.14.1 (64-bit IDT gate descriptors),
 * 6.14.2 (64-bit mode stack frame), 6.15 (which exceptions push an error
 * code).
 *
 * One IDT with 256 gates is shared by all processors. Each gate points at a
 * tiny stub in isr.asm that pushes the vector (and a dummy error code where
 * the CPU pushes none), saves the general registers and calls
 * trap_dispatch(). A handler registered with idt_set_handler() runs first;
 * otherwise exceptions (vectors 0-31) produce a fault report and stop the
 * CPU, NMIs are reported and ignored, and other vectors are counted and
 * reported once each.
 */
#ifndef VOLT_ARCH_X86_IDT_H
#define VOLT_ARCH_X86_IDT_H

#include <stddef.h>
#include <stdint.h>

#define IDT_VECTORS 256
#define EXCEPTION_VECTORS 32 /* 0-31 are reserved for exceptions */

/* Architectural exception vectors (SDM vol. 3A table 6-1), plus AMD's. */
enum exception_vector {
	VEC_DE = 0,  /* divide error */
	VEC_DB = 1,  /* debug */
	VEC_NMI = 2,
	VEC_BP = 3,  /* breakpoint (int3) */
	VEC_OF = 4,
	VEC_BR = 5,
	VEC_UD = 6,  /* invalid opcode */
	VEC_NM = 7,
	VEC_DF = 8,  /* double fault */
	VEC_TS = 10,
	VEC_NP = 11,
	VEC_SS = 12,
	VEC_GP = 13, /* general protection */
	VEC_PF = 14, /* page fault */
	VEC_MF = 16,
	VEC_AC = 17,
	VEC_MC = 18, /* machine check */
	VEC_XM = 19,
	VEC_VE = 20,
	VEC_CP = 21,
	VEC_HV = 28, /* AMD: hypervisor injection */
	VEC_VC = 29, /* AMD: VMM communication */
	VEC_SX = 30, /* AMD: security exception */
};

/*
 * What the stubs leave on the stack, lowest address first. isr.asm pushes
 * the general registers (rax last, so it sits lowest) below the vector and
 * error code; the CPU pushed rip..ss on entry (in 64-bit mode it always
 * pushes SS:RSP). Handlers may change fields: the stub restores them.
 */
struct trap_frame {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t vector;
	uint64_t error_code; /* 0 for vectors without one */
	uint64_t rip, cs, rflags, rsp, ss;
};

/* Offsets isr.asm relies on (it has its own copies; checked here). */
#define TRAP_FRAME_GPRS 15
#define TRAP_FRAME_VECTOR_OFFSET 120
#define TRAP_FRAME_RIP_OFFSET 136
#define TRAP_FRAME_SIZE 176
_Static_assert(offsetof(struct trap_frame, rax) == 0, "rax pushed last");
_Static_assert(offsetof(struct trap_frame, r15) ==
		       (TRAP_FRAME_GPRS - 1) * 8, "r15 pushed first");
_Static_assert(offsetof(struct trap_frame, vector) == TRAP_FRAME_VECTOR_OFFSET,
	       "isr.asm: vector above the registers");
_Static_assert(offsetof(struct trap_frame, error_code) ==
		       TRAP_FRAME_VECTOR_OFFSET + 8, "isr.asm: error code");
_Static_assert(offsetof(struct trap_frame, rip) == TRAP_FRAME_RIP_OFFSET,
	       "isr.asm: CPU frame starts at rip");
_Static_assert(sizeof(struct trap_frame) == TRAP_FRAME_SIZE,
	       "isr.asm: frame size");

typedef void (*trap_handler_fn)(struct trap_frame *f);

/* Build the shared IDT (once, on CPU 0, before any cpu_tables_init()). */
void idt_init(void);

/* Load the shared IDT on this CPU (cpu_tables_init() does it). */
void idt_load(void);

/*
 * Route `vector` to fn (NULL restores the default). Used for interrupts
 * (LAPIC timer, IPIs, spurious); the handler sends any EOI itself. It runs
 * with interrupts disabled (all gates are interrupt gates).
 */
void idt_set_handler(uint8_t vector, trap_handler_fn fn);

/* Run the handler of an interrupt a VM exit acknowledged (and EOI it when
 * nobody handles that vector). Interrupts disabled. */
void idt_dispatch_acknowledged(uint8_t vector);

/* How many times an interrupt vector without a handler arrived. */
uint64_t idt_unexpected_count(uint8_t vector);

/* Called by isr.asm only. */
void trap_dispatch(struct trap_frame *f);

/* traps.c: the default handling of exceptions and NMIs. */
void trap_report_exception(struct trap_frame *f) __attribute__((noreturn));
void trap_report_nmi(struct trap_frame *f);
/* The first arrival of an interrupt vector nobody registered. */
void trap_report_unexpected(struct trap_frame *f);

#endif
