/*
 * The guest CPU model (see cpuid_filter.h and docs/cpu-model.md). Bit
 * positions are from SDM vol. 2A, CPUID, tables 3-8 ("Information Returned
 * by CPUID"), 3-10 (leaf 1 ECX), 3-11 (leaf 1 EDX); leaf 7 and the later
 * leaves from the same instruction's description.
 *
 * The rule: a guest sees a feature only if Volt reviewed it and it works
 * under Volt. Each register below has an allow-list; a bit nobody listed
 * (including every bit a future processor defines) stays hidden, and so
 * does every leaf nobody listed. Features are hidden when
 *   - their MSRs are not emulated: vmm/msr_emul.c answers #GP, so a guest
 *     believing CPUID would take a #GP ("unchecked MSR access error" in
 *     Linux): MCE/MCA, debug store, thermal, EIST/HWP, APERF/MPERF, PMU,
 *     TSC_ADJUST, speculation control, PT, RDT, SGX, CET, UINTR, ...;
 *   - the instruction raises #UD in VMX non-root operation unless the
 *     backend sets a control (RDTSCP, RDPID, INVPCID, XSAVES, ...);
 *   - Volt does not switch the state between vCPUs (AVX/AVX-512 unless
 *     the policy says XSAVE is handled, PKRU, AMX tiles);
 *   - Volt's own code could not follow the guest (5-level paging: the
 *     page walker behind MMIO emulation, vmm/guest_walk.c, refuses it);
 *   - it is VMX or SMX (no nested virtualization, no measured launch).
 * MTRRs (emulated, msr_emul.c) and PAT (owned by the backend) are shown.
 * When Volt learns a hidden feature, move its bit to the allowed set and
 * say so next to the emulation.
 */
#include "vmm/cpuid_filter.h"

#define BIT(n) (1u << (n))

/* ---- leaves ------------------------------------------------------------ */
#define LEAF_MAX_BASIC 0x0u
#define LEAF_FEATURES 0x1u
#define LEAF_CACHE_DESCRIPTORS 0x2u
#define LEAF_CACHE_PARAMS 0x4u
#define LEAF_MWAIT 0x5u
#define LEAF_THERMAL_POWER 0x6u
#define LEAF_EXT_FEATURES 0x7u
#define LEAF_TOPOLOGY 0xbu
#define LEAF_XSAVE 0xdu
#define LEAF_TSC 0x15u
#define LEAF_FREQ 0x16u
#define LEAF_TLB 0x18u
#define LEAF_TOPOLOGY_V2 0x1fu
#define LEAF_EXT_MAX CPUID_EXT_BASE
#define LEAF_EXT_FEATURES_1 0x80000001u
#define LEAF_BRAND_FIRST 0x80000002u
#define LEAF_BRAND_LAST 0x80000004u
#define LEAF_EXT_L1_CACHE 0x80000005u
#define LEAF_EXT_L2_CACHE 0x80000006u
#define LEAF_EXT_POWER 0x80000007u
#define LEAF_EXT_ADDRESS 0x80000008u

/*
 * ---- leaf 1 ---------------------------------------------------------------
 * EAX (family/model/stepping): the host's. EBX: CLFLUSH size and brand
 * index kept; [23:16] logical processors and [31:24] initial APIC ID are
 * the VM's.
 *
 * ECX  bit  feature       guest sees
 *       0   SSE3          host
 *       1   PCLMULQDQ     host
 *       2   DTES64        no: debug store (IA32_DS_AREA) not emulated
 *       3   MONITOR       host, if policy.mwait
 *       4   DS-CPL        no: debug store
 *       5   VMX           no: no nested virtualization
 *       6   SMX           no: GETSEC, no measured launch in a guest
 *       7   EIST          policy.pstates (virtual P-states, later)
 *       8   TM2           no: thermal monitor MSRs not emulated
 *       9   SSSE3         host
 *      10   CNXT-ID       no: MISC_ENABLE bit 24 not emulated
 *      11   SDBG          no: IA32_DEBUG_INTERFACE not emulated
 *      12   FMA           host, if policy.xsave (VEX: AVX state)
 *      13   CMPXCHG16B    host
 *      14   xTPR          no: xTPR update control (MISC_ENABLE)
 *      15   PDCM          no: IA32_PERF_CAPABILITIES not emulated
 *      17   PCID          host (CR4.PCIDE works in VMX non-root)
 *      18   DCA           no: direct cache access, a platform MSR
 *      19   SSE4.1        host
 *      20   SSE4.2        host
 *      21   x2APIC        policy.x2apic (describes the virtual LAPIC)
 *      22   MOVBE         host
 *      23   POPCNT        host
 *      24   TSC-deadline  policy.tsc_deadline (the virtual LAPIC timer)
 *      25   AES           host
 *      26   XSAVE         host, if policy.xsave (XSETBV handled)
 *      27   OSXSAVE       the guest's CR4.OSXSAVE (host's would leak)
 *      28   AVX           host, if policy.xsave
 *      29   F16C          host, if policy.xsave (VEX)
 *      30   RDRAND        host
 *      31   hypervisor    always set: Linux then skips the TSC-deadline
 *                         microcode check and the microcode loader
 *   16 is reserved: hidden.
 */
