/*
 * Host tests for the 8254 PIT and port 0x61 (vmm/dev/pit.c), driven
 * through the port-I/O bus with a fake dev_clock. Two clocks: 3 x 1193182
 * Hz, where PIT clock k is exactly tick 3k and every expectation below is
 * exact, and a realistic 3.5 GHz TSC. Expected values come from the Intel
 * 8254 datasheet and from the sequences Linux 6.1 uses
 * (arch/x86/kernel/tsc.c: pit_calibrate_tsc, quick_pit_calibrate;
 * drivers/clocksource/i8253.c: periodic mode and shutdown).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/pit.h"
#include "vmm/io_bus.h"

#define EXACT_HZ (3ull * PIT_HZ)
#define TSC_HZ 3500000000ull
#define LINUX_HZ100_LATCH 11932 /* (1193182 + 50) / 100 */

static struct pit pit;
static struct io_bus bus;
static uint64_t now;	 /* the fake clock */
static uint64_t io_cost; /* ticks each port access takes */
static uint64_t hz;
static unsigned irq_rises;
static bool irq_level;

static uint64_t fake_now(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void irq_record(void *ctx, unsigned irq, bool level)
{
	assert_int_equal(irq, 0);
	if (level && !irq_level)
		irq_rises++;
	irq_level = level;
}

static void start(uint64_t clock_hz, uint64_t start_ticks)
{
	struct dev_clock c = { fake_now, &now, clock_hz };
	struct irq_line l = { irq_record, NULL, 0 };
	memset(&bus, 0, sizeof(bus));
	hz = clock_hz;
	now = start_ticks;
	io_cost = 0;
	irq_rises = 0;
	irq_level = false;
	pit_init(&pit, &c, l);
	assert_int_equal(pit_attach(&pit, &bus), IO_BUS_OK);
}

static void outb(uint16_t port, uint8_t v)
{
	assert_int_equal(io_bus_write(&bus, port, 1, v), 0);
	now += io_cost;
}

static uint8_t inb(uint16_t port)
{
	uint8_t v = (uint8_t)io_bus_read(&bus, port, 1);
	now += io_cost;
	return v;
}

/* The PIT clock at the fake time, computed independently of the model. */
static uint64_t pclk(void)
{
	return (uint64_t)((unsigned __int128)now * PIT_HZ / hz);
}

/* Exact clock only: go to PIT clock c. */
static void at(uint64_t c)
{
	assert_int_equal(hz, EXACT_HZ);
	now = 3 * c;
}

static void write_count(uint16_t port, uint16_t count)
{
	outb(port, (uint8_t)count);
	outb(port, (uint8_t)(count >> 8));
}

static uint16_t read_word(uint16_t port)
{
	uint16_t lo = inb(port);
	return (uint16_t)(lo | inb(port) << 8);
}

static uint16_t latched(unsigned ch)
{
	outb(0x43, (uint8_t)(ch << 6));
	return read_word((uint16_t)(0x40 + ch));
}

static bool out2(void)
{
	return (inb(0x61) & PORT_B_OUT2) != 0;
}

static void update(void)
{
	pit_update(&pit, now);
}

/* ---- Linux's TSC calibration ------------------------------------------ */

/* pit_calibrate_tsc(CAL_LATCH, CAL_MS = 10, ...) */
static void test_linux_slow_calibration(void **state)
{
	start(TSC_HZ, 123456789);
	io_cost = TSC_HZ / 1000000; /* ~1 us per port access */
	const uint32_t latch = PIT_HZ / 100;
	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xb0); /* channel 2, LSB/MSB, mode 0, binary */
	outb(0x42, latch & 0xff);
	uint64_t load = pclk() + 1; /* the MSB is written at this clock */
	outb(0x42, latch >> 8);
	uint64_t t1 = now, t2 = now;
	unsigned loops = 0;
	while ((inb(0x61) & 0x20) == 0) {
		t2 = now;
		loops++;
		assert_true(loops < 1000000);
	}
	now -= io_cost; /* the time of the read that saw OUT high */
	uint64_t seen = pclk();
	uint64_t khz = (t2 - t1) / 10;
	assert_true(loops > 1000); /* Linux's CAL_PIT_LOOPS */
	/* 10 ms of 1193182 Hz is 11931.82 counts, and each poll costs
	 * 1 us: within 200 ppm of the truth */
	assert_true(khz > TSC_HZ / 1000 - 700 && khz < TSC_HZ / 1000 + 700);
	/* OUT rose latch + 1 clocks after the MSB write, and the poll (one
	 * read per 1.19 clocks) saw it at once */
	assert_true(seen >= load + latch && seen <= load + latch + 1);
}

