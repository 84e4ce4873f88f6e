/* A VM's MMIO regions (see mmio_bus.h). A handful per VM: a linear
 * search is both simplest and fastest here. */
#include <stddef.h>
#include "vmm/mmio_bus.h"

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

static bool overlaps(const struct mmio_region *a, const struct mmio_region *b)
{
	return a->base < b->base + b->len && b->base < a->base + a->len;
}

int mmio_bus_register(struct mmio_bus *bus, const struct mmio_region *r,
		      const char **clash)
{
	if (r->len == 0 || r->base + r->len < r->base)
		return MMIO_BUS_EMPTY_RANGE;
	for (uint32_t i = 0; i < bus->count; i++) {
		if (overlaps(&bus->regions[i], r)) {
			if (clash)
				*clash = bus->regions[i].name;
			return MMIO_BUS_OVERLAP;
		}
	}
	if (bus->count == MMIO_BUS_MAX_REGIONS)
		return MMIO_BUS_FULL;
	bus->regions[bus->count++] = *r;
	return MMIO_BUS_OK;
}

const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus,
					uint64_t gpa, unsigned size)
{
	for (uint32_t i = 0; i < bus->count; i++) {
		const struct mmio_region *r = &bus->regions[i];
		if (gpa >= r->base && gpa - r->base < r->len &&
		    size <= r->len - (gpa - r->base))
			return r;
	}
	return NULL;
}

bool mmio_bus_read(const struct mmio_bus *bus, uint64_t gpa, unsigned size,
		   uint64_t *value)
{
	const struct mmio_region *r = mmio_bus_find(bus, gpa, size);
	if (!r)
		return false;
	*value = size_mask(size);
	if (r->read) {
		r->read(r->dev, gpa - r->base, size, value);
		*value &= size_mask(size);
	}
	return true;
}

bool mmio_bus_write(const struct mmio_bus *bus, uint64_t gpa, unsigned size,
		    uint64_t value, int *stop)
{
	const struct mmio_region *r = mmio_bus_find(bus, gpa, size);
	if (!r)
		return false;
	*stop = r->write ? r->write(r->dev, gpa - r->base, size,
				    value & size_mask(size)) : 0;
	return true;
}
