/*
 * MC146818A RTC and CMOS RAM (see rtc_cmos.h). Section names below are
 * those of the MC146818A datasheet: "Time, Calendar and Alarm Locations",
 * "Update Cycle", "Register A" (UIP, DV2-0, RS3-0 and the periodic rate
 * table), "Register B", "Register C", "Register D", "Interrupts".
 */
#include "vmm/dev/rtc_cmos.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define SECS_PER_DAY 86400
#define COUNTS_PER_SEC RTC_DIVIDER_HZ
/* "Update Cycle": UIP rises 244 us before the update, 8 periods of the
 * 32.768 kHz time base (244.14 us). */
#define UIP_COUNTS 8
/* "Register A", DV2-0: the first update comes half a second after the
 * divider chain leaves reset. */
#define RESTART_COUNT (COUNTS_PER_SEC / 2)
#define NO_ALARM INT64_MAX
#define OPEN_BUS 0xff

/* ---- small arithmetic -------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* ceil(a * b / d) without a 128-bit product: exact while (d - 1) * b
 * fits in 64 bits (d = 32768 and b = the dev_clock's rate here). */
static uint64_t muldiv_up(uint64_t a, uint64_t b, uint64_t d)
{
	return (a / d) * b + ((a % d) * b + d - 1) / d;
}

/* ---- calendar (proleptic Gregorian) ------------------------------------ */

/*
 * The civil-from-days algorithms count in 400-year eras of 146097 days
 * that start on March 1st, so the leap day is the last day of a year and
 * every month length but February's follows from (153 * m + 2) / 5.
 * 719468 is the number of days from 0000-03-01 to 1970-01-01.
 */
int64_t rtc_days_from_civil(int64_t year, unsigned month, unsigned day)
{
	int64_t y = year - (month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;			 /* 0-399 */
	int64_t mp = month > 2 ? month - 3 : month + 9;	 /* March = 0 */
	int64_t doy = (153 * mp + 2) / 5 + (int64_t)day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; /* 0-146096 */
	return era * 146097 + doe - 719468;
}

struct rtc_date rtc_civil_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct rtc_date d;
	d.day = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
	d.year = yoe + era * 400 + (d.month <= 2);
	return d;
}

/* 1970-01-01 was a Thursday: weekday 5 when Sunday is 1. */
static unsigned weekday(int64_t days, unsigned adjust)
{
	return (unsigned)floor_mod(days + 4 + adjust, 7) + 1;
}

/* ---- register formats ("Time, Calendar and Alarm Locations") ----------- */

static bool binary_mode(const struct rtc *r)
{
	return r->cmos[RTC_REG_B] & RTC_B_DM_BINARY;
}

static bool mode_24h(const struct rtc *r)
{
	return r->cmos[RTC_REG_B] & RTC_B_24H;
}

static uint8_t encode(const struct rtc *r, unsigned v)
{
	if (binary_mode(r))
		return (uint8_t)v;
	return (uint8_t)((v / 10) << 4 | v % 10);
}

/* For the guest's time bytes: any byte has a value, the way a counter
 * would take it (a BCD byte with a digit above 9 counts that digit). */
static unsigned decode_lenient(const struct rtc *r, uint8_t b)
{
	return binary_mode(r) ? b : (b >> 4) * 10u + (b & 0x0f);
}

/* For alarm matching, where the chip compares bytes: a byte the clock
 * can never show (a BCD digit above 9) decodes to -1, matching nothing. */
static int decode_strict(const struct rtc *r, uint8_t b)
{
	if (binary_mode(r))
		return b;
	if ((b >> 4) > 9 || (b & 0x0f) > 9)
		return -1;
	return (b >> 4) * 10 + (b & 0x0f);
}

static uint8_t encode_hour(const struct rtc *r, unsigned h)
{
	if (mode_24h(r))
		return encode(r, h);
	unsigned h12 = h % 12 ? h % 12 : 12;
	return encode(r, h12) | (h >= 12 ? RTC_HOUR_PM : 0);
}

