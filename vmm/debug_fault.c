/*
 * Deliberate faults, so the system tests can check that an exception on a
 * running Volt produces a full report and a clean stop. Plain C: each case
 * is an access the processor refuses.
 */
#include <stdint.h>
#include "lib/console.h"
#include "vmm/debug_fault.h"
#include "vmm/options.h"

/* Canonical, but far above any RAM Volt maps: reading it is a #PF. */
#define UNMAPPED_ADDRESS 0x0000700000000000ull
/* Not canonical (bits 63:47 differ): any access is a #GP. */
#define NONCANONICAL_ADDRESS 0x8000000000000000ull

void debug_fault_trigger(int kind)
{
	volatile uint64_t *p;
	volatile int zero = 0;

	switch (kind) {
	case DEBUG_NONE:
		return;
	case DEBUG_PAGEFAULT:
		printk("debug: reading unmapped address %#lx\n",
		       (unsigned long)UNMAPPED_ADDRESS);
		p = (volatile uint64_t *)(uintptr_t)UNMAPPED_ADDRESS;
		(void)*p;
		break;
	case DEBUG_GPFAULT:
		printk("debug: reading non-canonical address %#lx\n",
		       (unsigned long)NONCANONICAL_ADDRESS);
		p = (volatile uint64_t *)(uintptr_t)NONCANONICAL_ADDRESS;
		(void)*p;
		break;
	case DEBUG_DIVIDE:
		printk("debug: dividing by zero\n");
		printk("debug: %d\n", 1 / zero);
		break;
	}
	panic("debug: fault %d did not fault", kind);
}
