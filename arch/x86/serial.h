/* 16550A UART console on COM1 (PC16550D datasheet; ports 0x3f8-0x3ff). */
#ifndef VOLT_ARCH_X86_SERIAL_H
#define VOLT_ARCH_X86_SERIAL_H

#include <stddef.h>

void serial_init(void);
void serial_write(const char *s, size_t len);
/* Wait until the transmitter is completely empty (before power-off). */
void serial_drain(void);
/* A byte typed on the serial console, or -1 if none waits. */
int serial_getc_nowait(void);

#endif
