/*
 * Reading the VMX capability MSRs: pure decoders and the control
 * adjustment every VT-x hypervisor needs. SDM vol. 3C appendix A "VMX
 * Capability Reporting Facility":
 *   A.1  IA32_VMX_BASIC          revision id, region size, memory type,
 *                                TRUE-controls bit
 *   A.3-A.5 control MSRs         allowed-0 / allowed-1 settings
 *   A.6  IA32_VMX_MISC           preemption-timer rate, activity states
 *   A.7/A.8 CR0/CR4 FIXED0/1     bits VMX operation forces
 *   A.10 IA32_VMX_EPT_VPID_CAP   EPT walk length, memory types, page
 *                                sizes, INVEPT/INVVPID types
 *
 * The caller reads the MSRs (arch/x86/msr.h has their numbers); these
 * functions only interpret values, so they run in host unit tests against
 * values captured from real and emulated processors.
 */
#ifndef VOLT_ARCH_X86_VMX_CAPS_H
#define VOLT_ARCH_X86_VMX_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- field layouts not already in arch/x86/msr.h ---------------------- */
/* IA32_VMX_BASIC (A.1); msr.h has the revision mask, region size and
 * bit 55 (VMX_BASIC_TRUE_CTLS). */
#define VMX_BASIC_PHYS_ADDR_32BIT (1ull << 48) /* regions below 4 GiB only */
#define VMX_BASIC_DUAL_MONITOR (1ull << 49)
#define VMX_BASIC_MEMTYPE_SHIFT 50             /* bits 53:50 */
#define VMX_BASIC_MEMTYPE_MASK 0xfull
#define VMX_BASIC_INS_OUTS_INFO (1ull << 54)
#define VMX_BASIC_NO_ERROR_CODE_CHECK (1ull << 56)
#define VMX_REGION_MAX_BYTES 4096

/* Memory types (SDM vol. 3A 11.11; used by BASIC and the EPTP). */
#define VMX_MEMTYPE_UC 0
#define VMX_MEMTYPE_WB 6

/* IA32_VMX_MISC (A.6) */
#define VMX_MISC_PREEMPT_SHIFT_MASK 0x1full    /* bits 4:0 */
#define VMX_MISC_STORES_LMA (1ull << 5)
#define VMX_MISC_ACTIVITY_HLT (1ull << 6)
#define VMX_MISC_ACTIVITY_SHUTDOWN (1ull << 7)
#define VMX_MISC_ACTIVITY_WAIT_SIPI (1ull << 8)
#define VMX_MISC_PT_IN_VMX (1ull << 14)
#define VMX_MISC_SMBASE_RDMSR (1ull << 15)
#define VMX_MISC_CR3_TARGETS_SHIFT 16          /* bits 24:16 */
#define VMX_MISC_CR3_TARGETS_MASK 0x1ffull
#define VMX_MISC_MSR_LIST_SHIFT 25             /* bits 27:25 */
#define VMX_MISC_MSR_LIST_MASK 0x7ull
#define VMX_MISC_MSR_LIST_UNIT 512             /* entries per step */
#define VMX_MISC_SMM_MONITOR_CTL_B2 (1ull << 28)
#define VMX_MISC_VMWRITE_ANY_FIELD (1ull << 29)
#define VMX_MISC_INJECT_ZERO_LENGTH (1ull << 30)
#define VMX_MISC_MSEG_REVISION_SHIFT 32        /* bits 63:32 */

