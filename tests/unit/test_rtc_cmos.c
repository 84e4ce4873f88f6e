/*
 * Host tests for the MC146818A RTC and CMOS (vmm/dev/rtc_cmos.c), driven
 * through ports 0x70-0x71 with a fake dev_clock. Expected values come
 * from the MC146818A datasheet, from calendar facts checked against a
 * day-by-day count, and from the accesses of Linux's mc146818_get_time()
 * and mc146818_set_time() (drivers/rtc/rtc-mc146818-lib.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/rtc_cmos.h"
#include "vmm/io_bus.h"

#define US 1000000ull /* the fake clock counts microseconds by default */

static struct rtc rtc;
static struct io_bus bus;
static uint64_t fake_now;
static struct dev_clock clk;

static struct {
	bool level;
	unsigned rises;
} irq;

static uint64_t clock_now(void *ctx)
{
	assert_ptr_equal(ctx, &fake_now);
	return fake_now;
}

static void irq_set(void *ctx, unsigned n, bool level)
{
	assert_ptr_equal(ctx, &irq);
	assert_int_equal(n, RTC_IRQ);
	assert_true(level != irq.level);
	irq.level = level;
	irq.rises += level;
}

/* 2024-02-29 23:59:58 UTC, a Thursday */
#define T_LEAP_DAY 1709251198ull

static void start(uint64_t hz, uint64_t unix_secs)
{
	memset(&bus, 0, sizeof(bus));
	memset(&irq, 0, sizeof(irq));
	fake_now = 5000; /* the clock does not start at 0 */
	clk = (struct dev_clock){ clock_now, &fake_now, hz };
	struct irq_line line = { irq_set, &irq, RTC_IRQ };
	rtc_init(&rtc, &clk, line, unix_secs);
	assert_int_equal(rtc_attach(&rtc, &bus), IO_BUS_OK);
}

static int setup(void **state)
{
	start(US, T_LEAP_DAY);
	return 0;
}

/* time since start() in microseconds (with the default clock) */
static void at_us(uint64_t us)
{
	fake_now = 5000 + us;
}

static uint8_t cmos_read(uint8_t index)
{
	assert_int_equal(io_bus_write(&bus, RTC_PORT_INDEX, 1, index), 0);
	return (uint8_t)io_bus_read(&bus, RTC_PORT_DATA, 1);
}

static void cmos_write(uint8_t index, uint8_t v)
{
	assert_int_equal(io_bus_write(&bus, RTC_PORT_INDEX, 1, index), 0);
	assert_int_equal(io_bus_write(&bus, RTC_PORT_DATA, 1, v), 0);
}

struct tm6 {
	unsigned sec, min, hour, mday, mon, year; /* year: full */
};

static unsigned bcd2bin(uint8_t v)
{
	return (v & 0x0f) + (v >> 4) * 10;
}

/* mc146818_get_time() as port accesses, with the FADT century byte at
 * 0x32; mdelay(1) advances the fake clock by 1 ms. */
static struct tm6 linux_get_time(unsigned *retries)
{
	struct tm6 t;
	uint8_t ctrl, century;
	*retries = 0;
again:
	t.sec = cmos_read(RTC_SECONDS);
	if (cmos_read(RTC_REG_A) & RTC_A_UIP) {
		fake_now += 1000;
		(*retries)++;
		goto again;
	}
	if (t.sec != cmos_read(RTC_SECONDS))
		goto again;
	t.min = cmos_read(RTC_MINUTES);
	t.hour = cmos_read(RTC_HOURS);
	t.mday = cmos_read(RTC_DAY_OF_MONTH);
	t.mon = cmos_read(RTC_MONTH);
	t.year = cmos_read(RTC_YEAR);
	century = cmos_read(RTC_CENTURY);
	ctrl = cmos_read(RTC_REG_B);
	bool retry = cmos_read(RTC_REG_A) & RTC_A_UIP;
	retry |= t.sec != cmos_read(RTC_SECONDS);
	if (retry)
		goto again;
	if (!(ctrl & RTC_B_DM_BINARY)) {
		t.sec = bcd2bin((uint8_t)t.sec);
		t.min = bcd2bin((uint8_t)t.min);
		t.hour = bcd2bin((uint8_t)t.hour);
		t.mday = bcd2bin((uint8_t)t.mday);
		t.mon = bcd2bin((uint8_t)t.mon);
		t.year = bcd2bin((uint8_t)t.year);
		century = (uint8_t)bcd2bin(century);
	}
	t.year += century * 100u;
	return t;
}

