/* A VM's PC devices (see vm_devices.h). */
#include "arch/x86/cpu.h"
#include "arch/x86/tsc.h"
#include "vmm/exit_handlers.h"
#include "vmm/vm.h"
#include "vmm/vm_devices.h"

#define PIT_IRQ 0
#define RTC_IRQ 8
#define SCI_IRQ 9

static uint64_t host_tsc(void *ctx)
{
	return rdtsc();
}

static int attach_failed(struct vm *vm, const char *what)
{
	vm_printk(vm, "cannot attach its %s\n", what);
	return -1;
}

/* COM1's bytes become "[vm] line" on Volt's console. */
static void console_tx(void *ctx, uint8_t byte)
{
	struct vm *vm = ctx;
	if (console_line_push(&vm->console, byte)) {
		vm_printk(vm, "%s\n", vm->console.buf);
		console_line_reset(&vm->console);
	}
}

void vm_devices_flush_console(struct vm *vm)
{
	if (console_line_flush(&vm->console)) {
		vm_printk(vm, "%s\n", vm->console.buf);
		console_line_reset(&vm->console);
	}
}

/* A reset through the keyboard controller, port 0x92 or 0xCF9: the VM
 * ends here, and boots again if its config says on_crash=restart. */
static void guest_reset(void *ctx, const char *why)
{
	struct vm *vm = ctx;
	vm->dev.reset_requested = true;
	vm_printk(vm, "the guest asked for a reset (%s)\n", why);
}

/* ACPI S5: the guest powered itself off (the port write then stops it). */
static void guest_power_off(void *ctx)
{
	struct vm *vm = ctx;
	vm->dev.powered_off = true;
	vm_printk(vm, "the guest powered off (ACPI S5)\n");
}

static struct irq_line pic_input(struct vm_devices *d, unsigned irq)
{
	return vm_irqchip_isa_line(&d->irq, irq);
}

int vm_devices_create(struct vm *vm, const struct vm_devices_config *cfg)
{
	struct vm_devices *d = &vm->dev;
	d->clock = (struct dev_clock){ .now = host_tsc, .hz = tsc_hz };
	if (vm_irqchip_create(&d->irq, &cfg->irqchip, &d->clock, &vm->io,
			      &vm->mmio))
		return attach_failed(vm, "interrupt controllers");
	pit_init(&d->pit, &d->clock, pic_input(d, PIT_IRQ));
	if (pit_attach(&d->pit, &vm->io))
		return attach_failed(vm, "8254 PIT");
	uart_init(&d->com1, pic_input(d, UART_COM1_IRQ), console_tx, vm);
	if (uart_attach(&d->com1, &vm->io, UART_COM1_BASE))
		return attach_failed(vm, "16550A UART");
	rtc_init(&d->rtc, &d->clock, pic_input(d, RTC_IRQ), cfg->unix_seconds);
	rtc_set_memory_size(&d->rtc, vm->ram_bytes);
	if (rtc_attach(&d->rtc, &vm->io))
		return attach_failed(vm, "CMOS RTC");
	pc_ports_init(&d->ports, guest_reset, vm);
	if (pc_ports_attach(&d->ports, &vm->io))
		return attach_failed(vm, "PC ports");
	acpi_pm_init(&d->acpi_pm, &d->clock, pic_input(d, SCI_IRQ),
		     guest_power_off, vm);
	if (acpi_pm_attach(&d->acpi_pm, &vm->io, cfg->acpi_pm_base))
		return attach_failed(vm, "ACPI PM registers");
	if (vm->cfg->test_mmio && test_mmio_attach(&d->test_mmio, &vm->mmio))
		return attach_failed(vm, "MMIO test device");
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
	rtc_update(&d->rtc, now);
	acpi_pm_update(&d->acpi_pm, now);
	d->next_event = earliest(earliest(pit_next_event(&d->pit),
					  rtc_next_event(&d->rtc)),
				 acpi_pm_next_event(&d->acpi_pm));
	/* Every vCPU's APIC timer: a vCPU's exit serves the others' too. */
	for (uint32_t i = 0; i < d->irq.lapic_count; i++) {
		vlapic_update(&d->irq.lapic[i], now);
		d->next_event = earliest(d->next_event,
					 vlapic_next_event(&d->irq.lapic[i]));
	}
}

uint8_t vm_devices_acknowledge(struct vm *vm, uint32_t vcpu)
{
	return vm_irqchip_acknowledge(&vm->dev.irq, vcpu);
}
