/*
 * Virtual 82093AA I/O APIC (see ioapic.h). Section names are those of the
 * Intel 82093AA datasheet: "3.1 Memory Mapped Registers", "3.2.1 IOAPICID",
 * "3.2.2 IOAPICVER", "3.2.3 IOAPICARB", "3.2.4 IOREDTBL[23:0]".
 * docs/devices-ioapic-acpi.md walks through them.
 */
#include "vmm/dev/ioapic.h"
#include "lib/string.h"

#define BIT(n) (1u << (n))

/* Bits software can change in each half of an entry (3.2.4): vector,
 * delivery mode, destination mode, polarity, trigger mode, mask in the
 * low half; the destination in the high half. */
#define RTE_LOW_WRITABLE 0x0001afffu
#define RTE_HIGH_WRITABLE 0xff000000u
#define RTE_READ_ONLY (IOAPIC_RTE_DELIVS | IOAPIC_RTE_REMOTE_IRR)

#define REG_BYTES 4 /* IOREGSEL and IOWIN are 32-bit registers */

/* ---- entries ------------------------------------------------------------ */

static unsigned rte_delivery_mode(uint64_t rte)
{
	uint64_t dm = rte & IOAPIC_RTE_DELMODE;
	return (unsigned)(dm >> IOAPIC_RTE_DELMODE_SHIFT);
}

/* Fixed and lowest-priority messages honour the trigger bit; SMI, NMI,
 * INIT and ExtINT are always edge messages (see ioapic.h). */
static bool rte_is_level(uint64_t rte)
{
	unsigned dm = rte_delivery_mode(rte);
	if (dm != IOAPIC_DM_FIXED && dm != IOAPIC_DM_LOWEST)
		return false;
	return rte & IOAPIC_RTE_LEVEL;
}

/* The pin as the entry sees it: the wire, inverted when active low. */
static bool pin_asserted(const struct ioapic *io, unsigned pin)
{
	bool wire = io->pin_levels & BIT(pin);
	return wire != !!(io->rte[pin] & IOAPIC_RTE_ACTIVE_LOW);
}

/* ---- delivery ----------------------------------------------------------- */

/* Send the message entry `pin` describes. A level message sets remote
 * IRR: the entry sends nothing more until the EOI with its vector. */
static void send(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->rte[pin];
	unsigned dm = rte_delivery_mode(rte);
	if (dm == 3 || dm == 6) {
		io->bad_messages++; /* reserved: undefined on the chip */
		return;
	}
	struct ioapic_msg m = {
		.vector = (uint8_t)(rte & IOAPIC_RTE_VECTOR),
		.delivery_mode = (uint8_t)dm,
		.logical = rte & IOAPIC_RTE_LOGICAL,
		.dest = (uint8_t)(rte >> IOAPIC_RTE_DEST_SHIFT),
		.level = rte_is_level(rte),
		.pin = (uint8_t)pin,
	};
	if (m.level)
		io->rte[pin] |= IOAPIC_RTE_REMOTE_IRR;
	io->messages++;
	if (io->deliver)
		io->deliver(io->deliver_ctx, &m);
}

/* A level entry interrupts while its pin is asserted, it is unmasked and
 * no earlier message from it awaits its EOI ("3.2.4: Remote IRR"). */
static void service_level(struct ioapic *io, unsigned pin)
{
	uint64_t rte = io->rte[pin];
	if (!rte_is_level(rte) || (rte & IOAPIC_RTE_MASKED) ||
	    (rte & IOAPIC_RTE_REMOTE_IRR) || !pin_asserted(io, pin))
		return;
	send(io, pin);
}

/* ---- inputs ------------------------------------------------------------- */

void ioapic_init(struct ioapic *io, uint8_t id, ioapic_deliver_fn deliver,
		 void *ctx)
{
	memset(io, 0, sizeof(*io));
	for (unsigned i = 0; i < IOAPIC_PINS; i++)
		io->rte[i] = IOAPIC_RTE_MASKED;
	io->id = id & IOAPIC_ID_MASK;
	io->arb_id = io->id;
	io->deliver = deliver;
	io->deliver_ctx = ctx;
}

/*
 * An edge entry sends on each inactive-to-active transition while it is
 * unmasked; edges on a masked pin are lost ("3.2.4: Interrupt Mask").
 * A level entry follows the pin (service_level).
 */
void ioapic_set_irq(struct ioapic *io, unsigned pin, bool level)
{
	if (pin >= IOAPIC_PINS)
		return;
	bool was = pin_asserted(io, pin);
	if (level)
		io->pin_levels |= BIT(pin);
	else
		io->pin_levels &= ~BIT(pin);
	bool now = pin_asserted(io, pin);
	uint64_t rte = io->rte[pin];
	if (rte_is_level(rte)) {
		service_level(io, pin);
		return;
	}
	if (!was && now && !(rte & IOAPIC_RTE_MASKED))
		send(io, pin);
}

void ioapic_irq_line_set(void *ioapic, unsigned pin, bool level)
{
	ioapic_set_irq(ioapic, pin, level);
}

void ioapic_eoi(struct ioapic *io, uint8_t vector)
{
	for (unsigned pin = 0; pin < IOAPIC_PINS; pin++) {
		uint64_t rte = io->rte[pin];
		if (!(rte & IOAPIC_RTE_REMOTE_IRR) ||
		    (rte & IOAPIC_RTE_VECTOR) != vector)
			continue;
		io->rte[pin] &= ~IOAPIC_RTE_REMOTE_IRR;
		service_level(io, pin); /* still asserted: interrupt again */
	}
}

