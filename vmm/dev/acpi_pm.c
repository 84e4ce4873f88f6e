/*
 * ACPI fixed hardware: PM1a event and control blocks and the PM timer
 * (see acpi_pm.h). Sections are ACPI 6.5's: 4.8.3.1 PM1 Event Grouping,
 * 4.8.3.2 PM1 Control Grouping, 4.8.3.3 Power Management Timer, 7.4.2
 * \_Sx (System States). docs/devices-ioapic-acpi.md walks through them.
 */
#include "vmm/dev/acpi_pm.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define TMR_MASK ((1u << ACPI_PM_TIMER_BITS) - 1)
#define TMR_STS_SHIFT (ACPI_PM_TIMER_BITS - 1) /* TMR_STS: bit 23 toggles */

/* Status bits this model can ever set (see acpi_pm.h). */
#define STS_SOURCES ACPI_PM1_TMR
/* PM1_STS bits that exist: writing 1 clears them (4.8.3.1.1). */
#define STS_DEFINED 0xc731
/* PM1_CNT bits stored: SCI_EN, BM_RLD, SLP_TYP. GBL_RLS and SLP_EN are
 * write-only and read 0. */
#define CNT_STORED (ACPI_PM1_SCI_EN | ACPI_PM1_BM_RLD | ACPI_PM1_SLP_TYP)

/* ---- timer -------------------------------------------------------------- */

/* Timer counts since reset (not wrapped). */
static uint64_t timer_counts(const struct acpi_pm *pm, uint64_t now)
{
	uint64_t ticks = now >= pm->t0 ? now - pm->t0 : 0;
	return dev_clock_ticks_to(&pm->clk, ticks, ACPI_PM_TIMER_HZ);
}

uint32_t acpi_pm_timer(const struct acpi_pm *pm, uint64_t now)
{
	return (uint32_t)(timer_counts(pm, now) & TMR_MASK);
}

/* ---- SCI ---------------------------------------------------------------- */

/* 4.8.3.1: a status bit whose enable bit is set raises the SCI, when
 * SCI_EN routes power-management events to the SCI. */
static void update_sci(struct acpi_pm *pm)
{
	bool level = (pm->cnt & ACPI_PM1_SCI_EN) &&
		     (pm->sts & pm->en & STS_SOURCES);
	if (level == pm->sci_level)
		return;
	pm->sci_level = level;
	irq_line_set(&pm->sci, level);
}

void acpi_pm_update(struct acpi_pm *pm, uint64_t now)
{
	uint64_t half = timer_counts(pm, now) >> TMR_STS_SHIFT;
	if (half != pm->tmr_half) {
		pm->tmr_half = half;
		pm->sts |= ACPI_PM1_TMR;
	}
	update_sci(pm);
}

uint64_t acpi_pm_next_event(const struct acpi_pm *pm)
{
	if (!(pm->en & ACPI_PM1_TMR))
		return DEV_CLOCK_NEVER;
	/* the first tick at which the count reaches the next 2^23 multiple */
	uint64_t counts = (pm->tmr_half + 1) << TMR_STS_SHIFT;
	uint64_t t = dev_clock_ticks_from(&pm->clk, counts, ACPI_PM_TIMER_HZ);
	if (dev_clock_ticks_to(&pm->clk, t, ACPI_PM_TIMER_HZ) < counts)
		t++; /* ticks_from rounds down: this is the ceiling */
	return pm->t0 + t;
}

/* ---- registers, byte by byte -------------------------------------------- */

static uint8_t byte_of(uint32_t v, unsigned i)
{
	return (uint8_t)(v >> (8 * i));
}

static uint8_t read_byte(struct acpi_pm *pm, unsigned off, uint32_t tmr)
{
	if (off < ACPI_PM1_EVT_OFF + 2)
		return byte_of(pm->sts, off - ACPI_PM1_EVT_OFF);
	if (off < ACPI_PM1_EVT_OFF + ACPI_PM1_EVT_LEN)
		return byte_of(pm->en, off - ACPI_PM1_EVT_OFF - 2);
	if (off >= ACPI_PM1_CNT_OFF &&
	    off < ACPI_PM1_CNT_OFF + ACPI_PM1_CNT_LEN)
		return byte_of(pm->cnt, off - ACPI_PM1_CNT_OFF);
	if (off >= ACPI_PM_TMR_OFF && off < ACPI_PM_TMR_OFF + ACPI_PM_TMR_LEN)
		return byte_of(tmr, off - ACPI_PM_TMR_OFF);
	return 0; /* the reserved word between control and timer */
}

