/*
 * The exits APIC virtualization leaves to Volt (docs/apicv.md; SDM vol. 3C
 * "APIC-Write VM Exits" and "EOI Virtualization"). Both are trap-like:
 * the guest's instruction has completed and RIP is already past it, so
 * the handlers finish the access in the vCPU's local APIC and resume.
 *   - APIC write: the processor stored the guest's value in the
 *     register page (an LVT, the timer, the ICR...); the vLAPIC does
 *     what that write does. A timer may have been programmed, so the
 *     devices' next event is recomputed here.
 *   - EOI: the processor retired a vector from the ISR whose EOI Volt
 *     asked to see (a level-triggered one): the IOAPIC's remote IRR and
 *     LINT inputs learn of it.
 * Reads of the current count and other accesses the processor does not
 * virtualize arrive as memory faults on the APIC page (exit_mmio.c).
 */
#include "arch/x86/cpu.h"
#include "vmm/exit_handlers.h"
#include "vmm/vm.h"

static struct vlapic *own_lapic(struct vcpu *v)
{
	return &v->vm->dev.irq.lapic[v->id];
}

/* Writes that can move the APIC timer's next expiry (SVR: disabling
 * masks its LVT). */
static bool timer_register(uint16_t off)
{
	return off == APIC_LVT_TIMER || off == APIC_TIMER_ICR ||
	       off == APIC_TIMER_DCR || off == APIC_SVR;
}

enum vm_exit_action exit_apic_write(struct vcpu *v, struct vm_exit *e)
{
	uint16_t off = e->u.apic.offset & 0xff0;
	vlapic_apicv_write(own_lapic(v), off);
	vm_irqchip_lapic_touched(&v->vm->dev.irq, v->id);
	if (timer_register(off))
		vm_devices_update(v->vm, rdtsc(), true);
	return VM_RESUME;
}

enum vm_exit_action exit_apic_eoi(struct vcpu *v, struct vm_exit *e)
{
	vlapic_apicv_eoi(own_lapic(v), e->u.apic.vector);
	vm_irqchip_lapic_touched(&v->vm->dev.irq, v->id);
	return VM_RESUME;
}
