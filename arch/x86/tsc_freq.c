/*
 * TSC frequency arithmetic (pure; see tsc.h). Compiled into Volt and into
 * the host unit tests (tests/unit/test_tsc_freq.c).
 *
 * Intel SDM vol. 2A, CPUID leaf 0x15: "TSC frequency = core crystal clock
 * frequency * EBX / EAX". ECX, the crystal frequency, may be 0 (not
 * enumerated); Intel then documents the crystal per model, and like Linux we
 * derive it from leaf 0x16's base frequency instead, which is exact on the
 * parts where the TSC runs at the base frequency. Leaf 0x16 alone gives only
 * MHz, so it is the second choice.
 */
#include "arch/x86/tsc.h"
#include "arch/x86/pit.h"
#include "lib/format.h"

int tsc_mul_div_checked(uint64_t a, uint64_t b, uint64_t c, uint64_t *out)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p, q = 0;
	int i;

	/* hi >= c means the quotient needs more than 64 bits. */
	if (c == 0 || hi >= c)
		return -1;
	/*
	 * Restoring long division of hi:lo by c, one bit at a time. A
	 * 128-by-64 `/` would call libgcc's __udivti3, which the kernel
	 * does not link. Invariant: hi < c. The bit shifted out of hi
	 * (carry) means the partial remainder is >= 2^64 > c.
	 */
	for (i = 0; i < 64; i++) {
		uint64_t carry = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		q <<= 1;
		if (carry || hi >= c) {
			hi -= c;
			q |= 1;
		}
	}
	*out = q;
	return 0;
}

uint64_t tsc_mul_div(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t q;

	if (tsc_mul_div_checked(a, b, c, &q))
		return UINT64_MAX;
	return q;
}

static bool tsc_hz_plausible(uint64_t hz)
{
	return hz >= TSC_HZ_MIN && hz <= TSC_HZ_MAX;
}

static uint32_t tsc_base_mhz(const struct tsc_cpuid_info *in)
{
	if (in->max_leaf < CPUID_LEAF_FREQ)
		return 0;
	return in->l16_eax & CPUID_FREQ_MHZ_MASK;
}

/* Leaf 0x15: returns true and *hz, or false with the reason in note. */
static bool tsc_freq_leaf15(const struct tsc_cpuid_info *in, uint64_t *hz,
			    char *note, size_t notelen)
{
	uint64_t crystal = in->l15_ecx, base_hz, f;

	if (in->l15_eax == 0 || in->l15_ebx == 0) {
		volt_snprintf(note, notelen,
			      "cpuid 0x15: TSC/crystal ratio not enumerated");
		return false;
	}
	if (crystal == 0) {
		base_hz = (uint64_t)tsc_base_mhz(in) * HZ_PER_MHZ;
		if (base_hz == 0) {
			volt_snprintf(note, notelen,
				      "cpuid 0x15: crystal frequency unknown");
			return false;
		}
		/* base = crystal * ebx / eax, so crystal = base * eax / ebx */
		if (tsc_mul_div_checked(base_hz, in->l15_eax, in->l15_ebx,
					&crystal) || crystal == 0) {
			volt_snprintf(note, notelen,
				      "cpuid 0x15: crystal from 0x16 out of range");
			return false;
		}
	}
	if (tsc_mul_div_checked(crystal, in->l15_ebx, in->l15_eax, &f)) {
		volt_snprintf(note, notelen, "cpuid 0x15: frequency overflows");
		return false;
	}
	if (!tsc_hz_plausible(f)) {
		volt_snprintf(note, notelen, "cpuid 0x15: implausible %llu Hz",
			      (unsigned long long)f);
		return false;
	}
	*hz = f;
	return true;
}

enum tsc_freq_source tsc_freq_from_cpuid(const struct tsc_cpuid_info *in,
					 uint64_t *hz, char *note,
					 size_t notelen)
{
	uint64_t base_hz;

	if (notelen)
		note[0] = '\0';
	if (in->max_leaf >= CPUID_LEAF_TSC &&
	    tsc_freq_leaf15(in, hz, note, notelen))
		return TSC_FREQ_CPUID_15;

	/* 16 bits of MHz cannot overflow, but may be implausibly small. */
	base_hz = (uint64_t)tsc_base_mhz(in) * HZ_PER_MHZ;
	if (base_hz != 0 && tsc_hz_plausible(base_hz)) {
		*hz = base_hz;
		return TSC_FREQ_CPUID_16;
	}
	return TSC_FREQ_NONE;
}

uint64_t tsc_hz_from_pit(uint64_t tsc_delta, uint64_t pit_ticks)
{
	uint64_t hz;

	if (tsc_mul_div_checked(tsc_delta, PIT_HZ, pit_ticks, &hz))
		return 0;
	return hz;
}

const char *tsc_freq_source_name(enum tsc_freq_source src)
{
	switch (src) {
	case TSC_FREQ_CPUID_15:
		return "cpuid 0x15";
	case TSC_FREQ_CPUID_16:
		return "cpuid 0x16";
	case TSC_FREQ_PIT:
		return "PIT calibration";
	case TSC_FREQ_NONE:
		break;
	}
	return "none";
}
