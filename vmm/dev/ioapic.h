/*
 * A virtual I/O APIC shaped like the Intel 82093AA (order no. 290566):
 * 24 input pins, each with a redirection table entry that turns a level
 * or an edge on the pin into an interrupt message for the local APICs.
 * Sections named in the code are the datasheet's: "3.1 Memory Mapped
 * Registers", "3.2 IOAPIC Registers" (IOAPICID, IOAPICVER, IOAPICARB,
 * IOREDTBL). docs/devices-ioapic-acpi.md explains the model.
 *
 * Registers, reached through two MMIO words at the base the VM chooses
 * (IOAPIC_DEFAULT_BASE on a PC, named in the MADT):
 *   base + 0x00  IOREGSEL  bits 7:0 select the register IOWIN shows
 *   base + 0x10  IOWIN     the selected register, 32 bits
 *   0x00 ID (bits 27:24), 0x01 version (0x11, 23 = last entry in 23:16),
 *   0x02 arbitration ID (27:24, read-only), 0x10 + 2n / 0x11 + 2n: low
 *   and high halves of redirection entry n (IOAPIC_RTE_* bits below).
 *
 * What the datasheet leaves to the system, and this model's answers:
 *   - Only aligned 32-bit accesses are architectural ("3.1: must be
 *     accessed as 32-bit quantities"). Other sizes are handled as byte
 *     lanes of the 32-bit register: a read returns the addressed bytes
 *     (so an 8-byte read at 0x10 gives IOWIN in the low half, 0 above),
 *     a narrower write changes only the addressed bytes (so an 8-bit
 *     write of IOREGSEL, which some OSes do, works). Offsets other than
 *     0x00-0x03 and 0x10-0x13 read 0 and ignore writes. There is no EOI
 *     register at 0x40: it appeared with version 0x20 IOAPICs.
 *   - Delivery is instantaneous: the delivery status bit always reads 0
 *     and a level interrupt's remote IRR is set as the message leaves.
 *   - The destination is 8 bits in both modes (the 82093AA forwarded 4
 *     in physical mode on its serial APIC bus; system-bus IOAPICs since
 *     the Pentium 4 forward all 8, which is what xAPIC guests expect).
 *   - Reserved entry bits (55:17) read 0 whatever is written.
 *   - SMI, NMI, INIT and ExtINT entries act as edge-triggered whatever
 *     their trigger bit says (Intel's chipset IOAPIC datasheets: "trigger
 *     mode is always edge and TM bit is ignored"); the reserved delivery
 *     modes 3 and 6 deliver nothing (counted in `bad_messages`).
 *   - Writing an entry's trigger mode to edge clears its remote IRR, as
 *     on Intel's chipset IOAPICs and in KVM: old Linux EOIs a version
 *     0x11 IOAPIC pin that way.
 *
 * How the VMM uses it:
 *   - ioapic_init() with the ID the MADT gives and a deliver callback;
 *     register ioapic_mmio_read/ioapic_mmio_write on the MMIO bus with
 *     the struct ioapic as `dev`;
 *   - devices drive pins with ioapic_set_irq() or a struct irq_line with
 *     .set = ioapic_irq_line_set (ISA IRQ n goes to pin
 *     ioapic_pin_for_isa_irq(n), matching the MADT's overrides);
 *   - every EOI a local APIC broadcasts (a level interrupt's EOI) goes to
 *     ioapic_eoi() with the vector.
 * The deliver callback runs inside ioapic_* calls and MMIO handlers: it
 * must route the message to the vLAPICs and must not call back into this
 * IOAPIC (no ioapic_eoi() from inside it).
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_IOAPIC_H
#define VOLT_VMM_DEV_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#define IOAPIC_PINS 24
#define IOAPIC_DEFAULT_BASE 0xfec00000ull /* the PC's first IOAPIC */
#define IOAPIC_MMIO_LEN 0x1000ull	  /* the page the VM leaves unmapped */

/* 3.1 Memory Mapped Registers: offsets from the base */
#define IOAPIC_IOREGSEL 0x00
#define IOAPIC_IOWIN 0x10

/* 3.2 register indexes (IOREGSEL values) */
#define IOAPIC_REG_ID 0x00
#define IOAPIC_REG_VER 0x01
#define IOAPIC_REG_ARB 0x02
#define IOAPIC_REG_REDTBL 0x10 /* entry n: 0x10 + 2n (low), 0x11 + 2n */

#define IOAPIC_VERSION 0x11		  /* the 82093AA */
#define IOAPIC_ID_SHIFT 24		  /* ID and arbitration ID: 27:24 */
#define IOAPIC_ID_MASK 0x0f
#define IOAPIC_VER_VALUE (IOAPIC_VERSION | ((IOAPIC_PINS - 1) << 16))