static uint32_t acpi_pm_read(void *dev, uint16_t port, uint8_t size)
{
	struct acpi_pm *pm = dev;
	uint64_t now = dev_clock_now(&pm->clk);
	acpi_pm_update(pm, now); /* status reads see the timer's events */
	uint32_t tmr = acpi_pm_timer(pm, now);
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned off = (unsigned)(port - pm->base) + i;
		if (off >= ACPI_PM_PORTS)
			v |= 0xffu << (8 * i); /* past our block: open bus */
		else
			v |= (uint32_t)read_byte(pm, off, tmr) << (8 * i);
	}
	return v;
}

/*
 * 4.8.3.2.1 and 7.4.2: SLP_EN starts the transition to the state SLP_TYP
 * names. Only S5 (soft off) exists here.
 */
static int sleep_request(struct acpi_pm *pm)
{
	unsigned typ = (pm->cnt & ACPI_PM1_SLP_TYP) >> ACPI_PM1_SLP_TYP_SHIFT;
	if (typ != ACPI_PM_SLP_TYP_S5) {
		pm->refused_sleeps++;
		return 0;
	}
	if (pm->power_off)
		pm->power_off(pm->power_off_ctx);
	return 1; /* stop the VM */
}

/* One byte at offset `off`; returns nonzero when the VM must stop. */
static int write_byte(struct acpi_pm *pm, unsigned off, uint8_t b)
{
	unsigned shift;
	switch (off) {
	case ACPI_PM1_EVT_OFF:
	case ACPI_PM1_EVT_OFF + 1: /* PM1_STS: write 1 to clear */
		shift = 8 * (off - ACPI_PM1_EVT_OFF);
		pm->sts &= (uint16_t)~(((uint32_t)b << shift) & STS_DEFINED);
		return 0;
	case ACPI_PM1_EVT_OFF + 2:
	case ACPI_PM1_EVT_OFF + 3: /* PM1_EN */
		shift = 8 * (off - ACPI_PM1_EVT_OFF - 2);
		pm->en = (uint16_t)((pm->en & ~(0xffu << shift)) |
				    (((uint32_t)b << shift) &
				     ACPI_PM1_EN_WRITABLE));
		return 0;
	case ACPI_PM1_CNT_OFF:
	case ACPI_PM1_CNT_OFF + 1: /* PM1_CNT */
		shift = 8 * (off - ACPI_PM1_CNT_OFF);
		pm->cnt = (uint16_t)((pm->cnt & ~(0xffu << shift)) |
				     (((uint32_t)b << shift) & CNT_STORED));
		if (((uint32_t)b << shift) & ACPI_PM1_SLP_EN)
			return sleep_request(pm);
		return 0;
	default:
		return 0; /* the timer is read-only; the hole ignores writes */
	}
}

/* Bytes in port order: a word write to PM1_CNT has SLP_TYP in place
 * before SLP_EN (same byte) is seen. */
static int acpi_pm_write(void *dev, uint16_t port, uint8_t size,
			 uint32_t value)
{
	struct acpi_pm *pm = dev;
	acpi_pm_update(pm, dev_clock_now(&pm->clk));
	int stop = 0;
	for (unsigned i = 0; i < size && !stop; i++) {
		unsigned off = (unsigned)(port - pm->base) + i;
		if (off < ACPI_PM_PORTS)
			stop = write_byte(pm, off, byte_of(value, i));
	}
	update_sci(pm);
	return stop;
}

/* ---- setup -------------------------------------------------------------- */

void acpi_pm_init(struct acpi_pm *pm, const struct dev_clock *clk,
		  struct irq_line sci, void (*power_off)(void *ctx),
		  void *ctx)
{
	memset(pm, 0, sizeof(*pm));
	pm->clk = *clk;
	pm->t0 = dev_clock_now(clk);
	pm->cnt = ACPI_PM1_SCI_EN; /* already in ACPI mode: FADT SMI_CMD 0 */
	pm->sci = sci;
	pm->power_off = power_off;
	pm->power_off_ctx = ctx;
	irq_line_set(&pm->sci, false);
}

int acpi_pm_attach(struct acpi_pm *pm, struct io_bus *bus, uint16_t base)
{
	struct io_range r = { base, ACPI_PM_PORTS, "acpi-pm", acpi_pm_read,
			      acpi_pm_write, pm };
	pm->base = base;
	return io_bus_register(bus, &r, NULL);
}
