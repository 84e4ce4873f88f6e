/* Flat test-guest images (see flat.h). */
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/loader/flat.h"

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

int flat_is_image(const void *file, size_t size)
{
	return size >= FLAT_HEADER_SIZE && !memcmp(file, FLAT_MAGIC, 8);
}

int flat_parse(const void *file, size_t size, uint64_t ram_bytes,
	       struct flat_image *out, char *err, size_t errlen)
{
	const uint8_t *p = file;
	if (!flat_is_image(file, size)) {
		volt_snprintf(err, errlen, "not a flat image (no VOLTFLAT header)");
		return -1;
	}
	out->load = le32(p + 8);
	out->entry = le32(p + 12);
	out->size = (uint32_t)size;
	uint64_t end = (uint64_t)out->load + size;
	if (size > FLAT_REAL_MODE_LIMIT || end > FLAT_REAL_MODE_LIMIT ||
	    end > ram_bytes) {
		volt_snprintf(err, errlen,
			      "flat image of %lu bytes at %#x does not fit below "
			      "1 MiB and in %lu MiB of RAM",
			      (unsigned long)size, out->load,
			      (unsigned long)(ram_bytes >> 20));
		return -1;
	}
	if (out->entry < out->load + FLAT_HEADER_SIZE || out->entry >= end ||
	    out->entry > 0xffff) {
		volt_snprintf(err, errlen,
			      "flat image entry %#x is outside its code "
			      "(loaded at %#x, %lu bytes; real mode IP <= 0xffff)",
			      out->entry, out->load, (unsigned long)size);
		return -1;
	}
	return 0;
}
