/*
 * The guest-state checks of a VM entry, run in software so that a failed
 * entry (exit reason 33) can name the rule it broke.
 *
 * SDM vol. 3C 27.3.1 "Checks on the Guest-State Area" (26.3.1 in editions
 * before 2023): 27.3.1.1 control registers, debug registers and MSRs;
 * 27.3.1.2 segment registers; 27.3.1.3 descriptor-table registers;
 * 27.3.1.4 RIP and RFLAGS; 27.3.1.5 non-register state; 27.3.1.6 PDPTEs.
 * The checks run in the order the SDM lists them; the hardware "may
 * perform them in any order", so the first one named here is not
 * necessarily the one the processor tripped over, but every one named is
 * broken. What is not modelled (features Volt never enables) is listed in
 * docs/vmx-guest-checks.md.
 *
 * Pure C: the snapshot in, the violations out (host-tested by
 * tests/unit/test_vmx_guest_check.c).
 */
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_guest_check.h"
#include "lib/format.h"

/* ---- architectural bits (vol. 3A 2.3-2.5; cpu.h is not pure) ------------- */
#define X86_CR0_PE (1ull << 0)
#define X86_CR0_WP (1ull << 16)
#define X86_CR0_NW (1ull << 29)
#define X86_CR0_CD (1ull << 30)
#define X86_CR0_PG (1ull << 31)
#define X86_CR4_PAE (1ull << 5)
#define X86_CR4_PCIDE (1ull << 17)
#define X86_CR4_CET (1ull << 23)
#define X86_RFLAGS_BIT1 (1ull << 1)
#define X86_RFLAGS_TF (1ull << 8)
#define X86_RFLAGS_IF (1ull << 9)
#define X86_RFLAGS_VM (1ull << 17)
#define X86_RFLAGS_RESERVED \
	((~0ull << 22) | (1ull << 15) | (1ull << 5) | (1ull << 3))
/* IA32_DEBUGCTL: bits 5:2 and 63:16 are reserved in the architectural
 * layout (vol. 3B 17.4.1); a model may reserve more. */
#define X86_DEBUGCTL_BTF (1ull << 1)
#define X86_DEBUGCTL_RESERVED ((0xfull << 2) | (~0ull << 16))
/* IA32_EFER on Intel: SCE, LME, LMA, NXE; everything else is reserved. */
#define X86_EFER_DEFINED (EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE)
#define X86_SEL_RPL_MASK 0x3u
#define X86_SEL_TI (1u << 2)

/* Descriptor types (vol. 3A 3.4.5.1, 3.5). */
#define TYPE_DATA_RW_ACCESSED 3
#define TYPE_DATA_RW_DOWN_ACCESSED 7
#define TYPE_LDT 2
#define TYPE_TSS16_BUSY 3
#define TYPE_TSS_BUSY 11
#define TYPE_ACCESSED 0x1u
#define TYPE_CODE_READABLE 0x2u
#define TYPE_CONFORMING 0x4u
#define TYPE_CODE 0x8u
#define TYPE_LAST_NONCONFORMING_CODE 11

/* Access-rights layout beyond vmx_controls.h (25.4.1, table 25-2). */
#define GC_AR_TYPE_MASK 0xfu
#define GC_AR_S (1u << 4)
#define GC_AR_P (1u << 7)
#define GC_AR_RESERVED_11_8 0xf00u
#define GC_AR_RESERVED_31_17 0xfffe0000u
#define GC_AR_V86 0xf3u /* present, DPL 3, read/write accessed data */
#define V86_LIMIT 0xffffu
#define G_LIMIT_LOW_BITS 0xfffu
#define G_LIMIT_HIGH_BITS 0xfff00000u

/* Interruptibility state (25.4.2, table 25-3). */
#define INTR_STI (1u << 0)
#define INTR_MOV_SS (1u << 1)
#define INTR_SMI (1u << 2)
#define INTR_NMI (1u << 3)
#define INTR_ENCLAVE (1u << 4)
#define INTR_RESERVED_BITS (~0u << 5)

/* Activity states (25.4.2, table 25-4). */
#define ACTIVITY_ACTIVE 0
#define ACTIVITY_HLT 1
#define ACTIVITY_SHUTDOWN 2
#define ACTIVITY_WAIT_SIPI 3

/* Pending debug exceptions (25.4.2, table 25-5). */
#define PDE_ENABLED_BP (1ull << 12)
#define PDE_BS (1ull << 14)
#define PDE_RTM (1ull << 16)
#define PDE_RESERVED ((0xffull << 4) | (1ull << 13) | (1ull << 15) | \
		      (~0ull << 17))
#define PDE_RTM_MUST_BE_0 (0xfffull | (0x7ull << 13) | (~0ull << 17))

/* VM-entry interruption information (25.8.3). */
#define GC_INTR_TYPE_OTHER (7u << 8) /* vector 0: pending MTF exit */
#define INTR_VECTOR_MASK 0xffu
#define VECTOR_DB 1
#define VECTOR_MC 18

