/*
 * Host tests for the virtual 82093AA IOAPIC (vmm/dev/ioapic.c), mostly
 * through its MMIO registers as a guest reaches them. Expected values come
 * from the Intel 82093AA datasheet (3.2 IOAPIC Registers) and from what
 * Linux 6.1 does (arch/x86/kernel/apic/io_apic.c: clear_IO_APIC,
 * ioapic_write_entry, setup_IO_APIC_irqs, check_timer).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/ioapic.h"
#include "vmm/dev/irq.h"
#include "vmm/mmio_bus.h"

#define BASE IOAPIC_DEFAULT_BASE
#define MAX_MSGS 64

static struct ioapic io;
static struct mmio_bus bus;
static struct ioapic_msg msgs[MAX_MSGS];
static unsigned nmsgs;

static void record(void *ctx, const struct ioapic_msg *m)
{
	assert_ptr_equal(ctx, &nmsgs);
	assert_true(nmsgs < MAX_MSGS);
	msgs[nmsgs++] = *m;
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	memset(msgs, 0, sizeof(msgs));
	nmsgs = 0;
	ioapic_init(&io, 2, record, &nmsgs);
	struct mmio_region r = { BASE, IOAPIC_MMIO_LEN, "ioapic",
				 ioapic_mmio_read, ioapic_mmio_write, &io };
	assert_int_equal(mmio_bus_register(&bus, &r, NULL), MMIO_BUS_OK);
	return 0;
}

/* ---- guest-side accessors, as Linux's io_apic_read/io_apic_write ------- */

static uint64_t mmio_rd(uint64_t off, unsigned size)
{
	uint64_t v = 0xdeadbeefdeadbeefull;
	assert_true(mmio_bus_read(&bus, BASE + off, size, &v));
	return v;
}

static void mmio_wr(uint64_t off, unsigned size, uint64_t v)
{
	int stop = -1;
	assert_true(mmio_bus_write(&bus, BASE + off, size, v, &stop));
	assert_int_equal(stop, 0);
}

static uint32_t reg_read(uint8_t index)
{
	mmio_wr(IOAPIC_IOREGSEL, 4, index);
	return (uint32_t)mmio_rd(IOAPIC_IOWIN, 4);
}

static void reg_write(uint8_t index, uint32_t v)
{
	mmio_wr(IOAPIC_IOREGSEL, 4, index);
	mmio_wr(IOAPIC_IOWIN, 4, v);
}

static uint32_t rte_low(unsigned pin)
{
	return reg_read((uint8_t)(0x10 + 2 * pin));
}

/* Linux's ioapic_write_entry: the high half first, then the low half. */
static void write_entry(unsigned pin, uint32_t low, uint8_t dest)
{
	reg_write((uint8_t)(0x11 + 2 * pin), (uint32_t)dest << 24);
	reg_write((uint8_t)(0x10 + 2 * pin), low);
}

#define LOW_LEVEL 0x8000u
#define LOW_ACTIVE_LOW 0x2000u
#define LOW_MASKED 0x10000u
#define LOW_LOGICAL 0x800u
#define LOW_REMOTE_IRR 0x4000u
#define LOW_DELIVS 0x1000u
#define DM(x) ((uint32_t)(x) << 8)

static void expect_msg(unsigned i, uint8_t vector, uint8_t dm, bool logical,
		       uint8_t dest, bool level, uint8_t pin)
{
	assert_true(i < nmsgs);
	assert_int_equal(msgs[i].vector, vector);
	assert_int_equal(msgs[i].delivery_mode, dm);
	assert_int_equal(msgs[i].logical, logical);
	assert_int_equal(msgs[i].dest, dest);
	assert_int_equal(msgs[i].level, level);
	assert_int_equal(msgs[i].pin, pin);
}

/* ---- tests ------------------------------------------------------------ */

