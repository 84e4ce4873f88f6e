/*
 * Flat test-guest images: a 16-byte header ("VOLTFLAT", load address, entry
 * point, both little-endian 32-bit) followed by code. The whole file is
 * copied to the load address in guest memory; the guest starts in real
 * mode at CS = 0, IP = entry. Used by guests/tests/. Pure, host-tested.
 */
#ifndef VOLT_VMM_LOADER_FLAT_H
#define VOLT_VMM_LOADER_FLAT_H

#include <stddef.h>
#include <stdint.h>

#define FLAT_MAGIC "VOLTFLAT"
#define FLAT_HEADER_SIZE 16
#define FLAT_REAL_MODE_LIMIT 0x100000u /* real mode reaches 1 MiB */

struct flat_image {
	uint32_t load;  /* guest-physical address of the file's first byte */
	uint32_t entry; /* real-mode IP (CS = 0) */
	uint32_t size;  /* bytes to copy */
};

/* Is this a flat image at all (magic present)? */
int flat_is_image(const void *file, size_t size);

/* Validate against a VM with `ram_bytes` of RAM; 0 or -1 with a message. */
int flat_parse(const void *file, size_t size, uint64_t ram_bytes,
	       struct flat_image *out, char *err, size_t errlen);

#endif
