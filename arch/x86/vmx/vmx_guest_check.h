/*
 * Naming the guest-state check a VM entry failed.
 *
 * When the guest-state area breaks one of the checks of SDM vol. 3C
 * 27.3.1 "Checks on the Guest-State Area" (26.3.1 in editions before
 * 2023), VMLAUNCH/VMRESUME only exits with basic reason 33, "VM-entry
 * failure due to invalid guest state", and says nothing about which check
 * failed. vmx_check_guest_state runs the same checks in software, in the
 * SDM's order, on a copy of the fields (struct vmx_guest_snapshot), and
 * names every rule the copy breaks:
 *
 *   27.3.1.1  control registers, debug registers and MSRs
 *   27.3.1.2  segment registers (selector, base, limit, access rights)
 *   27.3.1.3  GDTR and IDTR
 *   27.3.1.4  RIP and RFLAGS
 *   27.3.1.5  non-register state: activity and interruptibility state,
 *             pending debug exceptions, VMCS link pointer
 *   27.3.1.6  PDPTEs (PAE paging with EPT)
 *
 * docs/vmx-guest-checks.md lists every check with its reason.
 *
 * vmx_guest_check.c is pure (host-tested: tests/unit/test_vmx_guest_check.c).
 * vmx_guest_snapshot.c is the kernel glue: it fills a snapshot from the
 * current VMCS and the capability MSRs, and prints the result.
 */
#ifndef VOLT_ARCH_X86_VMX_VMX_GUEST_CHECK_H
#define VOLT_ARCH_X86_VMX_VMX_GUEST_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/vmx/vmx_controls.h"


/* The segment registers, in VMCS encoding order (appendix B). */
enum vmx_seg {
	VMX_SEG_ES,
	VMX_SEG_CS,
	VMX_SEG_SS,
	VMX_SEG_DS,
	VMX_SEG_FS,
	VMX_SEG_GS,
	VMX_SEG_LDTR,
	VMX_SEG_TR,
	VMX_SEG_COUNT
};

/* One segment register as the guest-state area holds it (25.4.1): the
 * selector and the "hidden" descriptor cache. */
struct vmx_guest_segment {
	uint16_t selector;
	uint64_t base;
	uint32_t limit;
	uint32_t ar; /* access rights: type 3:0, S 4, DPL 6:5, P 7, AVL 12,
			L 13, D/B 14, G 15, unusable 16 */
};

/*
 * Everything the checks read: guest-state fields, the controls that
 * change which checks apply, and facts about the processor. A pure value:
 * fill it from a VMCS (vmx_guest_snapshot_read) or build it by hand.
 */
struct vmx_guest_snapshot {
	/* ---- guest-state area (25.4) ---- */
	uint64_t cr0, cr3, cr4, dr7;
	uint64_t debugctl;	/* IA32_DEBUGCTL */
	uint64_t efer;		/* IA32_EFER: read with "load IA32_EFER" */
	uint64_t pat;		/* IA32_PAT: read with "load IA32_PAT" */
	uint64_t sysenter_esp, sysenter_eip;
	struct vmx_guest_segment seg[VMX_SEG_COUNT];
	uint64_t gdtr_base, idtr_base;
	uint32_t gdtr_limit, idtr_limit;
	uint64_t rip, rflags;
	uint32_t activity_state;	/* 0 active, 1 HLT, 2 shutdown,
					   3 wait-for-SIPI */
	uint32_t interruptibility;	/* 25.4.2, table 25-3 */
	uint64_t pending_dbg;		/* pending debug exceptions */
	uint64_t vmcs_link_pointer;	/* ~0: none */
	uint64_t pdpte[4];		/* read when EPT is on */

	/* ---- controls (25.6-25.8) ---- */
	uint32_t pin, proc, proc2, entry;
	uint32_t entry_intr_info;	/* VM-entry interruption info, 25.8.3 */

