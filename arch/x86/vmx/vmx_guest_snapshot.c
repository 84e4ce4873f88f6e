/*
 * Kernel glue for the guest-state checks (vmx_guest_check.c): copy the
 * fields they need out of the current VMCS, the VMX capability MSRs and
 * CPUID into a struct vmx_guest_snapshot, and print what fails.
 *
 * Used after a VM entry failed with exit reason 33, "VM-entry failure due
 * to invalid guest state" (SDM vol. 3C 27.8, 28.2): the processor does not
 * say which check of 27.3.1 failed, so Volt re-runs them and names them.
 * Fields read: the guest-state area (25.4), the execution and entry
 * controls (25.6, 25.8), IA32_VMX_CR0/CR4_FIXED0/1 (A.7, A.8), IA32_VMX_MISC
 * (A.6), IA32_VMX_PROCBASED_CTLS2 (A.3.3), CPUID 0x80000008 (vol. 2A).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_guest_check.h"
#include "lib/console.h"
#include "lib/spinlock.h"
#include "lib/string.h"

/* CPUID leaves (vol. 2A, CPUID); without 0x80000008 the SDM says
 * MAXPHYADDR is 36, and the linear width is then 32 at most: 48 is the
 * conservative guess for a processor with long mode. */
#define CPUID_EXT_MAX_LEAF 0x80000000u
#define CPUID_EXT_ADDR_SIZES 0x80000008u
#define ADDR_SIZES_PHYS(eax) ((eax) & 0xffu)
#define ADDR_SIZES_LINEAR(eax) (((eax) >> 8) & 0xffu)
#define DEFAULT_PHYS_BITS 36
#define DEFAULT_LINEAR_BITS 48

/* How many violations one report prints; the count says if there were
 * more. */
#define REPORT_MAX 16

