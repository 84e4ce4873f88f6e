/*
 * Power-off and stop paths (see power.h for the order of attempts).
 *
 * The line "volt: exit status N" is the contract with the test runner: Bochs
 * always exits with status 1 after its shutdown port, so the runner reads how
 * Volt ended from this line instead.
 */
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "arch/x86/power.h"
#include "arch/x86/serial.h"
#include "arch/x86/virt.h"
#include "lib/console.h"

#define ISA_DEBUG_EXIT_PORT 0xf4   /* QEMU -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT 0x8900 /* Bochs: the string "Shutdown" quits */
#define ACPI_SCI_EN (1u << 0)       /* PM1 control: ACPI mode is on (ACPI 4.8.3.2.1) */
#define ACPI_SLP_EN (1u << 13)      /* PM1 control: sleep enable */
#define ACPI_SLP_TYP_SHIFT 10
#define EXIT_STATUS_FAULT 3
#define EXIT_STATUS_PANIC 2

static struct poweroff_method method;
static bool poweroff_on_fault;

void power_set_method(const struct poweroff_method *m)
{
	method = *m;
}

void power_set_poweroff_on_fault(bool enable)
{
	poweroff_on_fault = enable;
}

/*
 * Roughly `n` microseconds: a port-0x80 read takes about 1 us on PC
 * hardware. Used only where no TSC calibration can be assumed.
 */
static void io_delay(unsigned n)
{
	while (n--)
		(void)inb(0x80);
}

/* A firmware still in legacy mode ignores SLP_EN: hand over first (ACPI
 * 16.3.1, the SMI_CMD/ACPI_ENABLE handshake). */
static void acpi_enter_acpi_mode(void)
{
	if (inw((uint16_t)method.pm1a_cnt) & ACPI_SCI_EN || !method.smi_cmd ||
	    !method.acpi_enable)
		return;
	outb((uint16_t)method.smi_cmd, method.acpi_enable);
	for (int i = 0; i < 3000; i++) {
		if (inw((uint16_t)method.pm1a_cnt) & ACPI_SCI_EN)
			return;
		io_delay(1000);
	}
}

static void acpi_s5(void)
{
	acpi_enter_acpi_mode();
	outw((uint16_t)method.pm1a_cnt,
	     (uint16_t)(method.slp_typa << ACPI_SLP_TYP_SHIFT) | ACPI_SLP_EN);
	if (method.pm1b_cnt)
		outw((uint16_t)method.pm1b_cnt,
		     (uint16_t)(method.slp_typb << ACPI_SLP_TYP_SHIFT) |
			     ACPI_SLP_EN);
}

static void bochs_shutdown(void)
{
	static const char word[] = "Shutdown";
	for (const char *p = word; *p; p++)
		outb(BOCHS_SHUTDOWN_PORT, (uint8_t)*p);
}

void machine_poweroff(int status)
{
	cli();
	virt_cpu_disable(); /* leave VMX operation on this CPU (SDM 3C 24.7) */
	printk("volt: exit status %d\n", status);
	serial_drain();
	if (method.isa_debug_exit)
		outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status);
	if (method.acpi_s5) {
		acpi_s5();
		io_delay(100000); /* emulators take a moment to act on it */
	}
	bochs_shutdown();
	io_delay(100000);
	printk("volt: power-off did not take effect; halting\n");
	serial_drain();
	cpu_halt_forever();
}

static void __attribute__((noreturn)) stop_with(int status)
{
	if (poweroff_on_fault)
		machine_poweroff(status);
	printk("volt: this CPU is stopped (on_fault=halt)\n");
	serial_drain();
	cpu_halt_forever();
}

void machine_stop_after_fault(void)
{
	stop_with(EXIT_STATUS_FAULT);
}

void machine_stop_after_panic(void)
{
	stop_with(EXIT_STATUS_PANIC);
}