static void assert_tm(struct tm6 t, unsigned year, unsigned mon,
		      unsigned mday, unsigned hour, unsigned min, unsigned sec)
{
	assert_int_equal(t.year, year);
	assert_int_equal(t.mon, mon);
	assert_int_equal(t.mday, mday);
	assert_int_equal(t.hour, hour);
	assert_int_equal(t.min, min);
	assert_int_equal(t.sec, sec);
}

/* ---- calendar ---------------------------------------------------------- */

static bool is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned len[12] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

static void test_calendar_fixed_points(void **state)
{
	assert_int_equal(rtc_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(rtc_days_from_civil(1969, 12, 31), -1);
	assert_int_equal(rtc_days_from_civil(2000, 1, 1), 10957);
	assert_int_equal(rtc_days_from_civil(2000, 3, 1) -
				 rtc_days_from_civil(2000, 2, 28), 2);
	assert_int_equal(rtc_days_from_civil(1900, 3, 1) -
				 rtc_days_from_civil(1900, 2, 28), 1);
	assert_int_equal(rtc_days_from_civil(2100, 3, 1) -
				 rtc_days_from_civil(2100, 2, 28), 1);
	assert_int_equal(rtc_days_from_civil(2024, 2, 29), 19782);
	assert_int_equal(rtc_days_from_civil(2038, 1, 19), 24855);
	assert_int_equal(rtc_days_from_civil(0, 3, 1), -719468);
	struct rtc_date d = rtc_civil_from_days(-719469);
	assert_int_equal(d.year, 0);
	assert_int_equal(d.month, 2);
	assert_int_equal(d.day, 29); /* year 0 is a leap year */
	d = rtc_civil_from_days(30 * 365 + 7); /* 2000-01-01 */
	assert_int_equal(d.year, 2000);
	assert_int_equal(d.month, 1);
	assert_int_equal(d.day, 1);
}

/* Every day from 1600-01-01 to 2500-12-31 against a day-by-day count. */
static void test_calendar_against_day_count(void **state)
{
	int64_t days = rtc_days_from_civil(1600, 1, 1);
	for (int64_t y = 1600; y <= 2500; y++) {
		for (unsigned m = 1; m <= 12; m++) {
			for (unsigned d = 1; d <= month_days(y, m); d++) {
				struct rtc_date c = rtc_civil_from_days(days);
				bool ok = c.year == y && c.month == m &&
					  c.day == d &&
					  rtc_days_from_civil(y, m, d) == days;
				if (!ok)
					fail_msg("%lld-%u-%u", (long long)y,
						 m, d);
				days++;
			}
		}
	}
	assert_int_equal(days, rtc_days_from_civil(2501, 1, 1));
}

/* ---- formats ------------------------------------------------------------ */

static void test_initial_registers_bcd_24h(void **state)
{
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	assert_int_equal(cmos_read(RTC_MINUTES), 0x59);
	assert_int_equal(cmos_read(RTC_HOURS), 0x23);
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 5); /* Thursday */
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 0x29);
	assert_int_equal(cmos_read(RTC_MONTH), 0x02);
	assert_int_equal(cmos_read(RTC_YEAR), 0x24);
	assert_int_equal(cmos_read(RTC_CENTURY), 0x20);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26);
	assert_int_equal(cmos_read(RTC_REG_B), 0x02);
	assert_int_equal(cmos_read(RTC_REG_C), 0x00);
	assert_int_equal(cmos_read(RTC_REG_D), 0x80);
	/* two seconds later: Friday, March 1st (2024 is a leap year) */
	at_us(2 * US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x00);
	assert_int_equal(cmos_read(RTC_MINUTES), 0x00);
	assert_int_equal(cmos_read(RTC_HOURS), 0x00);
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 6);
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 0x01);
	assert_int_equal(cmos_read(RTC_MONTH), 0x03);
}

