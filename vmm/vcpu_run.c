/*
 * The vCPU run loop: enter the guest, get a generic exit from the backend,
 * dispatch it through one table, act on the handler's answer. The guest's
 * RIP is advanced here and nowhere else.
 */
#include <stdarg.h>
#include "arch/x86/cpu.h"
#include "arch/x86/smp.h"
#include "lib/console.h"
#include "lib/format.h"
#include "vmm/exit_handlers.h"
#include "vmm/virt_ops.h"
#include "vmm/vm_devices.h"
#include "vmm/vcpu_sched.h"

static const exit_handler_fn exit_table[VM_EXIT_KINDS] = {
	[VM_EXIT_CPUID] = exit_cpuid,
	[VM_EXIT_IO] = exit_io,
	[VM_EXIT_HYPERCALL] = exit_hypercall,
	[VM_EXIT_HLT] = exit_hlt,
	[VM_EXIT_MWAIT] = exit_mwait,
	[VM_EXIT_MONITOR] = exit_monitor,
	[VM_EXIT_EXTERNAL_INTERRUPT] = exit_external_interrupt,
	[VM_EXIT_INTERRUPT_WINDOW] = exit_interrupt_window,
	[VM_EXIT_NMI] = exit_nmi,
	[VM_EXIT_PREEMPTION_TIMER] = exit_preemption_timer,
	[VM_EXIT_CR_ACCESS] = exit_cr_access,
	[VM_EXIT_MSR_READ] = exit_msr_read,
	[VM_EXIT_MSR_WRITE] = exit_msr_write,
	[VM_EXIT_APIC_WRITE] = exit_apic_write,
	[VM_EXIT_APIC_EOI] = exit_apic_eoi,
	/* These stop the VM with a report. */
	[VM_EXIT_MEMORY_FAULT] = exit_memory_fault, /* MMIO, else stops */
	[VM_EXIT_TRIPLE_FAULT] = exit_fatal,
	[VM_EXIT_ENTRY_FAILED] = exit_fatal,
	[VM_EXIT_VENDOR] = exit_fatal,
};

static const char *const exit_names[VM_EXIT_KINDS] = {
	[VM_EXIT_CPUID] = "cpuid", [VM_EXIT_IO] = "io",
	[VM_EXIT_MSR_READ] = "msr-read", [VM_EXIT_MSR_WRITE] = "msr-write",
	[VM_EXIT_HLT] = "hlt", [VM_EXIT_HYPERCALL] = "hypercall",
	[VM_EXIT_MEMORY_FAULT] = "memory-fault",
	[VM_EXIT_TRIPLE_FAULT] = "triple-fault",
	[VM_EXIT_EXTERNAL_INTERRUPT] = "external-interrupt",
	[VM_EXIT_INTERRUPT_WINDOW] = "interrupt-window",
	[VM_EXIT_ENTRY_FAILED] = "entry-failed", [VM_EXIT_VENDOR] = "vendor",
	[VM_EXIT_PAUSE] = "pause", [VM_EXIT_MWAIT] = "mwait",
	[VM_EXIT_MONITOR] = "monitor", [VM_EXIT_CR_ACCESS] = "cr-access",
	[VM_EXIT_INIT] = "init", [VM_EXIT_SIPI] = "sipi",
	[VM_EXIT_PREEMPTION_TIMER] = "preemption-timer", [VM_EXIT_NMI] = "nmi",
	[VM_EXIT_EXCEPTION] = "exception",
	[VM_EXIT_APIC_WRITE] = "apic-write", [VM_EXIT_APIC_EOI] = "apic-eoi",
};

const char *vm_exit_kind_name(enum vm_exit_kind kind)
{
	return (unsigned)kind < VM_EXIT_KINDS && exit_names[kind]
		       ? exit_names[kind] : "?";
}

void vcpu_report_exits(const struct vcpu *v)
{
	char line[320];
	int n = 0;
	for (unsigned k = 0; k < VM_EXIT_KINDS && n < (int)sizeof(line); k++)
		if (v->exits_by_kind[k])
			n += volt_snprintf(line + n, sizeof(line) - (size_t)n,
					   "%s%s %lu", n ? ", " : "",
					   vm_exit_kind_name(k),
					   (unsigned long)v->exits_by_kind[k]);
	if (n && v->vm->vcpu_count > 1)
		vm_printk(v->vm, "vCPU %u exits by kind: %s\n", v->id, line);
	else if (n)
		vm_printk(v->vm, "exits by kind: %s\n", line);
}

