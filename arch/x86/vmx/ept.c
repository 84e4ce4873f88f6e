/*
 * EPT builder (see ept.h; SDM vol. 3C 29.3.2 for the entry formats, 29.3.7
 * for memory typing, 25.6.11 for the EPT pointer). Non-leaf entries grant
 * read/write/execute; each leaf carries the real permissions and the
 * write-back memory type.
 */
#include "arch/x86/vmx/ept.h"

#define ENTRIES 512
#define PAGE_4K 0x1000ull
#define PAGE_2M 0x200000ull
#define EPTP_MEMTYPE_WB 6ull
#define EPTP_WALK_LENGTH_4 (3ull << 3) /* page-walk length - 1 */
#define EPTP_AD_ENABLE (1ull << 6)

static uint64_t *table(struct ept_ctx *c, uint64_t phys)
{
	return c->table_ptr(c->opaque, phys & EPT_ADDR_MASK);
}

static unsigned index_at(uint64_t gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

/* Split a 2 MiB leaf into 512 4 KiB leaves with the same attributes. */
static int split(struct ept_ctx *c, uint64_t *pde)
{
	uint64_t pt = c->alloc_table(c->opaque);
	if (!pt)
		return -2;
	uint64_t *t = table(c, pt);
	uint64_t base = *pde & EPT_ADDR_MASK & ~(PAGE_2M - 1);
	uint64_t attrs = *pde & (EPT_RWX | (7ull << 3));
	for (unsigned i = 0; i < ENTRIES; i++)
		t[i] = (base + i * PAGE_4K) | attrs;
	*pde = pt | EPT_RWX;
	return 0;
}

/* Entry for gpa at `level` (2: PDE, 1: PTE), creating tables. */
static uint64_t *walk(struct ept_ctx *c, uint64_t gpa, int level, bool create,
		      int *err)
{
	uint64_t *t = table(c, c->root);
	for (int l = 4; l > level; l--) {
		uint64_t *e = &t[index_at(gpa, l)];
		if (!(*e & EPT_RWX)) {
			if (!create) {
				*err = -1;
				return 0;
			}
			uint64_t phys = c->alloc_table(c->opaque);
			if (!phys) {
				*err = -2;
				return 0;
			}
			*e = phys | EPT_RWX;
		} else if (l == 2 && (*e & EPT_LARGE)) {
			if (!create) /* lookups stop at the 2 MiB leaf */
				return e;
			if ((*err = split(c, e)))
				return 0;
		}
		t = table(c, *e);
	}
	return &t[index_at(gpa, level)];
}

int ept_map(struct ept_ctx *c, uint64_t gpa, uint64_t hpa, uint64_t len,
	    uint64_t perms)
{
	int err = 0;
	if ((gpa | hpa | len) & (PAGE_4K - 1) || gpa + len > EPT_GPA_LIMIT ||
	    gpa + len < gpa || (hpa & ~EPT_ADDR_MASK))
		return -1;
	uint64_t leaf = (perms & EPT_RWX) | EPT_MEMTYPE_WB;
	while (len) {
		uint64_t *pde = walk(c, gpa, 2, true, &err);
		if (!pde)
			return err;
		bool pde_is_table = (*pde & EPT_RWX) && !(*pde & EPT_LARGE);
		if (!((gpa | hpa) & (PAGE_2M - 1)) && len >= PAGE_2M &&
		    !pde_is_table) {
			*pde = hpa | leaf | EPT_LARGE;
			gpa += PAGE_2M, hpa += PAGE_2M, len -= PAGE_2M;
			continue;
		}
		uint64_t *pte = walk(c, gpa, 1, true, &err);
		if (!pte)
			return err;
		*pte = hpa | leaf;
		gpa += PAGE_4K, hpa += PAGE_4K, len -= PAGE_4K;
	}
	return 0;
}

int ept_lookup(struct ept_ctx *c, uint64_t gpa, uint64_t *hpa,
	       uint64_t *perms)
{
	int err = 0;
	if (gpa >= EPT_GPA_LIMIT)
		return -1;
	uint64_t *pde = walk(c, gpa, 2, false, &err);
	if (!pde || !(*pde & EPT_RWX))
		return -1;
	if (*pde & EPT_LARGE) {
		*hpa = (*pde & EPT_ADDR_MASK & ~(PAGE_2M - 1)) + (gpa & (PAGE_2M - 1));
		*perms = *pde & EPT_RWX;
		return 0;
	}
	uint64_t *pte = walk(c, gpa, 1, false, &err);
	if (!pte || !(*pte & EPT_RWX))
		return -1;
	*hpa = (*pte & EPT_ADDR_MASK) + (gpa & (PAGE_4K - 1));
	*perms = *pte & EPT_RWX;
	return 0;
}

uint64_t ept_eptp(uint64_t root, bool ad_enable)
{
	return root | EPTP_MEMTYPE_WB | EPTP_WALK_LENGTH_4 |
	       (ad_enable ? EPTP_AD_ENABLE : 0);
}