/* 12-hour mode: 12 AM is hour 0 and 12 PM hour 12. */
static unsigned decode_hour_lenient(const struct rtc *r, uint8_t b)
{
	if (mode_24h(r))
		return decode_lenient(r, b);
	unsigned h12 = decode_lenient(r, b & ~RTC_HOUR_PM);
	return h12 % 12 + (b & RTC_HOUR_PM ? 12 : 0);
}

/* ---- the divider chain and the seconds count --------------------------- */

static bool dv_runs(uint8_t reg_a)
{
	return (reg_a & RTC_A_DV) <= RTC_A_DV_32K; /* 000, 001, 010 */
}

/* The divider's count at `now` (32.768 kHz periods). */
static uint64_t count_at(const struct rtc *r, uint64_t now)
{
	if (!r->div_running || now < r->div_origin)
		return r->div_seen;
	return r->div_offset +
	       dev_clock_ticks_to(&r->clk, now - r->div_origin,
				  RTC_DIVIDER_HZ);
}

/* The dev-clock tick at which the divider reaches `count` (> offset). */
static uint64_t tick_of(const struct rtc *r, uint64_t count)
{
	return r->div_origin +
	       muldiv_up(count - r->div_offset, r->clk.hz, RTC_DIVIDER_HZ);
}

static int64_t secs_at(const struct rtc *r, uint64_t count)
{
	return r->secs_base + (int64_t)(count / COUNTS_PER_SEC);
}

/* "Register A", RS3-0 with a 32.768 kHz time base: the periodic interrupt
 * period in divider counts (0: none). 0001 and 0010 give 256 and 128 Hz,
 * like 1000 and 1001; from 0011 on, the period doubles per step from
 * 122.07 us (8192 Hz) to 500 ms (2 Hz). */
static uint64_t periodic_counts(uint8_t reg_a)
{
	unsigned rs = reg_a & RTC_A_RS;
	if (rs == 0)
		return 0;
	return rs <= 2 ? 1u << (rs + 6) : 1u << (rs - 1);
}

static bool updates_enabled(const struct rtc *r)
{
	return r->div_running && !(r->cmos[RTC_REG_B] & RTC_B_SET);
}

/* ---- alarm ------------------------------------------------------------- */

#define ALARM_ANY (-2)

/* An alarm byte as a value to match: ALARM_ANY for 0xc0-0xff, -1 for a
 * byte the time bytes never hold (the alarm never fires). */
static int alarm_field(const struct rtc *r, uint8_t b, bool hour)
{
	if ((b & RTC_ALARM_ANY) == RTC_ALARM_ANY)
		return ALARM_ANY;
	if (!hour) {
		int v = decode_strict(r, b);
		return v < 60 ? v : -1;
	}
	if (mode_24h(r)) {
		int v = decode_strict(r, b);
		return v < 24 ? v : -1;
	}
	int h12 = decode_strict(r, b & ~RTC_HOUR_PM);
	if (h12 < 1 || h12 > 12)
		return -1;
	return h12 % 12 + (b & RTC_HOUR_PM ? 12 : 0);
}

static bool field_matches(int field, int v)
{
	return field == ALARM_ANY || field == v;
}

/* The smallest v >= from (and < limit) the field matches, or -1. */
static int field_next(int field, int from, int limit)
{
	if (field == ALARM_ANY)
		return from < limit ? from : -1;
	return field >= from && field < limit ? field : -1;
}

/* The first time of day (seconds) >= `from` that matches, or -1. At most
 * two minutes are tried per hour: if the seconds cannot match in the
 * first one, they can in the next matching minute, if any. */
