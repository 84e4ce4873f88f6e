/*
 * Interpreting the VMX capability MSRs (SDM vol. 3C appendix A): the
 * allowed-0/allowed-1 control adjustment (A.3-A.5), and decoders for
 * IA32_VMX_BASIC (A.1), IA32_VMX_MISC (A.6), IA32_VMX_EPT_VPID_CAP (A.10)
 * and the CR0/CR4 fixed-bit MSRs (A.7, A.8).
 *
 * Pure C: values in, answers out. Host-tested (tests/unit/test_vmx_caps.c)
 * against the MSR values Bochs reports for its tigerlake and skylake_x
 * models (/work/shared/EMULATORS.md).
 */
#include "arch/x86/msr.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "lib/format.h"

int vmx_adjust_controls(uint64_t cap_msr, uint32_t required, uint32_t optional,
			uint32_t *out, uint32_t *missing)
{
	uint32_t must = vmx_ctls_must_be_1(cap_msr);
	uint32_t may = vmx_ctls_may_be_1(cap_msr);

	/* A bit that must be 1 but may not be 1 cannot be satisfied by any
	 * value: the MSR itself is wrong. */
	if (must & ~may) {
		*missing = must & ~may;
		return VMX_ADJUST_CONTRADICTORY;
	}
	if (required & ~may) {
		*missing = required & ~may;
		return VMX_ADJUST_MISSING;
	}
	*out = must | required | (optional & may);
	*missing = 0;
	return VMX_ADJUST_OK;
}

static bool bit(uint64_t msr, uint64_t mask)
{
	return (msr & mask) != 0;
}

/* ---- IA32_VMX_BASIC -------------------------------------------------------- */

void vmx_decode_basic(uint64_t msr, struct vmx_basic_info *out)
{
	out->revision_id = (uint32_t)(msr & VMX_BASIC_REVISION_MASK);
	out->region_bytes = (uint32_t)((msr >> VMX_BASIC_REGION_SIZE_SHIFT) &
				       VMX_BASIC_REGION_SIZE_MASK);
	out->phys_addr_32bit = bit(msr, VMX_BASIC_PHYS_ADDR_32BIT);
	out->dual_monitor_smm = bit(msr, VMX_BASIC_DUAL_MONITOR);
	out->memory_type = (uint8_t)((msr >> VMX_BASIC_MEMTYPE_SHIFT) &
				     VMX_BASIC_MEMTYPE_MASK);
	out->ins_outs_info = bit(msr, VMX_BASIC_INS_OUTS_INFO);
	out->true_controls = bit(msr, VMX_BASIC_TRUE_CTLS);
	out->no_error_code_check = bit(msr, VMX_BASIC_NO_ERROR_CODE_CHECK);
}

/*
 * Volt allocates one 4 KiB frame per VMXON region and VMCS, maps it
 * write-back, and does not restrict frames to the low 4 GiB.
 */
bool vmx_basic_usable(const struct vmx_basic_info *b, char *why,
		      size_t why_len)
{
	if (b->region_bytes == 0 || b->region_bytes > VMX_REGION_MAX_BYTES) {
		volt_snprintf(why, why_len,
			      "IA32_VMX_BASIC: VMCS region size %u is not in 1..%u",
			      b->region_bytes, VMX_REGION_MAX_BYTES);
		return false;
	}
	if (b->memory_type != VMX_MEMTYPE_WB) {
		volt_snprintf(why, why_len,
			      "IA32_VMX_BASIC: VMCS memory type %u is not write-back (%u)",
			      b->memory_type, VMX_MEMTYPE_WB);
		return false;
	}
	if (b->phys_addr_32bit) {
		volt_snprintf(why, why_len,
			      "IA32_VMX_BASIC: VMX structures limited to 32-bit "
			      "physical addresses (a 32-bit-only processor)");
		return false;
	}
	return true;
}

/* ---- IA32_VMX_MISC --------------------------------------------------------- */

