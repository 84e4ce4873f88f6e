/*
 * 8254 PIT and port 0x61 (see pit.h). Section names are those of the
 * Intel 8254 datasheet: "Control Word Format", "Write Operations", "Read
 * Operations" (simple read, Counter Latch Command, Read-Back Command,
 * Status Byte), "Mode Definitions" (modes 0-5), "Operation Common to All
 * Modes" (GATE, counter loading). docs/devices-pic-pit.md walks through
 * the model.
 *
 * Time: PIT clock k is the k-th CLK pulse since dev-clock time 0, i.e.
 * clock(now) = now * 1193182 / hz, rounded down. A count written between
 * pulses k and k+1 is loaded into the counting element (CE) by pulse k+1,
 * which does not decrement it ("N + 1 CLK pulses after the initial count
 * is written"). All arithmetic is integer and exact.
 */
#include "vmm/dev/pit.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define NEVER UINT64_MAX
#define PIT_CONTROL (PIT_BASE + 3)
#define REFRESH_CLOCKS 18 /* the AT refreshed DRAM every 15.08 us */
#define OPEN_BUS 0xff

/* Control word: SC1 SC0 RW1 RW0 M2 M1 M0 BCD */
#define CW_SELECT(v) ((v) >> 6)
#define CW_ACCESS(v) (((v) >> 4) & 3)
#define CW_MODE(v) (((v) >> 1) & 7)
#define CW_BCD 0x01
#define CW_READ_BACK 3
enum pit_access { ACCESS_LATCH = 0, ACCESS_LSB = 1, ACCESS_MSB = 2,
		  ACCESS_WORD = 3 };
/* Read-back: 1 1 /COUNT /STATUS CNT2 CNT1 CNT0 0 (bit 0 reserved, ignored) */
#define RB_NO_COUNT 0x20
#define RB_NO_STATUS 0x10
#define RB_CHANNEL(i) (2u << (i))
/* Status byte: OUTPUT NULL-COUNT then bits 5-0 of the control word */
#define STATUS_OUT 0x80
#define STATUS_NULL 0x40

/* ---- counting arithmetic ---------------------------------------------- */

static uint32_t modulus(const struct pit_channel *ch)
{
	return ch->bcd ? 10000 : 0x10000; /* a count of 0 means this */
}

static uint16_t to_bcd(uint32_t v) /* v < 10000 */
{
	return (uint16_t)((v / 1000) << 12 | (v / 100 % 10) << 8 |
			  (v / 10 % 10) << 4 | v % 10);
}

/* A written count, 1..modulus. A BCD count with a digit above 9 has no
 * meaning; it is taken digit by digit and reduced modulo 10000. */
static uint32_t count_value(const struct pit_channel *ch, uint16_t raw)
{
	uint32_t v = raw;
	if (ch->bcd)
		v = ((raw >> 12) * 1000 + (raw >> 8 & 15) * 100 +
		     (raw >> 4 & 15) * 10 + (raw & 15)) % 10000;
	return v ? v : modulus(ch);
}

/* What the CPU reads for a CE value (0..modulus-1). */
static uint16_t register_value(const struct pit_channel *ch, uint32_t ce)
{
	return ch->bcd ? to_bcd(ce) : (uint16_t)ce;
}

static bool started(const struct pit_channel *ch, uint64_t t)
{
	return ch->running && t >= ch->t0;
}

/* CLK pulses since the load, plus the phase of a mode 3 run that began
 * in its low half. */
static uint64_t elapsed(const struct pit_channel *ch, uint64_t t)
{
	return t - ch->t0 + ch->phase;
}

/*
 * Mode 3 CE: the high half lasts (N+1)/2 clocks, the low half N/2. An
 * even N is loaded and decremented by two each half; an odd N loads as
 * N-1, and the high half holds one extra clock at 0 ("One CLK pulse
 * after the count expires, OUT goes low").
 */
static uint32_t square_ce(uint32_t n, uint64_t e)
{
	uint32_t high = (n + 1) / 2;
	uint32_t pos = (uint32_t)(e % n);
	uint32_t steps = pos < high ? pos : pos - high;
	uint32_t start = (n & 1) ? n - 1 : n;
	return start - 2 * steps;
}