static void test_reset_registers(void **state)
{
	assert_int_equal(reg_read(IOAPIC_REG_ID), 2u << 24);
	assert_int_equal(reg_read(IOAPIC_REG_VER), 0x00170011u);
	assert_int_equal(reg_read(IOAPIC_REG_ARB), 2u << 24);
	for (unsigned pin = 0; pin < 24; pin++) {
		assert_int_equal(rte_low(pin), LOW_MASKED);
		assert_int_equal(reg_read((uint8_t)(0x11 + 2 * pin)), 0);
	}
	/* holes and past the table read 0 */
	assert_int_equal(reg_read(0x03), 0);
	assert_int_equal(reg_read(0x0f), 0);
	assert_int_equal(reg_read(0x40), 0);
	assert_int_equal(reg_read(0xff), 0);
	/* the ID keeps 4 bits */
	ioapic_init(&io, 0x1f, NULL, NULL);
	assert_int_equal(ioapic_read_reg(&io, IOAPIC_REG_ID), 0x0fu << 24);
}

static void test_id_version_arbitration(void **state)
{
	reg_write(IOAPIC_REG_ID, 0xfaffffffu); /* only 27:24 stick */
	assert_int_equal(reg_read(IOAPIC_REG_ID), 0x0au << 24);
	assert_int_equal(reg_read(IOAPIC_REG_ARB), 0x0au << 24);
	reg_write(IOAPIC_REG_VER, 0);	      /* read-only */
	reg_write(IOAPIC_REG_ARB, 0x05000000u); /* read-only */
	assert_int_equal(reg_read(IOAPIC_REG_VER), 0x00170011u);
	assert_int_equal(reg_read(IOAPIC_REG_ARB), 0x0au << 24);
	reg_write(0x40, 0xffffffffu); /* no register: nothing happens */
	for (unsigned pin = 0; pin < 24; pin++)
		assert_int_equal(rte_low(pin), LOW_MASKED);
}

static void test_rte_fields_and_read_only_bits(void **state)
{
	/* every writable bit, plus the read-only and reserved ones */
	reg_write(0x10 + 2 * 5, 0xffffffffu);
	reg_write(0x11 + 2 * 5, 0xffffffffu);
	assert_int_equal(rte_low(5), 0x0001afffu); /* no DELIVS, no RIRR */
	assert_int_equal(reg_read(0x11 + 2 * 5), 0xff000000u);
	assert_int_equal(io.rte[5], 0xff0000000001afffull);
	reg_write(0x10 + 2 * 5, 0x00000030u);
	assert_int_equal(rte_low(5), 0x30);
	assert_int_equal(reg_read(0x11 + 2 * 5), 0xff000000u); /* untouched */
	/* the last entry is 0x3e/0x3f */
	reg_write(0x3f, 0x12000000u);
	assert_int_equal(io.rte[23] >> 56, 0x12);
	assert_int_equal(nmsgs, 0);
}