#define READ_SEGMENT(s, n, SEG)                                             \
	do {                                                                \
		(s)->seg[n].selector = vmcs_read16(GUEST_##SEG##_SELECTOR); \
		(s)->seg[n].base = vmcs_readnat(GUEST_##SEG##_BASE);        \
		(s)->seg[n].limit = vmcs_read32(GUEST_##SEG##_LIMIT);       \
		(s)->seg[n].ar = vmcs_read32(GUEST_##SEG##_AR);             \
	} while (0)

static void read_segments(struct vmx_guest_snapshot *s)
{
	READ_SEGMENT(s, VMX_SEG_ES, ES);
	READ_SEGMENT(s, VMX_SEG_CS, CS);
	READ_SEGMENT(s, VMX_SEG_SS, SS);
	READ_SEGMENT(s, VMX_SEG_DS, DS);
	READ_SEGMENT(s, VMX_SEG_FS, FS);
	READ_SEGMENT(s, VMX_SEG_GS, GS);
	READ_SEGMENT(s, VMX_SEG_LDTR, LDTR);
	READ_SEGMENT(s, VMX_SEG_TR, TR);
}

/*
 * A VMREAD of a field the processor does not implement fails, so the
 * fields that exist only with a feature are read only when the controls
 * use it: PAT and EFER with their "load" entry controls, the PDPTEs with
 * EPT (Volt's backend requires all three features anyway).
 */
static void read_optional_fields(struct vmx_guest_snapshot *s)
{
	bool secondary = s->proc & PROC_ACTIVATE_SECONDARY;

	if (s->entry & ENTRY_LOAD_IA32_PAT)
		s->pat = vmcs_read64(GUEST_IA32_PAT);
	if (s->entry & ENTRY_LOAD_IA32_EFER)
		s->efer = vmcs_read64(GUEST_IA32_EFER);
	if (secondary && (s->proc2 & PROC2_ENABLE_EPT)) {
		s->pdpte[0] = vmcs_read64(GUEST_PDPTE0);
		s->pdpte[1] = vmcs_read64(GUEST_PDPTE1);
		s->pdpte[2] = vmcs_read64(GUEST_PDPTE2);
		s->pdpte[3] = vmcs_read64(GUEST_PDPTE3);
	}
}

static void read_guest_fields(struct vmx_guest_snapshot *s)
{
	s->cr0 = vmcs_readnat(GUEST_CR0);
	s->cr3 = vmcs_readnat(GUEST_CR3);
	s->cr4 = vmcs_readnat(GUEST_CR4);
	s->dr7 = vmcs_readnat(GUEST_DR7);
	s->debugctl = vmcs_read64(GUEST_IA32_DEBUGCTL);
	s->sysenter_esp = vmcs_readnat(GUEST_SYSENTER_ESP);
	s->sysenter_eip = vmcs_readnat(GUEST_SYSENTER_EIP);
	read_segments(s);
	s->gdtr_base = vmcs_readnat(GUEST_GDTR_BASE);
	s->gdtr_limit = vmcs_read32(GUEST_GDTR_LIMIT);
	s->idtr_base = vmcs_readnat(GUEST_IDTR_BASE);
	s->idtr_limit = vmcs_read32(GUEST_IDTR_LIMIT);
	s->rip = vmcs_readnat(GUEST_RIP);
	s->rflags = vmcs_readnat(GUEST_RFLAGS);
	s->activity_state = vmcs_read32(GUEST_ACTIVITY_STATE);
	s->interruptibility = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	s->pending_dbg = vmcs_readnat(GUEST_PENDING_DBG_EXCEPTIONS);
	s->vmcs_link_pointer = vmcs_read64(VMCS_LINK_POINTER);
}

static void read_controls(struct vmx_guest_snapshot *s)
{
	s->pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL);
	s->proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	if (s->proc & PROC_ACTIVATE_SECONDARY)
		s->proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
	s->entry = vmcs_read32(VM_ENTRY_CONTROLS);
	s->entry_intr_info = vmcs_read32(VM_ENTRY_INTR_INFO);
}

/* IA32_VMX_PROCBASED_CTLS2 exists only when the primary controls allow
 * "activate secondary controls" (A.3.3); reading it otherwise faults. */
static bool cpu_has_unrestricted_guest(void)
{
	if (!(rdmsr(MSR_IA32_VMX_PROCBASED_CTLS) >> 32 &
	      PROC_ACTIVATE_SECONDARY))
		return false;
	return rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32 &
	       PROC2_UNRESTRICTED_GUEST;
}

static void read_processor_facts(struct vmx_guest_snapshot *s)
{
	struct cpuid_regs r;

	s->cr0_fixed0 = rdmsr(MSR_IA32_VMX_CR0_FIXED0);
	s->cr0_fixed1 = rdmsr(MSR_IA32_VMX_CR0_FIXED1);
	s->cr4_fixed0 = rdmsr(MSR_IA32_VMX_CR4_FIXED0);
	s->cr4_fixed1 = rdmsr(MSR_IA32_VMX_CR4_FIXED1);
	s->vmx_misc = rdmsr(MSR_IA32_VMX_MISC);
	s->unrestricted_guest_supported = cpu_has_unrestricted_guest();

	s->phys_addr_bits = DEFAULT_PHYS_BITS;
	s->linear_addr_bits = DEFAULT_LINEAR_BITS;
	cpuid(CPUID_EXT_MAX_LEAF, 0, &r);
	if (r.eax >= CPUID_EXT_ADDR_SIZES) {
		cpuid(CPUID_EXT_ADDR_SIZES, 0, &r);
		s->phys_addr_bits = (uint8_t)ADDR_SIZES_PHYS(r.eax);
		s->linear_addr_bits = (uint8_t)ADDR_SIZES_LINEAR(r.eax);
	}
}

void vmx_guest_snapshot_read(struct vmx_guest_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	read_controls(s);
	read_guest_fields(s);
	read_optional_fields(s);
	read_processor_facts(s);
}

void vmx_print_guest_violations(const struct vmx_guest_violation *v,
				int found, int max)
{
	char line[VMX_GUEST_CHECK_NAME_MAX + 64];
	int shown = found < max ? found : max;

	if (shown < 0 || !v)
		shown = 0;

	if (found <= 0) {
		printk("vmx: guest state: no modelled check of SDM 27.3.1 "
		       "fails (see docs/vmx-guest-checks.md for the rest)\n");
		return;
	}
	printk("vmx: guest state: %d check%s of SDM 27.3.1 fail%s:\n", found,
	       found == 1 ? "" : "s", found == 1 ? "s" : "");
	for (int i = 0; i < shown; i++) {
		vmx_format_guest_violation(line, sizeof(line), &v[i]);
		printk("vmx:   %s\n", line);
	}
	if (found > shown)
		printk("vmx:   ... and %d more\n", found - shown);
}

/* One report at a time: the snapshot and the list (some 2.5 KiB) are too
 * big for the stack an exit handler may run on, and two CPUs may hit a
 * failed entry together. */
static struct spinlock report_lock = SPINLOCK_INIT;

int vmx_explain_invalid_guest_state(void)
{
	static struct vmx_guest_snapshot snap;
	static struct vmx_guest_violation list[REPORT_MAX];

	uint64_t flags = spin_lock(&report_lock);
	vmx_guest_snapshot_read(&snap);
	int found = vmx_check_guest_state(&snap, list, REPORT_MAX);
	vmx_print_guest_violations(list, found, REPORT_MAX);
	spin_unlock(&report_lock, flags);
	return found;
}
