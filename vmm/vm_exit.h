/*
 * A VM exit in generic terms. The backend (arch/x86/vmx/ today, an SVM
 * backend later) translates its hardware exit into one of these; the
 * handlers in vmm/exit_*.c never see a VMCS (bhyve's struct vm_exit is the
 * model).
 */
#ifndef VOLT_VMM_VM_EXIT_H
#define VOLT_VMM_VM_EXIT_H

#include <stdbool.h>
#include <stdint.h>

enum vm_exit_kind {
	VM_EXIT_CPUID,
	VM_EXIT_IO,
	VM_EXIT_MSR_READ,
	VM_EXIT_MSR_WRITE,
	VM_EXIT_HLT,
	VM_EXIT_HYPERCALL,     /* VMCALL / VMMCALL */
	VM_EXIT_MEMORY_FAULT,  /* EPT violation / misconfiguration */
	VM_EXIT_TRIPLE_FAULT,
	VM_EXIT_EXTERNAL_INTERRUPT,
	VM_EXIT_INTERRUPT_WINDOW, /* the guest can take an interrupt now */
	VM_EXIT_ENTRY_FAILED,  /* the hardware refused to enter */
	VM_EXIT_VENDOR,        /* anything the backend cannot classify */
	VM_EXIT_KINDS
};

struct vm_exit {
	enum vm_exit_kind kind;
	uint8_t insn_len; /* of the exiting instruction, for RESUME_SKIP_INSN */
	uint64_t rip;
	/* The vendor's own view, for reports and VM_EXIT_VENDOR. */
	uint32_t raw_reason;
	uint64_t qualification;
	union {
		struct {
			uint32_t leaf, subleaf;
		} cpuid;
		struct {
			uint16_t port;
			uint8_t size; /* 1, 2 or 4 bytes */
			bool in;
			bool string, rep;
		} io;
		struct {
			uint32_t index;
		} msr;
		struct {
			uint64_t gpa;
			bool read, write, fetch;
		} memory;
		struct {
			uint32_t error; /* the VM-instruction error number */
		} entry_failed;
	} u;
};

/* What a handler wants done next. RIP is advanced in one place only. */
enum vm_exit_action {
	VM_RESUME,           /* re-enter the guest as it is */
	VM_RESUME_SKIP_INSN, /* the instruction was emulated: skip it */
	VM_BLOCK,            /* HLT: the instruction completes, the vCPU
				waits for an event */
	VM_KILL,             /* stop this VM (the reason was printed) */
	VM_EXITED,           /* the VM asked to stop (hypercall, power-off) */
};

const char *vm_exit_kind_name(enum vm_exit_kind kind);

#endif
