/*
 * 8259A PIC pair (see pic.h). Section names below are those of the Intel
 * 8259A datasheet: "Interrupt Sequence", "Initialization Command Words",
 * "Operation Command Words", "The Special Mask Mode", "Poll Command",
 * "Edge and Level Triggered Modes", "Cascade Mode", "Special Fully Nested
 * Mode". docs/devices-pic-pit.md walks through them.
 */
#include "vmm/dev/pic.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define BIT(n) (1u << (n))
#define NO_LEVEL (-1)
#define OPEN_BUS 0xff /* no chip drives the data bus */

/* Command-port writes: ICW1 has D4 set; otherwise D3 tells OCW3 from OCW2 */
#define ICW1_SELECT 0x10
#define ICW1_LTIM 0x08
#define ICW1_SNGL 0x02
#define ICW1_IC4 0x01
#define OCW3_SELECT 0x08
#define OCW3_ESMM 0x40
#define OCW3_SMM 0x20
#define OCW3_POLL 0x04
#define OCW3_RR 0x02
#define OCW3_RIS 0x01
#define ICW4_SFNM 0x10
#define ICW4_BUF 0x08
#define ICW4_MS 0x04
#define ICW4_AEOI 0x02
#define ICW4_UPM 0x01

/* OCW2 R, SL, EOI (bits 7-5) and the level L2-L0 (bits 2-0) */
enum ocw2_cmd {
	OCW2_ROTATE_AEOI_CLEAR = 0,
	OCW2_EOI = 1,
	OCW2_NOP = 2,
	OCW2_SPECIFIC_EOI = 3,
	OCW2_ROTATE_AEOI_SET = 4,
	OCW2_ROTATE_EOI = 5,
	OCW2_SET_PRIORITY = 6,
	OCW2_ROTATE_SPECIFIC_EOI = 7,
};

/* ELCR bits that must stay 0 (edge): IRQ 0, 1, 2 and IRQ 8, 13, as on the
 * PIIX (timer, keyboard, cascade, RTC, FPU error). */
#define ELCR_MASTER_WRITABLE 0xf8
#define ELCR_SLAVE_WRITABLE 0xde

/* ---- priority resolver ------------------------------------------------ */

/* 0 = highest priority. After `lowest` comes the highest (rotation). */
static unsigned rank(const struct pic_chip *c, unsigned level)
{
	return (level - c->lowest - 1) & 7;
}

/* The highest-priority level set in `mask`, or NO_LEVEL. */
static int highest(const struct pic_chip *c, uint8_t mask)
{
	for (unsigned i = 0; i < 8; i++) {
		unsigned level = (c->lowest + 1 + i) & 7;
		if (mask & BIT(level))
			return (int)level;
	}
	return NO_LEVEL;
}

static bool is_cascade_input(const struct pic_chip *c, const struct pic *p,
			     unsigned level)
{
	return c == &p->master && !c->single && (c->icw3 & BIT(level));
}

/*
 * The level this chip would interrupt with now, or NO_LEVEL: the highest
 * unmasked request, if it outranks every level in service. In special
 * mask mode, masked levels in service do not block ("The Special Mask
 * Mode"). In special fully nested mode, a master's cascade input in
 * service does not block a new request on that same input, so a higher
 * slave level can nest ("Special Fully Nested Mode").
 */
static int chip_pending(const struct pic *p, const struct pic_chip *c)
{
	int req = highest(c, c->irr & ~c->imr);
	if (req == NO_LEVEL)
		return NO_LEVEL;
	uint8_t in_service = c->isr;
	if (c->special_mask)
		in_service &= ~c->imr;
	int cur = highest(c, in_service);
	if (cur == NO_LEVEL || rank(c, req) < rank(c, cur))
		return req;
	if (c->sfnm && req == cur && is_cascade_input(c, p, req))
		return req;
	return NO_LEVEL;
}

/* ---- inputs ----------------------------------------------------------- */

static uint8_t level_inputs(const struct pic_chip *c)
{
	return c->ltim ? 0xff : c->elcr;
}

/*
 * "Edge and Level Triggered Modes": a level input's IRR bit follows the
 * line; an edge input's IRR bit is set by a 0->1 transition and stays set
 * until the INTA cycle (or ICW1) clears it. The datasheet wants an edge
 * input to stay high until the first INTA; the ISA devices here produce
 * zero-width pulses (irq_line_pulse), so the latch must hold the request.
 */
