/*
 * How a vCPU starts: the CPU state a loader asks for. Generic (no VT-x):
 * loaders (vmm/loader/) fill it, the backend turns it into guest state.
 *
 *   VCPU_BOOT_REAL16  real mode, CS:IP = real_cs:entry (Volt's flat test
 *                     guests: 0:entry; an AP after a start-up IPI with
 *                     vector v: (v << 8):0)
 *   VCPU_BOOT_PROT32  32-bit protected mode, paging off, flat 4 GiB code
 *                     and data segments (Multiboot; Linux's 32-bit entry)
 *   VCPU_BOOT_LONG64  64-bit mode with the loader's page tables at cr3
 *                     (Linux's 64-bit entry)
 *
 * In the two protected modes the segment registers hold the selectors
 * given here with flat descriptors cached; gdt_base/gdt_limit describe the
 * GDT the loader wrote into guest memory holding those descriptors (a
 * guest may reload segment registers from it before setting up its own).
 * Interrupts are disabled (RFLAGS = 2) in every mode.
 */
#ifndef VOLT_VMM_VCPU_BOOT_H
#define VOLT_VMM_VCPU_BOOT_H

#include <stdint.h>

enum vcpu_boot_mode {
	VCPU_BOOT_REAL16 = 0,
	VCPU_BOOT_PROT32,
	VCPU_BOOT_LONG64,
};

struct vcpu_boot {
	enum vcpu_boot_mode mode;
	uint64_t entry;     /* RIP (REAL16: IP) */
	uint16_t real_cs;   /* REAL16: CS (base = real_cs << 4) */
	uint64_t stack;     /* RSP */
	uint64_t cr3;       /* LONG64: guest-physical PML4 */
	uint64_t gdt_base;  /* PROT32/LONG64: guest-physical GDT */
	uint16_t gdt_limit;
	uint16_t code_sel;  /* PROT32/LONG64: CS selector (flat, 32/64-bit) */
	uint16_t data_sel;  /* DS, ES, SS, FS, GS selector (flat data) */
	/* initial general registers the entry convention names */
	uint64_t rax, rbx, rsi;
};

#endif
