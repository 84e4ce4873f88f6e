/* The MMIO test device (see test_mmio.h). Little-endian, like RAM. */
#include "lib/string.h"
#include "vmm/dev/test_mmio.h"
#include "vmm/mmio_bus.h"

static void test_mmio_read(void *dev, uint64_t offset, unsigned size,
			   uint64_t *value)
{
	struct test_mmio *t = dev;
	*value = 0;
	memcpy(value, &t->bytes[offset], size);
	t->reads++;
}

static int test_mmio_write(void *dev, uint64_t offset, unsigned size,
			   uint64_t value)
{
	struct test_mmio *t = dev;
	memcpy(&t->bytes[offset], &value, size);
	t->writes++;
	return offset == TEST_MMIO_STOP_OFFSET && value == TEST_MMIO_STOP_VALUE;
}

int test_mmio_attach(struct test_mmio *t, struct mmio_bus *bus)
{
	struct mmio_region r = { TEST_MMIO_BASE, TEST_MMIO_SIZE, "test-mmio",
				 test_mmio_read, test_mmio_write, t };
	memset(t, 0, sizeof(*t));
	return mmio_bus_register(bus, &r, NULL);
}