#define L1_EBX_LOGICAL_SHIFT 16
#define L1_EBX_APIC_ID_SHIFT 24
#define L1_EBX_KEEP 0x0000ffffu
#define L1_FIELD_MAX 0xffu
#define L1_ECX_MONITOR BIT(3)
#define L1_ECX_EIST BIT(7)
#define L1_ECX_FMA BIT(12)
#define L1_ECX_X2APIC BIT(21)
#define L1_ECX_TSC_DEADLINE BIT(24)
#define L1_ECX_XSAVE CPUID_1_ECX_XSAVE
#define L1_ECX_OSXSAVE CPUID_1_ECX_OSXSAVE
#define L1_ECX_AVX BIT(28)
#define L1_ECX_F16C BIT(29)
#define L1_ECX_HYPERVISOR BIT(31)
#define L1_ECX_ALLOWED (BIT(0) | BIT(1) | BIT(9) | BIT(13) | BIT(17) | \
			BIT(19) | BIT(20) | BIT(22) | BIT(23) | BIT(25) | \
			BIT(30))
#define L1_ECX_NEEDS_XSAVE (L1_ECX_XSAVE | L1_ECX_AVX | L1_ECX_FMA | \
			    L1_ECX_F16C)
/*
 * EDX  bit  feature       guest sees
 *       0   FPU           host
 *       1   VME           host
 *       2   DE            host
 *       3   PSE           host
 *       4   TSC           host (RDTSC runs natively; MSR 0x10 emulated)
 *       5   MSR           host
 *       6   PAE           host
 *       7   MCE           no: no machine-check MSRs (MCG_CAP reads 0)
 *       8   CX8           host
 *       9   APIC          policy.lapic (the virtual LAPIC)
 *      11   SEP           host (SYSENTER MSRs: the backend's)
 *      12   MTRR          host: MTRRs emulated (msr_emul.c)
 *      13   PGE           host
 *      14   MCA           no: no banks
 *      15   CMOV          host
 *      16   PAT           host: IA32_PAT is the backend's (VMCS field)
 *      17   PSE-36        host
 *      18   PSN           no: leaf 3 is not offered
 *      19   CLFSH         host
 *      21   DS            no: debug store
 *      22   ACPI          no: thermal monitor and clock modulation MSRs
 *      23   MMX           host
 *      24   FXSR          host
 *      25   SSE           host
 *      26   SSE2          host
 *      27   SS            host
 *      28   HTT           set when the VM has more than one vCPU
 *      29   TM            no: thermal monitor
 *      31   PBE           no: pending break enable (MISC_ENABLE)
 *   10, 20, 30 are reserved: hidden.
 */
#define L1_EDX_APIC BIT(9)
#define L1_EDX_HTT BIT(28)
#define L1_EDX_ALLOWED (BIT(0) | BIT(1) | BIT(2) | BIT(3) | BIT(4) | \
			BIT(5) | BIT(6) | BIT(8) | BIT(11) | BIT(12) | \
			BIT(13) | BIT(15) | BIT(16) | BIT(17) | BIT(19) | \
			BIT(23) | BIT(24) | BIT(25) | BIT(26) | BIT(27))

/* ---- leaf 4: deterministic cache parameters ---------------------------- */
#define L4_EAX_TYPE_MASK 0x1fu			/* 0: no more caches */
#define L4_EAX_LEVEL(eax) (((eax) >> 5) & 7u)
#define L4_EAX_SHARING_SHIFT 14			/* [25:14] sharing IDs - 1 */
#define L4_EAX_CORES_SHIFT 26			/* [31:26] cores - 1 */
#define L4_EAX_KEEP 0x00003fffu			/* type, level, flags */
#define L4_SHARING_MAX 0xfffu
#define L4_CORES_MAX 0x3fu
#define L4_SHARED_LEVEL 3 /* the last-level cache spans the package */

