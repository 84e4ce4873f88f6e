/* Host tests for the port-I/O bus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/io_bus.h"

static struct io_bus bus;
static uint32_t last_write;
static uint16_t last_port;

static uint32_t dev_read(void *dev, uint16_t port, uint8_t size)
{
	return 0x12345678u + (uint32_t)(uintptr_t)dev + port;
}

static int dev_write(void *dev, uint16_t port, uint8_t size, uint32_t v)
{
	last_port = port;
	last_write = v;
	return v == 0xdead ? 1 : 0;
}

static int reg(uint16_t base, uint16_t count, const char *name)
{
	struct io_range r = { base, count, name, dev_read, dev_write, 0 };
	return io_bus_register(&bus, &r, NULL);
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	return 0;
}

static void test_register_and_dispatch(void **state)
{
	assert_int_equal(reg(0x3f8, 8, "uart"), IO_BUS_OK);
	assert_int_equal(reg(0x20, 2, "pic"), IO_BUS_OK);
	assert_int_equal(reg(0xffff, 1, "last"), IO_BUS_OK);
	assert_int_equal(bus.ranges[0].base, 0x20); /* kept sorted */
	assert_int_equal(io_bus_read(&bus, 0x3fd, 1), (0x12345678u + 0x3fd) & 0xff);
	assert_int_equal(io_bus_read(&bus, 0x21, 2), (0x12345678u + 0x21) & 0xffff);
	assert_int_equal(io_bus_write(&bus, 0x3f8, 1, 0x41), 0);
	assert_int_equal(last_port, 0x3f8);
	assert_int_equal(last_write, 0x41);
	assert_int_equal(io_bus_write(&bus, 0x3f8, 2, 0x1dead), 1); /* masked to 0xdead */
	assert_int_equal(io_bus_read(&bus, 0xffff, 4), 0x12345678u + 0xffff);
}

static void test_unclaimed(void **state)
{
	assert_int_equal(reg(0x3f8, 8, "uart"), IO_BUS_OK);
	assert_int_equal(io_bus_read(&bus, 0x3f7, 1), 0xff);
	assert_int_equal(io_bus_read(&bus, 0x400, 2), 0xffff);
	assert_int_equal(io_bus_read(&bus, 0x80, 4), 0xffffffffu);
	assert_int_equal(io_bus_write(&bus, 0x80, 1, 1), 0);
	assert_int_equal(bus.unclaimed_reads, 3);
	assert_int_equal(bus.unclaimed_writes, 1);
}

static void test_overlaps_refused(void **state)
{
	const char *clash = NULL;
	assert_int_equal(reg(0x40, 4, "pit"), IO_BUS_OK);
	struct io_range r = { 0x43, 2, "bad", dev_read, dev_write, 0 };
	assert_int_equal(io_bus_register(&bus, &r, &clash), IO_BUS_OVERLAP);
	assert_string_equal(clash, "pit");
	assert_int_equal(reg(0x3c, 5, "x"), IO_BUS_OVERLAP); /* ends inside */
	assert_int_equal(reg(0x3c, 4, "y"), IO_BUS_OK);      /* touches: fine */
	assert_int_equal(reg(0x44, 1, "z"), IO_BUS_OK);
	assert_int_equal(reg(0x00, 0x100, "all"), IO_BUS_OVERLAP);
	assert_int_equal(reg(0x10, 0, "empty"), IO_BUS_EMPTY_RANGE);
	assert_int_equal(reg(0xfffe, 3, "past"), IO_BUS_EMPTY_RANGE);
}

static void test_full(void **state)
{
	for (int i = 0; i < IO_BUS_MAX_RANGES; i++)
		assert_int_equal(reg((uint16_t)(i * 2), 1, "d"), IO_BUS_OK);
	assert_int_equal(reg(0x1000, 1, "one too many"), IO_BUS_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_register_and_dispatch, setup),
		cmocka_unit_test_setup(test_unclaimed, setup),
		cmocka_unit_test_setup(test_overlaps_refused, setup),
		cmocka_unit_test_setup(test_full, setup),
	};
	return cmocka_run_group_tests_name("io_bus", tests, NULL, NULL);
}
