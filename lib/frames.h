/*
 * Physical frame allocator: 4 KiB frames from the normalized memory map.
 *
 * The pool is a sorted array of free ranges [base, end) kept *outside* the
 * memory it manages, so it needs no memory of its own to start and runs
 * unchanged in host tests on made-up addresses. Neighbouring free ranges
 * are always merged.
 *
 * Policy:
 *   - physical page 0 is never in the pool (0 is the failure value);
 *   - the first 1 MiB is handed out only to requests whose `below` limit is
 *     at most 1 MiB (the SMP trampoline, which must start in real mode).
 *     BIOS data, the EBDA and real-mode code live there on legacy machines,
 *     and a general request must never eat the few low pages left;
 *   - otherwise first fit, lowest address first;
 *   - if the range array is full, a free that needs a new range, or an
 *     allocation that must split a range in the middle when nothing else
 *     fits, loses those frames: they are counted in lost_pages, never reused
 *     and never handed out twice.
 * Pure; the kernel wraps the global pool `phys_frames` with a lock.
 */
#ifndef VOLT_LIB_FRAMES_H
#define VOLT_LIB_FRAMES_H

#include <stdint.h>
#include "lib/memmap.h"

#define FRAME_SIZE 4096ull
#define FRAMES_MAX_RANGES 512
#define FRAMES_LOW_LIMIT 0x100000ull /* 1 MiB */

enum frames_error {
	FRAMES_OK = 0,
	FRAMES_ERR_DOUBLE_FREE = -1, /* part of the range is already free */
	FRAMES_ERR_FULL = -2,        /* no room for one more range: lost */
	FRAMES_ERR_RANGE = -3,       /* unaligned or wrapping past 2^64 */
};

struct frame_range {
	uint64_t base, end; /* [base, end), page aligned */
};

struct frame_pool {
	struct frame_range r[FRAMES_MAX_RANGES]; /* sorted, never touching */
	uint32_t count;
	uint64_t lost_pages; /* could not be tracked: too many ranges */
};

/* Start with every MEM_USABLE region of m. */
void frames_init(struct frame_pool *p, const struct memmap *m);
/* Add every region of `type` (e.g. MEM_FIRMWARE_RECLAIM, once free). Pages
 * already free are left alone, so adding a type twice is harmless. */
void frames_add_type(struct frame_pool *p, const struct memmap *m,
		     uint32_t type);
/* `count` contiguous frames aligned to `align` (a power of two >= 4 KiB),
 * ending at or below `below` (0: no limit). Returns the base or 0. */
uint64_t frames_alloc(struct frame_pool *p, uint64_t count, uint64_t align,
		      uint64_t below);
/* Return frames [base, base + count pages). FRAMES_OK, or an error and the
 * pool unchanged (FRAMES_ERR_FULL: the frames are counted as lost). */
int frames_free(struct frame_pool *p, uint64_t base, uint64_t count);
/* Free frames in the pool. */
uint64_t frames_free_count(const struct frame_pool *p);

#ifndef VOLT_HOST_TEST
/* The kernel's pool, guarded by a lock inside these wrappers. */
extern struct frame_pool phys_frames;
uint64_t frame_alloc_locked(uint64_t count, uint64_t align, uint64_t below);
void frame_free_locked(uint64_t base, uint64_t count);
/* One zeroed 4 KiB frame, or 0 when memory is exhausted (callers decide
 * whether that is fatal: a VM that cannot start is not). */
uint64_t frame_alloc_zeroed(void);
#endif

#endif
