/*
 * CPUID filter (see cpuid_filter.h). Bit positions are from SDM vol. 2A,
 * CPUID, tables 3-8 ("Information Returned by CPUID"), 3-10 (leaf 1 ECX)
 * and 3-11 (leaf 1 EDX).
 *
 * The rule for hiding a feature: the guest must never be told about
 * something that would fault or misbehave under Volt. That is
 *   - an instruction that raises #UD in VMX non-root operation unless the
 *     backend sets a control (RDTSCP, RDPID, INVPCID, XSAVES, ...),
 *   - a feature whose MSRs Volt does not emulate: vmm/exit_msr.c raises
 *     #GP for every unknown MSR, so a guest that believed CPUID would take
 *     a #GP (thermal, HWP, APERF/MPERF, MCA, MTRR, PAT, debug store,
 *     performance monitoring, speculation control, ...),
 *   - processor state Volt does not switch between vCPUs (PKRU, AMX tiles,
 *     CET, and AVX/AVX-512 unless the policy says XSAVE is handled),
 *   - VMX itself (no nested virtualization) and SMX.
 * When Volt learns to emulate one of these, remove its bit from the hidden
 * set here (and say so next to the emulation).
 */
#include "vmm/cpuid_filter.h"

#define BIT(n) (1u << (n))

/* Leaves with something to filter. */
#define LEAF_FEATURES 0x1u
#define LEAF_CACHE_PARAMS 0x4u
#define LEAF_MWAIT 0x5u
#define LEAF_THERMAL_POWER 0x6u
#define LEAF_EXT_FEATURES 0x7u
#define LEAF_PERFMON 0xau
#define LEAF_TOPOLOGY 0xbu
#define LEAF_XSAVE 0xdu
#define LEAF_RDT_MONITORING 0xfu
#define LEAF_RDT_ALLOCATION 0x10u
#define LEAF_SGX 0x12u
#define LEAF_PROC_TRACE 0x14u
#define LEAF_KEY_LOCKER 0x19u
#define LEAF_PCONFIG 0x1bu
#define LEAF_TOPOLOGY_V2 0x1fu
#define LEAF_HV_LAST 0x4fffffffu /* the range reserved for hypervisors */
#define LEAF_EXT_BASE 0x80000000u
#define LEAF_EXT_FEATURES_1 0x80000001u

/* ---- leaf 1 ---------------------------------------------------------- */
/* EBX */
#define L1_EBX_LOGICAL_SHIFT 16		/* [23:16] logical processors */
#define L1_EBX_APIC_ID_SHIFT 24		/* [31:24] initial APIC ID */
#define L1_EBX_KEEP 0x0000ffffu		/* brand index, CLFLUSH size */
#define L1_FIELD_MAX 0xffu
/* ECX */
#define L1_ECX_DTES64 BIT(2)	/* debug store: IA32_DS_AREA not emulated */
#define L1_ECX_MONITOR BIT(3)	/* policy: mwait */
#define L1_ECX_DS_CPL BIT(4)	/* debug store */
#define L1_ECX_VMX BIT(5)	/* no nested VMX */
#define L1_ECX_SMX BIT(6)	/* GETSEC: no measured launch in a guest */
#define L1_ECX_EIST BIT(7)	/* IA32_PERF_CTL/STATUS not emulated */
#define L1_ECX_TM2 BIT(8)	/* thermal monitor MSRs not emulated */
#define L1_ECX_CNXT_ID BIT(10)	/* IA32_MISC_ENABLE bit 24 not emulated */
#define L1_ECX_SDBG BIT(11)	/* IA32_DEBUG_INTERFACE not emulated */
#define L1_ECX_FMA BIT(12)	/* VEX-encoded: needs AVX state */
#define L1_ECX_XTPR BIT(14)	/* xTPR update control (MISC_ENABLE) */
#define L1_ECX_PDCM BIT(15)	/* IA32_PERF_CAPABILITIES not emulated */
#define L1_ECX_DCA BIT(18)	/* direct cache access: platform MSR */
#define L1_ECX_X2APIC BIT(21)	/* policy: x2apic */
#define L1_ECX_TSC_DEADLINE BIT(24) /* policy: tsc_deadline */
#define L1_ECX_XSAVE BIT(26)	/* policy: xsave */
#define L1_ECX_OSXSAVE BIT(27)	/* mirrors the guest's CR4.OSXSAVE */
#define L1_ECX_AVX BIT(28)	/* policy: xsave */
#define L1_ECX_F16C BIT(29)	/* VEX-encoded: needs AVX state */
#define L1_ECX_HYPERVISOR BIT(31) /* always 0 on hardware: set for guests */
#define L1_ECX_HIDDEN (L1_ECX_DTES64 | L1_ECX_DS_CPL | L1_ECX_VMX | \
		       L1_ECX_SMX | L1_ECX_EIST | L1_ECX_TM2 | \
		       L1_ECX_CNXT_ID | L1_ECX_SDBG | L1_ECX_XTPR | \
		       L1_ECX_PDCM | L1_ECX_DCA)