#define VMCS_LINK_NONE (~0ull)
#define PAGE_OFFSET_MASK 0xfffull
#define PDPTE_PRESENT (1ull << 0)
#define PDPTE_RESERVED_LOW ((0x3ull << 1) | (0xfull << 5))

/* ---- the check table ----------------------------------------------------- */

struct check_info {
	const char *section;
	const char *text;
};

#define CHECK_INFO(id, section, text) \
	[VMX_GUEST_CHECK_##id] = { section, text },
static const struct check_info checks[VMX_GUEST_CHECK_COUNT] = {
	VMX_GUEST_CHECKS(CHECK_INFO)
};
#undef CHECK_INFO

/* Every name ("PDPTE0." + text) must fit its buffer untruncated. */
#define CHECK_FITS(id, section, text)                                   \
	_Static_assert(sizeof("PDPTE0.") - 1 + sizeof(text) <=          \
			       VMX_GUEST_CHECK_NAME_MAX,                \
		       "vmx_guest_check.h: " #id ": text too long");
VMX_GUEST_CHECKS(CHECK_FITS)
#undef CHECK_FITS

#define ID(x) VMX_GUEST_CHECK_##x

const char *vmx_guest_check_text(enum vmx_guest_check check)
{
	return (unsigned)check < VMX_GUEST_CHECK_COUNT ? checks[check].text
						       : "?";
}

const char *vmx_guest_check_section(enum vmx_guest_check check)
{
	return (unsigned)check < VMX_GUEST_CHECK_COUNT ? checks[check].section
						       : "?";
}

/* ---- one run ------------------------------------------------------------- */

struct run {
	const struct vmx_guest_snapshot *s;
	struct vmx_guest_violation *out;
	int max;
	int found;
	/* What the controls and RFLAGS make of this entry. */
	bool ia32e;		/* "IA-32e mode guest" entry control */
	bool ug;		/* "unrestricted guest" in effect */
	bool ept;		/* "enable EPT" in effect */
	bool v86;		/* RFLAGS.VM: virtual-8086 guest */
	bool injecting;		/* entry interruption info valid */
	uint32_t inject_type;	/* its type (INTR_TYPE_*) */
	unsigned phys_bits, linear_bits;
};

/* Record `check` as failed when `broken`; the first max go to out. */
static void rule(struct run *r, bool broken, enum vmx_guest_check check,
		 const char *reg, uint64_t value, uint64_t bits)
{
	if (!broken)
		return;
	if (r->found < r->max) {
		struct vmx_guest_violation *v = &r->out[r->found];
		*v = (struct vmx_guest_violation){ .check = check, .reg = reg,
			.section = checks[check].section, .value = value,
			.bits = bits };
		volt_snprintf(v->name, sizeof(v->name), "%s%s%s",
			      reg ? reg : "", reg ? "." : "",
			      checks[check].text);
	}
	r->found++;
}

/* Bits 63:N-1 all equal, N = the linear-address width (vol. 1 3.3.7.1). */
static bool canonical(const struct run *r, uint64_t a)
{
	if (r->linear_bits >= 64)
		return true;
	unsigned shift = 64 - r->linear_bits;
	return (uint64_t)((int64_t)(a << shift) >> shift) == a;
}

/* Bits at and above MAXPHYADDR. */
static uint64_t beyond_phys(const struct run *r, uint64_t a)
{
	return a & (~0ull << r->phys_bits);
}

/* ---- 27.3.1.1 control registers, debug registers, MSRs ------------------- */

/*
 * CR0 and CR4 must hold the values VMX operation fixes (A.7, A.8), with
 * two exceptions for CR0: NW and CD are never checked (entry does not load
 * them, 27.3.2.1), and PE and PG are free under "unrestricted guest".
 * Without it, a clear PE or PG is the classic mistake (a real-mode or
 * unpaged guest), so it gets its own, more helpful name.
 */
static void check_cr0_cr4(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	uint64_t unchecked = X86_CR0_NW | X86_CR0_CD;
	uint64_t missing = s->cr0_fixed0 & ~s->cr0 & ~unchecked;
	uint64_t pe_pg = missing & VMX_CR0_UNRESTRICTED_GUEST_FREE;
	uint64_t extra = s->cr0 & ~s->cr0_fixed1 & ~unchecked;

	rule(r, missing & ~pe_pg, ID(CR0_FIXED0), NULL, s->cr0,
	     missing & ~pe_pg);
	rule(r, pe_pg && !r->ug, s->unrestricted_guest_supported
					 ? ID(CR0_NEEDS_UG) : ID(CR0_NO_UG_CPU),
	     NULL, s->cr0, pe_pg);
	rule(r, extra, ID(CR0_FIXED1), NULL, s->cr0, extra);
	rule(r, (s->cr0 & (X86_CR0_PG | X86_CR0_PE)) == X86_CR0_PG,
	     ID(CR0_PG_WITHOUT_PE), NULL, s->cr0, 0);

	missing = s->cr4_fixed0 & ~s->cr4;
	extra = s->cr4 & ~s->cr4_fixed1;
	rule(r, missing, ID(CR4_FIXED0), NULL, s->cr4, missing);
	rule(r, extra, ID(CR4_FIXED1), NULL, s->cr4, extra);
	rule(r, (s->cr4 & X86_CR4_CET) && !(s->cr0 & X86_CR0_WP),
	     ID(CR4_CET_WITHOUT_WP), NULL, s->cr4, 0);
}

/* IA32_PAT may hold only the memory types WRMSR accepts (vol. 3A 13.12.2);
 * returns the bytes that do not. */
static uint64_t pat_bad_bytes(uint64_t pat)
{
	uint64_t bad = 0;
	for (unsigned i = 0; i < 8; i++) {
		uint8_t type = (uint8_t)(pat >> (8 * i));
		if (type == 2 || type == 3 || type > 7)
			bad |= 0xffull << (8 * i);
	}
	return bad;
}

/* With "load IA32_EFER", the field must agree with the mode the other
 * fields describe: LMA is the "IA-32e mode guest" control, and with
 * paging on LME must match it. */
static void check_efer(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	bool lma = s->efer & EFER_LMA, lme = s->efer & EFER_LME;

	if (!(s->entry & ENTRY_LOAD_IA32_EFER))
		return;
	rule(r, s->efer & ~X86_EFER_DEFINED, ID(EFER_RESERVED), NULL, s->efer,
	     s->efer & ~X86_EFER_DEFINED);
	rule(r, lma != r->ia32e, ID(EFER_LMA_VS_IA32E), NULL, s->efer, 0);
	rule(r, (s->cr0 & X86_CR0_PG) && lma != lme, ID(EFER_LMA_VS_LME), NULL,
	     s->efer, 0);
}

static void check_control_and_msrs(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	bool debug = s->entry & ENTRY_LOAD_DEBUG_CONTROLS;

	check_cr0_cr4(r);
	rule(r, debug && (s->debugctl & X86_DEBUGCTL_RESERVED),
	     ID(DEBUGCTL_RESERVED), NULL, s->debugctl,
	     s->debugctl & X86_DEBUGCTL_RESERVED);
	rule(r, r->ia32e && !(s->cr0 & X86_CR0_PG), ID(IA32E_NEEDS_PG), NULL,
	     s->cr0, 0);
	rule(r, r->ia32e && !(s->cr4 & X86_CR4_PAE), ID(IA32E_NEEDS_PAE), NULL,
	     s->cr4, 0);
	rule(r, !r->ia32e && (s->cr4 & X86_CR4_PCIDE), ID(PCIDE_OUTSIDE_IA32E),
	     NULL, s->cr4, 0);
	rule(r, beyond_phys(r, s->cr3), ID(CR3_RESERVED), NULL, s->cr3,
	     beyond_phys(r, s->cr3));
	rule(r, debug && (s->dr7 >> 32), ID(DR7_HIGH), NULL, s->dr7,
	     s->dr7 & ~0xffffffffull);
	rule(r, !canonical(r, s->sysenter_esp), ID(SYSENTER_ESP_CANONICAL),
	     NULL, s->sysenter_esp, 0);
	rule(r, !canonical(r, s->sysenter_eip), ID(SYSENTER_EIP_CANONICAL),
	     NULL, s->sysenter_eip, 0);
	if (s->entry & ENTRY_LOAD_IA32_PAT)
		rule(r, pat_bad_bytes(s->pat), ID(PAT_INVALID), NULL, s->pat,
		     pat_bad_bytes(s->pat));
	check_efer(r);
}

/* ---- 27.3.1.2 segment registers ------------------------------------------ */

static const char *const seg_names[VMX_SEG_COUNT] = {
	[VMX_SEG_ES] = "ES", [VMX_SEG_CS] = "CS", [VMX_SEG_SS] = "SS",
	[VMX_SEG_DS] = "DS", [VMX_SEG_FS] = "FS", [VMX_SEG_GS] = "GS",
	[VMX_SEG_LDTR] = "LDTR", [VMX_SEG_TR] = "TR",
};

/* The order 27.3.1.2 lists the code and data registers in. */
static const enum vmx_seg sdm_order[] = {
	VMX_SEG_CS, VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES, VMX_SEG_FS, VMX_SEG_GS,
};
#define LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SDM_ORDER_LEN LEN(sdm_order)
#define SDM_ORDER_DS 2 /* DS, ES, FS, GS follow CS and SS */

static const struct vmx_guest_segment *seg(const struct run *r,
					   enum vmx_seg n)
{
	return &r->s->seg[n];
}

static bool usable(const struct vmx_guest_segment *g)
{
	return !(g->ar & AR_UNUSABLE);
}

static unsigned ar_type(const struct vmx_guest_segment *g)
{
	return g->ar & GC_AR_TYPE_MASK;
}

static unsigned ar_dpl(const struct vmx_guest_segment *g)
{
	return (g->ar >> AR_DPL_SHIFT) & 3u;
}

static unsigned rpl(const struct vmx_guest_segment *g)
{
	return g->selector & X86_SEL_RPL_MASK;
}

/* Most access-rights checks apply to CS always, to the others only when
 * usable (an unusable register's other fields are undefined). */
static bool ar_checked(enum vmx_seg n, const struct vmx_guest_segment *g)
{
	return n == VMX_SEG_CS || usable(g);
}

static void check_selectors(struct run *r)
{
	const struct vmx_guest_segment *tr = seg(r, VMX_SEG_TR);
	const struct vmx_guest_segment *ldtr = seg(r, VMX_SEG_LDTR);
	const struct vmx_guest_segment *ss = seg(r, VMX_SEG_SS);

	rule(r, tr->selector & X86_SEL_TI, ID(SEL_TI), "TR", tr->selector,
	     X86_SEL_TI);
	rule(r, usable(ldtr) && (ldtr->selector & X86_SEL_TI), ID(SEL_TI),
	     "LDTR", ldtr->selector, X86_SEL_TI);
	/* Without unrestricted guest, CPL = CS.RPL = SS.RPL must agree. */
	rule(r, !r->v86 && !r->ug && rpl(ss) != rpl(seg(r, VMX_SEG_CS)),
	     ID(SS_RPL_VS_CS), "SS", ss->selector, 0);
}

static void check_bases(struct run *r)
{
	static const enum vmx_seg canonical_bases[] = {
		VMX_SEG_TR, VMX_SEG_FS, VMX_SEG_GS,
	};
	static const enum vmx_seg low_bases[] = {
		VMX_SEG_SS, VMX_SEG_DS, VMX_SEG_ES,
	};

	for (unsigned i = 0; r->v86 && i < SDM_ORDER_LEN; i++) {
		const struct vmx_guest_segment *g = seg(r, sdm_order[i]);
		rule(r, g->base != (uint64_t)g->selector << 4, ID(V86_BASE),
		     seg_names[sdm_order[i]], g->base, 0);
	}
	for (unsigned i = 0; i < LEN(canonical_bases); i++) {
		const struct vmx_guest_segment *g = seg(r, canonical_bases[i]);
		rule(r, !canonical(r, g->base), ID(BASE_CANONICAL),
		     seg_names[canonical_bases[i]], g->base, 0);
	}
	const struct vmx_guest_segment *ldtr = seg(r, VMX_SEG_LDTR);
	rule(r, usable(ldtr) && !canonical(r, ldtr->base), ID(BASE_CANONICAL),
	     "LDTR", ldtr->base, 0);
	/* CS, SS, DS and ES bases are 32-bit even in 64-bit mode. */
	const struct vmx_guest_segment *cs = seg(r, VMX_SEG_CS);
	rule(r, cs->base >> 32, ID(BASE_HIGH), "CS", cs->base,
	     cs->base & ~0xffffffffull);
	for (unsigned i = 0; i < LEN(low_bases); i++) {
		const struct vmx_guest_segment *g = seg(r, low_bases[i]);
		rule(r, usable(g) && (g->base >> 32), ID(BASE_HIGH),
		     seg_names[low_bases[i]], g->base,
		     g->base & ~0xffffffffull);
	}
}

static void check_v86_limits(struct run *r)
{
	for (unsigned i = 0; r->v86 && i < SDM_ORDER_LEN; i++) {
		const struct vmx_guest_segment *g = seg(r, sdm_order[i]);
		rule(r, g->limit != V86_LIMIT, ID(V86_LIMIT),
		     seg_names[sdm_order[i]], g->limit, 0);
	}
}

static void check_cs_type(struct run *r)
{
	const struct vmx_guest_segment *cs = seg(r, VMX_SEG_CS);
	unsigned type = ar_type(cs);
	/* accessed code: 9, 11, 13, 15; UG also allows accessed data (3) */
	bool code = (type & (TYPE_CODE | TYPE_ACCESSED)) ==
		    (TYPE_CODE | TYPE_ACCESSED);
	bool ok = code || (r->ug && type == TYPE_DATA_RW_ACCESSED);

	rule(r, !ok, r->ug ? ID(CS_TYPE_UG) : ID(CS_TYPE), "CS", cs->ar, 0);
}

static void check_types(struct run *r)
{
	const struct vmx_guest_segment *ss = seg(r, VMX_SEG_SS);

	check_cs_type(r);
	rule(r, usable(ss) && ar_type(ss) != TYPE_DATA_RW_ACCESSED &&
			ar_type(ss) != TYPE_DATA_RW_DOWN_ACCESSED,
	     ID(SS_TYPE), "SS", ss->ar, 0);
	for (unsigned i = SDM_ORDER_DS; i < SDM_ORDER_LEN; i++) {
		const struct vmx_guest_segment *g = seg(r, sdm_order[i]);
		unsigned type = ar_type(g);
		const char *name = seg_names[sdm_order[i]];
		if (!usable(g))
			continue;
		rule(r, !(type & TYPE_ACCESSED), ID(DATA_NOT_ACCESSED), name,
		     g->ar, 0);
		rule(r, (type & TYPE_CODE) && !(type & TYPE_CODE_READABLE),
		     ID(DATA_CODE_UNREADABLE), name, g->ar, 0);
	}
}

/*
 * Privilege levels: SS.DPL is the CPL (25.4.1), so CS must agree with it;
 * in real mode (or with the data-type CS unrestricted guest allows) the
 * CPL is 0. Without unrestricted guest the selectors' RPLs must agree too.
 */
static void check_dpls(struct run *r)
{
	const struct vmx_guest_segment *cs = seg(r, VMX_SEG_CS);
	const struct vmx_guest_segment *ss = seg(r, VMX_SEG_SS);
	unsigned cs_type = ar_type(cs);

	if (cs_type == TYPE_DATA_RW_ACCESSED)
		rule(r, ar_dpl(cs) != 0, ID(CS_DPL_DATA), "CS", cs->ar, 0);
	else if ((cs_type & (TYPE_CODE | TYPE_ACCESSED)) ==
		 (TYPE_CODE | TYPE_ACCESSED))
		rule(r, (cs_type & TYPE_CONFORMING) ? ar_dpl(cs) > ar_dpl(ss)
						    : ar_dpl(cs) != ar_dpl(ss),
		     (cs_type & TYPE_CONFORMING) ? ID(CS_DPL_CONFORMING)
						 : ID(CS_DPL_NONCONFORMING),
		     "CS", cs->ar, 0);
	rule(r, !r->ug && ar_dpl(ss) != rpl(ss), ID(SS_DPL_RPL), "SS", ss->ar,
	     0);
	rule(r, (cs_type == TYPE_DATA_RW_ACCESSED ||
		 !(r->s->cr0 & X86_CR0_PE)) && ar_dpl(ss) != 0,
	     ID(SS_DPL_ZERO), "SS", ss->ar, 0);
	for (unsigned i = SDM_ORDER_DS; !r->ug && i < SDM_ORDER_LEN; i++) {
		const struct vmx_guest_segment *g = seg(r, sdm_order[i]);
		rule(r, usable(g) &&
				ar_type(g) <= TYPE_LAST_NONCONFORMING_CODE &&
				ar_dpl(g) < rpl(g),
		     ID(DATA_DPL_BELOW_RPL), seg_names[sdm_order[i]], g->ar, 0);
	}
}

/* "If any bit in the limit field in the range 11:0 is 0, G must be 0. If
 * any bit in the limit field in the range 31:20 is 1, G must be 1." */
static void check_granularity(struct run *r, enum vmx_seg n)
{
	const struct vmx_guest_segment *g = seg(r, n);
	bool gran = g->ar & AR_G;

	rule(r, gran && (g->limit & G_LIMIT_LOW_BITS) != G_LIMIT_LOW_BITS,
	     ID(G_LIMIT_LOW), seg_names[n], g->limit, 0);
	rule(r, !gran && (g->limit & G_LIMIT_HIGH_BITS), ID(G_LIMIT_HIGH),
	     seg_names[n], g->limit, g->limit & G_LIMIT_HIGH_BITS);
}

/* An access-rights rule about single bits: those in mask must equal
 * want (S, P, the reserved ranges, TR's unusable bit). */
static void ar_bits(struct run *r, enum vmx_seg n, uint32_t mask,
		    uint32_t want, enum vmx_guest_check check)
{
	uint32_t ar = seg(r, n)->ar;
	rule(r, (ar ^ want) & mask, check, seg_names[n], ar,
	     (ar ^ want) & mask);
}

/* The same rule over CS, SS, DS, ES, FS, GS, for those it covers. */
static void each_ar_bits(struct run *r, uint32_t mask, uint32_t want,
			 enum vmx_guest_check check)
{
	for (unsigned i = 0; i < SDM_ORDER_LEN; i++)
		if (ar_checked(sdm_order[i], seg(r, sdm_order[i])))
			ar_bits(r, sdm_order[i], mask, want, check);
}

/* CS, SS, DS, ES, FS, GS: a virtual-8086 guest has one fixed value;
 * otherwise each sub-field in the SDM's order. */
static void check_code_data_ar(struct run *r)
{
	const struct vmx_guest_segment *cs = seg(r, VMX_SEG_CS);

	for (unsigned i = 0; r->v86 && i < SDM_ORDER_LEN; i++) {
		const struct vmx_guest_segment *g = seg(r, sdm_order[i]);
		rule(r, g->ar != GC_AR_V86, ID(V86_AR), seg_names[sdm_order[i]],
		     g->ar, 0);
	}
	if (r->v86)
		return;
	check_types(r);
	each_ar_bits(r, GC_AR_S, GC_AR_S, ID(S_NOT_CODE_DATA));
	check_dpls(r);
	each_ar_bits(r, GC_AR_P, GC_AR_P, ID(NOT_PRESENT));
	each_ar_bits(r, GC_AR_RESERVED_11_8, 0, ID(AR_RESERVED_11_8));
	rule(r, r->ia32e && (cs->ar & AR_L) && (cs->ar & AR_DB),
	     ID(CS_DB_WITH_L), "CS", cs->ar, 0);
	for (unsigned i = 0; i < SDM_ORDER_LEN; i++)
		if (ar_checked(sdm_order[i], seg(r, sdm_order[i])))
			check_granularity(r, sdm_order[i]);
	each_ar_bits(r, GC_AR_RESERVED_31_17, 0, ID(AR_RESERVED_31_17));
}

/* The fields TR and LDTR share: a present system segment. */
static void check_system_segment(struct run *r, enum vmx_seg n)
{
	ar_bits(r, n, GC_AR_S, 0, ID(S_NOT_SYSTEM));
	ar_bits(r, n, GC_AR_P, GC_AR_P, ID(NOT_PRESENT));
	ar_bits(r, n, GC_AR_RESERVED_11_8, 0, ID(AR_RESERVED_11_8));
	check_granularity(r, n);
}

static void check_tr_ldtr_ar(struct run *r)
{
	const struct vmx_guest_segment *tr = seg(r, VMX_SEG_TR);
	const struct vmx_guest_segment *ldtr = seg(r, VMX_SEG_LDTR);
	unsigned type = ar_type(tr);

	/* A 64-bit TSS has type 11; outside IA-32e mode a busy 16-bit (3)
	 * or 32-bit (11) TSS. */
	if (r->ia32e)
		rule(r, type != TYPE_TSS_BUSY, ID(TR_TYPE_64), "TR", tr->ar, 0);
	else
		rule(r, type != TYPE_TSS16_BUSY && type != TYPE_TSS_BUSY,
		     ID(TR_TYPE), "TR", tr->ar, 0);
	check_system_segment(r, VMX_SEG_TR);
	ar_bits(r, VMX_SEG_TR, AR_UNUSABLE, 0, ID(TR_UNUSABLE));
	ar_bits(r, VMX_SEG_TR, GC_AR_RESERVED_31_17, 0, ID(AR_RESERVED_31_17));

	if (!usable(ldtr))
		return;
	rule(r, ar_type(ldtr) != TYPE_LDT, ID(LDTR_TYPE), "LDTR", ldtr->ar, 0);
	check_system_segment(r, VMX_SEG_LDTR);
	ar_bits(r, VMX_SEG_LDTR, GC_AR_RESERVED_31_17, 0,
		ID(AR_RESERVED_31_17));
}

static void check_segments(struct run *r)
{
	check_selectors(r);
	check_bases(r);
	check_v86_limits(r);
	check_code_data_ar(r);
	check_tr_ldtr_ar(r);
}

/* ---- 27.3.1.3 GDTR, IDTR ------------------------------------------------- */

static void check_descriptor_tables(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;

	rule(r, !canonical(r, s->gdtr_base), ID(DTR_BASE_CANONICAL), "GDTR",
	     s->gdtr_base, 0);
	rule(r, !canonical(r, s->idtr_base), ID(DTR_BASE_CANONICAL), "IDTR",
	     s->idtr_base, 0);
	/* The fields are 32 bits wide; the registers' limits are 16. */
	rule(r, s->gdtr_limit >> 16, ID(DTR_LIMIT_HIGH), "GDTR", s->gdtr_limit,
	     s->gdtr_limit & ~0xffffu);
	rule(r, s->idtr_limit >> 16, ID(DTR_LIMIT_HIGH), "IDTR", s->idtr_limit,
	     s->idtr_limit & ~0xffffu);
}

/* ---- 27.3.1.4 RIP, RFLAGS ------------------------------------------------ */

static void check_rip_rflags(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	bool mode64 = r->ia32e && (seg(r, VMX_SEG_CS)->ar & AR_L);

	rule(r, !mode64 && (s->rip >> 32), ID(RIP_HIGH), NULL, s->rip,
	     s->rip & ~0xffffffffull);
	rule(r, mode64 && !canonical(r, s->rip), ID(RIP_CANONICAL), NULL,
	     s->rip, 0);
	rule(r, s->rflags & X86_RFLAGS_RESERVED, ID(RFLAGS_RESERVED), NULL,
	     s->rflags, s->rflags & X86_RFLAGS_RESERVED);
	rule(r, !(s->rflags & X86_RFLAGS_BIT1), ID(RFLAGS_BIT1), NULL,
	     s->rflags, X86_RFLAGS_BIT1);
	rule(r, (s->rflags & X86_RFLAGS_VM) &&
			(r->ia32e || !(s->cr0 & X86_CR0_PE)),
	     ID(RFLAGS_VM), NULL, s->rflags, X86_RFLAGS_VM);
	rule(r, r->injecting &&
			r->inject_type == INTR_TYPE_EXTERNAL_INTERRUPT &&
			!(s->rflags & X86_RFLAGS_IF),
	     ID(RFLAGS_IF_INJECT), NULL, s->rflags, 0);
}

/* ---- 27.3.1.5 non-register state ----------------------------------------- */

static bool activity_supported(const struct vmx_guest_snapshot *s,
			       uint32_t state)
{
	switch (state) {
	case ACTIVITY_ACTIVE: return true;
	case ACTIVITY_HLT: return s->vmx_misc & VMX_MISC_ACTIVITY_HLT;
	case ACTIVITY_SHUTDOWN: return s->vmx_misc & VMX_MISC_ACTIVITY_SHUTDOWN;
	case ACTIVITY_WAIT_SIPI:
		return s->vmx_misc & VMX_MISC_ACTIVITY_WAIT_SIPI;
	}
	return false;
}

/* Which injected events each activity state lets through (27.3.1.5):
 * HLT wakes for interrupts, NMIs, #DB, #MC and a pending MTF exit;
 * shutdown only for NMI and #MC; wait-for-SIPI for nothing. */
static bool injection_allowed(uint32_t state, uint32_t type, uint32_t vector)
{
	bool nmi = type == INTR_TYPE_NMI;
	bool mc = type == INTR_TYPE_HARDWARE_EXCEPTION && vector == VECTOR_MC;

	switch (state) {
	case ACTIVITY_HLT:
		return type == INTR_TYPE_EXTERNAL_INTERRUPT || nmi || mc ||
		       (type == INTR_TYPE_HARDWARE_EXCEPTION &&
			vector == VECTOR_DB) ||
		       (type == GC_INTR_TYPE_OTHER && vector == 0);
	case ACTIVITY_SHUTDOWN:
		return nmi || mc;
	case ACTIVITY_WAIT_SIPI:
		return false;
	}
	return true;
}

static void check_activity(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	uint32_t state = s->activity_state;

	rule(r, state > ACTIVITY_WAIT_SIPI, ID(ACTIVITY_INVALID), NULL, state,
	     0);
	rule(r, state <= ACTIVITY_WAIT_SIPI && !activity_supported(s, state),
	     ID(ACTIVITY_UNSUPPORTED), NULL, state, 0);
	rule(r, state == ACTIVITY_HLT && ar_dpl(seg(r, VMX_SEG_SS)) != 0,
	     ID(ACTIVITY_HLT_DPL), NULL, state, 0);
	rule(r, (s->interruptibility & (INTR_STI | INTR_MOV_SS)) &&
			state != ACTIVITY_ACTIVE,
	     ID(ACTIVITY_BLOCKING), NULL, state, 0);
	uint32_t vector = s->entry_intr_info & INTR_VECTOR_MASK;
	rule(r, r->injecting && state <= ACTIVITY_WAIT_SIPI &&
			!injection_allowed(state, r->inject_type, vector),
	     ID(ACTIVITY_INJECT), NULL, s->entry_intr_info, 0);
}

static void check_interruptibility(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	uint32_t intr = s->interruptibility;
	bool ext = r->injecting &&
		   r->inject_type == INTR_TYPE_EXTERNAL_INTERRUPT;
	bool nmi = r->injecting && r->inject_type == INTR_TYPE_NMI;

	rule(r, intr & INTR_RESERVED_BITS, ID(INTR_RESERVED), NULL, intr,
	     intr & INTR_RESERVED_BITS);
	rule(r, (intr & INTR_STI) && (intr & INTR_MOV_SS),
	     ID(INTR_STI_AND_MOVSS), NULL, intr, INTR_STI | INTR_MOV_SS);
	rule(r, (intr & INTR_STI) && !(s->rflags & X86_RFLAGS_IF),
	     ID(INTR_STI_IF0), NULL, intr, INTR_STI);
	rule(r, ext && (intr & (INTR_STI | INTR_MOV_SS)),
	     ID(INTR_INJECT_EXTINT), NULL, intr,
	     intr & (INTR_STI | INTR_MOV_SS));
	rule(r, nmi && (intr & INTR_MOV_SS), ID(INTR_INJECT_NMI_MOVSS), NULL,
	     intr, INTR_MOV_SS);
	/* Volt never runs in SMM, so blocking by SMI is always wrong. */
	rule(r, intr & INTR_SMI, ID(INTR_SMI), NULL, intr, INTR_SMI);
	rule(r, nmi && (s->pin & PIN_VIRTUAL_NMIS) && (intr & INTR_NMI),
	     ID(INTR_NMI_VIRTUAL), NULL, intr, INTR_NMI);
	rule(r, (intr & INTR_ENCLAVE) && (intr & INTR_MOV_SS),
	     ID(INTR_ENCLAVE_MOVSS), NULL, intr, INTR_ENCLAVE | INTR_MOV_SS);
}

/*
 * A single-step trap pending across a blocked instruction or HLT must be
 * recorded in BS exactly when it would have happened: TF set and not
 * "single-step on branches" (DEBUGCTL.BTF).
 */
static void check_pending_debug(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	uint64_t pde = s->pending_dbg;
	bool step = (s->rflags & X86_RFLAGS_TF) &&
		    !(s->debugctl & X86_DEBUGCTL_BTF);
	bool held = (s->interruptibility & (INTR_STI | INTR_MOV_SS)) ||
		    s->activity_state == ACTIVITY_HLT;

	rule(r, pde & PDE_RESERVED, ID(PENDING_DBG_RESERVED), NULL, pde,
	     pde & PDE_RESERVED);
	rule(r, held && step && !(pde & PDE_BS), ID(PENDING_DBG_BS_SET), NULL,
	     pde, PDE_BS);
	rule(r, held && !step && (pde & PDE_BS), ID(PENDING_DBG_BS_CLEAR),
	     NULL, pde, PDE_BS);
	if (!(pde & PDE_RTM))
		return;
	rule(r, (pde & PDE_RTM_MUST_BE_0) || !(pde & PDE_ENABLED_BP),
	     ID(PENDING_DBG_RTM), NULL, pde, pde & PDE_RTM_MUST_BE_0);
	rule(r, s->interruptibility & INTR_MOV_SS, ID(PENDING_DBG_RTM_MOVSS),
	     NULL, pde, 0);
}

/*
 * Anything but ~0 names a shadow VMCS the processor then reads (its
 * revision ID must match), which this pure code cannot see; Volt never
 * sets one up, so any other value is reported.
 */
static void check_link_pointer(struct run *r)
{
	uint64_t link = r->s->vmcs_link_pointer;
	uint64_t low = link & PAGE_OFFSET_MASK, high = beyond_phys(r, link);

	if (link == VMCS_LINK_NONE)
		return;
	rule(r, low, ID(LINK_ALIGN), NULL, link, low);
	rule(r, !low && high, ID(LINK_WIDTH), NULL, link, high);
	rule(r, !low && !high, ID(LINK_NOT_NONE), NULL, link, 0);
}

/* ---- 27.3.1.6 PDPTEs ----------------------------------------------------- */

/* PAE paging outside IA-32e mode: with EPT the entry loads the four
 * PDPTEs from these fields and checks them (without EPT it reads them
 * through CR3 from guest memory, which is not in the snapshot). */
static void check_pdptes(struct run *r)
{
	static const char *const names[4] = {
		"PDPTE0", "PDPTE1", "PDPTE2", "PDPTE3",
	};
	const struct vmx_guest_snapshot *s = r->s;

	if (r->ia32e || !r->ept || !(s->cr0 & X86_CR0_PG) ||
	    !(s->cr4 & X86_CR4_PAE))
		return;
	for (unsigned i = 0; i < LEN(s->pdpte); i++) {
		uint64_t e = s->pdpte[i];
		uint64_t bad = (e & PDPTE_RESERVED_LOW) | beyond_phys(r, e);
		rule(r, (e & PDPTE_PRESENT) && bad, ID(PDPTE_RESERVED),
		     names[i], e, bad);
	}
}

/* ---- the entry point ----------------------------------------------------- */

/* Secondary controls count only with "activate secondary controls"
 * (25.6.2); "unrestricted guest" also needs the processor to have it. */
static void derive_facts(struct run *r)
{
	const struct vmx_guest_snapshot *s = r->s;
	uint32_t proc2 = (s->proc & PROC_ACTIVATE_SECONDARY) ? s->proc2 : 0;

	r->ia32e = s->entry & ENTRY_IA32E_MODE_GUEST;
	r->ug = (proc2 & PROC2_UNRESTRICTED_GUEST) &&
		s->unrestricted_guest_supported;
	r->ept = proc2 & PROC2_ENABLE_EPT;
	r->v86 = s->rflags & X86_RFLAGS_VM;
	r->injecting = s->entry_intr_info & INTR_INFO_VALID;
	r->inject_type = s->entry_intr_info & INTR_TYPE_MASK;
	/* Out-of-range widths would make shifts undefined: clamp them. */
	r->phys_bits = s->phys_addr_bits < 32 ? 32
		     : s->phys_addr_bits > 52 ? 52 : s->phys_addr_bits;
	r->linear_bits = s->linear_addr_bits < 32 ? 32
		       : s->linear_addr_bits > 64 ? 64 : s->linear_addr_bits;
}

int vmx_check_guest_state(const struct vmx_guest_snapshot *s,
			  struct vmx_guest_violation *out, int max)
{
	struct run r = { .s = s, .out = out, .max = out && max > 0 ? max : 0 };

	derive_facts(&r);
	check_control_and_msrs(&r);
	check_segments(&r);
	check_descriptor_tables(&r);
	check_rip_rflags(&r);
	check_activity(&r);
	check_interruptibility(&r);
	check_pending_debug(&r);
	check_link_pointer(&r);
	check_pdptes(&r);
	return r.found;
}

int vmx_format_guest_violation(char *buf, size_t len,
			       const struct vmx_guest_violation *v)
{
	if (v->bits)
		return volt_snprintf(buf, len,
				     "%s; value %#llx, bits %#llx (SDM %s)",
				     v->name, (unsigned long long)v->value,
				     (unsigned long long)v->bits, v->section);
	return volt_snprintf(buf, len, "%s; value %#llx (SDM %s)", v->name,
			     (unsigned long long)v->value, v->section);
}
