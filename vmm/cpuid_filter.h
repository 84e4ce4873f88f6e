/*
 * What a guest sees when it executes CPUID (SDM vol. 2A, "CPUID--CPU
 * Identification"). The exit handler runs CPUID on the host with the
 * guest's leaf and subleaf, then cpuid_filter() edits the result: features
 * Volt does not virtualize are hidden, topology fields describe the VM's
 * vCPUs instead of the host's processors, and the hypervisor leaves
 * 0x40000000.. name Volt.
 *
 * Generic: no VT-x knowledge. Pure C, host-tested. The policy says what
 * the VM (its virtual LAPIC, the backend's controls) actually provides; a
 * zeroed policy (with the host_max_* and vcpu fields filled) is the most
 * conservative one.
 */
#ifndef VOLT_VMM_CPUID_FILTER_H
#define VOLT_VMM_CPUID_FILTER_H

#include <stdbool.h>
#include <stdint.h>

/* Leaf 0x40000000: max hypervisor leaf in EAX, "VoltVoltVolt" in EBX,
 * ECX, EDX (each register holds "Volt", little-endian). */
#define CPUID_HV_BASE 0x40000000u
#define CPUID_HV_MAX 0x40000001u
#define CPUID_HV_SIGNATURE 0x746c6f56u

struct cpuid_result {
	uint32_t eax, ebx, ecx, edx;
};

struct cpuid_policy {
	uint32_t vcpu_id;	/* this vCPU's initial (x2)APIC ID */
	uint32_t vcpu_count;	/* vCPUs in the VM: one package, one thread
				 * per core; 0 is taken as 1 */
	bool mwait;		/* the guest may use MONITOR/MWAIT */
	bool x2apic;		/* the virtual LAPIC has x2APIC mode */
	bool tsc_deadline;	/* the virtual LAPIC timer has TSC-deadline */
	bool xsave;		/* Volt handles XSETBV and keeps each vCPU's
				 * XSAVE state (AVX, AVX-512) */
	bool guest_osxsave;	/* the guest's CR4.OSXSAVE right now */
	bool rdtscp;		/* the backend lets RDTSCP/RDPID run (else #UD) */
	bool invpcid;		/* the backend lets INVPCID run (else #UD) */
	uint32_t host_max_basic; /* host CPUID.0:EAX */
	uint32_t host_max_ext;	 /* host CPUID.0x80000000:EAX */
};

/*
 * r holds what the host's CPUID returned for (leaf, subleaf); on return it
 * holds what the guest must see.
 */
void cpuid_filter(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r,
		  const struct cpuid_policy *p);

#endif