#define L1_ECX_NEEDS_XSAVE (L1_ECX_XSAVE | L1_ECX_AVX | L1_ECX_FMA | \
			    L1_ECX_F16C)
/* EDX */
#define L1_EDX_MCE BIT(7)	/* machine check MSRs not emulated */
#define L1_EDX_MTRR BIT(12)	/* MTRR MSRs not emulated */
#define L1_EDX_MCA BIT(14)	/* MCG_CAP and the bank MSRs */
#define L1_EDX_PAT BIT(16)	/* IA32_PAT not emulated yet */
#define L1_EDX_DS BIT(21)	/* debug store */
#define L1_EDX_ACPI BIT(22)	/* thermal monitor, clock modulation MSRs */
#define L1_EDX_HTT BIT(28)	/* EBX[23:16] is valid: set for vcpus > 1 */
#define L1_EDX_TM BIT(29)	/* thermal monitor */
#define L1_EDX_PBE BIT(31)	/* pending break enable (MISC_ENABLE) */
#define L1_EDX_HIDDEN (L1_EDX_MCE | L1_EDX_MTRR | L1_EDX_MCA | L1_EDX_PAT | \
		       L1_EDX_DS | L1_EDX_ACPI | L1_EDX_TM | L1_EDX_PBE)

/* ---- leaf 4: deterministic cache parameters -------------------------- */
#define L4_EAX_TYPE_MASK 0x1fu			/* 0: no more caches */
#define L4_EAX_LEVEL(eax) (((eax) >> 5) & 7u)
#define L4_EAX_SHARING_SHIFT 14			/* [25:14] sharing IDs - 1 */
#define L4_EAX_CORES_SHIFT 26			/* [31:26] cores - 1 */
#define L4_EAX_KEEP 0x00003fffu			/* type, level, flags */
#define L4_SHARING_MAX 0xfffu
#define L4_CORES_MAX 0x3fu
#define L4_SHARED_LEVEL 3 /* the last-level cache spans the package */

/* ---- leaf 6: thermal and power management ---------------------------- */
/*
 * Only ARAT (EAX bit 2: the APIC timer keeps running in deep C-states) is
 * kept. Hidden: digital thermal sensor (0), turbo (1), power limit
 * notification (4), clock modulation duty (5), package thermal (6), HWP
 * and its notification, activity window, EPP, package request (7-11),
 * HDC (13), turbo boost max 3.0 (14), the later HWP and hardware feedback
 * bits (15-23); EBX (thermal thresholds); ECX bit 0 (APERF/MPERF: they do
 * not count in the emulators and are not emulated) and bit 3
 * (IA32_ENERGY_PERF_BIAS); EDX (hardware feedback). Every one of them is an
 * MSR interface Volt's exit_msr.c would answer with #GP. The power
 * management work decides which of these a guest gets later.
 */
#define L6_EAX_ARAT BIT(2)

