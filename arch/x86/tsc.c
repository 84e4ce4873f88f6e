/*
 * TSC frequency discovery and TSC-based delays (kernel glue; see tsc.h).
 *
 * Intel SDM vol. 3B 18.17-18.18; CPUID leaves 0x15/0x16 (vol. 2A). The
 * arithmetic lives in tsc_freq.c (pure, host-tested); this file reads
 * CPUID, runs the PIT calibration when CPUID cannot tell, and prints the
 * result.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pit.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"

#define CPUID_LEAF_MAX 0x0

/*
 * PIT calibration window: ~10 ms (a short window is dominated by the cost
 * of the port reads; a long one slows the boot). Best of a few runs, since
 * an SMI or an emulator hiccup only ever makes one run longer.
 */
#define TSC_CAL_PIT_TICKS ((uint16_t)(PIT_HZ / 100))
#define TSC_CAL_RUNS 3
/* A PIT that never expires (none present): give up after this many polls
 * (each port read takes ~1 us on real hardware, so a few seconds). */
#define TSC_CAL_MAX_POLLS 5000000u

uint64_t tsc_hz;
uint64_t tsc_boot;
enum tsc_freq_source tsc_source;

static void tsc_read_cpuid(struct tsc_cpuid_info *in)
{
	struct cpuid_regs r;

	*in = (struct tsc_cpuid_info){ 0 };
	cpuid(CPUID_LEAF_MAX, 0, &r);
	in->max_leaf = r.eax;
	if (in->max_leaf >= CPUID_LEAF_TSC) {
		cpuid(CPUID_LEAF_TSC, 0, &r);
		in->l15_eax = r.eax;
		in->l15_ebx = r.ebx;
		in->l15_ecx = r.ecx;
	}
	if (in->max_leaf >= CPUID_LEAF_FREQ) {
		cpuid(CPUID_LEAF_FREQ, 0, &r);
		in->l16_eax = r.eax;
	}
}

/* One calibration run: TSC ticks for TSC_CAL_PIT_TICKS, 0 on timeout. */
static uint64_t tsc_pit_run(void)
{
	uint64_t t0, t1;
	uint32_t polls = 0;

	pit_ch2_start_oneshot(TSC_CAL_PIT_TICKS);
	t0 = rdtsc();
	while (!pit_ch2_expired()) {
		if (++polls == TSC_CAL_MAX_POLLS) {
			pit_ch2_stop();
			return 0;
		}
	}
	t1 = rdtsc();
	pit_ch2_stop();
	return t1 - t0;
}

/* Returns the TSC frequency measured against the PIT, 0 if it failed. */
static uint64_t tsc_calibrate_pit(void)
{
	uint64_t best = UINT64_MAX, d;
	int i;

	for (i = 0; i < TSC_CAL_RUNS; i++) {
		d = tsc_pit_run();
		if (d == 0)
			return 0;
		if (d < best)
			best = d;
	}
	return tsc_hz_from_pit(best, TSC_CAL_PIT_TICKS);
}

void tsc_init(void)
{
	struct tsc_cpuid_info in;
	char note[96];
	uint64_t hz = 0;

	tsc_read_cpuid(&in);
	tsc_source = tsc_freq_from_cpuid(&in, &hz, note, sizeof(note));
	if (note[0])
		printk("tsc: %s\n", note);
	if (tsc_source == TSC_FREQ_NONE) {
		hz = tsc_calibrate_pit();
		if (hz < TSC_HZ_MIN || hz > TSC_HZ_MAX)
			panic("tsc: no frequency from CPUID and PIT calibration failed (%llu Hz)",
			      (unsigned long long)hz);
		tsc_source = TSC_FREQ_PIT;
	}
	tsc_hz = hz;
	printk("tsc: %llu.%03llu MHz (from %s)\n",
	       (unsigned long long)(hz / HZ_PER_MHZ),
	       (unsigned long long)(hz % HZ_PER_MHZ / 1000),
	       tsc_freq_source_name(tsc_source));
}

uint64_t tsc_ns_to_ticks(uint64_t ns)
{
	if (tsc_hz == 0)
		panic("tsc: used before tsc_init()");
	return tsc_mul_div(ns, tsc_hz, NSEC_PER_SEC);
}

uint64_t tsc_ticks_to_ns(uint64_t ticks)
{
	if (tsc_hz == 0)
		panic("tsc: used before tsc_init()");
	return tsc_mul_div(ticks, NSEC_PER_SEC, tsc_hz);
}

void udelay(uint64_t us)
{
	uint64_t start = rdtsc(), ticks;

	if (tsc_hz == 0)
		panic("udelay: called before tsc_init()");
	ticks = tsc_mul_div(us, tsc_hz, USEC_PER_SEC);
	/* Subtraction, not `now < end`: correct even if the TSC wraps. */
	while (rdtsc() - start < ticks)
		cpu_relax();
}
