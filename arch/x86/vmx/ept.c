/*
 * EPT builder (see ept.h). Levels are numbered as the SDM walks them:
 * PML4 (4) -> PDPT (3) -> PD (2) -> PT (1) (SDM vol. 3C 29.3.2).
 *
 * Non-leaf entries grant read/write/execute and carry nothing else: bits
 * 7:3 of a non-leaf entry are reserved (a PML4E) or must describe a table
 * (PDPTE/PDE with bit 7 clear), so the leaves alone carry permissions and
 * the memory type. Leaves use write-back (29.3.7): guest RAM is ordinary
 * host RAM. The ignore-PAT bit stays clear so the guest's PAT still
 * combines with it, letting a guest map its own RAM UC or WC if it asks.
 */
#include "arch/x86/vmx/ept.h"

#define ENTRIES 512
#define LEVEL_PTE 1
#define LEVEL_PDE 2
#define LEVEL_ROOT 4
/* What a leaf keeps when a 2 MiB page is split into 4 KiB pages. */
#define LEAF_ATTRS (EPT_RWX | EPT_MEMTYPE_MASK | EPT_IGNORE_PAT)

#define EPTP_MEMTYPE_WB 6ull		/* bits 2:0 */
#define EPTP_WALK_LENGTH_4 (3ull << 3)	/* bits 5:3: page-walk length - 1 */
#define EPTP_AD_ENABLE (1ull << 6)

static uint64_t *table(struct ept_ctx *c, uint64_t phys)
{
	return c->table_ptr(c->opaque, phys & EPT_ADDR_MASK);
}

static unsigned index_at(uint64_t gpa, int level)
{
	return (gpa >> (12 + 9 * (level - 1))) & (ENTRIES - 1);
}

static bool present(uint64_t e)
{
	return e & EPT_RWX;
}

static bool is_2m_leaf(uint64_t pde)
{
	return present(pde) && (pde & EPT_LARGE);
}

/* Replace the 2 MiB leaf *pde by a page table with the same mappings. */
static int split_2m(struct ept_ctx *c, uint64_t *pde)
{
	uint64_t pt_phys = c->alloc_table(c->opaque);
	if (!pt_phys)
		return EPT_ERR_NOMEM;
	uint64_t *pt = table(c, pt_phys);
	uint64_t base = *pde & EPT_ADDR_MASK & ~(EPT_PAGE_2M - 1);
	uint64_t attrs = *pde & LEAF_ATTRS;
	for (unsigned i = 0; i < ENTRIES; i++)
		pt[i] = (base + i * EPT_PAGE_4K) | attrs;
	*pde = pt_phys | EPT_RWX;
	return EPT_OK;
}

/*
 * Entry for gpa at `level` (LEVEL_PDE or LEVEL_PTE). With create, missing
 * tables are allocated and a 2 MiB leaf on the way to a PTE is split.
 * Without, NULL (*err = NOTMAPPED) when a table is missing, and the PDE is
 * returned in place of the PTE when it is a 2 MiB leaf.
 */
static uint64_t *walk(struct ept_ctx *c, uint64_t gpa, int level, bool create,
		      int *err)
{
	uint64_t *t = table(c, c->root);
	for (int l = LEVEL_ROOT; l > level; l--) {
		uint64_t *e = &t[index_at(gpa, l)];
		if (!present(*e)) {
			if (!create) {
				*err = EPT_ERR_NOTMAPPED;
				return 0;
			}
			uint64_t phys = c->alloc_table(c->opaque);
			if (!phys) {
				*err = EPT_ERR_NOMEM;
				return 0;
			}
			*e = phys | EPT_RWX;
		} else if (l == LEVEL_PDE && (*e & EPT_LARGE)) {
			if (!create)
				return e;
			if ((*err = split_2m(c, e)))
				return 0;
		}
		t = table(c, *e);
	}
	return &t[index_at(gpa, level)];
}

static bool fits_2m(uint64_t gpa, uint64_t hpa, uint64_t left)
{
	return !((gpa | hpa) & (EPT_PAGE_2M - 1)) && left >= EPT_PAGE_2M;
}

/* [addr, addr+len) aligned, not wrapping and below limit. */
static int check_range(uint64_t addr, uint64_t len, uint64_t limit)
{
	if ((addr | len) & (EPT_PAGE_4K - 1))
		return EPT_ERR_ALIGN;
	if (len && (addr + len - 1 < addr || addr + len - 1 >= limit))
		return EPT_ERR_RANGE;
	if (!len && addr >= limit)
		return EPT_ERR_RANGE;
	return EPT_OK;
}

/* Readable always: write-only and write+execute are misconfigurations
 * (29.3.3.1); execute-only needs IA32_VMX_EPT_VPID_CAP bit 0. */
static bool perms_valid(uint64_t perms)
{
	return !(perms & ~EPT_RWX) && (perms & EPT_READ);
}