/* ---- leaf 7 subleaf 0: structured extended features ------------------ */
/* EBX */
#define L7_EBX_TSC_ADJUST BIT(1)	/* IA32_TSC_ADJUST not emulated */
#define L7_EBX_SGX BIT(2)		/* ENCLS/EPC not virtualized */
#define L7_EBX_AVX2 BIT(5)		/* needs AVX state */
#define L7_EBX_INVPCID BIT(10)		/* policy: invpcid */
#define L7_EBX_RDT_M BIT(12)		/* resource monitoring MSRs */
#define L7_EBX_MPX BIT(14)		/* BNDCFGS/BND state not switched */
#define L7_EBX_RDT_A BIT(15)		/* resource allocation MSRs */
#define L7_EBX_AVX512F BIT(16)
#define L7_EBX_AVX512DQ BIT(17)
#define L7_EBX_AVX512IFMA BIT(21)
#define L7_EBX_INTEL_PT BIT(25)		/* processor trace MSRs */
#define L7_EBX_AVX512PF BIT(26)
#define L7_EBX_AVX512ER BIT(27)
#define L7_EBX_AVX512CD BIT(28)
#define L7_EBX_AVX512BW BIT(30)
#define L7_EBX_AVX512VL BIT(31)
#define L7_EBX_HIDDEN (L7_EBX_TSC_ADJUST | L7_EBX_SGX | L7_EBX_RDT_M | \
		       L7_EBX_MPX | L7_EBX_RDT_A | L7_EBX_INTEL_PT)
#define L7_EBX_NEEDS_XSAVE (L7_EBX_AVX2 | L7_EBX_AVX512F | L7_EBX_AVX512DQ | \
			    L7_EBX_AVX512IFMA | L7_EBX_AVX512PF | \
			    L7_EBX_AVX512ER | L7_EBX_AVX512CD | \
			    L7_EBX_AVX512BW | L7_EBX_AVX512VL)
/* ECX */
#define L7_ECX_AVX512VBMI BIT(1)
#define L7_ECX_PKU BIT(3)		/* PKRU not switched between vCPUs */
#define L7_ECX_OSPKE BIT(4)
#define L7_ECX_WAITPKG BIT(5)		/* UMWAIT/TPAUSE: a guest could pick
					 * power states behind the scheduler;
					 * IA32_UMWAIT_CONTROL not emulated */
#define L7_ECX_AVX512VBMI2 BIT(6)
#define L7_ECX_CET_SS BIT(7)		/* CET state not in Volt's VMCS setup */
#define L7_ECX_VAES BIT(9)		/* VEX/EVEX-encoded */
#define L7_ECX_VPCLMULQDQ BIT(10)	/* VEX/EVEX-encoded */
#define L7_ECX_AVX512VNNI BIT(11)
#define L7_ECX_AVX512BITALG BIT(12)
#define L7_ECX_TME BIT(13)		/* memory encryption MSRs */
#define L7_ECX_AVX512VPOPCNTDQ BIT(14)
#define L7_ECX_RDPID BIT(22)		/* policy: rdtscp (#UD otherwise) */
#define L7_ECX_KEY_LOCKER BIT(23)	/* LOADIWKEY, IWKey state */
#define L7_ECX_ENQCMD BIT(29)		/* IA32_PASID not emulated */
#define L7_ECX_SGX_LC BIT(30)
#define L7_ECX_PKS BIT(31)		/* IA32_PKRS not emulated */
#define L7_ECX_HIDDEN (L7_ECX_PKU | L7_ECX_OSPKE | L7_ECX_WAITPKG | \
		       L7_ECX_CET_SS | L7_ECX_TME | L7_ECX_KEY_LOCKER | \
		       L7_ECX_ENQCMD | L7_ECX_SGX_LC | L7_ECX_PKS)
#define L7_ECX_NEEDS_XSAVE (L7_ECX_AVX512VBMI | L7_ECX_AVX512VBMI2 | \
			    L7_ECX_VAES | L7_ECX_VPCLMULQDQ | \
			    L7_ECX_AVX512VNNI | L7_ECX_AVX512BITALG | \
			    L7_ECX_AVX512VPOPCNTDQ)
