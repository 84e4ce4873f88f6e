/*
 * Volt's console: printk() formats a line and writes it to every console
 * sink (the serial port). Lines from different CPUs never interleave.
 */
#ifndef VOLT_LIB_CONSOLE_H
#define VOLT_LIB_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*console_sink_fn)(const char *s, size_t len);

void console_set_sink(console_sink_fn sink);
/* What panic() does after printing: set by the arch code (see power.h). */
void console_set_panic_stop(void (*stop)(void));
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vprintk(const char *fmt, va_list ap);
/* A long, already formatted line (printk's lines end at 511 bytes): `s`
 * then a newline, as one piece. */
void console_write_line(const char *s, size_t len);

/*
 * panic: a broken hypervisor invariant. Prints "PANIC: ..." and stops the
 * machine the way the command line asks (power off with a failure status,
 * or halt this CPU).
 */
void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

#endif
