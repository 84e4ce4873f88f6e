/*
 * The guest state a vCPU starts with (SDM vol. 3C 25.4 "Guest-State
 * Area"; every value is chosen to pass the entry checks of 27.3.1 /
 * 26.3.1, which docs/vmx-guest-checks.md lists).
 *
 * Three starts, as struct vcpu_boot asks (vmm/vcpu_boot.h):
 *   real mode       CR0.PE = 0: needs "unrestricted guest" (25.6.2);
 *                   segments hold base = selector << 4, limit 64 KiB.
 *   32-bit flat     CR0.PE = 1, paging off; CS/DS.. are flat 4 GiB
 *                   segments described by the loader's GDT.
 *   64-bit          CR0.PG|PE, CR4.PAE, EFER.LME|LMA and the "IA-32e mode
 *                   guest" entry control; CS has L = 1; CR3 = the
 *                   loader's identity page tables.
 * Interrupts start disabled; TR is a busy TSS as the checks require even
 * though no guest TSS exists yet (a guest loads its own before it needs
 * one).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_vcpu.h"

#define RFLAGS_RESERVED_1 (1ull << 1)
#define DR7_INIT 0x400ull
#define REAL_MODE_SEG_LIMIT 0xffff
#define REAL_MODE_IVT_LIMIT 0x3ff
#define FLAT_LIMIT 0xffffffffu
#define VMCS_LINK_POINTER_NONE (~0ull)

#define SET_SEGMENT(seg, sel, base, limit, ar)                 \
	do {                                                   \
		vmcs_write16(GUEST_##seg##_SELECTOR, sel);     \
		vmcs_writenat(GUEST_##seg##_BASE, base);       \
		vmcs_write32(GUEST_##seg##_LIMIT, limit);      \
		vmcs_write32(GUEST_##seg##_AR, ar);            \
	} while (0)

static void set_data_segments(uint16_t sel, uint64_t base, uint32_t limit,
			      uint32_t ar)
{
	SET_SEGMENT(SS, sel, base, limit, ar);
	SET_SEGMENT(DS, sel, base, limit, ar);
	SET_SEGMENT(ES, sel, base, limit, ar);
	SET_SEGMENT(FS, sel, base, limit, ar);
	SET_SEGMENT(GS, sel, base, limit, ar);
}

static void setup_real_mode(const struct vcpu_boot *boot, uint64_t *cr0,
			    uint64_t *cr4)
{
	*cr0 = CR0_ET | CR0_NE;
	*cr4 = 0;
	SET_SEGMENT(CS, boot->real_cs, (uint64_t)boot->real_cs << 4,
		    REAL_MODE_SEG_LIMIT, AR_CODE_READ_ACCESSED);
	set_data_segments(0, 0, REAL_MODE_SEG_LIMIT, AR_DATA_WRITE_ACCESSED);
	vmcs_writenat(GUEST_GDTR_BASE, 0);
	vmcs_write32(GUEST_GDTR_LIMIT, REAL_MODE_SEG_LIMIT);
	vmcs_write32(GUEST_IDTR_LIMIT, REAL_MODE_IVT_LIMIT);
	vmx_set_guest_efer(0);
}

static void setup_flat_protected_mode(const struct vcpu_boot *boot,
				      bool long_mode, uint64_t *cr0,
				      uint64_t *cr4)
{
	*cr0 = CR0_PE | CR0_ET | CR0_NE | (long_mode ? CR0_PG : 0);
	*cr4 = long_mode ? CR4_PAE : 0;
	SET_SEGMENT(CS, boot->code_sel, 0, FLAT_LIMIT,
		    long_mode ? AR_CODE64_FLAT : AR_CODE32_FLAT);
	set_data_segments(boot->data_sel, 0, FLAT_LIMIT, AR_DATA_FLAT);
	vmcs_writenat(GUEST_GDTR_BASE, boot->gdt_base);
	vmcs_write32(GUEST_GDTR_LIMIT, boot->gdt_limit);
	vmcs_write32(GUEST_IDTR_LIMIT, 0); /* the guest installs its own */
	vmcs_writenat(GUEST_CR3, long_mode ? boot->cr3 : 0);
	vmx_set_guest_efer(long_mode ? EFER_LME | EFER_LMA : 0);
}

/* State every start shares: no pending events, no link VMCS, reset
 * values for the MSRs the VMCS holds (SDM vol. 3A 10.1.1, table 10-1). */
static void setup_common_state(void)
{
	SET_SEGMENT(TR, 0, 0, REAL_MODE_SEG_LIMIT, AR_TSS_BUSY_32);
	SET_SEGMENT(LDTR, 0, 0, 0, AR_UNUSABLE);
	vmcs_writenat(GUEST_IDTR_BASE, 0);
	vmcs_writenat(GUEST_DR7, DR7_INIT);
	vmcs_writenat(GUEST_RFLAGS, RFLAGS_RESERVED_1);
	vmcs_write32(GUEST_INTERRUPTIBILITY_INFO, 0);
	vmcs_write32(GUEST_ACTIVITY_STATE, 0);
	vmcs_writenat(GUEST_PENDING_DBG_EXCEPTIONS, 0);
	vmcs_write64(VMCS_LINK_POINTER, VMCS_LINK_POINTER_NONE);
	vmcs_write64(GUEST_IA32_DEBUGCTL, 0);
	vmcs_write64(GUEST_IA32_PAT, PAT_POWER_ON_DEFAULT);
	vmcs_write32(GUEST_SYSENTER_CS, 0);
	vmcs_writenat(GUEST_SYSENTER_ESP, 0);
	vmcs_writenat(GUEST_SYSENTER_EIP, 0);
}

void vmx_setup_guest_state(const struct vcpu_boot *boot)
{
	uint64_t cr0, cr4;

	vmcs_writenat(GUEST_CR3, 0);
	if (boot->mode == VCPU_BOOT_REAL16)
		setup_real_mode(boot, &cr0, &cr4);
	else
		setup_flat_protected_mode(boot, boot->mode == VCPU_BOOT_LONG64,
					  &cr0, &cr4);
	/* The guest owns CR0 (mask 0). CR4.VMXE must stay set in VMX
	 * operation (CR4_FIXED0); the mask hides it: the guest reads the
	 * shadow, and a write that changes a masked bit exits. */
	vmcs_writenat(GUEST_CR0, cr0);
	vmcs_writenat(CR0_GUEST_HOST_MASK, 0);
	vmcs_writenat(CR0_READ_SHADOW, cr0);
	vmcs_writenat(GUEST_CR4, cr4 | rdmsr(MSR_IA32_VMX_CR4_FIXED0));
	vmcs_writenat(CR4_GUEST_HOST_MASK, CR4_VMXE);
	vmcs_writenat(CR4_READ_SHADOW, cr4);
	vmcs_writenat(GUEST_RSP, boot->stack);
	vmcs_writenat(GUEST_RIP, boot->entry);
	setup_common_state();
}
