/*
 * Local APIC: enabling in x2APIC or xAPIC mode, register access, EOI, IPIs
 * and the timer (see lapic.h for the SDM sections).
 *
 * Both modes expose the same registers; only the access differs. xAPIC:
 * 32-bit loads and stores in a 4 KiB MMIO page (uncached by the firmware's
 * MTRRs). x2APIC: RDMSR/WRMSR at MSR 0x800 + offset/16, the ICR a single
 * 64-bit MSR with the destination in bits 63:32 and no "send pending" bit.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/idt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"

#define CPUID_LEAF_FEATURES 0x1
#define CPUID_1_ECX_X2APIC (1u << 21)
#define CPUID_1_ECX_TSC_DEADLINE (1u << 24)
#define CPUID_1_EDX_APIC (1u << 9)

/* xAPIC: how long to wait for "send pending" to clear before giving up. */
#define LAPIC_ICR_MAX_POLLS 1000000u

/* One-shot mode: how long to count the APIC timer against the TSC. */
#define LAPIC_TIMER_CAL_US 10000u
#define LAPIC_TIMER_COUNT_MAX 0xffffffffu

/* Self-test: arm this far ahead, give up after this long. */
#define LAPIC_SELFTEST_NS 1000000ull
#define LAPIC_SELFTEST_TIMEOUT_NS 100000000ull

/*
 * Mode chosen by the first lapic_init() (CPU 0) and then used by every CPU:
 * all processors of a machine report the same CPUID features, and mixing
 * modes would make IPIs between them impossible.
 */
static bool lapic_mode_chosen;
static bool lapic_x2apic;
static bool lapic_deadline;          /* TSC-deadline timer mode */
static bool lapic_opt_xapic_only, lapic_opt_no_deadline;
static volatile uint32_t *lapic_mmio; /* xAPIC page (identity mapped) */
static uint64_t lapic_timer_hz;      /* one-shot mode: counts per second */

/* Timer interrupts per CPU, and the TSC at the last one (self-test). */
static volatile uint64_t lapic_timer_hits[MAX_CPUS];
static volatile uint64_t lapic_timer_last_tsc[MAX_CPUS];

void lapic_set_options(bool xapic_only, bool no_tsc_deadline)
{
	lapic_opt_xapic_only = xapic_only;
	lapic_opt_no_deadline = no_tsc_deadline;
}

bool lapic_is_x2apic(void)
{
	return lapic_x2apic;
}

bool lapic_timer_tsc_deadline(void)
{
	return lapic_deadline;
}

static uint32_t lapic_x2apic_msr(uint32_t reg)
{
	return MSR_X2APIC_BASE + (reg >> 4);
}

uint32_t lapic_read(uint32_t reg)
{
	if (lapic_x2apic)
		return (uint32_t)rdmsr(lapic_x2apic_msr(reg));
	return lapic_mmio[reg / sizeof(uint32_t)];
}

void lapic_write(uint32_t reg, uint32_t value)
{
	if (lapic_x2apic)
		wrmsr(lapic_x2apic_msr(reg), value);
	else
		lapic_mmio[reg / sizeof(uint32_t)] = value;
}

uint32_t lapic_id(void)
{
	uint32_t id = lapic_read(LAPIC_REG_ID);

	return lapic_x2apic ? id : id >> LAPIC_XAPIC_ID_SHIFT;
}

void lapic_eoi(void)
{
	/* Any write signals EOI; x2APIC requires the value 0 (else #GP). */
	lapic_write(LAPIC_REG_EOI, 0);
}

static int lapic_xapic_wait_idle(void)
{
	uint32_t polls;

	for (polls = 0; polls < LAPIC_ICR_MAX_POLLS; polls++) {
		if (!(lapic_read(LAPIC_REG_ICR_LOW) & LAPIC_ICR_SEND_PENDING))
			return 0;
		cpu_relax();
	}
	return -1;
}

