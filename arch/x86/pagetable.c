/*
 * Page-table builder (see pagetable.h; Intel SDM vol. 3A 4.5). Levels are
 * numbered as the SDM walks them: PML4 (level 4) -> PDPT (3) -> PD (2) ->
 * PT (1); each table has 512 entries and each level consumes 9 bits of the
 * linear address above the 12-bit page offset (SDM figure 4-8).
 *
 * Non-leaf entries are made permissive (present, writable, and user when a
 * user leaf lies below): the SDM combines the rights of every level, so
 * the leaves alone then decide. NX is never set on a non-leaf entry, as it
 * would forbid execution in the whole 512 GiB / 1 GiB / 2 MiB below it.
 */
#include <stdbool.h>
#include <stddef.h>
#include "arch/x86/pagetable.h"

#define PT_ENTRIES 512
#define PT_LEVEL_BITS 9
#define PT_PAGE_SHIFT 12
#define PT_LEVEL_PML4 4
#define PT_LEVEL_PD 2
#define PT_LEVEL_PT 1
/* Bits 63:47 of a canonical address are all equal (SDM vol. 1 3.3.7.1). */
#define PT_CANONICAL_SHIFT 47
#define PT_CANONICAL_HIGH 0x1ffffull
#define PT_TABLE_FLAGS (PT_PRESENT | PT_WRITE)

static unsigned index_at(uint64_t va, int level)
{
	return (va >> (PT_PAGE_SHIFT + PT_LEVEL_BITS * (level - 1))) &
	       (PT_ENTRIES - 1);
}

/* Bytes one entry at `level` covers: 4 KiB, 2 MiB, 1 GiB, 512 GiB. */
static uint64_t level_span(int level)
{
	return PT_PAGE_4K << (PT_LEVEL_BITS * (level - 1));
}

static uint64_t *table(struct pt_ctx *c, uint64_t entry)
{
	return c->table_ptr(c->opaque, entry & PT_ADDR_MASK);
}

static bool is_2m_leaf(uint64_t pde)
{
	return (pde & PT_PRESENT) && (pde & PT_HUGE);
}

/* 0 for the lower canonical half, 1 for the upper, -1 if non-canonical. */
static int canonical_half(uint64_t va)
{
	uint64_t top = va >> PT_CANONICAL_SHIFT;

	if (top == 0)
		return 0;
	return top == PT_CANONICAL_HIGH ? 1 : -1;
}

static int check_range(uint64_t va, uint64_t len)
{
	if ((va | len) & (PT_PAGE_4K - 1))
		return PT_ERR_ALIGN;
	if (len == 0)
		return PT_OK;
	uint64_t last = va + len - 1;
	if (last < va)
		return PT_ERR_RANGE;
	int half = canonical_half(va);
	if (half < 0 || canonical_half(last) != half)
		return PT_ERR_RANGE;
	return PT_OK;
}

/* Replace the 2 MiB leaf *pde by a page table with the same mappings. */
static int split_2m(struct pt_ctx *c, uint64_t *pde)
{
	uint64_t pt_phys = c->alloc_table(c->opaque);

	if (!pt_phys)
		return PT_ERR_NOMEM;
	uint64_t *pt = table(c, pt_phys);
	uint64_t base = *pde & PT_ADDR_MASK & ~(PT_PAGE_2M - 1);
	/* PS (bit 7) means PAT in a PTE: it must not be copied over. */
	uint64_t flags = *pde & PT_LEAF_FLAGS;
	for (unsigned i = 0; i < PT_ENTRIES; i++)
		pt[i] = (base + i * PT_PAGE_4K) | flags;
	*pde = pt_phys | PT_TABLE_FLAGS | (flags & PT_USER);
	return PT_OK;
}

/*
 * The entry for va at `level` (PT_LEVEL_PD or PT_LEVEL_PT), creating
 * missing tables and splitting a 2 MiB leaf when a PTE is wanted. NULL with
 * *err set when a table cannot be allocated.
 */
static uint64_t *walk_create(struct pt_ctx *c, uint64_t va, int level,
			     uint64_t user, int *err)
{
	uint64_t *t = table(c, c->root);

	for (int l = PT_LEVEL_PML4; l > level; l--) {
		uint64_t *e = &t[index_at(va, l)];
		if (!(*e & PT_PRESENT)) {
			uint64_t phys = c->alloc_table(c->opaque);
			if (!phys) {
				*err = PT_ERR_NOMEM;
				return NULL;
			}
			*e = phys | PT_TABLE_FLAGS;
		} else if (l == PT_LEVEL_PD && (*e & PT_HUGE)) {
			*err = split_2m(c, e);
			if (*err)
				return NULL;
		}
		*e |= user;
		t = table(c, *e);
	}
	return &t[index_at(va, level)];
}

