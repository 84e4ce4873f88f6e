/*
 * Host tests for the ACPI fixed hardware (vmm/dev/acpi_pm.c): PM1 event
 * and control blocks and the PM timer, driven through the port-I/O bus
 * with a fake dev_clock. Expected values come from ACPI 6.5 section 4.8
 * (Tables 4.16-4.18, 4.8.3.3) and from what Linux 6.1's ACPICA does
 * (hwsleep.c acpi_hw_legacy_sleep: SLP_TYP first, then SLP_TYP|SLP_EN;
 * hwregs.c: status cleared with ACPI_BITMASK_ALL_FIXED_STATUS;
 * drivers/clocksource/acpi_pm.c: the 24-bit timer read as a dword).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/acpi_pm.h"
#include "vmm/io_bus.h"

#define BASE ACPI_PM_DEFAULT_BASE
#define EVT (BASE + ACPI_PM1_EVT_OFF)
#define STS EVT
#define EN (EVT + 2)
#define CNT (BASE + ACPI_PM1_CNT_OFF)
#define TMR (BASE + ACPI_PM_TMR_OFF)
#define EXACT_HZ (3ull * ACPI_PM_TIMER_HZ) /* timer count k = tick 3k */
#define TSC_HZ 3500000000ull
#define ALL_FIXED_STATUS 0x8731 /* ACPICA's ACPI_BITMASK_ALL_FIXED_STATUS */
#define HALF (1ull << 23)	/* counts between TMR_STS events */

static struct acpi_pm pm;
static struct io_bus bus;
static uint64_t now;
static bool sci;
static unsigned sci_changes, power_offs;

static uint64_t fake_now(void *ctx)
{
	return *(uint64_t *)ctx;
}

static void sci_record(void *ctx, unsigned irq, bool level)
{
	assert_int_equal(irq, ACPI_PM_SCI_IRQ);
	if (level != sci)
		sci_changes++;
	sci = level;
}

static void on_power_off(void *ctx)
{
	assert_ptr_equal(ctx, &power_offs);
	power_offs++;
}

static void start(uint64_t hz, uint64_t t0)
{
	struct dev_clock c = { fake_now, &now, hz };
	struct irq_line l = { sci_record, NULL, ACPI_PM_SCI_IRQ };
	memset(&bus, 0, sizeof(bus));
	now = t0;
	sci = true; /* init must lower it */
	sci_changes = 0;
	power_offs = 0;
	acpi_pm_init(&pm, &c, l, on_power_off, &power_offs);
	assert_false(sci);
	sci_changes = 0;
	assert_int_equal(acpi_pm_attach(&pm, &bus, BASE), IO_BUS_OK);
}

static int setup(void **state)
{
	start(EXACT_HZ, 1000);
	return 0;
}

static uint32_t in(uint16_t port, uint8_t size)
{
	return io_bus_read(&bus, port, size);
}

static int out(uint16_t port, uint8_t size, uint32_t v)
{
	return io_bus_write(&bus, port, size, v);
}

/* ---- tests ------------------------------------------------------------ */

static void test_reset_state(void **state)
{
	assert_int_equal(in(STS, 2), 0);
	assert_int_equal(in(EN, 2), 0);
	assert_int_equal(in(CNT, 2), ACPI_PM1_SCI_EN); /* in ACPI mode */
	assert_int_equal(in(BASE + 6, 2), 0);		/* reserved */
	assert_int_equal(in(TMR, 4), 0);
	assert_int_equal(in(EVT, 4), 0);
	assert_int_equal(acpi_pm_next_event(&pm), DEV_CLOCK_NEVER);
	/* the block is 12 ports: 0x60c belongs to nobody */
	assert_int_equal(in(BASE + ACPI_PM_PORTS, 1), 0xff);
	assert_int_equal(bus.unclaimed_reads, 1);
	/* a second claim of the same ports is refused */
	struct acpi_pm other;
	assert_int_equal(acpi_pm_attach(&other, &bus, BASE + 8),
			 IO_BUS_OVERLAP);
}

static void test_timer_counts_24_bits(void **state)
{
	now += 3 * 12345;
	assert_int_equal(in(TMR, 4), 12345);
	now += 2; /* less than one count */
	assert_int_equal(in(TMR, 4), 12345);
	now += 1;
	assert_int_equal(in(TMR, 4), 12346);
	/* byte and word reads see the same counter */
	now = 1000 + 3 * 0xabcdefull;
	assert_int_equal(in(TMR, 1), 0xef);
	assert_int_equal(in(TMR + 1, 1), 0xcd);
	assert_int_equal(in(TMR + 2, 2), 0x00ab); /* bits 31:24 read 0 */
	assert_int_equal(in(TMR + 3, 1), 0);
	/* wraps at 2^24 */
	now = 1000 + 3 * ((1ull << 24) + 5);
	assert_int_equal(in(TMR, 4), 5);
	assert_int_equal(acpi_pm_timer(&pm, now), 5);
	/* writes to the timer change nothing */
	assert_int_equal(out(TMR, 4, 0), 0);
	assert_int_equal(in(TMR, 4), 5);
	/* a clock before t0 reads 0, not a huge count */
	assert_int_equal(acpi_pm_timer(&pm, 0), 0);
}

