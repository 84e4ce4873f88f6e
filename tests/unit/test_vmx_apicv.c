/*
 * Host tests for the pure rules of VT-x APIC virtualization
 * (arch/x86/vmx/vmx_apicv_rules.c): the capability decision on Bochs's
 * capability MSRs (skylake_x, tigerlake; ../shared/EMULATORS.md) and on
 * processors lacking one feature each, every APIC-related VM-entry check
 * of the SDM vol. 3C "Checks on VM-Execution Control Fields" passing and
 * failing, the controls per guest APIC mode, and the x2APIC MSRs the MSR
 * bitmap opens (SDM "Virtualizing MSR-Based APIC Accesses").
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/msr_bitmap.h"
#include "arch/x86/vmx/vmx_apicv.h"
#include "arch/x86/vmx/vmx_controls.h"

/* IA32_VMX_PROCBASED_CTLS2 allowed-1 halves measured in Bochs 2.7. */
#define SKYLAKE_X_PROC2 (0x02177fffull << 32)
#define TIGERLAKE_PROC2 (0x02977fffull << 32)
/* A primary control MSR offering everything (allowed-1 all ones). */
#define PROC_ALL (0xffffffffull << 32)

static void test_bochs_models_have_it(void **state)
{
	assert_null(vmx_apicv_missing(PROC_ALL, SKYLAKE_X_PROC2));
	assert_null(vmx_apicv_missing(PROC_ALL, TIGERLAKE_PROC2));
}

