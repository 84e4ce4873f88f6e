/*
 * Host tests for the small PC ports (vmm/dev/pc_ports.c), driven through
 * the port-I/O bus as a guest would: POST code, port 0x92, the i8042
 * without a keyboard (as Linux's reboot code and i8042 probe use it),
 * PCI configuration mechanism #1 with no device, and 0xcf9 (as Linux's
 * BOOT_CF9 reboot uses it).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/pc_ports.h"
#include "vmm/io_bus.h"

static struct pc_ports pp;
static struct io_bus bus;
static unsigned reset_calls;
static const char *reset_why;

static void on_reset(void *ctx, const char *why)
{
	assert_ptr_equal(ctx, &reset_calls);
	assert_non_null(why);
	reset_calls++;
	reset_why = why;
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	reset_calls = 0;
	reset_why = NULL;
	pc_ports_init(&pp, on_reset, &reset_calls);
	assert_int_equal(pc_ports_attach(&pp, &bus), IO_BUS_OK);
	return 0;
}

static uint8_t inb(uint16_t port)
{
	return (uint8_t)io_bus_read(&bus, port, 1);
}

/* outb that must not stop the VM */
static void outb(uint16_t port, uint8_t v)
{
	assert_int_equal(io_bus_write(&bus, port, 1, v), 0);
}

/* ---- port 0x80 ---------------------------------------------------------- */

static void test_post_code(void **state)
{
	assert_int_equal(inb(PC_PORT_POST), 0x00);
	outb(PC_PORT_POST, 0xff); /* what 8250 autoconfig writes on i386 */
	assert_int_equal(inb(PC_PORT_POST), 0xff);
	outb(PC_PORT_POST, 0x00);
	assert_int_equal(inb(PC_PORT_POST), 0x00);
	outb(PC_PORT_POST, 0x5a);
	assert_int_equal(inb(PC_PORT_POST), 0x5a);
	assert_int_equal(reset_calls, 0);
	/* a word read at 0x80: the POST code, then 0x81 (not ours) */
	assert_int_equal(io_bus_read(&bus, PC_PORT_POST, 2), 0xff5a);
	assert_int_equal(bus.unclaimed_reads, 0);
}

/* ---- port 0x92 ---------------------------------------------------------- */

static void test_port92(void **state)
{
	assert_int_equal(inb(PC_PORT_SYSCTL_A), SYSCTL_A_A20);
	outb(PC_PORT_SYSCTL_A, 0x00); /* A20 "off": stored, no effect */
	assert_int_equal(inb(PC_PORT_SYSCTL_A), 0x00);
	outb(PC_PORT_SYSCTL_A, 0xc2); /* LED bits and A20: stored */
	assert_int_equal(inb(PC_PORT_SYSCTL_A), 0xc2);
	assert_int_equal(reset_calls, 0);
	/* bit 0 from 0 to 1: fast reset */
	assert_int_equal(io_bus_write(&bus, PC_PORT_SYSCTL_A, 1, 0x03), 1);
	assert_int_equal(reset_calls, 1);
	assert_string_equal(reset_why, "port 0x92 fast reset");
	assert_int_equal(pp.last_reset, PC_RESET_SOFT);
	/* the reset cleared bit 0: the next request works again */
	assert_int_equal(inb(PC_PORT_SYSCTL_A), 0x02);
	assert_int_equal(io_bus_write(&bus, PC_PORT_SYSCTL_A, 1, 0x01), 1);
	assert_int_equal(reset_calls, 2);
	assert_int_equal(pp.resets, 2);
}

/* ---- i8042 -------------------------------------------------------------- */

/* Linux's kb_wait(): poll the status until IBF is clear. */
static bool kb_wait(void)
{
	for (unsigned i = 0; i < 0x10000; i++)
		if (!(inb(PC_PORT_KBC_CMD) & KBC_STATUS_IBF))
			return true;
	return false;
}

static void test_kbc_status_and_data(void **state)
{
	uint8_t st = inb(PC_PORT_KBC_CMD);
	assert_int_equal(st, KBC_STATUS_SYS | KBC_STATUS_INH);
	assert_int_equal(st & (KBC_STATUS_OBF | KBC_STATUS_IBF), 0);
	assert_int_equal(inb(PC_PORT_KBC_DATA), 0x00);
	/* A2 follows the last write */
	outb(PC_PORT_KBC_CMD, 0x20); /* read command byte: ignored */
	assert_int_equal(inb(PC_PORT_KBC_CMD), 0x1c);
	assert_int_equal(inb(PC_PORT_KBC_CMD) & KBC_STATUS_OBF, 0); /* none */
	outb(PC_PORT_KBC_DATA, 0xff); /* keyboard reset: nobody there */
	assert_int_equal(inb(PC_PORT_KBC_CMD), 0x14);
	assert_int_equal(inb(PC_PORT_KBC_DATA), 0x00);
	/* Linux's i8042_flush: nothing to drain */
	unsigned drained = 0;
	while ((inb(PC_PORT_KBC_CMD) & KBC_STATUS_OBF) && drained < 16) {
		inb(PC_PORT_KBC_DATA);
		drained++;
	}
	assert_int_equal(drained, 0);
	/* the self-test (0xaa) never answers: OBF stays clear */
	outb(PC_PORT_KBC_CMD, 0xaa);
	assert_int_equal(inb(PC_PORT_KBC_CMD) & KBC_STATUS_OBF, 0);
	/* the old mach_reboot: command byte write (0x60), data 0x14 */
	outb(PC_PORT_KBC_CMD, 0x60);
	outb(PC_PORT_KBC_DATA, 0x14);
	assert_int_equal(reset_calls, 0);
}

