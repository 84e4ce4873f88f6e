/*
 * Ending a run: power off the machine, or stop after a fault.
 *
 * machine_poweroff() tries, in order: the isa-debug-exit port (only when the
 * command line enables it: `exit=isa-debug-exit`, QEMU tests), ACPI S5 through
 * the FADT's PM1 control registers (when the DSDT's \_S5 was found), Bochs's
 * shutdown port 0x8900, and finally halts with a message saying power-off
 * failed. It waits for the serial transmitter to drain first, so the last
 * line is never lost.
 */
#ifndef VOLT_ARCH_X86_POWER_H
#define VOLT_ARCH_X86_POWER_H

#include <stdbool.h>
#include <stdint.h>

/* How to power off, filled from ACPI (see acpi.h) and the command line. */
struct poweroff_method {
	bool isa_debug_exit;   /* write the status to port 0xf4 (QEMU) */
	bool acpi_s5;          /* FADT + \_S5 found */
	uint32_t pm1a_cnt;     /* PM1a control I/O port */
	uint32_t pm1b_cnt;     /* PM1b control I/O port, 0 if none */
	uint16_t slp_typa, slp_typb;
	uint32_t smi_cmd;      /* FADT SMI_CMD port: switch to ACPI mode, 0 if none */
	uint8_t acpi_enable;   /* the value to write there */
};

void power_set_method(const struct poweroff_method *m);

/* Status 0 means success; anything else is a failure the test runner sees. */
void machine_poweroff(int status) __attribute__((noreturn));

/* After an exception report or panic: power off (status 3) if the command
 * line says on_fault=poweroff, otherwise stop this CPU for good. */
void machine_stop_after_fault(void) __attribute__((noreturn));
void power_set_poweroff_on_fault(bool enable);
/* After panic(): like machine_stop_after_fault() with status 2. */
void machine_stop_after_panic(void) __attribute__((noreturn));

#endif
