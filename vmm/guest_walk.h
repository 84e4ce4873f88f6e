/*
 * Guest page-table walk: guest-virtual (linear) to guest-physical.
 *
 * To emulate an MMIO access Volt reads the instruction at the guest's
 * RIP, which is a linear address in the guest's own paging mode. This
 * module translates such addresses by reading the guest's page tables out
 * of guest RAM, and reports a failed translation the way the processor
 * would: a page-fault error code ready to inject as #PF, or "not
 * canonical" for #GP.
 *
 * Paging modes: none (CR0.PG = 0), 32-bit (4 KiB, and 4 MiB with
 * CR4.PSE incl. PSE-36), PAE (4 KiB / 2 MiB), 4-level (4 KiB / 2 MiB /
 * 1 GiB). 5-level paging (CR4.LA57) is refused. Checks: present, R/W
 * with CR0.WP, U/S, XD with EFER.NXE, SMEP, SMAP (with RFLAGS.AC),
 * reserved bits incl. those above MAXPHYADDR. Protection keys (CR4.PKE)
 * are not checked.
 *
 * Follows the Intel SDM Vol. 3A chapter 4 (Paging): 4.3 (32-bit), 4.4
 * (PAE), 4.5 (4-level), 4.6 (access rights), 4.7 (page-fault error code).
 *
 * Accessed and dirty bits are not set. For the instruction fetch this is
 * what the processor would do anyway: the instruction being emulated was
 * fetched by the processor before it faulted, which set the accessed bits
 * on its path, so a second fetch changes nothing. A data access through
 * this walk (a MOVS whose other operand is RAM) may leave a dirty bit
 * clear that the processor would have set; see docs/mmio.md.
 *
 * The PAE PDPTEs are read from memory at CR3, not from the PDPTE
 * registers the processor loaded at the last MOV to CR3: the two differ
 * only if the guest changed its PDPT without reloading CR3.
 *
 * Pure: no hardware, host-tested.
 */
#ifndef VOLT_VMM_GUEST_WALK_H
#define VOLT_VMM_GUEST_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Access kinds; the same bit positions as in the page-fault error code,
 * so they combine with it directly. A read is 0. */
#define GUEST_ACCESS_WRITE (1u << 1)
#define GUEST_ACCESS_USER  (1u << 2) /* CPL 3 */
#define GUEST_ACCESS_FETCH (1u << 4)

/* Page-fault error code bits (SDM 4.7). */
#define GUEST_PFEC_PRESENT (1u << 0) /* 0: entry not present */
#define GUEST_PFEC_WRITE   (1u << 1)
#define GUEST_PFEC_USER    (1u << 2)
#define GUEST_PFEC_RSVD    (1u << 3)
#define GUEST_PFEC_FETCH   (1u << 4)

enum guest_walk_error {
	GUEST_WALK_OK = 0,
	GUEST_WALK_PAGE_FAULT = -1,   /* inject #PF with *pfec, CR2 = gva */
	GUEST_WALK_NONCANONICAL = -2, /* 4-level: inject #GP(0) (#SS for
					 stack accesses) */
	GUEST_WALK_NOT_RAM = -3,      /* a table (or the read data) is not
					 in guest RAM: not emulable */
	GUEST_WALK_UNSUPPORTED = -4,  /* 5-level paging */
};

struct guest_walk_ctx {
	uint64_t cr0, cr3, cr4, efer; /* as the guest sees them */
	uint64_t rflags;              /* AC, for SMAP */
	uint8_t maxphyaddr;           /* CPUID 80000008h EAX[7:0] shown to
					 the guest; 0 = 52 */
	/* Host pointer to guest-physical [gpa, gpa + len), or NULL when
	 * that is not guest RAM. len never crosses a 4 KiB page. */
	const void *(*gpa_ptr)(void *opaque, uint64_t gpa, size_t len);
	void *opaque;
};

/* Translate gva for an access (GUEST_ACCESS_* bits). On success *gpa is
 * set; on GUEST_WALK_PAGE_FAULT, *pfec holds the error code. */
int guest_walk(const struct guest_walk_ctx *c, uint64_t gva, unsigned access,
	       uint64_t *gpa, uint32_t *pfec);

/* Copy len bytes at gva to buf, page by page (the range may cross page
 * boundaries). *copied says how many bytes were copied before a failure;
 * the failing address is then gva + *copied. For an instruction fetch,
 * read up to 15 bytes and decode what arrived: only when the decoder
 * needs the bytes that failed is the #PF real (the instruction may end
 * before an unmapped page). */
int guest_read_virt(const struct guest_walk_ctx *c, uint64_t gva,
		    unsigned access, void *buf, size_t len, size_t *copied,
		    uint32_t *pfec);

#endif