/*
 * ---- leaf 6: thermal and power management ------------------------------
 * Only ARAT (EAX bit 2: the APIC timer keeps running in deep C-states) is
 * kept: Volt's timers keep running while a guest idles. Hidden: digital
 * thermal sensor (0), turbo (1), power limit notification (4), clock
 * modulation (5), package thermal (6), HWP and its notification, activity
 * window, EPP, package request (7-11), HDC (13), turbo boost max 3.0 (14)
 * and the later HWP/feedback bits; EBX (thermal thresholds); ECX bit 0
 * (APERF/MPERF: not emulated; Linux would read them every tick) and bit 3
 * (IA32_ENERGY_PERF_BIAS); EDX (hardware feedback). All are MSR interfaces.
 */
#define L6_EAX_ARAT BIT(2)

/*
 * ---- leaf 7 subleaf 0: structured extended features --------------------
 * EAX (the highest subleaf) is 0: subleaves 1 and 2 are not offered
 * (AVX-VNNI, HRESET, LAM, PPIN, BHI_CTRL, ...: all zero).
 *
 * EBX  bit  feature           guest sees
 *       0   FSGSBASE          host
 *       1   TSC_ADJUST        no: IA32_TSC_ADJUST not emulated
 *       2   SGX               no: ENCLS/EPC not virtualized
 *       3   BMI1              host
 *       4   HLE               host (TSX runs in the guest)
 *       5   AVX2              host, if policy.xsave
 *       6   FDP_EXCPTN_ONLY   host
 *       7   SMEP              host
 *       8   BMI2              host
 *       9   ERMS              host
 *      10   INVPCID           host, if policy.invpcid
 *      11   RTM               host
 *      12   RDT-M             no: resource monitoring MSRs
 *      13   FPU CS/DS deprec. host
 *      14   MPX               no: BNDCFGS and bound registers not switched
 *      15   RDT-A             no: resource allocation MSRs
 *      16   AVX512F           host, if policy.xsave (also 17 DQ, 21 IFMA,
 *                             26 PF, 27 ER, 28 CD, 30 BW, 31 VL)
 *      18   RDSEED            host
 *      19   ADX               host
 *      20   SMAP              host
 *      22   (PCOMMIT, gone)   no
 *      23   CLFLUSHOPT        host
 *      24   CLWB              host
 *      25   Intel PT          no: trace MSRs
 *      29   SHA               host
 */
#define L7_EBX_INVPCID BIT(10)
#define L7_EBX_ALLOWED (BIT(0) | BIT(3) | BIT(4) | BIT(6) | BIT(7) | \
			BIT(8) | BIT(9) | BIT(11) | BIT(13) | BIT(18) | \
			BIT(19) | BIT(20) | BIT(23) | BIT(24) | BIT(29))
#define L7_EBX_NEEDS_XSAVE (BIT(5) | BIT(16) | BIT(17) | BIT(21) | \
			    BIT(26) | BIT(27) | BIT(28) | BIT(30) | BIT(31))
/*
 * ECX  bit  feature           guest sees
 *       0   PREFETCHWT1       host
 *       1   AVX512_VBMI       host, if policy.xsave (also 6 VBMI2, 9 VAES,
 *                             10 VPCLMULQDQ, 11 VNNI, 12 BITALG,
 *                             14 VPOPCNTDQ)
 *       2   UMIP              host (CR4.UMIP works in VMX non-root)
 *       3   PKU               no: PKRU not switched between vCPUs
 *       4   OSPKE             no
 *       5   WAITPKG           no: UMWAIT/TPAUSE would pick power states
 *                             behind the scheduler; UMWAIT_CONTROL
 *       7   CET_SS            no: CET state not in Volt's VMCS setup
 *       8   GFNI              host
 *      13   TME               no: memory encryption MSRs
 *      16   LA57              no: vmm/guest_walk.c (MMIO emulation)
 *                             walks 4-level guest page tables only
 *   17-21   MAWAU             no: belongs to MPX
 *      22   RDPID             host, if policy.rdtscp (#UD otherwise)
 *      23   Key Locker        no: IWKey state
 *      24   BUS_LOCK_DETECT   no: DEBUGCTL bit 2, not allowed by the backend
 *      25   CLDEMOTE          host
 *      27   MOVDIRI           host
 *      28   MOVDIR64B         host
 *      29   ENQCMD            no: IA32_PASID
 *      30   SGX_LC            no
 *      31   PKS               no: IA32_PKRS
 */
#define L7_ECX_RDPID BIT(22)
#define L7_ECX_ALLOWED (BIT(0) | BIT(2) | BIT(8) | BIT(25) | BIT(27) | \
			BIT(28))
