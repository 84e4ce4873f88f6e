/* Host tests for the MMIO region bus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/mmio_bus.h"

static struct mmio_bus bus;
static uint64_t last_offset, last_value;
static unsigned last_size;

static void dev_read(void *dev, uint64_t offset, unsigned size, uint64_t *v)
{
	*v = 0x1122334455667788ull + offset;
}

static int dev_write(void *dev, uint64_t offset, unsigned size, uint64_t v)
{
	last_offset = offset, last_size = size, last_value = v;
	return v == 0xdead;
}

static int reg(uint64_t base, uint64_t len, const char *name)
{
	struct mmio_region r = { base, len, name, dev_read, dev_write, 0 };
	return mmio_bus_register(&bus, &r, NULL);
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	return 0;
}

static void test_dispatch_by_offset_and_size(void **state)
{
	uint64_t v;
	int stop;
	assert_int_equal(reg(0xfee00000, 0x1000, "lapic"), MMIO_BUS_OK);
	assert_true(mmio_bus_read(&bus, 0xfee00020, 4, &v));
	assert_int_equal(v, 0x55667788u + 0x20); /* truncated to 4 bytes */
	assert_true(mmio_bus_read(&bus, 0xfee00000, 8, &v));
	assert_int_equal(v, 0x1122334455667788ull);
	assert_true(mmio_bus_write(&bus, 0xfee000b0, 2, 0x12345, &stop));
	assert_int_equal(last_offset, 0xb0);
	assert_int_equal(last_size, 2);
	assert_int_equal(last_value, 0x2345); /* masked to the size */
	assert_int_equal(stop, 0);
	assert_true(mmio_bus_write(&bus, 0xfee00000, 4, 0xdead, &stop));
	assert_int_equal(stop, 1);
}

static void test_unclaimed_and_straddling(void **state)
{
	uint64_t v = 7;
	int stop;
	assert_int_equal(reg(0xfec00000, 0x20, "ioapic"), MMIO_BUS_OK);
	assert_false(mmio_bus_read(&bus, 0xfebfffff, 1, &v));
	assert_false(mmio_bus_read(&bus, 0xfec00020, 1, &v));
	assert_false(mmio_bus_read(&bus, 0xfec0001c, 8, &v)); /* straddles */
	assert_true(mmio_bus_read(&bus, 0xfec0001c, 4, &v));
	assert_false(mmio_bus_write(&bus, 0, 4, 1, &stop));
	assert_null(mmio_bus_find(&bus, ~0ull, 8));
}

static void test_no_handlers_read_ones_drop_writes(void **state)
{
	struct mmio_region r = { 0x1000, 0x1000, "hole", NULL, NULL, NULL };
	uint64_t v;
	int stop = 5;
	assert_int_equal(mmio_bus_register(&bus, &r, NULL), MMIO_BUS_OK);
	assert_true(mmio_bus_read(&bus, 0x1000, 2, &v));
	assert_int_equal(v, 0xffff);
	assert_true(mmio_bus_write(&bus, 0x1000, 2, 1, &stop));
	assert_int_equal(stop, 0);
}

static void test_register_rejects(void **state)
{
	const char *clash = NULL;
	struct mmio_region r = { 0x2000, 0x1000, "b", NULL, NULL, NULL };
	assert_int_equal(reg(0x1000, 0x2000, "a"), MMIO_BUS_OK);
	assert_int_equal(mmio_bus_register(&bus, &r, &clash), MMIO_BUS_OVERLAP);
	assert_string_equal(clash, "a");
	assert_int_equal(reg(0x5000, 0, "empty"), MMIO_BUS_EMPTY_RANGE);
	assert_int_equal(reg(~0ull - 10, 0x100, "wraps"), MMIO_BUS_EMPTY_RANGE);
	assert_int_equal(reg(0x3000, 0x1000, "adjacent"), MMIO_BUS_OK);
	for (uint64_t i = 0; i < MMIO_BUS_MAX_REGIONS - 2; i++)
		assert_int_equal(reg(0x10000 + i * 0x1000, 0x1000, "x"),
				 MMIO_BUS_OK);
	assert_int_equal(reg(0x100000, 0x1000, "full"), MMIO_BUS_FULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_dispatch_by_offset_and_size, setup),
		cmocka_unit_test_setup(test_unclaimed_and_straddling, setup),
		cmocka_unit_test_setup(test_no_handlers_read_ones_drop_writes,
				       setup),
		cmocka_unit_test_setup(test_register_rejects, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