static int64_t alarm_next_tod(const int f[3], int64_t from)
{
	int fh = (int)(from / 3600), fm = (int)(from / 60 % 60);
	for (int h = fh; h < 24; h++) {
		if (!field_matches(f[2], h))
			continue;
		int m = field_next(f[1], h == fh ? fm : 0, 60);
		while (m >= 0) {
			bool first = h == fh && m == fm;
			int s = field_next(f[0], first ? (int)(from % 60) : 0,
					   60);
			if (s >= 0)
				return h * 3600 + m * 60 + s;
			m = field_next(f[1], m + 1, 60);
		}
	}
	return -1;
}

/* The first second after `secs` at which the alarm bytes match the time,
 * or NO_ALARM. The pattern repeats daily, so two days are enough. */
static int64_t alarm_next(const struct rtc *r, int64_t secs)
{
	const int f[3] = {
		alarm_field(r, r->cmos[RTC_SECONDS_ALARM], false),
		alarm_field(r, r->cmos[RTC_MINUTES_ALARM], false),
		alarm_field(r, r->cmos[RTC_HOURS_ALARM], true),
	};
	if (f[0] == -1 || f[1] == -1 || f[2] == -1)
		return NO_ALARM;
	int64_t tod = floor_mod(secs, SECS_PER_DAY);
	int64_t day = secs - tod;
	int64_t t = alarm_next_tod(f, tod + 1);
	if (t >= 0)
		return day + t;
	t = alarm_next_tod(f, 0);
	return t >= 0 ? day + SECS_PER_DAY + t : NO_ALARM;
}

/* ---- flags and IRQ 8 ("Register C", "Interrupts") ---------------------- */

static void update_irq(struct rtc *r)
{
	uint8_t b = r->cmos[RTC_REG_B], c = r->cmos[RTC_REG_C];
	bool irqf = ((c & RTC_C_PF) && (b & RTC_B_PIE)) ||
		    ((c & RTC_C_AF) && (b & RTC_B_AIE)) ||
		    ((c & RTC_C_UF) && (b & RTC_B_UIE));
	r->cmos[RTC_REG_C] = irqf ? (c | RTC_C_IRQF) : (c & ~RTC_C_IRQF);
	if (irqf != r->irq_level) {
		r->irq_level = irqf;
		if (irqf)
			r->irqs++;
		irq_line_set(&r->irq, irqf);
	}
}

/* Set the flags of every event between the last count seen and `now`:
 * a periodic tick, an update, an alarm match at one of the updates.
 * Several events of one kind collapse into one flag, as on the chip. */
static void advance(struct rtc *r, uint64_t now)
{
	uint64_t c = count_at(r, now);
	if (c <= r->div_seen)
		return;
	uint64_t p = periodic_counts(r->cmos[RTC_REG_A]);
	if (p && c / p != r->div_seen / p)
		r->cmos[RTC_REG_C] |= RTC_C_PF;
	if (updates_enabled(r) &&
	    c / COUNTS_PER_SEC != r->div_seen / COUNTS_PER_SEC) {
		r->cmos[RTC_REG_C] |= RTC_C_UF;
		if (alarm_next(r, secs_at(r, r->div_seen)) <= secs_at(r, c))
			r->cmos[RTC_REG_C] |= RTC_C_AF;
	}
	r->div_seen = c;
}

/* ---- time bytes: computed, frozen, set --------------------------------- */

static bool is_time_byte(uint8_t index)
{
	switch (index) {
	case RTC_SECONDS:
	case RTC_MINUTES:
	case RTC_HOURS:
	case RTC_DAY_OF_WEEK:
	case RTC_DAY_OF_MONTH:
	case RTC_MONTH:
	case RTC_YEAR:
	case RTC_CENTURY:
		return true;
	}
	return false;
}

