/*
 * VT-x detection (SDM vol. 3C 23.6 "Discovering support for VMX", 24.6.2
 * and appendix A.3.3 for the secondary controls). Volt needs VMX, EPT and
 * unrestricted guest (real-mode guests, SIPI-started APs); VPID is used
 * when present.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/virt.h"
#include "lib/format.h"
#include "lib/string.h"

#define CPUID_1_ECX_VMX (1u << 5)

static bool vendor_is(const char *want)
{
	struct cpuid_regs r;
	char v[13];
	cpuid(0, 0, &r);
	memcpy(v, &r.ebx, 4);
	memcpy(v + 4, &r.edx, 4);
	memcpy(v + 8, &r.ecx, 4);
	v[12] = 0;
	return strcmp(v, want) == 0;
}

/* The allowed-1 settings are the high 32 bits of a VMX control MSR. */
static bool allowed1(uint32_t msr, uint64_t bit)
{
	return (rdmsr(msr) >> 32) & bit;
}

bool virt_detect(struct virt_caps *caps)
{
	struct cpuid_regs r;
	memset(caps, 0, sizeof(*caps));

	cpuid(1, 0, &r);
	if (!(r.ecx & CPUID_1_ECX_VMX)) {
		volt_snprintf(caps->why_not, sizeof(caps->why_not), "%s",
			      vendor_is("AuthenticAMD")
				      ? "AMD processor (CPUID.1:ECX.VMX=0; an SVM backend is not built yet)"
				      : "CPUID.1:ECX.VMX=0 (no VT-x, or hidden by the hypervisor below us)");
		return false;
	}
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if ((fc & FEATURE_CONTROL_LOCKED) &&
	    !(fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX)) {
		volt_snprintf(caps->why_not, sizeof(caps->why_not),
			      "disabled by firmware (IA32_FEATURE_CONTROL=%#lx: enable VT-x in the setup menu)",
			      (unsigned long)fc);
		return false;
	}
	caps->vmx = true;
	if (allowed1(MSR_IA32_VMX_PROCBASED_CTLS, PROCBASED_ACTIVATE_SECONDARY)) {
		caps->ept = allowed1(MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED2_ENABLE_EPT);
		caps->vpid = allowed1(MSR_IA32_VMX_PROCBASED_CTLS2, PROCBASED2_ENABLE_VPID);
		caps->unrestricted_guest = allowed1(MSR_IA32_VMX_PROCBASED_CTLS2,
						    PROCBASED2_UNRESTRICTED_GUEST);
	}
	if (!caps->ept || !caps->unrestricted_guest) {
		volt_snprintf(caps->why_not, sizeof(caps->why_not),
			      "VT-x lacks %s%s", caps->ept ? "" : "EPT ",
			      caps->unrestricted_guest ? "" : "unrestricted-guest");
		return false;
	}
	return true;
}