/* 3.2.4 IOREDTBL entry bits (64-bit view) */
#define IOAPIC_RTE_VECTOR 0xffull
#define IOAPIC_RTE_DELMODE_SHIFT 8
#define IOAPIC_RTE_DELMODE (7ull << 8)
#define IOAPIC_RTE_LOGICAL (1ull << 11)
#define IOAPIC_RTE_DELIVS (1ull << 12)	   /* read-only */
#define IOAPIC_RTE_ACTIVE_LOW (1ull << 13)
#define IOAPIC_RTE_REMOTE_IRR (1ull << 14) /* read-only */
#define IOAPIC_RTE_LEVEL (1ull << 15)
#define IOAPIC_RTE_MASKED (1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT 56
#define IOAPIC_RTE_DEST (0xffull << 56)

/* Delivery modes (IOREDTBL bits 10:8); 3 and 6 are reserved. */
enum ioapic_delivery_mode {
	IOAPIC_DM_FIXED = 0,
	IOAPIC_DM_LOWEST = 1,
	IOAPIC_DM_SMI = 2,
	IOAPIC_DM_NMI = 4,
	IOAPIC_DM_INIT = 5,
	IOAPIC_DM_EXTINT = 7,
};

/* One interrupt message, as the IOAPIC sends it to the local APICs. */
struct ioapic_msg {
	uint8_t vector;
	uint8_t delivery_mode; /* enum ioapic_delivery_mode */
	bool logical;	       /* logical destination mode, else physical */
	uint8_t dest;	       /* APIC ID, or a logical destination set */
	bool level;	       /* level-triggered: the LAPIC sets TMR and
				* broadcasts its EOI (ioapic_eoi) */
	uint8_t pin;	       /* which input sent it (for traces) */
};

typedef void (*ioapic_deliver_fn)(void *ctx, const struct ioapic_msg *m);

/* Read fields in tests and dumps; change them only through ioapic_*. */
struct ioapic {
	uint64_t rte[IOAPIC_PINS]; /* redirection table */
	uint32_t pin_levels;	   /* input wires as devices drive them */
	uint8_t id;		   /* IOAPICID bits 27:24 */
	uint8_t arb_id;		   /* IOAPICARB bits 27:24 */
	uint8_t regsel;		   /* IOREGSEL */
	ioapic_deliver_fn deliver;
	void *deliver_ctx;
	uint64_t messages;     /* interrupt messages sent */
	uint64_t bad_messages; /* entries with a reserved delivery mode */
};

/*
 * Reset: every entry masked with its other bits 0 (the datasheet's
 * "xxx1 xxxx xxxx xxxxh": only the mask bit is defined), all pins low,
 * the ID and arbitration ID `id` (4 bits; a BIOS programs the ID the
 * MADT names, so the guest reads back what the table says).
 */
void ioapic_init(struct ioapic *io, uint8_t id, ioapic_deliver_fn deliver,
		 void *ctx);

/* Drive input `pin` (0-23; others are ignored) to `level`, the wire's
 * electrical level: an active-low entry sees it inverted. */
void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level);

/* The same, shaped like struct irq_line's `set` (ctx: the struct ioapic,
 * irq: the pin). */
void ioapic_irq_line_set(void *ioapic, unsigned pin, bool level);

/*
 * A local APIC's EOI broadcast for `vector`: clears remote IRR of every
 * level-triggered entry with that vector, and delivers again from each
 * whose pin is still asserted and that is not masked.
 */
void ioapic_eoi(struct ioapic *io, uint8_t vector);

/* The same, shaped like a vLAPIC's eoi_broadcast hook (ctx: the ioapic).
 * There is no EOI register (version 0x11): a vLAPIC must not offer
 * EOI-broadcast suppression with this IOAPIC. */
void ioapic_eoi_broadcast(void *ioapic, uint8_t vector);

/* MMIO handlers (vmm/mmio_bus.h shapes); dev is the struct ioapic. */
void ioapic_mmio_read(void *dev, uint64_t offset, unsigned size,
		      uint64_t *value);
int ioapic_mmio_write(void *dev, uint64_t offset, unsigned size,
		      uint64_t value);

/* Register-level access (what one aligned 32-bit IOWIN access does). */
uint32_t ioapic_read_reg(struct ioapic *io, uint8_t index);
void ioapic_write_reg(struct ioapic *io, uint8_t index, uint32_t value);

/* The PC's wiring, which the MADT's interrupt source overrides describe:
 * ISA IRQ 0 (the PIT) reaches pin 2; every other ISA IRQ n pin n. */
static inline unsigned ioapic_pin_for_isa_irq(unsigned irq)
{
	return irq == 0 ? 2 : irq;
}

#endif
