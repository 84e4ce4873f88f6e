/*
 * Physical frame allocator (see frames.h for the policy). Ranges are kept
 * sorted and merged, so lookups are a linear scan of at most a few hundred
 * entries; allocation is rare in Volt (boot, VM creation).
 */
#include <stdbool.h>
#include "lib/frames.h"
#include "lib/string.h"

static uint64_t frames_to_bytes(uint64_t count)
{
	return count * FRAME_SIZE;
}

static void remove_at(struct frame_pool *p, uint32_t i)
{
	memmove(&p->r[i], &p->r[i + 1], (p->count - i - 1) * sizeof(p->r[0]));
	p->count--;
}

static int insert_at(struct frame_pool *p, uint32_t i, uint64_t base,
		     uint64_t end)
{
	if (p->count == FRAMES_MAX_RANGES) {
		p->lost_pages += (end - base) / FRAME_SIZE;
		return FRAMES_ERR_FULL;
	}
	memmove(&p->r[i + 1], &p->r[i], (p->count - i) * sizeof(p->r[0]));
	p->r[i] = (struct frame_range){ base, end };
	p->count++;
	return FRAMES_OK;
}

/* Index of the first range ending after `addr`. */
static uint32_t first_after(const struct frame_pool *p, uint64_t addr)
{
	uint32_t i = 0;

	while (i < p->count && p->r[i].end <= addr)
		i++;
	return i;
}

int frames_free(struct frame_pool *p, uint64_t base, uint64_t count)
{
	uint64_t end = base + frames_to_bytes(count);

	if (count == 0)
		return FRAMES_OK;
	if ((base & (FRAME_SIZE - 1)) || count > UINT64_MAX / FRAME_SIZE ||
	    end <= base)
		return FRAMES_ERR_RANGE;
	if (base == 0) { /* page 0 never enters the pool */
		base = FRAME_SIZE;
		if (end <= base)
			return FRAMES_OK;
	}

	uint32_t i = first_after(p, base);
	if (i < p->count && p->r[i].base < end)
		return FRAMES_ERR_DOUBLE_FREE;

	bool join_prev = i > 0 && p->r[i - 1].end == base;
	bool join_next = i < p->count && p->r[i].base == end;
	if (join_prev && join_next) {
		p->r[i - 1].end = p->r[i].end;
		remove_at(p, i);
	} else if (join_prev) {
		p->r[i - 1].end = end;
	} else if (join_next) {
		p->r[i].base = base;
	} else {
		return insert_at(p, i, base, end);
	}
	return FRAMES_OK;
}

/* Add [base, end) minus whatever part of it is already free. */
static void add_range(struct frame_pool *p, uint64_t base, uint64_t end)
{
	while (base < end) {
		uint32_t i = first_after(p, base);
		uint64_t stop = end;
		if (i < p->count && p->r[i].base <= base) {
			base = p->r[i].end; /* already free: skip it */
			continue;
		}
		if (i < p->count && p->r[i].base < stop)
			stop = p->r[i].base;
		frames_free(p, base, (stop - base) / FRAME_SIZE);
		base = stop;
	}
}

void frames_add_type(struct frame_pool *p, const struct memmap *m,
		     uint32_t type)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];
		uint64_t base = (r->base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
		uint64_t end = (r->base + r->length) & ~(FRAME_SIZE - 1);
		if (r->type != type || base < r->base || end <= base)
			continue;
		if (base == 0)
			base = FRAME_SIZE;
		add_range(p, base, end);
	}
}

void frames_init(struct frame_pool *p, const struct memmap *m)
{
	memset(p, 0, sizeof(*p));
	frames_add_type(p, m, MEM_USABLE);
}