static bool verify_msb(uint8_t val)
{
	(void)inb(0x42); /* LSB, ignored */
	return inb(0x42) == val;
}

static bool expect_msb(uint8_t val, uint64_t *tscp, uint64_t *deltap)
{
	int count;
	uint64_t tsc = 0, prev = 0;
	for (count = 0; count < 50000; count++) {
		if (!verify_msb(val))
			break;
		prev = tsc;
		tsc = now;
	}
	*deltap = now - prev;
	*tscp = tsc;
	return count > 5;
}

/* quick_pit_calibrate(): mode 0 from 0xffff, read without latching. */
static uint64_t quick_calibrate(unsigned *iterations)
{
	const unsigned max_iter = 50 * PIT_HZ / 1000 / 256;
	uint64_t tsc, delta, d1, d2;
	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));
	outb(0x43, 0xb0);
	outb(0x42, 0xff);
	outb(0x42, 0xff);
	verify_msb(0);
	if (!expect_msb(0xff, &tsc, &d1))
		return 0;
	for (unsigned i = 1; i <= max_iter; i++) {
		if (!expect_msb((uint8_t)(0xff - i), &delta, &d2))
			return 0;
		delta -= tsc;
		if (i == 1 && d1 + d2 >= (delta * max_iter) >> 11)
			return 0;
		if (d1 + d2 >= delta >> 11)
			continue;
		if (!verify_msb((uint8_t)(0xfe - i)))
			return 0;
		*iterations = i;
		return delta * PIT_HZ / (i * 256 * 1000);
	}
	return 0;
}

static void test_linux_quick_calibration(void **state)
{
	start(TSC_HZ, 987654321);
	io_cost = TSC_HZ / 1000000;
	unsigned iterations = 0;
	uint64_t khz = quick_calibrate(&iterations);
	/* Linux accepts the result once its error bound is 500 ppm */
	assert_true(khz > TSC_HZ / 1000 - 1750 && khz < TSC_HZ / 1000 + 1750);
	assert_true(iterations > 1 && iterations < 233);
	/* the counter really ran from 0xffff: LSB then MSB alternate */
	assert_int_equal(pit.ch[2].c0, 0xffff);
}

/* ---- channel 0 and IRQ 0 ---------------------------------------------- */

/* Linux's periodic clockevent at HZ = 100, then its shutdown. */
static void test_channel0_periodic_and_shutdown(void **state)
{
	start(EXACT_HZ, 3 * 1000 + 1); /* between clocks 1000 and 1001 */
	outb(0x43, 0x34);		/* channel 0, LSB/MSB, mode 2 */
	write_count(0x40, LINUX_HZ100_LATCH);
	assert_int_equal(irq_rises, 0); /* OUT was high since reset */
	uint64_t first = 1001 + LINUX_HZ100_LATCH;
	assert_int_equal(pit_next_event(&pit), 3 * first);
	now = 3 * first - 1;
	update();
	assert_int_equal(irq_rises, 0);
	for (unsigned k = 0; k < 100; k++) {
		uint64_t edge = 3 * (first + (uint64_t)k * LINUX_HZ100_LATCH);
		assert_int_equal(pit_next_event(&pit), edge);
		now = edge;
		update();
		assert_int_equal(irq_rises, k + 1);
		assert_false(irq_level); /* a pulse */
		update();
		assert_int_equal(irq_rises, k + 1);
	}
	/* five periods late: one pulse, four coalesced */
	now += 5 * 3 * LINUX_HZ100_LATCH;
	update();
	assert_int_equal(irq_rises, 101);
	assert_int_equal(pit.irq0_edges, 101);
	assert_int_equal(pit.irq0_coalesced, 4);
	assert_int_equal(pit_next_event(&pit), now + 3 * LINUX_HZ100_LATCH);

	/* at an edge the counter has just reloaded */
	assert_int_equal(latched(0), LINUX_HZ100_LATCH);
	now += 3 * 100;
	assert_int_equal(read_word(0x40), LINUX_HZ100_LATCH - 100);
	now += 3 * (LINUX_HZ100_LATCH - 101);
	assert_int_equal(read_word(0x40), 1); /* OUT low for this clock */
	assert_int_equal(inb(0x43), 0xff);	/* write-only */

	/* clockevent_i8253_disable(): mode 0 and a zero count */
	outb(0x43, 0x30);
	outb(0x40, 0);
	outb(0x40, 0);
	uint64_t w = pclk();
	assert_int_equal(irq_rises, 101);
	assert_int_equal(pit_next_event(&pit), 3 * (w + 1 + 0x10000));
	now = 3 * (w + 1 + 0x10000) - 1;
	update();
	assert_int_equal(irq_rises, 101);
	now++;
	update();
	assert_int_equal(irq_rises, 102);
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);
	now += 1000000000ull;
	update();
	assert_int_equal(irq_rises, 102); /* one-shot: exactly once */
	assert_int_equal(pit.irq0_coalesced, 4);
}

