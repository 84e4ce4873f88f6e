/* Physical frame allocator (see frames.h for the policy). */
#include <stdbool.h>
#include "lib/frames.h"
#include "lib/string.h"

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
		return -1;
	}
	memmove(&p->r[i + 1], &p->r[i], (p->count - i) * sizeof(p->r[0]));
	p->r[i] = (struct frame_range){ base, end };
	p->count++;
	return 0;
}

int frames_free(struct frame_pool *p, uint64_t base, uint64_t count)
{
	uint64_t end = base + count * FRAME_SIZE;
	if (count == 0)
		return 0;
	if (base == 0) { /* page 0 is never in the pool */
		base = FRAME_SIZE;
		if (end <= base)
			return 0;
	}
	uint32_t i = 0;
	while (i < p->count && p->r[i].end <= base)
		i++;
	if (i < p->count && p->r[i].base < end)
		return -1; /* overlaps a free range */

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
		return insert_at(p, i, base, end) ? -1 : 0;
	}
	return 0;
}

void frames_add_type(struct frame_pool *p, const struct memmap *m,
		     uint32_t type)
{
	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];
		uint64_t base = (r->base + FRAME_SIZE - 1) & ~(FRAME_SIZE - 1);
		uint64_t end = (r->base + r->length) & ~(FRAME_SIZE - 1);
		if (r->type == type && end > base)
			frames_free(p, base, (end - base) / FRAME_SIZE);
	}
}

void frames_init(struct frame_pool *p, const struct memmap *m)
{
	memset(p, 0, sizeof(*p));
	frames_add_type(p, m, MEM_USABLE);
}

/* Carve [start, start+size) out of range i. */
static void take(struct frame_pool *p, uint32_t i, uint64_t start,
		 uint64_t size)
{
	struct frame_range *r = &p->r[i];
	uint64_t end = start + size;
	if (start == r->base && end == r->end)
		remove_at(p, i);
	else if (start == r->base)
		r->base = end;
	else if (end == r->end)
		r->end = start;
	else {
		uint64_t old_end = r->end;
		r->end = start;
		if (insert_at(p, i + 1, end, old_end))
			return; /* the tail is lost (counted), never reused */
	}
}

uint64_t frames_alloc(struct frame_pool *p, uint64_t count, uint64_t align,
		      uint64_t below)
{
	if (count == 0 || align < FRAME_SIZE || (align & (align - 1)))
		return 0;
	uint64_t size = count * FRAME_SIZE;
	if (size / FRAME_SIZE != count)
		return 0;
	uint64_t low = (below && below <= FRAMES_LOW_LIMIT) ? FRAME_SIZE
							       : FRAMES_LOW_LIMIT;
	uint64_t limit = below ? below : UINT64_MAX;

	for (uint32_t i = 0; i < p->count; i++) {
		uint64_t base = p->r[i].base > low ? p->r[i].base : low;
		base = (base + align - 1) & ~(align - 1);
		uint64_t end = p->r[i].end < limit ? p->r[i].end : limit;
		if (base < p->r[i].base || base >= end || end - base < size)
			continue;
		take(p, i, base, size);
		return base;
	}
	return 0;
}

uint64_t frames_free_count(const struct frame_pool *p)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < p->count; i++)
		n += (p->r[i].end - p->r[i].base) / FRAME_SIZE;
	return n;
}

#ifndef VOLT_HOST_TEST
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
	frames_free(&phys_frames, base, count);
	spin_unlock(&phys_frames_lock, flags);
}
#endif
