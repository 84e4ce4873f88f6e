/*
 * The guest MSRs the VT-x backend owns (generic code asks through the
 * vcpu_get_msr/vcpu_set_msr ops; vmm/msr_emul.c emulates the rest).
 *
 * Two kinds (SDM vol. 3C 25.4.2, 27.3.1, 28.3.1):
 *  - switched by the VMCS on every entry and exit: EFER, PAT (with the
 *    load/save controls), DEBUGCTL, SYSENTER_CS/ESP/EIP, FS/GS base. The
 *    guest's value lives in the guest-state area.
 *  - not switched: STAR, LSTAR, CSTAR, SFMASK (SYSCALL) and
 *    KERNEL_GS_BASE (SWAPGS). Volt itself never uses SYSCALL or SWAPGS,
 *    so the guest's values may stay in the processor while its vCPU is
 *    loaded there: the MSR bitmap lets the guest access them directly.
 *    A vCPU starts with them zeroed (they could hold an earlier VM's
 *    values), and they are zeroed again when it is destroyed. When the
 *    scheduler moves vCPUs between processors it must save and restore
 *    them at that switch.
 * Most of these are passed through (guest accesses do not exit at all);
 * the ops still serve them for Volt's own use (reports, migration).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/msr_bitmap.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_vcpu.h"

static const uint32_t processor_held[] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

static const uint32_t vmcs_switched_pass[] = {
	MSR_FS_BASE, MSR_GS_BASE, MSR_IA32_SYSENTER_CS, MSR_IA32_SYSENTER_ESP,
	MSR_IA32_SYSENTER_EIP, MSR_IA32_PAT,
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define EFER_GUEST_WRITABLE (EFER_SCE | EFER_LME | EFER_NXE)
#define DEBUGCTL_BTF (1ull << 1)

void vmx_guest_msrs_pass(uint8_t *bitmap)
{
	for (unsigned i = 0; i < ARRAY_LEN(processor_held); i++)
		msr_bitmap_pass(bitmap, processor_held[i], true, true);
	for (unsigned i = 0; i < ARRAY_LEN(vmcs_switched_pass); i++)
		msr_bitmap_pass(bitmap, vmcs_switched_pass[i], true, true);
}

/* Reset values (SDM vol. 3A table 10-1): all zero. */
void vmx_guest_msrs_load_initial(void)
{
	for (unsigned i = 0; i < ARRAY_LEN(processor_held); i++)
		wrmsr(processor_held[i], 0);
}

void vmx_guest_msrs_scrub(void)
{
	vmx_guest_msrs_load_initial();
}

static bool is_processor_held(uint32_t index)
{
	for (unsigned i = 0; i < ARRAY_LEN(processor_held); i++)
		if (processor_held[i] == index)
			return true;
	return false;
}

/* Canonical for 48-bit linear addresses: bits 63:47 all equal. */
static bool canonical(uint64_t a)
{
	return (uint64_t)((int64_t)(a << 16) >> 16) == a;
}

/* PAT entries may be UC 0, WC 1, WT 4, WP 5, WB 6, UC- 7 (vol. 3A 13.12.2). */
static bool pat_valid(uint64_t pat)
{
	for (int i = 0; i < 8; i++) {
		uint8_t type = (uint8_t)(pat >> (8 * i));
		if (type == 2 || type == 3 || type > 7)
			return false;
	}
	return true;
}

/* LMA follows CR0.PG and LME; the "IA-32e mode guest" entry control must
 * equal it at every entry (26.3.1.1), and exits store it back (27.2). */
void vmx_set_guest_efer(uint64_t efer)
{
	vmcs_write64(GUEST_IA32_EFER, efer);
	uint32_t entry = vmcs_read32(VM_ENTRY_CONTROLS);
	if (efer & EFER_LMA)
		entry |= ENTRY_IA32E_MODE_GUEST;
	else
		entry &= ~ENTRY_IA32E_MODE_GUEST;
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
}

/* WRMSR EFER: SCE, LME, NXE are writable; LMA is the processor's. LME may
 * not change while paging is on (vol. 3A 10.8.5: #GP). */
static int set_efer(uint64_t value)
{
	uint64_t old = vmcs_read64(GUEST_IA32_EFER);
	if (value & ~(EFER_GUEST_WRITABLE | EFER_LMA))
		return -1;
	if (((value ^ old) & EFER_LME) && (vmcs_readnat(GUEST_CR0) & CR0_PG))
		return -1;
	vmx_set_guest_efer((value & EFER_GUEST_WRITABLE) | (old & EFER_LMA));
	return 0;
}

int vmx_vcpu_get_msr(struct vcpu *v, uint32_t index, uint64_t *value)
{
	switch (index) {
	case MSR_EFER: *value = vmcs_read64(GUEST_IA32_EFER); return 0;
	case MSR_IA32_PAT: *value = vmcs_read64(GUEST_IA32_PAT); return 0;
	case MSR_IA32_DEBUGCTL: *value = vmcs_read64(GUEST_IA32_DEBUGCTL); return 0;
	case MSR_IA32_SYSENTER_CS: *value = vmcs_read32(GUEST_SYSENTER_CS); return 0;
	case MSR_IA32_SYSENTER_ESP: *value = vmcs_readnat(GUEST_SYSENTER_ESP); return 0;
	case MSR_IA32_SYSENTER_EIP: *value = vmcs_readnat(GUEST_SYSENTER_EIP); return 0;
	case MSR_FS_BASE: *value = vmcs_readnat(GUEST_FS_BASE); return 0;
	case MSR_GS_BASE: *value = vmcs_readnat(GUEST_GS_BASE); return 0;
	}
	if (is_processor_held(index)) {
		*value = rdmsr(index);
		return 0;
	}
	return -1;
}

int vmx_vcpu_set_msr(struct vcpu *v, uint32_t index, uint64_t value)
{
	switch (index) {
	case MSR_EFER:
		return set_efer(value);
	case MSR_IA32_PAT:
		if (!pat_valid(value))
			return -1;
		vmcs_write64(GUEST_IA32_PAT, value);
		return 0;
	case MSR_IA32_DEBUGCTL:
		/* Single-step on branches only; LBR and the rest need
		 * save/restore Volt does not do. */
		if (value & ~DEBUGCTL_BTF)
			return -1;
		vmcs_write64(GUEST_IA32_DEBUGCTL, value);
		return 0;
	case MSR_IA32_SYSENTER_CS:
		vmcs_write32(GUEST_SYSENTER_CS, (uint32_t)value);
		return 0;
	case MSR_STAR: /* selectors: any value */
		wrmsr(index, value);
		return 0;
	case MSR_SFMASK: /* bits 63:32 reserved */
		if (value >> 32)
			return -1;
		wrmsr(index, value);
		return 0;
	}
	if (!canonical(value))
		return -1; /* every other one holds an address */
	switch (index) {
	case MSR_IA32_SYSENTER_ESP:
		vmcs_writenat(GUEST_SYSENTER_ESP, value);
		return 0;
	case MSR_IA32_SYSENTER_EIP:
		vmcs_writenat(GUEST_SYSENTER_EIP, value);
		return 0;
	case MSR_FS_BASE:
		vmcs_writenat(GUEST_FS_BASE, value);
		return 0;
	case MSR_GS_BASE:
		vmcs_writenat(GUEST_GS_BASE, value);
		return 0;
	}
	if (is_processor_held(index)) {
		wrmsr(index, value);
		return 0;
	}
	return -1;
}