static void test_mmio_access_sizes(void **state)
{
	/* IOREGSEL keeps bits 7:0 */
	mmio_wr(IOAPIC_IOREGSEL, 4, 0xabcd0001u);
	assert_int_equal(mmio_rd(IOAPIC_IOREGSEL, 4), 0x01);
	assert_int_equal(mmio_rd(IOAPIC_IOWIN, 4), 0x00170011u);
	/* byte lanes: narrower reads */
	assert_int_equal(mmio_rd(IOAPIC_IOWIN, 1), 0x11);
	assert_int_equal(mmio_rd(IOAPIC_IOWIN + 2, 1), 0x17);
	assert_int_equal(mmio_rd(IOAPIC_IOWIN + 2, 2), 0x0017);
	assert_int_equal(mmio_rd(IOAPIC_IOWIN, 8), 0x00170011u);
	/* an 8-bit IOREGSEL write selects too */
	mmio_wr(IOAPIC_IOREGSEL, 1, IOAPIC_REG_ID);
	assert_int_equal(mmio_rd(IOAPIC_IOWIN, 4), 2u << 24);
	/* a byte write into IOWIN changes only its lane */
	mmio_wr(IOAPIC_IOREGSEL, 1, 0x10);
	mmio_wr(IOAPIC_IOWIN, 1, 0x41);
	assert_int_equal(io.rte[0], LOW_MASKED | 0x41);
	mmio_wr(IOAPIC_IOWIN + 2, 1, 0x00); /* unmask by byte */
	assert_int_equal(io.rte[0], 0x41);
	/* nothing else in the window: reads 0, writes ignored */
	assert_int_equal(mmio_rd(0x04, 4), 0);
	assert_int_equal(mmio_rd(0x20, 4), 0);
	assert_int_equal(mmio_rd(0x40, 4), 0); /* no EOI register (v0x11) */
	mmio_wr(0x40, 4, 0x41);
	mmio_wr(0xffc, 4, 0xffffffffu);
	assert_int_equal(io.rte[0], 0x41);
	assert_int_equal(mmio_rd(IOAPIC_IOREGSEL, 4), 0x10);
	/* an access straddling IOREGSEL's end only touches its bytes */
	assert_int_equal(mmio_rd(0x02, 4), 0);
	assert_int_equal(nmsgs, 0);
}

/*
 * Linux's boot: read the version for the number of entries, mask every
 * entry (clear_IO_APIC), program the ISA IRQs from the MADT (IRQ 0 on
 * pin 2, the SCI on pin 9 level/high), then check_timer: the PIT's edges
 * on pin 2 must arrive as vector 0x30; then the ExtINT fallback on pin 0.
 */
static void test_linux_setup_sequence(void **state)
{
	uint32_t ver = reg_read(IOAPIC_REG_VER);
	unsigned entries = ((ver >> 16) & 0xff) + 1;
	assert_int_equal(entries, 24);
	assert_int_equal(ver & 0xff, 0x11);
	for (unsigned pin = 0; pin < entries; pin++) {
		uint32_t low = rte_low(pin);
		reg_write((uint8_t)(0x10 + 2 * pin), low | LOW_MASKED);
		reg_write((uint8_t)(0x11 + 2 * pin), 0);
	}
	/* ISA IRQs 1-15 at vectors 0x31-0x3f; IRQ 0 at 0x30 on pin 2 */
	write_entry(2, 0x30 | LOW_MASKED, 0);
	for (unsigned irq = 1; irq < 16; irq++) {
		uint32_t low = (0x30 + irq) | LOW_MASKED;
		if (irq == 9)
			low |= LOW_LEVEL;
		write_entry(ioapic_pin_for_isa_irq(irq), low, 0);
	}
	assert_int_equal(ioapic_pin_for_isa_irq(0), 2);
	assert_int_equal(ioapic_pin_for_isa_irq(9), 9);

	/* check_timer: unmask pin 2; the PIT wired through an irq_line */
	struct irq_line pit = { ioapic_irq_line_set, &io,
				ioapic_pin_for_isa_irq(0) };
	reg_write(0x10 + 2 * 2, 0x30);
	for (int i = 0; i < 5; i++)
		irq_line_pulse(&pit);
	assert_int_equal(nmsgs, 5);
	for (unsigned i = 0; i < 5; i++)
		expect_msg(i, 0x30, IOAPIC_DM_FIXED, false, 0, false, 2);
	assert_int_equal(rte_low(2) & LOW_REMOTE_IRR, 0); /* edge */

	/* fallback: mask pin 2, 8259 INTR through pin 0 as ExtINT */
	reg_write(0x10 + 2 * 2, 0x30 | LOW_MASKED);
	write_entry(0, DM(IOAPIC_DM_EXTINT), 0);
	irq_line_pulse(&pit);
	assert_int_equal(nmsgs, 5); /* masked edge: lost */
	ioapic_set_irq(&io, 0, true);
	ioapic_set_irq(&io, 0, false);
	assert_int_equal(nmsgs, 6);
	expect_msg(5, 0, IOAPIC_DM_EXTINT, false, 0, false, 0);
}

