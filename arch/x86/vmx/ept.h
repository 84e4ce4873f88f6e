/*
 * Extended page tables (SDM vol. 3C 29.3): guest-physical -> host-physical.
 * A 4-level builder shaped like arch/x86/pagetable.c; pure, host-tested.
 */
#ifndef VOLT_ARCH_X86_VMX_EPT_H
#define VOLT_ARCH_X86_VMX_EPT_H

#include <stdbool.h>
#include <stdint.h>

#define EPT_READ (1ull << 0)
#define EPT_WRITE (1ull << 1)
#define EPT_EXEC (1ull << 2)
#define EPT_RWX (EPT_READ | EPT_WRITE | EPT_EXEC)
#define EPT_MEMTYPE_WB (6ull << 3) /* leaf bits 5:3 */
#define EPT_LARGE (1ull << 7)      /* a 2 MiB leaf in a PDE */
#define EPT_ADDR_MASK 0x000ffffffffff000ull
#define EPT_GPA_LIMIT (1ull << 48) /* 4-level walk: 48-bit guest-physical */

struct ept_ctx {
	uint64_t root;
	uint64_t (*alloc_table)(void *opaque); /* zeroed 4K table or 0 */
	void *(*table_ptr)(void *opaque, uint64_t phys);
	void *opaque;
};

/* Map [gpa, gpa+len) -> [hpa, ...) with perms (EPT_READ|...), write-back;
 * 2 MiB pages where alignment allows. 0, or -1 (unaligned, out of range),
 * -2 (out of memory). */
int ept_map(struct ept_ctx *c, uint64_t gpa, uint64_t hpa, uint64_t len,
	    uint64_t perms);
/* Translate; 0 and *hpa, *perms, or -1 when not mapped. */
int ept_lookup(struct ept_ctx *c, uint64_t gpa, uint64_t *hpa,
	       uint64_t *perms);
/* The EPT pointer for the VMCS: WB paging structures, 4-level walk. */
uint64_t ept_eptp(uint64_t root, bool ad_enable);

#endif