static void test_kbc_reboot(void **state)
{
	/* Linux's BOOT_KBD: kb_wait(), then 0xfe to port 0x64 */
	assert_true(kb_wait());
	assert_int_equal(io_bus_write(&bus, PC_PORT_KBC_CMD, 1, 0xfe), 1);
	assert_int_equal(reset_calls, 1);
	assert_string_equal(reset_why, "i8042 command pulsed the reset line");
	assert_int_equal(pp.last_reset, PC_RESET_SOFT);
	/* other pulse commands with bit 0 clear reset too... */
	assert_int_equal(io_bus_write(&bus, PC_PORT_KBC_CMD, 1, 0xf0), 1);
	assert_int_equal(io_bus_write(&bus, PC_PORT_KBC_CMD, 1, 0xfa), 1);
	assert_int_equal(reset_calls, 3);
	/* ...those with bit 0 set (0xff: pulse nothing) do not */
	outb(PC_PORT_KBC_CMD, 0xff);
	outb(PC_PORT_KBC_CMD, 0xf1);
	outb(PC_PORT_KBC_CMD, 0xef);
	assert_int_equal(reset_calls, 3);
}

static void test_kbc_output_port(void **state)
{
	/* 0xd1 then 0xdf: A20 on, reset line high: no reset */
	outb(PC_PORT_KBC_CMD, KBC_CMD_WRITE_OUTPUT);
	outb(PC_PORT_KBC_DATA, 0xdf);
	assert_int_equal(pp.kbc_output, 0xdf);
	/* a data byte without 0xd1 is not an output port write */
	outb(PC_PORT_KBC_DATA, 0xde);
	assert_int_equal(pp.kbc_output, 0xdf);
	/* 0xd1 then a byte with bit 0 clear: reset */
	outb(PC_PORT_KBC_CMD, KBC_CMD_WRITE_OUTPUT);
	assert_int_equal(io_bus_write(&bus, PC_PORT_KBC_DATA, 1, 0xde), 1);
	assert_int_equal(reset_calls, 1);
	assert_string_equal(reset_why,
			    "i8042 output port cleared the reset line");
	/* another command in between cancels the pending 0xd1 */
	outb(PC_PORT_KBC_CMD, KBC_CMD_WRITE_OUTPUT);
	outb(PC_PORT_KBC_CMD, 0xad);
	outb(PC_PORT_KBC_DATA, 0x00);
	assert_int_equal(reset_calls, 1);
}

/* ---- PCI configuration mechanism #1 ------------------------------------- */

static void test_pci_conf1_no_device(void **state)
{
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 4), 0);
	/* bus 0, device 0, function 0, register 0 (vendor/device ID) */
	assert_int_equal(io_bus_write(&bus, PC_PORT_PCI_ADDR, 4, 0x80000000u),
			 0);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 4), 0x80000000u);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA, 4), 0xffffffffu);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA, 2), 0xffff);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA + 2, 2), 0xffff);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA + 3, 1), 0xff);
	/* Linux's pci_check_type1(): write 0x80000000, read it back */
	assert_int_equal(io_bus_write(&bus, PC_PORT_PCI_ADDR, 4, 0x80000000u),
			 0);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 4), 0x80000000u);
	/* a whole scan of bus 0 finds nothing */
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t addr = 0x80000000u | dev << 11;
		io_bus_write(&bus, PC_PORT_PCI_ADDR, 4, addr);
		assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA, 2),
				 0xffff);
	}
	/* reserved bits 30:24 and 1:0 read 0 */
	io_bus_write(&bus, PC_PORT_PCI_ADDR, 4, 0xffffffffu);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 4), 0x80fffffcu);
	/* data writes are dropped and change nothing */
	assert_int_equal(io_bus_write(&bus, PC_PORT_PCI_DATA, 4, 0x12345678),
			 0);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_DATA, 4), 0xffffffffu);
	/* byte and word accesses at 0xcf8 are not CONFIG_ADDRESS cycles */
	outb(PC_PORT_PCI_ADDR, 0x00);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 4), 0x80fffffcu);
	assert_int_equal(inb(PC_PORT_PCI_ADDR), 0xff);
	assert_int_equal(inb(PC_PORT_PCI_ADDR + 2), 0xff);
	assert_int_equal(reset_calls, 0);
}

