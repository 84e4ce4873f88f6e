/*
 * How drivers reach model-specific registers and CPUID: through function
 * pointers, so that the same driver code runs in Volt (rdmsr/wrmsr with an
 * exception fixup, arch/x86/msr_safe.c) and in host unit tests (a mock
 * that records calls). MSR accessors return 0 on success and -1 when the
 * access faulted (#GP): never "the MSR exists" by itself, see
 * /work/shared/EMULATORS.md (emulators read 0 and swallow writes).
 *
 * The small helpers below decode CPUID the way both P-state drivers need
 * it (Intel SDM vol. 2A, CPUID: leaf 0 vendor and maximum leaf, leaf 1
 * EAX family/model/stepping; AMD APM vol. 3, E.3.1 and E.4). Pure C.
 */
#ifndef VOLT_PM_MSR_IO_H
#define VOLT_PM_MSR_IO_H

#include <stdbool.h>
#include <stdint.h>

struct msr_io {
	int (*rd)(uint32_t msr, uint64_t *v);
	int (*wr)(uint32_t msr, uint64_t v);
};

/* r[0..3] = EAX, EBX, ECX, EDX of CPUID(leaf, sub). */
struct cpuid_io {
	void (*cpuid)(uint32_t leaf, uint32_t sub, uint32_t r[4]);
};

enum { CPUID_EAX, CPUID_EBX, CPUID_ECX, CPUID_EDX };

#define CPUID_EXT_BASE 0x80000000u

/* "GenuineIntel", "AuthenticAMD": leaf 0 spells it in EBX, EDX, ECX. */
static inline bool cpuid_vendor_is(const struct cpuid_io *c,
				   const char vendor[13])
{
	uint32_t r[4];
	const uint32_t order[3] = { CPUID_EBX, CPUID_EDX, CPUID_ECX };

	c->cpuid(0, 0, r);
	for (unsigned i = 0; i < 12; i++) {
		uint32_t reg = r[order[i / 4]];
		if ((char)(reg >> (8 * (i % 4))) != vendor[i])
			return false;
	}
	return true;
}

/*
 * CPUID(leaf, 0) if the processor enumerates that leaf (leaf 0 EAX is the
 * highest basic leaf, 0x80000000 EAX the highest extended one), else
 * zeros: a leaf above the maximum returns the data of the highest basic
 * leaf on Intel, which must never be read as feature bits.
 */
static inline void cpuid_leaf_or_zero(const struct cpuid_io *c,
				      uint32_t leaf, uint32_t r[4])
{
	uint32_t max[4];

	c->cpuid(leaf & CPUID_EXT_BASE, 0, max);
	if (leaf > max[CPUID_EAX] ||
	    (leaf & CPUID_EXT_BASE) != (max[CPUID_EAX] & CPUID_EXT_BASE)) {
		r[0] = r[1] = r[2] = r[3] = 0;
		return;
	}
	c->cpuid(leaf, 0, r);
}

/* Display family and model from CPUID.1:EAX (SDM vol. 2A, figure 3-6):
 * the extended family is added only when the base family is 0xF, the
 * extended model is prepended when the base family is 6 or 0xF. */
static inline uint32_t cpuid_family(uint32_t eax1)
{
	uint32_t fam = (eax1 >> 8) & 0xf;
	return fam == 0xf ? fam + ((eax1 >> 20) & 0xff) : fam;
}

static inline uint32_t cpuid_model(uint32_t eax1)
{
	uint32_t fam = (eax1 >> 8) & 0xf, model = (eax1 >> 4) & 0xf;
	if (fam == 6 || fam == 0xf)
		model |= ((eax1 >> 16) & 0xf) << 4;
	return model;
}

#endif
