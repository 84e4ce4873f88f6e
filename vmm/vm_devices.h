/*
 * A VM's PC devices: which models a VM has, how they are wired, and how
 * their time advances. One instance per VM; the device models themselves
 * (vmm/dev/) know nothing of VMs.
 *
 * Wiring (as on a PC/AT): PIT channel 0 -> IRQ 0, COM1 -> IRQ 4,
 * RTC -> IRQ 8, the ACPI SCI -> IRQ 9, all into the 8259A pair, whose INTR output is what the
 * vCPU run loop delivers. Every device reads the host TSC as its clock, so
 * device time and the guest's RDTSC agree.
 */
#ifndef VOLT_VMM_VM_DEVICES_H
#define VOLT_VMM_VM_DEVICES_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/acpi_pm.h"
#include "vmm/dev/dev_clock.h"
#include "vmm/dev/pc_ports.h"
#include "vmm/dev/pit.h"
#include "vmm/dev/rtc_cmos.h"
#include "vmm/dev/test_mmio.h"
#include "vmm/dev/uart16550.h"
#include "vmm/vm_irqchip.h"

struct vm;

struct vm_devices {
	struct dev_clock clock;
	struct vm_irqchip irq; /* 8259A pair, IOAPIC, local APIC */
	struct pit pit;
	struct uart com1;
	struct rtc rtc;
	struct pc_ports ports; /* POST, A20/reset, i8042, PCI config, CF9 */
	struct test_mmio test_mmio; /* with test_mmio=on */
	struct acpi_pm acpi_pm; /* PM1 blocks, PM timer: what the FADT names */
	bool powered_off;     /* the guest entered ACPI S5 */
	bool reset_requested; /* the guest asked for a reset (reboot) */
	uint64_t next_event; /* earliest timed device event (clock ticks) */
};

/* Create and attach every device; 0, or -1 with the reason printed.
 * The RTC starts at `unix_seconds` (wall-clock time now). */
struct vm_devices_config {
	uint64_t unix_seconds;   /* wall-clock time now, for the RTC */
	uint16_t acpi_pm_base;   /* where the FADT puts the PM registers */
	struct vm_irqchip_config irqchip;
};
int vm_devices_create(struct vm *vm, const struct vm_devices_config *cfg);
/* Print what is left of the guest's last console line. */
void vm_devices_flush_console(struct vm *vm);
/* Bring timed devices up to `now` (raising their IRQs) when an event is
 * due, and recompute next_event. `force`: recompute even if nothing is
 * due (after the guest programmed a device). */
void vm_devices_update(struct vm *vm, uint64_t now, bool force);
/* Does an access to this port reprogram a timed device (PIT, port 0x61,
 * RTC)? Only then must next_event be recomputed at once. */
static inline bool vm_devices_timer_port(const struct vm_devices *d,
					 uint16_t port)
{
	return (port >= PIT_BASE && port < PIT_BASE + 4) ||
	       port == PIT_PORT_B || port == RTC_PORT_INDEX ||
	       port == RTC_PORT_INDEX + 1 ||
	       (uint16_t)(port - d->acpi_pm.base) < ACPI_PM_PORTS;
}
/* An interrupt waits for the vCPU (local APIC, or the 8259A's INTR). */
static inline bool vm_devices_interrupt_pending(struct vm_devices *d,
						uint32_t vcpu)
{
	return vm_irqchip_pending(&d->irq, vcpu);
}
/* The interrupt-acknowledge cycle: the vector to inject. */
uint8_t vm_devices_acknowledge(struct vm *vm, uint32_t vcpu);

#endif