int lapic_send_ipi(uint32_t apic_id, uint32_t icr_low)
{
	uint64_t flags;
	int rc = 0;

	if (lapic_x2apic) {
		/*
		 * One WRMSR: nothing to wait for, nothing to interleave. But
		 * WRMSR to an x2APIC register is not serializing (SDM
		 * 11.12.3): without the fence the IPI could overtake our
		 * earlier stores (e.g. an AP's start-up parameters).
		 */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(lapic_x2apic_msr(LAPIC_REG_ICR_LOW),
		      ((uint64_t)apic_id << 32) | icr_low);
		return 0;
	}
	/*
	 * xAPIC: the write to ICR low sends, so the two writes must not be
	 * split by an interrupt handler that sends an IPI of its own.
	 */
	flags = read_rflags();
	cli();
	if (lapic_xapic_wait_idle() == 0) {
		lapic_write(LAPIC_REG_ICR_HIGH, apic_id << LAPIC_ICR_DEST_SHIFT);
		lapic_write(LAPIC_REG_ICR_LOW, icr_low);
		rc = lapic_xapic_wait_idle();
	} else {
		rc = -1;
	}
	if (flags & RFLAGS_IF)
		sti();
	if (rc)
		printk("lapic: IPI 0x%x to apic %u not delivered\n", icr_low,
		       apic_id);
	return rc;
}

int lapic_send_init(uint32_t apic_id)
{
	/*
	 * INIT, level assert. The matching "INIT level de-assert" is only
	 * for the 82489DX; Pentium 4 and later ignore it and x2APIC mode
	 * does not support it, so it is never sent.
	 */
	return lapic_send_ipi(apic_id, LAPIC_ICR_DELIVERY_INIT |
					       LAPIC_ICR_LEVEL_ASSERT |
					       LAPIC_ICR_DEST_PHYSICAL);
}

int lapic_send_sipi(uint32_t apic_id, uint8_t vector_page)
{
	return lapic_send_ipi(apic_id, LAPIC_ICR_DELIVERY_STARTUP |
					       LAPIC_ICR_LEVEL_ASSERT |
					       LAPIC_ICR_DEST_PHYSICAL |
					       vector_page);
}

/* CPU 0, once: pick the mode every processor will use. */
static void lapic_choose_mode(void)
{
	struct cpuid_regs r;

	cpuid(CPUID_LEAF_FEATURES, 0, &r);
	if (!(r.edx & CPUID_1_EDX_APIC))
		panic("lapic: this processor has no local APIC");
	lapic_x2apic = (r.ecx & CPUID_1_ECX_X2APIC) && !lapic_opt_xapic_only;
	lapic_deadline = (r.ecx & CPUID_1_ECX_TSC_DEADLINE) &&
			 !lapic_opt_no_deadline;
	lapic_mode_chosen = true;
}

/*
 * IA32_APIC_BASE: EN alone is xAPIC, EN|EXTD x2APIC. Going from disabled
 * straight to x2APIC, or from x2APIC back to xAPIC, are invalid transitions
 * (SDM 11.12.5): both pass through the right intermediate state here.
 */
