/*
 * Guest page-table walk (see guest_walk.h), after the Intel SDM Vol. 3A
 * chapter 4: the walk reads one entry per level (4.3, 4.4, 4.5), stops
 * at the first entry that is not present or has a reserved bit set
 * (the entry formats of 4.3-4.5; 4.7), combines the
 * access rights of every level (4.6) and checks them once the page is
 * found. Levels are numbered as the SDM's tables: 4 = PML4, 3 = PDPT,
 * 2 = page directory, 1 = page table.
 */
#include "vmm/guest_walk.h"
#include "lib/string.h"

#define PTE_P  (1ull << 0)
#define PTE_RW (1ull << 1)
#define PTE_US (1ull << 2)
#define PTE_PS (1ull << 7)
#define PTE_XD (1ull << 63)

#define CR0_WP   (1ull << 16)
#define CR0_PG   (1ull << 31)
#define CR4_PSE  (1ull << 4)
#define CR4_PAE  (1ull << 5)
#define CR4_LA57 (1ull << 12)
#define CR4_SMEP (1ull << 20)
#define CR4_SMAP (1ull << 21)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)
#define RFLAGS_AC (1ull << 18)

#define PAGE_SIZE 4096u

enum paging_mode { PAGING_32, PAGING_PAE, PAGING_4LEVEL };

/* One translation in progress. */
struct walk {
	const struct guest_walk_ctx *c;
	enum paging_mode mode;
	uint64_t gva;
	unsigned access;
	unsigned maxphy; /* M: physical-address width */
	bool nx;         /* XD bits exist and count (PAE or 4-level, NXE) */
	/* Rights combined over the levels walked so far. */
	bool writable, user, exec_disabled;
};

/* Bits hi:lo set; empty when lo > hi. */
static uint64_t bits(unsigned hi, unsigned lo)
{
	if (lo > hi || lo > 63)
		return 0;
	uint64_t top = hi >= 63 ? ~0ull : (1ull << (hi + 1)) - 1;
	return top & ~((1ull << lo) - 1);
}

/* Reserved bits of an entry at `level` (SDM tables 4-4 to 4-6 for 32-bit,
 * 4-8 to 4-11 for PAE, 4-14 to 4-19 for 4-level paging). */
static uint64_t reserved_bits(const struct walk *w, unsigned level,
			      uint64_t e)
{
	unsigned m = w->maxphy;
	uint64_t r;

	if (w->mode == PAGING_32) {
		/* Only a 4 MiB PDE has any: bit 21, and the PSE-36 address
		 * bits 20:13 (PA 39:32) beyond min(M, 40). */
		if (level != 2 || !(e & PTE_PS) || !(w->c->cr4 & CR4_PSE))
			return 0;
		unsigned high = m >= 40 ? 8 : m > 32 ? m - 32 : 0;
		return e & (bits(21, 21) | bits(20, 13 + high));
	}
	if (w->mode == PAGING_PAE && level == 3)
		return e & (bits(63, m) | bits(8, 5) | bits(2, 1));
	if (w->mode == PAGING_PAE)
		r = bits(62, m);
	else
		r = bits(51, m);
	if (!w->nx)
		r |= PTE_XD;
	if (w->mode == PAGING_4LEVEL && level == 4)
		r |= PTE_PS;
	if (level == 3 && (e & PTE_PS))
		r |= bits(29, 13);
	if (level == 2 && (e & PTE_PS))
		r |= bits(20, 13);
	return e & r;
}

/* The error code for a fault of this access (SDM 4.7). The I/D bit is
 * reported only where instruction fetches can be told apart: with SMEP,
 * or with PAE/4-level paging and NXE. */
static int page_fault(const struct walk *w, uint32_t present_rsvd,
		      uint32_t *pfec)
{
	uint32_t e = present_rsvd;
	e |= w->access & (GUEST_PFEC_WRITE | GUEST_PFEC_USER);
	if ((w->access & GUEST_ACCESS_FETCH) &&
	    ((w->c->cr4 & CR4_SMEP) || w->nx))
		e |= GUEST_PFEC_FETCH;
	*pfec = e;
	return GUEST_WALK_PAGE_FAULT;
}

/* Access rights once the page is known (SDM 4.6). A "user-mode address"
 * has U/S = 1 at every level. */
static bool access_allowed(const struct walk *w)
{
	const struct guest_walk_ctx *c = w->c;
	bool user_access = w->access & GUEST_ACCESS_USER;
	bool write = w->access & GUEST_ACCESS_WRITE;
	bool fetch = w->access & GUEST_ACCESS_FETCH;

	if (user_access) {
		if (!w->user || (write && !w->writable))
			return false;
	} else if (fetch) {
		if (w->user && (c->cr4 & CR4_SMEP))
			return false;
	} else {
		if (w->user && (c->cr4 & CR4_SMAP) && !(c->rflags & RFLAGS_AC))
			return false;
		if (write && !w->writable && (c->cr0 & CR0_WP))
			return false;
	}
	return !(fetch && w->exec_disabled);
}

static int read_entry(const struct walk *w, uint64_t gpa, unsigned size,
		      uint64_t *e)
{
	const void *p = w->c->gpa_ptr(w->c->opaque, gpa, size);
	if (!p)
		return GUEST_WALK_NOT_RAM;
	*e = 0;
	memcpy(e, p, size); /* little-endian, like the guest */
	return 0;
}

/* Address of the entry for w->gva in the table at `table`. Each level
 * indexes the next 10 (32-bit paging) or 9 address bits above the 12-bit
 * page offset; PAE's top level is 4 entries indexed by bits 31:30. */