static void test_next_event_at_3_5ghz(void **state)
{
	start(TSC_HZ, 5000000001ull);
	outb(0x43, 0x34);
	write_count(0x40, LINUX_HZ100_LATCH);
	uint64_t w = pclk();
	for (unsigned k = 1; k <= 300; k++) {
		uint64_t edge = w + 1 + (uint64_t)k * LINUX_HZ100_LATCH;
		uint64_t t = pit_next_event(&pit);
		now = t;
		assert_int_equal(pclk(), edge); /* the first tick of it */
		now = t - 1;
		assert_true(pclk() < edge);
		update();
		assert_int_equal(irq_rises, k - 1);
		now = t;
		update();
		assert_int_equal(irq_rises, k);
	}
	assert_int_equal(pit.irq0_coalesced, 0);
	/* 300 periods of 11932 clocks from the write, no drift */
	uint64_t ideal = (uint64_t)((unsigned __int128)300 * LINUX_HZ100_LATCH *
				    TSC_HZ / PIT_HZ);
	uint64_t one_clock = TSC_HZ / PIT_HZ + 1;
	assert_true(now - 5000000001ull > ideal);
	assert_true(now - 5000000001ull <= ideal + 2 * one_clock);
}

static void test_oneshot_modes(void **state)
{
	start(EXACT_HZ, 0);
	at(50);
	outb(0x43, 0x30); /* mode 0: OUT low at once */
	write_count(0x40, 100);
	assert_int_equal(pit_next_event(&pit), 3 * (51 + 100));
	at(51);
	assert_int_equal(latched(0), 100); /* loaded, not decremented */
	at(150);
	assert_int_equal(latched(0), 1);
	update();
	assert_int_equal(irq_rises, 0);
	at(151);
	update();
	assert_int_equal(irq_rises, 1);
	assert_int_equal(latched(0), 0);
	at(153);
	assert_int_equal(latched(0), 0xfffe); /* keeps counting, wraps */
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);
	at(151 + 0x10000 * 3);
	update();
	assert_int_equal(irq_rises, 1);

	/* mode 4: OUT strobes low for the clock at terminal count */
	at(1000000);
	outb(0x43, 0x38);
	write_count(0x40, 50);
	assert_int_equal(pit_next_event(&pit), 3 * (1000001 + 51));
	at(1000001 + 51);
	update();
	assert_int_equal(irq_rises, 2);
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);

	/* a count of 1 in mode 0: high two clocks after the write */
	at(2000000);
	outb(0x43, 0x10); /* LSB only */
	outb(0x40, 1);
	assert_int_equal(pit_next_event(&pit), 3 * 2000002);
}

/* ---- counter reads ---------------------------------------------------- */

