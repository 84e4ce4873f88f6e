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
	/* Kinds no backend produces yet (issue 3 list); each needs a handler
	 * in vmm/ before the backend starts translating to it. */
	VM_EXIT_PAUSE,         /* a spinning guest: a hint to reschedule */
	VM_EXIT_MWAIT,
	VM_EXIT_MONITOR,
	VM_EXIT_CR_ACCESS,     /* MOV to/from CRn, CLTS, LMSW */
	VM_EXIT_INIT,          /* INIT signal to this vCPU */
	VM_EXIT_SIPI,          /* start-up IPI while waiting for one */
	VM_EXIT_PREEMPTION_TIMER, /* the vCPU's time slice is over */
	VM_EXIT_NMI,           /* a host NMI arrived while the guest ran */
	VM_EXIT_EXCEPTION,     /* a guest exception Volt asked to see */
	/* APIC virtualization (docs/apicv.md): the processor did part of a
	 * guest's access to its local APIC and left the rest to Volt. */
	VM_EXIT_APIC_WRITE,    /* a register write is in the page: act on it */
	VM_EXIT_APIC_EOI,      /* an EOI of a vector whose EOI Volt sees */
	VM_EXIT_KINDS
};

/* Control-register accesses (VM_EXIT_CR_ACCESS). */
enum vm_cr_access {
	VM_CR_MOV_TO,   /* MOV CRn, reg */
	VM_CR_MOV_FROM, /* MOV reg, CRn */
	VM_CR_CLTS,
	VM_CR_LMSW,
};

struct vm_exit {
	enum vm_exit_kind kind;
	uint8_t insn_len; /* of the exiting instruction, for RESUME_SKIP_INSN */
	uint64_t rip;
	/* The vendor's own view, for reports and VM_EXIT_VENDOR. */
	const char *reason_name; /* e.g. "INVD", from the backend's table */
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
		struct {
			enum vm_cr_access access;
			uint8_t cr;           /* 0, 3, 4 or 8 */
			uint8_t gpr;          /* MOV: register number, 0 = RAX
						 ... 15 = R15 (4 = RSP) */
			uint16_t lmsw_source; /* LMSW: the operand */
		} cr;
		struct {
			uint8_t vector; /* the guest starts at vector << 12 */
		} sipi;
		struct {
			uint8_t vector; /* a host interrupt, already acknowledged */
		} interrupt;
		struct {
			uint8_t vector;
			bool has_error;
			uint32_t error;
		} exception;
		struct {
			uint16_t offset; /* APIC_WRITE: the register's
					    offset in the xAPIC page */
			uint8_t vector;  /* APIC_EOI: the vector retired */
		} apic;
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
