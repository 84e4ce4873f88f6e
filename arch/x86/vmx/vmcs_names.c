/*
 * Names for VT-x numbers, for dumps and reports: VMCS fields (SDM vol. 3C
 * appendix B), basic exit reasons (appendix C) and VM-instruction errors
 * (31.4). Every table is generated from its .def file, so a name can never
 * disagree with the number it names.
 *
 * Pure C: no VMREAD here (vmcs.c reads the values), so the host tests
 * check these tables directly.
 */
#include <stddef.h>
#include "arch/x86/vmx/exit_reasons.h"
#include "arch/x86/vmx/vmcs_fields.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static const char unknown_name[] = "unknown";

/* ---- VMCS fields ------------------------------------------------------- */

const struct vmcs_field_info vmcs_field_table[] = {
#define VMCS_FIELD(name, enc, width) { enc, VMCS_##width, #name },
#include "arch/x86/vmx/vmcs_fields.def"
#undef VMCS_FIELD
};

const size_t vmcs_field_count = ARRAY_LEN(vmcs_field_table);

/* A linear search: about 120 rows, used only on the (slow) dump path. */
const struct vmcs_field_info *vmcs_field_find(uint32_t encoding)
{
	for (size_t i = 0; i < ARRAY_LEN(vmcs_field_table); i++)
		if (vmcs_field_table[i].encoding == encoding)
			return &vmcs_field_table[i];
	return NULL;
}

/*
 * Weak only while arch/x86/vmx/vmcs.c still carries its own copy of this
 * function (with its own table): the linker then keeps that one. Once
 * vmcs.c uses this file's table, drop the attribute.
 */
const char *vmcs_field_name(uint32_t encoding)
{
	const struct vmcs_field_info *f = vmcs_field_find(encoding);
	return f ? f->name : "?";
}

const char *vmcs_width_name(enum vmcs_width width)
{
	switch (width) {
	case VMCS_W16:
		return "16-bit";
	case VMCS_W64:
		return "64-bit";
	case VMCS_W32:
		return "32-bit";
	case VMCS_WNAT:
		return "natural";
	}
	return unknown_name;
}

/* ---- exit reasons ------------------------------------------------------ */

/* Indexed by basic reason; the gaps (unused numbers) stay NULL. */
static const char *const exit_reason_names[VMX_EXIT_REASON_COUNT] = {
#define VMX_EXIT_REASON(name, nr, text) [nr] = text,
#include "arch/x86/vmx/exit_reasons.def"
#undef VMX_EXIT_REASON
};

const char *vmx_exit_reason_name(uint16_t basic)
{
	if (basic >= ARRAY_LEN(exit_reason_names) || !exit_reason_names[basic])
		return unknown_name;
	return exit_reason_names[basic];
}

/*
 * What the exit qualification adds to a failed entry (28.8 "VM-Entry
 * Failures During or After Loading Guest State"). Reason 33: 0 = a check
 * on guest state failed (the backend's checker names it), 2 = loading a
 * PDPTE failed, 3 = NMI injection blocked, 4 = invalid VMCS link pointer.
 * Reason 34: the qualification is the number (from 1) of the MSR-load
 * entry that failed.
 */
const char *vmx_entry_failure_detail(uint16_t basic, uint64_t qualification)
{
	switch (basic) {
	case VMX_EXIT_REASON_INVALID_GUEST_STATE:
		switch (qualification) {
		case 0: return "a guest-state check failed";
		case 2: return "loading a PDPTE failed (PAE paging)";
		case 3: return "NMI injection while virtual NMIs are blocked";
		case 4: return "invalid VMCS link pointer";
		default: return "reserved qualification";
		}
	case VMX_EXIT_REASON_MSR_LOADING:
		return "an entry of the VM-entry MSR-load area failed "
		       "(qualification = its number)";
	case VMX_EXIT_REASON_MACHINE_CHECK:
		return "a machine check during VM entry";
	default:
		return unknown_name;
	}
}

/* ---- VM-instruction errors ---------------------------------------------- */

static const char *const insn_error_names[VMX_INSN_ERROR_COUNT] = {
#define VMX_INSN_ERROR(name, nr, text) [nr] = text,
#include "arch/x86/vmx/vm_instruction_errors.def"
#undef VMX_INSN_ERROR
};

const char *vmx_insn_error_name(uint32_t error)
{
	if (error >= ARRAY_LEN(insn_error_names) || !insn_error_names[error])
		return unknown_name;
	return insn_error_names[error];
}
