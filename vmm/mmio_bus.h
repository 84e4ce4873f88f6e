/*
 * A VM's memory-mapped I/O regions: guest-physical ranges that are not
 * RAM but belong to a device model (the local APIC page, the IOAPIC, a
 * test device). EPT leaves them unmapped, so every access exits; the
 * exit handler decodes the instruction (vmm/insn/) and turns it into
 * mmio_bus_read/mmio_bus_write calls. Overlapping claims are refused.
 * An address no region claims is not answered here: the exit handler
 * decides (a guest touching memory it does not have is stopped).
 * Pure: host-tested.
 */
#ifndef VOLT_VMM_MMIO_BUS_H
#define VOLT_VMM_MMIO_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define MMIO_BUS_MAX_REGIONS 8

/* offset: from the region's base; size 1, 2, 4 or 8. A read fills *value
 * (zero-extended); a write handler returns nonzero to stop the VM. */
typedef void (*mmio_read_fn)(void *dev, uint64_t offset, unsigned size,
			     uint64_t *value);
typedef int (*mmio_write_fn)(void *dev, uint64_t offset, unsigned size,
			     uint64_t value);

struct mmio_region {
	uint64_t base, len; /* [base, base + len) */
	const char *name;
	mmio_read_fn read;   /* NULL: reads return all ones */
	mmio_write_fn write; /* NULL: writes dropped */
	void *dev;
};

struct mmio_bus {
	struct mmio_region regions[MMIO_BUS_MAX_REGIONS];
	uint32_t count;
};

enum mmio_bus_error {
	MMIO_BUS_OK = 0,
	MMIO_BUS_EMPTY_RANGE = -1, /* len 0, or wraps past 2^64 */
	MMIO_BUS_OVERLAP = -2,
	MMIO_BUS_FULL = -3,
};

int mmio_bus_register(struct mmio_bus *bus, const struct mmio_region *r,
		      const char **clash);
/* The region holding [gpa, gpa + size), or NULL (also when an access
 * straddles a region's end: no device answers half an access). */
const struct mmio_region *mmio_bus_find(const struct mmio_bus *bus,
					uint64_t gpa, unsigned size);
/* Both return false when no region holds the access. */
bool mmio_bus_read(const struct mmio_bus *bus, uint64_t gpa, unsigned size,
		   uint64_t *value);
bool mmio_bus_write(const struct mmio_bus *bus, uint64_t gpa, unsigned size,
		    uint64_t value, int *stop);

#endif
