/*
 * Host tests for the guest CPU model (vmm/cpuid_filter.c).
 *
 * Host CPUs are fake CPUID functions over real dumps:
 *   - SKX, TGL: Bochs 2.7's corei7_skylake_x and tigerlake models, every
 *     leaf and subleaf 0-7 captured by a Multiboot2 kernel running on
 *     them (CPUID from 32-bit mode, so 0x80000001 EDX lacks SYSCALL);
 *   - I5_TGL: the Core i5-1135G7 dump Bochs builds "tigerlake" from
 *     (bochs cpudb/intel/tigerlake.txt), for the bits Bochs leaves out;
 *   - HSW: SKX cut to a maximum leaf of 0xD (a Haswell-era host without
 *     the TSC leaves), and hostile hosts with every bit set.
 * The fake answers a leaf above the maxima with the highest basic leaf, as
 * the SDM says and as Bochs was seen to do (0x40000000 on SKX returned
 * leaf 0x16's data). Expected values were worked out bit by bit from SDM
 * vol. 2A, CPUID, and the table in cpuid_filter.c's comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/cpuid_filter.h"

#define ANY 0xffffffffu
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct host_leaf {
	uint32_t leaf, subleaf; /* subleaf ANY: the leaf ignores ECX */
	struct cpuid_result r;
};

struct host_cpu {
	const struct host_leaf *leaves;
	size_t count;
	const struct host_cpu *base; /* leaves not found here come from it */
	uint32_t fill;		     /* base NULL: every register of every
				      * leaf not listed, e.g. 0xffffffff */
};

#define HOST(arr, base_cpu, fill_value) \
	{ arr, ARRAY_LEN(arr), base_cpu, fill_value }