static uint64_t entry_address(const struct walk *w, uint64_t table,
			      unsigned level)
{
	if (w->mode == PAGING_32) {
		unsigned shift = 12 + 10 * (level - 1);
		return table + 4 * ((w->gva >> shift) & 0x3ff);
	}
	if (w->mode == PAGING_PAE && level == 3)
		return table + 8 * ((w->gva >> 30) & 3);
	unsigned shift = 12 + 9 * (level - 1);
	return table + 8 * ((w->gva >> shift) & 0x1ff);
}

/* Does entry e at `level` map a page (rather than point to a table)? */
static bool is_leaf(const struct walk *w, unsigned level, uint64_t e)
{
	if (level == 1)
		return true;
	if (!(e & PTE_PS))
		return false;
	if (w->mode == PAGING_32)
		return level == 2 && (w->c->cr4 & CR4_PSE);
	return level == 2 || (level == 3 && w->mode == PAGING_4LEVEL);
}

/* Guest-physical address of w->gva inside the page that leaf e maps. */
static uint64_t leaf_address(const struct walk *w, unsigned level, uint64_t e)
{
	if (w->mode == PAGING_32) {
		if (level == 1)
			return (e & 0xfffff000u) | (w->gva & 0xfff);
		/* 4 MiB page: PSE-36 keeps PA 39:32 in bits 20:13. */
		return (e & 0xffc00000u) | (((e >> 13) & 0xff) << 32) |
		       (w->gva & 0x3fffff);
	}
	unsigned shift = 12 + 9 * (level - 1);
	return (e & bits(51, shift)) | (w->gva & ((1ull << shift) - 1));
}

static void combine_rights(struct walk *w, unsigned level, uint64_t e)
{
	if (w->mode == PAGING_PAE && level == 3)
		return; /* PAE PDPTEs carry no rights */
	w->writable = w->writable && (e & PTE_RW);
	w->user = w->user && (e & PTE_US);
	if (w->nx && (e & PTE_XD))
		w->exec_disabled = true;
}

static int walk_tables(struct walk *w, uint64_t table, unsigned level,
		       uint64_t *gpa, uint32_t *pfec)
{
	unsigned size = w->mode == PAGING_32 ? 4 : 8;

	for (;; level--) {
		uint64_t e;
		int rc = read_entry(w, entry_address(w, table, level), size,
				    &e);
		if (rc)
			return rc;
		if (!(e & PTE_P))
			return page_fault(w, 0, pfec);
		if (reserved_bits(w, level, e))
			return page_fault(w, GUEST_PFEC_PRESENT |
					     GUEST_PFEC_RSVD, pfec);
		combine_rights(w, level, e);
		if (is_leaf(w, level, e)) {
			if (!access_allowed(w))
				return page_fault(w, GUEST_PFEC_PRESENT, pfec);
			*gpa = leaf_address(w, level, e);
			return GUEST_WALK_OK;
		}
		table = w->mode == PAGING_32 ? (e & 0xfffff000u)
					     : (e & bits(51, 12));
	}
}

static bool canonical48(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

int guest_walk(const struct guest_walk_ctx *c, uint64_t gva, unsigned access,
	       uint64_t *gpa, uint32_t *pfec)
{
	struct walk w = {
		.c = c, .gva = gva, .access = access,
		.maxphy = c->maxphyaddr && c->maxphyaddr < 52 ?
			  c->maxphyaddr : 52,
		.writable = true, .user = true,
	};

	*pfec = 0;
	if (!(c->cr0 & CR0_PG)) {
		*gpa = gva & 0xffffffffu; /* linear addresses are 32 bits */
		return GUEST_WALK_OK;
	}
	if (!(c->cr4 & CR4_PAE)) {
		w.mode = PAGING_32;
		w.gva = gva & 0xffffffffu;
		return walk_tables(&w, c->cr3 & 0xfffff000u, 2, gpa, pfec);
	}
	w.nx = c->efer & EFER_NXE;
	if (!(c->efer & EFER_LMA)) {
		w.mode = PAGING_PAE;
		w.gva = gva & 0xffffffffu;
		return walk_tables(&w, c->cr3 & 0xffffffe0u, 3, gpa, pfec);
	}
	if (c->cr4 & CR4_LA57)
		return GUEST_WALK_UNSUPPORTED;
	if (!canonical48(gva))
		return GUEST_WALK_NONCANONICAL;
	w.mode = PAGING_4LEVEL;
	return walk_tables(&w, c->cr3 & bits(w.maxphy - 1, 12), 4, gpa, pfec);
}

int guest_read_virt(const struct guest_walk_ctx *c, uint64_t gva,
		    unsigned access, void *buf, size_t len, size_t *copied,
		    uint32_t *pfec)
{
	uint8_t *out = buf;

	*copied = 0;
	*pfec = 0;
	while (*copied < len) {
		uint64_t at = gva + *copied, gpa;
		size_t chunk = PAGE_SIZE - (at & (PAGE_SIZE - 1));
		if (chunk > len - *copied)
			chunk = len - *copied;
		int rc = guest_walk(c, at, access, &gpa, pfec);
		if (rc)
			return rc;
		const void *p = c->gpa_ptr(c->opaque, gpa, chunk);
		if (!p)
			return GUEST_WALK_NOT_RAM;
		memcpy(out + *copied, p, chunk);
		*copied += chunk;
	}
	return GUEST_WALK_OK;
}