static void chip_set_line(struct pic_chip *c, unsigned level, bool high)
{
	uint8_t bit = (uint8_t)BIT(level);
	if (level_inputs(c) & bit) {
		if (high)
			c->irr |= bit;
		else
			c->irr &= (uint8_t)~bit;
	} else if (high && !(c->lines & bit)) {
		c->irr |= bit;
	}
	if (high)
		c->lines |= bit;
	else
		c->lines &= (uint8_t)~bit;
}

/* Propagate: slave INT -> master IR2, master INT -> the CPU (hook). */
static void pic_update(struct pic *p)
{
	chip_set_line(&p->master, PIC_CASCADE_IRQ,
		      chip_pending(p, &p->slave) != NO_LEVEL);
	bool intr = chip_pending(p, &p->master) != NO_LEVEL;
	if (intr != p->intr) {
		p->intr = intr;
		if (p->intr_changed)
			p->intr_changed(p->intr_ctx, intr);
	}
}

/* ---- acknowledge and end of interrupt --------------------------------- */

/* What the INTA pulses (or a poll read) do to one chip for `level`. */
static void chip_ack(struct pic_chip *c, unsigned level)
{
	uint8_t bit = (uint8_t)BIT(level);
	c->irr &= (uint8_t)~bit;
	if (c->lines & level_inputs(c) & bit)
		c->irr |= bit; /* a level input still asserted */
	if (!c->aeoi)
		c->isr |= bit;
	else if (c->rotate_aeoi)
		c->lowest = (uint8_t)level;
}

/* The slave's part of a cascaded INTA: its vector, or spurious IRQ 15. */
static uint8_t slave_inta(struct pic *p)
{
	struct pic_chip *s = &p->slave;
	int level = chip_pending(p, s);
	if (level == NO_LEVEL) {
		p->spurious_slave++;
		return (uint8_t)(s->vector_base | 7);
	}
	chip_ack(s, (unsigned)level);
	return (uint8_t)(s->vector_base | (unsigned)level);
}

/*
 * "Interrupt Sequence" and "Cascade Mode": on the first INTA the master
 * resolves priority, sets ISR and clears IRR; if that input carries a
 * slave it puts the input number on CAS0-2 and the slave whose ID matches
 * resolves and supplies the vector on the second INTA. The slave's INT
 * output falls during its INTA cycle, so a request it still holds (AEOI,
 * special mask mode) reaches the master's edge-triggered IR2 as a fresh
 * edge once pic_update() recomputes it.
 */
int pic_acknowledge(struct pic *p)
{
	struct pic_chip *m = &p->master;
	int level = chip_pending(p, m);
	uint8_t vector;
	if (level == NO_LEVEL) {
		p->spurious_master++;
		return m->vector_base | 7; /* no ISR bit for a spurious IRQ 7 */
	}
	chip_ack(m, (unsigned)level);
	if (!is_cascade_input(m, p, (unsigned)level)) {
		vector = (uint8_t)(m->vector_base | (unsigned)level);
	} else if (!p->slave.single && (p->slave.icw3 & 7) == (unsigned)level) {
		vector = slave_inta(p);
		chip_set_line(m, PIC_CASCADE_IRQ, false);
	} else {
		vector = OPEN_BUS;
	}
	pic_update(p);
	return vector;
}

static void eoi_level(struct pic_chip *c, int level, bool rotate)
{
	if (level == NO_LEVEL)
		return;
	c->isr &= (uint8_t)~BIT(level);
	if (rotate)
		c->lowest = (uint8_t)level; /* it now has the lowest priority */
}

/*
 * OCW2. A non-specific EOI clears the highest-priority ISR bit, which is
 * the right one only while the fully nested structure holds; in special
 * mask mode software must use a specific EOI (datasheet, "End of
 * Interrupt").
 */
