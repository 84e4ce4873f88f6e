/*
 * Why the processor left the guest, or refused to enter it: VMX exit
 * reasons (SDM vol. 3C 28.2.1 "Basic VM-Exit Information", appendix C)
 * and VM-instruction error numbers (31.4). The numbers live in
 * exit_reasons.def and vm_instruction_errors.def; this header turns them
 * into enums, and vmcs_names.c into names for reports.
 *
 * The exit-reason VMCS field is 32 bits:
 *   15:0  basic exit reason (this enum; compare only these bits)
 *   27    the exit came from VMX root operation (SMM dual monitor only)
 *   28    pending MTF VM exit (SMM only)
 *   29    the exit came from enclave mode (SGX)
 *   31    VM-entry failure: the guest never ran (reasons 33, 34, 41)
 * A bare `reason == 48` test is wrong when any high bit is set, and a
 * mask of 0xff (seen in hobby code) breaks at reason 256; always go
 * through vmx_basic_exit_reason().
 */
#ifndef VOLT_ARCH_X86_VMX_EXIT_REASONS_H
#define VOLT_ARCH_X86_VMX_EXIT_REASONS_H

#include <stdbool.h>
#include <stdint.h>

#define VMX_EXIT_REASON_BASIC_MASK 0xffffu         /* bits 15:0 */
#define VMX_EXIT_REASON_FROM_ENCLAVE (1u << 29)
#define VMX_EXIT_REASON_FAILED_ENTRY (1u << 31)

#define VMX_EXIT_REASON(name, nr, text) VMX_EXIT_REASON_##name = nr,
enum vmx_exit_reason {
#include "arch/x86/vmx/exit_reasons.def"
	/* One past the highest basic reason in the table: the size of a
	 * dispatch table indexed by basic reason. */
	VMX_EXIT_REASON_COUNT
};
#undef VMX_EXIT_REASON

#define VMX_INSN_ERROR(name, nr, text) VMX_INSN_ERROR_##name = nr,
enum vmx_insn_error {
#include "arch/x86/vmx/vm_instruction_errors.def"
	VMX_INSN_ERROR_COUNT
};
#undef VMX_INSN_ERROR

/* The basic exit reason of a raw exit-reason field value. */
static inline uint16_t vmx_basic_exit_reason(uint32_t exit_reason)
{
	return (uint16_t)(exit_reason & VMX_EXIT_REASON_BASIC_MASK);
}

/* Did the VM entry fail (bit 31), rather than the guest exit? */
static inline bool vmx_exit_is_failed_entry(uint32_t exit_reason)
{
	return (exit_reason & VMX_EXIT_REASON_FAILED_ENTRY) != 0;
}

/* "EPT violation" for 48; "unknown" for numbers the table lacks
 * (unused ones such as 35, and anything >= VMX_EXIT_REASON_COUNT). */
const char *vmx_exit_reason_name(uint16_t basic);

/* For an entry failure (reasons 33, 34, 41), what its exit qualification
 * means; "unknown" for any other reason. */
const char *vmx_entry_failure_detail(uint16_t basic, uint64_t qualification);

/* "VMLAUNCH with non-clear VMCS" for 4; "unknown" otherwise (0 is not an
 * error number: VMfailInvalid leaves no number). */
const char *vmx_insn_error_name(uint32_t error);

#endif
