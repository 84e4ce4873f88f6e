/*
 * The time-stamp counter: Volt's clock.
 *
 * Intel SDM vol. 3B 18.17 (time-stamp counter, invariant TSC) and 18.18
 * (determining the processor base frequency); CPUID leaves 0x15 (TSC and
 * core crystal clock) and 0x16 (processor frequency information), SDM
 * vol. 2A, CPUID.
 *
 * Two layers:
 *   tsc_freq_from_cpuid(), tsc_mul_div()   pure (tsc_freq.c): host-tested
 *   tsc_init(), udelay(), ...              kernel glue (tsc.c)
 *
 * tsc_init() finds the TSC frequency once, on CPU 0, in this order: CPUID
 * 0x15, CPUID 0x16, then a ~10 ms calibration against PIT channel 2.
 * Volt assumes an invariant TSC that all processors share (true on every
 * machine with VT-x and on both emulators).
 */
#ifndef VOLT_ARCH_X86_TSC_H
#define VOLT_ARCH_X86_TSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NSEC_PER_SEC 1000000000ull
#define USEC_PER_SEC 1000000ull
#define HZ_PER_MHZ 1000000ull

#define CPUID_LEAF_TSC 0x15      /* EAX/EBX = TSC/crystal ratio, ECX = crystal Hz */
#define CPUID_LEAF_FREQ 0x16     /* EAX[15:0] = base frequency in MHz */
#define CPUID_FREQ_MHZ_MASK 0xffffu

/* Frequencies outside this range are taken as firmware or emulator bugs. */
#define TSC_HZ_MIN (1ull * HZ_PER_MHZ)
#define TSC_HZ_MAX (100000ull * HZ_PER_MHZ)

/* Where tsc_hz came from (printed at boot). */
enum tsc_freq_source {
	TSC_FREQ_NONE = 0,  /* CPUID cannot tell: calibrate */
	TSC_FREQ_CPUID_15,
	TSC_FREQ_CPUID_16,
	TSC_FREQ_PIT,
};

/* The raw CPUID values tsc_freq_from_cpuid() needs (0 where absent). */
struct tsc_cpuid_info {
	uint32_t max_leaf;  /* CPUID.0:EAX, highest basic leaf */
	uint32_t l15_eax;   /* denominator of the TSC/crystal ratio */
	uint32_t l15_ebx;   /* numerator of the TSC/crystal ratio */
	uint32_t l15_ecx;   /* crystal frequency in Hz, 0 = not enumerated */
	uint32_t l16_eax;   /* bits 15:0: base frequency in MHz */
};

/*
 * a * b / c with a 128-bit intermediate product (no libgcc needed).
 * Returns 0 and the quotient in *out, or -1 if c is 0 or the quotient does
 * not fit in 64 bits (*out untouched).
 */
int tsc_mul_div_checked(uint64_t a, uint64_t b, uint64_t c, uint64_t *out);

/* Like tsc_mul_div_checked(), but saturates at UINT64_MAX on overflow. */
uint64_t tsc_mul_div(uint64_t a, uint64_t b, uint64_t c);

/*
 * The TSC frequency CPUID enumerates (pure). Tries leaf 0x15 (crystal Hz x
 * EBX / EAX; when ECX is 0 the crystal is derived from leaf 0x16's base
 * frequency), then leaf 0x16 alone. Returns the source and the frequency in
 * *hz, or TSC_FREQ_NONE (*hz untouched). When a leaf is present but
 * unusable (ratio 0, overflow, implausible result) the reason is written to
 * note (empty string otherwise), even if another leaf then succeeded.
 */
enum tsc_freq_source tsc_freq_from_cpuid(const struct tsc_cpuid_info *in,
					 uint64_t *hz, char *note,
					 size_t notelen);

/*
 * TSC frequency from a calibration run: tsc_delta TSC ticks elapsed while
 * the PIT counted pit_ticks at PIT_HZ. Returns 0 if pit_ticks is 0 or the
 * result overflows.
 */
uint64_t tsc_hz_from_pit(uint64_t tsc_delta, uint64_t pit_ticks);

/* "cpuid 0x15", "cpuid 0x16", "PIT calibration" or "none". */
const char *tsc_freq_source_name(enum tsc_freq_source src);

#ifndef VOLT_HOST_TEST
extern uint64_t tsc_hz;    /* TSC ticks per second, 0 before tsc_init() */
extern uint64_t tsc_boot;  /* TSC at volt_main() entry (set by volt_main) */
extern enum tsc_freq_source tsc_source;

/* Find tsc_hz (CPU 0, once, before any delay or timer) and print it. */
void tsc_init(void);

/* Busy-wait at least us microseconds on the TSC (tsc_init() first). */
void udelay(uint64_t us);

/* Conversions at tsc_hz (saturating). */
uint64_t tsc_ns_to_ticks(uint64_t ns);
uint64_t tsc_ticks_to_ns(uint64_t ticks);
#endif

#endif