#define L7_ECX_NEEDS_XSAVE (BIT(1) | BIT(6) | BIT(9) | BIT(10) | BIT(11) | \
			    BIT(12) | BIT(14))
/*
 * EDX  bit  feature           guest sees
 *       2   AVX512_4VNNIW     host, if policy.xsave (also 3 4FMAPS,
 *                             8 VP2INTERSECT, 23 AVX512_FP16)
 *       4   FSRM              host
 *       5   UINTR             no: user-interrupt MSRs and state
 *       9   SRBDS_CTRL        no: IA32_MCU_OPT_CTRL
 *      10   MD_CLEAR          host (VERW clears buffers: no MSR)
 *      11   RTM_ALWAYS_ABORT  host (Linux then also wants TSX_FORCE_ABORT,
 *                             which stays hidden, so it touches no MSR)
 *      13   TSX_FORCE_ABORT   no: the MSR
 *      14   SERIALIZE         host
 *      15   HYBRID            no: a vCPU may run on either core type
 *      16   TSXLDTRK          host
 *      18   PCONFIG           no
 *      19   ARCH_LBR          no: LBR MSRs
 *      20   CET_IBT           no
 *   22,24,25 AMX              no: tile state not switched
 *      26   IBRS/IBPB         no: IA32_SPEC_CTRL, IA32_PRED_CMD not
 *      27   STIBP             no  emulated (Linux then reads SPEC_CTRL
 *      28   L1D_FLUSH         no  with a non-safe rdmsr); IA32_FLUSH_CMD,
 *      29   ARCH_CAPABILITIES no  IA32_ARCH_CAPABILITIES, CORE_CAPABILITIES:
 *      30   CORE_CAPABILITIES no  hidden until Volt emulates them (Linux
 *      31   SSBD              no  assumes the vulnerable defaults)
 */
#define L7_EDX_ALLOWED (BIT(4) | BIT(10) | BIT(11) | BIT(14) | BIT(16))
#define L7_EDX_NEEDS_XSAVE (BIT(2) | BIT(3) | BIT(8) | BIT(23))

/* ---- leaves 0xB / 0x1F: extended topology ------------------------------ */
#define TOPO_LEVEL_SMT 0u
#define TOPO_LEVEL_CORE 1u
#define TOPO_TYPE_SMT 1u
#define TOPO_TYPE_CORE 2u
#define TOPO_ECX_TYPE_SHIFT 8
#define TOPO_ECX_LEVEL_MASK 0xffu

/* ---- leaf 0xD: XSAVE --------------------------------------------------- */
#define XSAVE_MAIN 0u
#define XSAVE_EXT 1u
#define XSAVE_COMPONENTS 64u
/* XCR0 components a guest may enable: x87 (0), SSE (1), AVX (2), AVX-512
 * opmask, ZMM_Hi256, Hi16_ZMM (5-7). Not MPX (3-4), PKRU (9), AMX (17-18). */
#define XCR0_GUEST_MASK (BIT(0) | BIT(1) | BIT(2) | BIT(5) | BIT(6) | BIT(7))
#define XSAVE_EXT_EAX_XSAVES BIT(3)	/* #UD unless the backend enables it */
#define XSAVE_EXT_EAX_XFD BIT(4)	/* IA32_XFD not emulated */

/* ---- leaves 0x15 / 0x16: TSC and frequencies --------------------------- */
#define HZ_PER_KHZ 1000u
#define HZ_PER_MHZ 1000000u
#define FREQ_MHZ_MASK 0xffffu
#define SYNTH_CRYSTAL_MAX_HZ 25000000u	/* a Skylake server's crystal */
#define SYNTH_CRYSTAL_MIN_HZ 1000000u
#define SYNTH_BUS_MHZ 100u

/* ---- extended leaves --------------------------------------------------- */
/* 0x80000001 ECX: LAHF/SAHF (0), LZCNT (5), PREFETCHW (8): all an Intel
 * processor defines. EDX: SYSCALL (11), NX (20), 1-GByte pages (26),
 * RDTSCP (27, policy.rdtscp), long mode (29). */
#define E1_ECX_ALLOWED (BIT(0) | BIT(5) | BIT(8))
#define E1_EDX_RDTSCP BIT(27)
#define E1_EDX_ALLOWED (BIT(11) | BIT(20) | BIT(26) | BIT(29))
/* 0x80000007 EDX bit 8: invariant TSC. Volt's guest TSC is the host's
 * invariant TSC (no offset, no scaling). Everything else there is AMD
 * power management or RAS: hidden. */