static void test_binary_and_12h(void **state)
{
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	assert_int_equal(cmos_read(RTC_SECONDS), 58);
	assert_int_equal(cmos_read(RTC_HOURS), 23);
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 29);
	assert_int_equal(cmos_read(RTC_YEAR), 24);
	assert_int_equal(cmos_read(RTC_CENTURY), 20);
	/* 12-hour BCD: 23h is 11 PM */
	cmos_write(RTC_REG_B, 0);
	assert_int_equal(cmos_read(RTC_HOURS), 0x91);
	/* 12-hour binary */
	cmos_write(RTC_REG_B, RTC_B_DM_BINARY);
	assert_int_equal(cmos_read(RTC_HOURS), 0x8b);
	/* after midnight: 12 AM */
	at_us(2 * US);
	assert_int_equal(cmos_read(RTC_HOURS), 12);
	cmos_write(RTC_REG_B, 0);
	assert_int_equal(cmos_read(RTC_HOURS), 0x12);
	/* noon: 12 PM; 1 p.m.: 0x81 */
	at_us(2 * US + 12 * 3600 * (uint64_t)US);
	assert_int_equal(cmos_read(RTC_HOURS), 0x92);
	at_us(2 * US + 13 * 3600 * (uint64_t)US);
	assert_int_equal(cmos_read(RTC_HOURS), 0x81);
}

/* ---- UIP ---------------------------------------------------------------- */

static void test_uip_window(void **state)
{
	/* The first update is one second after start; UIP rises 8 periods
	 * of 32.768 kHz (244.14 us) before it: count 32760 is reached at
	 * 999755.86 us. */
	at_us(999755);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	at_us(999756);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26 | RTC_A_UIP);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58); /* not yet */
	at_us(999999);
	assert_int_equal(cmos_read(RTC_REG_A), 0xa6);
	at_us(1000000);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);

	/* A guest polling register A every 10 us sees UIP rise and fall
	 * once per second, and the seconds change as it falls. */
	unsigned rises = 0, falls = 0;
	bool last = false;
	uint8_t sec = cmos_read(RTC_SECONDS);
	for (uint64_t t = 1000000; t <= 4000000; t += 10) {
		at_us(t);
		bool u = cmos_read(RTC_REG_A) & RTC_A_UIP;
		uint8_t s = cmos_read(RTC_SECONDS);
		if (u && !last)
			rises++;
		if (!u && last) {
			falls++;
			assert_int_not_equal(s, sec);
		} else {
			assert_int_equal(s, sec);
		}
		sec = s;
		last = u;
	}
	assert_int_equal(rises, 3);
	assert_int_equal(falls, 3);
	/* SET=1 clears UIP and inhibits updates. */
	at_us(4999900);
	assert_true(cmos_read(RTC_REG_A) & RTC_A_UIP);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_SET);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26);
}

static void test_linux_read_sequence(void **state)
{
	unsigned retries;
	struct tm6 t = linux_get_time(&retries);
	assert_tm(t, 2024, 2, 29, 23, 59, 58);
	assert_int_equal(retries, 0);
	/* Inside the UIP window Linux waits 1 ms and gets the new time. */
	at_us(999900);
	t = linux_get_time(&retries);
	assert_int_equal(retries, 1);
	assert_tm(t, 2024, 2, 29, 23, 59, 59);
	/* In binary mode too. */
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	at_us(1999800);
	t = linux_get_time(&retries);
	assert_int_equal(retries, 1);
	assert_tm(t, 2024, 3, 1, 0, 0, 0);
}

/* ---- setting the time --------------------------------------------------- */

/* mc146818_set_time() for 2031-07-14 09:08:07 (BCD, FADT century). */
static void linux_set_time(void)
{
	uint8_t save_control = cmos_read(RTC_REG_B);
	cmos_write(RTC_REG_B, save_control | RTC_B_SET);
	uint8_t save_freq_select = cmos_read(RTC_REG_A);
	cmos_write(RTC_REG_A, save_freq_select | 0x70); /* RTC_DIV_RESET2 */
	cmos_write(RTC_YEAR, 0x31);
	cmos_write(RTC_MONTH, 0x07);
	cmos_write(RTC_DAY_OF_MONTH, 0x14);
	cmos_write(RTC_HOURS, 0x09);
	cmos_write(RTC_MINUTES, 0x08);
	cmos_write(RTC_SECONDS, 0x07);
	cmos_write(RTC_CENTURY, 0x20);
	cmos_write(RTC_REG_B, save_control);
	cmos_write(RTC_REG_A, save_freq_select);
}