static uint32_t ce_at(const struct pit_channel *ch, uint64_t t)
{
	if (!started(ch, t))
		return ch->held;
	uint64_t e = elapsed(ch, t);
	uint32_t m = modulus(ch), n = ch->c0;
	switch (ch->mode) {
	case 2: /* N, N-1, ..., 1, reload */
		return (uint32_t)((n - e % n) % m);
	case 3:
		return square_ce(n, e) % m;
	default: /* modes 0, 1, 4, 5 count down and wrap */
		return (uint32_t)((n + m - e % m) % m);
	}
}

/*
 * OUT. Mode 0: low until terminal count. Mode 1: low from the trigger's
 * load until terminal count. Modes 4, 5: low for the one clock at
 * terminal count. Mode 2: low for the clock at CE = 1 (a count of 1 is
 * illegal there: OUT stays high). Mode 3: high half, then low half.
 */
static bool out_at(const struct pit_channel *ch, uint64_t t)
{
	if (!started(ch, t))
		return ch->held_out;
	uint64_t e = elapsed(ch, t);
	uint32_t n = ch->c0;
	switch (ch->mode) {
	case 0:
	case 1:
		return !ch->armed || e >= n;
	case 2:
		return n < 2 || e % n != n - 1;
	case 3:
		return e % n < (n + 1) / 2;
	default:
		return !ch->armed || e != n;
	}
}

/* Rising OUT edges of the current run at clocks <= t. */
static uint64_t edges_upto(const struct pit_channel *ch, uint64_t t)
{
	if (!started(ch, t))
		return 0;
	uint64_t e = elapsed(ch, t);
	uint32_t n = ch->c0;
	switch (ch->mode) {
	case 0:
	case 1:
		return ch->armed && e >= n;
	case 2:
	case 3:
		return n < 2 ? 0 : e / n;
	default:
		return ch->armed && e > n;
	}
}

/* The clock of the run's k-th rising edge (k >= 1), or NEVER. */
static uint64_t edge_time(const struct pit_channel *ch, uint64_t k)
{
	if (!ch->running)
		return NEVER;
	uint32_t n = ch->c0;
	switch (ch->mode) {
	case 0:
	case 1:
		return ch->armed && k == 1 ? ch->t0 + n : NEVER;
	case 2:
	case 3:
		return n < 2 ? NEVER : ch->t0 + k * n - ch->phase;
	default:
		return ch->armed && k == 1 ? ch->t0 + n + 1 : NEVER;
	}
}

/* ---- runs: loads, reloads, GATE --------------------------------------- */

/* Modes 2 and 3 load a count written during counting at the end of the
 * current period (mode 2) or half-cycle (mode 3). */
static void commit_reload(struct pit_channel *ch)
{
	uint32_t n = ch->count;
	ch->t0 = ch->reload_at;
	ch->c0 = n;
	ch->phase = ch->reload_low ? (n + 1) / 2 : 0;
	ch->reload_pending = false;
	ch->edges_seen = 0;
}

static uint64_t new_edges(struct pit_channel *ch, uint64_t t)
{
	uint64_t upto = edges_upto(ch, t);
	if (upto <= ch->edges_seen)
		return 0;
	uint64_t n = upto - ch->edges_seen;
	ch->edges_seen = upto;
	return n;
}

/* Bring one channel to clock t: the edges that happened by then. */
static uint64_t advance(struct pit_channel *ch, uint64_t t)
{
	uint64_t n = 0;
	if (ch->reload_pending && ch->reload_at <= t) {
		n += new_edges(ch, ch->reload_at);
		commit_reload(ch);
	}
	return n + new_edges(ch, t);
}

static uint64_t next_edge(const struct pit_channel *ch)
{
	uint64_t t = edge_time(ch, ch->edges_seen + 1);
	if (ch->reload_pending && (t == NEVER || t > ch->reload_at)) {
		struct pit_channel after = *ch;
		commit_reload(&after);
		return edge_time(&after, 1);
	}
	return t;
}

/* Stop the CE where it is, OUT as it is (until the next load). */
static void freeze(struct pit_channel *ch, uint64_t t)
{
	ch->held = ce_at(ch, t);
	ch->held_out = out_at(ch, t);
	ch->running = false;
	ch->paused = false;
	ch->reload_pending = false;
}

/* A load of `c0` at clock t0 > now; CE and OUT keep their values until
 * then. */
static void start_run(struct pit_channel *ch, uint64_t now, uint64_t t0,
		      uint32_t c0)
{
	freeze(ch, now);
	ch->running = true;
	ch->t0 = t0;
	ch->c0 = c0;
	ch->phase = 0;
	ch->armed = true;
	ch->edges_seen = 0;
	ch->null_until = t0;
}