/* EDX */
#define L7_EDX_AVX512_4VNNIW BIT(2)
#define L7_EDX_AVX512_4FMAPS BIT(3)
#define L7_EDX_UINTR BIT(5)		/* user interrupts: MSRs and state */
#define L7_EDX_AVX512_VP2INTERSECT BIT(8)
#define L7_EDX_SRBDS_CTRL BIT(9)	/* IA32_MCU_OPT_CTRL not emulated */
#define L7_EDX_TSX_FORCE_ABORT BIT(13)	/* MSR_TSX_FORCE_ABORT */
#define L7_EDX_PCONFIG BIT(18)
#define L7_EDX_ARCH_LBR BIT(19)		/* LBR MSRs */
#define L7_EDX_CET_IBT BIT(20)
#define L7_EDX_AMX_BF16 BIT(22)		/* AMX: tile state not switched */
#define L7_EDX_AVX512_FP16 BIT(23)
#define L7_EDX_AMX_TILE BIT(24)
#define L7_EDX_AMX_INT8 BIT(25)
#define L7_EDX_IBRS_IBPB BIT(26)	/* IA32_SPEC_CTRL, IA32_PRED_CMD */
#define L7_EDX_STIBP BIT(27)		/* IA32_SPEC_CTRL */
#define L7_EDX_L1D_FLUSH BIT(28)	/* IA32_FLUSH_CMD */
#define L7_EDX_ARCH_CAPABILITIES BIT(29) /* IA32_ARCH_CAPABILITIES */
#define L7_EDX_CORE_CAPABILITIES BIT(30) /* IA32_CORE_CAPABILITIES */
#define L7_EDX_SSBD BIT(31)		/* IA32_SPEC_CTRL */
#define L7_EDX_HIDDEN (L7_EDX_UINTR | L7_EDX_SRBDS_CTRL | \
		       L7_EDX_TSX_FORCE_ABORT | L7_EDX_PCONFIG | \
		       L7_EDX_ARCH_LBR | L7_EDX_CET_IBT | L7_EDX_AMX_BF16 | \
		       L7_EDX_AMX_TILE | L7_EDX_AMX_INT8 | L7_EDX_IBRS_IBPB | \
		       L7_EDX_STIBP | L7_EDX_L1D_FLUSH | \
		       L7_EDX_ARCH_CAPABILITIES | L7_EDX_CORE_CAPABILITIES | \
		       L7_EDX_SSBD)
#define L7_EDX_NEEDS_XSAVE (L7_EDX_AVX512_4VNNIW | L7_EDX_AVX512_4FMAPS | \
			    L7_EDX_AVX512_VP2INTERSECT | L7_EDX_AVX512_FP16)

/* ---- leaves 0xB / 0x1F: extended topology ---------------------------- */
#define TOPO_LEVEL_SMT 0u
#define TOPO_LEVEL_CORE 1u
#define TOPO_TYPE_SMT 1u
#define TOPO_TYPE_CORE 2u
#define TOPO_ECX_TYPE_SHIFT 8
#define TOPO_ECX_LEVEL_MASK 0xffu

/* ---- leaf 0xD: XSAVE ------------------------------------------------- */
#define XSAVE_MAIN 0u
#define XSAVE_EXT 1u
#define XSAVE_FIRST_COMPONENT 2u
#define XSAVE_COMPONENTS 64u
/* XCR0 components a guest may enable: x87 (0), SSE (1), AVX (2), AVX-512
 * opmask, ZMM_Hi256, Hi16_ZMM (5-7). Not MPX (3-4), PKRU (9), AMX (17-18). */
#define XCR0_GUEST_MASK (BIT(0) | BIT(1) | BIT(2) | BIT(5) | BIT(6) | BIT(7))
#define XSAVE_EXT_EAX_XSAVES BIT(3)	/* #UD unless the backend enables it */
#define XSAVE_EXT_EAX_XFD BIT(4)	/* IA32_XFD not emulated */

/* ---- leaf 0x80000001 ------------------------------------------------- */
#define E1_EDX_RDTSCP BIT(27)		/* policy: rdtscp (#UD otherwise) */

static void zero(struct cpuid_result *r)
{
	r->eax = r->ebx = r->ecx = r->edx = 0;
}

static uint32_t vcpus(const struct cpuid_policy *p)
{
	return p->vcpu_count ? p->vcpu_count : 1;
}

static uint32_t clamp(uint32_t v, uint32_t max)
{
	return v < max ? v : max;
}

/* Bits needed to number n things: 0 for 1, 1 for 2, 2 for 3 or 4, ... */
static uint32_t id_bits(uint32_t n)
{
	uint32_t bits = 0;
	while (bits < 32 && (1ull << bits) < n)
		bits++;
	return bits;
}

static uint32_t set_if(uint32_t reg, uint32_t bits, bool on)
{
	return on ? reg | bits : reg & ~bits;
}

