/*
 * The shared IDT and the C side of interrupt dispatch (see idt.h).
 *
 * Intel SDM vol. 3A 6.14.1: a 64-bit gate is 16 bytes: the handler's
 * address split in three, the code selector, an IST index (6.14.5) and the
 * type. Every gate is an interrupt gate (type 0xE), so the CPU clears IF on
 * entry: a handler is never interrupted by a maskable interrupt, and an
 * exception report is never interleaved with a timer tick.
 */
#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/idt.h"
#include "arch/x86/lapic.h"
#include "lib/console.h"

#define GATE_TYPE_INTERRUPT 0xeu /* 64-bit interrupt gate: clears IF */
#define GATE_DPL0 (0u << 5)      /* only ring 0 (or the CPU) may invoke */
#define GATE_PRESENT (1u << 7)
#define GATE_IST_MASK 0x7u

struct __attribute__((packed)) idt_gate {
	uint16_t offset_low;  /* handler bits 15:0 */
	uint16_t selector;    /* code segment to run the handler in */
	uint8_t ist;          /* bits 2:0: IST slot, 0 = stay on this stack */
	uint8_t type_attr;    /* type, DPL, present */
	uint16_t offset_mid;  /* bits 31:16 */
	uint32_t offset_high; /* bits 63:32 */
	uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "SDM figure 6-8");

/* isr.asm: stub addresses, one per vector. */
extern const uint64_t isr_stub_table[IDT_VECTORS]
	__attribute__((visibility("hidden")));

static struct idt_gate idt[IDT_VECTORS] __attribute__((aligned(16)));
static bool idt_built;

/* Written by any CPU with idt_set_handler(), read by all in trap_dispatch. */
static trap_handler_fn handlers[IDT_VECTORS];
static uint64_t unexpected_counts[IDT_VECTORS];

/*
 * Events that can arrive when the current stack cannot be trusted get a
 * known-good stack of their own: #DF (often a stack overflow into a guard
 * page), NMI and #MC (they can interrupt any instruction, even the first
 * one of another handler).
 */
static unsigned idt_ist_for(unsigned vector)
{
	switch (vector) {
	case VEC_DF:
		return IST_DOUBLE_FAULT;
	case VEC_NMI:
		return IST_NMI;
	case VEC_MC:
		return IST_MACHINE_CHECK;
	default:
		return 0;
	}
}

static void idt_set_gate(unsigned vector, uint64_t handler, unsigned ist)
{
	struct idt_gate *g = &idt[vector];
	g->offset_low = (uint16_t)handler;
	g->offset_mid = (uint16_t)(handler >> 16);
	g->offset_high = (uint32_t)(handler >> 32);
	g->selector = GDT_KERNEL_CS;
	g->ist = (uint8_t)(ist & GATE_IST_MASK);
	g->type_attr = GATE_PRESENT | GATE_DPL0 | GATE_TYPE_INTERRUPT;
	g->reserved = 0;
}

void idt_init(void)
{
	for (unsigned v = 0; v < IDT_VECTORS; v++)
		idt_set_gate(v, isr_stub_table[v], idt_ist_for(v));
	idt_built = true;
}

void idt_load(void)
{
	if (!idt_built)
		panic("idt: idt_init() must run before the IDT is loaded");
	struct desc_ptr p = { sizeof(idt) - 1, (uint64_t)(uintptr_t)idt };
	lidt(&p);
}

void idt_set_handler(uint8_t vector, trap_handler_fn fn)
{
	__atomic_store_n(&handlers[vector], fn, __ATOMIC_RELEASE);
}

uint64_t idt_unexpected_count(uint8_t vector)
{
	return __atomic_load_n(&unexpected_counts[vector], __ATOMIC_RELAXED);
}

void trap_dispatch(struct trap_frame *f)
{
	uint8_t v = (uint8_t)f->vector;
	trap_handler_fn fn = __atomic_load_n(&handlers[v], __ATOMIC_ACQUIRE);

	if (fn) {
		fn(f);
	} else if (v == VEC_NMI) {
		trap_report_nmi(f);
	} else if (v < EXCEPTION_VECTORS) {
		trap_report_exception(f);
	} else if (__atomic_fetch_add(&unexpected_counts[v], 1,
				      __ATOMIC_RELAXED) == 0) {
		/* Report each stray vector once; count the rest silently. */
		trap_report_unexpected(f);
	}
}

/*
 * A VM exit with "acknowledge interrupt on exit" (SDM vol. 3C 25.7.1,
 * 27.2.2) has already taken the interrupt from the local APIC (its ISR bit
 * is set) without running the handler: run it now, as if the interrupt had
 * arrived in Volt. A vector without a handler is counted like any stray
 * one and gets its EOI here, so it cannot block lower-priority interrupts.
 */
void idt_dispatch_acknowledged(uint8_t vector)
{
	trap_handler_fn fn = __atomic_load_n(&handlers[vector], __ATOMIC_ACQUIRE);
	struct trap_frame f = { .vector = vector };

	if (fn) {
		fn(&f);
		return;
	}
	if (__atomic_fetch_add(&unexpected_counts[vector], 1,
			       __ATOMIC_RELAXED) == 0)
		trap_report_unexpected(&f);
	lapic_eoi();
}
