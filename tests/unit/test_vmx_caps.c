/*
 * Host tests for the VMX capability helpers (arch/x86/vmx/vmx_caps.c),
 * against the MSR values Bochs 2.7 reports for its tigerlake and
 * corei7_skylake_x models (/work/shared/EMULATORS.md), decoded bit by bit
 * with SDM vol. 3C appendix A.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_controls.h"

/* Bochs 2.7, measured. */
#define TGL_BASIC 0x01d8100000000004ull
#define SKX_BASIC 0x00d810000000002bull
#define TGL_PROCBASED2 0x02977fff00000000ull /* allowed-0 half is 0 */
#define SKX_PROCBASED2 0x02177fff00000000ull
#define TGL_EPT_VPID 0x0f0106b34141ull
#define SKX_EPT_VPID 0x0f0106334141ull
#define BOCHS_MISC 0x600401e0ull
#define BOCHS_CR0_FIXED0 0x80000021ull
#define BOCHS_CR4_FIXED0 0x2000ull

/* Secondary controls by number (SDM 25.6.2, table 25-7). */
#define PROC2_MODE_BASED_EPT_EXEC (1u << 22)
#define PROC2_SUB_PAGE_WRITE (1u << 23)
#define PROC2_TSC_SCALING (1u << 25)

/* Primary processor-based controls: the "default1" class (A.2) and the
 * CR3-load/-store exiting bits it contains (15, 16). */
#define PROC_DEFAULT1 0x0401e172u
#define PROC_CR3_LOAD_EXITING (1u << 15)
#define PROC_CR3_STORE_EXITING (1u << 16)
/* Typical non-TRUE and TRUE primary control MSRs of a real processor:
 * same allowed-1 half; the TRUE one lets CR3 exiting (and bits 1, 4-6,
 * 8, 13, 14, 26 ...) be 0. */
#define PROC_CTLS 0xfff9fffe0401e172ull
#define TRUE_PROC_CTLS 0xfff9fffe04006172ull

#define SENTINEL 0x5a5a5a5au

static void test_adjust_secondary_tigerlake(void **state)
{
	uint32_t out = SENTINEL, missing = SENTINEL;
	uint32_t required = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST;
	uint32_t optional = PROC2_ENABLE_VPID | PROC2_SUB_PAGE_WRITE |
			    PROC2_TSC_SCALING | PROC2_MODE_BASED_EPT_EXEC;

	assert_int_equal(vmx_adjust_controls(TGL_PROCBASED2, required, optional,
					     &out, &missing), VMX_ADJUST_OK);
	/* EPT 1, VPID 5, UG 7, SPP 23, TSC scaling 25; not mode-based 22 */
	assert_int_equal(out, 0x028000a2);
	assert_int_equal(missing, 0);
}

static void test_adjust_secondary_skylake(void **state)
{
	uint32_t out = SENTINEL, missing = SENTINEL;
	uint32_t optional = PROC2_ENABLE_VPID | PROC2_SUB_PAGE_WRITE |
			    PROC2_TSC_SCALING;

	assert_int_equal(vmx_adjust_controls(SKX_PROCBASED2,
					     PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST,
					     optional, &out, &missing),
			 VMX_ADJUST_OK);
	assert_int_equal(out, 0x020000a2); /* no sub-page write permissions */

	/* Required instead of optional: reported, out untouched. */
	out = SENTINEL;
	assert_int_equal(vmx_adjust_controls(SKX_PROCBASED2,
					     PROC2_ENABLE_EPT | PROC2_SUB_PAGE_WRITE,
					     0, &out, &missing),
			 VMX_ADJUST_MISSING);
	assert_int_equal(missing, PROC2_SUB_PAGE_WRITE);
	assert_int_equal(out, SENTINEL);
}

/* Neither model allows mode-based execute control (bit 22). */
static void test_adjust_missing_on_both(void **state)
{
	uint32_t out = SENTINEL, missing = 0;
	uint32_t req = PROC2_ENABLE_EPT | PROC2_MODE_BASED_EPT_EXEC | (1u << 31);

	assert_int_equal(vmx_adjust_controls(TGL_PROCBASED2, req, 0, &out,
					     &missing), VMX_ADJUST_MISSING);
	assert_int_equal(missing, PROC2_MODE_BASED_EPT_EXEC | (1u << 31));
	assert_int_equal(vmx_adjust_controls(SKX_PROCBASED2, req, 0, &out,
					     &missing), VMX_ADJUST_MISSING);
	assert_int_equal(missing, PROC2_MODE_BASED_EPT_EXEC | (1u << 31));
	assert_int_equal(out, SENTINEL);
}

/*
 * Why Volt reads the TRUE MSRs (EMULATORS.md): the old one forces
 * CR3-load and CR3-store exiting on, so every MOV CR3 would exit.
 */
