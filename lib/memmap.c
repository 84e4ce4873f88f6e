/*
 * Memory map normalizer (see memmap.h). It sweeps over the sorted set of
 * region boundaries: between two neighbouring boundaries the memory has one
 * type, the strongest of all input regions covering it. n is at most a few
 * hundred, so the quadratic sweep costs nothing next to the boot.
 */
#include <stdbool.h>
#include "lib/format.h"
#include "lib/memmap.h"
#include "lib/string.h"

#define MAX_BOUNDS (2 * MEMMAP_MAX + 2)

/* Higher wins an overlap. Unknown types count as reserved. */
static int type_rank(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return 1;
	case MEM_FIRMWARE_RECLAIM: return 2;
	case MEM_MODULE: return 3;
	case MEM_VOLT: return 4;
	case MEM_ACPI_RECLAIM: return 5;
	case MEM_ACPI_NVS: return 6;
	case MEM_BAD: return 8;
	default: return 7; /* MEM_RESERVED and anything unknown */
	}
}

static uint32_t canonical_type(uint32_t type)
{
	return type_rank(type) == 7 ? MEM_RESERVED : type;
}

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return "usable";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI_RECLAIM: return "ACPI tables";
	case MEM_ACPI_NVS: return "ACPI NVS";
	case MEM_BAD: return "bad";
	case MEM_VOLT: return "Volt image";
	case MEM_MODULE: return "boot module";
	case MEM_FIRMWARE_RECLAIM: return "firmware (reclaimable)";
	default: return "unknown";
	}
}

/* End of a region, clamped so base + length cannot wrap past 2^64. */
static uint64_t region_end(const struct mem_region *r)
{
	uint64_t end = r->base + r->length;
	return end < r->base ? UINT64_MAX : end;
}

static bool page_granular(uint32_t type)
{
	return type == MEM_USABLE || type == MEM_FIRMWARE_RECLAIM;
}

static void sort_u64(uint64_t *v, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		uint64_t x = v[i];
		uint32_t j = i;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

static int append(struct memmap *out, uint64_t base, uint64_t end,
		  uint32_t type)
{
	if (page_granular(type)) {
		base = (base + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
		end &= ~(PAGE_SIZE - 1);
	}
	if (end <= base)
		return 0;
	struct mem_region *last = out->count ? &out->r[out->count - 1] : 0;
	if (last && last->type == type && region_end(last) == base) {
		last->length = end - last->base;
		return 0;
	}
	if (out->count == MEMMAP_MAX)
		return -1;
	out->r[out->count++] = (struct mem_region){ base, end - base, type };
	return 0;
}

/* The strongest type covering [lo, hi), or 0 if nothing covers it. */
static uint32_t type_over(const struct mem_region *raw, uint32_t n,
			  uint64_t lo, uint64_t hi)
{
	uint32_t best = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (raw[i].length == 0 || raw[i].base > lo ||
		    region_end(&raw[i]) < hi)
			continue;
		uint32_t t = canonical_type(raw[i].type);
		if (!best || type_rank(t) > type_rank(best))
			best = t;
	}
	return best;
}

static int normalize(struct memmap *out, const struct mem_region *raw,
		     uint32_t n)
{
	static uint64_t bounds[MAX_BOUNDS];
	uint32_t nb = 0;

	if (n > MEMMAP_MAX)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (raw[i].length == 0)
			continue;
		bounds[nb++] = raw[i].base;
		bounds[nb++] = region_end(&raw[i]);
	}
	sort_u64(bounds, nb);

	out->count = 0;
	for (uint32_t i = 0; i + 1 < nb; i++) {
		uint64_t lo = bounds[i], hi = bounds[i + 1];
		if (lo == hi)
			continue;
		uint32_t t = type_over(raw, n, lo, hi);
		if (t && append(out, lo, hi, t))
			return -1;
	}
	return 0;
}

int memmap_build(struct memmap *out, const struct mem_region *raw, uint32_t n,
		 char *err, size_t errlen)
{
	if (normalize(out, raw, n)) {
		volt_snprintf(err, errlen,
			      "the firmware memory map has too many regions (%u)",
			      n);
		return -1;
	}
	if (!memmap_total(out, MEM_USABLE)) {
		volt_snprintf(err, errlen,
			      "the firmware memory map has no usable RAM (%u regions)",
			      n);
		return -1;
	}
	return 0;
}

int memmap_reserve(struct memmap *m, uint64_t base, uint64_t len,
		   uint32_t type)
{
	static struct mem_region tmp[MEMMAP_MAX];
	if (len == 0)
		return 0;
	if (m->count + 1 > MEMMAP_MAX)
		return -1;
	memcpy(tmp, m->r, m->count * sizeof(tmp[0]));
	tmp[m->count] = (struct mem_region){ base, len, type };
	return normalize(m, tmp, m->count + 1);
}

uint64_t memmap_total(const struct memmap *m, uint32_t type)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < m->count; i++)
		if (m->r[i].type == type)
			sum += m->r[i].length;
	return sum;
}