static void filter_features(struct cpuid_result *r,
			    const struct cpuid_policy *p)
{
	uint32_t n = vcpus(p);

	r->ebx = (r->ebx & L1_EBX_KEEP) |
		 clamp(n, L1_FIELD_MAX) << L1_EBX_LOGICAL_SHIFT |
		 (p->vcpu_id & L1_FIELD_MAX) << L1_EBX_APIC_ID_SHIFT;

	r->ecx &= ~L1_ECX_HIDDEN;
	if (!p->mwait)
		r->ecx &= ~L1_ECX_MONITOR;
	/* x2APIC and TSC-deadline describe the virtual LAPIC, not the host's:
	 * the policy alone decides. */
	r->ecx = set_if(r->ecx, L1_ECX_X2APIC, p->x2apic);
	r->ecx = set_if(r->ecx, L1_ECX_TSC_DEADLINE, p->tsc_deadline);
	if (!p->xsave)
		r->ecx &= ~L1_ECX_NEEDS_XSAVE;
	/* OSXSAVE reflects the CR4 of whoever executes CPUID: here the host,
	 * so it is replaced by the guest's own bit. */
	r->ecx = set_if(r->ecx, L1_ECX_OSXSAVE,
			p->xsave && p->guest_osxsave && (r->ecx & L1_ECX_XSAVE));
	r->ecx |= L1_ECX_HYPERVISOR;

	r->edx &= ~L1_EDX_HIDDEN;
	r->edx = set_if(r->edx, L1_EDX_HTT, n > 1);
}

/* Cache sharing: each vCPU is a core with one thread; the last-level
 * cache is shared by every vCPU, the others are private. */
static void filter_cache_params(struct cpuid_result *r,
				const struct cpuid_policy *p)
{
	uint32_t n = vcpus(p);

	if (!(r->eax & L4_EAX_TYPE_MASK))
		return; /* the "no more caches" subleaf */
	uint32_t sharing = L4_EAX_LEVEL(r->eax) >= L4_SHARED_LEVEL ? n - 1 : 0;
	r->eax = (r->eax & L4_EAX_KEEP) |
		 clamp(sharing, L4_SHARING_MAX) << L4_EAX_SHARING_SHIFT |
		 clamp(n - 1, L4_CORES_MAX) << L4_EAX_CORES_SHIFT;
}

static void filter_mwait(struct cpuid_result *r, const struct cpuid_policy *p)
{
	if (!p->mwait)
		zero(r);
}

static void filter_thermal_power(struct cpuid_result *r)
{
	r->eax &= L6_EAX_ARAT;
	r->ebx = r->ecx = r->edx = 0;
}

/* Only subleaf 0 is offered; EAX (the last subleaf) says so. */
static void filter_ext_features(uint32_t subleaf, struct cpuid_result *r,
				const struct cpuid_policy *p)
{
	if (subleaf != 0) {
		zero(r);
		return;
	}
	r->eax = 0;
	r->ebx &= ~L7_EBX_HIDDEN;
	r->ecx &= ~L7_ECX_HIDDEN;
	r->edx &= ~L7_EDX_HIDDEN;
	if (!p->xsave) {
		r->ebx &= ~L7_EBX_NEEDS_XSAVE;
		r->ecx &= ~L7_ECX_NEEDS_XSAVE;
		r->edx &= ~L7_EDX_NEEDS_XSAVE;
	}
	if (!p->invpcid)
		r->ebx &= ~L7_EBX_INVPCID;
	if (!p->rdtscp)
		r->ecx &= ~L7_ECX_RDPID;
}

/*
 * A synthetic topology: level 0 is SMT with one thread per core, level 1
 * the cores (the vCPUs) of one package. EDX is the x2APIC ID at every
 * subleaf, including the invalid ones (SDM: "EDX bits 31:0 ... x2APIC ID
 * of the current logical processor" for any ECX).
 */
static void filter_topology(uint32_t subleaf, struct cpuid_result *r,
			    const struct cpuid_policy *p)
{
	uint32_t n = vcpus(p);
	uint32_t level = subleaf & TOPO_ECX_LEVEL_MASK;

	zero(r);
	r->ecx = level;
	r->edx = p->vcpu_id;
	if (level == TOPO_LEVEL_SMT) {
		r->eax = 0;
		r->ebx = 1;
		r->ecx |= TOPO_TYPE_SMT << TOPO_ECX_TYPE_SHIFT;
	} else if (level == TOPO_LEVEL_CORE) {
		r->eax = id_bits(n);
		r->ebx = n;
		r->ecx |= TOPO_TYPE_CORE << TOPO_ECX_TYPE_SHIFT;
	}
}