static const struct host_leaf skx_leaves[] = {
	{ 0x00000000, ANY, { 0x00000016, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x00000001, ANY, { 0x00050654, 0x00010800, 0x77faf3bf, 0xbfebfbff } },
	{ 0x00000002, ANY, { 0x76036301, 0x00f0b5ff, 0x00000000, 0x00c30000 } },
	{ 0x00000004, 0, { 0x1c004121, 0x01c0003f, 0x0000003f, 0x00000000 } },
	{ 0x00000004, 1, { 0x1c004122, 0x01c0003f, 0x0000003f, 0x00000000 } },
	{ 0x00000004, 2, { 0x1c004143, 0x03c0003f, 0x000003ff, 0x00000000 } },
	{ 0x00000004, 3, { 0x1c03c163, 0x0280003f, 0x00002fff, 0x00000004 } },
	{ 0x00000005, ANY, { 0x00000040, 0x00000040, 0x00000003, 0x00002020 } },
	{ 0x00000006, ANY, { 0x00000075, 0x00000002, 0x00000009, 0x00000000 } },
	{ 0x00000007, 0, { 0x00000000, 0xd19f27eb, 0x00000000, 0x00000000 } },
	{ 0x0000000a, ANY, { 0x07300404, 0x00000000, 0x00000000, 0x00000603 } },
	{ 0x0000000b, 0, { 0x00000001, 0x00000001, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 1, { 0x00000000, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x0000000d, 0, { 0x000000e7, 0x00000240, 0x00000a80, 0x00000000 } },
	{ 0x0000000d, 1, { 0x0000000f, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 2, { 0x00000100, 0x00000240, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 5, { 0x00000040, 0x00000440, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 6, { 0x00000200, 0x00000480, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 7, { 0x00000400, 0x00000680, 0x00000000, 0x00000000 } },
	{ 0x00000015, ANY, { 0x00000002, 0x00000124, 0x00000000, 0x00000000 } },
	{ 0x00000016, ANY, { 0x00000dac, 0x00000fa0, 0x00000064, 0x00000000 } },
	{ 0x80000000, ANY, { 0x80000008, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x80000001, ANY, { 0x00000000, 0x00000000, 0x00000121, 0x2c100000 } },
	{ 0x80000002, ANY, { 0x65746e49, 0x2952286c, 0x726f4320, 0x4d542865 } },
	{ 0x80000003, ANY, { 0x37692029, 0x3038372d, 0x43205830, 0x40205550 } },
	{ 0x80000004, ANY, { 0x352e3320, 0x7a484730, 0x00000000, 0x00000000 } },
	{ 0x80000006, ANY, { 0x00000000, 0x00000000, 0x01006040, 0x00000000 } },
	{ 0x80000007, ANY, { 0x00000000, 0x00000000, 0x00000000, 0x00000100 } },
	{ 0x80000008, ANY, { 0x00003028, 0x00000000, 0x00000000, 0x00000000 } },
};

static const struct host_leaf tgl_leaves[] = {
	{ 0x00000000, ANY, { 0x0000001b, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x00000001, ANY, { 0x000806c1, 0x00010800, 0x77faf3bf, 0xbfebfbff } },
	{ 0x00000002, ANY, { 0x00feff01, 0x000000f0, 0x00000000, 0x00000000 } },
	{ 0x00000004, 0, { 0x1c004121, 0x02c0003f, 0x0000003f, 0x00000000 } },
	{ 0x00000004, 1, { 0x1c004122, 0x01c0003f, 0x0000003f, 0x00000000 } },
	{ 0x00000004, 2, { 0x1c004143, 0x04c0003f, 0x000003ff, 0x00000000 } },
	{ 0x00000004, 3, { 0x1c03c163, 0x01c0003f, 0x00003fff, 0x00000004 } },
	{ 0x00000005, ANY, { 0x00000040, 0x00000040, 0x00000003, 0x11121020 } },
	{ 0x00000006, ANY, { 0x0017eff7, 0x00000002, 0x00000009, 0x00000000 } },
	{ 0x00000007, 0, { 0x00000000, 0xf1bf27eb, 0x00405fce, 0xfc100510 } },
	{ 0x0000000a, ANY, { 0x08300805, 0x00000000, 0x0000000f, 0x00008604 } },
	{ 0x0000000b, 0, { 0x00000001, 0x00000001, 0x00000100, 0x00000000 } },
	{ 0x0000000b, 1, { 0x00000000, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x0000000d, 0, { 0x000002e7, 0x00000240, 0x00000ac0, 0x00000000 } },
	{ 0x0000000d, 1, { 0x0000000f, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 2, { 0x00000100, 0x00000240, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 5, { 0x00000040, 0x00000440, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 6, { 0x00000200, 0x00000480, 0x00000000, 0x00000000 } },
	{ 0x0000000d, 7, { 0x00000400, 0x00000680, 0x00000000, 0x00000000 } },
	{ 0x00000015, ANY, { 0x00000002, 0x0000007e, 0x0249f000, 0x00000000 } },
	{ 0x00000016, ANY, { 0x00000960, 0x00001068, 0x00000064, 0x00000000 } },
	{ 0x00000018, 0, { 0x00000008, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x00000018, 1, { 0x00000000, 0x00080001, 0x00000010, 0x00004022 } },
	{ 0x00000018, 2, { 0x00000000, 0x00080006, 0x00000002, 0x00004022 } },
	{ 0x00000018, 3, { 0x00000000, 0x0010000f, 0x00000001, 0x00004125 } },
	{ 0x00000018, 4, { 0x00000000, 0x00040001, 0x00000010, 0x00004024 } },
	{ 0x00000018, 5, { 0x00000000, 0x00040006, 0x00000008, 0x00004024 } },
	{ 0x00000018, 6, { 0x00000000, 0x00080008, 0x00000080, 0x00004043 } },
	{ 0x00000018, 7, { 0x00000000, 0x00080009, 0x00000080, 0x00004043 } },
	{ 0x80000000, ANY, { 0x80000008, 0x00000000, 0x00000000, 0x00000000 } },
	{ 0x80000001, ANY, { 0x00000000, 0x00000000, 0x00000121, 0x2c100000 } },
	{ 0x80000002, ANY, { 0x68743131, 0x6e654720, 0x746e4920, 0x52286c65 } },
	{ 0x80000003, ANY, { 0x6f432029, 0x54286572, 0x6920294d, 0x31312d35 } },
	{ 0x80000004, ANY, { 0x37473533, 0x32204020, 0x4730342e, 0x00007a48 } },
	{ 0x80000006, ANY, { 0x00000000, 0x00000000, 0x01007040, 0x00000000 } },
	{ 0x80000007, ANY, { 0x00000000, 0x00000000, 0x00000000, 0x00000100 } },
	{ 0x80000008, ANY, { 0x00003028, 0x00000000, 0x00000000, 0x00000000 } },
};

/* The real Core i5-1135G7 where it differs from Bochs' model: PT,
 * Key Locker, MOVDIRI/MOVDIR64B, the hypervisor-invisible OSXSAVE set by
 * the host OS, SYSCALL seen from 64-bit mode, 39 physical address bits. */
static const struct host_leaf i5_tgl_leaves[] = {
	{ 0x00000001, ANY, { 0x000806c1, 0x00100800, 0x7ffafbbf, 0xbfebfbff } },
	{ 0x00000007, 0, { 0x00000000, 0xf3bfa7eb, 0x18c05fce, 0xfc100510 } },
	{ 0x00000007, 1, { 0x00000000, 0x00000000, 0x00000000, 0x00000010 } },
	{ 0x0000000d, 1, { 0x0000000f, 0x00000a00, 0x00003900, 0x00000000 } },
	{ 0x0000000d, 8, { 0x00000080, 0x00000000, 0x00000001, 0x00000000 } },
	{ 0x80000001, ANY, { 0x00000000, 0x00000000, 0x00000121, 0x2c100800 } },
	{ 0x80000008, ANY, { 0x00003027, 0x00000000, 0x00000000, 0x00000000 } },
};

/* A Haswell-era host: no leaves 0x15/0x16. */
static const struct host_leaf hsw_leaves[] = {
	{ 0x00000000, ANY, { 0x0000000d, 0x756e6547, 0x6c65746e, 0x49656e69 } },
};

/* Leaf 0x15 with a ratio but no crystal, and no leaf 0x16. */
static const struct host_leaf no16_leaves[] = {
	{ 0x00000000, ANY, { 0x00000015, 0x756e6547, 0x6c65746e, 0x49656e69 } },
};

/* A hostile ratio: crystal = 65535 MHz x 2^32-1 / 1 overflows. */
static const struct host_leaf bad15_leaves[] = {
	{ 0x00000000, ANY, { 0x00000016, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x00000015, ANY, { 0xffffffff, 0x00000001, 0x00000000, 0x00000000 } },
	{ 0x00000016, ANY, { 0x0000ffff, 0x0000ffff, 0x00000064, 0x00000000 } },
};

/* Hostile hosts: every bit of every leaf set, except the maxima. */
static const struct host_leaf ones_leaves[] = {
	{ 0x00000000, ANY, { 0x00000024, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x80000000, ANY, { 0x80000021, 0, 0, 0 } },
	{ 0x0000000b, ANY, { 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff } },
};

/* Maxima that make no sense: 0 extended leaves, a basic maximum of 6. */
static const struct host_leaf odd_max_leaves[] = {
	{ 0x00000000, ANY, { 0x00000006, 0x756e6547, 0x6c65746e, 0x49656e69 } },
	{ 0x80000000, ANY, { 0x00000000, 0, 0, 0 } },
	{ 0x00000006, ANY, { 0x00000075, 0x00000002, 0x00000009, 0x00000000 } },
};

static const struct host_cpu SKX = HOST(skx_leaves, NULL, 0);
static const struct host_cpu TGL = HOST(tgl_leaves, NULL, 0);
static const struct host_cpu I5_TGL = HOST(i5_tgl_leaves, &TGL, 0);
static const struct host_cpu HSW = HOST(hsw_leaves, &SKX, 0);
static const struct host_cpu NO16 = HOST(no16_leaves, &SKX, 0);
static const struct host_cpu BAD15 = HOST(bad15_leaves, &SKX, 0);
static const struct host_cpu ONES = HOST(ones_leaves, NULL, 0xffffffffu);
static const struct host_cpu ODD_MAX = HOST(odd_max_leaves, NULL, 0);

static unsigned host_calls;

static bool find_leaf(const struct host_cpu *h, uint32_t leaf,
		      uint32_t subleaf, struct cpuid_result *r)
{
	for (; h; h = h->base) {
		for (size_t i = 0; i < h->count; i++) {
			const struct host_leaf *l = &h->leaves[i];
			if (l->leaf == leaf &&
			    (l->subleaf == ANY || l->subleaf == subleaf)) {
				*r = l->r;
				return true;
			}
		}
		if (!h->base) {
			uint32_t f = h->fill;
			*r = (struct cpuid_result){ f, f, f, f };
			return f != 0;
		}
	}
	return false;
}

static uint32_t host_max(const struct host_cpu *h, uint32_t leaf)
{
	struct cpuid_result r;
	find_leaf(h, leaf, 0, &r);
	return r.eax;
}

/* CPUID as the host answers it (SDM: above both maxima, the highest basic
 * leaf; unlisted leaves and subleaves are zero). */
static void fake_cpuid(uint32_t leaf, uint32_t subleaf, struct cpuid_result *r,
		       void *ctx)
{
	const struct host_cpu *h = ctx;
	uint32_t max_basic = host_max(h, 0), max_ext = host_max(h, 0x80000000);

	host_calls++;
	if (leaf > max_basic && (leaf < 0x80000000 || leaf > max_ext))
		leaf = max_basic;
	if (!find_leaf(h, leaf, subleaf, r))
		*r = (struct cpuid_result){ 0, 0, 0, 0 };
}

/* vCPU 1 of 2, nothing optional: the most conservative policy. */
static const struct cpuid_policy conservative = {
	.vcpu_id = 1, .vcpu_count = 2,
};

/* Everything optional on. */
static const struct cpuid_policy full = {
	.vcpu_id = 1, .vcpu_count = 2, .lapic = true, .mwait = true,
	.x2apic = true, .tsc_deadline = true, .xsave = true, .rdtscp = true,
	.invpcid = true, .pstates = true, .tsc_hz = 3500000000ull,
};

/* What exit_cpuid.c builds today: one vCPU with an APIC. */
static const struct cpuid_policy volt_today = {
	.vcpu_id = 0, .vcpu_count = 1, .lapic = true,
};

static struct cpuid_policy pol;

static struct cpuid_policy *build(const struct cpuid_policy *base,
				  const struct host_cpu *host)
{
	pol = *base;
	cpuid_policy_build(&pol, fake_cpuid, (void *)host);
	return &pol;
}

static struct cpuid_result answer(const struct cpuid_policy *p,
				  const struct host_cpu *host, uint32_t leaf,
				  uint32_t subleaf)
{
	struct cpuid_result r;
	/* Exactly what vmm/exit_cpuid.c does. */
	if (!cpuid_table_lookup(p, leaf, subleaf, &r))
		cpuid_answer(p, leaf, subleaf, fake_cpuid, (void *)host, &r);
	return r;
}

#define expect(p, host, leaf, sub, a, b, c, d)                               \
	do {                                                                 \
		struct cpuid_result got_ = answer(p, host, leaf, sub);       \
		assert_int_equal(got_.eax, a);                               \
		assert_int_equal(got_.ebx, b);                               \
		assert_int_equal(got_.ecx, c);                               \
		assert_int_equal(got_.edx, d);                               \
	} while (0)

#define expect_zero(p, host, leaf, sub) expect(p, host, leaf, sub, 0, 0, 0, 0)

/* ---- leaf 1 ------------------------------------------------------------ */

static void test_leaf1_bochs_skylake_x(void **state)
{
	/*
	 * ECX: SSE3, PCLMUL, SSSE3, CX16, PCID, SSE4.1/4.2, MOVBE, POPCNT,
	 * AES, RDRAND, hypervisor (0xc2da2203). Gone: DTES64, MONITOR,
	 * DS-CPL, VMX, EIST, TM2, FMA, xTPR, PDCM, x2APIC, TSC-deadline,
	 * XSAVE, AVX, F16C.
	 * EDX: APIC kept (the policy's); MTRR and PAT kept; MCE, MCA, DS,
	 * ACPI, TM, PBE and HTT (one vCPU) gone: 0x0f8bbb7f.
	 * EBX: CLFLUSH 8, 1 logical processor, APIC ID 0.
	 */
	expect(build(&volt_today, &SKX), &SKX, 1, 0, 0x00050654, 0x00010800,
	       0xc2da2203, 0x0f8bbb7f);
}

static void test_leaf1_bochs_tigerlake(void **state)
{
	struct cpuid_policy *p = build(&conservative, &TGL);
	/* vCPU 1 of 2: HTT set, 2 logical processors, APIC ID 1; no APIC. */
	expect(p, &TGL, 1, 0, 0x000806c1, 0x01020800, 0xc2da2203,
	       0x1f8bb97f);
}

static void test_leaf1_full_policy(void **state)
{
	struct cpuid_policy *p = build(&full, &I5_TGL);
	/* The host's OSXSAVE (bit 27: the host OS enabled XSAVE) does not
	 * leak: the guest has not set CR4.OSXSAVE. EIST (7) is the policy's
	 * virtual P-states; MONITOR, FMA, x2APIC, TSC-deadline, XSAVE, AVX,
	 * F16C come back. SDBG (11) stays hidden. */
	expect(p, &I5_TGL, 1, 0, 0x000806c1, 0x01020800, 0xf7fa328b,
	       0x1f8bbb7f);
	p->guest_osxsave = true;
	expect(p, &I5_TGL, 1, 0, 0x000806c1, 0x01020800, 0xfffa328b,
	       0x1f8bbb7f);
	/* guest_osxsave means nothing without XSAVE support. */
	struct cpuid_policy no_xsave = full;
	no_xsave.xsave = false;
	p = build(&no_xsave, &I5_TGL);
	p->guest_osxsave = true;
	struct cpuid_result r = answer(p, &I5_TGL, 1, 0);
	assert_int_equal(r.ecx & ((1u << 26) | (1u << 27)), 0);
}

static void test_leaf1_vlapic_bits_follow_policy(void **state)
{
	/* Bochs skylake_x has x2APIC and TSC-deadline: hidden by default. */
	struct cpuid_result r = answer(build(&conservative, &SKX), &SKX, 1, 0);
	assert_int_equal(r.ecx & ((1u << 21) | (1u << 24)), 0);
	assert_int_equal(r.edx & (1u << 9), 0);
	/* A host without them: the virtual LAPIC may still offer them. */
	struct cpuid_policy x2 = conservative;
	x2.x2apic = true;
	x2.lapic = true;
	r = answer(build(&x2, &HSW), &HSW, 1, 0);
	assert_int_equal(r.ecx & (1u << 21), 1u << 21);
	assert_int_equal(r.ecx & (1u << 24), 0);
	assert_int_equal(r.edx & (1u << 9), 1u << 9);
}

static void test_leaf1_wide_fields_clamp(void **state)
{
	struct cpuid_policy p = conservative;
	p.vcpu_id = 0x1ab;  /* 8-bit field: the low byte */
	p.vcpu_count = 300; /* 8-bit field: saturates */
	struct cpuid_result r = answer(build(&p, &TGL), &TGL, 1, 0);
	assert_int_equal(r.ebx, 0xabff0800);
	/* vcpu_count 0 is taken as 1: no HTT. */
	p.vcpu_count = 0;
	r = answer(build(&p, &TGL), &TGL, 1, 0);
	assert_int_equal(r.ebx, 0xab010800);
	assert_int_equal(r.edx & (1u << 28), 0);
}

/* ---- every hidden bit, against the real Bochs values ------------------- */

enum reg { EAX, EBX, ECX, EDX };

static uint32_t reg_of(struct cpuid_result r, enum reg g)
{
	return g == EAX ? r.eax : g == EBX ? r.ebx : g == ECX ? r.ecx : r.edx;
}

struct hidden_bit {
	const struct host_cpu *host;
	uint32_t leaf, subleaf;
	enum reg reg;
	unsigned bit;
	const char *what;
};

/* Set on the Bochs hosts, hidden even with every policy switch on. */
static const struct hidden_bit always_hidden[] = {
	{ &SKX, 1, 0, ECX, 2, "DTES64" },
	{ &SKX, 1, 0, ECX, 4, "DS-CPL" },
	{ &SKX, 1, 0, ECX, 5, "VMX" },
	{ &SKX, 1, 0, ECX, 8, "TM2" },
	{ &SKX, 1, 0, ECX, 14, "xTPR" },
	{ &SKX, 1, 0, ECX, 15, "PDCM" },
	{ &SKX, 1, 0, EDX, 7, "MCE" },
	{ &SKX, 1, 0, EDX, 14, "MCA" },
	{ &SKX, 1, 0, EDX, 21, "DS" },
	{ &SKX, 1, 0, EDX, 22, "ACPI (thermal)" },
	{ &SKX, 1, 0, EDX, 29, "TM" },
	{ &SKX, 1, 0, EDX, 31, "PBE" },
	{ &SKX, 6, 0, EAX, 0, "digital thermal sensor" },
	{ &SKX, 6, 0, EAX, 4, "power limit notification" },
	{ &SKX, 6, 0, EAX, 5, "clock modulation" },
	{ &SKX, 6, 0, EAX, 6, "package thermal" },
	{ &SKX, 6, 0, EBX, 1, "thermal thresholds" },
	{ &SKX, 6, 0, ECX, 0, "APERF/MPERF" },
	{ &SKX, 6, 0, ECX, 3, "ENERGY_PERF_BIAS" },
	{ &SKX, 7, 0, EBX, 1, "TSC_ADJUST" },
	{ &SKX, 0xa, 0, EAX, 2, "PMU version" },
	{ &SKX, 0xa, 0, EAX, 10, "PMU counters" },
	{ &SKX, 0xa, 0, EDX, 0, "PMU fixed counters" },
	{ &TGL, 6, 0, EAX, 1, "turbo" },
	{ &TGL, 6, 0, EAX, 7, "HWP" },
	{ &TGL, 6, 0, EAX, 8, "HWP notification" },
	{ &TGL, 6, 0, EAX, 9, "HWP activity window" },
	{ &TGL, 6, 0, EAX, 10, "HWP EPP" },
	{ &TGL, 6, 0, EAX, 11, "HWP package request" },
	{ &TGL, 6, 0, EAX, 13, "HDC" },
	{ &TGL, 6, 0, EAX, 14, "turbo boost max 3.0" },
	{ &TGL, 6, 0, EAX, 20, "HWP feedback" },
	{ &TGL, 7, 0, EBX, 1, "TSC_ADJUST" },
	{ &TGL, 7, 0, ECX, 3, "PKU" },
	{ &TGL, 7, 0, ECX, 7, "CET shadow stacks" },
	{ &TGL, 7, 0, EDX, 20, "CET IBT" },
	{ &TGL, 7, 0, EDX, 26, "IBRS/IBPB (SPEC_CTRL)" },
	{ &TGL, 7, 0, EDX, 27, "STIBP" },
	{ &TGL, 7, 0, EDX, 28, "L1D_FLUSH" },
	{ &TGL, 7, 0, EDX, 29, "ARCH_CAPABILITIES" },
	{ &TGL, 7, 0, EDX, 30, "CORE_CAPABILITIES" },
	{ &TGL, 7, 0, EDX, 31, "SSBD" },
	{ &TGL, 0xd, 0, EAX, 9, "PKRU state" },
	{ &TGL, 0xd, 1, EAX, 3, "XSAVES" },
	{ &I5_TGL, 7, 0, EBX, 15, "RDT-A" },
	{ &I5_TGL, 7, 0, EBX, 25, "Intel PT" },
	{ &I5_TGL, 7, 0, ECX, 23, "Key Locker" },
	{ &I5_TGL, 7, 1, EDX, 4, "subleaf 1" },
	{ &I5_TGL, 0xd, 1, ECX, 8, "XSS: PT" },
	{ &I5_TGL, 0xd, 8, EAX, 7, "PT state component" },
};

/* Set on the Bochs hosts, hidden unless the policy offers them. */
static const struct hidden_bit policy_hidden[] = {
	{ &SKX, 1, 0, ECX, 3, "MONITOR (mwait)" },
	{ &SKX, 1, 0, ECX, 7, "EIST (pstates)" },
	{ &SKX, 1, 0, ECX, 12, "FMA (xsave)" },
	{ &SKX, 1, 0, ECX, 21, "x2APIC" },
	{ &SKX, 1, 0, ECX, 24, "TSC-deadline" },
	{ &SKX, 1, 0, ECX, 26, "XSAVE" },
	{ &SKX, 1, 0, ECX, 28, "AVX" },
	{ &SKX, 1, 0, ECX, 29, "F16C" },
	{ &SKX, 1, 0, EDX, 9, "APIC (lapic)" },
	{ &SKX, 1, 0, EDX, 28, "HTT (vcpu_count)" },
	{ &SKX, 5, 0, EDX, 5, "MWAIT C1 sub-states" },
	{ &SKX, 5, 0, EDX, 13, "MWAIT C3 sub-states" },
	{ &SKX, 7, 0, EBX, 5, "AVX2" },
	{ &SKX, 7, 0, EBX, 10, "INVPCID" },
	{ &SKX, 7, 0, EBX, 16, "AVX512F" },
	{ &SKX, 7, 0, EBX, 31, "AVX512VL" },
	{ &SKX, 0xd, 0, EAX, 2, "AVX state" },
	{ &TGL, 7, 0, ECX, 1, "AVX512_VBMI" },
	{ &TGL, 7, 0, ECX, 22, "RDPID" },
	{ &TGL, 7, 0, EDX, 8, "VP2INTERSECT" },
	{ &TGL, 0x80000001, 0, EDX, 27, "RDTSCP" },
};

static void check_hidden(const struct hidden_bit *h,
			 const struct cpuid_policy *base)
{
	struct cpuid_result host, guest;
	struct cpuid_policy *p = build(base, h->host);

	fake_cpuid(h->leaf, h->subleaf, &host, (void *)h->host);
	if (!(reg_of(host, h->reg) & (1u << h->bit)))
		fail_msg("fixture: %s not set on the host", h->what);
	guest = answer(p, h->host, h->leaf, h->subleaf);
	if (reg_of(guest, h->reg) & (1u << h->bit))
		fail_msg("%s visible to the guest", h->what);
}

static void test_always_hidden_bits(void **state)
{
	struct cpuid_policy one = full;
	one.vcpu_count = 1;
	for (size_t i = 0; i < ARRAY_LEN(always_hidden); i++) {
		check_hidden(&always_hidden[i], &full);
		check_hidden(&always_hidden[i], &conservative);
		check_hidden(&always_hidden[i], &one);
	}
}

static void test_policy_hidden_bits(void **state)
{
	struct cpuid_policy one = conservative;
	one.vcpu_count = 1;
	for (size_t i = 0; i < ARRAY_LEN(policy_hidden); i++) {
		check_hidden(&policy_hidden[i], &one);
		/* ... and each one comes back with the full policy. */
		const struct hidden_bit *h = &policy_hidden[i];
		struct cpuid_result g = answer(build(&full, h->host), h->host,
					       h->leaf, h->subleaf);
		if (!(reg_of(g, h->reg) & (1u << h->bit)))
			fail_msg("%s not offered by the full policy", h->what);
	}
}

/* ---- allow-lists: a host with every bit set ---------------------------- */

static void test_all_ones_host_conservative(void **state)
{
	struct cpuid_policy *p = build(&conservative, &ONES);
	/* Only the bits the comment tables list as "host". */
	expect(p, &ONES, 1, 0, 0xffffffff, 0x0102ffff, 0xc2da2203,
	       0x1f8bb97f);
	expect(p, &ONES, 6, 0, 4, 0, 0, 0);
	expect(p, &ONES, 7, 0, 0, 0x219c2bd9, 0x1a000105, 0x00014c10);
	expect_zero(p, &ONES, 5, 0);
	expect(p, &ONES, 0x80000001, 0, 0, 0, 0x121, 0x24100800);
	expect(p, &ONES, 0x80000007, 0, 0, 0, 0, 0x100);
	/* Physical bits as the host says; linear capped at 48 (no LA57). */
	expect(p, &ONES, 0x80000008, 0, 0x30ff, 0x200, 0, 0);
}

static void test_all_ones_host_full(void **state)
{
	struct cpuid_policy *p = build(&full, &ONES);
	expect(p, &ONES, 1, 0, 0xffffffff, 0x0102ffff, 0xf7fa328b,
	       0x1f8bbb7f);
	expect(p, &ONES, 7, 0, 0, 0xfdbf2ff9, 0x1a405f47, 0x00814d1c);
	expect(p, &ONES, 0x80000001, 0, 0, 0, 0x121, 0x2c100800);
	/* XSAVE: x87, SSE, AVX, AVX-512 only; no XSAVES, no XSS. */
	expect(p, &ONES, 0xd, 0, 0xe7, 0xffffffff, 0xffffffff, 0);
	expect(p, &ONES, 0xd, 1, 0xffffffe7, 0xffffffff, 0, 0);
	expect_zero(p, &ONES, 0xd, 9);
}

static void test_unreviewed_leaves_are_zero(void **state)
{
	const uint32_t zeroed[] = { 3, 8, 9, 0xa, 0xc, 0xe, 0xf, 0x10, 0x11,
				    0x12, 0x13, 0x14, 0x17, 0x19, 0x1a, 0x1b,
				    0x1c, 0x1d, 0x1e };
	struct cpuid_policy *p = build(&full, &ONES);
	for (size_t i = 0; i < ARRAY_LEN(zeroed); i++)
		for (uint32_t sub = 0; sub < 3; sub++)
			expect_zero(p, &ONES, zeroed[i], sub);
}

/* ---- leaf 0 and the maxima --------------------------------------------- */

static void test_maxima(void **state)
{
	struct cpuid_policy *p = build(&conservative, &SKX);
	expect(p, &SKX, 0, 0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	expect(p, &SKX, 0x80000000, 0, 0x80000008, 0, 0, 0);
	/* A host past what Volt reviewed: 0x1F and 0x80000008. */
	p = build(&conservative, &ONES);
	expect(p, &ONES, 0, 0, 0x1f, 0x756e6547, 0x6c65746e, 0x49656e69);
	expect(p, &ONES, 0x80000000, 0, 0x80000008, 0, 0, 0);
	/* 0x20 and 0x80000009 are now above the guest's maxima: the data of
	 * its highest basic leaf, 0x1F, with the subleaf asked. */
	expect(p, &ONES, 0x20, 1, 1, 2, 0x201, 1);
	expect(p, &ONES, 0x80000009, 0, 0, 1, 0x100, 1);
	expect(p, &ONES, 0x80000021, 1, 1, 2, 0x201, 1);
}

static void test_odd_maxima(void **state)
{
	struct cpuid_policy *p = build(&conservative, &ODD_MAX);
	/* No extended leaves reported: 0x80000000 still answers. */
	expect(p, &ODD_MAX, 0x80000000, 0, 0x80000000, 0, 0, 0);
	assert_int_equal(p->phys_addr_bits, 36);
	/* Above max: leaf 6 filtered, everywhere. */
	const uint32_t above[] = { 7, 0x20000000, 0x50000000, 0x80000001,
				   0xffffffff };
	for (size_t i = 0; i < ARRAY_LEN(above); i++)
		expect(p, &ODD_MAX, above[i], 0, 4, 0, 0, 0);
}

static void test_above_max_bochs(void **state)
{
	/* Skylake-X: max 0x16. CPUID 0x17 returns leaf 0x16's data. */
	struct cpuid_policy *p = build(&conservative, &SKX);
	expect(p, &SKX, 0x17, 0, 0xdac, 0xfa0, 0x64, 0);
	expect(p, &SKX, 0x80000009, 0, 0xdac, 0xfa0, 0x64, 0);
	expect(p, &SKX, 0x8fffffff, 0, 0xdac, 0xfa0, 0x64, 0);
	/* Tiger Lake: max 0x1B, all zero. */
	p = build(&conservative, &TGL);
	expect_zero(p, &TGL, 0x1c, 0);
	expect_zero(p, &TGL, 0xffffffff, 0);
}

/* ---- leaf 4 ------------------------------------------------------------ */

static void test_leaf4_cache_sharing(void **state)
{
	struct cpuid_policy *p = build(&conservative, &SKX);
	/* L1D private: 0 sharing, 2 cores -> [31:26] = 1. */
	expect(p, &SKX, 4, 0, 0x04000121, 0x01c0003f, 0x3f, 0);
	/* L3 shared by both vCPUs: [25:14] = 1 (the host says 16). */
	expect(p, &SKX, 4, 3, 0x04004163, 0x0280003f, 0x2fff, 4);
	/* The terminating subleaf and beyond stay all zero, also past the
	 * table (subleaf 8 and up take the slow path). */
	expect_zero(p, &SKX, 4, 4);
	expect_zero(p, &SKX, 4, 9);
	expect_zero(p, &SKX, 4, 0xffffffff);
	p = build(&volt_today, &SKX);
	expect(p, &SKX, 4, 3, 0x00000163, 0x0280003f, 0x2fff, 4);
	struct cpuid_policy many = conservative;
	many.vcpu_count = 100; /* [31:26] saturates at 63 */
	p = build(&many, &SKX);
	expect(p, &SKX, 4, 3, 0xfc18c163, 0x0280003f, 0x2fff, 4);
}

/* ---- leaves 5, 6, 7 ---------------------------------------------------- */

static void test_leaf5_mwait(void **state)
{
	expect_zero(build(&conservative, &TGL), &TGL, 5, 0);
	expect(build(&full, &TGL), &TGL, 5, 0, 0x40, 0x40, 0x3, 0x11121020);
}

static void test_leaf6_only_arat(void **state)
{
	expect(build(&full, &TGL), &TGL, 6, 0, 4, 0, 0, 0);
	expect(build(&conservative, &SKX), &SKX, 6, 0, 4, 0, 0, 0);
}

static void test_leaf7_bochs(void **state)
{
	/* SKX EBX keeps FSGSBASE, BMI1, FDP, SMEP, BMI2, ERMS, FCS/FDS,
	 * RDSEED, ADX, SMAP, CLFLUSHOPT, CLWB; full adds AVX2, INVPCID,
	 * AVX-512 F/DQ/CD/BW/VL. Only TSC_ADJUST (1) stays hidden. */
	expect(build(&conservative, &SKX), &SKX, 7, 0, 0, 0x019c23c9, 0, 0);
	expect(build(&full, &SKX), &SKX, 7, 0, 0, 0xd19f27e9, 0, 0);
	/* TGL ECX: UMIP, GFNI; full adds VBMI, VBMI2, VAES, VPCLMULQDQ,
	 * VNNI, BITALG, VPOPCNTDQ, RDPID. EDX: FSRM, MD_CLEAR; full adds
	 * VP2INTERSECT. PKU, CET, speculation control stay hidden. */
	expect(build(&conservative, &TGL), &TGL, 7, 0, 0, 0x219c23c9, 0x104,
	       0x410);
	expect(build(&full, &TGL), &TGL, 7, 0, 0, 0xf1bf27e9, 0x405f46,
	       0x510);
}

static void test_leaf7_real_tigerlake(void **state)
{
	/* MOVDIRI/MOVDIR64B kept; PT, RDT-A, Key Locker hidden. */
	expect(build(&conservative, &I5_TGL), &I5_TGL, 7, 0, 0, 0x219c23c9,
	       0x18000104, 0x410);
	expect(build(&full, &I5_TGL), &I5_TGL, 7, 0, 0, 0xf1bf27e9,
	       0x18405f46, 0x510);
	/* Subleaf 1 (here AVX-VNNI... bit 4 of EDX) is not offered. */
	expect_zero(build(&full, &I5_TGL), &I5_TGL, 7, 1);
	expect_zero(build(&full, &I5_TGL), &I5_TGL, 7, 2);
}

/* ---- topology ---------------------------------------------------------- */

static void test_topology_two_vcpus(void **state)
{
	struct cpuid_policy *p = build(&conservative, &SKX);
	/* The host's own view is replaced. */
	expect(p, &SKX, 0xb, 0, 0, 1, 0x100, 1);
	expect(p, &SKX, 0xb, 1, 1, 2, 0x201, 1);
	/* Past the last level: type 0, level number echoed, x2APIC ID. */
	expect(p, &SKX, 0xb, 2, 0, 0, 2, 1);
	expect(p, &SKX, 0xb, 0x1ff, 0, 0, 0xff, 1);
}

static void test_topology_sizes(void **state)
{
	struct cpuid_policy q = conservative;
	q.vcpu_id = 2;
	q.vcpu_count = 3; /* 2 bits of core ID */
	expect(build(&q, &ONES), &ONES, 0x1f, 1, 2, 3, 0x201, 2);
	q.vcpu_count = 4;
	expect(build(&q, &ONES), &ONES, 0xb, 1, 2, 4, 0x201, 2);
	q.vcpu_count = 5;
	expect(build(&q, &ONES), &ONES, 0xb, 1, 3, 5, 0x201, 2);
	/* Volt today: one vCPU, the four sources agree on 1. */
	struct cpuid_policy *p = build(&volt_today, &TGL);
	expect(p, &TGL, 0xb, 0, 0, 1, 0x100, 0);
	expect(p, &TGL, 0xb, 1, 0, 1, 0x201, 0);
	assert_int_equal((answer(p, &TGL, 1, 0).ebx >> 16) & 0xff, 1);
	assert_int_equal(answer(p, &TGL, 4, 0).eax >> 26, 0);
}

/* ---- XSAVE ------------------------------------------------------------- */

static void test_xsave_hidden(void **state)
{
	struct cpuid_policy *p = build(&conservative, &TGL);
	for (uint32_t sub = 0; sub < 70; sub++)
		expect_zero(p, &TGL, 0xd, sub);
}

static void test_xsave_offered(void **state)
{
	struct cpuid_policy *p = build(&full, &I5_TGL);
	/* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM; not PKRU (bit 9). */
	expect(p, &I5_TGL, 0xd, 0, 0xe7, 0x240, 0xac0, 0);
	/* XSAVEOPT, XSAVEC, XGETBV1 kept; XSAVES and the XSS bits gone. */
	expect(p, &I5_TGL, 0xd, 1, 0x7, 0xa00, 0, 0);
	expect(p, &I5_TGL, 0xd, 2, 0x100, 0x240, 0, 0);
	expect(p, &I5_TGL, 0xd, 7, 0x400, 0x680, 0, 0);
	expect_zero(p, &I5_TGL, 0xd, 8);
	expect_zero(p, &I5_TGL, 0xd, 63);
	expect_zero(p, &I5_TGL, 0xd, 64);
}

/* ---- TSC and frequency leaves ------------------------------------------ */

static void test_tsc_leaves_from_host(void **state)
{
	/* Skylake-X: ratio 292/2, no crystal; Linux derives the crystal from
	 * 0x16: 3500 MHz * 2 / 292 = 23972 kHz, and takes it as the LAPIC
	 * timer rate. */
	struct cpuid_policy *p = build(&full, &SKX);
	expect(p, &SKX, 0x15, 0, 2, 0x124, 0, 0);
	expect(p, &SKX, 0x16, 0, 0xdac, 0xfa0, 0x64, 0);
	assert_int_equal(p->crystal_hz, 23972000);
	expect(p, &SKX, 0x40000010, 0, 3500000, 23972, 0, 0);
	/* Tiger Lake: 38.4 MHz crystal, 2419.2 MHz TSC. */
	p = build(&full, &TGL);
	expect(p, &TGL, 0x15, 0, 2, 0x7e, 38400000, 0);
	assert_int_equal(p->crystal_hz, 38400000);
	expect(p, &TGL, 0x40000010, 0, 3500000, 38400, 0, 0);
	/* No TSC rate known: EAX 0. */
	p = build(&conservative, &TGL);
	expect(p, &TGL, 0x40000010, 0, 0, 38400, 0, 0);
}

static void test_tsc_leaves_synthesized(void **state)
{
	/* A host without 0x15/0x16 and a 3.5 GHz TSC: 25 MHz x 140 / 1,
	 * 3500 MHz base and max, 100 MHz bus. The guest's maximum rises to
	 * 0x16; the leaves in between are zero. */
	struct cpuid_policy q = volt_today;
	q.tsc_hz = 3500000000ull;
	struct cpuid_policy *p = build(&q, &HSW);
	assert_int_equal(p->host_max_basic, 0xd);
	expect(p, &HSW, 0, 0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	expect(p, &HSW, 0x15, 0, 1, 140, 25000000, 0);
	expect(p, &HSW, 0x16, 0, 3500, 3500, 100, 0);
	for (uint32_t leaf = 0xe; leaf < 0x15; leaf++)
		expect_zero(p, &HSW, leaf, 0);
	expect(p, &HSW, 0x17, 0, 3500, 3500, 100, 0); /* above max */
	assert_int_equal(p->crystal_hz, 25000000);
	expect(p, &HSW, 0x40000010, 0, 3500000, 25000, 0, 0);
	/* crystal * numerator / denominator == tsc_hz, exactly. */
	struct cpuid_result r = answer(p, &HSW, 0x15, 0);
	assert_true((uint64_t)r.ecx * r.ebx / r.eax == q.tsc_hz);

	/* 2419.2 MHz: the largest whole-kHz divisor up to 25 MHz. */
	q.tsc_hz = 2419200000ull;
	expect(build(&q, &HSW), &HSW, 0x15, 0, 1, 100, 24192000, 0);
	expect(build(&q, &HSW), &HSW, 0x16, 0, 2419, 2419, 100, 0);
}

static void test_tsc_leaves_not_synthesized(void **state)
{
	/* An odd calibrated rate with no whole-kHz crystal in [1, 25] MHz:
	 * 0x15 says "not enumerated", 0x16 still gives the MHz. */
	struct cpuid_policy q = volt_today;
	q.tsc_hz = 3499999892ull;
	struct cpuid_policy *p = build(&q, &HSW);
	expect_zero(p, &HSW, 0x15, 0);
	expect(p, &HSW, 0x16, 0, 3499, 3499, 100, 0);
	assert_int_equal(p->crystal_hz, 0);
	expect(p, &HSW, 0x40000010, 0, 3499999, 0, 0, 0);
	/* No TSC rate: nothing synthesized, the host's maximum stays. */
	p = build(&volt_today, &HSW);
	expect(p, &HSW, 0, 0, 0xd, 0x756e6547, 0x6c65746e, 0x49656e69);
	expect_zero(p, &HSW, 0x15, 0); /* leaf 0xD without XSAVE */
	expect_zero(p, &HSW, 0x40000010, 0);
	/* A huge rate: 0x16's 16-bit MHz saturates. */
	q.tsc_hz = 100000000000ull;
	p = build(&q, &HSW);
	expect(p, &HSW, 0x15, 0, 1, 4000, 25000000, 0);
	expect(p, &HSW, 0x16, 0, 0xffff, 0xffff, 100, 0);
}

static void test_tsc_leaf16_added(void **state)
{
	/* A host with the ratio but neither crystal nor 0x16: 0x15 stays the
	 * host's, 0x16 is added, and Linux's crystal follows from it. */
	struct cpuid_policy q = volt_today;
	q.tsc_hz = 3500000000ull;
	struct cpuid_policy *p = build(&q, &NO16);
	expect(p, &NO16, 0, 0, 0x16, 0x756e6547, 0x6c65746e, 0x49656e69);
	expect(p, &NO16, 0x15, 0, 2, 0x124, 0, 0);
	expect(p, &NO16, 0x16, 0, 3500, 3500, 100, 0);
	assert_int_equal(p->crystal_hz, 23972000);
}

static void test_tsc_hostile_ratio(void **state)
{
	struct cpuid_policy *p = build(&full, &BAD15);
	/* Passed on as the host says, but no crystal is derived from it. */
	expect(p, &BAD15, 0x15, 0, 0xffffffff, 1, 0, 0);
	assert_int_equal(p->crystal_hz, 0);
	expect(p, &BAD15, 0x40000010, 0, 3500000, 0, 0, 0);
}

/* ---- hypervisor leaves ------------------------------------------------- */

static void test_hypervisor_leaves(void **state)
{
	struct cpuid_policy *p = build(&conservative, &SKX);
	/* On the host these are "above max": leaf 0x16's data. */
	struct cpuid_result r = answer(p, &SKX, 0x40000000, 0);
	assert_int_equal(r.eax, 0x40000010);
	char sig[13] = { 0 };
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	assert_string_equal(sig, "VoltVoltVolt");

	const uint32_t empty[] = { 0x40000001, 0x40000002, 0x4000000f,
				   0x40000011, 0x40000100, 0x4fffffff };
	for (size_t i = 0; i < ARRAY_LEN(empty); i++)
		expect_zero(p, &SKX, empty[i], 0);
	/* Just past the range: the highest basic leaf again. */
	expect(p, &SKX, 0x50000000, 0, 0xdac, 0xfa0, 0x64, 0);
}

/* ---- extended leaves --------------------------------------------------- */

static void test_extended_leaves(void **state)
{
	struct cpuid_policy *p = build(&conservative, &I5_TGL);
	/* LAHF, LZCNT, PREFETCHW; SYSCALL, NX, 1G pages, LM; no RDTSCP. */
	expect(p, &I5_TGL, 0x80000001, 0, 0, 0, 0x121, 0x24100800);
	expect(build(&full, &I5_TGL), &I5_TGL, 0x80000001, 0, 0, 0, 0x121,
	       0x2c100800);
	/* Brand string and L2: the host's. */
	expect(p, &I5_TGL, 0x80000002, 0, 0x68743131, 0x6e654720,
	       0x746e4920, 0x52286c65);
	expect(p, &I5_TGL, 0x80000006, 0, 0, 0, 0x01007040, 0);
	/* Invariant TSC; 39 physical and 48 linear bits. */
	expect(p, &I5_TGL, 0x80000007, 0, 0, 0, 0, 0x100);
	expect(p, &I5_TGL, 0x80000008, 0, 0x3027, 0, 0, 0);
	assert_int_equal(p->phys_addr_bits, 39);
}

static void test_tlb_leaf_each_subleaf(void **state)
{
	struct cpuid_policy *p = build(&conservative, &TGL);
	expect(p, &TGL, 0x18, 0, 8, 0, 0, 0);
	expect(p, &TGL, 0x18, 3, 0, 0x0010000f, 1, 0x4125);
	expect_zero(p, &TGL, 0x18, 8);
}

/* ---- the fast path ----------------------------------------------------- */

static const uint32_t sweep_leaves[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xa, 0xb, 0xc, 0xd, 0xe, 0xf, 0x10,
	0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
	0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x24, 0x25, 0x30, 0x100,
	0x20000000, 0x3fffffff, 0x40000000, 0x40000001, 0x40000002,
	0x4000000f, 0x40000010, 0x40000011, 0x40000020, 0x40000100,
	0x4fffffff, 0x50000000, 0x7fffffff, 0x80000000, 0x80000001,
	0x80000002, 0x80000003, 0x80000004, 0x80000005, 0x80000006,
	0x80000007, 0x80000008, 0x80000009, 0x8000000a, 0x8000001f,
	0x80000020, 0x80000021, 0x80000022, 0x8fffffff, 0xc0000000,
	0xfffffffe, 0xffffffff,
};

static const uint32_t sweep_subleaves[] = {
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xa, 63, 64, 0xff, 0x100, 0x101,
	0x80000000, 0xffffffff,
};

static void check_one(const struct cpuid_policy *p, const struct host_cpu *h,
		      uint32_t leaf, uint32_t sub)
{
	struct cpuid_result fast = answer(p, h, leaf, sub), slow;

	fake_cpuid(cpuid_effective_leaf(p, leaf), sub, &slow, (void *)h);
	cpuid_filter(leaf, sub, &slow, p);
	if (memcmp(&fast, &slow, sizeof(fast)))
		fail_msg("leaf %#x/%#x: table %08x %08x %08x %08x, filter "
			 "%08x %08x %08x %08x", leaf, sub, fast.eax, fast.ebx,
			 fast.ecx, fast.edx, slow.eax, slow.ebx, slow.ecx,
			 slow.edx);
}

/* The table (and the exit handler's way to it) == the reference filter
 * on the host's answer, for every leaf and subleaf of the sweep. */
static void sweep(const struct cpuid_policy *base, const struct host_cpu *h)
{
	struct cpuid_policy *p = build(base, h);

	for (int osx = 0; osx < 2; osx++) {
		p->guest_osxsave = osx;
		for (size_t i = 0; i < ARRAY_LEN(sweep_leaves); i++)
			for (size_t j = 0; j < ARRAY_LEN(sweep_subleaves); j++)
				check_one(p, h, sweep_leaves[i],
					  sweep_subleaves[j]);
	}
}

static void test_sweep_table_equals_filter(void **state)
{
	const struct host_cpu *hosts[] = { &SKX, &TGL, &I5_TGL, &HSW, &NO16,
					   &BAD15, &ONES, &ODD_MAX };
	struct cpuid_policy tsc = volt_today;
	tsc.tsc_hz = 3500000000ull;
	struct cpuid_policy odd_tsc = volt_today;
	odd_tsc.tsc_hz = 3499999892ull;
	struct cpuid_policy mwait_only = conservative;
	mwait_only.mwait = true;
	const struct cpuid_policy *policies[] = { &conservative, &full,
						  &volt_today, &tsc, &odd_tsc,
						  &mwait_only };

	for (size_t h = 0; h < ARRAY_LEN(hosts); h++)
		for (size_t q = 0; q < ARRAY_LEN(policies); q++)
			sweep(policies[q], hosts[h]);
}

static void test_fast_path_asks_no_host(void **state)
{
	struct cpuid_policy *p = build(&volt_today, &TGL);
	struct cpuid_result r;

	/* Every leaf but the TLB leaf is answered without the host: most
	 * from the table inline, topology and above-max ones computed. */
	host_calls = 0;
	for (size_t i = 0; i < ARRAY_LEN(sweep_leaves); i++) {
		uint32_t leaf = sweep_leaves[i];
		if (cpuid_effective_leaf(p, leaf) == 0x18)
			continue;
		for (uint32_t sub = 0; sub < CPUID_TABLE_CACHE; sub++)
			answer(p, &TGL, leaf, sub);
	}
	assert_int_equal(host_calls, 0);
	/* The table itself: the common leaves. */
	const uint32_t hot[] = { 0, 1, 2, 6, 7, 0x16, 0x40000000, 0x40000010,
				 0x80000000, 0x80000001, 0x80000008 };
	for (size_t i = 0; i < ARRAY_LEN(hot); i++)
		assert_true(cpuid_table_lookup(p, hot[i], 0, &r));
	assert_true(cpuid_table_lookup(p, 4, 3, &r));
	/* Not in the table. */
	assert_false(cpuid_table_lookup(p, 0x18, 0, &r));
	assert_false(cpuid_table_lookup(p, 4, CPUID_TABLE_CACHE, &r));
	assert_false(cpuid_table_lookup(p, 0xb, 0, &r));
	assert_false(cpuid_table_lookup(p, 7, 1, &r));
	assert_false(cpuid_table_lookup(p, 0x1c, 0, &r));	/* above max */
	assert_false(cpuid_table_lookup(p, 0x40000011, 0, &r));
	p = build(&full, &TGL);
	assert_false(cpuid_table_lookup(p, 0xd, 0, &r));
	host_calls = 0;
	answer(p, &TGL, 0xd, 0);
	assert_int_equal(host_calls, 1); /* EBX follows the XCR0 in force */
}

static void test_osxsave_on_fast_path(void **state)
{
	struct cpuid_policy *p = build(&full, &SKX);
	struct cpuid_result r;

	assert_true(cpuid_table_lookup(p, 1, 0, &r));
	assert_int_equal(r.ecx & (1u << 27), 0);
	p->guest_osxsave = true;
	assert_true(cpuid_table_lookup(p, 1, 0, &r));
	assert_int_equal(r.ecx & (1u << 27), 1u << 27);
	p->guest_osxsave = false;
	assert_true(cpuid_table_lookup(p, 1, 0, &r));
	assert_int_equal(r.ecx & (1u << 27), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leaf1_bochs_skylake_x),
		cmocka_unit_test(test_leaf1_bochs_tigerlake),
		cmocka_unit_test(test_leaf1_full_policy),
		cmocka_unit_test(test_leaf1_vlapic_bits_follow_policy),
		cmocka_unit_test(test_leaf1_wide_fields_clamp),
		cmocka_unit_test(test_always_hidden_bits),
		cmocka_unit_test(test_policy_hidden_bits),
		cmocka_unit_test(test_all_ones_host_conservative),
		cmocka_unit_test(test_all_ones_host_full),
		cmocka_unit_test(test_unreviewed_leaves_are_zero),
		cmocka_unit_test(test_maxima),
		cmocka_unit_test(test_odd_maxima),
		cmocka_unit_test(test_above_max_bochs),
		cmocka_unit_test(test_leaf4_cache_sharing),
		cmocka_unit_test(test_leaf5_mwait),
		cmocka_unit_test(test_leaf6_only_arat),
		cmocka_unit_test(test_leaf7_bochs),
		cmocka_unit_test(test_leaf7_real_tigerlake),
		cmocka_unit_test(test_topology_two_vcpus),
		cmocka_unit_test(test_topology_sizes),
		cmocka_unit_test(test_xsave_hidden),
		cmocka_unit_test(test_xsave_offered),
		cmocka_unit_test(test_tsc_leaves_from_host),
		cmocka_unit_test(test_tsc_leaves_synthesized),
		cmocka_unit_test(test_tsc_leaves_not_synthesized),
		cmocka_unit_test(test_tsc_leaf16_added),
		cmocka_unit_test(test_tsc_hostile_ratio),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_extended_leaves),
		cmocka_unit_test(test_tlb_leaf_each_subleaf),
		cmocka_unit_test(test_sweep_table_equals_filter),
		cmocka_unit_test(test_fast_path_asks_no_host),
		cmocka_unit_test(test_osxsave_on_fast_path),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