void vm_printk(const struct vm *vm, const char *fmt, ...)
{
	char line[320];
	int n = volt_snprintf(line, sizeof(line), "[%s] ", vm->cfg->name);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && n < (int)sizeof(line))
		volt_vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	va_end(ap);
	printk("%s", line);
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Is an interrupt waiting for this vCPU (hypercall timer, its local APIC
 * or the 8259A)? */
static bool interrupt_waiting(struct vcpu *v)
{
	return v->irq_pending ||
	       vm_devices_interrupt_pending(&v->vm->dev, v->id);
}

/* An NMI from the vCPU's local APIC (an NMI IPI, LINT1): it goes before
 * any interrupt, whatever RFLAGS.IF says, once the guest's own NMI
 * handler (if one runs) has returned. Returns whether one was injected
 * or still waits. */
static bool deliver_nmi(struct vcpu *v)
{
	struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	bool injected = false;
	if (vlapic_take_nmi(l))
		v->nmi_pending = true;
	if (v->nmi_pending && virt_vcpu_nmi_allowed(v)) {
		virt_vcpu_inject_nmi(v);
		v->nmi_pending = false;
		injected = true;
	}
	if (v->nmi_window != v->nmi_pending) {
		virt_vcpu_set_nmi_window(v, v->nmi_pending);
		v->nmi_window = v->nmi_pending;
	}
	return injected || v->nmi_pending;
}

/*
 * Before each entry: due timers raise their interrupts; one waiting
 * interrupt goes in if the guest can take it now (the PIC's is
 * acknowledged only then, as the INTA cycle of a real CPU); if one still
 * waits, the backend exits as soon as the guest can take it. The test
 * guests' hypercall timer bypasses the PIC. With APIC virtualization the
 * local APIC's interrupts are the processor's to deliver: the backend
 * only learns what changed (RVI, SVI, EOI-exit bitmap, mode). Returns
 * whether an interrupt was injected or still waits.
 */
bool vcpu_deliver_events(struct vcpu *v, bool devices_touched)
{
	uint64_t now = rdtsc();
	struct vm_irqchip *irq = &v->vm->dev.irq;
	/* The common case, on every exit: nothing due, nothing waiting, no
	 * window requested, nothing for the processor's virtual APIC. */
	if (!devices_touched && now < v->next_event && !v->window_requested &&
	    !v->nmi_window && !interrupt_waiting(v) &&
	    !irq->lapic[v->id].nmi_pending &&
	    !vm_irqchip_apicv_dirty(irq, v->id))
		return false;
	if (v->timer_deadline && now >= v->timer_deadline) {
		v->timer_deadline = 0;
		v->irq_pending = true;
		v->irq_vector = v->timer_vector;
	}
	if (devices_touched)
		vm_irqchip_lapic_touched(&v->vm->dev.irq, v->id);
	vm_devices_update(v->vm, now, devices_touched);
	v->next_event = earliest(v->timer_deadline ? v->timer_deadline
						   : DEV_CLOCK_NEVER,
				 v->vm->dev.next_event);
	bool nmi_waits = deliver_nmi(v);
	bool apic_waits = false;
	if (vm_irqchip_apicv(irq, v->id)) {
		struct virt_apic_state s;
		if (vm_irqchip_apicv_state(irq, v->id, &s))
			virt_vcpu_sync_apic(v, &s);
		apic_waits = vm_irqchip_lapic_deliverable(irq, v->id);
	}
	bool waiting = v->irq_pending || vm_irqchip_injectable(irq, v->id);
	bool injected = false;
	if (waiting && virt_vcpu_interrupt_allowed(v)) {
		injected = true;
		if (v->irq_pending) {
			v->irq_pending = false;
			virt_vcpu_inject_interrupt(v, v->irq_vector);
		} else {
			uint8_t vector = vm_devices_acknowledge(v->vm, v->id);
			virt_vcpu_inject_interrupt(v, vector);
		}
		waiting = v->irq_pending || vm_irqchip_injectable(irq, v->id);
	}
	virt_vcpu_set_interrupt_window(v, waiting);
	v->window_requested = waiting;
	return injected || waiting || nmi_waits || apic_waits;
}

/* Handle one exit, under the VM's lock: devices and interrupt controllers
 * are shared with the VM's other vCPUs. */