	/* ---- the processor (appendix A, CPUID 0x80000008) ---- */
	uint64_t cr0_fixed0, cr0_fixed1;	/* IA32_VMX_CR0_FIXED0/1 */
	uint64_t cr4_fixed0, cr4_fixed1;	/* IA32_VMX_CR4_FIXED0/1 */
	uint64_t vmx_misc;	/* IA32_VMX_MISC: supported activity states */
	uint8_t phys_addr_bits;	/* MAXPHYADDR; used clamped to 32..52 */
	uint8_t linear_addr_bits; /* 48 or 57; used clamped to 32..64 */
	bool unrestricted_guest_supported; /* PROCBASED_CTLS2 allows bit 7 */
};

/*
 * The checks, in SDM order: X(ID, section, text). The text is the rule;
 * for a rule about one register the report prefixes the register's name
 * ("CS" + ".AR: ..."), so such texts start with the field ("AR:", "base:").
 */
#define VMX_GUEST_CHECKS(X)                                                   \
	/* 27.3.1.1 control registers, debug registers, MSRs */               \
	X(CR0_FIXED0, "27.3.1.1",                                             \
	  "CR0: bits IA32_VMX_CR0_FIXED0 requires are 0")                     \
	X(CR0_NEEDS_UG, "27.3.1.1",                                           \
	  "CR0: PE = 0 or PG = 0 needs the 'unrestricted guest' control")     \
	X(CR0_NO_UG_CPU, "27.3.1.1",                                          \
	  "CR0: PE = 0 or PG = 0 needs 'unrestricted guest', "                \
	  "which this CPU lacks")                                             \
	X(CR0_FIXED1, "27.3.1.1",                                             \
	  "CR0: bits IA32_VMX_CR0_FIXED1 forbids are 1")                      \
	X(CR0_PG_WITHOUT_PE, "27.3.1.1", "CR0: PG = 1 requires PE = 1")       \
	X(CR4_FIXED0, "27.3.1.1",                                             \
	  "CR4: bits IA32_VMX_CR4_FIXED0 requires are 0 (VMXE)")              \
	X(CR4_FIXED1, "27.3.1.1",                                             \
	  "CR4: bits IA32_VMX_CR4_FIXED1 forbids are 1")                      \
	X(CR4_CET_WITHOUT_WP, "27.3.1.1", "CR4: CET = 1 requires CR0.WP = 1") \
	X(DEBUGCTL_RESERVED, "27.3.1.1",                                      \
	  "IA32_DEBUGCTL: reserved bits set ('load debug controls')")         \
	X(IA32E_NEEDS_PG, "27.3.1.1",                                         \
	  "CR0: PG must be 1 in an IA-32e mode guest")                        \
	X(IA32E_NEEDS_PAE, "27.3.1.1",                                        \
	  "CR4: PAE must be 1 in an IA-32e mode guest")                       \
	X(PCIDE_OUTSIDE_IA32E, "27.3.1.1",                                    \
	  "CR4: PCIDE must be 0 unless IA-32e mode guest")                    \
	X(CR3_RESERVED, "27.3.1.1",                                           \
	  "CR3: bits beyond the physical-address width must be 0")            \
	X(DR7_HIGH, "27.3.1.1",                                               \
	  "DR7: bits 63:32 must be 0 ('load debug controls')")                \
	X(SYSENTER_ESP_CANONICAL, "27.3.1.1",                                 \
	  "IA32_SYSENTER_ESP: must be canonical")                             \
	X(SYSENTER_EIP_CANONICAL, "27.3.1.1",                                 \
	  "IA32_SYSENTER_EIP: must be canonical")                             \
	X(PAT_INVALID, "27.3.1.1",                                            \
	  "IA32_PAT: each byte must be 0, 1, 4, 5, 6 or 7 ('load IA32_PAT')") \
	X(EFER_RESERVED, "27.3.1.1",                                          \
	  "IA32_EFER: reserved bits set ('load IA32_EFER')")                  \
	X(EFER_LMA_VS_IA32E, "27.3.1.1",                                      \
	  "IA32_EFER: LMA must equal the 'IA-32e mode guest' control")        \
	X(EFER_LMA_VS_LME, "27.3.1.1",                                        \
	  "IA32_EFER: LMA must equal LME when CR0.PG = 1")                    \
	/* 27.3.1.2 segment registers */                                      \
	X(SEL_TI, "27.3.1.2",                                                 \
	  "selector: TI must be 0 (descriptor in the GDT)")                   \
	X(SS_RPL_VS_CS, "27.3.1.2",                                           \
	  "selector: RPL must equal CS.RPL (no unrestricted guest)")          \
	X(V86_BASE, "27.3.1.2", "base: must be selector << 4 (virtual-8086)") \
	X(BASE_CANONICAL, "27.3.1.2", "base: must be canonical")              \
	X(BASE_HIGH, "27.3.1.2", "base: bits 63:32 must be 0")                \
	X(V86_LIMIT, "27.3.1.2", "limit: must be 0xffff (virtual-8086)")      \
	X(V86_AR, "27.3.1.2", "AR: must be 0xf3 (virtual-8086)")              \
	X(CS_TYPE, "27.3.1.2",                                                \
	  "AR: type must be 9, 11, 13 or 15 (accessed code)")                 \
	X(CS_TYPE_UG, "27.3.1.2",                                             \
	  "AR: type must be 3 (data, unrestricted guest) or 9, 11, 13, 15")   \
	X(SS_TYPE, "27.3.1.2",                                                \
	  "AR: type must be 3 or 7 (read/write accessed data)")               \
	X(DATA_NOT_ACCESSED, "27.3.1.2",                                      \
	  "AR: type bit 0 (accessed) must be 1")                              \
	X(DATA_CODE_UNREADABLE, "27.3.1.2",                                   \
	  "AR: a code segment here must be readable (type bit 1)")            \
	X(S_NOT_CODE_DATA, "27.3.1.2", "AR: S must be 1 (code or data)")      \
	X(CS_DPL_DATA, "27.3.1.2", "AR: DPL must be 0 when the type is 3")    \
	X(CS_DPL_NONCONFORMING, "27.3.1.2",                                   \
	  "AR: DPL must equal SS.DPL (non-conforming code)")                  \
	X(CS_DPL_CONFORMING, "27.3.1.2",                                      \
	  "AR: DPL must not exceed SS.DPL (conforming code)")                 \
	X(SS_DPL_RPL, "27.3.1.2",                                             \
	  "AR: DPL must equal the selector's RPL (no unrestricted guest)")    \
	X(SS_DPL_ZERO, "27.3.1.2",                                            \
	  "AR: DPL must be 0 in real mode or with a data-type CS")            \
	X(DATA_DPL_BELOW_RPL, "27.3.1.2",                                     \
	  "AR: DPL must not be below the selector's RPL")                     \
	X(NOT_PRESENT, "27.3.1.2", "AR: P must be 1 (present)")               \
	X(AR_RESERVED_11_8, "27.3.1.2", "AR: reserved bits 11:8 must be 0")   \
	X(CS_DB_WITH_L, "27.3.1.2",                                           \
	  "AR: D/B must be 0 when L = 1 in an IA-32e mode guest")             \
	X(G_LIMIT_LOW, "27.3.1.2",                                            \
	  "limit: bits 11:0 must all be 1 when AR.G = 1")                     \
	X(G_LIMIT_HIGH, "27.3.1.2",                                           \
	  "limit: bits 31:20 set need AR.G = 1 (4 KiB granularity)")          \
	X(AR_RESERVED_31_17, "27.3.1.2", "AR: reserved bits 31:17 must be 0") \
	X(TR_TYPE, "27.3.1.2", "AR: type must be 3 or 11 (busy TSS)")         \
	X(TR_TYPE_64, "27.3.1.2",                                             \
	  "AR: type must be 11 (busy 64-bit TSS) in an IA-32e mode guest")    \
	X(S_NOT_SYSTEM, "27.3.1.2", "AR: S must be 0 (system segment)")       \
	X(TR_UNUSABLE, "27.3.1.2", "AR: TR must be usable (bit 16 = 0)")      \
	X(LDTR_TYPE, "27.3.1.2", "AR: type must be 2 (LDT)")                  \
	/* 27.3.1.3 GDTR, IDTR */                                             \
	X(DTR_BASE_CANONICAL, "27.3.1.3", "base: must be canonical")          \
	X(DTR_LIMIT_HIGH, "27.3.1.3", "limit: bits 31:16 must be 0")          \
	/* 27.3.1.4 RIP, RFLAGS */                                            \
	X(RIP_HIGH, "27.3.1.4",                                               \
	  "RIP: bits 63:32 must be 0 outside 64-bit mode")                    \
	X(RIP_CANONICAL, "27.3.1.4", "RIP: must be canonical in 64-bit mode") \
	X(RFLAGS_RESERVED, "27.3.1.4",                                        \
	  "RFLAGS: reserved bits 63:22, 15, 5 and 3 must be 0")               \
	X(RFLAGS_BIT1, "27.3.1.4", "RFLAGS: reserved bit 1 must be 1")        \
	X(RFLAGS_VM, "27.3.1.4",                                              \
	  "RFLAGS: VM must be 0 in an IA-32e mode guest or with CR0.PE = 0")  \
	X(RFLAGS_IF_INJECT, "27.3.1.4",                                       \
	  "RFLAGS: IF must be 1 to inject an external interrupt")             \
	/* 27.3.1.5 non-register state */                                     \
	X(ACTIVITY_INVALID, "27.3.1.5",                                       \
	  "activity state: must be 0-3 "                                      \
	  "(active, HLT, shutdown, wait-for-SIPI)")                           \
	X(ACTIVITY_UNSUPPORTED, "27.3.1.5",                                   \
	  "activity state: not supported here (IA32_VMX_MISC bits 8:6)")      \
	X(ACTIVITY_HLT_DPL, "27.3.1.5",                                       \
	  "activity state: HLT requires SS.DPL = 0")                          \
	X(ACTIVITY_BLOCKING, "27.3.1.5",                                      \
	  "activity state: must be active with blocking by STI or MOV SS")    \
	X(ACTIVITY_INJECT, "27.3.1.5",                                        \
	  "activity state: the injected event is one this state blocks")      \
	X(INTR_RESERVED, "27.3.1.5",                                          \
	  "interruptibility: reserved bits 31:5 must be 0")                   \
	X(INTR_STI_AND_MOVSS, "27.3.1.5",                                     \
	  "interruptibility: blocking by STI and by MOV SS both set")         \
	X(INTR_STI_IF0, "27.3.1.5",                                           \
	  "interruptibility: blocking by STI requires RFLAGS.IF = 1")         \
	X(INTR_INJECT_EXTINT, "27.3.1.5",                                     \
	  "interruptibility: STI/MOV SS blocking while injecting "            \
	  "an interrupt")                                                     \
	X(INTR_INJECT_NMI_MOVSS, "27.3.1.5",                                  \
	  "interruptibility: MOV SS blocking while injecting an NMI")         \
	X(INTR_SMI, "27.3.1.5",                                               \
	  "interruptibility: blocking by SMI must be 0 outside SMM")          \
	X(INTR_NMI_VIRTUAL, "27.3.1.5",                                       \
	  "interruptibility: NMI blocking while injecting an NMI "            \
	  "(virtual NMIs)")                                                   \
	X(INTR_ENCLAVE_MOVSS, "27.3.1.5",                                     \
	  "interruptibility: enclave interruption with MOV SS blocking")      \
	X(PENDING_DBG_RESERVED, "27.3.1.5",                                   \
	  "pending debug exceptions: bits 11:4, 13, 15, 63:17 must be 0")     \
	X(PENDING_DBG_BS_SET, "27.3.1.5",                                     \
	  "pending debug exceptions: BS must be 1 (TF = 1, BTF = 0)")         \
	X(PENDING_DBG_BS_CLEAR, "27.3.1.5",                                   \
	  "pending debug exceptions: BS must be 0 (TF = 0 or BTF = 1)")       \
	X(PENDING_DBG_RTM, "27.3.1.5",                                        \
	  "pending debug exceptions: RTM (bit 16) needs bit 12 alone")        \
	X(PENDING_DBG_RTM_MOVSS, "27.3.1.5",                                  \
	  "pending debug exceptions: RTM (bit 16) with MOV SS blocking")      \
	X(LINK_ALIGN, "27.3.1.5",                                             \
	  "VMCS link pointer: bits 11:0 must be 0 (or the field all ones)")   \
	X(LINK_WIDTH, "27.3.1.5",                                             \
	  "VMCS link pointer: beyond the physical-address width")             \
	X(LINK_NOT_NONE, "27.3.1.5",                                          \
	  "VMCS link pointer: must be ~0 (Volt uses no shadow VMCS)")         \
	/* 27.3.1.6 PDPTEs */                                                 \
	X(PDPTE_RESERVED, "27.3.1.6",                                         \
	  "reserved: bits 2:1, 8:5, 63:MAXPHYADDR must be 0 (present entry)")