int ept_map(struct ept_ctx *c, uint64_t gpa, uint64_t hpa, uint64_t len,
	    uint64_t perms)
{
	int err = check_range(gpa, len, EPT_GPA_LIMIT);
	if (!err)
		err = check_range(hpa, len, EPT_HPA_LIMIT);
	if (err)
		return err;
	if (!perms_valid(perms))
		return EPT_ERR_PERMS;
	uint64_t leaf = perms | EPT_MEMTYPE_WB;

	while (len) {
		uint64_t *pde = walk(c, gpa, LEVEL_PDE, true, &err);
		if (!pde)
			return err;
		/* A page table already here may hold other 4K mappings: keep
		 * it and fill it rather than dropping it for a 2M leaf. */
		bool pde_is_table = present(*pde) && !(*pde & EPT_LARGE);
		if (fits_2m(gpa, hpa, len) && !pde_is_table) {
			*pde = hpa | leaf | EPT_LARGE;
			gpa += EPT_PAGE_2M, hpa += EPT_PAGE_2M, len -= EPT_PAGE_2M;
			continue;
		}
		uint64_t *pte = walk(c, gpa, LEVEL_PTE, true, &err);
		if (!pte)
			return err;
		*pte = hpa | leaf;
		gpa += EPT_PAGE_4K, hpa += EPT_PAGE_4K, len -= EPT_PAGE_4K;
	}
	return EPT_OK;
}

/* Bytes from gpa to the next 2 MiB boundary, at most len. */
static uint64_t to_next_2m(uint64_t gpa, uint64_t len)
{
	uint64_t step = EPT_PAGE_2M - (gpa & (EPT_PAGE_2M - 1));
	return step < len ? step : len;
}

int ept_unmap(struct ept_ctx *c, uint64_t gpa, uint64_t len)
{
	int err = check_range(gpa, len, EPT_GPA_LIMIT);
	if (err)
		return err;
	while (len) {
		uint64_t *pde = walk(c, gpa, LEVEL_PDE, false, &err);
		if (!pde || !present(*pde)) {
			/* Nothing in this 2 MiB region. */
			uint64_t step = to_next_2m(gpa, len);
			gpa += step, len -= step;
			continue;
		}
		if (is_2m_leaf(*pde) && fits_2m(gpa, 0, len)) {
			*pde = 0;
			gpa += EPT_PAGE_2M, len -= EPT_PAGE_2M;
			continue;
		}
		uint64_t *pte = walk(c, gpa, LEVEL_PTE, true, &err);
		if (!pte)
			return err;
		*pte = 0;
		gpa += EPT_PAGE_4K, len -= EPT_PAGE_4K;
	}
	return EPT_OK;
}

int ept_lookup(struct ept_ctx *c, uint64_t gpa, uint64_t *hpa,
	       uint64_t *perms)
{
	int err = EPT_OK;
	if (gpa >= EPT_GPA_LIMIT)
		return EPT_ERR_RANGE;
	uint64_t *e = walk(c, gpa, LEVEL_PTE, false, &err);
	if (!e || !present(*e))
		return EPT_ERR_NOTMAPPED;
	uint64_t page = (*e & EPT_LARGE) ? EPT_PAGE_2M : EPT_PAGE_4K;
	*hpa = (*e & EPT_ADDR_MASK & ~(page - 1)) + (gpa & (page - 1));
	*perms = *e & EPT_RWX;
	return EPT_OK;
}

/* Post-order: a table is freed after the tables it points to. Only
 * levels above the PTs hold table pointers, and a 2 MiB PDE is a leaf. */
static void free_tree(struct ept_ctx *c, uint64_t phys, int level,
		      void (*free_table)(void *opaque, uint64_t phys))
{
	uint64_t *t = table(c, phys);
	for (unsigned i = 0; level > LEVEL_PTE && i < ENTRIES; i++) {
		if (!present(t[i]) || (level == LEVEL_PDE && (t[i] & EPT_LARGE)))
			continue;
		free_tree(c, t[i] & EPT_ADDR_MASK, level - 1, free_table);
	}
	free_table(c->opaque, phys);
}

void ept_destroy(struct ept_ctx *c,
		 void (*free_table)(void *opaque, uint64_t phys))
{
	if (c->root)
		free_tree(c, c->root, LEVEL_ROOT, free_table);
	c->root = 0;
}

int ept_map_ram(struct ept_ctx *c, const struct ept_chunk *chunks,
		size_t count, uint64_t perms, uint64_t *ram_bytes)
{
	uint64_t gpa = 0;
	/* Check every chunk first so a bad list maps nothing. */
	for (size_t i = 0; i < count; i++) {
		if (!chunks[i].len)
			return EPT_ERR_RANGE;
		int err = check_range(gpa, chunks[i].len, EPT_GPA_LIMIT);
		if (!err)
			err = check_range(chunks[i].hpa, chunks[i].len,
					  EPT_HPA_LIMIT);
		if (err)
			return err;
		gpa += chunks[i].len;
	}
	gpa = 0;
	for (size_t i = 0; i < count; i++) {
		int err = ept_map(c, gpa, chunks[i].hpa, chunks[i].len, perms);
		if (err)
			return err;
		gpa += chunks[i].len;
	}
	if (ram_bytes)
		*ram_bytes = gpa;
	return EPT_OK;
}

uint64_t ept_eptp(uint64_t root, bool ad_enable)
{
	return (root & EPT_ADDR_MASK) | EPTP_MEMTYPE_WB | EPTP_WALK_LENGTH_4 |
	       (ad_enable ? EPTP_AD_ENABLE : 0);
}