/* IA32_VMX_EPT_VPID_CAP (A.10) */
#define VMX_EPT_CAP_EXECUTE_ONLY (1ull << 0)
#define VMX_EPT_CAP_WALK_4 (1ull << 6)
#define VMX_EPT_CAP_WALK_5 (1ull << 7)
#define VMX_EPT_CAP_MEMTYPE_UC (1ull << 8)
#define VMX_EPT_CAP_MEMTYPE_WB (1ull << 14)
#define VMX_EPT_CAP_PAGE_2M (1ull << 16)
#define VMX_EPT_CAP_PAGE_1G (1ull << 17)
#define VMX_EPT_CAP_INVEPT (1ull << 20)
#define VMX_EPT_CAP_AD_FLAGS (1ull << 21)
#define VMX_EPT_CAP_ADVANCED_EXIT_INFO (1ull << 22)
#define VMX_EPT_CAP_SUPERVISOR_SHADOW_STACK (1ull << 23)
#define VMX_EPT_CAP_INVEPT_SINGLE (1ull << 25)
#define VMX_EPT_CAP_INVEPT_ALL (1ull << 26)
#define VMX_VPID_CAP_INVVPID (1ull << 32)
#define VMX_VPID_CAP_INVVPID_ADDR (1ull << 40)
#define VMX_VPID_CAP_INVVPID_SINGLE (1ull << 41)
#define VMX_VPID_CAP_INVVPID_ALL (1ull << 42)
#define VMX_VPID_CAP_INVVPID_SINGLE_KEEP_GLOBALS (1ull << 43)

/* CR0.PE (bit 0) and CR0.PG (bit 31): IA32_VMX_CR0_FIXED0 demands them,
 * but a guest with "unrestricted guest" may clear both (26.3.1.1). */
#define VMX_CR0_UNRESTRICTED_GUEST_FREE ((1ull << 0) | (1ull << 31))

/* ---- control adjustment (A.3-A.5) ------------------------------------- */

/* Low half of a control MSR: bits that must be 1 ("allowed 0-settings":
 * a 1 here means 0 is not allowed). High half: bits that may be 1. */
static inline uint32_t vmx_ctls_must_be_1(uint64_t cap_msr)
{
	return (uint32_t)cap_msr;
}

static inline uint32_t vmx_ctls_may_be_1(uint64_t cap_msr)
{
	return (uint32_t)(cap_msr >> 32);
}

enum vmx_adjust_result {
	VMX_ADJUST_OK = 0,
	VMX_ADJUST_MISSING = -1,      /* required bits the processor lacks */
	VMX_ADJUST_CONTRADICTORY = -2 /* the MSR demands bits it forbids */
};

/*
 * The value to write into a VM-execution, VM-exit or VM-entry control
 * field, from the capability MSR (use the TRUE one when IA32_VMX_BASIC
 * bit 55 is set), the bits Volt cannot run without (`required`) and the
 * bits it uses when present (`optional`).
 *
 * Result: every must-be-1 bit, every required bit, and the optional bits
 * that may be 1. Returns VMX_ADJUST_OK and sets *out, *missing = 0.
 * Otherwise *out is untouched and *missing holds the offending bits:
 * required bits that may not be 1 (VMX_ADJUST_MISSING), or bits the MSR
 * says must be 1 yet may not be 1 (VMX_ADJUST_CONTRADICTORY: a broken or
 * unimplemented MSR, e.g. a hypervisor below Volt returning garbage).
 * Must-be-1 bits Volt did not ask for are set silently: they are the
 * "default1" controls of A.2, and a caller that needs one clear checks
 * vmx_ctls_must_be_1() itself.
 */
int vmx_adjust_controls(uint64_t cap_msr, uint32_t required, uint32_t optional,
			uint32_t *out, uint32_t *missing);

/* ---- IA32_VMX_BASIC (A.1) ----------------------------------------------- */
struct vmx_basic_info {
	uint32_t revision_id;     /* 30:0, stamped into VMXON region and VMCS */
	uint32_t region_bytes;    /* 44:32, VMXON region and VMCS size */
	bool phys_addr_32bit;     /* 48: regions must be below 4 GiB */
	bool dual_monitor_smm;    /* 49 */
	uint8_t memory_type;      /* 53:50, for VMCS and the structures it
				     points to (VMX_MEMTYPE_WB in practice) */
	bool ins_outs_info;       /* 54: INS/OUTS exits fill instruction info */
	bool true_controls;       /* 55: the IA32_VMX_TRUE_*_CTLS MSRs exist */
	bool no_error_code_check; /* 56: entry may inject any exception with
				     or without an error code */
};