static void test_linux_set_time(void **state)
{
	at_us(300000);
	linux_set_time();
	unsigned retries;
	struct tm6 t = linux_get_time(&retries);
	assert_tm(t, 2031, 7, 14, 9, 8, 7);
	/* The divider left reset: the first update is 500 ms later. */
	at_us(300000 + 499999);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x07);
	at_us(300000 + 500000);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x08);
	at_us(300000 + 500000 + 3600 * (uint64_t)US);
	t = linux_get_time(&retries);
	assert_tm(t, 2031, 7, 14, 10, 8, 8);
	/* Linux never writes the weekday byte: like the chip's weekday
	 * counter it keeps its value (Thursday, 5), not the date's. */
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 5);
}

static void test_set_freezes_and_keeps_phase(void **state)
{
	at_us(250000);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_SET | RTC_B_UIE);
	/* SET clears UIE; the bytes hold the time at SET */
	assert_int_equal(cmos_read(RTC_REG_B), RTC_B_24H | RTC_B_SET);
	at_us(5 * US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	cmos_write(RTC_HOURS, 0x07);
	cmos_write(RTC_DAY_OF_WEEK, 0x03); /* the guest says Tuesday */
	assert_int_equal(cmos_read(RTC_HOURS), 0x07);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_UF, 0); /* no update */
	at_us(5 * US + 250000);
	cmos_write(RTC_REG_B, RTC_B_24H);
	/* running again from 2024-02-29 07:59:58; the divider kept its
	 * phase, so the next update is at a whole second of the clock */
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	at_us(5 * US + 999999);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	at_us(6 * US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);
	assert_int_equal(cmos_read(RTC_HOURS), 0x07);
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 0x03);
	at_us(7 * US);
	assert_int_equal(cmos_read(RTC_HOURS), 0x08);
	/* at midnight the guest's weekday counts on */
	at_us(7 * US + 16 * 3600 * (uint64_t)US);
	assert_int_equal(cmos_read(RTC_HOURS), 0x00);
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 0x01);
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 0x04);
}

static void test_time_write_while_running(void **state)
{
	at_us(400000);
	cmos_write(RTC_MINUTES, 0x30); /* 23:30:58 */
	assert_int_equal(cmos_read(RTC_MINUTES), 0x30);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	at_us(US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);
	at_us(2 * US);
	assert_int_equal(cmos_read(RTC_MINUTES), 0x31);
	assert_int_equal(cmos_read(RTC_HOURS), 0x23);
}

/* Values the chip cannot hold carry like a counter's. */
static void test_invalid_time_values_normalized(void **state)
{
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_SET);
	cmos_write(RTC_MONTH, 0x13);	    /* month 13 */
	cmos_write(RTC_DAY_OF_MONTH, 0x31); /* of 2024: 2025-01-31 */
	cmos_write(RTC_HOURS, 0x25);	    /* 25h: 01h the next day */
	cmos_write(RTC_SECONDS, 0xff);	    /* BCD 15:15 = 165 s */
	cmos_write(RTC_REG_B, RTC_B_24H);
	assert_int_equal(cmos_read(RTC_YEAR), 0x25);
	assert_int_equal(cmos_read(RTC_MONTH), 0x02);
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 0x01);
	/* 01:00 + 59 min (the frozen minutes) + 165 s */
	assert_int_equal(cmos_read(RTC_HOURS), 0x02);
	assert_int_equal(cmos_read(RTC_MINUTES), 0x01);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x45);
	assert_int_equal(cmos_read(RTC_CENTURY), 0x20);
}