#define E7_EDX_INVARIANT_TSC BIT(8)
/* 0x80000008 EAX: [7:0] physical and [15:8] linear address bits; the
 * linear width is at most 48 since LA57 is hidden. EBX: only WBNOINVD (9);
 * the AMD speculation-control bits (IBPB 12, IBRS 14, STIBP 15, SSBD 24,
 * ...) name MSRs Volt does not emulate. ECX/EDX: AMD core counts. */
#define E8_EAX_PHYS_MASK 0xffu
#define E8_EAX_LINEAR_SHIFT 8
#define E8_LINEAR_MAX 48u
#define E8_EBX_ALLOWED BIT(9)
#define PHYS_ADDR_BITS_DEFAULT 36u	/* SDM: when 0x80000008 is absent */

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

/* ---- the per-leaf filters ---------------------------------------------- */

/* Leaf 1 without OSXSAVE, which is guest state (set_osxsave). */
static void filter_features(struct cpuid_result *r,
			    const struct cpuid_policy *p)
{
	uint32_t n = vcpus(p);
	uint32_t host_ecx = r->ecx;

	r->ebx = (r->ebx & L1_EBX_KEEP) |
		 clamp(n, L1_FIELD_MAX) << L1_EBX_LOGICAL_SHIFT |
		 (p->vcpu_id & L1_FIELD_MAX) << L1_EBX_APIC_ID_SHIFT;

	r->ecx = host_ecx & L1_ECX_ALLOWED;
	if (p->mwait)
		r->ecx |= host_ecx & L1_ECX_MONITOR;
	if (p->xsave)
		r->ecx |= host_ecx & L1_ECX_NEEDS_XSAVE;
	/* These describe Volt's virtual devices, not the host: the policy
	 * alone decides. */
	r->ecx = set_if(r->ecx, L1_ECX_EIST, p->pstates);
	r->ecx = set_if(r->ecx, L1_ECX_X2APIC, p->x2apic);
	r->ecx = set_if(r->ecx, L1_ECX_TSC_DEADLINE, p->tsc_deadline);
	r->ecx |= L1_ECX_HYPERVISOR;

	r->edx &= L1_EDX_ALLOWED;
	r->edx = set_if(r->edx, L1_EDX_APIC, p->lapic);
	r->edx = set_if(r->edx, L1_EDX_HTT, n > 1);
}

/* OSXSAVE reflects the CR4 of whoever executes CPUID: on the host, Volt.
 * The guest sees its own bit instead. */
static void set_osxsave(struct cpuid_result *r, const struct cpuid_policy *p)
{
	r->ecx = set_if(r->ecx, L1_ECX_OSXSAVE,
			p->guest_osxsave && (r->ecx & L1_ECX_XSAVE));
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

static void filter_ext_features(uint32_t subleaf, struct cpuid_result *r,
				const struct cpuid_policy *p)
{
	struct cpuid_result h = *r;

	zero(r);
	if (subleaf != 0)
		return;
	r->ebx = h.ebx & L7_EBX_ALLOWED;
	r->ecx = h.ecx & L7_ECX_ALLOWED;
	r->edx = h.edx & L7_EDX_ALLOWED;
	if (p->xsave) {
		r->ebx |= h.ebx & L7_EBX_NEEDS_XSAVE;
		r->ecx |= h.ecx & L7_ECX_NEEDS_XSAVE;
		r->edx |= h.edx & L7_EDX_NEEDS_XSAVE;
	}
	if (p->invpcid)
		r->ebx |= h.ebx & L7_EBX_INVPCID;
	if (p->rdtscp)
		r->ecx |= h.ecx & L7_ECX_RDPID;
}

/*
 * A synthetic topology: level 0 is SMT with one thread per core, level 1
 * the cores (the vCPUs) of one package. EDX is the x2APIC ID at every
 * subleaf, including the invalid ones (SDM: "EDX bits 31:0 ... x2APIC ID
 * of the current logical processor" for any ECX). No host data needed.
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

static void filter_basic(uint32_t leaf, uint32_t subleaf,
			 struct cpuid_result *r, const struct cpuid_policy *p)
{
	/* A leaf the host lacks (raised maximum): its data is another
	 * leaf's. Only computed leaves are ever in that range. */
	if (leaf > p->host_max_basic)
		zero(r);
	switch (leaf) {
	case LEAF_MAX_BASIC:
		r->eax = p->max_basic; /* EBX, EDX, ECX: the vendor string */
		break;
	case LEAF_FEATURES:
		filter_features(r, p);
		break;
	case LEAF_CACHE_DESCRIPTORS:
	case LEAF_TLB:
		break; /* the host's caches and TLBs, which the guest uses */
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
	case LEAF_TSC:
		*r = p->tsc_leaf;
		break;
	case LEAF_FREQ:
		*r = p->freq_leaf;
		break;
	default:
		/* Not reviewed, or describing a hidden feature: PSN (3), DCA
		 * (9), PMU (0xA), RDT (0xF, 0x10), SGX (0x12), PT (0x14), SoC
		 * vendor (0x17), Key Locker (0x19), hybrid (0x1A), PCONFIG
		 * (0x1B), LBR (0x1C), AMX (0x1D, 0x1E), reserved ones. */
		zero(r);
		break;
	}
}

