/*
 * Host tests for the VMCS field table and its width-typed accessors
 * (arch/x86/vmx/vmcs_fields.h, vmcs_names.c), the exit-reason table and the
 * VM-instruction error table (exit_reasons.h).
 *
 * The accessors expand to __vmcs_read/__vmcs_write, which the kernel
 * implements with VMREAD/VMWRITE; here a mock records what they were given.
 *
 * Built with -DVMCS_NEGATIVE_TEST=n this file must NOT compile: each n is
 * one misuse the compiler has to reject (tests/unit/vmcs_fields.mk).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/exit_reasons.h"
#include "arch/x86/vmx/vmcs_fields.h"

/* ---- the mock VMREAD/VMWRITE -------------------------------------------- */
static uint32_t last_encoding;
static uint64_t last_written;
static uint64_t next_read;
static int reads, writes;

static uint64_t __vmcs_read(uint32_t encoding)
{
	last_encoding = encoding;
	reads++;
	return next_read;
}

static void __vmcs_write(uint32_t encoding, uint64_t value)
{
	last_encoding = encoding;
	last_written = value;
	writes++;
}

#ifdef VMCS_NEGATIVE_TEST
/* Each case is a mistake; the build of this file must fail on it. */
void vmcs_negative_case(void);
void vmcs_negative_case(void)
{
#if VMCS_NEGATIVE_TEST == 1
	vmcs_write32(GUEST_RIP, 0);              /* natural-width field */
#elif VMCS_NEGATIVE_TEST == 2
	(void)vmcs_read64(GUEST_CS_SELECTOR);    /* 16-bit field */
#elif VMCS_NEGATIVE_TEST == 3
	(void)vmcs_read16(VM_EXIT_REASON);       /* 32-bit field */
#elif VMCS_NEGATIVE_TEST == 4
	vmcs_writenat(EPT_POINTER, 0);           /* 64-bit field */
#elif VMCS_NEGATIVE_TEST == 5
	(void)vmcs_read32(NOT_A_VMCS_FIELD);     /* not in the table */
#elif VMCS_NEGATIVE_TEST == 6
	/* A table line whose width contradicts its encoding (0x6xxx is
	 * natural width). */
	VMCS_FIELD_CHECK(BAD_LINE, 0x681e, W32)
#elif VMCS_NEGATIVE_TEST == 7
	/* The "high" half of a 64-bit field: Volt never uses it. */
	VMCS_FIELD_CHECK(EPT_POINTER_HIGH, 0x201b, W64)
#endif
}
#endif

/* ---- accessors ---------------------------------------------------------- */

static void test_accessors_pass_encoding(void **state)
{
	vmcs_writenat(GUEST_RIP, 0x7c00);
	assert_int_equal(last_encoding, 0x681e);
	assert_int_equal(last_written, 0x7c00);

	vmcs_write64(EPT_POINTER, 0x123456789abcd05eull);
	assert_int_equal(last_encoding, 0x201a);
	assert_true(last_written == 0x123456789abcd05eull);

	next_read = 0x12;
	assert_int_equal(vmcs_read32(VM_EXIT_REASON), 0x12);
	assert_int_equal(last_encoding, 0x4402);

	next_read = 0x33;
	assert_int_equal(vmcs_read64(GUEST_PHYSICAL_ADDRESS), 0x33);
	assert_int_equal(last_encoding, 0x2400);
	assert_int_equal(vmcs_readnat(EXIT_QUALIFICATION), 0x33);
	assert_int_equal(last_encoding, 0x6400);
}

/* The accessor's width is what reaches VMWRITE: excess bits are dropped
 * in C, visibly, not by the hardware. */
static void test_accessors_truncate_to_width(void **state)
{
	vmcs_write16(GUEST_CS_SELECTOR, 0xabcd1234);
	assert_int_equal(last_encoding, 0x0802);
	assert_int_equal(last_written, 0x1234);

	vmcs_write32(GUEST_CS_LIMIT, 0x1ffffffffull);
	assert_int_equal(last_written, 0xffffffffu);

	next_read = 0xffffffffffff0008ull;
	assert_int_equal(vmcs_read16(HOST_CS_SELECTOR), 0x0008);
	next_read = 0xdeadbeef00000021ull;
	assert_int_equal(vmcs_read32(VM_EXIT_INSTRUCTION_LEN), 0x21);
}

static void test_accessor_counts(void **state)
{
	int r = reads, w = writes;
	(void)vmcs_read32(VM_INSTRUCTION_ERROR);
	vmcs_write32(VM_ENTRY_INTR_INFO, 0);
	assert_int_equal(reads, r + 1);
	assert_int_equal(writes, w + 1);
}

/* ---- the table ---------------------------------------------------------- */

