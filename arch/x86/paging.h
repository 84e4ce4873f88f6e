/*
 * Volt's own page tables (Intel SDM vol. 3A 4.5): an identity map (virtual
 * == physical) of the first 4 GiB and of all RAM above, 2 MiB pages where
 * possible, page 0 unmapped, Volt's code read-only and executable,
 * everything else no-execute (when the CPU has NX), CR0.WP on. All tables
 * sit below 4 GiB because APs load CR3 while still in 32-bit mode.
 */
#ifndef VOLT_ARCH_X86_PAGING_H
#define VOLT_ARCH_X86_PAGING_H

#include <stdint.h>
#include "boot/boot_info.h"
#include "lib/memmap.h"

/* Build the map and switch CR3 to it. Panics with a message on failure. */
void paging_init(const struct boot_info *bi, const struct memmap *m);

/* A kernel stack of `pages` 4 KiB pages with an unmapped guard page below
 * it; returns the top (the initial RSP). Panics when out of memory. */
uint64_t stack_alloc(unsigned pages);

/* Remap identity range [va, va+len) with `exec`/`write` permissions (NX
 * when !exec and the CPU has NX). Locked; flushes this CPU's TLB entries.
 * Other CPUs must not be using the range. Returns 0 or a pt_error. */
int paging_set_identity(uint64_t va, uint64_t len, int write, int exec);

/* The PML4's physical address (below 4 GiB: APs load it in 32-bit mode). */
uint64_t paging_root(void);


#endif
