/*
 * Generic VMs and vCPUs.
 *
 * Ownership: a VM is created by CPU 0 from the config; each vCPU runs on
 * one processor at a time and only that processor touches its registers
 * and backend state.
 */
#ifndef VOLT_VMM_VM_H
#define VOLT_VMM_VM_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/spinlock.h"
#include "vmm/config.h"
#include "vmm/cpuid_filter.h"
#include "vmm/console_line.h"
#include "vmm/io_bus.h"
#include "vmm/mmio_bus.h"
#include "vmm/msr_emul.h"
#include "vmm/vcpu_boot.h"
#include "vmm/vm_devices.h"
#include "vmm/vm_exit.h"

/* The guest's general registers (RSP and RIP live in backend state). The
 * backend's entry code saves and loads exactly this layout. */
struct vcpu_regs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};

struct vm;

/* vCPUs per VM until the scheduler runs several on one processor (each
 * runs on its own processor for now). */
#define VM_MAX_VCPUS 8

struct vcpu {
	struct vm *vm;
	uint32_t id;
	struct vcpu_regs regs;
	void *backend;      /* the backend's per-vCPU state */
	uint64_t exits;     /* exits handled so far */
	uint64_t exits_by_kind[VM_EXIT_KINDS]; /* the same, per exit kind */
	/* The test guests' own interrupt source, beside the devices: a
	 * one-shot timer armed by hypercall (HC_TIMER). */
	uint64_t timer_deadline; /* host TSC; 0 = not armed */
	uint8_t timer_vector;
	bool irq_pending;        /* fired, not yet delivered */
	uint8_t irq_vector;
	/* When the backend must bring the vCPU back even if the guest does
	 * not exit: the earliest device or hypercall-timer event (host TSC),
	 * recomputed before every entry. */
	uint64_t next_event;
	/* The scheduler's deadline: the end of its slice or the next tick
	 * on this processor (host TSC; UINT64_MAX = none). */
	uint64_t run_until;
	void *sched;             /* its scheduler entity (sched/sched.h) */
	bool window_requested;   /* the backend exits at the next window */
	bool nmi_pending;        /* taken from its local APIC, not delivered */
	bool nmi_window;         /* the backend exits when NMIs unblock */
	uint32_t inits;          /* INITs taken while running (restarts) */
	uint32_t cpu;            /* the processor running it */
	bool in_guest;           /* between entry and exit: kick to reach */
	bool halted;             /* sleeping in HLT: kick to wake */
	struct cpuid_policy cpuid_policy; /* what CPUID shows this vCPU */
	bool cpuid_policy_ready;
	struct vcpu_msrs msrs; /* emulated MSRs, #GP counts (msr_emul.c) */
};

struct vm {
	const struct vm_config *cfg;
	uint32_t id;
	uint64_t ram_hpa;   /* host-physical base of the guest's RAM */
	uint64_t ram_bytes; /* mapped at guest-physical 0 */
	void *backend;      /* the backend's per-VM state (EPT root...) */
	int exit_status;
	uint64_t acpi_rsdp;   /* guest-physical RSDP of its ACPI tables */
	struct io_bus io;   /* this VM's port-I/O devices */
	struct mmio_bus mmio; /* its memory-mapped devices */
	struct vm_devices dev; /* the PC devices behind them */
	struct console_line console; /* its serial output, line by line */
	struct vcpu vcpus[VM_MAX_VCPUS];
	uint32_t vcpu_count;
	/* Devices, interrupt controllers and exit handling are shared by the
	 * vCPUs, which run on different processors: one lock serializes
	 * them (never held while a guest runs). */
	struct spinlock lock;
	bool stopping;              /* a vCPU ended the VM: all leave */
	enum vm_exit_action end;    /* how the first one ended it */
	uint32_t end_vcpu;
	uint32_t aps_running;       /* vCPU threads 1.. still running */
};

/* The VM's lock. A VM with one vCPU has one thread touching its devices,
 * so it takes no lock (every exit would pay for it). */
static inline uint64_t vm_lock(struct vm *vm)
{
	return vm->vcpu_count > 1 ? spin_lock(&vm->lock) : 0;
}

static inline void vm_unlock(struct vm *vm, uint64_t flags)
{
	if (vm->vcpu_count > 1)
		spin_unlock(&vm->lock, flags);
}

/* When the backend must bring the vCPU back at the latest: its next
 * device event or the end of its time on the processor. */
static inline uint64_t vcpu_exit_deadline(const struct vcpu *v)
{
	return v->next_event < v->run_until ? v->next_event : v->run_until;
}

/* End the VM (the first caller's action is kept) and bring every other
 * vCPU out of its guest. */
void vm_stop(struct vm *vm, struct vcpu *by, enum vm_exit_action end);
/* An application processor's vCPU after INIT: wait for the start-up IPI
 * and set the vCPU up to start in real mode at its vector. -1: the VM
 * ended first, or the vCPU could not be set up (the VM is stopped). */
int vcpu_start_from_sipi(struct vcpu *v);
/* Bring vCPU `index` out of its guest if it is in there now. */
void vm_kick_vcpu(struct vm *vm, uint32_t index);

/* Host pointer to guest-physical [gpa, gpa+len) or NULL outside RAM. */
void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len);

/* VM `id`'s first vCPU, whose thread runs vm_run_from_config. */
struct vcpu *vm_boot_vcpu(uint32_t id);

/* Create a VM from its config and its boot files; run it to its end (on
 * the thread of its first vCPU). Prints what happened. Returns the VM's
 * exit status, or -1 when it could not start or was stopped for
 * misbehaving. */
struct boot_info;
int vm_run_from_config(const struct vm_config *cfg, uint32_t id,
		       const struct boot_info *bi);

#endif
