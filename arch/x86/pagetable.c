/*
 * Page-table builder (see pagetable.h). Levels are numbered as the SDM
 * walks them: PML4 (level 4) -> PDPT (3) -> PD (2) -> PT (1). Volt uses
 * 4 KiB and 2 MiB leaves; a 2 MiB leaf is split into a page table when a
 * change must apply to part of it.
 */
#include <stdbool.h>
#include "arch/x86/pagetable.h"

#define ENTRIES 512

static unsigned index_at(uint64_t va, int level)
{
	return (va >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

static uint64_t *table(struct pt_ctx *c, uint64_t phys)
{
	return c->table_ptr(c->opaque, phys & PT_ADDR_MASK);
}

static bool canonical(uint64_t va)
{
	uint64_t top = va >> 47;
	return top == 0 || top == 0x1ffff;
}

/* Replace the 2 MiB leaf *pde by a page table with the same mappings. */
static int split_2m(struct pt_ctx *c, uint64_t *pde)
{
	uint64_t pt_phys = c->alloc_table(c->opaque);
	if (!pt_phys)
		return PT_ERR_NOMEM;
	uint64_t *pt = table(c, pt_phys);
	uint64_t base = *pde & PT_ADDR_MASK & ~(PT_PAGE_2M - 1);
	uint64_t flags = *pde & PT_LEAF_FLAGS;
	for (unsigned i = 0; i < ENTRIES; i++)
		pt[i] = (base + i * PT_PAGE_4K) | flags;
	/* The table itself is permissive; the leaves carry the limits. */
	*pde = pt_phys | PT_PRESENT | PT_WRITE;
	return PT_OK;
}

/*
 * Entry for va at `level` (2 = PDE, 1 = PTE), creating intermediate tables
 * and splitting a 2 MiB leaf when level 1 is wanted. NULL with *err set on
 * failure; with create == false, NULL when not present.
 */
static uint64_t *walk(struct pt_ctx *c, uint64_t va, int level, bool create,
		      int *err)
{
	uint64_t *t = table(c, c->root);
	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[index_at(va, l)];
		if (!(*e & PT_PRESENT)) {
			if (!create) {
				*err = PT_ERR_NOTMAPPED;
				return 0;
			}
			uint64_t phys = c->alloc_table(c->opaque);
			if (!phys) {
				*err = PT_ERR_NOMEM;
				return 0;
			}
			*e = phys | PT_PRESENT | PT_WRITE;
		} else if (l == 2 && (*e & PT_HUGE)) {
			if ((*err = split_2m(c, e)))
				return 0;
		}
		t = table(c, *e);
	}
	return &t[index_at(va, level)];
}

static bool fits_2m(uint64_t va, uint64_t pa, uint64_t left)
{
	return !(va & (PT_PAGE_2M - 1)) && !(pa & (PT_PAGE_2M - 1)) &&
	       left >= PT_PAGE_2M;
}

static int check_range(uint64_t va, uint64_t len)
{
	if ((va | len) & (PT_PAGE_4K - 1))
		return PT_ERR_ALIGN;
	if (len && (va + len - 1 < va || !canonical(va) ||
		    !canonical(va + len - 1)))
		return PT_ERR_RANGE;
	return PT_OK;
}

int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t len,
	   uint64_t flags)
{
	int err = check_range(va, len);
	if (err)
		return err;
	if (pa & (PT_PAGE_4K - 1) || pa & ~PT_ADDR_MASK & ~(PT_PAGE_4K - 1))
		return PT_ERR_ALIGN;
	flags = (flags & PT_LEAF_FLAGS) | PT_PRESENT;

	while (len) {
		uint64_t *pde = walk(c, va, 2, true, &err);
		if (!pde)
			return err;
		bool pde_is_table = (*pde & PT_PRESENT) && !(*pde & PT_HUGE);
		if (fits_2m(va, pa, len) && !pde_is_table) {
			*pde = pa | flags | PT_HUGE;
			va += PT_PAGE_2M, pa += PT_PAGE_2M, len -= PT_PAGE_2M;
			continue;
		}
		uint64_t *pte = walk(c, va, 1, true, &err);
		if (!pte)
			return err;
		*pte = pa | flags;
		va += PT_PAGE_4K, pa += PT_PAGE_4K, len -= PT_PAGE_4K;
	}
	return PT_OK;
}

int pt_unmap(struct pt_ctx *c, uint64_t va, uint64_t len)
{
	int err = check_range(va, len);
	if (err)
		return err;
	while (len) {
		uint64_t *pde = walk(c, va, 2, false, &err);
		if (!pde || !(*pde & PT_PRESENT)) {
			/* Nothing mapped here: skip to the next 4K page. */
			va += PT_PAGE_4K, len -= PT_PAGE_4K;
			continue;
		}
		if ((*pde & PT_HUGE) && !(va & (PT_PAGE_2M - 1)) &&
		    len >= PT_PAGE_2M) {
			*pde = 0;
			va += PT_PAGE_2M, len -= PT_PAGE_2M;
			continue;
		}
		uint64_t *pte = walk(c, va, 1, true, &err);
		if (!pte)
			return err;
		*pte = 0;
		va += PT_PAGE_4K, len -= PT_PAGE_4K;
	}
	return PT_OK;
}

int pt_lookup(struct pt_ctx *c, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	int err = PT_OK;
	if (!canonical(va))
		return PT_ERR_RANGE;
	uint64_t *pde = walk(c, va, 2, false, &err);
	if (!pde || !(*pde & PT_PRESENT))
		return PT_ERR_NOTMAPPED;
	if (*pde & PT_HUGE) {
		/* Masking to 2 MiB also drops the PAT bit (bit 12). */
		*pa = (*pde & PT_ADDR_MASK & ~(PT_PAGE_2M - 1)) +
		      (va & (PT_PAGE_2M - 1));
		*flags = *pde & (PT_LEAF_FLAGS | PT_HUGE);
		return PT_OK;
	}
	uint64_t *pte = walk(c, va, 1, false, &err);
	if (!pte || !(*pte & PT_PRESENT))
		return PT_ERR_NOTMAPPED;
	*pa = (*pte & PT_ADDR_MASK) + (va & (PT_PAGE_4K - 1));
	*flags = *pte & PT_LEAF_FLAGS;
	return PT_OK;
}
