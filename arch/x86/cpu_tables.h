/*
 * Per-CPU descriptor tables: the GDT, the 64-bit TSS and its IST stacks.
 *
 * Intel SDM vol. 3A: 3.4.5 (segment descriptors), 5.2.1 (code and data
 * descriptors in 64-bit mode), 7.2.3 (TSS descriptor in 64-bit mode),
 * 7.7 (64-bit TSS), 6.14.5 (interrupt stack table).
 *
 * Every processor owns one struct cpu_tables (inside its struct percpu) and
 * loads it itself with cpu_tables_init(). Each CPU needs its own TSS because
 * `ltr` marks the TSS descriptor busy and the IST stacks must not be shared;
 * the IDT (idt.h) is one table shared by all.
 *
 * Ownership: written only by the CPU it belongs to, except the IST stack
 * tops, which CPU 0 may fill with cpu_tables_alloc_ist() before that CPU
 * starts.
 */
#ifndef VOLT_ARCH_X86_CPU_TABLES_H
#define VOLT_ARCH_X86_CPU_TABLES_H

#include <stdint.h>

/*
 * GDT layout, identical on every CPU. The selectors are fixed and named:
 * VT-x later copies them into the VMCS host-state area, and the host TR
 * selector must not be zero (SDM vol. 3C, "Checks on Host Segment and
 * Descriptor-Table Registers", 26.2.3 in older editions).
 */
#define GDT_NULL_SEL 0x00
#define GDT_KERNEL_CS 0x08
#define GDT_KERNEL_DS 0x10
#define GDT_TSS_SEL 0x18 /* a 16-byte descriptor: occupies slots 3 and 4 */
#define GDT_ENTRIES 5

/* Interrupt stack table slots (1-based, as the IDT gate's IST field). */
#define IST_DOUBLE_FAULT 1
#define IST_NMI 2
#define IST_MACHINE_CHECK 3
#define IST_STACKS 3
#define IST_STACK_PAGES 4 /* 16 KiB each: enough for a full fault report */
#define IST_STACK_BYTES (IST_STACK_PAGES * 4096ull) /* 4 KiB pages */

/*
 * The 64-bit TSS (SDM vol. 3A 7.7, figure 7-11). In long mode it holds no
 * task state, only stack pointers: RSP0-2 for privilege changes (Volt runs
 * everything in ring 0, so they stay 0) and IST1-7.
 */
struct __attribute__((packed)) tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7]; /* ist[0] is IST1 */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base; /* >= limit: no I/O permission bitmap */
};

#define TSS64_SIZE 104 /* TR limit 0x67, which is also what a VM exit sets */

struct cpu_tables {
	uint64_t gdt[GDT_ENTRIES] __attribute__((aligned(16)));
	/* 128-byte alignment keeps the 104-byte TSS inside one page. */
	struct tss64 tss __attribute__((aligned(128)));
	uint64_t ist_top[IST_STACKS]; /* ist_top[0] is IST1; 0: not allocated */
	/* Exception reports in progress on this CPU (traps.c), to stop a
	 * fault inside the report from recursing forever. */
	uint32_t trap_depth;
};

struct percpu;

/*
 * Run by each CPU on itself, interrupts disabled: builds this CPU's GDT and
 * TSS, loads them (lgdt, far return into the new CS, data segments, ltr),
 * points GS.base at c (so this_cpu() works; sets c->self) and loads the
 * shared IDT, which idt_init() must have built. Allocates the IST stacks if
 * cpu_tables_alloc_ist() has not.
 */
void cpu_tables_init(struct percpu *c);

/*
 * Allocate c's IST stacks (each with a guard page below) unless already
 * done. CPU 0 may call this for every processor before starting it, so that
 * application processors never allocate memory themselves.
 */
void cpu_tables_alloc_ist(struct percpu *c);

#endif
