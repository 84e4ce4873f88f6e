/* Host tests for the MMIO test device, through the MMIO bus. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/test_mmio.h"
#include "vmm/mmio_bus.h"

static struct test_mmio dev;
static struct mmio_bus bus;

static void test_reads_back_like_memory(void **state)
{
	uint64_t v;
	int stop;
	memset(&bus, 0, sizeof(bus));
	assert_int_equal(test_mmio_attach(&dev, &bus), MMIO_BUS_OK);
	assert_true(mmio_bus_write(&bus, TEST_MMIO_BASE + 8, 8,
				   0x1122334455667788ull, &stop));
	assert_int_equal(stop, 0);
	assert_true(mmio_bus_read(&bus, TEST_MMIO_BASE + 9, 2, &v));
	assert_int_equal(v, 0x6677); /* little-endian bytes 9-10 */
	assert_true(mmio_bus_write(&bus, TEST_MMIO_BASE + 8, 1, 0xab, &stop));
	assert_true(mmio_bus_read(&bus, TEST_MMIO_BASE + 8, 4, &v));
	assert_int_equal(v, 0x556677ab);
	assert_true(mmio_bus_read(&bus, TEST_MMIO_BASE + 0xff8, 8, &v));
	assert_false(mmio_bus_read(&bus, TEST_MMIO_BASE + 0xffc, 8, &v));
	assert_int_equal(dev.reads, 3);
	assert_int_equal(dev.writes, 2);
}

static void test_stop_request(void **state)
{
	int stop;
	memset(&bus, 0, sizeof(bus));
	assert_int_equal(test_mmio_attach(&dev, &bus), MMIO_BUS_OK);
	assert_true(mmio_bus_write(&bus, TEST_MMIO_BASE + TEST_MMIO_STOP_OFFSET,
				   4, TEST_MMIO_STOP_VALUE, &stop));
	assert_int_equal(stop, 1);
	assert_true(mmio_bus_write(&bus, TEST_MMIO_BASE, 4,
				   TEST_MMIO_STOP_VALUE, &stop));
	assert_int_equal(stop, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reads_back_like_memory),
		cmocka_unit_test(test_stop_request),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
