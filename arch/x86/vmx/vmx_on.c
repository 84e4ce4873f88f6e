/*
 * Entering and leaving VMX root operation on one processor (SDM vol. 3C
 * 24.7 "Enabling and Entering VMX Operation", 24.8 "Restrictions on VMX
 * Operation", appendix A.7/A.8 for the fixed CR0/CR4 bits).
 *
 * Steps, per processor:
 *   1. IA32_FEATURE_CONTROL must allow VMXON outside SMX. Firmware usually
 *      locks it; if it left it unlocked we enable and lock it ourselves.
 *   2. CR0 and CR4 must hold the bits the FIXED0 MSRs require set (for
 *      example CR0.NE and CR4.VMXE) and none the FIXED1 MSRs forbid.
 *   3. VMXON takes the physical address of a 4 KiB-aligned region whose
 *      first 31 bits hold the VMCS revision identifier from IA32_VMX_BASIC.
 */
#include <stdbool.h>
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/virt.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/string.h"

bool virt_enabled;

/* VMXON region per CPU (physical address; 0 when not in VMX operation). */
static uint64_t vmxon_region[MAX_CPUS];

static int feature_control_allow_vmx(void)
{
	uint64_t fc = rdmsr(MSR_IA32_FEATURE_CONTROL);
	if (fc & FEATURE_CONTROL_LOCKED)
		return (fc & FEATURE_CONTROL_VMXON_OUTSIDE_SMX) ? 0 : -1;
	/* Unlocked: allow VMX outside SMX and lock, as firmware would. */
	wrmsr(MSR_IA32_FEATURE_CONTROL, fc | FEATURE_CONTROL_VMXON_OUTSIDE_SMX |
						FEATURE_CONTROL_LOCKED);
	return 0;
}

/* A control register value adjusted to the VMX fixed-bit MSRs (A.7, A.8;
 * the rule itself is vmx_cr_apply_fixed, host-tested). */
static uint64_t vmx_fixed(uint64_t value, uint32_t fixed0_msr,
			  uint32_t fixed1_msr)
{
	return vmx_cr_apply_fixed(value, rdmsr(fixed0_msr), rdmsr(fixed1_msr));
}

int virt_cpu_enable(void)
{
	struct percpu *c = this_cpu();
	uint64_t basic = rdmsr(MSR_IA32_VMX_BASIC);
	uint32_t revision = (uint32_t)(basic & VMX_BASIC_REVISION_MASK);

	if (feature_control_allow_vmx()) {
		printk("vmx: cpu %u: IA32_FEATURE_CONTROL forbids VMXON\n",
		       c->index);
		return -1;
	}
	uint64_t region = frame_alloc_zeroed();
	if (!region) {
		printk("vmx: cpu %u: no memory for the VMXON region\n", c->index);
		return -1;
	}
	memcpy((void *)(uintptr_t)region, &revision, sizeof(revision));

	write_cr0(vmx_fixed(read_cr0(), MSR_IA32_VMX_CR0_FIXED0,
			    MSR_IA32_VMX_CR0_FIXED1));
	write_cr4(vmx_fixed(read_cr4() | CR4_VMXE, MSR_IA32_VMX_CR4_FIXED0,
			    MSR_IA32_VMX_CR4_FIXED1));

	int err = vmxon(region);
	if (err) {
		printk("vmx: cpu %u: VMXON failed (%s)\n", c->index,
		       err == VMX_FAIL_INVALID ? "VMfailInvalid" : "VMfailValid");
		write_cr4(read_cr4() & ~CR4_VMXE);
		frame_free_locked(region, 1);
		return -1;
	}
	vmxon_region[c->index] = region;
	printk("vmx: cpu %u in VMX root operation (VMCS revision %#x)\n",
	       c->index, revision);
	return 0;
}

void virt_cpu_disable(void)
{
	if (!virt_enabled)
		return; /* also: too early to trust this_cpu() */
	struct percpu *c = this_cpu();
	if (!vmxon_region[c->index])
		return;
	vmxoff();
	write_cr4(read_cr4() & ~CR4_VMXE);
	frame_free_locked(vmxon_region[c->index], 1);
	vmxon_region[c->index] = 0;
}
