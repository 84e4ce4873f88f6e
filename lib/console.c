/* printk and panic on top of one pluggable output sink (see console.h). */
#include "lib/console.h"
#include "lib/format.h"
#include "lib/spinlock.h"

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
	uint64_t flags = spin_lock(&console_lock);
	console_sink(line, (size_t)n);
	spin_unlock(&console_lock, flags);
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