static void test_divider_reset_stops_clock(void **state)
{
	at_us(700000);
	cmos_write(RTC_REG_A, 0x70 | 0x06);
	cmos_read(RTC_REG_C); /* the periodic flag of the first 0.7 s */
	at_us(10 * US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	assert_int_equal(cmos_read(RTC_REG_A), 0x76); /* no UIP */
	cmos_write(RTC_REG_B, RTC_B_PIE | RTC_B_24H);
	rtc_update(&rtc, fake_now);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
	assert_int_equal(cmos_read(RTC_REG_C), 0); /* no periodic either */
	cmos_write(RTC_REG_A, 0x26);
	assert_int_equal(rtc_next_event(&rtc), fake_now + 977); /* 1024 Hz */
	at_us(10 * US + 499999);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	at_us(10 * US + 500000);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);
	/* A test divider selection (011) stops it too, 000 runs. */
	cmos_write(RTC_REG_A, 0x36);
	at_us(20 * US);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x59);
	cmos_write(RTC_REG_A, 0x06);
	at_us(20 * US + 500000);
	assert_int_equal(cmos_read(RTC_SECONDS), 0x00);
}

/* ---- interrupts --------------------------------------------------------- */

/* Run the VMM loop for `us` microseconds: arm for the next event, update,
 * and let the guest's handler read C, which must show the `expect_c`
 * bits (other flags are set too: the chip sets them whether or not they
 * are enabled). Returns the interrupts taken. */
static unsigned run_interrupts(uint64_t us, uint8_t expect_c)
{
	uint64_t end = fake_now + us;
	unsigned n = 0;
	for (;;) {
		uint64_t next = rtc_next_event(&rtc);
		if (next > end)
			break;
		assert_true(next >= fake_now);
		fake_now = next;
		rtc_update(&rtc, fake_now);
		assert_true(irq.level);
		uint8_t c = cmos_read(RTC_REG_C);
		assert_int_equal(c & expect_c, expect_c);
		assert_false(irq.level);
		n++;
	}
	fake_now = end;
	return n;
}

static void test_periodic_rates(void **state)
{
	static const struct {
		uint8_t rs;
		unsigned hz;
	} rates[] = {
		{ 1, 256 }, { 2, 128 }, { 3, 8192 }, { 6, 1024 },
		{ 8, 256 }, { 13, 8 },	{ 15, 2 },
	};
	/* a 3.5 GHz clock, as on the Bochs model: rounding matters */
	start(3500000000ull, T_LEAP_DAY);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_PIE);
	for (unsigned i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		cmos_write(RTC_REG_A, 0x20 | rates[i].rs);
		cmos_read(RTC_REG_C);
		/* start on a second boundary of the divider */
		fake_now = 5000 + (i + 1) * 3500000000ull;
		rtc_update(&rtc, fake_now);
		cmos_read(RTC_REG_C);
		unsigned n = run_interrupts(3500000000ull,
					    RTC_C_IRQF | RTC_C_PF);
		assert_int_equal(n, rates[i].hz);
	}
	cmos_write(RTC_REG_A, 0x20); /* rate 0: none */
	cmos_read(RTC_REG_C);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
}

static void test_flags_without_enables(void **state)
{
	/* 1024 Hz periodic runs with PIE off: PF is set, no IRQ */
	at_us(2000);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_PF);
	assert_int_equal(cmos_read(RTC_REG_C), 0);
	at_us(1500000); /* an update and more ticks */
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_PF | RTC_C_UF);
	assert_false(irq.level);
	/* enabling PIE with PF already set raises IRQ 8 at once */
	at_us(1502000);
	rtc_update(&rtc, fake_now);
	assert_false(irq.level);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_PIE);
	assert_true(irq.level);
	assert_int_equal(irq.rises, 1);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
	/* disabling it lowers IRQ 8 again (IRQF = PF & PIE) */
	cmos_write(RTC_REG_B, RTC_B_24H);
	assert_false(irq.level);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_PIE);
	assert_true(irq.level);
	/* without reading C, no further interrupt: the line stays up */
	at_us(1600000);
	rtc_update(&rtc, fake_now);
	assert_int_equal(irq.rises, 2);
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_IRQF | RTC_C_PF);
	assert_false(irq.level);
	/* writes to C and D are ignored */
	cmos_write(RTC_REG_C, 0xff);
	cmos_write(RTC_REG_D, 0x00);
	assert_int_equal(cmos_read(RTC_REG_C), 0);
	assert_int_equal(cmos_read(RTC_REG_D), 0x80);
	/* UIP is read-only */
	cmos_write(RTC_REG_A, 0xa6);
	assert_int_equal(cmos_read(RTC_REG_A), 0x26);
}

