/*
 * The guest CPU model: what a guest sees when it executes CPUID (SDM vol.
 * 2A, "CPUID--CPU Identification"; docs/cpu-model.md explains the model).
 *
 * The host's answer is the starting point; Volt keeps only the features it
 * has reviewed and virtualizes, describes the VM's vCPUs instead of the
 * host's processors, fixes the TSC and frequency leaves (0x15/0x16) and
 * adds its own leaves 0x40000000.. ("VoltVoltVolt").
 *
 * Two ways to the same answer, both pure and host-tested:
 *   cpuid_filter()       the reference: edits one host answer
 *   cpuid_table_lookup() the fast path (inline): cpuid_policy_build()
 *                        filtered every fixed leaf once; a lookup is an
 *                        array read
 * The exit handler tries the table, then cpuid_answer(): the topology
 * leaves, leaves above the maxima, and the few that must see the host each
 * time (XSAVE sizes, TLB subleaves: asked of the host, then filtered).
 *
 * A zeroed policy (vcpu fields aside) is the most conservative one: every
 * optional feature hidden.
 */
#ifndef VOLT_VMM_CPUID_FILTER_H
#define VOLT_VMM_CPUID_FILTER_H

#include <stdbool.h>
#include <stdint.h>

/* Leaf 0x40000000: the highest hypervisor leaf in EAX, "VoltVoltVolt" in
 * EBX, ECX, EDX (each register holds "Volt", little-endian). 0x40000001
 * holds Volt's paravirtual feature bits (none yet). 0x40000010 is the
 * "timing information" leaf (VMware's proposal, also offered by ACRN and
 * QEMU): EAX = TSC kHz, EBX = local APIC timer kHz. */
#define CPUID_HV_BASE 0x40000000u
#define CPUID_HV_FEATURES 0x40000001u
#define CPUID_HV_TIMING 0x40000010u
#define CPUID_HV_MAX CPUID_HV_TIMING
#define CPUID_HV_LAST 0x4fffffffu /* the range reserved for hypervisors */
#define CPUID_HV_SIGNATURE 0x746c6f56u

/* The highest leaves Volt has reviewed: a guest never sees more. */
#define CPUID_GUEST_MAX_BASIC 0x1fu
#define CPUID_EXT_BASE 0x80000000u
#define CPUID_GUEST_MAX_EXT 0x80000008u

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

/* Runs CPUID on the host (the glue's cpuid instruction, a test's table). */
typedef void (*cpuid_host_fn)(uint32_t leaf, uint32_t subleaf,
			      struct cpuid_result *r, void *ctx);

/* The precomputed answers (see cpuid_table_lookup). */
#define CPUID_TABLE_BASIC (CPUID_GUEST_MAX_BASIC + 1)
#define CPUID_TABLE_EXT (CPUID_GUEST_MAX_EXT - CPUID_EXT_BASE + 1)
#define CPUID_TABLE_HV (CPUID_HV_MAX - CPUID_HV_BASE + 1)
#define CPUID_TABLE_CACHE 8 /* leaf 4 subleaves kept; more: the slow way */

/* How a basic leaf uses ECX, and where the table keeps its answer. */
enum cpuid_leaf_kind {
	CPUID_KIND_FIXED,	/* one answer for every subleaf */
	CPUID_KIND_FEATURES,	/* leaf 1: fixed, plus the guest's OSXSAVE */
	CPUID_KIND_SUBLEAF0,	/* the answer for subleaf 0, zero for others */
	CPUID_KIND_CACHE,	/* leaf 4: one answer per subleaf */
	CPUID_KIND_TOPOLOGY,	/* 0xB, 0x1F: computed from the subleaf */
	CPUID_KIND_HOST,	/* asks the host each time */
};

struct cpuid_table {
	uint8_t kind[CPUID_TABLE_BASIC];	/* enum cpuid_leaf_kind */
	struct cpuid_result basic[CPUID_TABLE_BASIC];
	struct cpuid_result cache[CPUID_TABLE_CACHE];	/* leaf 4 */
	struct cpuid_result ext[CPUID_TABLE_EXT];
	struct cpuid_result hv[CPUID_TABLE_HV];
};

/* Leaf 1 ECX: XSAVE supported, and enabled by the OS (CR4.OSXSAVE). */
#define CPUID_1_ECX_XSAVE (1u << 26)
#define CPUID_1_ECX_OSXSAVE (1u << 27)

