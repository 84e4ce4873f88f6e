/*
 * The ACPI fixed hardware a guest needs when its FADT is not
 * hardware-reduced: the PM1a event block (PM1_STS, PM1_EN), the PM1a
 * control block (SCI_EN, SLP_TYP, SLP_EN) and the power-management timer.
 * Follows ACPI 6.5 section 4.8 "Fixed Hardware Programming Model":
 * 4.8.3.1 PM1 Event Grouping (Tables 4.16, 4.17), 4.8.3.2 PM1 Control
 * Grouping (Table 4.18), 4.8.3.3 Power Management Timer; and 7.4.2 for
 * the \_Sx sleep types. docs/devices-ioapic-acpi.md explains the model.
 *
 * Port layout (the one QEMU's ICH9 LPC uses at its PM base 0x600; the
 * FADT built by vmm/acpi_build.c names the same ports):
 *   base + 0x0  PM1a_EVT_BLK, 4 bytes: PM1_STS (16 bits), PM1_EN (16)
 *   base + 0x4  PM1a_CNT_BLK, 2 bytes: PM1_CNT
 *   base + 0x6  reserved, 2 bytes (read 0, writes ignored)
 *   base + 0x8  PM_TMR_BLK, 4 bytes: the timer (read-only)
 * Accesses of any size are split into bytes at consecutive ports; an
 * access reads the timer once, so a dword read is consistent.
 *
 * Choices, all matching what the FADT says:
 *   - The timer is 24 bits wide (FADT TMR_VAL_EXT clear, the minimum ACPI
 *     requires and what QEMU offers); bits 31:24 read 0. It counts at
 *     3.579545 MHz from the dev_clock. TMR_STS sets whenever bit 23
 *     changes (every 2^23 counts, ~2.34 s).
 *   - SCI_EN is set from reset and FADT SMI_CMD is 0: the machine is in
 *     ACPI mode already, there is no SMM to hand over from. Writes to
 *     SCI_EN are stored (an OS clearing it gets no SCI; SMIs are not
 *     modelled).
 *   - Sleep: writing SLP_EN with SLP_TYP = ACPI_PM_SLP_TYP_S5 (the value
 *     the DSDT's \_S5 package gives) calls `power_off` and the write
 *     handler returns nonzero (io_bus: "stop the VM"). Every other sleep
 *     type is refused: no state change, counted in `refused_sleeps`
 *     (the DSDT declares no \_S1-\_S4, so an OS has no reason to try).
 *   - SCI: a level, active-high line (ISA IRQ 9 as the FADT's SCI_INT
 *     says) asserted while SCI_EN and PM1_STS & PM1_EN & (the bits with
 *     an event source here) are non-zero. Only the timer raises a status
 *     bit; the power and sleep buttons are absent (FADT PWR_BUTTON and
 *     SLP_BUTTON set), RTC_STS is not wired to the RTC, WAK_STS never
 *     sets (no sleep state returns). Their enable bits are stored.
 *
 * Lazy model, like the PIT: the timer is a function of the dev_clock.
 * While TMR_EN is set the VMM arms a timer for acpi_pm_next_event() and
 * calls acpi_pm_update() when it fires, so the SCI rises on time.
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_ACPI_PM_H
#define VOLT_VMM_DEV_ACPI_PM_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/dev_clock.h"
#include "vmm/dev/irq.h"

struct io_bus;

#define ACPI_PM_DEFAULT_BASE 0x600 /* as QEMU's ICH9 */
#define ACPI_PM_PORTS 12	   /* base .. base + 0xb */
#define ACPI_PM1_EVT_OFF 0x0
#define ACPI_PM1_EVT_LEN 4
#define ACPI_PM1_CNT_OFF 0x4
#define ACPI_PM1_CNT_LEN 2
#define ACPI_PM_TMR_OFF 0x8
#define ACPI_PM_TMR_LEN 4

#define ACPI_PM_TIMER_HZ 3579545u /* 4.8.3.3: 3.579545 MHz */
#define ACPI_PM_TIMER_BITS 24
#define ACPI_PM_SCI_IRQ 9	  /* FADT SCI_INT */
#define ACPI_PM_SLP_TYP_S5 5	  /* \_S5's SLP_TYPa and SLP_TYPb */

/* 4.8.3.1.1 PM1 Status (Table 4.16) and 4.8.3.1.2 Enable (Table 4.17) */
#define ACPI_PM1_TMR 0x0001	 /* TMR_STS / TMR_EN */
#define ACPI_PM1_BM_STS 0x0010
#define ACPI_PM1_GBL 0x0020	 /* GBL_STS / GBL_EN */
#define ACPI_PM1_PWRBTN 0x0100
#define ACPI_PM1_SLPBTN 0x0200
#define ACPI_PM1_RTC 0x0400
#define ACPI_PM1_WAK_STS 0x8000
#define ACPI_PM1_EN_WRITABLE 0x0721 /* TMR, GBL, PWRBTN, SLPBTN, RTC */

/* 4.8.3.2.1 PM1 Control (Table 4.18) */
#define ACPI_PM1_SCI_EN 0x0001
#define ACPI_PM1_BM_RLD 0x0002
#define ACPI_PM1_GBL_RLS 0x0004	 /* write-only */
#define ACPI_PM1_SLP_TYP_SHIFT 10
#define ACPI_PM1_SLP_TYP 0x1c00
#define ACPI_PM1_SLP_EN 0x2000	 /* write-only */

struct acpi_pm {
	uint16_t sts;	   /* PM1_STS */
	uint16_t en;	   /* PM1_EN */
	uint16_t cnt;	   /* PM1_CNT (without the write-only bits) */
	uint16_t base;	   /* first port, after acpi_pm_attach */
	struct dev_clock clk;
	uint64_t t0;	   /* dev_clock ticks at timer value 0 */
	uint64_t tmr_half; /* last 2^23-count period seen (TMR_STS) */
	struct irq_line sci;
	bool sci_level;	   /* what the SCI line was last set to */
	void (*power_off)(void *ctx);
	void *power_off_ctx;
	uint64_t refused_sleeps; /* SLP_EN with a type other than S5 */
};

/*
 * Reset: PM1_STS 0, PM1_EN 0, PM1_CNT = SCI_EN, the timer at 0 now.
 * `clk` is copied; `sci` is the SCI line (ISA IRQ ACPI_PM_SCI_IRQ);
 * `power_off(ctx)` is called on an S5 request (NULL: none).
 */
void acpi_pm_init(struct acpi_pm *pm, const struct dev_clock *clk,
		  struct irq_line sci, void (*power_off)(void *ctx),
		  void *ctx);

/* Claim [base, base + ACPI_PM_PORTS): IO_BUS_OK or the bus's error. */
int acpi_pm_attach(struct acpi_pm *pm, struct io_bus *bus, uint16_t base);

/* The timer's 24-bit value at dev-clock time `now`. */
uint32_t acpi_pm_timer(const struct acpi_pm *pm, uint64_t now);

/* Dev-clock time at which TMR_STS next sets, when TMR_EN is set (so the
 * SCI will rise then); DEV_CLOCK_NEVER otherwise. */
uint64_t acpi_pm_next_event(const struct acpi_pm *pm);

/* Bring status bits and the SCI line up to `now`. */
void acpi_pm_update(struct acpi_pm *pm, uint64_t now);

#endif