/* Modes 0, 4: "the count is loaded on the next CLK pulse" whatever GATE;
 * GATE low only keeps it from counting. */
static void load_oneshot(struct pit_channel *ch, uint64_t t)
{
	bool out = ch->mode == 0 ? false : out_at(ch, t);
	start_run(ch, t, t + 1, ch->count);
	ch->held_out = out;
	ch->load_at = t + 1;
	if (!ch->gate) {
		ch->running = false;
		ch->paused = true;
		ch->held = ch->count % modulus(ch);
	}
}

/* Modes 2, 3: the end of the current period (2) or half-cycle (3) after
 * clock t. Boundaries are at multiples of N in elapsed time, and for
 * mode 3 also at N*k + (N+1)/2. */
static void schedule_reload(struct pit_channel *ch, uint64_t t)
{
	uint32_t n = ch->c0, high = (n + 1) / 2;
	uint64_t e = elapsed(ch, t + 1);
	uint64_t pos = e % n, b = e;
	bool low = false;
	if (pos && ch->mode == 3 && pos <= high) {
		b = e - pos + high;
		low = true;
	} else if (pos) {
		b = e - pos + n;
	}
	ch->reload_at = ch->t0 + (b - ch->phase);
	ch->reload_low = low;
	ch->reload_pending = true;
	ch->null_until = ch->reload_at;
}

static void write_periodic(struct pit_channel *ch, uint64_t t)
{
	if (ch->running && t < ch->t0) {
		ch->c0 = ch->count; /* the earlier count is not loaded yet */
		return;
	}
	if (ch->running) {
		if (!ch->reload_pending)
			schedule_reload(ch, t);
		return;
	}
	if (ch->gate)
		start_run(ch, t, t + 1, ch->count);
	else
		ch->null_until = NEVER; /* loads at the next trigger */
}

/* A whole count reached the CR ("Write Operations"). */
static void write_count(struct pit_channel *ch, uint16_t raw, uint64_t t)
{
	ch->count = count_value(ch, raw);
	ch->count_written = true;
	switch (ch->mode) {
	case 0:
	case 4:
		load_oneshot(ch, t);
		break;
	case 2:
	case 3:
		write_periodic(ch, t);
		break;
	default: /* modes 1, 5: loaded by the next trigger */
		ch->null_until = NEVER;
		break;
	}
}

/* Modes 0, 4 with GATE low: CE holds, OUT unaffected. A terminal count
 * reached at this very clock counts as reached (the mode 4 strobe is cut
 * short). */
static void pause(struct pit_channel *ch, uint64_t t)
{
	if (!ch->running)
		return;
	if (t >= ch->t0) {
		ch->armed = ch->armed && elapsed(ch, t) < ch->c0;
		ch->held = ce_at(ch, t);
		ch->held_out = ch->mode == 0 ? !ch->armed : true;
	} else {
		ch->held = ch->c0 % modulus(ch); /* the load still happens */
	}
	ch->running = false;
	ch->paused = true;
}

static void resume(struct pit_channel *ch, uint64_t t)
{
	if (!ch->paused)
		return;
	uint32_t c0 = ch->held;
	if (ch->armed && c0 == 0)
		c0 = modulus(ch); /* paused before its first decrement */
	ch->running = true;
	ch->paused = false;
	ch->t0 = t > ch->load_at ? t : ch->load_at;
	ch->c0 = c0;
	ch->phase = 0;
	ch->edges_seen = 0;
}

/* "Operation Common to All Modes", GATE: level-sensitive in modes 0, 2,
 * 3, 4; a rising edge (trigger) in modes 1, 2, 3, 5 loads the CR on the
 * next clock. Modes 2, 3: GATE low sets OUT high at once. */
static void set_gate(struct pit_channel *ch, bool gate, uint64_t t)
{
	if (gate == ch->gate)
		return;
	ch->gate = gate;
	switch (ch->mode) {
	case 0:
	case 4:
		if (gate)
			resume(ch, t);
		else
			pause(ch, t);
		break;
	case 2:
	case 3:
		if (!gate) {
			freeze(ch, t);
			ch->held_out = true;
		} else if (ch->count_written) {
			start_run(ch, t, t + 1, ch->count);
			ch->held_out = true;
		}
		break;
	default:
		if (gate && ch->count_written)
			start_run(ch, t, t + 1, ch->count);
		break;
	}
}