static void lapic_enable_hw(void)
{
	uint64_t base = rdmsr(MSR_IA32_APIC_BASE);
	const uint64_t both = APIC_BASE_XAPIC_ENABLE | APIC_BASE_X2APIC_ENABLE;

	if (!lapic_x2apic && (base & APIC_BASE_X2APIC_ENABLE)) {
		base &= ~both;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (!(base & APIC_BASE_XAPIC_ENABLE)) {
		base |= APIC_BASE_XAPIC_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (lapic_x2apic && !(base & APIC_BASE_X2APIC_ENABLE)) {
		base |= APIC_BASE_X2APIC_ENABLE;
		wrmsr(MSR_IA32_APIC_BASE, base);
	}
	if (!lapic_x2apic)
		lapic_mmio = (volatile uint32_t *)(uintptr_t)(base &
							      APIC_BASE_ADDR_MASK);
}

static uint32_t lapic_max_lvt(void)
{
	return (lapic_read(LAPIC_REG_VERSION) >> LAPIC_VERSION_MAX_LVT_SHIFT) &
	       LAPIC_VERSION_MAX_LVT_MASK;
}

/*
 * Mask every local interrupt source Volt does not use. LINT0 is where a
 * firmware in "virtual wire" mode routes the 8259 PIC (ExtINT): Volt takes
 * no PIC interrupts. LINT1 carries the platform NMI to the BSP only (MP
 * specification, virtual wire mode), so it stays an NMI there.
 */
static void lapic_mask_lvts(bool bsp)
{
	uint32_t maxlvt = lapic_max_lvt();

	lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_REG_LVT_LINT0, LAPIC_LVT_MASKED);
	lapic_write(LAPIC_REG_LVT_LINT1,
		    bsp ? LAPIC_LVT_DELIVERY_NMI : LAPIC_LVT_MASKED);
	lapic_write(LAPIC_REG_LVT_ERROR, LAPIC_LVT_MASKED);
	/* Reading or writing an absent LVT is a #GP in x2APIC mode. */
	if (maxlvt >= LAPIC_LVT_PERF_MIN_MAXLVT)
		lapic_write(LAPIC_REG_LVT_PERF, LAPIC_LVT_MASKED);
	if (maxlvt >= LAPIC_LVT_THERMAL_MIN_MAXLVT)
		lapic_write(LAPIC_REG_LVT_THERMAL, LAPIC_LVT_MASKED);
	/* ESR is only updated by a write; x2APIC requires the value 0. */
	lapic_write(LAPIC_REG_ESR, 0);
	lapic_write(LAPIC_REG_ESR, 0);
}

static void lapic_spurious_irq(struct trap_frame *f)
{
	/* A spurious interrupt is not in service: no EOI (SDM 11.9). */
}

static void lapic_timer_irq(struct trap_frame *f)
{
	uint32_t i = this_cpu()->index;

	if (i < MAX_CPUS) {
		lapic_timer_last_tsc[i] = rdtsc();
		lapic_timer_hits[i]++;
	}
	lapic_eoi();
}

uint64_t lapic_timer_count(void)
{
	return lapic_timer_hits[this_cpu()->index];
}

/*
 * One-shot mode only: how fast does the APIC timer count (bus or crystal
 * clock / 16)? Count down from the maximum for LAPIC_TIMER_CAL_US on the
 * TSC, with the LVT masked so nothing fires.
 */
static void lapic_timer_calibrate(void)
{
	uint64_t t0, t1;
	uint32_t left;

	lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_MASKED | LAPIC_TIMER_VECTOR);
	lapic_write(LAPIC_REG_TIMER_DIV, LAPIC_TIMER_DIV_16);
	t0 = rdtsc();
	lapic_write(LAPIC_REG_TIMER_INIT, LAPIC_TIMER_COUNT_MAX);
	udelay(LAPIC_TIMER_CAL_US);
	left = lapic_read(LAPIC_REG_TIMER_CUR);
	t1 = rdtsc();
	lapic_write(LAPIC_REG_TIMER_INIT, 0);
	lapic_timer_hz = tsc_mul_div(LAPIC_TIMER_COUNT_MAX - left, tsc_hz,
				     t1 - t0);
	if (left == 0 || lapic_timer_hz == 0)
		panic("lapic: timer calibration failed (%u left after %u us)",
		      left, LAPIC_TIMER_CAL_US);
}

/* Per CPU: timer LVT unmasked in its mode, disarmed. */
static void lapic_timer_setup(void)
{
	if (lapic_deadline) {
		lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_TIMER_TSC_DEADLINE |
							 LAPIC_TIMER_VECTOR);
		/*
		 * SDM 11.5.4.1: in xAPIC mode the MMIO write that selects
		 * TSC-deadline mode must be ordered before the first WRMSR
		 * to IA32_TSC_DEADLINE, which is not serializing.
		 */
		__asm__ volatile("mfence" ::: "memory");
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	} else {
		lapic_write(LAPIC_REG_TIMER_DIV, LAPIC_TIMER_DIV_16);
		lapic_write(LAPIC_REG_LVT_TIMER, LAPIC_LVT_TIMER_ONESHOT |
							 LAPIC_TIMER_VECTOR);
		lapic_write(LAPIC_REG_TIMER_INIT, 0);
	}
}

/* CPU 0, once: mode, interrupt handlers, timer calibration, boot log. */
static void lapic_init_global(void)
{
	lapic_choose_mode();
	if (tsc_hz == 0)
		panic("lapic: tsc_init() must run before lapic_init()");
	idt_set_handler(LAPIC_SPURIOUS_VECTOR, lapic_spurious_irq);
	idt_set_handler(LAPIC_TIMER_VECTOR, lapic_timer_irq);
}

