/*
 * Physical frame allocator: 4 KiB frames from the normalized memory map.
 *
 * The pool is a sorted array of free ranges kept *outside* the memory it
 * manages, so it needs no memory of its own to start and runs unchanged in
 * host tests on made-up addresses. Policy:
 *   - address 0 is never handed out (0 means "no memory");
 *   - the first 1 MiB is only handed out to requests whose `below` limit is
 *     at most 1 MiB (the SMP trampoline); BIOS data and real-mode code live
 *     there on legacy machines;
 *   - otherwise, lowest address first.
 * Pure; the kernel wraps the global pool `phys_frames` with a lock.
 */
#ifndef VOLT_LIB_FRAMES_H
#define VOLT_LIB_FRAMES_H

#include <stdint.h>
#include "lib/memmap.h"

#define FRAME_SIZE 4096ull
#define FRAMES_MAX_RANGES 512
#define FRAMES_LOW_LIMIT 0x100000ull /* 1 MiB */

struct frame_range {
	uint64_t base, end; /* [base, end), page aligned */
};

struct frame_pool {
	struct frame_range r[FRAMES_MAX_RANGES];
	uint32_t count;
	uint64_t lost_pages; /* could not be tracked: too many ranges */
};

/* Start with every MEM_USABLE region of m. */
void frames_init(struct frame_pool *p, const struct memmap *m);
/* Add every region of `type` (e.g. MEM_FIRMWARE_RECLAIM, once free). */
void frames_add_type(struct frame_pool *p, const struct memmap *m,
		     uint32_t type);
/* `count` contiguous frames aligned to `align` (a power of two >= 4 KiB),
 * ending at or below `below` (0: no limit). Returns the base or 0. */
uint64_t frames_alloc(struct frame_pool *p, uint64_t count, uint64_t align,
		      uint64_t below);
/* Return frames. -1 if any of them is already free (a double free). */
int frames_free(struct frame_pool *p, uint64_t base, uint64_t count);
/* Free frames in the pool. */
uint64_t frames_free_count(const struct frame_pool *p);

#ifndef VOLT_HOST_TEST
/* The kernel's pool, guarded by a lock inside these wrappers. */
extern struct frame_pool phys_frames;
uint64_t frame_alloc_locked(uint64_t count, uint64_t align, uint64_t below);
void frame_free_locked(uint64_t base, uint64_t count);
#endif

#endif
