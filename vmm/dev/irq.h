/*
 * An interrupt line from a device model to an interrupt controller.
 *
 * Device models (vmm/dev/) never know which controller they are wired to:
 * the VM connects each device's line to the PIC (later also the IOAPIC)
 * when it creates the device. `set` receives the line's level; an
 * edge-triggered device raises and lowers it (a pulse). Pure: host tests
 * connect a line to a recorder.
 */
#ifndef VOLT_VMM_DEV_IRQ_H
#define VOLT_VMM_DEV_IRQ_H

#include <stdbool.h>

struct irq_line {
	void (*set)(void *ctx, unsigned irq, bool level);
	void *ctx;
	unsigned irq; /* ISA IRQ number, 0-15 */
};

static inline void irq_line_set(const struct irq_line *l, bool level)
{
	if (l->set)
		l->set(l->ctx, l->irq, level);
}

/* An edge: what the PIT's OUT or a 16550's INTR produce on an ISA bus. */
static inline void irq_line_pulse(const struct irq_line *l)
{
	irq_line_set(l, true);
	irq_line_set(l, false);
}

#endif