#define VMX_GUEST_CHECK_ENUM(id, section, text) VMX_GUEST_CHECK_##id,
enum vmx_guest_check {
	VMX_GUEST_CHECKS(VMX_GUEST_CHECK_ENUM)
	VMX_GUEST_CHECK_COUNT
};
#undef VMX_GUEST_CHECK_ENUM

/* Room for the longest register prefix ("PDPTE0.") + text + NUL; each
 * text's length is checked against it at compile time. */
#define VMX_GUEST_CHECK_NAME_MAX 96

/* One failed check. */
struct vmx_guest_violation {
	enum vmx_guest_check check;
	const char *section;	/* SDM vol. 3C, e.g. "27.3.1.2" */
	const char *reg;	/* "CS", "GDTR", "PDPTE2"...; NULL for none */
	uint64_t value;		/* the offending field's value */
	uint64_t bits;		/* the bits that break the rule; 0 when the
				   rule is not about individual bits */
	char name[VMX_GUEST_CHECK_NAME_MAX]; /* "CS.AR: type must be ..." */
};

/*
 * Run the guest-state checks on s in SDM order. The first `max` failures
 * go to out[0..max-1] (out may be NULL when max is 0). Returns how many
 * checks failed in all, which may exceed max. 0 means none of the checks
 * modelled here fails; docs/vmx-guest-checks.md lists what is not modelled.
 */