static void write_ocw2(struct pic_chip *c, uint8_t v)
{
	int named = v & 7;
	switch ((enum ocw2_cmd)(v >> 5)) {
	case OCW2_EOI:
		eoi_level(c, highest(c, c->isr), false);
		break;
	case OCW2_ROTATE_EOI:
		eoi_level(c, highest(c, c->isr), true);
		break;
	case OCW2_SPECIFIC_EOI:
		eoi_level(c, named, false);
		break;
	case OCW2_ROTATE_SPECIFIC_EOI:
		eoi_level(c, named, true);
		break;
	case OCW2_SET_PRIORITY:
		c->lowest = (uint8_t)named;
		break;
	case OCW2_ROTATE_AEOI_SET:
		c->rotate_aeoi = true;
		break;
	case OCW2_ROTATE_AEOI_CLEAR:
		c->rotate_aeoi = false;
		break;
	case OCW2_NOP:
		break;
	}
}

static void write_ocw3(struct pic_chip *c, uint8_t v)
{
	if (v & OCW3_ESMM)
		c->special_mask = (v & OCW3_SMM) != 0;
	if (v & OCW3_POLL)
		c->poll = true;
	if (v & OCW3_RR)
		c->read_isr = (v & OCW3_RIS) != 0;
}

/*
 * ICW1 ("Initialization Command Words"): the edge sense circuit is reset
 * (an input already high must fall and rise again), IMR is cleared, IR7
 * gets the lowest priority, the slave ID becomes 7, special mask mode is
 * cleared and status reads select IRR; without IC4 every ICW4 function is
 * zero. The datasheet does not say what happens to ISR and pending
 * requests: like a BIOS re-initializing a live PC we clear them, so a
 * stale in-service bit cannot block the re-initialized chip forever.
 */
static void write_icw1(struct pic_chip *c, uint8_t v)
{
	c->ltim = (v & ICW1_LTIM) != 0;
	c->single = (v & ICW1_SNGL) != 0;
	c->need_icw4 = (v & ICW1_IC4) != 0;
	c->init_step = 2;
	c->imr = 0;
	c->isr = 0;
	c->irr = c->lines & level_inputs(c);
	c->lowest = 7;
	c->icw3 = 7;
	c->special_mask = false;
	c->read_isr = false;
	c->poll = false;
	c->rotate_aeoi = false;
	if (!c->need_icw4) {
		c->x86_mode = false;
		c->aeoi = false;
		c->buffered = false;
		c->buf_master = false;
		c->sfnm = false;
	}
}

static void write_icw4(struct pic_chip *c, uint8_t v)
{
	c->x86_mode = (v & ICW4_UPM) != 0;
	c->aeoi = (v & ICW4_AEOI) != 0;
	c->buffered = (v & ICW4_BUF) != 0;
	c->buf_master = (v & ICW4_MS) != 0;
	c->sfnm = (v & ICW4_SFNM) != 0;
}

/* A0 = 1 write: the next ICW of an initialization, else OCW1 (the IMR). */
static void write_data(struct pic_chip *c, uint8_t v)
{
	switch (c->init_step) {
	case 2: /* ICW2: vector bits T7-T3 (8086 mode ignores A10-A8) */
		c->vector_base = v & 0xf8;
		c->init_step = c->single ? (c->need_icw4 ? 4 : 0) : 3;
		break;
	case 3: /* ICW3: master: inputs with a slave; slave: its ID (0-7) */
		c->icw3 = v;
		c->init_step = c->need_icw4 ? 4 : 0;
		break;
	case 4:
		write_icw4(c, v);
		c->init_step = 0;
		break;
	default:
		c->imr = v;
		break;
	}
}

static void write_command(struct pic_chip *c, uint8_t v)
{
	if (v & ICW1_SELECT)
		write_icw1(c, v);
	else if (v & OCW3_SELECT)
		write_ocw3(c, v);
	else
		write_ocw2(c, v);
}

/*
 * A0 = 0 read: a poll if OCW3 asked for one ("Poll Command": the read is
 * the acknowledge; bit 7 says a request was found, bits 2-0 its level),
 * else IRR or ISR as OCW3 selected. The poll byte comes from the command
 * port only (datasheet table "8259A Basic Operation"); an A0 = 1 read
 * still returns the IMR and leaves the poll armed.
 */
static uint8_t read_command(struct pic *p, struct pic_chip *c)
{
	if (c->poll) {
		c->poll = false;
		int level = chip_pending(p, c);
		if (level == NO_LEVEL)
			return 0;
		chip_ack(c, (unsigned)level);
		return (uint8_t)(0x80 | (unsigned)level);
	}
	return c->read_isr ? c->isr : c->irr;
}