void vmx_decode_basic(uint64_t msr, struct vmx_basic_info *out);

/* Can Volt use this processor's VMCS layout? false with the reason in
 * why (region too large, not write-back). */
bool vmx_basic_usable(const struct vmx_basic_info *b, char *why,
		      size_t why_len);

/* ---- IA32_VMX_MISC (A.6) ------------------------------------------------- */
struct vmx_misc_info {
	uint8_t preemption_timer_shift; /* 4:0: the timer counts down by 1
					   every 2^shift TSC ticks */
	bool stores_lma;          /* 5: exits save EFER.LMA in the IA-32e
				     mode guest entry control */
	bool activity_hlt;        /* 6 */
	bool activity_shutdown;   /* 7 */
	bool activity_wait_sipi;  /* 8 */
	bool pt_in_vmx;           /* 14 */
	bool smbase_rdmsr;        /* 15 */
	uint16_t cr3_targets;     /* 24:16 */
	uint32_t max_msr_list;    /* 27:25: 512 * (N + 1) entries per list */
	bool smm_monitor_ctl_b2;  /* 28 */
	bool vmwrite_any_field;   /* 29: VMWRITE may write exit-info fields */
	bool inject_zero_length;  /* 30: software events with length 0 */
	uint32_t mseg_revision;   /* 63:32 */
};

void vmx_decode_misc(uint64_t msr, struct vmx_misc_info *out);

/* The VMX-preemption timer value that expires after at least tsc_ticks
 * TSC ticks (rounded up to whole timer ticks; saturates at the 32-bit
 * field's maximum). */
uint32_t vmx_preemption_timer_value(const struct vmx_misc_info *m,
				    uint64_t tsc_ticks);

/* ---- IA32_VMX_EPT_VPID_CAP (A.10) --------------------------------------- */
struct vmx_ept_vpid_info {
	bool execute_only;        /* 0: EPT entries with only X set */
	bool walk_4level;         /* 6 */
	bool walk_5level;         /* 7 */
	bool memtype_uc;          /* 8: EPTP memory type uncacheable */
	bool memtype_wb;          /* 14: EPTP memory type write-back */
	bool pages_2m;            /* 16: PDE may map a 2 MiB page */
	bool pages_1g;            /* 17: PDPTE may map a 1 GiB page */
	bool invept;              /* 20 */
	bool ad_flags;            /* 21: EPT accessed/dirty flags */
	bool advanced_exit_info;  /* 22: EPT violations report more */
	bool supervisor_shadow_stack; /* 23 (recent SDM editions) */
	bool invept_single;       /* 25: single-context INVEPT */
	bool invept_all;          /* 26: all-context INVEPT */
	bool invvpid;             /* 32 */
	bool invvpid_addr;        /* 40: individual-address INVVPID */
	bool invvpid_single;      /* 41 */
	bool invvpid_all;         /* 42 */
	bool invvpid_single_keep_globals; /* 43 */
};

void vmx_decode_ept_vpid(uint64_t msr, struct vmx_ept_vpid_info *out);

/* Can Volt's EPT (4-level, write-back, invalidated per VM with INVEPT)
 * run here? false with what is missing in why. */
bool vmx_ept_usable(const struct vmx_ept_vpid_info *e, char *why,
		    size_t why_len);

/* ---- CR0/CR4 fixed bits (A.7, A.8) -------------------------------------- */

/* value with every FIXED0 bit set and every bit FIXED1 lacks cleared. */
uint64_t vmx_cr_apply_fixed(uint64_t value, uint64_t fixed0, uint64_t fixed1);

/* The bits of value that break the rule (0 = value is allowed). */
uint64_t vmx_cr_fixed_violations(uint64_t value, uint64_t fixed0,
				 uint64_t fixed1);

#endif