/* The time byte `index` of the clock at `secs`, in the current format. */
static uint8_t time_byte(const struct rtc *r, uint8_t index, int64_t secs)
{
	int64_t days = floor_div(secs, SECS_PER_DAY);
	unsigned tod = (unsigned)(secs - days * SECS_PER_DAY);
	struct rtc_date d = rtc_civil_from_days(days);
	switch (index) {
	case RTC_SECONDS:
		return encode(r, tod % 60);
	case RTC_MINUTES:
		return encode(r, tod / 60 % 60);
	case RTC_HOURS:
		return encode_hour(r, tod / 3600);
	case RTC_DAY_OF_WEEK:
		return encode(r, weekday(days, r->wday_adjust));
	case RTC_DAY_OF_MONTH:
		return encode(r, d.day);
	case RTC_MONTH:
		return encode(r, d.month);
	case RTC_YEAR:
		return encode(r, (unsigned)floor_mod(d.year, 100));
	default: /* RTC_CENTURY */
		return encode(r, (unsigned)floor_mod(floor_div(d.year, 100),
						     100));
	}
}

/* Stop the clock: the time bytes become storage holding the time now. */
static void freeze(struct rtc *r)
{
	static const uint8_t bytes[] = {
		RTC_SECONDS,	  RTC_MINUTES, RTC_HOURS, RTC_DAY_OF_WEEK,
		RTC_DAY_OF_MONTH, RTC_MONTH,   RTC_YEAR,  RTC_CENTURY,
	};
	int64_t secs = secs_at(r, r->div_seen);
	for (unsigned i = 0; i < sizeof(bytes); i++)
		r->cmos[bytes[i]] = time_byte(r, bytes[i], secs);
	r->frozen = true;
}

/*
 * Restart the clock from the time bytes (the guest's "set"), keeping the
 * divider's phase: the next update comes when it would have. Values out
 * of range carry like a counter's: month 13 is January of the next year,
 * day 31 of a 30-day month the 1st of the next, hour 25 1 a.m. the next
 * day. The weekday byte is kept as an offset from the computed weekday.
 */
static void thaw(struct rtc *r)
{
	const uint8_t *t = r->cmos;
	int64_t month0 = (int64_t)decode_lenient(r, t[RTC_MONTH]) - 1;
	int64_t year = decode_lenient(r, t[RTC_YEAR]) +
		       100 * (int64_t)decode_lenient(r, t[RTC_CENTURY]) +
		       floor_div(month0, 12);
	unsigned month = (unsigned)floor_mod(month0, 12) + 1;
	int64_t days = rtc_days_from_civil(year, month, 1) +
		       (int64_t)decode_lenient(r, t[RTC_DAY_OF_MONTH]) - 1;
	int64_t secs = days * SECS_PER_DAY +
		       decode_hour_lenient(r, t[RTC_HOURS]) * 3600 +
		       decode_lenient(r, t[RTC_MINUTES]) * 60 +
		       decode_lenient(r, t[RTC_SECONDS]);
	unsigned wday = decode_lenient(r, t[RTC_DAY_OF_WEEK]);
	r->wday_adjust = (uint8_t)floor_mod((int64_t)wday - weekday(days, 0),
					    7);
	/* secs_at(div_seen) must now read `secs` */
	r->secs_base = secs - (int64_t)(r->div_seen / COUNTS_PER_SEC);
	r->frozen = false;
}

static void write_time_byte(struct rtc *r, uint8_t index, uint8_t v)
{
	if (r->frozen) {
		r->cmos[index] = v;
		return;
	}
	/* Written while running: the clock continues from the new value. */
	freeze(r);
	r->cmos[index] = v;
	thaw(r);
}

/* ---- registers A and B ------------------------------------------------- */

static void write_reg_a(struct rtc *r, uint8_t v, uint64_t now)
{
	bool was_running = r->div_running;
	r->cmos[RTC_REG_A] = v & ~RTC_A_UIP;
	bool running = dv_runs(v);
	if (was_running && !running) {
		if (!r->frozen)
			freeze(r);
		r->div_running = false;
	} else if (!was_running && running) {
		r->div_running = true;
		r->div_origin = now;
		r->div_offset = RESTART_COUNT;
		r->div_seen = RESTART_COUNT;
		if (!(r->cmos[RTC_REG_B] & RTC_B_SET))
			thaw(r);
	}
}