/* ---- port handlers ---------------------------------------------------- */

static struct pic_chip *chip_at(struct pic *p, uint32_t port)
{
	if ((port & ~1u) == PIC_MASTER_BASE)
		return &p->master;
	if ((port & ~1u) == PIC_SLAVE_BASE)
		return &p->slave;
	return NULL;
}

static uint8_t read_byte(struct pic *p, uint32_t port)
{
	if (port == PIC_ELCR_BASE)
		return p->master.elcr;
	if (port == PIC_ELCR_BASE + 1)
		return p->slave.elcr;
	struct pic_chip *c = chip_at(p, port);
	if (!c)
		return OPEN_BUS; /* the byte past a range, in a wide access */
	return (port & 1) ? c->imr : read_command(p, c);
}

static void set_elcr(struct pic_chip *c, uint8_t v, uint8_t writable)
{
	c->elcr = v & writable;
	/* inputs now level-triggered report their line at once */
	c->irr = (uint8_t)((c->irr & ~level_inputs(c)) |
			   (c->lines & level_inputs(c)));
}

static void write_byte(struct pic *p, uint32_t port, uint8_t v)
{
	if (port == PIC_ELCR_BASE) {
		set_elcr(&p->master, v, ELCR_MASTER_WRITABLE);
		return;
	}
	if (port == PIC_ELCR_BASE + 1) {
		set_elcr(&p->slave, v, ELCR_SLAVE_WRITABLE);
		return;
	}
	struct pic_chip *c = chip_at(p, port);
	if (!c)
		return;
	if (port & 1)
		write_data(c, v);
	else
		write_command(c, v);
}

/* The 8259A has an 8-bit data bus: a wider access is split into bytes
 * at consecutive ports, like the chipset does. */
static uint32_t pic_io_read(void *dev, uint16_t port, uint8_t size)
{
	struct pic *p = dev;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)read_byte(p, port + i) << (8 * i);
	pic_update(p); /* a poll read acknowledges */
	return v;
}

static int pic_io_write(void *dev, uint16_t port, uint8_t size, uint32_t v)
{
	struct pic *p = dev;
	for (unsigned i = 0; i < size; i++)
		write_byte(p, port + i, (uint8_t)(v >> (8 * i)));
	pic_update(p);
	return 0;
}

/* ---- public ----------------------------------------------------------- */

static void chip_reset(struct pic_chip *c, uint8_t vector_base, uint8_t icw3)
{
	memset(c, 0, sizeof(*c));
	c->imr = 0xff;
	c->vector_base = vector_base;
	c->icw3 = icw3;
	c->lowest = 7;
	c->need_icw4 = true;
	c->x86_mode = true;
}

void pic_init(struct pic *p)
{
	memset(p, 0, sizeof(*p));
	chip_reset(&p->master, 0x08, BIT(PIC_CASCADE_IRQ));
	chip_reset(&p->slave, 0x70, PIC_CASCADE_IRQ);
}

int pic_attach(struct pic *p, struct io_bus *bus)
{
	static const struct {
		uint16_t base;
		const char *name;
	} ranges[] = {
		{ PIC_MASTER_BASE, "pic-master" },
		{ PIC_SLAVE_BASE, "pic-slave" },
		{ PIC_ELCR_BASE, "pic-elcr" },
	};
	for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		struct io_range r = { ranges[i].base, 2, ranges[i].name,
				      pic_io_read, pic_io_write, p };
		int err = io_bus_register(bus, &r, NULL);
		if (err != IO_BUS_OK)
			return err;
	}
	return IO_BUS_OK;
}

void pic_set_intr_hook(struct pic *p, void (*fn)(void *ctx, bool intr),
		       void *ctx)
{
	p->intr_changed = fn;
	p->intr_ctx = ctx;
}

void pic_set_irq(struct pic *p, unsigned irq, bool level)
{
	if (irq >= PIC_NR_IRQS || irq == PIC_CASCADE_IRQ)
		return;
	if (irq < 8)
		chip_set_line(&p->master, irq, level);
	else
		chip_set_line(&p->slave, irq - 8, level);
	pic_update(p);
}

void pic_irq_line_set(void *pic, unsigned irq, bool level)
{
	pic_set_irq(pic, irq, level);
}