void lapic_init(void)
{
	bool bsp = rdmsr(MSR_IA32_APIC_BASE) & APIC_BASE_BSP;

	if (!lapic_mode_chosen) {
		if (!bsp)
			panic("lapic: lapic_init() ran first on an AP");
		lapic_init_global();
	}
	lapic_enable_hw();
	lapic_mask_lvts(bsp);
	/* Accept every priority class. */
	lapic_write(LAPIC_REG_TPR, 0);
	/* Software-enable the APIC; unwanted interrupts land on 0xff. */
	lapic_write(LAPIC_REG_SVR, LAPIC_SVR_ENABLE | LAPIC_SPURIOUS_VECTOR);
	if (!lapic_deadline && lapic_timer_hz == 0)
		lapic_timer_calibrate();
	lapic_timer_setup();
	if (bsp)
		printk("lapic: %s mode, apic id %u, timer %s (%llu Hz)\n",
		       lapic_x2apic ? "x2APIC" : "xAPIC", lapic_id(),
		       lapic_deadline ? "tsc-deadline" : "one-shot",
		       (unsigned long long)(lapic_deadline ? tsc_hz :
							     lapic_timer_hz));
}

void lapic_timer_oneshot_ns(uint64_t ns)
{
	uint64_t count;

	if (lapic_deadline) {
		/* Writing 0 would disarm: never arm at exactly 0. */
		uint64_t deadline = rdtsc() + tsc_ns_to_ticks(ns);

		wrmsr(MSR_IA32_TSC_DEADLINE, deadline ? deadline : 1);
		return;
	}
	count = tsc_mul_div(ns, lapic_timer_hz, NSEC_PER_SEC);
	if (count == 0)
		count = 1; /* 0 stops the timer */
	if (count > LAPIC_TIMER_COUNT_MAX)
		count = LAPIC_TIMER_COUNT_MAX;
	lapic_write(LAPIC_REG_TIMER_INIT, (uint32_t)count);
}

void lapic_timer_stop(void)
{
	if (lapic_deadline)
		wrmsr(MSR_IA32_TSC_DEADLINE, 0);
	else
		lapic_write(LAPIC_REG_TIMER_INIT, 0);
}

/*
 * Waits with interrupts enabled, polling rather than `sti; hlt`: if the
 * timer never fires, nothing else would wake a halted CPU (the PIC is not
 * used), and the test must fail, not hang.
 */
int lapic_timer_selftest(void)
{
	uint32_t i = this_cpu()->index;
	const char *mode = lapic_deadline ? "tsc-deadline" : "one-shot";
	uint64_t before = lapic_timer_hits[i], flags = read_rflags();
	uint64_t timeout = tsc_ns_to_ticks(LAPIC_SELFTEST_TIMEOUT_NS);
	uint64_t expect = tsc_ns_to_ticks(LAPIC_SELFTEST_NS);
	uint64_t start, took;
	bool fired;

	cli();
	start = rdtsc();
	lapic_timer_oneshot_ns(LAPIC_SELFTEST_NS);
	sti();
	while (!(fired = lapic_timer_hits[i] != before) &&
	       rdtsc() - start < timeout)
		cpu_relax();
	cli();
	if (flags & RFLAGS_IF)
		sti();
	if (!fired) {
		lapic_timer_stop();
		printk("lapic: timer FAILED (%s, no interrupt within %llu ms)\n",
		       mode, LAPIC_SELFTEST_TIMEOUT_NS / 1000000ull);
		return -1;
	}
	took = lapic_timer_last_tsc[i] - start;
	/* Half the period is a generous bound for calibration error. */
	if (took < expect / 2) {
		printk("lapic: timer FAILED (%s, fired after %llu TSC ticks, expected %llu)\n",
		       mode, (unsigned long long)took,
		       (unsigned long long)expect);
		return -1;
	}
	printk("lapic: timer ok (%s, %llu TSC ticks to interrupt)\n", mode,
	       (unsigned long long)took);
	return 0;
}