void vmx_decode_misc(uint64_t msr, struct vmx_misc_info *out)
{
	uint64_t list_steps = (msr >> VMX_MISC_MSR_LIST_SHIFT) &
			      VMX_MISC_MSR_LIST_MASK;

	out->preemption_timer_shift = (uint8_t)(msr & VMX_MISC_PREEMPT_SHIFT_MASK);
	out->stores_lma = bit(msr, VMX_MISC_STORES_LMA);
	out->activity_hlt = bit(msr, VMX_MISC_ACTIVITY_HLT);
	out->activity_shutdown = bit(msr, VMX_MISC_ACTIVITY_SHUTDOWN);
	out->activity_wait_sipi = bit(msr, VMX_MISC_ACTIVITY_WAIT_SIPI);
	out->pt_in_vmx = bit(msr, VMX_MISC_PT_IN_VMX);
	out->smbase_rdmsr = bit(msr, VMX_MISC_SMBASE_RDMSR);
	out->cr3_targets = (uint16_t)((msr >> VMX_MISC_CR3_TARGETS_SHIFT) &
				      VMX_MISC_CR3_TARGETS_MASK);
	out->max_msr_list = (uint32_t)(VMX_MISC_MSR_LIST_UNIT * (list_steps + 1));
	out->smm_monitor_ctl_b2 = bit(msr, VMX_MISC_SMM_MONITOR_CTL_B2);
	out->vmwrite_any_field = bit(msr, VMX_MISC_VMWRITE_ANY_FIELD);
	out->inject_zero_length = bit(msr, VMX_MISC_INJECT_ZERO_LENGTH);
	out->mseg_revision = (uint32_t)(msr >> VMX_MISC_MSEG_REVISION_SHIFT);
}

/*
 * The timer decrements once each time TSC bit `shift` flips (25.5.1), so
 * it needs ceil(tsc_ticks / 2^shift) steps. Rounding up: a timer that
 * fires early would preempt a vCPU before its slice ended.
 */
uint32_t vmx_preemption_timer_value(const struct vmx_misc_info *m,
				    uint64_t tsc_ticks)
{
	uint64_t unit = 1ull << m->preemption_timer_shift;
	uint64_t steps = tsc_ticks / unit + (tsc_ticks % unit != 0);

	return steps > UINT32_MAX ? UINT32_MAX : (uint32_t)steps;
}

/* ---- IA32_VMX_EPT_VPID_CAP --------------------------------------------------- */

void vmx_decode_ept_vpid(uint64_t msr, struct vmx_ept_vpid_info *out)
{
	out->execute_only = bit(msr, VMX_EPT_CAP_EXECUTE_ONLY);
	out->walk_4level = bit(msr, VMX_EPT_CAP_WALK_4);
	out->walk_5level = bit(msr, VMX_EPT_CAP_WALK_5);
	out->memtype_uc = bit(msr, VMX_EPT_CAP_MEMTYPE_UC);
	out->memtype_wb = bit(msr, VMX_EPT_CAP_MEMTYPE_WB);
	out->pages_2m = bit(msr, VMX_EPT_CAP_PAGE_2M);
	out->pages_1g = bit(msr, VMX_EPT_CAP_PAGE_1G);
	out->invept = bit(msr, VMX_EPT_CAP_INVEPT);
	out->ad_flags = bit(msr, VMX_EPT_CAP_AD_FLAGS);
	out->advanced_exit_info = bit(msr, VMX_EPT_CAP_ADVANCED_EXIT_INFO);
	out->supervisor_shadow_stack = bit(msr, VMX_EPT_CAP_SUPERVISOR_SHADOW_STACK);
	out->invept_single = bit(msr, VMX_EPT_CAP_INVEPT_SINGLE);
	out->invept_all = bit(msr, VMX_EPT_CAP_INVEPT_ALL);
	out->invvpid = bit(msr, VMX_VPID_CAP_INVVPID);
	out->invvpid_addr = bit(msr, VMX_VPID_CAP_INVVPID_ADDR);
	out->invvpid_single = bit(msr, VMX_VPID_CAP_INVVPID_SINGLE);
	out->invvpid_all = bit(msr, VMX_VPID_CAP_INVVPID_ALL);
	out->invvpid_single_keep_globals =
		bit(msr, VMX_VPID_CAP_INVVPID_SINGLE_KEEP_GLOBALS);
}

/*
 * Volt's EPT builder writes 4-level tables mapped write-back and needs
 * some INVEPT type to drop stale translations when a mapping changes.
 * 2 MiB pages are only an optimisation: without them Volt uses 4 KiB.
 */
bool vmx_ept_usable(const struct vmx_ept_vpid_info *e, char *why,
		    size_t why_len)
{
	const char *lack = !e->walk_4level ? "a 4-level page walk"
			 : !e->memtype_wb  ? "write-back EPT paging structures"
			 : !e->invept	   ? "INVEPT"
			 : !(e->invept_single || e->invept_all)
				 ? "a single- or all-context INVEPT"
				 : NULL;
	if (lack) {
		volt_snprintf(why, why_len, "IA32_VMX_EPT_VPID_CAP: EPT lacks %s",
			      lack);
		return false;
	}
	return true;
}

/* ---- CR0/CR4 fixed bits ------------------------------------------------------ */

uint64_t vmx_cr_apply_fixed(uint64_t value, uint64_t fixed0, uint64_t fixed1)
{
	return (value | fixed0) & fixed1;
}

uint64_t vmx_cr_fixed_violations(uint64_t value, uint64_t fixed0,
				 uint64_t fixed1)
{
	return (~value & fixed0) | (value & ~fixed1);
}