static void test_latch_and_read_back(void **state)
{
	start(EXACT_HZ, 0);
	at(10);
	outb(0x43, 0x34);
	write_count(0x40, 1000); /* loaded at clock 11 */
	at(11 + 300);
	outb(0x43, 0x00); /* latch */
	at(11 + 400);
	outb(0x43, 0x00); /* ignored: the first is unread */
	assert_int_equal(inb(0x40), (1000 - 300) & 0xff);
	at(11 + 500);
	assert_int_equal(inb(0x40), (1000 - 300) >> 8); /* same latch */
	assert_int_equal(read_word(0x40), 500);		 /* live again */

	/* read-back: count and status of channel 0; status comes first */
	outb(0x43, 0xc2);
	at(11 + 600);
	assert_int_equal(inb(0x40), 0x80 | 0x34); /* OUT high, loaded */
	assert_int_equal(read_word(0x40), 500);
	outb(0x43, 0xe2); /* status only, twice: the second is ignored */
	at(11 + 999);	  /* CE = 1, OUT low */
	outb(0x43, 0xe2);
	assert_int_equal(inb(0x40), 0x80 | 0x34);
	outb(0x43, 0xe2);
	assert_int_equal(inb(0x40), 0x34);
	assert_int_equal(read_word(0x40), 1);

	/* Null Count from the control word until the count's load clock */
	outb(0x43, 0xb0);
	outb(0x43, 0xe8);
	assert_int_equal(inb(0x42), 0x40 | 0x30); /* mode 0: OUT low */
	outb(0x42, 5);
	outb(0x42, 0);
	outb(0x43, 0xe8);
	assert_int_equal(inb(0x42), 0x40 | 0x30); /* written, not loaded */
	at(11 + 1000);
	outb(0x43, 0xe8);
	assert_int_equal(inb(0x42), 0x30); /* gate low: no counting */

	/* one read-back for all three counts, at clock 1011 */
	outb(0x61, 1); /* channel 2 counts from here */
	outb(0x43, 0xde);
	at(5000);
	assert_int_equal(read_word(0x42), 5);
	assert_int_equal(read_word(0x40), 1000); /* just reloaded */
	assert_int_equal(read_word(0x41), 0); /* channel 1: never loaded */

	/* LSB-only and MSB-only access */
	outb(0x43, 0x54); /* channel 1, LSB, mode 2 */
	outb(0x41, 200);  /* loads at 5001 */
	at(5010);
	assert_int_equal(inb(0x41), 200 - 9);
	assert_int_equal(inb(0x41), 200 - 9); /* no byte toggle */
	outb(0x43, 0x64);		      /* channel 1, MSB, mode 2 */
	outb(0x41, 0x02);		      /* count 0x200 at 5011 */
	at(5020);
	assert_int_equal(inb(0x41), 0x01); /* 0x200 - 9 = 0x1f7 */
	outb(0x43, 0x40);
	at(5300);
	assert_int_equal(inb(0x41), 0x01); /* latched: one byte to read */
	assert_int_equal(inb(0x41), 0x00); /* live: 0x200 - 289 = 0xdf */

	/* reads and writes interleave (datasheet example) */
	outb(0x43, 0x74); /* channel 1, LSB/MSB, mode 2 */
	write_count(0x41, 0x1234); /* loads at 5301 */
	at(5400);
	uint8_t lsb = inb(0x41);
	outb(0x41, 0x00);
	uint8_t msb = inb(0x41);
	outb(0x41, 0x10);
	assert_int_equal(lsb | msb << 8, 0x1234 - 99);
	assert_int_equal(pit.ch[1].count, 0x1000);
}

/* ---- modes 2 and 3, GATE, reprogramming ------------------------------- */

