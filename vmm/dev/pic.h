/*
 * The PC's pair of 8259A programmable interrupt controllers: the master
 * (ports 0x20-0x21, IRQ 0-7) with the slave's INT output wired to its IR2
 * input, the slave (ports 0xa0-0xa1, IRQ 8-15), and the chipset's edge/
 * level control registers ELCR1/ELCR2 (ports 0x4d0-0x4d1, as on the PIIX
 * and later south bridges). Follows the Intel 8259A datasheet (order no.
 * 231468): initialization (ICW1-ICW4), operation command words (OCW1-3),
 * priority resolution, the INTA sequence, poll mode, special mask and
 * special fully nested modes, AEOI and rotation. docs/devices-pic-pit.md
 * explains the model.
 *
 * How the VMM uses it:
 *   - devices drive inputs: pic_set_irq(), or wire a struct irq_line with
 *     .set = pic_irq_line_set, .ctx = the pic, .irq = 0-15;
 *   - the INTR output is pic_has_interrupt(); the VMM either polls it
 *     before each VM entry or installs pic_set_intr_hook() to be told
 *     when it changes (the hook runs inside pic_* calls and port handlers,
 *     so it must only record the fact, e.g. kick the vCPU);
 *   - when the vCPU can take the interrupt (RFLAGS.IF=1, no blocking), the
 *     VMM runs the INTA cycle with pic_acknowledge() and injects the
 *     vector it returns.
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_PIC_H
#define VOLT_VMM_DEV_PIC_H

#include <stdbool.h>
#include <stdint.h>

struct io_bus;

#define PIC_MASTER_BASE 0x20
#define PIC_SLAVE_BASE 0xa0
#define PIC_ELCR_BASE 0x4d0
#define PIC_CASCADE_IRQ 2 /* the master input the slave's INT drives */
#define PIC_NR_IRQS 16

/* One 8259A. Fields are the chip's registers and mode bits; read them in
 * tests and debug dumps, change them only through the pic_* functions. */
struct pic_chip {
	uint8_t irr;	 /* interrupt request register */
	uint8_t isr;	 /* in-service register */
	uint8_t imr;	 /* interrupt mask register (OCW1) */
	uint8_t lines;	 /* IR input levels, to see 0->1 edges */
	uint8_t elcr;	 /* ELCR bits: 1 = that input is level-triggered */
	uint8_t vector_base; /* ICW2 T7-T3 */
	uint8_t icw3;	 /* master: inputs with a slave; slave: its ID */
	uint8_t lowest;	 /* the level with the lowest priority (rotation) */
	uint8_t init_step; /* 0 = ready, else the ICW expected next (2-4) */
	bool ltim;	 /* ICW1: all inputs level-triggered */
	bool single;	 /* ICW1 SNGL: no cascade */
	bool need_icw4;	 /* ICW1 IC4 */
	bool x86_mode;	 /* ICW4 uPM (8086 mode; the only one modeled) */
	bool aeoi;	 /* ICW4 automatic end of interrupt */
	bool buffered;	 /* ICW4 BUF and M/S: stored, no effect */
	bool buf_master;
	bool sfnm;	 /* ICW4 special fully nested mode */
	bool rotate_aeoi;  /* OCW2: rotate in automatic EOI mode */
	bool special_mask; /* OCW3 SMM */
	bool read_isr;	 /* OCW3 RR/RIS: command port reads ISR, else IRR */
	bool poll;	 /* OCW3 P: the next command port read is a poll */
};

struct pic {
	struct pic_chip master, slave;
	bool intr; /* the master's INT output as last computed */
	void (*intr_changed)(void *ctx, bool intr);
	void *intr_ctx;
	uint64_t spurious_master; /* INTA with no request: IRQ 7 vector */
	uint64_t spurious_slave;  /* cascade INTA the slave could not serve */
};

/*
 * Power-on state, which the datasheet leaves undefined: both chips look
 * as a PC BIOS leaves them (master vectors 0x08-0x0f, slave 0x70-0x77,
 * slave on IR2, 8086 mode, edge-triggered) but with every input masked,
 * so nothing reaches the CPU until the guest programs the pair.
 */
void pic_init(struct pic *p);

/* Claim 0x20-0x21, 0xa0-0xa1 and 0x4d0-0x4d1 on `bus`: IO_BUS_OK or the
 * bus's error (a failure can leave the earlier ranges claimed; the VM is
 * not usable then anyway). */
int pic_attach(struct pic *p, struct io_bus *bus);

/* Called whenever the master's INT output changes (NULL: poll instead). */
void pic_set_intr_hook(struct pic *p, void (*fn)(void *ctx, bool intr),
		       void *ctx);

/*
 * Drive input `irq` (0-15) to `level`. IRQ 2 has no pin on a PC (the ISA
 * bus's IRQ2 line is wired to IRQ 9): setting it does nothing, nor does
 * an irq above 15.
 */
void pic_set_irq(struct pic *p, unsigned irq, bool level);

/* The same, shaped like struct irq_line's `set` (ctx is the struct pic). */
void pic_irq_line_set(void *pic, unsigned irq, bool level);

/* The master's INT output: an interrupt waits for the CPU. */
static inline bool pic_has_interrupt(const struct pic *p)
{
	return p->intr; /* kept current by every change of state */
}

/*
 * The INTA cycle: returns the vector (0-255) the CPU reads and updates
 * IRR/ISR (AEOI, rotation) as the datasheet's interrupt sequence does.
 * With no request left the master answers with its IRQ 7 vector and sets
 * no ISR bit (spurious IRQ 7); if the slave's request vanished after the
 * master latched IR2, the master's ISR bit 2 is still set and the slave
 * answers with its IRQ 15 vector (spurious IRQ 15). When the master
 * expects a slave that is not there (ICW3 names another input, or the
 * slave's ID differs) nobody drives the bus: 0xff.
 */
int pic_acknowledge(struct pic *p);

#endif
