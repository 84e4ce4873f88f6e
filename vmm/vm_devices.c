/* A VM's PC devices (see vm_devices.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "vmm/exit_handlers.h"
#include "vmm/vm.h"
#include "vmm/vm_devices.h"

#define PIT_IRQ 0

static uint64_t host_tsc(void *ctx)
{
	return rdtsc();
}

static int attach_failed(struct vm *vm, const char *what)
{
	vm_printk(vm, "cannot attach its %s\n", what);
	return -1;
}

int vm_devices_create(struct vm *vm)
{
	struct vm_devices *d = &vm->dev;
	d->clock = (struct dev_clock){ .now = host_tsc, .hz = tsc_hz };
	pic_init(&d->pic);
	if (pic_attach(&d->pic, &vm->io))
		return attach_failed(vm, "8259A PIC");
	pit_init(&d->pit, &d->clock,
		 (struct irq_line){ pic_irq_line_set, &d->pic, PIT_IRQ });
	if (pit_attach(&d->pit, &vm->io))
		return attach_failed(vm, "8254 PIT");
	d->next_event = DEV_CLOCK_NEVER;
	return 0;
}

static uint64_t earliest(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void vm_devices_update(struct vm *vm, uint64_t now, bool force)
{
	struct vm_devices *d = &vm->dev;
	if (!force && now < d->next_event)
		return;
	pit_update(&d->pit, now);
	d->next_event = pit_next_event(&d->pit);
	d->next_event = earliest(d->next_event, DEV_CLOCK_NEVER);
}

bool vm_devices_interrupt_pending(const struct vm *vm)
{
	return pic_has_interrupt(&vm->dev.pic);
}

uint8_t vm_devices_acknowledge(struct vm *vm)
{
	return (uint8_t)pic_acknowledge(&vm->dev.pic);
}
