/*
 * vsnprintf for a freestanding kernel: %d %i %u %x %X %p %s %c %%, with flags
 * '-', '0', '#', width and precision (also as '*'), precision for %s, and the l, ll, z length modifiers.
 * Pure: compiled into Volt and into host unit tests.
 */
#ifndef VOLT_LIB_FORMAT_H
#define VOLT_LIB_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* Returns the length the full output would have (like C99 vsnprintf). */
int volt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int volt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