static void filter_extended(uint32_t leaf, struct cpuid_result *r,
			    const struct cpuid_policy *p)
{
	uint32_t linear;

	switch (leaf) {
	case LEAF_EXT_MAX:
		zero(r);
		r->eax = p->max_ext;
		break;
	case LEAF_EXT_FEATURES_1:
		r->eax = r->ebx = 0;
		r->ecx &= E1_ECX_ALLOWED;
		r->edx &= E1_EDX_ALLOWED | (p->rdtscp ? E1_EDX_RDTSCP : 0);
		break;
	case LEAF_EXT_POWER:
		r->eax = r->ebx = r->ecx = 0;
		r->edx &= E7_EDX_INVARIANT_TSC;
		break;
	case LEAF_EXT_ADDRESS:
		linear = clamp((r->eax >> E8_EAX_LINEAR_SHIFT) & 0xffu,
			       E8_LINEAR_MAX);
		r->eax = (r->eax & E8_EAX_PHYS_MASK) |
			 linear << E8_EAX_LINEAR_SHIFT;
		r->ebx &= E8_EBX_ALLOWED;
		r->ecx = r->edx = 0;
		break;
	default:
		/* Brand string, L1 (reserved on Intel) and L2 cache: the
		 * host's. */
		break;
	}
}

/* The hypervisor leaves: entirely Volt's. */
static void fill_hypervisor(uint32_t leaf, struct cpuid_result *r,
			    const struct cpuid_policy *p)
{
	zero(r);
	if (leaf == CPUID_HV_BASE) {
		r->eax = CPUID_HV_MAX;
		r->ebx = r->ecx = r->edx = CPUID_HV_SIGNATURE;
	} else if (leaf == CPUID_HV_TIMING) {
		uint64_t tsc_khz = p->tsc_hz / HZ_PER_KHZ;
		r->eax = tsc_khz > UINT32_MAX ? 0 : (uint32_t)tsc_khz;
		r->ebx = p->crystal_hz / HZ_PER_KHZ;
	}
	/* CPUID_HV_FEATURES (Volt's paravirtual features) and the rest:
	 * none yet. */
}

uint32_t cpuid_effective_leaf(const struct cpuid_policy *p, uint32_t leaf)
{
	if (leaf <= p->max_basic)
		return leaf;
	if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST)
		return leaf;
	if (leaf >= CPUID_EXT_BASE && leaf <= p->max_ext)
		return leaf;
	return p->max_basic;
}

void cpuid_filter(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r,
		  const struct cpuid_policy *p)
{
	leaf = cpuid_effective_leaf(p, leaf);
	if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST) {
		fill_hypervisor(leaf, r, p);
	} else if (leaf >= CPUID_EXT_BASE) {
		filter_extended(leaf, r, p);
	} else {
		filter_basic(leaf, subleaf, r, p);
		if (leaf == LEAF_FEATURES)
			set_osxsave(r, p);
	}
}

/* ---- building the policy ----------------------------------------------- */

/*
 * A crystal for a synthesized leaf 0x15 with denominator 1, so that
 * crystal * numerator = tsc_hz exactly. Linux takes the crystal as the
 * LAPIC timer's clock and works in kHz with 32-bit arithmetic
 * (lapic_timer_period = crystal_khz * 1000 / HZ; tsc_khz = crystal_khz *
 * numerator), so the crystal must be a whole number of kHz and small: the
 * largest such divisor of tsc_hz in [1, 25] MHz (25 MHz, 24 MHz, 19.2 MHz
 * for the usual rates). 0 when there is none (an odd calibrated rate):
 * then leaf 0x15 says "not enumerated" and Linux calibrates itself.
 */