/* ---- commands --------------------------------------------------------- */

/* "When a Control Word is written to a Counter, all Control Logic is
 * immediately reset and OUT goes to a known initial state": low in mode
 * 0, high otherwise. Counting stops until a count is written. */
static void control_word(struct pit_channel *ch, uint8_t v, uint64_t t)
{
	freeze(ch, t);
	unsigned mode = CW_MODE(v);
	ch->control = v & 0x3f;
	ch->access = (uint8_t)CW_ACCESS(v);
	ch->mode = (uint8_t)(mode > 5 ? mode - 4 : mode); /* x1x: 2 or 3 */
	ch->bcd = (v & CW_BCD) != 0;
	ch->held %= modulus(ch);
	ch->held_out = ch->mode != 0;
	ch->armed = false;
	ch->count_written = false;
	ch->write_msb = false;
	ch->read_msb = false;
	ch->latch_reads = 0;
	ch->status_latched = false;
	ch->null_until = NEVER;
	ch->edges_seen = 0;
}

/* Counter Latch Command (and read-back COUNT): a second latch before the
 * first is read is ignored. A two-byte latch holds until both bytes are
 * read. */
static void latch_count(struct pit_channel *ch, uint64_t t)
{
	if (ch->latch_reads)
		return;
	ch->latched = register_value(ch, ce_at(ch, t));
	ch->latch_reads = ch->access == ACCESS_WORD ? 2 : 1;
}

static void latch_status(struct pit_channel *ch, uint64_t t)
{
	if (ch->status_latched)
		return;
	ch->status = (uint8_t)((out_at(ch, t) ? STATUS_OUT : 0) |
			       (t < ch->null_until ? STATUS_NULL : 0) |
			       ch->control);
	ch->status_latched = true;
}

static void write_control(struct pit *p, uint8_t v, uint64_t t)
{
	unsigned sel = CW_SELECT(v);
	if (sel == CW_READ_BACK) {
		for (unsigned i = 0; i < PIT_CHANNELS; i++) {
			if (!(v & RB_CHANNEL(i)))
				continue;
			if (!(v & RB_NO_COUNT))
				latch_count(&p->ch[i], t);
			if (!(v & RB_NO_STATUS))
				latch_status(&p->ch[i], t);
		}
	} else if (CW_ACCESS(v) == ACCESS_LATCH) {
		latch_count(&p->ch[sel], t);
	} else {
		control_word(&p->ch[sel], v, t);
	}
}

static void write_counter(struct pit_channel *ch, uint8_t v, uint64_t t)
{
	switch (ch->access) {
	case ACCESS_LSB:
		write_count(ch, v, t);
		break;
	case ACCESS_MSB:
		write_count(ch, (uint16_t)(v << 8), t);
		break;
	default:
		if (ch->write_msb) {
			ch->write_msb = false;
			write_count(ch, (uint16_t)(ch->write_lsb | v << 8), t);
			break;
		}
		ch->write_lsb = v;
		ch->write_msb = true;
		if (ch->mode == 0) { /* "Writing the first byte disables
				      * counting. OUT is set low immediately" */
			freeze(ch, t);
			ch->held_out = false;
			ch->armed = false;
		}
		break;
	}
}

/* "Read Operations": a latched status first, then a latched count, else
 * the live CE. With LSB-then-MSB access, reads alternate bytes. */
static uint8_t read_counter(struct pit_channel *ch, uint64_t t)
{
	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	uint16_t v = ch->latch_reads ? ch->latched
				     : register_value(ch, ce_at(ch, t));
	uint8_t byte;
	switch (ch->access) {
	case ACCESS_LSB:
		byte = (uint8_t)v;
		break;
	case ACCESS_MSB:
		byte = (uint8_t)(v >> 8);
		break;
	default:
		byte = (uint8_t)(ch->read_msb ? v >> 8 : v);
		ch->read_msb = !ch->read_msb;
		break;
	}
	if (ch->latch_reads)
		ch->latch_reads--;
	return byte;
}

/* ---- ports ------------------------------------------------------------ */

static uint64_t pit_clock(const struct pit *p, uint64_t now)
{
	return dev_clock_ticks_to(&p->clk, now, PIT_HZ);
}