static void test_edge_semantics(void **state)
{
	write_entry(4, 0x34, 1);
	ioapic_set_irq(&io, 4, true);
	ioapic_set_irq(&io, 4, true); /* still high: no new edge */
	assert_int_equal(nmsgs, 1);
	expect_msg(0, 0x34, IOAPIC_DM_FIXED, false, 1, false, 4);
	ioapic_set_irq(&io, 4, false);
	assert_int_equal(nmsgs, 1); /* falling edge: nothing */
	ioapic_set_irq(&io, 4, true);
	assert_int_equal(nmsgs, 2);
	ioapic_set_irq(&io, 4, false);
	/* masked: the edge is lost, unmasking does not bring it back */
	reg_write(0x10 + 2 * 4, 0x34 | LOW_MASKED);
	ioapic_set_irq(&io, 4, true);
	reg_write(0x10 + 2 * 4, 0x34);
	assert_int_equal(nmsgs, 2);
	/* EOIs mean nothing to edge entries */
	ioapic_eoi(&io, 0x34);
	assert_int_equal(nmsgs, 2);
	assert_int_equal(rte_low(4) & (LOW_REMOTE_IRR | LOW_DELIVS), 0);
}

static void test_level_remote_irr_and_eoi(void **state)
{
	write_entry(9, 0x39 | LOW_LEVEL, 0);
	ioapic_set_irq(&io, 9, true);
	assert_int_equal(nmsgs, 1);
	expect_msg(0, 0x39, IOAPIC_DM_FIXED, false, 0, true, 9);
	assert_int_equal(rte_low(9), 0x39 | LOW_LEVEL | LOW_REMOTE_IRR);
	/* while remote IRR is set, nothing more */
	ioapic_set_irq(&io, 9, false);
	ioapic_set_irq(&io, 9, true);
	assert_int_equal(nmsgs, 1);
	/* an EOI for another vector changes nothing */
	ioapic_eoi(&io, 0x3a);
	assert_int_equal(nmsgs, 1);
	assert_true(rte_low(9) & LOW_REMOTE_IRR);
	/* the guest cannot clear (or set) remote IRR by writing it */
	reg_write(0x10 + 2 * 9, 0x39 | LOW_LEVEL);
	assert_true(rte_low(9) & LOW_REMOTE_IRR);
	/* EOI with the line still asserted: delivered again */
	ioapic_eoi(&io, 0x39);
	assert_int_equal(nmsgs, 2);
	expect_msg(1, 0x39, IOAPIC_DM_FIXED, false, 0, true, 9);
	assert_true(rte_low(9) & LOW_REMOTE_IRR);
	/* the device lowers its line, then the EOI (through the vLAPIC's
	 * hook shape): quiet, remote IRR 0 */
	ioapic_set_irq(&io, 9, false);
	void (*hook)(void *, uint8_t) = ioapic_eoi_broadcast;
	hook(&io, 0x39);
	assert_int_equal(nmsgs, 2);
	assert_int_equal(rte_low(9), 0x39 | LOW_LEVEL);
	reg_write(0x10 + 2 * 9, 0x39 | LOW_LEVEL | LOW_REMOTE_IRR);
	assert_int_equal(rte_low(9) & LOW_REMOTE_IRR, 0);
	/* two level pins sharing a vector: one EOI serves both */
	write_entry(10, 0x39 | LOW_LEVEL, 0);
	ioapic_set_irq(&io, 9, true);
	ioapic_set_irq(&io, 10, true);
	assert_int_equal(nmsgs, 4);
	ioapic_set_irq(&io, 9, false);
	ioapic_eoi(&io, 0x39);
	assert_int_equal(nmsgs, 5); /* only pin 10 is still asserted */
	expect_msg(4, 0x39, IOAPIC_DM_FIXED, false, 0, true, 10);
	assert_int_equal(rte_low(9) & LOW_REMOTE_IRR, 0);
}