/* Carve [start, start + size) out of range i. */
static void take(struct frame_pool *p, uint32_t i, uint64_t start,
		 uint64_t size)
{
	struct frame_range *r = &p->r[i];
	uint64_t end = start + size;

	if (start == r->base && end == r->end) {
		remove_at(p, i);
	} else if (start == r->base) {
		r->base = end;
	} else if (end == r->end) {
		r->end = start;
	} else {
		uint64_t old_end = r->end;
		r->end = start;
		/* Array full: the tail is lost (counted), never reused. */
		insert_at(p, i + 1, end, old_end);
	}
}

/*
 * First fit in [low, limit): the lowest aligned spot of the first range
 * that has room. With allow_split false, a spot that would need one more
 * range (a middle split) is avoided by trying the range's top instead.
 * Returns the range index and *start, or -1.
 */
static int find_fit(const struct frame_pool *p, uint64_t size, uint64_t align,
		    uint64_t low, uint64_t limit, bool allow_split,
		    uint64_t *start)
{
	for (uint32_t i = 0; i < p->count; i++) {
		const struct frame_range *r = &p->r[i];
		uint64_t base = r->base > low ? r->base : low;
		uint64_t end = r->end < limit ? r->end : limit;
		base = (base + align - 1) & ~(align - 1);
		if (base < r->base || base >= end || end - base < size)
			continue; /* wrapped, empty or too small */
		if (!allow_split && base != r->base && base + size != r->end) {
			/* The highest aligned spot may end where r ends. */
			base = (end - size) & ~(align - 1);
			if (base + size != r->end)
				continue;
		}
		*start = base;
		return (int)i;
	}
	return -1;
}

uint64_t frames_alloc(struct frame_pool *p, uint64_t count, uint64_t align,
		      uint64_t below)
{
	uint64_t size = frames_to_bytes(count), start = 0;

	if (count == 0 || count > UINT64_MAX / FRAME_SIZE ||
	    align < FRAME_SIZE || (align & (align - 1)))
		return 0;
	/* Only explicit low requests may dip into the first 1 MiB. */
	uint64_t low = (below && below <= FRAMES_LOW_LIMIT) ? FRAME_SIZE
							    : FRAMES_LOW_LIMIT;
	uint64_t limit = below ? below : UINT64_MAX;

	bool full = p->count == FRAMES_MAX_RANGES;
	int i = find_fit(p, size, align, low, limit, !full, &start);
	if (i < 0 && full)
		i = find_fit(p, size, align, low, limit, true, &start);
	if (i < 0)
		return 0;
	take(p, (uint32_t)i, start, size);
	return start;
}

uint64_t frames_free_count(const struct frame_pool *p)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < p->count; i++)
		n += (p->r[i].end - p->r[i].base) / FRAME_SIZE;
	return n;
}

#ifndef VOLT_HOST_TEST
#include "lib/console.h"
#include "lib/spinlock.h"

struct frame_pool phys_frames;
static struct spinlock phys_frames_lock = SPINLOCK_INIT;

uint64_t frame_alloc_locked(uint64_t count, uint64_t align, uint64_t below)
{
	uint64_t flags = spin_lock(&phys_frames_lock);
	uint64_t base = frames_alloc(&phys_frames, count, align, below);
	spin_unlock(&phys_frames_lock, flags);
	return base;
}

void frame_free_locked(uint64_t base, uint64_t count)
{
	uint64_t flags = spin_lock(&phys_frames_lock);
	int err = frames_free(&phys_frames, base, count);
	spin_unlock(&phys_frames_lock, flags);
	if (err == FRAMES_ERR_DOUBLE_FREE || err == FRAMES_ERR_RANGE)
		panic("frames: bad free of %lu frames at 0x%lx (error %d)",
		      (unsigned long)count, (unsigned long)base, err);
}

uint64_t frame_alloc_zeroed(void)
{
	uint64_t phys = frame_alloc_locked(1, FRAME_SIZE, 0);

	if (phys)
		memset((void *)(uintptr_t)phys, 0, FRAME_SIZE);
	return phys;
}
#endif