static void test_mode3_square_wave(void **state)
{
	static const uint8_t odd_ce[5] = { 4, 2, 0, 4, 2 };
	static const uint8_t even_ce[6] = { 6, 4, 2, 6, 4, 2 };
	start(EXACT_HZ, 0);
	outb(0x61, 1); /* gate channel 2 on */
	at(10);
	outb(0x43, 0xb6); /* channel 2, LSB/MSB, mode 3 */
	write_count(0x42, 5);
	assert_true(out2());
	for (uint64_t c = 11; c < 41; c++) {
		at(c);
		uint64_t pos = (c - 11) % 5;
		assert_int_equal(out2(), pos < 3); /* high 3, low 2 */
		assert_int_equal(latched(2), odd_ce[pos]);
	}
	at(48);
	write_count(0x42, 6); /* loads at the next half-cycle: clock 49 */
	at(50);
	assert_false(out2()); /* the new count's low half, 3 clocks */
	assert_int_equal(latched(2), 4);
	outb(0x61, 0); /* GATE low while OUT is low: high at once */
	assert_true(out2());
	at(100);
	assert_true(out2());
	uint16_t held = latched(2);
	at(200);
	assert_int_equal(latched(2), held);
	outb(0x61, 1); /* trigger: the newest count, next clock */
	for (uint64_t c = 201; c < 231; c++) {
		at(c);
		uint64_t pos = (c - 201) % 6;
		assert_int_equal(out2(), pos < 3);
		assert_int_equal(latched(2), even_ce[pos]);
	}

	/* channel 0 in mode 3: one IRQ edge per period */
	at(1000);
	outb(0x43, 0x36);
	write_count(0x40, 6);
	at(1001 + 6 * 10);
	update();
	assert_int_equal(irq_rises, 1);
	assert_int_equal(pit.irq0_coalesced, 9);
	for (unsigned k = 11; k < 20; k++) {
		at(1001 + 6 * k - 1);
		update();
		at(1001 + 6 * k);
		update();
	}
	assert_int_equal(irq_rises, 10);
	assert_int_equal(pit.irq0_coalesced, 9);
}

static void test_reprogram_mid_count(void **state)
{
	start(EXACT_HZ, 0);
	/* mode 2: a new count waits for the end of the period */
	at(100);
	outb(0x43, 0x34);
	write_count(0x40, 1000); /* t0 = 101 */
	at(401);
	write_count(0x40, 500);
	outb(0x43, 0xe2);
	assert_int_equal(inb(0x40), 0x80 | 0x40 | 0x34); /* Null Count */
	assert_int_equal(pit_next_event(&pit), 3 * 1101);
	at(1101);
	update();
	assert_int_equal(irq_rises, 1);
	assert_int_equal(latched(0), 500);
	outb(0x43, 0xe2);
	assert_int_equal(inb(0x40), 0x80 | 0x34);
	assert_int_equal(pit_next_event(&pit), 3 * 1601);
	at(2101);
	update();
	assert_int_equal(irq_rises, 2);
	assert_int_equal(pit.irq0_coalesced, 1);

	/* mode 0: a new count restarts at once; the old TC never fires */
	at(10000);
	outb(0x43, 0x30); /* (delivers the mode 2 edges missed so far) */
	assert_int_equal(irq_rises, 3);
	assert_int_equal(pit.irq0_coalesced, 1 + 14); /* 2601..9601 */
	write_count(0x40, 1000);
	at(10400);
	outb(0x40, 200); /* first byte: counting stops, OUT low */
	uint16_t frozen = latched(0);
	assert_int_equal(frozen, 1000 - 399);
	at(10500);
	assert_int_equal(latched(0), frozen);
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);
	outb(0x40, 0);
	assert_int_equal(pit_next_event(&pit), 3 * (10501 + 200));
	at(11001 + 100);
	update();
	assert_int_equal(irq_rises, 4);
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);

	/* mode 3: a count written in the high half loads at its end, so
	 * the new count starts with its own low half */
	at(20000);
	outb(0x43, 0x36);
	write_count(0x40, 100); /* t0 = 20001, high 50, low 50 */
	at(20011);
	write_count(0x40, 40);
	assert_int_equal(pit_next_event(&pit), 3 * (20001 + 50 + 20));
	at(20001 + 50 + 19);
	update();
	assert_int_equal(latched(0), 2);
	at(20001 + 50 + 20);
	update();
	assert_int_equal(irq_rises, 5);
	assert_int_equal(latched(0), 40);
	assert_int_equal(pit_next_event(&pit), 3 * (20001 + 70 + 40));

	/* two counts before the first load: the second one is loaded */
	at(30000);
	outb(0x43, 0x14); /* LSB only, mode 2 */
	outb(0x40, 10);
	outb(0x40, 20);
	assert_int_equal(pit_next_event(&pit), 3 * (30001 + 20));
}