static void test_update_interrupt(void **state)
{
	cmos_write(RTC_REG_A, 0x20); /* no periodic flag noise */
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_UIE);
	assert_int_equal(rtc_next_event(&rtc), 5000 + US);
	assert_int_equal(run_interrupts(5 * US, RTC_C_IRQF | RTC_C_UF), 5);
	/* a late VMM: four updates collapse into one interrupt */
	at_us(9 * US);
	rtc_update(&rtc, fake_now);
	assert_int_equal(cmos_read(RTC_REG_C), RTC_C_IRQF | RTC_C_UF);
	assert_int_equal(rtc.irqs, 6);
}

static void test_alarms(void **state)
{
	cmos_write(RTC_REG_A, 0x20);
	/* 00:00:05 on the next day (the clock is at 23:59:58) */
	cmos_write(RTC_HOURS_ALARM, 0x00);
	cmos_write(RTC_MINUTES_ALARM, 0x00);
	cmos_write(RTC_SECONDS_ALARM, 0x05);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER); /* AIE off */
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_AIE);
	assert_int_equal(rtc_next_event(&rtc), 5000 + 7 * US);
	at_us(7 * US - 1);
	rtc_update(&rtc, fake_now);
	assert_false(irq.level);
	at_us(7 * US);
	rtc_update(&rtc, fake_now);
	assert_true(irq.level);
	assert_int_equal(cmos_read(RTC_REG_C),
			 RTC_C_IRQF | RTC_C_AF | RTC_C_UF);
	/* next: a day later */
	assert_int_equal(rtc_next_event(&rtc), 5000 + (7 + 86400) * US);

	/* don't care minutes and hours: every minute at :30 */
	cmos_write(RTC_MINUTES_ALARM, 0xc0);
	cmos_write(RTC_HOURS_ALARM, 0xff);
	cmos_write(RTC_SECONDS_ALARM, 0x30);
	assert_int_equal(rtc_next_event(&rtc), 5000 + (7 + 25) * US);
	assert_int_equal(run_interrupts(150 * US, RTC_C_IRQF | RTC_C_AF |
							  RTC_C_UF), 3);
	/* all don't care: every second */
	cmos_write(RTC_SECONDS_ALARM, 0xc0);
	assert_int_equal(rtc_next_event(&rtc), fake_now + US);
	/* a late VMM still sees an alarm that matched in between */
	cmos_write(RTC_SECONDS_ALARM, 0x10);
	cmos_write(RTC_MINUTES_ALARM, 0xc0);
	cmos_read(RTC_REG_C);
	at_us(157 * US + 90 * US); /* crosses a :10 */
	rtc_update(&rtc, fake_now);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, RTC_C_AF);
	/* an impossible alarm (BCD 0x5a, or 60 s) never fires */
	cmos_write(RTC_SECONDS_ALARM, 0x5a);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
	cmos_write(RTC_SECONDS_ALARM, 0x60);
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
	at_us(400 * US);
	rtc_update(&rtc, fake_now);
	assert_int_equal(cmos_read(RTC_REG_C) & RTC_C_AF, 0);
}

static void test_alarm_12h(void **state)
{
	cmos_write(RTC_REG_A, 0x20);
	cmos_write(RTC_REG_B, RTC_B_AIE); /* 12-hour, BCD */
	cmos_write(RTC_SECONDS_ALARM, 0x00);
	cmos_write(RTC_MINUTES_ALARM, 0x00);
	cmos_write(RTC_HOURS_ALARM, 0x81); /* 1 PM */
	/* 23:59:58 -> 13:00:00 the next day: 13 h + 2 s */
	assert_int_equal(rtc_next_event(&rtc), 5000 + (2 + 13 * 3600) * US);
	cmos_write(RTC_HOURS_ALARM, 0x12); /* 12 AM = midnight */
	assert_int_equal(rtc_next_event(&rtc), 5000 + 2 * US);
	cmos_write(RTC_HOURS_ALARM, 0x13); /* no hour 13 in 12-hour mode */
	assert_int_equal(rtc_next_event(&rtc), DEV_CLOCK_NEVER);
}

/* ---- century and leap years --------------------------------------------- */