/* The first dev-clock tick at which pit_clock() reaches k. */
static uint64_t clock_to_ticks(const struct pit *p, uint64_t k)
{
	if (k == NEVER)
		return DEV_CLOCK_NEVER;
	uint64_t ticks = dev_clock_ticks_from(&p->clk, k, PIT_HZ);
	if (pit_clock(p, ticks) < k)
		ticks++;
	return ticks;
}

static uint8_t read_port_b(const struct pit *p, uint64_t t)
{
	uint8_t v = p->port_b;
	if ((t / REFRESH_CLOCKS) & 1)
		v |= PORT_B_REFRESH;
	if (out_at(&p->ch[2], t))
		v |= PORT_B_OUT2;
	return v;
}

static uint8_t read_byte(struct pit *p, uint32_t port, uint64_t t)
{
	if (port >= PIT_BASE && port < PIT_CONTROL)
		return read_counter(&p->ch[port - PIT_BASE], t);
	if (port == PIT_PORT_B)
		return read_port_b(p, t);
	return OPEN_BUS; /* the control port is write-only (3-state) */
}

static void write_byte(struct pit *p, uint32_t port, uint8_t v, uint64_t t)
{
	if (port >= PIT_BASE && port < PIT_CONTROL) {
		write_counter(&p->ch[port - PIT_BASE], v, t);
	} else if (port == PIT_CONTROL) {
		write_control(p, v, t);
	} else if (port == PIT_PORT_B) {
		p->port_b = v & PORT_B_WRITABLE;
		set_gate(&p->ch[2], (v & PORT_B_GATE2) != 0, t);
	}
}

static void raise_irq0(struct pit *p, uint64_t edges)
{
	if (!edges)
		return;
	irq_line_pulse(&p->irq0);
	p->irq0_edges++;
	p->irq0_coalesced += edges - 1;
}

/* The 8254 has an 8-bit data bus: wider accesses are split into bytes at
 * consecutive ports. Each access first brings the model to `now`. */
static uint32_t pit_io_read(void *dev, uint16_t port, uint8_t size)
{
	struct pit *p = dev;
	uint64_t now = dev_clock_now(&p->clk);
	pit_update(p, now);
	uint64_t t = pit_clock(p, now);
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)read_byte(p, port + i, t) << (8 * i);
	return v;
}

/* A write can raise channel 0's OUT at once (a control word, a GATE
 * change): that rising edge reaches IRQ 0 like a counted one. */
static int pit_io_write(void *dev, uint16_t port, uint8_t size, uint32_t v)
{
	struct pit *p = dev;
	uint64_t now = dev_clock_now(&p->clk);
	pit_update(p, now);
	uint64_t t = pit_clock(p, now);
	for (unsigned i = 0; i < size; i++) {
		bool before = out_at(&p->ch[0], t);
		write_byte(p, port + i, (uint8_t)(v >> (8 * i)), t);
		if (!before && out_at(&p->ch[0], t))
			raise_irq0(p, 1);
	}
	return 0;
}

/* ---- public ----------------------------------------------------------- */

void pit_init(struct pit *p, const struct dev_clock *clk,
	      struct irq_line irq0)
{
	memset(p, 0, sizeof(*p));
	p->clk = *clk;
	p->irq0 = irq0;
	for (unsigned i = 0; i < PIT_CHANNELS; i++) {
		p->ch[i].gate = i != 2; /* channel 2: port 0x61 bit 0 */
		control_word(&p->ch[i],
			     (uint8_t)(i << 6 | ACCESS_WORD << 4 | 3 << 1), 0);
	}
}

int pit_attach(struct pit *p, struct io_bus *bus)
{
	struct io_range timer = { PIT_BASE, 4, "pit", pit_io_read,
				  pit_io_write, p };
	struct io_range port_b = { PIT_PORT_B, 1, "port-61", pit_io_read,
				   pit_io_write, p };
	int err = io_bus_register(bus, &timer, NULL);
	if (err != IO_BUS_OK)
		return err;
	return io_bus_register(bus, &port_b, NULL);
}

uint64_t pit_next_event(const struct pit *p)
{
	return clock_to_ticks(p, next_edge(&p->ch[0]));
}

void pit_update(struct pit *p, uint64_t now)
{
	uint64_t t = pit_clock(p, now);
	raise_irq0(p, advance(&p->ch[0], t));
	advance(&p->ch[1], t);
	advance(&p->ch[2], t);
}