static void test_gate_modes(void **state)
{
	start(EXACT_HZ, 0);
	/* mode 0 with GATE low: loaded, not counting */
	at(100);
	outb(0x43, 0xb0);
	write_count(0x42, 100);
	at(150);
	assert_int_equal(latched(2), 100);
	outb(0x61, 1); /* counts from the next clock */
	at(180);
	assert_int_equal(latched(2), 70);
	outb(0x61, 0); /* pause at 70 */
	at(1000);
	assert_int_equal(latched(2), 70);
	assert_false(out2());
	outb(0x61, 1);
	at(1069);
	assert_false(out2());
	at(1070);
	assert_true(out2());

	/* mode 1: GATE triggers a one-shot low pulse of N clocks */
	at(2000);
	outb(0x61, 0);
	outb(0x43, 0xb2);
	write_count(0x42, 10);
	at(2100);
	assert_true(out2()); /* no trigger yet */
	outb(0x61, 1);
	at(2101);
	assert_false(out2());
	at(2105);
	outb(0x61, 0);
	outb(0x61, 1); /* retrigger: the pulse restarts */
	at(2111);
	assert_false(out2());
	at(2116);
	assert_true(out2());

	/* mode 5: GATE triggers a one-clock strobe after N clocks */
	at(3000);
	outb(0x61, 0);
	outb(0x43, 0xba);
	write_count(0x42, 10);
	outb(0x61, 1);
	at(3010);
	assert_true(out2());
	at(3011);
	assert_false(out2());
	at(3012);
	assert_true(out2());

	/* mode 2 with GATE: low forces OUT high; high reloads */
	at(4000);
	outb(0x43, 0xb4);
	write_count(0x42, 4); /* t0 = 4001: OUT low at 4004, 4008 */
	at(4004);
	assert_false(out2());
	outb(0x61, 0);
	assert_true(out2());
	at(4010);
	outb(0x61, 1);
	at(4014);
	assert_false(out2());
	at(4015);
	assert_true(out2());
}

static void test_port_61(void **state)
{
	start(EXACT_HZ, 0);
	outb(0x61, 0xff); /* only bits 0-3 are writable */
	at(17);
	assert_int_equal(inb(0x61) & 0xdf, 0x0f);
	at(18);
	assert_int_equal(inb(0x61) & 0xdf, 0x1f); /* refresh toggled */
	at(35);
	assert_int_equal(inb(0x61) & 0xdf, 0x1f);
	at(36);
	assert_int_equal(inb(0x61) & 0xdf, 0x0f);
	outb(0x61, 0x02);
	assert_int_equal(inb(0x61) & 0xcf, 0x02);
	assert_false(pit.ch[2].gate);
	/* wide accesses: bytes past the device read as an empty bus */
	assert_int_equal(io_bus_read(&bus, 0x61, 4) & 0xffffff00u,
			 0xffffff00u);
	assert_int_equal(io_bus_read(&bus, 0x42, 2) >> 8, 0xff);
}

static void test_bcd(void **state)
{
	start(EXACT_HZ, 0);
	outb(0x61, 1);
	at(100);
	outb(0x43, 0xb1); /* channel 2, mode 0, BCD */
	write_count(0x42, 0x1234);
	at(101);
	assert_int_equal(latched(2), 0x1234);
	at(106);
	assert_int_equal(latched(2), 0x1229);
	at(101 + 1233);
	assert_false(out2());
	at(101 + 1234);
	assert_true(out2());
	assert_int_equal(latched(2), 0x0000);
	at(101 + 1235);
	assert_int_equal(latched(2), 0x9999); /* wraps at 10000 */
	outb(0x43, 0xe8);
	assert_int_equal(inb(0x42), 0x80 | 0x31);

	write_count(0x42, 0); /* 10000 */
	at(101 + 1236);
	assert_int_equal(latched(2), 0x0000);
	at(101 + 1237);
	assert_int_equal(latched(2), 0x9999);
	write_count(0x42, 0xffff); /* not BCD: digits 15 -> 6665 */
	at(101 + 1238);
	assert_int_equal(latched(2), 0x6665);

	/* mode 2, BCD 100: IRQ 0 every 100 clocks */
	at(5000);
	outb(0x43, 0x35);
	write_count(0x40, 0x0100);
	assert_int_equal(pit_next_event(&pit), 3 * (5001 + 100));
	at(5101);
	update();
	assert_int_equal(pit_next_event(&pit), 3 * (5201));

	/* a binary count held when BCD is switched on reads as BCD */
	outb(0x43, 0x34);
	write_count(0x40, 54321);
	at(6000);
	outb(0x43, 0x31);
	uint16_t v = latched(0);
	for (unsigned d = 0; d < 4; d++)
		assert_true((v >> (4 * d) & 15) <= 9);
}