int vmx_check_guest_state(const struct vmx_guest_snapshot *s,
			  struct vmx_guest_violation *out, int max);

/* The rule's text and SDM section; "?" for an id out of range. */
const char *vmx_guest_check_text(enum vmx_guest_check check);
const char *vmx_guest_check_section(enum vmx_guest_check check);

/* "CS.AR: type must be ...; value 0x93 (SDM 27.3.1.2)" into buf, always
 * terminated; returns the length the whole line needs (like snprintf). */
int vmx_format_guest_violation(char *buf, size_t len,
			       const struct vmx_guest_violation *v);

/* ---- kernel glue (vmx_guest_snapshot.c, not pure) ---------------------- */

/* Fill s from the current VMCS, the VMX capability MSRs and CPUID. Call
 * on this CPU while the failing VMCS is current (after exit reason 33). */
void vmx_guest_snapshot_read(struct vmx_guest_snapshot *s);

/* Print the violations found (found = vmx_check_guest_state's result,
 * v holding min(found, max) of them); says so when there are none. */
void vmx_print_guest_violations(const struct vmx_guest_violation *v,
				int found, int max);

/* All three: snapshot the current VMCS, check it, print what fails.
 * Returns the number of failed checks. */
int vmx_explain_invalid_guest_state(void);

#endif