static uint32_t synth_crystal_hz(uint64_t tsc_hz)
{
	uint64_t num = (tsc_hz + SYNTH_CRYSTAL_MAX_HZ - 1) /
		       SYNTH_CRYSTAL_MAX_HZ;

	if (num == 0)
		num = 1;
	for (; num <= tsc_hz / SYNTH_CRYSTAL_MIN_HZ; num++) {
		uint64_t crystal = tsc_hz / num;
		if (crystal * num == tsc_hz && crystal % HZ_PER_KHZ == 0)
			return (uint32_t)crystal;
	}
	return 0;
}

static bool tsc_leaf_usable(const struct cpuid_result *l15)
{
	return l15->eax != 0 && l15->ebx != 0;
}

/*
 * The guest's leaves 0x15 and 0x16. The host's when it has them (Linux
 * then computes what native Linux on this host would); otherwise, when
 * Volt knows the TSC rate, synthesized: 0x15 = {1, tsc/crystal, crystal},
 * 0x16 = {tsc MHz, tsc MHz, 100 MHz bus} (the TSC runs at the base
 * frequency on invariant-TSC parts). With both, Linux needs neither the
 * PIT nor MSR_PLATFORM_INFO to calibrate.
 */
static void derive_tsc_leaves(struct cpuid_policy *p, cpuid_host_fn host,
			      void *ctx, bool *raise_to_15, bool *raise_to_16)
{
	zero(&p->tsc_leaf);
	zero(&p->freq_leaf);
	if (p->host_max_basic >= LEAF_TSC)
		host(LEAF_TSC, 0, &p->tsc_leaf, ctx);
	if (p->host_max_basic >= LEAF_FREQ)
		host(LEAF_FREQ, 0, &p->freq_leaf, ctx);
	*raise_to_15 = *raise_to_16 = false;

	uint32_t crystal = 0;
	if (!tsc_leaf_usable(&p->tsc_leaf) && p->tsc_hz)
		crystal = synth_crystal_hz(p->tsc_hz);
	if (crystal) {
		p->tsc_leaf = (struct cpuid_result){
			1, (uint32_t)(p->tsc_hz / crystal), crystal, 0 };
		*raise_to_15 = true;
	}
	uint64_t tsc_mhz = p->tsc_hz / HZ_PER_MHZ;
	if (!(p->freq_leaf.eax & FREQ_MHZ_MASK) && tsc_mhz) {
		uint32_t mhz = tsc_mhz > FREQ_MHZ_MASK ? FREQ_MHZ_MASK
						       : (uint32_t)tsc_mhz;
		p->freq_leaf = (struct cpuid_result){ mhz, mhz, SYNTH_BUS_MHZ,
						      0 };
		*raise_to_16 = true;
	}
}

/*
 * The crystal Linux will believe in (arch/x86/kernel/tsc.c,
 * native_calibrate_tsc): leaf 0x15 ECX, or when that is 0, base MHz x
 * denominator / numerator from leaf 0x16, in whole kHz as Linux computes
 * it. Linux then programs the LAPIC timer assuming this rate without
 * calibrating it, so the virtual LAPIC timer must count at this rate.
 */
static uint32_t guest_crystal_hz(const struct cpuid_policy *p)
{
	const struct cpuid_result *l15 = &p->tsc_leaf;
	uint64_t base_mhz = p->freq_leaf.eax & FREQ_MHZ_MASK;

	if (!tsc_leaf_usable(l15))
		return 0;
	if (l15->ecx)
		return l15->ecx;
	uint64_t khz = base_mhz * HZ_PER_KHZ * l15->eax / l15->ebx;
	return khz * HZ_PER_KHZ > UINT32_MAX ? 0
					     : (uint32_t)(khz * HZ_PER_KHZ);
}

static void derive_view(struct cpuid_policy *p, cpuid_host_fn host, void *ctx)
{
	struct cpuid_result r;
	bool raise_to_15, raise_to_16;

	host(LEAF_MAX_BASIC, 0, &r, ctx);
	p->host_max_basic = r.eax;
	host(LEAF_EXT_MAX, 0, &r, ctx);
	p->host_max_ext = r.eax;

	p->max_ext = p->host_max_ext < CPUID_EXT_BASE ? CPUID_EXT_BASE
		     : clamp(p->host_max_ext, CPUID_GUEST_MAX_EXT);
	p->phys_addr_bits = PHYS_ADDR_BITS_DEFAULT;
	if (p->max_ext >= LEAF_EXT_ADDRESS) {
		host(LEAF_EXT_ADDRESS, 0, &r, ctx);
		if (r.eax & E8_EAX_PHYS_MASK)
			p->phys_addr_bits = r.eax & E8_EAX_PHYS_MASK;
	}

	derive_tsc_leaves(p, host, ctx, &raise_to_15, &raise_to_16);
	p->max_basic = clamp(p->host_max_basic, CPUID_GUEST_MAX_BASIC);
	if (raise_to_16 && p->max_basic < LEAF_FREQ)
		p->max_basic = LEAF_FREQ;
	else if (raise_to_15 && p->max_basic < LEAF_TSC)
		p->max_basic = LEAF_TSC;
	p->crystal_hz = guest_crystal_hz(p);
}