static void test_century_rollovers(void **state)
{
	unsigned retries;
	start(US, 4102444799ull); /* 2099-12-31 23:59:59 */
	at_us(US);
	assert_tm(linux_get_time(&retries), 2100, 1, 1, 0, 0, 0);
	assert_int_equal(cmos_read(RTC_CENTURY), 0x21);
	assert_int_equal(cmos_read(RTC_YEAR), 0x00);
	start(US, 4107542399ull); /* 2100-02-28 23:59:59: not a leap year */
	at_us(US);
	assert_tm(linux_get_time(&retries), 2100, 3, 1, 0, 0, 0);
	start(US, 946684799ull); /* 1999-12-31 23:59:59 */
	assert_int_equal(cmos_read(RTC_CENTURY), 0x19);
	at_us(US);
	assert_tm(linux_get_time(&retries), 2000, 1, 1, 0, 0, 0);
	assert_int_equal(cmos_read(RTC_DAY_OF_WEEK), 7); /* a Saturday */
	start(US, 951868799ull); /* 2000-02-29 23:59:59: 2000 is leap */
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 0x29);
	at_us(US);
	assert_tm(linux_get_time(&retries), 2000, 3, 1, 0, 0, 0);
	/* the guest sets 2099 through the century byte in binary mode */
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY | RTC_B_SET);
	cmos_write(RTC_CENTURY, 20);
	cmos_write(RTC_YEAR, 99);
	cmos_write(RTC_MONTH, 12);
	cmos_write(RTC_DAY_OF_MONTH, 31);
	cmos_write(RTC_HOURS, 23);
	cmos_write(RTC_MINUTES, 59);
	cmos_write(RTC_SECONDS, 59);
	cmos_write(RTC_REG_B, RTC_B_24H | RTC_B_DM_BINARY);
	at_us(2 * US);
	assert_int_equal(cmos_read(RTC_CENTURY), 21);
	assert_int_equal(cmos_read(RTC_YEAR), 0);
	assert_int_equal(cmos_read(RTC_DAY_OF_MONTH), 1);
}

/* ---- ports and CMOS RAM ------------------------------------------------- */

static void test_index_nmi_and_ram(void **state)
{
	assert_int_equal(io_bus_write(&bus, RTC_PORT_INDEX, 1, 0x8f), 0);
	assert_true(rtc.nmi_disabled);
	assert_int_equal(rtc.index, 0x0f);
	assert_int_equal(io_bus_read(&bus, RTC_PORT_INDEX, 1), 0xff);
	assert_int_equal(io_bus_write(&bus, RTC_PORT_DATA, 1, 0x0a), 0);
	assert_int_equal(cmos_read(CMOS_SHUTDOWN_STATUS), 0x0a);
	assert_false(rtc.nmi_disabled);
	for (unsigned i = 0x0e; i < 0x80; i++) {
		if (i == RTC_CENTURY)
			continue;
		cmos_write((uint8_t)i, (uint8_t)(i ^ 0x5a));
	}
	for (unsigned i = 0x0e; i < 0x80; i++) {
		if (i == RTC_CENTURY)
			continue;
		assert_int_equal(cmos_read((uint8_t)i), i ^ 0x5a);
		/* bit 7 of the index is the NMI mask, not an address bit */
		assert_int_equal(cmos_read((uint8_t)(i | 0x80)), i ^ 0x5a);
	}
	/* the time bytes did not move */
	assert_int_equal(cmos_read(RTC_SECONDS), 0x58);
	assert_int_equal(cmos_read(RTC_CENTURY), 0x20);
	/* a word write: index, then data */
	assert_int_equal(io_bus_write(&bus, RTC_PORT_INDEX, 2, 0x7740), 0);
	assert_int_equal(cmos_read(0x40), 0x77);
	/* a word read at 0x70: open bus, then the data byte */
	assert_int_equal(io_bus_write(&bus, RTC_PORT_INDEX, 1, 0x40), 0);
	assert_int_equal(io_bus_read(&bus, RTC_PORT_INDEX, 2), 0x77ff);
	/* a dword read at 0x71: data, then open bus */
	assert_int_equal(io_bus_read(&bus, RTC_PORT_DATA, 4), 0xffffff77u);
	/* the ports are claimed once */
	assert_int_equal(rtc_attach(&rtc, &bus), IO_BUS_OVERLAP);
}