static enum vm_exit_action handle_exit(struct vcpu *v, struct vm_exit *e)
{
	v->exits++;
	if ((unsigned)e->kind < VM_EXIT_KINDS)
		v->exits_by_kind[e->kind]++;
	/* Kinds without a handler (yet) stop the VM with a report. */
	exit_handler_fn fn = (unsigned)e->kind < VM_EXIT_KINDS &&
					     exit_table[e->kind]
				     ? exit_table[e->kind] : exit_fatal;
	uint64_t flags = vm_lock(v->vm);
	enum vm_exit_action a = fn(v, e);
	vm_unlock(v->vm, flags);
	return a;
}

/* The guest may have programmed a timer (PIT/RTC ports, the local APIC's
 * registers or TSC-deadline MSR) or its APIC's priorities (EOI, TPR, CR8):
 * timers and pending interrupts must be looked at again. */
static bool may_touch_timers(const struct vcpu *v, const struct vm_exit *e)
{
	return (e->kind == VM_EXIT_IO &&
		vm_devices_timer_port(&v->vm->dev, e->u.io.port)) ||
	       e->kind == VM_EXIT_MEMORY_FAULT || e->kind == VM_EXIT_MSR_WRITE ||
	       e->kind == VM_EXIT_CR_ACCESS;
}

/*
 * INIT from another vCPU's local APIC to a running one (SDM vol. 3A 9.4:
 * an AP returns to wait-for-SIPI; Linux does this to bring an offlined
 * CPU back). Everything the vCPU was doing is dropped: its backend state,
 * registers and pending events; it starts again from the next SIPI. An
 * INIT to the first vCPU (the BSP, which would run its firmware again)
 * is a reset of the VM. False: the VM ends.
 */
static bool vcpu_take_init(struct vcpu *v)
{
	struct vm *vm = v->vm;
	if (v->id == 0) {
		vm->dev.reset_requested = true;
		vm_printk(vm, "INIT to vCPU 0: the VM resets\n");
		return false;
	}
	virt_vcpu_destroy(v);
	v->regs = (struct vcpu_regs){ 0 };
	v->irq_pending = v->nmi_pending = false;
	v->window_requested = v->nmi_window = false;
	v->timer_deadline = 0;
	v->inits++;
	return vcpu_start_from_sipi(v) == 0;
}

/* Run until the VM exits or is stopped; returns the final action
 * (VM_KILL, silently, when another vCPU ended the VM). */
enum vm_exit_action vcpu_run(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool devices_touched = true;
	vcpu_sched_point(v); /* sets the first run_until */
	for (;;) {
		struct vm_exit e;
		uint64_t flags = vm_lock(vm);
		/* Set before the last look at events: a vCPU that makes one
		 * pending after this kicks us out of the guest. */
		__atomic_store_n(&v->in_guest, true, __ATOMIC_SEQ_CST);
		if (vm->dev.irq.lapic[v->id].init_pending) {
			__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
			vm_unlock(vm, flags);
			if (!vcpu_take_init(v))
				return VM_KILL;
			devices_touched = true;
			continue;
		}
		vcpu_deliver_events(v, devices_touched);
		vm_unlock(vm, flags);
		if (__atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE)) {
			v->in_guest = false;
			return VM_KILL;
		}
		virt_vcpu_run(v, &e);
		__atomic_store_n(&v->in_guest, false, __ATOMIC_SEQ_CST);
		devices_touched = may_touch_timers(v, &e);
		enum vm_exit_action a = handle_exit(v, &e);
		switch (a) {
		case VM_RESUME_SKIP_INSN: /* the one place RIP advances */
			virt_vcpu_complete_insn(v, e.rip + e.insn_len);
			break;
		case VM_RESUME:
			break;
		case VM_BLOCK: /* HLT completes, then the vCPU waits */
			virt_vcpu_complete_insn(v, e.rip + e.insn_len);
			if (!vcpu_block_until_event(v)) {
				if (__atomic_load_n(&vm->stopping,
						    __ATOMIC_ACQUIRE))
					return VM_KILL;
				vm_printk(vm, "halted at %#lx with no event "
					  "left to wake it; stopping\n",
					  (unsigned long)e.rip);
				return VM_KILL;
			}
			break;
		case VM_KILL:
		case VM_EXITED:
			return a;
		}
		vcpu_sched_point(v);
	}
}
