/*
 * Model-specific registers Volt uses, sorted by index, with the bits we touch
 * indented under each one (SDM vol. 4). No MSR number appears anywhere else.
 */
#ifndef VOLT_ARCH_X86_MSR_H
#define VOLT_ARCH_X86_MSR_H

#define MSR_IA32_APIC_BASE 0x0000001b
#define   APIC_BASE_BSP (1ull << 8)
#define   APIC_BASE_X2APIC_ENABLE (1ull << 10)
#define   APIC_BASE_XAPIC_ENABLE (1ull << 11)
#define   APIC_BASE_ADDR_MASK 0x000ffffffffff000ull
#define MSR_IA32_FEATURE_CONTROL 0x0000003a
#define   FEATURE_CONTROL_LOCKED (1ull << 0)
#define   FEATURE_CONTROL_VMXON_OUTSIDE_SMX (1ull << 2)
#define MSR_IA32_VMX_BASIC 0x00000480
#define   VMX_BASIC_REVISION_MASK 0x7fffffffull
#define   VMX_BASIC_REGION_SIZE_SHIFT 32
#define   VMX_BASIC_REGION_SIZE_MASK 0x1fffull
#define MSR_IA32_VMX_PROCBASED_CTLS 0x00000482
#define   PROCBASED_ACTIVATE_SECONDARY (1ull << 31)
#define MSR_IA32_VMX_CR0_FIXED0 0x00000486
#define MSR_IA32_VMX_CR0_FIXED1 0x00000487
#define MSR_IA32_VMX_CR4_FIXED0 0x00000488
#define MSR_IA32_VMX_CR4_FIXED1 0x00000489
#define MSR_IA32_VMX_PROCBASED_CTLS2 0x0000048b
#define   PROCBASED2_ENABLE_EPT (1ull << 1)
#define   PROCBASED2_ENABLE_VPID (1ull << 5)
#define   PROCBASED2_UNRESTRICTED_GUEST (1ull << 7)
#define MSR_IA32_TSC_DEADLINE 0x000006e0
#define MSR_X2APIC_BASE 0x00000800 /* x2APIC register r is MSR 0x800 + (r >> 4) */
#define MSR_EFER 0xc0000080
#define   EFER_SCE (1ull << 0)
#define   EFER_LME (1ull << 8)
#define   EFER_LMA (1ull << 10)
#define   EFER_NXE (1ull << 11)
#define MSR_FS_BASE 0xc0000100
#define MSR_GS_BASE 0xc0000101
#define MSR_KERNEL_GS_BASE 0xc0000102

#endif