/*
 * Walk without changing anything. Returns the entry where the walk for va
 * stops and its level in *level: a present leaf (a 2 MiB PDE or a PTE), or
 * the first entry that is not present.
 */
static uint64_t *find_entry(struct pt_ctx *c, uint64_t va, int *level)
{
	uint64_t *t = table(c, c->root);

	for (int l = PT_LEVEL_PML4;; l--) {
		uint64_t *e = &t[index_at(va, l)];
		if (l == PT_LEVEL_PT || !(*e & PT_PRESENT) ||
		    (l == PT_LEVEL_PD && (*e & PT_HUGE))) {
			*level = l;
			return e;
		}
		t = table(c, *e);
	}
}

static bool fits_2m(uint64_t va, uint64_t pa, uint64_t left)
{
	return !(va & (PT_PAGE_2M - 1)) && !(pa & (PT_PAGE_2M - 1)) &&
	       left >= PT_PAGE_2M;
}

/* Map one 2 MiB page at va if the PD entry allows: *done stays false when
 * the entry already points to a page table (a 2 MiB leaf would silently
 * drop that table's other mappings), and 4 KiB pages must be used. */
static int map_2m(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t flags,
		  bool *done)
{
	int err = PT_OK;
	uint64_t *pde = walk_create(c, va, PT_LEVEL_PD, flags & PT_USER, &err);

	*done = false;
	if (!pde)
		return err;
	if ((*pde & PT_PRESENT) && !(*pde & PT_HUGE))
		return PT_OK;
	*pde = pa | flags | PT_HUGE;
	*done = true;
	return PT_OK;
}

int pt_map(struct pt_ctx *c, uint64_t va, uint64_t pa, uint64_t len,
	   uint64_t flags)
{
	int err = check_range(va, len);

	if (err)
		return err;
	if ((pa & (PT_PAGE_4K - 1)) || pa >= PT_PHYS_LIMIT ||
	    len > PT_PHYS_LIMIT - pa)
		return PT_ERR_ALIGN;
	flags = (flags & PT_LEAF_FLAGS) | PT_PRESENT;

	while (len) {
		if (fits_2m(va, pa, len)) {
			bool done;
			err = map_2m(c, va, pa, flags, &done);
			if (err)
				return err;
			if (done) {
				va += PT_PAGE_2M, pa += PT_PAGE_2M;
				len -= PT_PAGE_2M;
				continue;
			}
		}
		uint64_t *pte = walk_create(c, va, PT_LEVEL_PT,
					    flags & PT_USER, &err);
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
		int level;
		uint64_t *e = find_entry(c, va, &level);
		uint64_t step = PT_PAGE_4K;

		if (!(*e & PT_PRESENT)) {
			/* Nothing below this entry: skip what it covers. */
			uint64_t span = level_span(level);
			step = span - (va & (span - 1));
		} else if (level == PT_LEVEL_PD) {
			if (!(va & (PT_PAGE_2M - 1)) && len >= PT_PAGE_2M) {
				*e = 0;
				step = PT_PAGE_2M;
			} else {
				e = walk_create(c, va, PT_LEVEL_PT, 0, &err);
				if (!e)
					return err;
				*e = 0;
			}
		} else {
			*e = 0;
		}
		if (step >= len)
			break;
		va += step, len -= step;
	}
	return PT_OK;
}

int pt_lookup(struct pt_ctx *c, uint64_t va, uint64_t *pa, uint64_t *flags)
{
	int level;

	if (canonical_half(va) < 0)
		return PT_ERR_RANGE;
	uint64_t *e = find_entry(c, va, &level);
	if (!(*e & PT_PRESENT))
		return PT_ERR_NOTMAPPED;
	if (level == PT_LEVEL_PD && is_2m_leaf(*e)) {
		/* Masking to 2 MiB also drops the PAT bit (bit 12). */
		*pa = (*e & PT_ADDR_MASK & ~(PT_PAGE_2M - 1)) +
		      (va & (PT_PAGE_2M - 1));
		*flags = *e & (PT_LEAF_FLAGS | PT_HUGE);
		return PT_OK;
	}
	*pa = (*e & PT_ADDR_MASK) + (va & (PT_PAGE_4K - 1));
	*flags = *e & PT_LEAF_FLAGS;
	return PT_OK;
}
