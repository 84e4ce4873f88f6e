/* A VM's port-I/O bus (see io_bus.h). */
#include <stddef.h>
#include "lib/string.h"
#include "vmm/io_bus.h"

#define PORT_SPACE 0x10000u

static uint32_t all_ones(uint8_t size)
{
	return size >= 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
}

static uint32_t range_end(const struct io_range *r)
{
	return (uint32_t)r->base + r->count;
}

int io_bus_register(struct io_bus *bus, const struct io_range *r,
		    const char **clash)
{
	if (r->count == 0 || range_end(r) > PORT_SPACE)
		return IO_BUS_EMPTY_RANGE;
	uint32_t i = 0;
	while (i < bus->count && range_end(&bus->ranges[i]) <= r->base)
		i++;
	if (i < bus->count && bus->ranges[i].base < range_end(r)) {
		if (clash)
			*clash = bus->ranges[i].name;
		return IO_BUS_OVERLAP;
	}
	if (bus->count == IO_BUS_MAX_RANGES)
		return IO_BUS_FULL;
	memmove(&bus->ranges[i + 1], &bus->ranges[i],
		(bus->count - i) * sizeof(bus->ranges[0]));
	bus->ranges[i] = *r;
	bus->count++;
	return IO_BUS_OK;
}

static const struct io_range *find(const struct io_bus *bus, uint16_t port)
{
	uint32_t lo = 0, hi = bus->count;
	while (lo < hi) { /* ranges are sorted and disjoint */
		uint32_t mid = (lo + hi) / 2;
		const struct io_range *r = &bus->ranges[mid];
		if (port < r->base)
			hi = mid;
		else if (port >= range_end(r))
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

uint32_t io_bus_read(struct io_bus *bus, uint16_t port, uint8_t size)
{
	const struct io_range *r = find(bus, port);
	if (!r || !r->read) {
		bus->unclaimed_reads++;
		return all_ones(size);
	}
	return r->read(r->dev, port, size) & all_ones(size);
}

int io_bus_write(struct io_bus *bus, uint16_t port, uint8_t size,
		 uint32_t value)
{
	const struct io_range *r = find(bus, port);
	if (!r || !r->write) {
		bus->unclaimed_writes++;
		return 0;
	}
	return r->write(r->dev, port, size, value & all_ones(size));
}