static void test_table_consistent(void **state)
{
	assert_int_equal(vmcs_field_count, 127);
	for (size_t i = 0; i < vmcs_field_count; i++) {
		const struct vmcs_field_info *f = &vmcs_field_table[i];
		assert_int_equal(VMCS_ENCODING_WIDTH(f->encoding), f->width);
		assert_int_equal(f->encoding & VMCS_ENC_RESERVED_MASK, 0);
		assert_int_equal(f->encoding & VMCS_ENC_ACCESS_HIGH, 0);
		for (size_t j = i + 1; j < vmcs_field_count; j++) {
			assert_int_not_equal(f->encoding, vmcs_field_table[j].encoding);
			assert_string_not_equal(f->name, vmcs_field_table[j].name);
		}
	}
}

/* Names agree with the type bits 11:10: HOST_* fields are host state,
 * GUEST_* guest state, except the two addresses an exit reports. */
static void test_table_types_match_names(void **state)
{
	for (size_t i = 0; i < vmcs_field_count; i++) {
		const struct vmcs_field_info *f = &vmcs_field_table[i];
		unsigned type = VMCS_ENCODING_TYPE(f->encoding);
		if (!strcmp(f->name, "GUEST_PHYSICAL_ADDRESS") ||
		    !strcmp(f->name, "GUEST_LINEAR_ADDRESS"))
			assert_int_equal(type, VMCS_TYPE_EXIT_INFO);
		else if (!strncmp(f->name, "HOST_", 5))
			assert_int_equal(type, VMCS_TYPE_HOST);
		else if (!strncmp(f->name, "GUEST_", 6))
			assert_int_equal(type, VMCS_TYPE_GUEST);
	}
	assert_int_equal(VMCS_ENCODING_TYPE(VMCS_VMCS_LINK_POINTER), VMCS_TYPE_GUEST);
	assert_int_equal(VMCS_ENCODING_TYPE(VMCS_VM_EXIT_REASON), VMCS_TYPE_EXIT_INFO);
	assert_int_equal(VMCS_ENCODING_TYPE(VMCS_PIN_BASED_VM_EXEC_CONTROL),
			 VMCS_TYPE_CONTROL);
}

/* A few encodings checked against SDM appendix B by hand. */
static void test_known_encodings(void **state)
{
	assert_int_equal(VMCS_VIRTUAL_PROCESSOR_ID, 0x0000);
	assert_int_equal(VMCS_HOST_TR_SELECTOR, 0x0c0c);
	assert_int_equal(VMCS_MSR_BITMAP, 0x2004);
	assert_int_equal(VMCS_GUEST_IA32_PAT, 0x2804);
	assert_int_equal(VMCS_GUEST_PDPTE3, 0x2810);
	assert_int_equal(VMCS_SECONDARY_VM_EXEC_CONTROL, 0x401e);
	assert_int_equal(VMCS_VMX_PREEMPTION_TIMER_VALUE, 0x482e);
	assert_int_equal(VMCS_GUEST_ACTIVITY_STATE, 0x4826);
	assert_int_equal(VMCS_GUEST_RFLAGS, 0x6820);
	assert_int_equal(VMCS_HOST_RIP, 0x6c16);
	assert_int_equal(VMCS_WIDTH_GUEST_RIP, VMCS_WNAT);
	assert_int_equal(VMCS_WIDTH_EPT_POINTER, VMCS_W64);
}

static void test_field_lookup(void **state)
{
	const struct vmcs_field_info *f = vmcs_field_find(0x681e);
	assert_non_null(f);
	assert_string_equal(f->name, "GUEST_RIP");
	assert_int_equal(f->width, VMCS_WNAT);
	assert_string_equal(vmcs_field_name(0x4402), "VM_EXIT_REASON");
	assert_string_equal(vmcs_field_name(0x0000), "VIRTUAL_PROCESSOR_ID");
	/* the high half of EPT_POINTER, a reserved bit, nothing */
	assert_null(vmcs_field_find(0x201b));
	assert_string_equal(vmcs_field_name(0x201b), "?");
	assert_string_equal(vmcs_field_name(0x8000681e), "?");
	assert_string_equal(vmcs_field_name(0xffffffff), "?");
	assert_string_equal(vmcs_width_name(VMCS_W16), "16-bit");
	assert_string_equal(vmcs_width_name(VMCS_WNAT), "natural");
	assert_string_equal(vmcs_width_name((enum vmcs_width)7), "unknown");
}

/* ---- exit reasons --------------------------------------------------------- */

static void test_basic_exit_reason(void **state)
{
	/* An entry failure for invalid guest state: bit 31 plus 33. */
	assert_int_equal(vmx_basic_exit_reason(0x80000021u), 33);
	assert_true(vmx_exit_is_failed_entry(0x80000021u));
	assert_false(vmx_exit_is_failed_entry(30));
	/* Bits 27-29 are flags, not part of the number. */
	assert_int_equal(vmx_basic_exit_reason(0x2000000cu), VMX_EXIT_REASON_HLT);
	/* 16 bits, not 8: a reason of 256 must not alias 0. */
	assert_int_equal(vmx_basic_exit_reason(0x100u), 256);
	assert_int_equal(vmx_basic_exit_reason(0xffffffffu), 0xffff);
}

