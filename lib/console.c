/* printk and panic on top of one pluggable output sink (see console.h). */
#include "lib/console.h"
#include "lib/format.h"
#include <stdbool.h>
#include "lib/spinlock.h"

#define CONSOLE_LOCK_SPINS (1u << 24)

static console_sink_fn console_sink;
static struct spinlock console_lock = SPINLOCK_INIT;
static void (*stop_after_panic)(void);

void console_set_panic_stop(void (*stop)(void))
{
	stop_after_panic = stop;
}

void console_set_sink(console_sink_fn sink)
{
	console_sink = sink;
}

void vprintk(const char *fmt, va_list ap)
{
	char line[512];
	int n = volt_vsnprintf(line, sizeof(line), fmt, ap);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	if (!console_sink)
		return;
	/*
	 * A fault or NMI may arrive while this very CPU holds the lock; a
	 * report must still get out. So wait only a bounded time, then
	 * write anyway (at worst two lines interleave).
	 */
	uint64_t flags = read_flags_and_cli();
	bool locked = spin_trylock_bounded(&console_lock, CONSOLE_LOCK_SPINS);
	console_sink(line, (size_t)n);
	if (locked)
		spin_unlock(&console_lock, 0);
	restore_flags(flags);
}

void console_write_line(const char *s, size_t len)
{
	if (!console_sink)
		return;
	uint64_t flags = read_flags_and_cli();
	bool locked = spin_trylock_bounded(&console_lock, CONSOLE_LOCK_SPINS);
	console_sink(s, len);
	console_sink("\n", 1);
	if (locked)
		spin_unlock(&console_lock, 0);
	restore_flags(flags);
}

void printk(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;
	printk("PANIC: ");
	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
	printk("\n");
	if (stop_after_panic)
		stop_after_panic(); /* does not return */
	for (;;)
		__asm__ volatile("cli; hlt");
}