static void test_adjust_true_controls_free_cr3_exiting(void **state)
{
	uint32_t want = PROC_HLT_EXITING | PROC_UNCONDITIONAL_IO_EXITING |
			PROC_ACTIVATE_SECONDARY;
	uint32_t out, missing;

	assert_int_equal(vmx_adjust_controls(PROC_CTLS, want, 0, &out, &missing),
			 VMX_ADJUST_OK);
	assert_int_equal(out, PROC_DEFAULT1 | want);
	assert_true(out & PROC_CR3_LOAD_EXITING);
	assert_true(out & PROC_CR3_STORE_EXITING);

	assert_int_equal(vmx_adjust_controls(TRUE_PROC_CTLS, want, 0, &out,
					     &missing), VMX_ADJUST_OK);
	assert_int_equal(out, 0x04006172u | want);
	assert_false(out & (PROC_CR3_LOAD_EXITING | PROC_CR3_STORE_EXITING));
	assert_int_equal(vmx_ctls_must_be_1(TRUE_PROC_CTLS), 0x04006172u);
	assert_int_equal(vmx_ctls_may_be_1(TRUE_PROC_CTLS), 0xfff9fffeu);
}

static void test_adjust_bad_msrs(void **state)
{
	uint32_t out = SENTINEL, missing = 0;

	/* An MSR that reads 0 (unimplemented, ignore_bad_msrs): nothing may
	 * be 1, so every required bit is missing; optional ones just drop. */
	assert_int_equal(vmx_adjust_controls(0, PROC2_ENABLE_EPT, 0, &out,
					     &missing), VMX_ADJUST_MISSING);
	assert_int_equal(missing, PROC2_ENABLE_EPT);
	assert_int_equal(out, SENTINEL);
	assert_int_equal(vmx_adjust_controls(0, 0, PROC2_ENABLE_VPID, &out,
					     &missing), VMX_ADJUST_OK);
	assert_int_equal(out, 0);
	assert_int_equal(missing, 0);

	/* Must be 1 (bit 4 low) but may not be 1 (bit 4 high clear). */
	out = SENTINEL;
	assert_int_equal(vmx_adjust_controls(0x0000000f00000016ull, 0, 0, &out,
					     &missing), VMX_ADJUST_CONTRADICTORY);
	assert_int_equal(missing, 0x10);
	assert_int_equal(out, SENTINEL);
}

/* All ones may be 1, none must be: exactly required | optional. */
static void test_adjust_passes_through(void **state)
{
	uint32_t out, missing;
	assert_int_equal(vmx_adjust_controls(0xffffffff00000000ull, 0x81, 0x4000,
					     &out, &missing), VMX_ADJUST_OK);
	assert_int_equal(out, 0x4081);
}

/* ---- IA32_VMX_BASIC ------------------------------------------------------ */

static void test_basic_tigerlake(void **state)
{
	struct vmx_basic_info b;
	char why[128];

	vmx_decode_basic(TGL_BASIC, &b);
	assert_int_equal(b.revision_id, 4);
	assert_int_equal(b.region_bytes, 4096);
	assert_false(b.phys_addr_32bit);
	assert_false(b.dual_monitor_smm);
	assert_int_equal(b.memory_type, VMX_MEMTYPE_WB);
	assert_true(b.ins_outs_info);
	assert_true(b.true_controls);
	assert_true(b.no_error_code_check); /* bit 56: tigerlake only */
	assert_true(vmx_basic_usable(&b, why, sizeof(why)));
}

static void test_basic_skylake(void **state)
{
	struct vmx_basic_info b;
	char why[128];

	vmx_decode_basic(SKX_BASIC, &b);
	assert_int_equal(b.revision_id, 0x2b);
	assert_int_equal(b.region_bytes, 4096);
	assert_int_equal(b.memory_type, VMX_MEMTYPE_WB);
	assert_true(b.ins_outs_info);
	assert_true(b.true_controls);
	assert_false(b.no_error_code_check);
	assert_true(vmx_basic_usable(&b, why, sizeof(why)));
}

