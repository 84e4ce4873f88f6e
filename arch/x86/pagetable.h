/*
 * x86-64 4-level page-table builder (Intel SDM vol. 3A 4.5, "4-level
 * paging"; entry formats in tables 4-15 to 4-20). Pure: tables are reached
 * through callbacks, so host tests back them with malloc'd memory and the
 * kernel with identity-mapped frames.
 *
 * The builder creates 4 KiB and 2 MiB leaves only (never 1 GiB pages) and
 * never frees a table: emptied tables stay linked, which is harmless for
 * Volt's own map, the only user.
 */
#ifndef VOLT_ARCH_X86_PAGETABLE_H
#define VOLT_ARCH_X86_PAGETABLE_H

#include <stdint.h>

/* Entry bits (SDM vol. 3A table 4-19 for a PTE, 4-18 for a 2 MiB PDE). */
#define PT_PRESENT (1ull << 0)
#define PT_WRITE (1ull << 1)
#define PT_USER (1ull << 2)
#define PT_PWT (1ull << 3)
#define PT_PCD (1ull << 4)
#define PT_ACCESSED (1ull << 5)
#define PT_DIRTY (1ull << 6)
#define PT_HUGE (1ull << 7) /* PS: this PDE maps a 2 MiB page */
#define PT_GLOBAL (1ull << 8)
#define PT_NX (1ull << 63)  /* XD: needs EFER.NXE, else a reserved bit */
#define PT_ADDR_MASK 0x000ffffffffff000ull
/* Leaf attributes a caller may ask for; other bits are ignored. */
#define PT_LEAF_FLAGS (PT_PRESENT | PT_WRITE | PT_USER | PT_PWT | PT_PCD | \
		       PT_GLOBAL | PT_NX)

#define PT_PAGE_4K 0x1000ull
#define PT_PAGE_2M 0x200000ull
/* The architectural limit of a physical address (MAXPHYADDR <= 52). */
#define PT_PHYS_LIMIT (1ull << 52)

enum pt_error {
	PT_OK = 0,
	PT_ERR_ALIGN = -1,     /* va, pa or len not 4 KiB aligned, pa >= 2^52 */
	PT_ERR_NOMEM = -2,     /* alloc_table failed */
	PT_ERR_NOTMAPPED = -3, /* pt_lookup: nothing mapped at va */
	PT_ERR_RANGE = -4,     /* non-canonical, wrapping or crossing the
				* canonical hole */
};

struct pt_ctx {
	uint64_t root;                           /* phys addr of the PML4 */
	uint64_t (*alloc_table)(void *opaque);   /* zeroed 4K table or 0 */
	void *(*table_ptr)(void *opaque, uint64_t phys); /* phys -> pointer */
	void *opaque;
};

/*
 * Map [va, va+len) to [pa, pa+len) with `flags` (PT_WRITE, PT_NX, ...;
 * PT_PRESENT is implied). 2 MiB pages where va, pa and the remaining length
 * allow, 4 KiB elsewhere; a 2 MiB page that a 4 KiB change falls into is
 * split first, keeping its other 511 pages as they were. Replaces existing
 * mappings. On error, a prefix of the range may already be mapped.
 * The caller flushes the TLB.
 */
int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t len,
	   uint64_t flags);

/* Unmap [va, va+len), splitting 2 MiB pages as needed. Unmapped parts are
 * skipped. PT_ERR_NOMEM only when a split needs a table. */
int pt_unmap(struct pt_ctx *c, uint64_t va, uint64_t len);

/* Translate va: *pa and the leaf's flag bits in *flags (with PT_HUGE for a
 * 2 MiB page). PT_ERR_NOTMAPPED or PT_ERR_RANGE otherwise. */
int pt_lookup(struct pt_ctx *c, uint64_t va, uint64_t *pa, uint64_t *flags);

#endif