static void test_timer_rate_on_a_tsc(void **state)
{
	start(TSC_HZ, 123456789);
	now += TSC_HZ; /* one second */
	assert_int_equal(in(TMR, 4), ACPI_PM_TIMER_HZ); /* < 2^24 */
	now += TSC_HZ / 1000; /* one more millisecond: 3579.545 counts */
	assert_int_equal(in(TMR, 4), ACPI_PM_TIMER_HZ + 3579);
	/* after a long uptime (10 days) the value is still exact */
	start(TSC_HZ, 0);
	now = 10ull * 86400 * TSC_HZ;
	uint64_t counts = 10ull * 86400 * ACPI_PM_TIMER_HZ;
	assert_int_equal(in(TMR, 4), counts & 0xffffff);
}

static void test_tmr_sts_and_sci(void **state)
{
	/* no TMR_EN: status sets, but no SCI */
	now = 1000 + 3 * HALF - 1;
	assert_int_equal(in(STS, 2), 0);
	now++;
	assert_int_equal(in(STS, 2), ACPI_PM1_TMR);
	assert_false(sci);
	/* write 1 to clear; writing 0 clears nothing */
	assert_int_equal(out(STS, 2, 0), 0);
	assert_int_equal(in(STS, 2), ACPI_PM1_TMR);
	assert_int_equal(out(STS, 2, ALL_FIXED_STATUS), 0);
	assert_int_equal(in(STS, 2), 0);
	/* TMR_EN: the next event is the next bit-23 change */
	assert_int_equal(out(EN, 2, ACPI_PM1_TMR), 0);
	assert_int_equal(in(EN, 2), ACPI_PM1_TMR);
	assert_int_equal(acpi_pm_next_event(&pm), 1000 + 3 * 2 * HALF);
	now = acpi_pm_next_event(&pm) - 1;
	acpi_pm_update(&pm, now);
	assert_false(sci);
	now++;
	acpi_pm_update(&pm, now);
	assert_true(sci);
	assert_int_equal(sci_changes, 1);
	assert_int_equal(acpi_pm_next_event(&pm), 1000 + 3 * 3 * HALF);
	/* the SCI is a level: it stays until the status is cleared */
	acpi_pm_update(&pm, now + 5);
	assert_true(sci);
	assert_int_equal(out(STS, 2, ACPI_PM1_TMR), 0);
	assert_false(sci);
	/* SCI_EN clear: no SCI even with a pending enabled status */
	now = 1000 + 3 * 3 * HALF;
	assert_int_equal(out(CNT, 2, 0), 0);
	acpi_pm_update(&pm, now);
	assert_false(sci);
	assert_int_equal(in(STS, 2), ACPI_PM1_TMR);
	assert_int_equal(out(CNT, 2, ACPI_PM1_SCI_EN), 0);
	assert_true(sci);
	/* disabling the event drops the line too */
	assert_int_equal(out(EN, 2, 0), 0);
	assert_false(sci);
	assert_int_equal(acpi_pm_next_event(&pm), DEV_CLOCK_NEVER);
	/* several missed periods: one status bit, one SCI */
	assert_int_equal(out(STS, 2, ACPI_PM1_TMR), 0);
	assert_int_equal(out(EN, 2, ACPI_PM1_TMR), 0);
	sci_changes = 0;
	acpi_pm_update(&pm, now + 3 * 10 * HALF);
	assert_int_equal(sci_changes, 1);
}

static void test_tmr_next_event_on_a_tsc(void **state)
{
	start(TSC_HZ, 777);
	assert_int_equal(out(EN, 2, ACPI_PM1_TMR), 0);
	uint64_t t = acpi_pm_next_event(&pm);
	/* the first tick at which the count reaches 2^23 */
	assert_int_equal(acpi_pm_timer(&pm, t), HALF);
	assert_int_equal(acpi_pm_timer(&pm, t - 1), HALF - 1);
	acpi_pm_update(&pm, t - 1);
	assert_false(sci);
	acpi_pm_update(&pm, t);
	assert_true(sci);
}