static void test_each_missing_feature_named(void **state)
{
	static const struct {
		bool secondary;
		uint32_t bit;
		const char *name;
	} cases[] = {
		{ false, PROC_ACTIVATE_SECONDARY, "secondary controls" },
		{ false, PROC_USE_TPR_SHADOW, "the TPR shadow" },
		{ true, PROC2_VIRTUALIZE_APIC_ACCESSES,
		  "APIC-access virtualization" },
		{ true, PROC2_VIRTUALIZE_X2APIC_MODE,
		  "x2APIC-mode virtualization" },
		{ true, PROC2_APIC_REGISTER_VIRT,
		  "APIC-register virtualization" },
		{ true, PROC2_VIRTUAL_INTR_DELIVERY,
		  "virtual-interrupt delivery" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t proc = PROC_ALL, proc2 = SKYLAKE_X_PROC2;
		uint64_t clear = (uint64_t)cases[i].bit << 32;
		if (cases[i].secondary)
			proc2 &= ~clear;
		else
			proc &= ~clear;
		const char *got = vmx_apicv_missing(proc, proc2);
		assert_non_null(got);
		assert_string_equal(got, cases[i].name);
	}
	/* The allowed-0 half (low 32 bits) says nothing about what may be
	 * set: all ones there, nothing above, is still "missing". */
	assert_non_null(vmx_apicv_missing(0xffffffffull, 0xffffffffull));
	/* No secondary controls MSR at all. */
	assert_string_equal(vmx_apicv_missing(PROC_ALL, 0),
			    "APIC-access virtualization");
}

/* What Volt enters with in xAPIC mode: passes. */
static struct vmx_apicv_controls good(void)
{
	return (struct vmx_apicv_controls){
		.pin = PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING,
		.proc = PROC_USE_TPR_SHADOW | PROC_ACTIVATE_SECONDARY,
		.proc2 = PROC2_ENABLE_EPT | PROC2_VIRTUALIZE_APIC_ACCESSES |
			 PROC2_APIC_REGISTER_VIRT | PROC2_VIRTUAL_INTR_DELIVERY,
		.tpr_threshold = 0,
		.virtual_apic_addr = 0x12345000,
		.apic_access_addr = 0x7f000,
		.vtpr = 0,
		.maxphyaddr = 39,
	};
}

static void expect(const struct vmx_apicv_controls *c, const char *start)
{
	const char *got = vmx_apicv_check(c);
	if (!start) {
		if (got)
			fail_msg("unexpected: %s", got);
		return;
	}
	if (!got || strncmp(got, start, strlen(start)))
		fail_msg("expected '%s...', got '%s'", start,
			 got ? got : "(passes)");
}

static void test_entry_checks(void **state)
{
	struct vmx_apicv_controls c = good();
	expect(&c, NULL);
	/* x2APIC mode */
	c.proc2 = vmx_apicv_mode_proc2(c.proc2, VIRT_APIC_X2APIC);
	expect(&c, NULL);

	/* virtual-APIC address: 4 KiB aligned, within MAXPHYADDR */
	c = good();
	c.virtual_apic_addr |= 0x800;
	expect(&c, "virtual-APIC address");
	c = good();
	c.virtual_apic_addr = 1ull << 39;
	expect(&c, "virtual-APIC address");
	c.maxphyaddr = 40;
	expect(&c, NULL);

	/* the TPR threshold without virtual-interrupt delivery */
	c = good();
	c.proc2 &= ~PROC2_VIRTUAL_INTR_DELIVERY;
	c.tpr_threshold = 0x10;
	expect(&c, "TPR threshold bits 31:4");
	c.tpr_threshold = 0x3;
	c.vtpr = 0x20;
	expect(&c, NULL); /* virtualize APIC accesses: no VTPR rule */
	c.proc2 &= ~(PROC2_VIRTUALIZE_APIC_ACCESSES |
		     PROC2_APIC_REGISTER_VIRT);
	expect(&c, "TPR threshold above VTPR");
	c.vtpr = 0x30;
	expect(&c, NULL);
	/* with virtual-interrupt delivery the threshold is not checked */
	c = good();
	c.tpr_threshold = 0xffffffff;
	expect(&c, NULL);

	/* the APIC controls need the TPR shadow */
	c = good();
	c.proc &= ~PROC_USE_TPR_SHADOW;
	expect(&c, "x2APIC-mode virtualization, APIC-register");
	c.proc2 = PROC2_VIRTUALIZE_APIC_ACCESSES; /* this one does not */
	expect(&c, NULL);
	/* ...unless the secondary controls are off altogether */
	c = good();
	c.proc &= ~(PROC_USE_TPR_SHADOW | PROC_ACTIVATE_SECONDARY);
	c.virtual_apic_addr = 0x123;
	expect(&c, NULL);

	/* both kinds of virtualization at once */
	c = good();
	c.proc2 |= PROC2_VIRTUALIZE_X2APIC_MODE;
	expect(&c, "x2APIC-mode virtualization together");

	/* virtual-interrupt delivery needs external-interrupt exiting */
	c = good();
	c.pin &= ~PIN_EXTERNAL_INTERRUPT_EXITING;
	expect(&c, "virtual-interrupt delivery without external");

	/* the APIC-access address, only with "virtualize APIC accesses" */
	c = good();
	c.apic_access_addr = 0xfee00001;
	expect(&c, "APIC-access address");
	c.apic_access_addr = 1ull << 45;
	expect(&c, "APIC-access address");
	c.proc2 = vmx_apicv_mode_proc2(c.proc2, VIRT_APIC_X2APIC);
	expect(&c, NULL);
}

static void test_mode_controls(void **state)
{
	uint32_t base = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST |
			PROC2_APIC_REGISTER_VIRT | PROC2_VIRTUAL_INTR_DELIVERY;
	assert_int_equal(vmx_apicv_mode_proc2(base, VIRT_APIC_XAPIC),
			 base | PROC2_VIRTUALIZE_APIC_ACCESSES);
	assert_int_equal(vmx_apicv_mode_proc2(base, VIRT_APIC_X2APIC),
			 base | PROC2_VIRTUALIZE_X2APIC_MODE);
	assert_int_equal(vmx_apicv_mode_proc2(base, VIRT_APIC_DISABLED), base);
	/* switching clears the other one */
	uint32_t x = vmx_apicv_mode_proc2(base, VIRT_APIC_XAPIC);
	assert_int_equal(vmx_apicv_mode_proc2(x, VIRT_APIC_X2APIC),
			 base | PROC2_VIRTUALIZE_X2APIC_MODE);
	assert_int_equal(vmx_apicv_mode_proc2(x, VIRT_APIC_DISABLED), base);
}

static void test_x2apic_msr_bitmap(void **state)
{
	static uint8_t page[MSR_BITMAP_BYTES];
	msr_bitmap_init_all_exit(page);
	msr_bitmap_pass(page, 0xc0000080, true, true); /* someone else's */
	vmx_apicv_x2apic_msrs(page, true);

	/* reads served from the virtual-APIC page, by the SDM's list */
	static const uint32_t pass_read[] = {
		0x802, 0x803, 0x808, 0x80a, 0x80d, 0x80f, 0x810, 0x817,
		0x818, 0x81f, 0x820, 0x827, 0x828, 0x830, 0x832, 0x833,
		0x834, 0x835, 0x836, 0x837, 0x838, 0x83e,
	};
	for (size_t i = 0; i < sizeof(pass_read) / sizeof(pass_read[0]); i++)
		assert_false(msr_bitmap_exits(page, pass_read[i], false));
	/* the current count is Volt's; EOI and SELF IPI are write-only;
	 * reserved registers (APR, RRD, CMCI, DFR, ICR2, ...) exit */
	static const uint32_t exit_read[] = {
		0x800, 0x801, 0x809, 0x80b, 0x80c, 0x80e, 0x829, 0x82f,
		0x831, 0x839, 0x83a, 0x83d, 0x83f, 0x840, 0x8ff,
	};
	for (size_t i = 0; i < sizeof(exit_read) / sizeof(exit_read[0]); i++)
		assert_true(msr_bitmap_exits(page, exit_read[i], false));
	/* writes: exactly TPR, EOI and SELF IPI are virtualized */
	unsigned writes = 0, reads = 0;
	for (uint32_t msr = 0x800; msr <= 0x8ff; msr++) {
		writes += !msr_bitmap_exits(page, msr, true);
		reads += !msr_bitmap_exits(page, msr, false);
	}
	assert_int_equal(writes, 3);
	assert_false(msr_bitmap_exits(page, 0x808, true));
	assert_false(msr_bitmap_exits(page, 0x80b, true));
	assert_false(msr_bitmap_exits(page, 0x83f, true));
	assert_true(msr_bitmap_exits(page, 0x830, true)); /* ICR: Volt's */
	assert_true(msr_bitmap_exits(page, 0x838, true)); /* timer: Volt's */
	/* 6 single registers, ISR+TMR+IRR (24), ESR, ICR, 7 LVT+count, DCR */
	assert_int_equal(reads, 40);
	for (uint32_t msr = 0x800; msr <= 0x8ff; msr++)
		assert_int_equal(!msr_bitmap_exits(page, msr, false),
				 vmx_apicv_x2apic_read_virtualized(msr));
	/* neighbours untouched */
	assert_true(msr_bitmap_exits(page, 0x7ff, false));
	assert_true(msr_bitmap_exits(page, 0x900, true));
	assert_false(msr_bitmap_exits(page, 0xc0000080, true));

	/* back to xAPIC (or disabled): all of them exit again */
	vmx_apicv_x2apic_msrs(page, false);
	for (uint32_t msr = 0x800; msr <= 0x8ff; msr++) {
		assert_true(msr_bitmap_exits(page, msr, false));
		assert_true(msr_bitmap_exits(page, msr, true));
	}
	assert_false(msr_bitmap_exits(page, 0xc0000080, false));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bochs_models_have_it),
		cmocka_unit_test(test_each_missing_feature_named),
		cmocka_unit_test(test_entry_checks),
		cmocka_unit_test(test_mode_controls),
		cmocka_unit_test(test_x2apic_msr_bitmap),
	};
	return cmocka_run_group_tests_name("vmx_apicv", tests, NULL, NULL);
}
