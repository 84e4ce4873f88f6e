/*
 * Extended page tables: guest-physical -> host-physical (SDM vol. 3C 29.3
 * "The extended page table mechanism"; entry formats in 29.3.2, memory
 * typing in 29.3.7, the EPT pointer in 25.6.11).
 *
 * A 4-level builder shaped like arch/x86/pagetable.c: tables are reached
 * through callbacks, so the same code runs in Volt (identity-mapped frames)
 * and in host unit tests (a malloc'd arena). Pure C, no locking: the
 * caller serializes changes to one VM's tables, and issues INVEPT after
 * ept_unmap or after a map that changes an existing translation.
 */
#ifndef VOLT_ARCH_X86_VMX_EPT_H
#define VOLT_ARCH_X86_VMX_EPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bits of every EPT entry (SDM tables 29-1 .. 29-6). */
#define EPT_READ (1ull << 0)
#define EPT_WRITE (1ull << 1)
#define EPT_EXEC (1ull << 2)	/* supervisor-mode execute */
#define EPT_RWX (EPT_READ | EPT_WRITE | EPT_EXEC)
/* Leaf-only bits. */
#define EPT_MEMTYPE_SHIFT 3
#define EPT_MEMTYPE_MASK (7ull << EPT_MEMTYPE_SHIFT) /* bits 5:3 */
#define EPT_MEMTYPE_WB (6ull << EPT_MEMTYPE_SHIFT)
#define EPT_IGNORE_PAT (1ull << 6)
#define EPT_LARGE (1ull << 7) /* in a PDE: this entry maps 2 MiB */
#define EPT_ACCESSED (1ull << 8) /* set by the CPU when A/D is enabled */
#define EPT_DIRTY (1ull << 9)
#define EPT_ADDR_MASK 0x000ffffffffff000ull /* bits 51:12 */

#define EPT_PAGE_4K 0x1000ull
#define EPT_PAGE_2M 0x200000ull
/* A 4-level walk translates 48 bits of guest-physical address. */
#define EPT_GPA_LIMIT (1ull << 48)
/* Host-physical addresses an entry can hold (bits 51:12). */
#define EPT_HPA_LIMIT (1ull << 52)

enum ept_error {
	EPT_OK = 0,
	EPT_ERR_ALIGN = -1,	/* address or length not 4 KiB aligned */
	EPT_ERR_NOMEM = -2,	/* alloc_table returned 0 */
	EPT_ERR_NOTMAPPED = -3,	/* lookup of an unmapped guest page */
	EPT_ERR_RANGE = -4,	/* beyond 48-bit GPA / 52-bit HPA, or wraps */
	EPT_ERR_PERMS = -5,	/* a combination the CPU calls a misconfig */
};

struct ept_ctx {
	uint64_t root; /* host-physical address of the EPT PML4 */
	uint64_t (*alloc_table)(void *opaque); /* zeroed 4K table or 0 */
	void *(*table_ptr)(void *opaque, uint64_t phys);
	void *opaque;
};

/* One host-contiguous piece of a VM's RAM (see ept_map_ram). */
struct ept_chunk {
	uint64_t hpa;
	uint64_t len;
};

/*
 * Map [gpa, gpa+len) -> [hpa, hpa+len) with perms: EPT_READ, EPT_READ |
 * EPT_WRITE, EPT_READ | EPT_EXEC or EPT_RWX (write without read is an EPT
 * misconfiguration, 29.3.3.1; execute-only needs a capability Volt does not
 * use). Leaves are write-back; 2 MiB pages where gpa, hpa and the remaining
 * length allow, 4 KiB elsewhere, splitting a 2 MiB leaf that a 4 KiB change
 * falls into. An existing mapping is replaced. len 0 is a no-op.
 * Returns EPT_OK or an enum ept_error; on NOMEM part may be mapped.
 */
int ept_map(struct ept_ctx *c, uint64_t gpa, uint64_t hpa, uint64_t len,
	    uint64_t perms);
/* Remove [gpa, gpa+len); unmapped holes are skipped. Tables emptied by it
 * are kept (they go with the VM). NOMEM when a 2 MiB leaf must be split. */
int ept_unmap(struct ept_ctx *c, uint64_t gpa, uint64_t len);
/* Translate gpa: EPT_OK with *hpa and *perms (EPT_READ|WRITE|EXEC bits of
 * the leaf), or EPT_ERR_NOTMAPPED / EPT_ERR_RANGE. */
int ept_lookup(struct ept_ctx *c, uint64_t gpa, uint64_t *hpa,
	       uint64_t *perms);
/*
 * Map a VM's RAM made of several host allocations: chunk i follows chunk
 * i-1 in guest-physical space, starting at 0. *ram_bytes (may be NULL) gets
 * the total mapped. Every chunk must be 4 KiB aligned and non-empty, or
 * nothing is mapped (EPT_ERR_ALIGN / EPT_ERR_RANGE). A chunk whose hpa has
 * the same offset within 2 MiB as its gpa gets 2 MiB pages.
 */
int ept_map_ram(struct ept_ctx *c, const struct ept_chunk *chunks,
		size_t count, uint64_t perms, uint64_t *ram_bytes);
/* Free every table (page tables, directories, the root) through
 * free_table and set c->root to 0: the VM is gone and no processor may
 * use its EPT pointer any more (issue INVEPT first). Leaves point into
 * the VM's RAM, which the caller frees separately. */
void ept_destroy(struct ept_ctx *c,
		 void (*free_table)(void *opaque, uint64_t phys));
/* The EPT pointer for the VMCS (25.6.11): write-back paging structures,
 * 4-level walk, accessed/dirty flags when ad_enable. */
uint64_t ept_eptp(uint64_t root, bool ad_enable);

#endif