/* ---- 0xcf9 -------------------------------------------------------------- */

/* Linux's BOOT_CF9 for a cold (0x0e) or warm (0x06) reboot. */
static int linux_cf9_reboot(uint8_t reboot_code)
{
	uint8_t cf9 = inb(PC_PORT_RST_CNT) & ~reboot_code;
	assert_int_equal(io_bus_write(&bus, PC_PORT_RST_CNT, 1, cf9 | 2), 0);
	return io_bus_write(&bus, PC_PORT_RST_CNT, 1, cf9 | reboot_code);
}

static void test_cf9(void **state)
{
	assert_int_equal(inb(PC_PORT_RST_CNT), 0x00);
	outb(PC_PORT_RST_CNT, RST_CNT_SYS_RST); /* select, no reset */
	assert_int_equal(inb(PC_PORT_RST_CNT), 0x02);
	outb(PC_PORT_RST_CNT, 0xf1); /* reserved bits read 0 */
	assert_int_equal(inb(PC_PORT_RST_CNT), 0x00);
	assert_int_equal(reset_calls, 0);

	assert_int_equal(linux_cf9_reboot(0x06), 1); /* warm: hard */
	assert_int_equal(reset_calls, 1);
	assert_string_equal(reset_why, "0xcf9 hard reset");
	assert_int_equal(pp.last_reset, PC_RESET_HARD);
	assert_int_equal(inb(PC_PORT_RST_CNT), 0x02); /* RST_CPU cleared */

	assert_int_equal(linux_cf9_reboot(0x0e), 1); /* cold: power cycle */
	assert_int_equal(pp.last_reset, PC_RESET_FULL);
	assert_string_equal(reset_why, "0xcf9 full reset (power cycle)");

	/* RST_CPU without SYS_RST: a soft (CPU only) reset */
	outb(PC_PORT_RST_CNT, 0);
	assert_int_equal(io_bus_write(&bus, PC_PORT_RST_CNT, 1, 0x04), 1);
	assert_int_equal(pp.last_reset, PC_RESET_SOFT);
	assert_string_equal(reset_why, "0xcf9 soft reset");
	/* FULL_RST without SYS_RST is still soft */
	assert_int_equal(io_bus_write(&bus, PC_PORT_RST_CNT, 1, 0x0c), 1);
	assert_int_equal(pp.last_reset, PC_RESET_SOFT);
	assert_int_equal(reset_calls, 4);
	/* the byte inside a word access at 0xcf8 is the same register */
	assert_int_equal(io_bus_write(&bus, PC_PORT_PCI_ADDR, 2, 0x0600), 1);
	assert_int_equal(reset_calls, 5);
	assert_int_equal(io_bus_read(&bus, PC_PORT_PCI_ADDR, 2), 0x02ff);
}

static void test_no_callback_still_stops(void **state)
{
	pc_ports_init(&pp, NULL, NULL);
	assert_int_equal(io_bus_write(&bus, PC_PORT_KBC_CMD, 1, 0xfe), 1);
	assert_int_equal(pp.resets, 1);
	assert_int_equal(reset_calls, 0);
}

static void test_attach_overlaps(void **state)
{
	struct io_bus other;
	memset(&other, 0, sizeof(other));
	struct io_range pit_b = { 0x61, 1, "pit-port-b", NULL, NULL, NULL };
	assert_int_equal(io_bus_register(&other, &pit_b, NULL), IO_BUS_OK);
	assert_int_equal(pc_ports_attach(&pp, &other), IO_BUS_OK);
	/* claimed once only */
	assert_int_equal(pc_ports_attach(&pp, &other), IO_BUS_OVERLAP);
	/* the PIT keeps 0x61 between the two i8042 ports */
	assert_int_equal(io_bus_read(&other, 0x61, 1), 0xff);
	assert_int_equal(other.unclaimed_reads, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_post_code, setup),
		cmocka_unit_test_setup(test_port92, setup),
		cmocka_unit_test_setup(test_kbc_status_and_data, setup),
		cmocka_unit_test_setup(test_kbc_reboot, setup),
		cmocka_unit_test_setup(test_kbc_output_port, setup),
		cmocka_unit_test_setup(test_pci_conf1_no_device, setup),
		cmocka_unit_test_setup(test_cf9, setup),
		cmocka_unit_test_setup(test_no_callback_still_stops, setup),
		cmocka_unit_test_setup(test_attach_overlaps, setup),
	};
	return cmocka_run_group_tests_name("pc_ports", tests, NULL, NULL);
}