static void test_exit_reason_numbers(void **state)
{
	assert_int_equal(VMX_EXIT_REASON_EXCEPTION_NMI, 0);
	assert_int_equal(VMX_EXIT_REASON_CPUID, 10);
	assert_int_equal(VMX_EXIT_REASON_CR_ACCESS, 28);
	assert_int_equal(VMX_EXIT_REASON_IO_INSTRUCTION, 30);
	assert_int_equal(VMX_EXIT_REASON_MWAIT, 36);
	assert_int_equal(VMX_EXIT_REASON_MONITOR, 39);
	assert_int_equal(VMX_EXIT_REASON_PAUSE, 40);
	assert_int_equal(VMX_EXIT_REASON_EPT_VIOLATION, 48);
	assert_int_equal(VMX_EXIT_REASON_PREEMPTION_TIMER, 52);
	assert_int_equal(VMX_EXIT_REASON_XSAVES, 63);
	assert_int_equal(VMX_EXIT_REASON_LOADIWKEY, 69);
	assert_int_equal(VMX_EXIT_REASON_COUNT, 70);
}

static void test_entry_failure_detail(void **state)
{
	assert_string_equal(vmx_entry_failure_detail(33, 0),
			    "a guest-state check failed");
	assert_string_equal(vmx_entry_failure_detail(33, 2),
			    "loading a PDPTE failed (PAE paging)");
	assert_string_equal(vmx_entry_failure_detail(33, 4),
			    "invalid VMCS link pointer");
	assert_string_equal(vmx_entry_failure_detail(33, 1),
			    "reserved qualification");
	assert_non_null(strstr(vmx_entry_failure_detail(34, 3), "MSR-load"));
	assert_non_null(strstr(vmx_entry_failure_detail(41, 0), "machine check"));
	assert_string_equal(vmx_entry_failure_detail(10, 0), "unknown");
}

static void test_exit_reason_names(void **state)
{
	assert_string_equal(vmx_exit_reason_name(0), "exception or NMI");
	assert_string_equal(vmx_exit_reason_name(10), "CPUID");
	assert_string_equal(vmx_exit_reason_name(48), "EPT violation");
	assert_string_equal(vmx_exit_reason_name(52), "VMX-preemption timer expired");
	assert_string_equal(vmx_exit_reason_name(69), "LOADIWKEY");
	/* unused numbers inside the range, and beyond it */
	assert_string_equal(vmx_exit_reason_name(35), "unknown");
	assert_string_equal(vmx_exit_reason_name(38), "unknown");
	assert_string_equal(vmx_exit_reason_name(42), "unknown");
	assert_string_equal(vmx_exit_reason_name(65), "unknown");
	assert_string_equal(vmx_exit_reason_name(70), "unknown");
	assert_string_equal(vmx_exit_reason_name(0xffff), "unknown");
	/* every number 0..69 except the four gaps has a name */
	int named = 0;
	for (unsigned i = 0; i < VMX_EXIT_REASON_COUNT; i++)
		named += strcmp(vmx_exit_reason_name((uint16_t)i), "unknown") != 0;
	assert_int_equal(named, 66);
}

static void test_insn_error_names(void **state)
{
	assert_string_equal(vmx_insn_error_name(4), "VMLAUNCH with non-clear VMCS");
	assert_string_equal(vmx_insn_error_name(7),
			    "VM entry with invalid control field(s)");
	assert_string_equal(vmx_insn_error_name(8),
			    "VM entry with invalid host-state field(s)");
	assert_string_equal(vmx_insn_error_name(12),
			    "VMREAD/VMWRITE from/to unsupported VMCS component");
	assert_string_equal(vmx_insn_error_name(28),
			    "invalid operand to INVEPT/INVVPID");
	assert_int_equal(VMX_INSN_ERROR_ENTRY_MOV_SS_BLOCKING, 26);
	assert_int_equal(VMX_INSN_ERROR_COUNT, 29);
	/* 0 is "no error", 14/21/27 are unused, 29 and up do not exist */
	assert_string_equal(vmx_insn_error_name(0), "unknown");
	assert_string_equal(vmx_insn_error_name(14), "unknown");
	assert_string_equal(vmx_insn_error_name(21), "unknown");
	assert_string_equal(vmx_insn_error_name(27), "unknown");
	assert_string_equal(vmx_insn_error_name(29), "unknown");
	assert_string_equal(vmx_insn_error_name(0xffffffffu), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accessors_pass_encoding),
		cmocka_unit_test(test_accessors_truncate_to_width),
		cmocka_unit_test(test_accessor_counts),
		cmocka_unit_test(test_table_consistent),
		cmocka_unit_test(test_table_types_match_names),
		cmocka_unit_test(test_known_encodings),
		cmocka_unit_test(test_field_lookup),
		cmocka_unit_test(test_basic_exit_reason),
		cmocka_unit_test(test_exit_reason_numbers),
		cmocka_unit_test(test_exit_reason_names),
		cmocka_unit_test(test_entry_failure_detail),
		cmocka_unit_test(test_insn_error_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