static void test_basic_unusable(void **state)
{
	struct vmx_basic_info b;
	char why[128];

	/* uncacheable VMCS memory */
	vmx_decode_basic(SKX_BASIC & ~(0xfull << 50), &b);
	assert_int_equal(b.memory_type, VMX_MEMTYPE_UC);
	assert_false(vmx_basic_usable(&b, why, sizeof(why)));
	assert_non_null(strstr(why, "not write-back"));

	/* region size 0 and 4097 */
	vmx_decode_basic(SKX_BASIC & ~(0x1fffull << 32), &b);
	assert_false(vmx_basic_usable(&b, why, sizeof(why)));
	assert_non_null(strstr(why, "region size 0"));
	vmx_decode_basic((SKX_BASIC & ~(0x1fffull << 32)) | (4097ull << 32), &b);
	assert_int_equal(b.region_bytes, 4097);
	assert_false(vmx_basic_usable(&b, why, sizeof(why)));

	/* 32-bit physical addresses only */
	vmx_decode_basic(SKX_BASIC | (1ull << 48), &b);
	assert_true(b.phys_addr_32bit);
	assert_false(vmx_basic_usable(&b, why, sizeof(why)));
	assert_non_null(strstr(why, "32-bit"));

	/* the message is cut to the buffer, never overrun */
	char tiny[8];
	assert_false(vmx_basic_usable(&b, tiny, sizeof(tiny)));
	assert_int_equal(strlen(tiny), 7);
}

/* ---- IA32_VMX_EPT_VPID_CAP ------------------------------------------------ */

static void check_common_ept(const struct vmx_ept_vpid_info *e)
{
	assert_true(e->execute_only);
	assert_true(e->walk_4level);
	assert_false(e->walk_5level);
	assert_true(e->memtype_uc);
	assert_true(e->memtype_wb);
	assert_true(e->pages_2m);
	assert_true(e->pages_1g);
	assert_true(e->invept);
	assert_true(e->ad_flags);
	assert_false(e->advanced_exit_info);
	assert_true(e->invept_single);
	assert_true(e->invept_all);
	assert_true(e->invvpid);
	assert_true(e->invvpid_addr);
	assert_true(e->invvpid_single);
	assert_true(e->invvpid_all);
	assert_true(e->invvpid_single_keep_globals);
}

static void test_ept_tigerlake_skylake(void **state)
{
	struct vmx_ept_vpid_info e;
	char why[128];

	vmx_decode_ept_vpid(TGL_EPT_VPID, &e);
	check_common_ept(&e);
	assert_true(e.supervisor_shadow_stack); /* bit 23: the difference */
	assert_true(vmx_ept_usable(&e, why, sizeof(why)));

	vmx_decode_ept_vpid(SKX_EPT_VPID, &e);
	check_common_ept(&e);
	assert_false(e.supervisor_shadow_stack);
	assert_true(vmx_ept_usable(&e, why, sizeof(why)));
}

static void test_ept_unusable(void **state)
{
	struct vmx_ept_vpid_info e;
	char why[128];

	vmx_decode_ept_vpid(SKX_EPT_VPID & ~VMX_EPT_CAP_MEMTYPE_WB, &e);
	assert_false(vmx_ept_usable(&e, why, sizeof(why)));
	assert_string_equal(why, "IA32_VMX_EPT_VPID_CAP: EPT lacks write-back "
				 "EPT paging structures");

	vmx_decode_ept_vpid(SKX_EPT_VPID & ~VMX_EPT_CAP_WALK_4, &e);
	assert_false(vmx_ept_usable(&e, why, sizeof(why)));
	assert_non_null(strstr(why, "4-level"));

	vmx_decode_ept_vpid(SKX_EPT_VPID & ~VMX_EPT_CAP_INVEPT, &e);
	assert_false(vmx_ept_usable(&e, why, sizeof(why)));
	assert_non_null(strstr(why, "lacks INVEPT"));

	vmx_decode_ept_vpid(SKX_EPT_VPID & ~(VMX_EPT_CAP_INVEPT_SINGLE |
					      VMX_EPT_CAP_INVEPT_ALL), &e);
	assert_false(vmx_ept_usable(&e, why, sizeof(why)));
	assert_non_null(strstr(why, "single- or all-context"));

	/* 2 MiB pages are optional */
	vmx_decode_ept_vpid(SKX_EPT_VPID & ~VMX_EPT_CAP_PAGE_2M, &e);
	assert_false(e.pages_2m);
	assert_true(vmx_ept_usable(&e, why, sizeof(why)));

	vmx_decode_ept_vpid(0, &e);
	assert_false(vmx_ept_usable(&e, why, sizeof(why)));
	assert_false(e.invvpid);
}

/* ---- IA32_VMX_MISC ----------------------------------------------------------- */

static void test_misc_bochs(void **state)
{
	struct vmx_misc_info m;

	vmx_decode_misc(BOCHS_MISC, &m);
	assert_int_equal(m.preemption_timer_shift, 0); /* ticks at TSC rate */
	assert_true(m.stores_lma);
	assert_true(m.activity_hlt);
	assert_true(m.activity_shutdown);
	assert_true(m.activity_wait_sipi);
	assert_false(m.pt_in_vmx);
	assert_false(m.smbase_rdmsr);
	assert_int_equal(m.cr3_targets, 4);
	assert_int_equal(m.max_msr_list, 512);
	assert_false(m.smm_monitor_ctl_b2);
	assert_true(m.vmwrite_any_field);
	assert_true(m.inject_zero_length);
	assert_int_equal(m.mseg_revision, 0);

	assert_int_equal(vmx_preemption_timer_value(&m, 0), 0);
	assert_int_equal(vmx_preemption_timer_value(&m, 30000000), 30000000);
	assert_int_equal(vmx_preemption_timer_value(&m, 1ull << 40), UINT32_MAX);
}