static enum cpuid_leaf_kind leaf_kind(uint32_t leaf,
				      const struct cpuid_policy *p)
{
	switch (leaf) {
	case LEAF_FEATURES:
		return CPUID_KIND_FEATURES;
	case LEAF_CACHE_PARAMS:
		return CPUID_KIND_CACHE;
	case LEAF_EXT_FEATURES:
		return CPUID_KIND_SUBLEAF0;
	case LEAF_TOPOLOGY:
	case LEAF_TOPOLOGY_V2:
		return CPUID_KIND_TOPOLOGY;
	case LEAF_XSAVE:
		/* Subleaf 0 EBX follows the XCR0 in force. */
		return p->xsave ? CPUID_KIND_HOST : CPUID_KIND_FIXED;
	case LEAF_TLB:
		return CPUID_KIND_HOST; /* one subleaf per TLB: rarely asked */
	default:
		return CPUID_KIND_FIXED;
	}
}

/* The host's answer for a leaf of the guest's view (zero for a leaf the
 * host lacks: the filter computes those entirely). */
static void host_leaf(const struct cpuid_policy *p, cpuid_host_fn host,
		      void *ctx, uint32_t leaf, uint32_t subleaf,
		      struct cpuid_result *r)
{
	if (leaf > p->host_max_basic && leaf < CPUID_HV_BASE)
		zero(r);
	else
		host(leaf, subleaf, r, ctx);
}

void cpuid_policy_build(struct cpuid_policy *p, cpuid_host_fn host, void *ctx)
{
	struct cpuid_table *t = &p->table;

	derive_view(p, host, ctx);
	for (uint32_t leaf = 0; leaf < CPUID_TABLE_BASIC; leaf++) {
		t->kind[leaf] = (uint8_t)leaf_kind(leaf, p);
		zero(&t->basic[leaf]);
		if (leaf > p->max_basic || t->kind[leaf] == CPUID_KIND_HOST ||
		    t->kind[leaf] == CPUID_KIND_TOPOLOGY)
			continue;
		host_leaf(p, host, ctx, leaf, 0, &t->basic[leaf]);
		filter_basic(leaf, 0, &t->basic[leaf], p);
	}
	for (uint32_t sub = 0; sub < CPUID_TABLE_CACHE; sub++) {
		zero(&t->cache[sub]);
		if (p->max_basic < LEAF_CACHE_PARAMS)
			continue;
		host_leaf(p, host, ctx, LEAF_CACHE_PARAMS, sub, &t->cache[sub]);
		filter_basic(LEAF_CACHE_PARAMS, sub, &t->cache[sub], p);
	}
	for (uint32_t i = 0; i < CPUID_TABLE_EXT; i++) {
		zero(&t->ext[i]);
		if (CPUID_EXT_BASE + i > p->max_ext)
			continue;
		host(CPUID_EXT_BASE + i, 0, &t->ext[i], ctx);
		filter_extended(CPUID_EXT_BASE + i, &t->ext[i], p);
	}
	for (uint32_t i = 0; i < CPUID_TABLE_HV; i++)
		fill_hypervisor(CPUID_HV_BASE + i, &t->hv[i], p);
}

/* ---- the rest of the way ----------------------------------------------- */

void cpuid_answer(const struct cpuid_policy *p, uint32_t leaf,
		  uint32_t subleaf, cpuid_host_fn host, void *ctx,
		  struct cpuid_result *r)
{
	leaf = cpuid_effective_leaf(p, leaf);
	if (cpuid_table_lookup(p, leaf, subleaf, r))
		return;
	if (leaf >= CPUID_HV_BASE && leaf <= CPUID_HV_LAST) {
		zero(r); /* past Volt's hypervisor leaves */
		return;
	}
	switch (p->table.kind[leaf]) {
	case CPUID_KIND_TOPOLOGY:
		filter_topology(subleaf, r, p);
		break;
	case CPUID_KIND_SUBLEAF0:
		zero(r);
		break;
	default: /* the XSAVE and TLB leaves, leaf 4 past the table */
		host(leaf, subleaf, r, ctx);
		cpuid_filter(leaf, subleaf, r, p);
		break;
	}
}
