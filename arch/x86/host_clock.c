/*
 * Reading the host's CMOS RTC (see host_clock.h). The clock may be
 * updating while it is read: wait for "update in progress" (status A
 * bit 7) to be clear, read, and read again until two reads agree, as
 * Linux's mc146818_get_time does.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/host_clock.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA 0x71
#define NMI_DISABLE 0x80 /* keep NMIs masked while the index is set */
#define RTC_SECONDS 0x00
#define RTC_MINUTES 0x02
#define RTC_HOURS 0x04
#define RTC_DAY 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_STATUS_A 0x0a
#define RTC_STATUS_B 0x0b
#define RTC_CENTURY 0x32
#define STATUS_A_UIP 0x80
#define STATUS_B_24H 0x02
#define STATUS_B_BINARY 0x04
#define HOURS_PM 0x80
#define UIP_POLLS 1000000

static uint8_t cmos_read(uint8_t index)
{
	outb(CMOS_INDEX, NMI_DISABLE | index);
	return inb(CMOS_DATA);
}

static uint8_t from_bcd(uint8_t v, bool binary)
{
	return binary ? v : (uint8_t)((v >> 4) * 10 + (v & 0x0f));
}

static bool wait_not_updating(void)
{
	for (int i = 0; i < UIP_POLLS; i++)
		if (!(cmos_read(RTC_STATUS_A) & STATUS_A_UIP))
			return true;
	return false;
}

struct raw_time {
	uint8_t sec, min, hour, day, month, year, century;
};

static bool read_raw(struct raw_time *t)
{
	if (!wait_not_updating())
		return false;
	t->sec = cmos_read(RTC_SECONDS);
	t->min = cmos_read(RTC_MINUTES);
	t->hour = cmos_read(RTC_HOURS);
	t->day = cmos_read(RTC_DAY);
	t->month = cmos_read(RTC_MONTH);
	t->year = cmos_read(RTC_YEAR);
	t->century = cmos_read(RTC_CENTURY);
	return true;
}

static bool same(const struct raw_time *a, const struct raw_time *b)
{
	return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
	       a->day == b->day && a->month == b->month && a->year == b->year;
}

bool host_clock_read(struct host_date *d)
{
	struct raw_time a, b;
	int tries = 0;
	do {
		if (!read_raw(&a) || !read_raw(&b) || ++tries > 10)
			return false;
	} while (!same(&a, &b));

	uint8_t status_b = cmos_read(RTC_STATUS_B);
	bool binary = status_b & STATUS_B_BINARY;
	bool pm = !(status_b & STATUS_B_24H) && (a.hour & HOURS_PM);
	uint8_t hour = from_bcd(a.hour & ~HOURS_PM, binary);
	if (!(status_b & STATUS_B_24H))
		hour = (uint8_t)(hour % 12 + (pm ? 12 : 0));
	uint8_t century = from_bcd(a.century, binary);
	if (century < 19 || century > 99)
		century = 20; /* no century byte: assume 20xx */
	d->year = century * 100u + from_bcd(a.year, binary);
	d->month = from_bcd(a.month, binary);
	d->day = from_bcd(a.day, binary);
	d->hour = hour;
	d->minute = from_bcd(a.min, binary);
	d->second = from_bcd(a.sec, binary);
	return d->month >= 1 && d->month <= 12 && d->day >= 1 &&
	       d->day <= 31 && d->hour < 24 && d->minute < 60 &&
	       d->second < 60;
}