struct cpuid_policy {
	/* What the VM provides: set by the caller before cpuid_policy_build.
	 * The vLAPIC bits (lapic, x2apic, tsc_deadline) describe the virtual
	 * LAPIC, so they are offered even when the host lacks them. */
	uint32_t vcpu_id;	/* this vCPU's initial (x2)APIC ID */
	uint32_t vcpu_count;	/* vCPUs in the VM: one package, one thread
				 * per core; 0 is taken as 1 */
	bool lapic;		/* the VM has a local APIC (xAPIC MMIO) */
	bool x2apic;		/* the virtual LAPIC has x2APIC mode */
	bool tsc_deadline;	/* the virtual LAPIC timer has TSC-deadline */
	bool mwait;		/* the guest may use MONITOR/MWAIT */
	bool xsave;		/* Volt handles XSETBV and keeps each vCPU's
				 * XSAVE state (AVX, AVX-512) */
	bool rdtscp;		/* the backend lets RDTSCP/RDPID run (else #UD)
				 * and owns IA32_TSC_AUX */
	bool invpcid;		/* the backend lets INVPCID run (else #UD) */
	bool pstates;		/* virtual P-states (EIST): a later feature */
	uint64_t tsc_hz;	/* the TSC rate Volt measured; 0 = unknown */

	/* The guest's CR4.OSXSAVE right now: the one guest-state input. The
	 * exit handler refreshes it before leaf 1 when xsave is on. */
	bool guest_osxsave;

	/* Filled by cpuid_policy_build(): host facts and the guest's view. */
	uint32_t host_max_basic;	/* host CPUID.0:EAX */
	uint32_t host_max_ext;		/* host CPUID.0x80000000:EAX */
	uint32_t max_basic;		/* the guest's CPUID.0:EAX */
	uint32_t max_ext;		/* the guest's CPUID.0x80000000:EAX */
	uint8_t phys_addr_bits;		/* MAXPHYADDR (0x80000008 EAX[7:0]) */
	uint32_t crystal_hz;		/* the core crystal Linux will assume
					 * drives the LAPIC timer; 0 = none */
	struct cpuid_result tsc_leaf;	/* the guest's leaf 0x15 */
	struct cpuid_result freq_leaf;	/* the guest's leaf 0x16 */
	struct cpuid_table table;
};

/*
 * Read the host facts through `host` (leaves 0, 0x15, 0x16, 0x80000000,
 * 0x80000008), derive the guest's view and fill the table: every fixed
 * leaf filtered once. The caller's fields (above guest_osxsave) must be
 * set; the rest is overwritten.
 */
void cpuid_policy_build(struct cpuid_policy *p, cpuid_host_fn host,
			void *ctx);

/*
 * The leaf whose data the guest gets for `leaf`: itself when it exists in
 * the guest's view, else (SDM: "If a value entered for CPUID.EAX is higher
 * than the maximum input value for basic or extended function ... the data
 * for the highest basic information leaf is returned") the guest's highest
 * basic leaf. The hypervisor range is always Volt's own.
 */
uint32_t cpuid_effective_leaf(const struct cpuid_policy *p, uint32_t leaf);

/*
 * The reference filter. r holds what the host's CPUID returned for
 * (cpuid_effective_leaf(p, leaf), subleaf); on return it holds what the
 * guest must see. Needs a built policy.
 */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r,
		  const struct cpuid_policy *p);

/*
 * The fast path, inline so the exit handler pays no call for it: true and
 * *r when the table holds the answer (every leaf a guest asks often).
 * False for the rest (above the maxima, topology, the leaves that ask the
 * host): then cpuid_answer. Same results as cpuid_filter.
 */
static inline bool cpuid_table_lookup(const struct cpuid_policy *p,
				      uint32_t leaf, uint32_t subleaf,
				      struct cpuid_result *r)
{
	const struct cpuid_table *t = &p->table;

	if (leaf <= p->max_basic) {
		uint8_t kind = t->kind[leaf];
		if (kind == CPUID_KIND_FIXED ||
		    (kind == CPUID_KIND_SUBLEAF0 && subleaf == 0)) {
			*r = t->basic[leaf];
			return true;
		}
		if (kind == CPUID_KIND_FEATURES) {
			*r = t->basic[leaf];
			if (p->guest_osxsave && (r->ecx & CPUID_1_ECX_XSAVE))
				r->ecx |= CPUID_1_ECX_OSXSAVE;
			return true;
		}
		if (kind == CPUID_KIND_CACHE && subleaf < CPUID_TABLE_CACHE) {
			*r = t->cache[subleaf];
			return true;
		}
		return false;
	}
	if (leaf - CPUID_EXT_BASE <= p->max_ext - CPUID_EXT_BASE) {
		*r = t->ext[leaf - CPUID_EXT_BASE];
		return true;
	}
	if (leaf - CPUID_HV_BASE < CPUID_TABLE_HV) {
		*r = t->hv[leaf - CPUID_HV_BASE];
		return true;
	}
	return false;
}

/* The guest's answer for any leaf: the table, else the rare leaves
 * computed here or asked of the host and filtered. */
void cpuid_answer(const struct cpuid_policy *p, uint32_t leaf,
		  uint32_t subleaf, cpuid_host_fn host, void *ctx,
		  struct cpuid_result *r);

#ifndef VOLT_HOST_TEST
/* The vCPU's policy, built at its first use (glue: vmm/exit_cpuid.c).
 * The MSR emulation takes its feature switches from here, so CPUID and
 * the MSRs always describe the same processor. */
struct vcpu;
const struct cpuid_policy *vcpu_cpuid_policy(struct vcpu *v);
#endif

#endif
