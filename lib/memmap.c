/*
 * Memory map normalizer (see memmap.h for the rules and the priority order).
 *
 * Two passes:
 *  1. a sweep over the sorted set of region boundaries: between two
 *     neighbouring boundaries the memory has one type, the strongest of all
 *     input regions covering it; touching pieces of one type are merged;
 *  2. USABLE and FIRMWARE_RECLAIM regions are shrunk inward to pages.
 * Shrinking only after merging matters: two touching usable entries that
 * meet in the middle of a page must not lose that page.
 *
 * n is at most a few hundred, so the quadratic sweep costs nothing next to
 * the boot. The scratch arrays are static (boot runs on a small stack);
 * callers are single-threaded (boot, or under the caller's lock).
 */
#include <stdbool.h>
#include "lib/format.h"
#include "lib/memmap.h"
#include "lib/string.h"

/* memmap_reserve() normalizes a full map plus one carve-out. */
#define MAX_INPUT (MEMMAP_MAX + 1)
#define MAX_BOUNDS (2 * MAX_INPUT)

/* Overlap ranks: higher wins. Unknown types count as reserved. */
enum {
	RANK_USABLE = 1,
	RANK_FIRMWARE_RECLAIM,
	RANK_MODULE,
	RANK_VOLT,
	RANK_ACPI_RECLAIM,
	RANK_ACPI_NVS,
	RANK_RESERVED,
	RANK_BAD,
};

static int type_rank(uint32_t type)
{
	switch (type) {
	case MEM_USABLE: return RANK_USABLE;
	case MEM_FIRMWARE_RECLAIM: return RANK_FIRMWARE_RECLAIM;
	case MEM_MODULE: return RANK_MODULE;
	case MEM_VOLT: return RANK_VOLT;
	case MEM_ACPI_RECLAIM: return RANK_ACPI_RECLAIM;
	case MEM_ACPI_NVS: return RANK_ACPI_NVS;
	case MEM_BAD: return RANK_BAD;
	default: return RANK_RESERVED; /* MEM_RESERVED and anything unknown */
	}
}

static uint32_t canonical_type(uint32_t type)
{
	return type_rank(type) == RANK_RESERVED ? MEM_RESERVED : type;
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

/* End of a region, clamped so that base + length cannot wrap past 2^64
 * (the last byte of the address space is then left out). */
static uint64_t region_end(const struct mem_region *r)
{
	uint64_t end = r->base + r->length;
	return end < r->base ? UINT64_MAX : end;
}

/* The types the frame allocator may hand out: whole pages only. */
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

/* Append [base, end) of `type`, merging with a touching predecessor. */
static int append(struct memmap *out, uint64_t base, uint64_t end,
		  uint32_t type)
{
	struct mem_region *last = out->count ? &out->r[out->count - 1] : NULL;

	if (last && last->type == type && region_end(last) == base) {
		last->length = end - last->base;
		return MEMMAP_OK;
	}
	if (out->count == MEMMAP_MAX)
		return MEMMAP_ERR_TOO_MANY;
	out->r[out->count++] = (struct mem_region){ base, end - base, type };
	return MEMMAP_OK;
}

/* The strongest type covering all of [lo, hi), or 0 if nothing does. */
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

/* Pass 1: sorted, non-overlapping, merged; exact byte bounds. */
static int sweep(struct memmap *out, const struct mem_region *raw, uint32_t n)
{
	static uint64_t bounds[MAX_BOUNDS];
	uint32_t nb = 0;

	out->count = 0;
	if (n > MAX_INPUT)
		return MEMMAP_ERR_TOO_MANY;
	for (uint32_t i = 0; i < n; i++) {
		if (raw[i].length == 0)
			continue;
		bounds[nb++] = raw[i].base;
		bounds[nb++] = region_end(&raw[i]);
	}
	sort_u64(bounds, nb);

	for (uint32_t i = 0; i + 1 < nb; i++) {
		uint64_t lo = bounds[i], hi = bounds[i + 1];
		if (lo == hi)
			continue;
		uint32_t t = type_over(raw, n, lo, hi);
		if (t && append(out, lo, hi, t))
			return MEMMAP_ERR_TOO_MANY;
	}
	return MEMMAP_OK;
}

/* Pass 2, in place: shrink the allocatable types to whole pages. */
static void shrink_to_pages(struct memmap *m)
{
	uint32_t kept = 0;

	for (uint32_t i = 0; i < m->count; i++) {
		struct mem_region r = m->r[i];
		if (page_granular(r.type)) {
			uint64_t end = region_end(&r) & ~(PAGE_SIZE - 1);
			uint64_t base = r.base + PAGE_SIZE - 1;
			if (base < r.base)
				continue; /* in the last page: never whole */
			base &= ~(PAGE_SIZE - 1);
			if (end <= base)
				continue;
			r.base = base;
			r.length = end - base;
		}
		m->r[kept++] = r;
	}
	m->count = kept;
}

/* Normalize into scratch first so that *out is only written on success. */
static int normalize(struct memmap *out, const struct mem_region *raw,
		     uint32_t n)
{
	static struct memmap scratch;
	int err = sweep(&scratch, raw, n);

	if (err)
		return err;
	shrink_to_pages(&scratch);
	memcpy(out->r, scratch.r, scratch.count * sizeof(out->r[0]));
	out->count = scratch.count;
	return MEMMAP_OK;
}

int memmap_build(struct memmap *out, const struct mem_region *raw, uint32_t n,
		 char *err, size_t errlen)
{
	out->count = 0;
	if (normalize(out, raw, n)) {
		volt_snprintf(err, errlen,
			      "the firmware memory map has too many regions "
			      "(%u, at most %u)", n, (unsigned)MEMMAP_MAX);
		return MEMMAP_ERR_TOO_MANY;
	}
	if (!memmap_total(out, MEM_USABLE)) {
		volt_snprintf(err, errlen,
			      "the firmware memory map has no usable RAM "
			      "(%u regions)", n);
		out->count = 0;
		return MEMMAP_ERR_NO_RAM;
	}
	return MEMMAP_OK;
}

int memmap_reserve(struct memmap *m, uint64_t base, uint64_t len,
		   uint32_t type)
{
	static struct mem_region tmp[MAX_INPUT];

	if (len == 0)
		return MEMMAP_OK;
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

uint32_t memmap_type_at(const struct memmap *m, uint64_t addr)
{
	for (uint32_t i = 0; i < m->count; i++)
		if (addr >= m->r[i].base && addr < region_end(&m->r[i]))
			return m->r[i].type;
	return 0;
}
