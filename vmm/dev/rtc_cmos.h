/*
 * The PC's real-time clock and CMOS RAM: a Motorola MC146818A behind the
 * index port 0x70 (bit 7: NMI mask) and the data port 0x71, IRQ 8.
 * Follows the MC146818A datasheet: "Address Map" (time, alarm and
 * calendar bytes 0x00-0x09, registers A-D at 0x0a-0x0d, user RAM from
 * 0x0e), "Time, Calendar and Alarm Locations" (BCD or binary, 12- or
 * 24-hour, don't-care alarm values 0xc0-0xff), "Update Cycle" (the UIP
 * bit and its 244 us warning), registers A-D ("Divider Stages", periodic
 * rates, SET, PIE/AIE/UIE, IRQF/PF/AF/UF), and "Interrupts". The century
 * byte (0x32) and the memory-size bytes follow the IBM PC/AT CMOS map as
 * QEMU and SeaBIOS use it. docs/devices-uart-rtc.md explains the model.
 *
 * Time: at rtc_init() the clock reads `unix_seconds_at_start` (UTC,
 * shown as the RTC's local time); it then advances with the dev_clock.
 * Guest writes (SET=1 then the time bytes, or a time byte written while
 * running) move it: the model keeps an offset, never the host's clock.
 *
 * Lazy model, like the PIT: nothing ticks. The chip's 32.768 kHz divider
 * chain is a function of the dev_clock; the guest's accesses bring the
 * model up to `now` first. Flags in register C are set whether or not
 * their interrupt is enabled (a polling guest sees them); IRQ 8 follows
 * IRQF = PF&PIE | AF&AIE | UF&UIE, raised when IRQF becomes 1 and lowered
 * when the guest reads register C (the PC wires it to the PIC as an
 * edge). rtc_next_event() says when IRQF will next become 1; the VMM
 * arms a timer for it and calls rtc_update() when it fires. A guest
 * access can move the next event, so the VMM re-reads rtc_next_event()
 * after an exit to ports 0x70-0x71 (cheap, no effect).
 *
 * Departures from the chip, all documented in the .c file: the update
 * itself is instantaneous (the chip takes up to 1984 us with UIP=1; here
 * UIP is 1 for the 244 us before the update, and the bytes change at its
 * end); invalid time values written by the guest are normalized the way
 * a counter would carry them; the divider selections 000 and 001 run as
 * 010 (the PC's crystal is fixed) and the test selections 011 and 10x
 * stop the clock like a divider reset; the daylight-saving bit (DSE) is
 * stored and ignored; the square-wave output is not modeled.
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_RTC_CMOS_H
#define VOLT_VMM_DEV_RTC_CMOS_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/dev_clock.h"
#include "vmm/dev/irq.h"

struct io_bus;

#define RTC_PORT_INDEX 0x70
#define RTC_PORT_DATA 0x71
#define RTC_IRQ 8
#define RTC_NMI_DISABLE 0x80 /* port 0x70 bit 7 */
#define RTC_INDEX_MASK 0x7f
#define CMOS_SIZE 128

/* Address map */
#define RTC_SECONDS 0x00
#define RTC_SECONDS_ALARM 0x01
#define RTC_MINUTES 0x02
#define RTC_MINUTES_ALARM 0x03
#define RTC_HOURS 0x04
#define RTC_HOURS_ALARM 0x05
#define RTC_DAY_OF_WEEK 0x06 /* 1-7, 1 = Sunday */
#define RTC_DAY_OF_MONTH 0x07
#define RTC_MONTH 0x08
#define RTC_YEAR 0x09
#define RTC_REG_A 0x0a
#define RTC_REG_B 0x0b
#define RTC_REG_C 0x0c
#define RTC_REG_D 0x0d
#define CMOS_SHUTDOWN_STATUS 0x0f
#define CMOS_BASE_MEM_LO 0x15	 /* KiB below 1 MiB (640) */
#define CMOS_BASE_MEM_HI 0x16
#define CMOS_EXT_MEM_LO 0x17	 /* KiB above 1 MiB, at most 65535 */
#define CMOS_EXT_MEM_HI 0x18
#define CMOS_EXT_MEM2_LO 0x30	 /* the same, as the POST reports it */
#define CMOS_EXT_MEM2_HI 0x31
#define RTC_CENTURY 0x32
#define CMOS_MEM_16M_LO 0x34	 /* 64 KiB units from 16 MiB to 4 GiB */
#define CMOS_MEM_16M_HI 0x35
#define CMOS_MEM_4G_LO 0x5b	 /* 64 KiB units above 4 GiB (3 bytes) */
#define CMOS_MEM_4G_MID 0x5c
#define CMOS_MEM_4G_HI 0x5d