/* "Register B": setting SET ends any update and clears UIE; the time
 * bytes can then be written without an update in between. Clearing SET
 * starts the clock from them. */
static void write_reg_b(struct rtc *r, uint8_t v)
{
	uint8_t old = r->cmos[RTC_REG_B];
	if (v & RTC_B_SET)
		v &= ~RTC_B_UIE;
	r->cmos[RTC_REG_B] = v;
	bool set_rises = (v & RTC_B_SET) && !(old & RTC_B_SET);
	bool set_falls = !(v & RTC_B_SET) && (old & RTC_B_SET);
	if (set_rises && !r->frozen)
		freeze(r); /* the bytes take the new format at once */
	else if (set_falls && r->div_running)
		thaw(r);
}

/* "Update Cycle": UIP is 1 from 244 us before an update to the update. */
static bool uip(const struct rtc *r)
{
	return updates_enabled(r) &&
	       r->div_seen % COUNTS_PER_SEC >= COUNTS_PER_SEC - UIP_COUNTS;
}

/* ---- CMOS access ------------------------------------------------------- */

uint8_t rtc_read(struct rtc *r, uint8_t index, uint64_t now)
{
	index &= RTC_INDEX_MASK;
	advance(r, now);
	uint8_t v;
	if (is_time_byte(index) && !r->frozen) {
		v = time_byte(r, index, secs_at(r, r->div_seen));
	} else if (index == RTC_REG_A) {
		v = r->cmos[RTC_REG_A] | (uip(r) ? RTC_A_UIP : 0);
	} else if (index == RTC_REG_C) {
		update_irq(r); /* IRQF as of now */
		v = r->cmos[RTC_REG_C];
		r->cmos[RTC_REG_C] = 0; /* read clears every flag */
	} else if (index == RTC_REG_D) {
		v = RTC_D_VRT;
	} else {
		v = r->cmos[index];
	}
	update_irq(r);
	return v;
}

void rtc_write(struct rtc *r, uint8_t index, uint8_t v, uint64_t now)
{
	index &= RTC_INDEX_MASK;
	advance(r, now);
	if (is_time_byte(index))
		write_time_byte(r, index, v);
	else if (index == RTC_REG_A)
		write_reg_a(r, v, now);
	else if (index == RTC_REG_B)
		write_reg_b(r, v);
	else if (index != RTC_REG_C && index != RTC_REG_D) /* read only */
		r->cmos[index] = v;
	update_irq(r);
}

/* ---- port handlers ----------------------------------------------------- */

/* Port 0x70 is write-only on PC chipsets: it reads as open bus. */
static uint8_t port_read(struct rtc *r, unsigned port)
{
	if (port != RTC_PORT_DATA)
		return OPEN_BUS;
	return rtc_read(r, r->index, dev_clock_now(&r->clk));
}

static void port_write(struct rtc *r, unsigned port, uint8_t v)
{
	if (port == RTC_PORT_INDEX) {
		r->index = v & RTC_INDEX_MASK;
		r->nmi_disabled = v & RTC_NMI_DISABLE;
	} else if (port == RTC_PORT_DATA) {
		rtc_write(r, r->index, v, dev_clock_now(&r->clk));
	}
}

/* 8-bit device: wider accesses are split into bytes at consecutive
 * ports; bytes past 0x71 are open bus. */
static uint32_t rtc_io_read(void *dev, uint16_t port, uint8_t size)
{
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)port_read(dev, port + i) << (8 * i);
	return v;
}

static int rtc_io_write(void *dev, uint16_t port, uint8_t size, uint32_t v)
{
	for (unsigned i = 0; i < size; i++)
		port_write(dev, port + i, (uint8_t)(v >> (8 * i)));
	return 0;
}

