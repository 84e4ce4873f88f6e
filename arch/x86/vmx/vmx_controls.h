/*
 * VM-execution, VM-exit and VM-entry control bits Volt uses (SDM vol. 3C
 * 25.6-25.8), exit qualifications and interruption information. The exit
 * reasons are in exit_reasons.def.
 */
#ifndef VOLT_ARCH_X86_VMX_CONTROLS_H
#define VOLT_ARCH_X86_VMX_CONTROLS_H

/* Pin-based (25.6.1) */
#define PIN_EXTERNAL_INTERRUPT_EXITING (1u << 0)
#define PIN_NMI_EXITING (1u << 3)
#define PIN_VIRTUAL_NMIS (1u << 5)
#define PIN_ACTIVATE_PREEMPTION_TIMER (1u << 6)
/* Primary processor-based (25.6.2) */
#define PROC_INTERRUPT_WINDOW_EXITING (1u << 2)
#define PROC_HLT_EXITING (1u << 7)
#define PROC_MWAIT_EXITING (1u << 10)
#define PROC_NMI_WINDOW_EXITING (1u << 22)
#define PROC_CR8_LOAD_EXITING (1u << 19)
#define PROC_CR8_STORE_EXITING (1u << 20)
#define PROC_USE_TPR_SHADOW (1u << 21)
#define PROC_UNCONDITIONAL_IO_EXITING (1u << 24)
#define PROC_USE_IO_BITMAPS (1u << 25)
#define PROC_USE_MSR_BITMAPS (1u << 28)
#define PROC_MONITOR_EXITING (1u << 29)
#define PROC_ACTIVATE_SECONDARY (1u << 31)
/* Secondary processor-based */
#define PROC2_VIRTUALIZE_APIC_ACCESSES (1u << 0)
#define PROC2_ENABLE_EPT (1u << 1)
#define PROC2_VIRTUALIZE_X2APIC_MODE (1u << 4)
#define PROC2_ENABLE_VPID (1u << 5)
#define PROC2_UNRESTRICTED_GUEST (1u << 7)
#define PROC2_APIC_REGISTER_VIRT (1u << 8)
#define PROC2_VIRTUAL_INTR_DELIVERY (1u << 9)
/* VM-exit controls (25.7.1) */
#define EXIT_HOST_ADDR_SPACE_SIZE (1u << 9)
#define EXIT_ACK_INTERRUPT_ON_EXIT (1u << 15)
#define EXIT_SAVE_IA32_PAT (1u << 18)
#define EXIT_LOAD_IA32_PAT (1u << 19)
#define EXIT_SAVE_IA32_EFER (1u << 20)
#define EXIT_LOAD_IA32_EFER (1u << 21)
/* VM-entry controls (25.8.1) */
#define ENTRY_LOAD_DEBUG_CONTROLS (1u << 2)
#define ENTRY_IA32E_MODE_GUEST (1u << 9)
#define ENTRY_LOAD_IA32_PAT (1u << 14)
#define ENTRY_LOAD_IA32_EFER (1u << 15)

/* I/O exit qualification (table 28-5) */
#define IO_QUAL_SIZE_MASK 0x7u   /* size - 1 */
#define IO_QUAL_IN (1u << 3)
#define IO_QUAL_STRING (1u << 4)
#define IO_QUAL_REP (1u << 5)
#define IO_QUAL_PORT_SHIFT 16
/* Control-register access qualification (table 28-3) */
#define CR_QUAL_NUMBER_MASK 0xfu
#define CR_QUAL_ACCESS_SHIFT 4 /* 0 MOV to CR, 1 MOV from CR, 2 CLTS, 3 LMSW */
#define CR_QUAL_ACCESS_MASK 0x3u
#define CR_QUAL_GPR_SHIFT 8
#define CR_QUAL_GPR_MASK 0xfu
#define CR_QUAL_LMSW_SHIFT 16
/* EPT violation qualification (table 28-7) */
#define EPT_QUAL_READ (1u << 0)
#define EPT_QUAL_WRITE (1u << 1)
#define EPT_QUAL_FETCH (1u << 2)
/* APIC-access qualification (table 28-6): the page offset, and how */
#define APIC_ACCESS_QUAL_OFFSET_MASK 0xfffu
#define APIC_ACCESS_QUAL_TYPE_SHIFT 12
#define APIC_ACCESS_QUAL_TYPE_MASK 0xfu
#define APIC_ACCESS_LINEAR_READ 0
#define APIC_ACCESS_LINEAR_WRITE 1
#define APIC_ACCESS_LINEAR_FETCH 2
#define APIC_ACCESS_LINEAR_EVENT 3   /* during event delivery */
#define APIC_ACCESS_PHYSICAL_EVENT 10 /* guest-physical, event delivery */
#define APIC_ACCESS_PHYSICAL_INSN 15  /* guest-physical, fetch or insn */
/* APIC-write qualification: the offset; EOI-induced: the vector */
#define APIC_WRITE_QUAL_OFFSET_MASK 0xfffu
#define EOI_QUAL_VECTOR_MASK 0xffu

/* VM-entry interruption information (25.8.3) */
#define INTR_INFO_VALID (1u << 31)
#define INTR_INFO_DELIVER_ERROR_CODE (1u << 11)
#define INTR_TYPE_MASK (7u << 8)
#define INTR_TYPE_EXTERNAL_INTERRUPT (0u << 8)
#define INTR_TYPE_NMI (2u << 8)
#define INTR_TYPE_HARDWARE_EXCEPTION (3u << 8)
#define INTR_TYPE_SOFTWARE_INTERRUPT (4u << 8)
#define INTR_TYPE_PRIV_SOFTWARE_EXCEPTION (5u << 8)
#define INTR_TYPE_SOFTWARE_EXCEPTION (6u << 8)
#define IDT_VECTORING_UNDEFINED_BIT12 (1u << 12) /* not part of an
							  entry's info */
/* Guest interruptibility state (25.4.2): blocking by STI / MOV SS. */
#define INTERRUPTIBILITY_BLOCKING_MASK 0x3u
#define INTERRUPTIBILITY_BLOCKING_MOV_SS (1u << 1)
#define INTERRUPTIBILITY_BLOCKING_NMI (1u << 3)

/* Segment access rights (25.4.1): type, S, DPL 0, present. */
#define AR_CODE_READ_ACCESSED 0x9b
#define AR_DATA_WRITE_ACCESSED 0x93
#define AR_TSS_BUSY_32 0x8b
#define AR_UNUSABLE (1u << 16)
/* Flat protected-mode segments: the type above plus G (4 KiB limit
 * granularity), D/B (32-bit) or L (64-bit code). */
#define AR_DPL_SHIFT 5
#define AR_G (1u << 15)
#define AR_DB (1u << 14)
#define AR_L (1u << 13)
#define AR_CODE32_FLAT (AR_CODE_READ_ACCESSED | AR_DB | AR_G)
#define AR_CODE64_FLAT (AR_CODE_READ_ACCESSED | AR_L | AR_G)
#define AR_DATA_FLAT (AR_DATA_WRITE_ACCESSED | AR_DB | AR_G)

#endif