static void test_level_to_edge_clears_remote_irr(void **state)
{
	write_entry(11, 0x3b | LOW_LEVEL, 0);
	ioapic_set_irq(&io, 11, true);
	assert_true(rte_low(11) & LOW_REMOTE_IRR);
	/* Linux's EOI for old IOAPICs: mask + edge, then restore */
	reg_write(0x10 + 2 * 11, 0x3b | LOW_MASKED);
	assert_int_equal(rte_low(11) & LOW_REMOTE_IRR, 0);
	assert_int_equal(nmsgs, 1);
	/* restoring level + unmasked with the line still high: again */
	reg_write(0x10 + 2 * 11, 0x3b | LOW_LEVEL);
	assert_int_equal(nmsgs, 2);
	assert_true(rte_low(11) & LOW_REMOTE_IRR);
}

static void test_mask_while_level_asserted(void **state)
{
	write_entry(7, 0x37 | LOW_LEVEL | LOW_MASKED, 3);
	ioapic_set_irq(&io, 7, true);
	assert_int_equal(nmsgs, 0);
	assert_int_equal(rte_low(7) & LOW_REMOTE_IRR, 0);
	reg_write(0x10 + 2 * 7, 0x37 | LOW_LEVEL); /* unmask */
	assert_int_equal(nmsgs, 1);
	expect_msg(0, 0x37, IOAPIC_DM_FIXED, false, 3, true, 7);
	/* masked after delivery: the EOI clears remote IRR, no redelivery */
	reg_write(0x10 + 2 * 7, 0x37 | LOW_LEVEL | LOW_MASKED);
	ioapic_eoi(&io, 0x37);
	assert_int_equal(nmsgs, 1);
	assert_int_equal(rte_low(7) & LOW_REMOTE_IRR, 0);
	/* line dropped while masked: unmasking sends nothing */
	ioapic_set_irq(&io, 7, false);
	reg_write(0x10 + 2 * 7, 0x37 | LOW_LEVEL);
	assert_int_equal(nmsgs, 1);
}

static void test_polarity(void **state)
{
	/* active-low level: the wire idles high, low asserts */
	ioapic_set_irq(&io, 16, true);
	write_entry(16, 0x50 | LOW_LEVEL | LOW_ACTIVE_LOW, 0);
	assert_int_equal(nmsgs, 0);
	ioapic_set_irq(&io, 16, false);
	assert_int_equal(nmsgs, 1);
	expect_msg(0, 0x50, IOAPIC_DM_FIXED, false, 0, true, 16);
	ioapic_eoi(&io, 0x50); /* still low: again */
	assert_int_equal(nmsgs, 2);
	ioapic_set_irq(&io, 16, true);
	ioapic_eoi(&io, 0x50);
	assert_int_equal(nmsgs, 2);
	/* a wire left low makes an active-low level entry fire on unmask */
	ioapic_set_irq(&io, 17, false);
	write_entry(17, 0x51 | LOW_LEVEL | LOW_ACTIVE_LOW, 0);
	assert_int_equal(nmsgs, 3);
	/* active-low edge: the falling wire is the rising edge */
	ioapic_set_irq(&io, 18, true);
	write_entry(18, 0x52 | LOW_ACTIVE_LOW, 0);
	ioapic_set_irq(&io, 18, true);
	assert_int_equal(nmsgs, 3);
	ioapic_set_irq(&io, 18, false);
	assert_int_equal(nmsgs, 4);
	expect_msg(3, 0x52, IOAPIC_DM_FIXED, false, 0, false, 18);
	ioapic_set_irq(&io, 18, true);
	assert_int_equal(nmsgs, 4);
}