static void test_memory_size(void **state)
{
	rtc_set_memory_size(&rtc, 256ull << 20);
	assert_int_equal(cmos_read(CMOS_BASE_MEM_LO), 0x80); /* 640 */
	assert_int_equal(cmos_read(CMOS_BASE_MEM_HI), 0x02);
	assert_int_equal(cmos_read(CMOS_EXT_MEM_LO), 0xff); /* capped */
	assert_int_equal(cmos_read(CMOS_EXT_MEM_HI), 0xff);
	assert_int_equal(cmos_read(CMOS_EXT_MEM2_LO), 0xff);
	assert_int_equal(cmos_read(CMOS_EXT_MEM2_HI), 0xff);
	assert_int_equal(cmos_read(CMOS_MEM_16M_LO), 0x00); /* 3840 */
	assert_int_equal(cmos_read(CMOS_MEM_16M_HI), 0x0f);
	assert_int_equal(cmos_read(CMOS_MEM_4G_LO), 0);
	assert_int_equal(cmos_read(CMOS_MEM_4G_MID), 0);
	assert_int_equal(cmos_read(CMOS_MEM_4G_HI), 0);

	rtc_set_memory_size(&rtc, 32ull << 20);
	assert_int_equal(cmos_read(CMOS_EXT_MEM_LO), 0x00); /* 31744 */
	assert_int_equal(cmos_read(CMOS_EXT_MEM_HI), 0x7c);
	assert_int_equal(cmos_read(CMOS_MEM_16M_LO), 0x00); /* 256 */
	assert_int_equal(cmos_read(CMOS_MEM_16M_HI), 0x01);

	rtc_set_memory_size(&rtc, 6ull << 30);
	assert_int_equal(cmos_read(CMOS_MEM_16M_LO), 0x00); /* 65280 */
	assert_int_equal(cmos_read(CMOS_MEM_16M_HI), 0xff);
	assert_int_equal(cmos_read(CMOS_MEM_4G_LO), 0x00); /* 2 GiB: 32768 */
	assert_int_equal(cmos_read(CMOS_MEM_4G_MID), 0x80);
	assert_int_equal(cmos_read(CMOS_MEM_4G_HI), 0x00);

	rtc_set_memory_size(&rtc, 512 * 1024);
	assert_int_equal(cmos_read(CMOS_BASE_MEM_LO), 0x00); /* 512 */
	assert_int_equal(cmos_read(CMOS_BASE_MEM_HI), 0x02);
	assert_int_equal(cmos_read(CMOS_EXT_MEM_LO), 0);
	assert_int_equal(cmos_read(CMOS_EXT_MEM_HI), 0);
	assert_int_equal(cmos_read(CMOS_MEM_16M_LO), 0);
	assert_int_equal(cmos_read(CMOS_MEM_16M_HI), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar_fixed_points),
		cmocka_unit_test(test_calendar_against_day_count),
		cmocka_unit_test_setup(test_initial_registers_bcd_24h, setup),
		cmocka_unit_test_setup(test_binary_and_12h, setup),
		cmocka_unit_test_setup(test_uip_window, setup),
		cmocka_unit_test_setup(test_linux_read_sequence, setup),
		cmocka_unit_test_setup(test_linux_set_time, setup),
		cmocka_unit_test_setup(test_set_freezes_and_keeps_phase, setup),
		cmocka_unit_test_setup(test_time_write_while_running, setup),
		cmocka_unit_test_setup(test_invalid_time_values_normalized,
				       setup),
		cmocka_unit_test_setup(test_divider_reset_stops_clock, setup),
		cmocka_unit_test_setup(test_periodic_rates, setup),
		cmocka_unit_test_setup(test_flags_without_enables, setup),
		cmocka_unit_test_setup(test_update_interrupt, setup),
		cmocka_unit_test_setup(test_alarms, setup),
		cmocka_unit_test_setup(test_alarm_12h, setup),
		cmocka_unit_test_setup(test_century_rollovers, setup),
		cmocka_unit_test_setup(test_index_nmi_and_ram, setup),
		cmocka_unit_test_setup(test_memory_size, setup),
	};
	return cmocka_run_group_tests_name("rtc_cmos", tests, NULL, NULL);
}