static void test_misc_fields_and_timer_rounding(void **state)
{
	struct vmx_misc_info m;

	/* rate 5 (common on real processors), MSR lists of 512 * 8, MSEG 7 */
	vmx_decode_misc(0x000000070e0001e5ull | (1ull << 14), &m);
	assert_int_equal(m.preemption_timer_shift, 5);
	assert_int_equal(m.max_msr_list, 4096);
	assert_int_equal(m.cr3_targets, 0);
	assert_true(m.pt_in_vmx);
	assert_int_equal(m.mseg_revision, 7);

	/* 1000 TSC ticks = 31.25 timer ticks: rounded up, never early */
	assert_int_equal(vmx_preemption_timer_value(&m, 1000), 32);
	assert_int_equal(vmx_preemption_timer_value(&m, 1024), 32);
	assert_int_equal(vmx_preemption_timer_value(&m, 1), 1);
	assert_int_equal(vmx_preemption_timer_value(&m, ~0ull), UINT32_MAX);
}

/* ---- CR0/CR4 fixed bits ------------------------------------------------------ */

#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_NE 0x20ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define CR4_VMXE 0x2000ull
#define EXAMPLE_FIXED1 0xffffffffull     /* CR0: nothing forced to 0 */
#define EXAMPLE_CR4_FIXED1 0x003727ffull /* an example processor's */

static void test_cr_fixed(void **state)
{
	uint64_t real_mode = CR0_ET | CR0_NE;

	/* Host CR0 before VMXON: NE gets set (PE and PG already are). */
	assert_int_equal(vmx_cr_apply_fixed(CR0_PE | CR0_ET | CR0_PG,
					    BOCHS_CR0_FIXED0, EXAMPLE_FIXED1),
			 CR0_PE | CR0_ET | CR0_NE | CR0_PG);
	assert_int_equal(vmx_cr_fixed_violations(CR0_PE | CR0_ET,
						 BOCHS_CR0_FIXED0, EXAMPLE_FIXED1),
			 CR0_NE | CR0_PG);

	/* A real-mode guest breaks FIXED0 unless unrestricted guest frees
	 * PE and PG. */
	assert_int_equal(vmx_cr_fixed_violations(real_mode, BOCHS_CR0_FIXED0,
						 EXAMPLE_FIXED1),
			 CR0_PE | CR0_PG);
	assert_int_equal(vmx_cr_fixed_violations(
				 real_mode,
				 BOCHS_CR0_FIXED0 & ~VMX_CR0_UNRESTRICTED_GUEST_FREE,
				 EXAMPLE_FIXED1),
			 0);

	/* CR4: VMXE forced on; a bit FIXED1 lacks is forced off. */
	assert_int_equal(vmx_cr_apply_fixed(CR4_PAE | (1ull << 22),
					    BOCHS_CR4_FIXED0, EXAMPLE_CR4_FIXED1),
			 CR4_PAE | CR4_VMXE);
	assert_int_equal(vmx_cr_fixed_violations(CR4_PAE | (1ull << 22),
						 BOCHS_CR4_FIXED0,
						 EXAMPLE_CR4_FIXED1),
			 CR4_VMXE | (1ull << 22));
	assert_int_equal(vmx_cr_fixed_violations(CR4_PAE | CR4_VMXE,
						 BOCHS_CR4_FIXED0,
						 EXAMPLE_CR4_FIXED1),
			 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_adjust_secondary_tigerlake),
		cmocka_unit_test(test_adjust_secondary_skylake),
		cmocka_unit_test(test_adjust_missing_on_both),
		cmocka_unit_test(test_adjust_true_controls_free_cr3_exiting),
		cmocka_unit_test(test_adjust_bad_msrs),
		cmocka_unit_test(test_adjust_passes_through),
		cmocka_unit_test(test_basic_tigerlake),
		cmocka_unit_test(test_basic_skylake),
		cmocka_unit_test(test_basic_unusable),
		cmocka_unit_test(test_ept_tigerlake_skylake),
		cmocka_unit_test(test_ept_unusable),
		cmocka_unit_test(test_misc_bochs),
		cmocka_unit_test(test_misc_fields_and_timer_rounding),
		cmocka_unit_test(test_cr_fixed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