static void test_enable_and_control_bits(void **state)
{
	assert_int_equal(out(EN, 2, 0xffff), 0);
	assert_int_equal(in(EN, 2), ACPI_PM1_EN_WRITABLE);
	assert_int_equal(in(EVT, 4), (uint32_t)ACPI_PM1_EN_WRITABLE << 16);
	assert_int_equal(out(EN + 1, 1, 0), 0); /* byte write: high half */
	assert_int_equal(in(EN, 2), ACPI_PM1_EN_WRITABLE & 0xff);
	/* status: the whole 32-bit event block written at once */
	assert_int_equal(out(EVT, 4, 0x0000ffff), 0);
	assert_int_equal(in(EN, 2), 0);
	/* GBL_RLS and SLP_EN are write-only; SLP_TYP and BM_RLD stored */
	uint16_t v = ACPI_PM1_SCI_EN | ACPI_PM1_BM_RLD | ACPI_PM1_GBL_RLS |
		     (3 << ACPI_PM1_SLP_TYP_SHIFT);
	assert_int_equal(out(CNT, 2, v), 0);
	assert_int_equal(in(CNT, 2), ACPI_PM1_SCI_EN | ACPI_PM1_BM_RLD |
					     (3 << ACPI_PM1_SLP_TYP_SHIFT));
	assert_int_equal(out(BASE + 6, 2, 0xffff), 0); /* reserved word */
	assert_int_equal(in(BASE + 6, 2), 0);
	assert_int_equal(power_offs, 0);
}

/* ACPICA's acpi_hw_legacy_sleep(5): clear status, write SLP_TYP, then
 * SLP_TYP | SLP_EN. The second write powers off and stops the VM. */
static void test_linux_s5_power_off(void **state)
{
	assert_int_equal(out(STS, 2, ALL_FIXED_STATUS), 0);
	uint16_t cnt = (uint16_t)in(CNT, 2);
	cnt &= (uint16_t)~(ACPI_PM1_SLP_TYP | ACPI_PM1_SLP_EN);
	cnt |= ACPI_PM_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT;
	assert_int_equal(out(CNT, 2, cnt), 0);
	assert_int_equal(power_offs, 0);
	assert_int_equal(out(CNT, 2, cnt | ACPI_PM1_SLP_EN), 1);
	assert_int_equal(power_offs, 1);
	assert_int_equal(pm.refused_sleeps, 0);
	/* SLP_EN reads 0 afterwards */
	assert_int_equal(in(CNT, 2) & ACPI_PM1_SLP_EN, 0);
}

static void test_s5_by_byte_and_dword(void **state)
{
	/* high byte only: SLP_TYP 5 and SLP_EN in one byte write */
	uint8_t hi = (uint8_t)(((ACPI_PM_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT) |
				ACPI_PM1_SLP_EN) >> 8);
	assert_int_equal(out(CNT + 1, 1, hi), 1);
	assert_int_equal(power_offs, 1);
	/* a dword write at the control block reaches it too */
	uint32_t v = ACPI_PM1_SCI_EN | ACPI_PM1_SLP_EN |
		     (ACPI_PM_SLP_TYP_S5 << ACPI_PM1_SLP_TYP_SHIFT);
	assert_int_equal(out(CNT, 4, v), 1);
	assert_int_equal(power_offs, 2);
	/* no callback: still stops the VM */
	struct dev_clock c = { fake_now, &now, EXACT_HZ };
	struct irq_line none = { NULL, NULL, 0 };
	acpi_pm_init(&pm, &c, none, NULL, NULL);
	memset(&bus, 0, sizeof(bus));
	assert_int_equal(acpi_pm_attach(&pm, &bus, 0xb000), IO_BUS_OK);
	assert_int_equal(out(0xb000 + ACPI_PM1_CNT_OFF, 2, v), 1);
	assert_int_equal(power_offs, 2);
}

static void test_other_sleep_states_refused(void **state)
{
	for (unsigned typ = 0; typ < 8; typ++) {
		if (typ == ACPI_PM_SLP_TYP_S5)
			continue;
		uint16_t v = (uint16_t)(ACPI_PM1_SCI_EN | ACPI_PM1_SLP_EN |
					(typ << ACPI_PM1_SLP_TYP_SHIFT));
		assert_int_equal(out(CNT, 2, v), 0);
		assert_int_equal(in(CNT, 2),
				 ACPI_PM1_SCI_EN | (typ << ACPI_PM1_SLP_TYP_SHIFT));
	}
	assert_int_equal(pm.refused_sleeps, 7);
	assert_int_equal(power_offs, 0);
	/* SLP_EN in the low byte of a write is not SLP_EN */
	assert_int_equal(out(CNT, 1, 0xff), 0);
	assert_int_equal(power_offs, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_state, setup),
		cmocka_unit_test_setup(test_timer_counts_24_bits, setup),
		cmocka_unit_test_setup(test_timer_rate_on_a_tsc, setup),
		cmocka_unit_test_setup(test_tmr_sts_and_sci, setup),
		cmocka_unit_test_setup(test_tmr_next_event_on_a_tsc, setup),
		cmocka_unit_test_setup(test_enable_and_control_bits, setup),
		cmocka_unit_test_setup(test_linux_s5_power_off, setup),
		cmocka_unit_test_setup(test_s5_by_byte_and_dword, setup),
		cmocka_unit_test_setup(test_other_sleep_states_refused, setup),
	};
	return cmocka_run_group_tests_name("acpi_pm", tests, NULL, NULL);
}
