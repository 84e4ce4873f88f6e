/*
 * x86-64 4-level page-table builder (SDM vol. 3A 4.5). Pure: tables are
 * reached through callbacks, so host tests back them with malloc'd memory
 * and the kernel with identity-mapped frames.
 */
#ifndef VOLT_ARCH_X86_PAGETABLE_H
#define VOLT_ARCH_X86_PAGETABLE_H

#include <stdint.h>

#define PT_PRESENT (1ull << 0)
#define PT_WRITE (1ull << 1)
#define PT_USER (1ull << 2)
#define PT_PWT (1ull << 3)
#define PT_PCD (1ull << 4)
#define PT_ACCESSED (1ull << 5)
#define PT_DIRTY (1ull << 6)
#define PT_HUGE (1ull << 7) /* PS: this PDE maps a 2 MiB page */
#define PT_GLOBAL (1ull << 8)
#define PT_NX (1ull << 63)
#define PT_ADDR_MASK 0x000ffffffffff000ull
/* Leaf attributes a caller may ask for. */
#define PT_LEAF_FLAGS (PT_PRESENT | PT_WRITE | PT_USER | PT_PWT | PT_PCD | \
		       PT_GLOBAL | PT_NX)

#define PT_PAGE_4K 0x1000ull
#define PT_PAGE_2M 0x200000ull

enum pt_error {
	PT_OK = 0,
	PT_ERR_ALIGN = -1,   /* address or length not 4 KiB aligned */
	PT_ERR_NOMEM = -2,   /* alloc_table failed */
	PT_ERR_NOTMAPPED = -3,
	PT_ERR_RANGE = -4,   /* non-canonical or wrapping range */
};

struct pt_ctx {
	uint64_t root; /* phys addr of the PML4 */
	uint64_t (*alloc_table)(void *opaque); /* zeroed 4K table or 0 */
	void *(*table_ptr)(void *opaque, uint64_t phys);
	void *opaque;
};

/* Map [va, va+len) to [pa, pa+len): 2 MiB pages where both addresses and
 * the remaining length allow, 4 KiB elsewhere (splitting a 2 MiB page that
 * a 4 KiB change falls into). */
int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t len,
	   uint64_t flags);
int pt_unmap(struct pt_ctx *c, uint64_t va, uint64_t len);
/* Translate va; *flags gets the leaf entry's flag bits (PT_HUGE for 2M). */
int pt_lookup(struct pt_ctx *c, uint64_t va, uint64_t *pa, uint64_t *flags);

#endif