/*
 * Without XSAVE support the whole leaf is zero. With it, only the XCR0
 * components in XCR0_GUEST_MASK are offered, and no supervisor (XSS)
 * components since XSAVES is hidden. Sizes in EBX/ECX of subleaf 0 are the
 * host's: EBX follows the XCR0 loaded when CPUID ran (the guest's, if the
 * backend keeps it loaded), ECX may be larger than needed, which is safe.
 */
static void filter_xsave(uint32_t subleaf, struct cpuid_result *r,
			 const struct cpuid_policy *p)
{
	if (!p->xsave) {
		zero(r);
		return;
	}
	if (subleaf == XSAVE_MAIN) {
		r->eax &= XCR0_GUEST_MASK;
		r->edx = 0; /* XCR0 bits 63:32 */
	} else if (subleaf == XSAVE_EXT) {
		r->eax &= ~(XSAVE_EXT_EAX_XSAVES | XSAVE_EXT_EAX_XFD);
		r->ecx = r->edx = 0; /* IA32_XSS bits */
	} else if (subleaf >= XSAVE_COMPONENTS ||
		   !(XCR0_GUEST_MASK & (1ull << subleaf))) {
		zero(r);
	}
}

static void fill_hypervisor(uint32_t leaf, struct cpuid_result *r)
{
	zero(r);
	if (leaf == CPUID_HV_BASE) {
		r->eax = CPUID_HV_MAX;
		r->ebx = r->ecx = r->edx = CPUID_HV_SIGNATURE;
	}
	/* CPUID_HV_MAX (Volt's feature bits) and the rest: none yet. */
}

/*
 * The leaf the processor actually answered. SDM vol. 2A, CPUID: "If a value
 * entered for CPUID.EAX is higher than the maximum input value for basic or
 * extended function for that processor then the data for the highest basic
 * information leaf is returned." The host did just that, so r already holds
 * the highest basic leaf and must be filtered as that leaf.
 */
static uint32_t effective_leaf(uint32_t leaf, const struct cpuid_policy *p)
{
	if (leaf <= p->host_max_basic)
		return leaf;
	if (leaf >= CPUID_HV_BASE && leaf <= LEAF_HV_LAST)
		return leaf;
	if (leaf >= LEAF_EXT_BASE && leaf <= p->host_max_ext)
		return leaf;
	return p->host_max_basic;
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r,
		  const struct cpuid_policy *p)
{
	leaf = effective_leaf(leaf, p);
	if (leaf >= CPUID_HV_BASE && leaf <= LEAF_HV_LAST) {
		fill_hypervisor(leaf, r);
		return;
	}
	switch (leaf) {
	case LEAF_FEATURES:
		filter_features(r, p);
		break;
	case LEAF_CACHE_PARAMS:
		filter_cache_params(r, p);
		break;
	case LEAF_MWAIT:
		filter_mwait(r, p);
		break;
	case LEAF_THERMAL_POWER:
		filter_thermal_power(r);
		break;
	case LEAF_EXT_FEATURES:
		filter_ext_features(subleaf, r, p);
		break;
	case LEAF_TOPOLOGY:
	case LEAF_TOPOLOGY_V2:
		filter_topology(subleaf, r, p);
		break;
	case LEAF_XSAVE:
		filter_xsave(subleaf, r, p);
		break;
	case LEAF_PERFMON:	/* no virtual PMU: version 0 */
	case LEAF_RDT_MONITORING:
	case LEAF_RDT_ALLOCATION:
	case LEAF_SGX:
	case LEAF_PROC_TRACE:
	case LEAF_KEY_LOCKER:
	case LEAF_PCONFIG:	/* the features these describe are hidden */
		zero(r);
		break;
	case LEAF_EXT_FEATURES_1:
		if (!p->rdtscp)
			r->edx &= ~E1_EDX_RDTSCP;
		break;
	default:
		/* Vendor, cache/TLB descriptors, TSC and frequency leaves,
		 * brand string, address sizes: the host's values. */
		break;
	}
}