static void test_delivery_modes(void **state)
{
	write_entry(1, 0x31 | DM(IOAPIC_DM_LOWEST) | LOW_LOGICAL, 0x0f);
	ioapic_set_irq(&io, 1, true);
	expect_msg(0, 0x31, IOAPIC_DM_LOWEST, true, 0x0f, false, 1);
	/* NMI, INIT, SMI are edge messages even with the level bit */
	write_entry(3, 0x02 | DM(IOAPIC_DM_NMI) | LOW_LEVEL, 0xff);
	ioapic_set_irq(&io, 3, true);
	expect_msg(1, 0x02, IOAPIC_DM_NMI, false, 0xff, false, 3);
	assert_int_equal(rte_low(3) & LOW_REMOTE_IRR, 0);
	ioapic_set_irq(&io, 3, true);
	assert_int_equal(nmsgs, 2);
	write_entry(5, DM(IOAPIC_DM_INIT), 1);
	ioapic_set_irq(&io, 5, true);
	expect_msg(2, 0, IOAPIC_DM_INIT, false, 1, false, 5);
	write_entry(6, DM(IOAPIC_DM_SMI), 0);
	ioapic_set_irq(&io, 6, true);
	expect_msg(3, 0, IOAPIC_DM_SMI, false, 0, false, 6);
	/* lowest priority honours the level bit */
	write_entry(8, 0x38 | DM(IOAPIC_DM_LOWEST) | LOW_LEVEL, 1);
	ioapic_set_irq(&io, 8, true);
	expect_msg(4, 0x38, IOAPIC_DM_LOWEST, false, 1, true, 8);
	assert_int_equal(io.messages, 5);
	/* reserved modes 3 and 6: nothing sent, counted */
	write_entry(12, 0x3c | DM(3), 0);
	write_entry(13, 0x3d | DM(6), 0);
	ioapic_set_irq(&io, 12, true);
	ioapic_set_irq(&io, 13, true);
	assert_int_equal(nmsgs, 5);
	assert_int_equal(io.bad_messages, 2);
}

static void test_hostile_inputs(void **state)
{
	ioapic_set_irq(&io, 24, true);
	ioapic_set_irq(&io, 1000, true);
	ioapic_set_irq(&io, ~0u, true);
	assert_int_equal(io.pin_levels, 0);
	/* all pins unmasked level at once, all asserted, one EOI sweep */
	for (unsigned pin = 0; pin < 24; pin++)
		write_entry(pin, 0x40 | LOW_LEVEL, 0);
	for (unsigned pin = 0; pin < 24; pin++)
		ioapic_set_irq(&io, pin, true);
	assert_int_equal(nmsgs, 24);
	nmsgs = 0;
	ioapic_eoi(&io, 0x40);
	assert_int_equal(nmsgs, 24);
	/* vector 0 EOIs touch nothing that is not vector 0 */
	nmsgs = 0;
	ioapic_eoi(&io, 0);
	assert_int_equal(nmsgs, 0);
	/* no deliver callback: counted, no crash */
	ioapic_init(&io, 0, NULL, NULL);
	ioapic_write_reg(&io, 0x10, 0x30);
	ioapic_set_irq(&io, 0, true);
	assert_int_equal(io.messages, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_registers, setup),
		cmocka_unit_test_setup(test_id_version_arbitration, setup),
		cmocka_unit_test_setup(test_rte_fields_and_read_only_bits, setup),
		cmocka_unit_test_setup(test_mmio_access_sizes, setup),
		cmocka_unit_test_setup(test_linux_setup_sequence, setup),
		cmocka_unit_test_setup(test_edge_semantics, setup),
		cmocka_unit_test_setup(test_level_remote_irr_and_eoi, setup),
		cmocka_unit_test_setup(test_level_to_edge_clears_remote_irr,
				       setup),
		cmocka_unit_test_setup(test_mask_while_level_asserted, setup),
		cmocka_unit_test_setup(test_polarity, setup),
		cmocka_unit_test_setup(test_delivery_modes, setup),
		cmocka_unit_test_setup(test_hostile_inputs, setup),
	};
	return cmocka_run_group_tests_name("ioapic", tests, NULL, NULL);
}
