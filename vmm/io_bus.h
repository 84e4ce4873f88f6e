/*
 * A VM's port-I/O bus: devices claim port ranges; an access goes to the
 * device whose range holds the port. Overlapping claims are refused, so
 * two device models can never both answer a port. Unclaimed ports behave
 * like an empty ISA bus: reads return all ones, writes vanish (both
 * counted). Pure: host-tested.
 */
#ifndef VOLT_VMM_IO_BUS_H
#define VOLT_VMM_IO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define IO_BUS_MAX_RANGES 32

/* Handlers get the port, the size (1, 2, 4) and the device's context.
 * A write handler returns nonzero to ask that the VM stop (exit device). */
typedef uint32_t (*io_read_fn)(void *dev, uint16_t port, uint8_t size);
typedef int (*io_write_fn)(void *dev, uint16_t port, uint8_t size,
			   uint32_t value);

struct io_range {
	uint16_t base;
	uint16_t count; /* ports: [base, base + count) */
	const char *name;
	io_read_fn read;   /* NULL: reads as unclaimed */
	io_write_fn write; /* NULL: writes dropped */
	void *dev;
};

struct io_bus {
	struct io_range ranges[IO_BUS_MAX_RANGES]; /* sorted by base */
	uint32_t count;
	uint64_t unclaimed_reads, unclaimed_writes;
};

enum io_bus_error {
	IO_BUS_OK = 0,
	IO_BUS_EMPTY_RANGE = -1, /* count 0, or runs past port 0xffff */
	IO_BUS_OVERLAP = -2,
	IO_BUS_FULL = -3,
};

/* Claim [base, base+count). On IO_BUS_OVERLAP, *clash names the owner. */
int io_bus_register(struct io_bus *bus, const struct io_range *r,
		    const char **clash);

/* Read: the value (all ones in `size` bytes when unclaimed). */
uint32_t io_bus_read(struct io_bus *bus, uint16_t port, uint8_t size);
/* Write: the handler's answer (nonzero: stop the VM), 0 when unclaimed. */
int io_bus_write(struct io_bus *bus, uint16_t port, uint8_t size,
		 uint32_t value);

#endif