/* ---- public ------------------------------------------------------------ */

void rtc_init(struct rtc *r, const struct dev_clock *clk, struct irq_line irq,
	      uint64_t unix_seconds_at_start)
{
	memset(r, 0, sizeof(*r));
	r->clk = *clk;
	r->irq = irq;
	r->cmos[RTC_REG_A] = RTC_A_DV_32K | 0x06; /* 1024 Hz */
	r->cmos[RTC_REG_B] = RTC_B_24H;
	r->div_running = true;
	r->div_origin = dev_clock_now(clk);
	r->secs_base = (int64_t)unix_seconds_at_start;
}

int rtc_attach(struct rtc *r, struct io_bus *bus)
{
	struct io_range range = { RTC_PORT_INDEX, 2, "rtc-cmos", rtc_io_read,
				  rtc_io_write, r };
	return io_bus_register(bus, &range, NULL);
}

static void put16(struct rtc *r, uint8_t lo, uint64_t v)
{
	if (v > 0xffff)
		v = 0xffff;
	r->cmos[lo] = (uint8_t)v;
	r->cmos[lo + 1] = (uint8_t)(v >> 8);
}

void rtc_set_memory_size(struct rtc *r, uint64_t ram_bytes)
{
	const uint64_t kib = 1024, mib = 1024 * kib, gib = 1024 * mib;
	uint64_t below_4g = ram_bytes < 4 * gib ? ram_bytes : 4 * gib;
	uint64_t above_4g = ram_bytes - below_4g;
	uint64_t base_kib = below_4g / kib < 640 ? below_4g / kib : 640;
	put16(r, CMOS_BASE_MEM_LO, base_kib);
	uint64_t ext_kib = below_4g > mib ? (below_4g - mib) / kib : 0;
	put16(r, CMOS_EXT_MEM_LO, ext_kib);
	put16(r, CMOS_EXT_MEM2_LO, ext_kib);
	uint64_t above_16m = below_4g > 16 * mib ? below_4g - 16 * mib : 0;
	put16(r, CMOS_MEM_16M_LO, above_16m / (64 * kib));
	uint64_t high = above_4g / (64 * kib);
	if (high > 0xffffff)
		high = 0xffffff;
	r->cmos[CMOS_MEM_4G_LO] = (uint8_t)high;
	r->cmos[CMOS_MEM_4G_MID] = (uint8_t)(high >> 8);
	r->cmos[CMOS_MEM_4G_HI] = (uint8_t)(high >> 16);
}

uint64_t rtc_next_event(const struct rtc *r)
{
	if (r->irq_level || !r->div_running)
		return DEV_CLOCK_NEVER;
	uint8_t b = r->cmos[RTC_REG_B];
	uint64_t next = UINT64_MAX; /* a divider count */
	uint64_t p = periodic_counts(r->cmos[RTC_REG_A]);
	if ((b & RTC_B_PIE) && p)
		next = (r->div_seen / p + 1) * p;
	if ((b & RTC_B_UIE) && updates_enabled(r)) {
		uint64_t u = (r->div_seen / COUNTS_PER_SEC + 1) *
			     COUNTS_PER_SEC;
		next = u < next ? u : next;
	}
	if ((b & RTC_B_AIE) && updates_enabled(r)) {
		int64_t at = alarm_next(r, secs_at(r, r->div_seen));
		/* an alarm at second S is seen at the update that makes the
		 * seconds count S */
		if (at != NO_ALARM) {
			uint64_t a = (uint64_t)(at - r->secs_base) *
				     COUNTS_PER_SEC;
			next = a < next ? a : next;
		}
	}
	return next == UINT64_MAX ? DEV_CLOCK_NEVER : tick_of(r, next);
}

void rtc_update(struct rtc *r, uint64_t now)
{
	advance(r, now);
	update_irq(r);
}