void ioapic_eoi_broadcast(void *ioapic, uint8_t vector)
{
	ioapic_eoi(ioapic, vector);
}

/* ---- registers ---------------------------------------------------------- */

static bool is_redtbl(uint8_t index)
{
	return index >= IOAPIC_REG_REDTBL &&
	       index < IOAPIC_REG_REDTBL + 2 * IOAPIC_PINS;
}

uint32_t ioapic_read_reg(struct ioapic *io, uint8_t index)
{
	if (is_redtbl(index)) {
		uint64_t rte = io->rte[(index - IOAPIC_REG_REDTBL) / 2];
		return (index & 1) ? (uint32_t)(rte >> 32) : (uint32_t)rte;
	}
	switch (index) {
	case IOAPIC_REG_ID:
		return (uint32_t)io->id << IOAPIC_ID_SHIFT;
	case IOAPIC_REG_VER:
		return IOAPIC_VER_VALUE;
	case IOAPIC_REG_ARB:
		return (uint32_t)io->arb_id << IOAPIC_ID_SHIFT;
	default:
		return 0; /* no register there */
	}
}

/*
 * A redirection entry half. Read-only bits keep their value. Afterwards
 * a level entry may have to send at once: it was just unmasked (or made
 * level, or its polarity changed) while its pin is asserted.
 */
static void write_rte_half(struct ioapic *io, unsigned pin, bool high,
			   uint32_t value)
{
	uint64_t rte = io->rte[pin];
	if (high) {
		rte &= 0xffffffffull;
		rte |= (uint64_t)(value & RTE_HIGH_WRITABLE) << 32;
	} else {
		rte &= ~(uint64_t)RTE_LOW_WRITABLE;
		rte |= value & RTE_LOW_WRITABLE;
	}
	if (!rte_is_level(rte))
		rte &= ~IOAPIC_RTE_REMOTE_IRR; /* see ioapic.h */
	io->rte[pin] = rte;
	service_level(io, pin);
}

void ioapic_write_reg(struct ioapic *io, uint8_t index, uint32_t value)
{
	if (is_redtbl(index)) {
		write_rte_half(io, (index - IOAPIC_REG_REDTBL) / 2, index & 1,
			       value);
		return;
	}
	if (index == IOAPIC_REG_ID) {
		/* 3.2.3: the arbitration ID is loaded with the new ID. */
		io->id = (uint8_t)(value >> IOAPIC_ID_SHIFT) & IOAPIC_ID_MASK;
		io->arb_id = io->id;
	}
	/* version, arbitration ID, holes: read-only */
}

/* ---- MMIO --------------------------------------------------------------- */

/* Which 32-bit register holds `offset`: IOREGSEL, IOWIN, or neither. */
static int mmio_register(uint64_t offset)
{
	if (offset < IOAPIC_IOREGSEL + REG_BYTES)
		return IOAPIC_IOREGSEL;
	if (offset >= IOAPIC_IOWIN && offset < IOAPIC_IOWIN + REG_BYTES)
		return IOAPIC_IOWIN;
	return -1;
}

static uint32_t mmio_get(struct ioapic *io, int reg)
{
	if (reg == IOAPIC_IOREGSEL)
		return io->regsel;
	if (reg == IOAPIC_IOWIN)
		return ioapic_read_reg(io, io->regsel);
	return 0;
}

static void mmio_put(struct ioapic *io, int reg, uint32_t value)
{
	if (reg == IOAPIC_IOREGSEL)
		io->regsel = (uint8_t)value; /* bits 31:8 reserved */
	else if (reg == IOAPIC_IOWIN)
		ioapic_write_reg(io, io->regsel, value);
}

/* Byte lanes: each byte of the access comes from the register that holds
 * it; an aligned dword read touches IOWIN's register exactly once. */
void ioapic_mmio_read(void *dev, uint64_t offset, unsigned size,
		      uint64_t *value)
{
	struct ioapic *io = dev;
	uint64_t v = 0;
	int cached_reg = -1;
	uint32_t cached = 0;
	for (unsigned i = 0; i < size && i < 8; i++) {
		int reg = mmio_register(offset + i);
		if (reg < 0)
			continue;
		if (reg != cached_reg) {
			cached = mmio_get(io, reg);
			cached_reg = reg;
		}
		unsigned lane = (unsigned)((offset + i) & (REG_BYTES - 1));
		v |= (uint64_t)((cached >> (8 * lane)) & 0xff) << (8 * i);
	}
	*value = v;
}

/* Bytes of one register are merged into its current value and written
 * once, so a dword write is exactly one register write. */
int ioapic_mmio_write(void *dev, uint64_t offset, unsigned size,
		      uint64_t value)
{
	struct ioapic *io = dev;
	unsigned i = 0;
	while (i < size && i < 8) {
		int reg = mmio_register(offset + i);
		if (reg < 0) {
			i++;
			continue;
		}
		bool whole = ((offset + i) & (REG_BYTES - 1)) == 0 &&
			     size - i >= REG_BYTES;
		uint32_t v = whole ? 0 : mmio_get(io, reg);
		for (; i < size && i < 8 && mmio_register(offset + i) == reg;
		     i++) {
			unsigned lane = (offset + i) & (REG_BYTES - 1);
			uint32_t byte = (uint32_t)(value >> (8 * i)) & 0xff;
			v = (v & ~(0xffu << (8 * lane))) | (byte << (8 * lane));
		}
		mmio_put(io, reg, v);
	}
	return 0;
}
