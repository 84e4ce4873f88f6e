/*
 * The host's wall-clock time, read once from the PC's CMOS real-time
 * clock (MC146818: ports 0x70/0x71, registers 0x00-0x09, status A/B,
 * century at 0x32 as the ACPI FADT usually says). Volt gives it to each
 * VM's virtual RTC so guests start with the right date.
 */
#ifndef VOLT_ARCH_X86_HOST_CLOCK_H
#define VOLT_ARCH_X86_HOST_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

struct host_date {
	uint32_t year;  /* e.g. 2026 */
	uint8_t month;  /* 1-12 */
	uint8_t day;    /* 1-31 */
	uint8_t hour, minute, second;
};

/* false when the RTC does not answer or holds an impossible date (no RTC:
 * a UEFI machine without legacy devices, or a broken CMOS battery). */
bool host_clock_read(struct host_date *d);

#endif
