/*
 * Idle states (idle.h): SDM vol. 2B "MONITOR", "MWAIT" and vol. 3A
 * "MWAIT Extensions for Advanced Power Management". MONITOR arms a
 * write-monitor on one line; MWAIT then waits in the hinted C-state until
 * a write to that line or an interrupt. With ECX bit 0 an interrupt ends
 * MWAIT even while IF=0; Volt still does STI right before MWAIT (the STI
 * shadow covers MWAIT, so an interrupt pending before it ends the wait
 * instead of being lost) and takes the interrupt after it.
 *
 * Bochs 2.7 arms a stale address when the monitored line is already in its
 * TLB, so the line is INVLPGed right before MONITOR (EMULATORS.md); caches
 * must be on (caches_enable at boot), or MONITOR does not arm.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/idle.h"
#include "arch/x86/lapic.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"

#define CACHE_LINE 64

/* A line per processor that nothing writes: MWAIT wakes on interrupts. */
static volatile uint8_t monitor_lines[MAX_CPUS][CACHE_LINE]
	__attribute__((aligned(CACHE_LINE)));

static void arm_timer(uint64_t until)
{
	if (until != UINT64_MAX) {
		uint64_t now = rdtsc();
		lapic_timer_oneshot_ns(until > now ? tsc_ticks_to_ns(until - now)
						   : 0);
	}
}

static void disarm_timer(uint64_t until)
{
	if (until != UINT64_MAX)
		lapic_timer_stop();
}

void cpu_idle_mwait(uint32_t hint, uint64_t until)
{
	const volatile void *line = monitor_lines[this_cpu()->index];
	if (until != UINT64_MAX && until <= rdtsc())
		return;
	arm_timer(until);
	invlpg((const void *)line);
	__asm__ volatile("monitor" ::"a"(line), "c"(0), "d"(0) : "memory");
	__asm__ volatile("sti; mwait; cli" ::"a"(hint), "c"(0) : "memory");
	disarm_timer(until);
}

void cpu_idle_halt(uint64_t until)
{
	if (until != UINT64_MAX && until <= rdtsc())
		return;
	arm_timer(until);
	__asm__ volatile("sti; hlt; cli" ::: "memory");
	disarm_timer(until);
}

void cpu_idle_poll(uint64_t until, const volatile bool *stop)
{
	__asm__ volatile("sti" ::: "memory");
	while (rdtsc() < until && !*stop)
		__asm__ volatile("pause" ::: "memory");
	__asm__ volatile("cli" ::: "memory");
}