/* Register A */
#define RTC_A_UIP 0x80	   /* read only */
#define RTC_A_DV 0x70	   /* divider selection */
#define RTC_A_DV_32K 0x20  /* 010: 32.768 kHz time base, running */
#define RTC_A_DV_RESET 0x60 /* 11x: divider chain held in reset */
#define RTC_A_RS 0x0f	   /* periodic rate selection */
/* Register B */
#define RTC_B_SET 0x80
#define RTC_B_PIE 0x40
#define RTC_B_AIE 0x20
#define RTC_B_UIE 0x10
#define RTC_B_SQWE 0x08
#define RTC_B_DM_BINARY 0x04
#define RTC_B_24H 0x02
#define RTC_B_DSE 0x01
/* Register C (read only, cleared by reading) */
#define RTC_C_IRQF 0x80
#define RTC_C_PF 0x40
#define RTC_C_AF 0x20
#define RTC_C_UF 0x10
/* Register D */
#define RTC_D_VRT 0x80 /* valid RAM and time: the battery is good */

#define RTC_HOUR_PM 0x80     /* 12-hour mode: bit 7 of the hour bytes */
#define RTC_ALARM_ANY 0xc0   /* alarm bytes 0xc0-0xff match any value */
#define RTC_DIVIDER_HZ 32768 /* the time base */

struct rtc {
	struct dev_clock clk;
	struct irq_line irq;
	uint8_t cmos[CMOS_SIZE]; /* A-D and RAM; time bytes: see below */
	uint8_t index;		 /* port 0x70 bits 6:0 */
	bool nmi_disabled;	 /* port 0x70 bit 7, for the VMM to honour */
	bool irq_level;		 /* as last signalled on `irq` */

	/*
	 * The divider chain: at dev-clock tick `div_origin` it had counted
	 * `div_offset` periods of 32.768 kHz; it advances with the
	 * dev_clock while running. Every 32768 counts is a second: an
	 * update, after which the seconds count is secs_base + count/32768.
	 */
	bool div_running;
	uint64_t div_origin;
	uint64_t div_offset;
	uint64_t div_seen; /* the count the flags have been brought up to */
	int64_t secs_base; /* Unix-style seconds, as the RTC's local time */
	uint8_t wday_adjust; /* the guest's weekday minus the computed one */

	/* While SET=1 or the divider is stopped, the time bytes (0x00,
	 * 0x02, 0x04, 0x06-0x09, 0x32) are plain storage in cmos[]: they
	 * hold what the clock read when it stopped, then the guest's
	 * writes; otherwise they are computed when read. */
	bool frozen;

	uint64_t irqs; /* IRQ 8 assertions */
};

/*
 * Power-on state as a PC BIOS leaves it: register A = 0x26 (32.768 kHz,
 * 1024 Hz periodic rate), B = 0x02 (24-hour, BCD, no interrupts), C = 0,
 * D = 0x80; CMOS RAM zero; the clock reads `unix_seconds_at_start` at
 * the dev_clock's current time, and its first update is one second
 * later. `clk` is copied.
 */
void rtc_init(struct rtc *r, const struct dev_clock *clk, struct irq_line irq,
	      uint64_t unix_seconds_at_start);

/* Claim ports 0x70-0x71: IO_BUS_OK or the bus's error. */
int rtc_attach(struct rtc *r, struct io_bus *bus);

/* Fill the memory-size bytes for a VM with `ram_bytes` of RAM mapped from
 * guest-physical 0 (Volt's layout has no hole below 4 GiB): base memory
 * (0x15-0x16), extended memory (0x17-0x18 and 0x30-0x31), memory from
 * 16 MiB to 4 GiB (0x34-0x35) and above 4 GiB (0x5b-0x5d). */
void rtc_set_memory_size(struct rtc *r, uint64_t ram_bytes);

/* Dev-clock time at which IRQF will next become 1 (in the past when that
 * is overdue), or DEV_CLOCK_NEVER: no interrupt enabled, the divider
 * stopped, or IRQ 8 already raised (nothing changes until C is read). */
uint64_t rtc_next_event(const struct rtc *r);

/* Bring the model to `now`: set the flags of the periodic, update and
 * alarm events since the last call and raise IRQ 8 if IRQF became 1. */
void rtc_update(struct rtc *r, uint64_t now);

/* CMOS access at `now`, as the port handlers do after selecting `index`
 * (0-127); for tests and for a VMM without a bus. */
uint8_t rtc_read(struct rtc *r, uint8_t index, uint64_t now);
void rtc_write(struct rtc *r, uint8_t index, uint8_t value, uint64_t now);

/* ---- calendar arithmetic (proleptic Gregorian, pure integer) ---------- */

struct rtc_date {
	int64_t year;
	unsigned month; /* 1-12 */
	unsigned day;	/* 1-31 */
};

/* Days since 1970-01-01 of a date (month 1-12, day 1-31; the day may
 * run past the month's end and counts on). */
int64_t rtc_days_from_civil(int64_t year, unsigned month, unsigned day);
/* The date `days` after 1970-01-01 (negative: before). */
struct rtc_date rtc_civil_from_days(int64_t days);

#endif