static void test_hostile_programming(void **state)
{
	start(EXACT_HZ, 0);
	/* illegal count 1 in modes 2 and 3: OUT stays high, no IRQs */
	at(10);
	outb(0x43, 0x34);
	write_count(0x40, 1);
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);
	at(100000);
	update();
	outb(0x43, 0x36);
	write_count(0x40, 1);
	at(200000);
	update();
	assert_int_equal(irq_rises, 0);
	assert_int_equal(latched(0), 0);
	outb(0x43, 0x34); /* count 2: the fastest legal rate */
	write_count(0x40, 2);
	at(200000 + 2001);
	update();
	assert_int_equal(irq_rises, 1);
	assert_int_equal(pit.irq0_coalesced, 999);

	/* modes 6 and 7 are 2 and 3; status shows what was written */
	outb(0x43, 0x3c);
	assert_int_equal(pit.ch[0].mode, 2);
	outb(0x43, 0xe2);
	assert_int_equal(inb(0x40), 0x80 | 0x40 | 0x3c);
	outb(0x43, 0x3e);
	assert_int_equal(pit.ch[0].mode, 3);

	/* read-back naming no counter, with the reserved bit set */
	outb(0x43, 0xf1);
	assert_false(pit.ch[0].status_latched || pit.ch[1].status_latched ||
		     pit.ch[2].status_latched);
	/* a 4-byte write fills channels 0, 1, 2 and the control port */
	io_bus_write(&bus, 0x40, 4, 0x30ffffffu);
	assert_int_equal(pit.ch[0].mode, 0);

	/* time running backwards, and a very late clock: no harm */
	uint64_t before = irq_rises;
	pit_update(&pit, 0);
	assert_int_equal(irq_rises, before);
	at(1ull << 40);
	update();
	update();
	assert_true(irq_rises <= before + 1);
	start(TSC_HZ, UINT64_MAX / 4);
	outb(0x43, 0x34);
	write_count(0x40, LINUX_HZ100_LATCH);
	now = pit_next_event(&pit);
	update();
	assert_int_equal(irq_rises, 1);
}

static void test_power_on(void **state)
{
	start(EXACT_HZ, 12345);
	for (unsigned i = 0; i < PIT_CHANNELS; i++) {
		outb(0x43, (uint8_t)(0xe0 | 2 << i));
		assert_int_equal(inb((uint16_t)(0x40 + i)),
				 0x80 | 0x40 | 0x36);
	}
	assert_int_equal(inb(0x61) & 0x2f, 0x20); /* gate off, OUT high */
	assert_int_equal(pit_next_event(&pit), DEV_CLOCK_NEVER);
	update();
	assert_int_equal(irq_rises, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_power_on),
		cmocka_unit_test(test_linux_slow_calibration),
		cmocka_unit_test(test_linux_quick_calibration),
		cmocka_unit_test(test_channel0_periodic_and_shutdown),
		cmocka_unit_test(test_next_event_at_3_5ghz),
		cmocka_unit_test(test_oneshot_modes),
		cmocka_unit_test(test_latch_and_read_back),
		cmocka_unit_test(test_mode3_square_wave),
		cmocka_unit_test(test_reprogram_mid_count),
		cmocka_unit_test(test_gate_modes),
		cmocka_unit_test(test_port_61),
		cmocka_unit_test(test_bcd),
		cmocka_unit_test(test_hostile_programming),
	};
	return cmocka_run_group_tests_name("pit", tests, NULL, NULL);
}
