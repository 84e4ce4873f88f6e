/*
 * Host tests for the CPUID filter. Host values are real Intel ones:
 *   - TGL: an Intel Core i5-1135G7 (Tiger Lake), the CPUID dump Bochs
 *     builds its "tigerlake" model from (bochs cpudb/intel/tigerlake.txt),
 *   - SKX: Bochs' corei7_skylake_x model (i7-7800X).
 * Expected values were worked out bit by bit from SDM vol. 2A, CPUID, not
 * from the filter's own masks.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/cpuid_filter.h"

#define TGL_MAX_BASIC 0x1bu
#define SKX_MAX_BASIC 0x16u
#define MAX_EXT 0x80000008u

/* vCPU 1 of 2, nothing optional: the policy Volt starts with. */
static const struct cpuid_policy conservative = {
	.vcpu_id = 1, .vcpu_count = 2,
	.host_max_basic = TGL_MAX_BASIC, .host_max_ext = MAX_EXT,
};

/* Everything optional on. */
static const struct cpuid_policy full = {
	.vcpu_id = 1, .vcpu_count = 2, .mwait = true, .x2apic = true,
	.tsc_deadline = true, .xsave = true, .rdtscp = true, .invpcid = true,
	.host_max_basic = TGL_MAX_BASIC, .host_max_ext = MAX_EXT,
};

static void expect(uint32_t leaf, uint32_t subleaf, struct cpuid_result host,
		   const struct cpuid_policy *p, struct cpuid_result want)
{
	cpuid_filter(leaf, subleaf, &host, p);
	assert_int_equal(host.eax, want.eax);
	assert_int_equal(host.ebx, want.ebx);
	assert_int_equal(host.ecx, want.ecx);
	assert_int_equal(host.edx, want.edx);
}

static const struct cpuid_result zero;

/* ---- leaf 0, brand, frequency: untouched ------------------------------ */
static void test_passthrough_leaves(void **state)
{
	struct cpuid_result vendor = { 0x1b, 0x756e6547, 0x6c65746e, 0x49656e69 };
	expect(0, 0, vendor, &conservative, vendor);
	struct cpuid_result freq = { 0x960, 0x1068, 0x64, 0 };
	expect(0x16, 0, freq, &conservative, freq);
	struct cpuid_result addr = { 0x3027, 0, 0, 0 };
	expect(0x80000008, 0, addr, &conservative, addr);
}

/* ---- leaf 1 ------------------------------------------------------------ */
static const struct cpuid_result tgl_leaf1 = {
	0x000806c1, 0x00100800, 0x7ffafbbf, 0xbfebfbff };

static void test_leaf1_conservative(void **state)
{
	/*
	 * EBX: CLFLUSH 8 kept, 2 logical processors, APIC ID 1.
	 * ECX: SSE3, PCLMUL, SSSE3, CX16, PCID, SSE4.1/4.2, MOVBE, POPCNT,
	 * AES, RDRAND, hypervisor; VMX, MONITOR, EIST, x2APIC, TSC-deadline,
	 * XSAVE/OSXSAVE/AVX/FMA/F16C and the MSR-backed bits are gone.
	 * EDX: HTT stays (2 vCPUs); MCE, MTRR, MCA, PAT, DS, ACPI, TM, PBE go.
	 */
	expect(1, 0, tgl_leaf1, &conservative,
	       (struct cpuid_result){ 0x000806c1, 0x01020800, 0xc2da2203,
				      0x1f8aab7f });
}

static void test_leaf1_full_policy(void **state)
{
	struct cpuid_policy p = full;
	/* The host's OSXSAVE (bit 27, set: the host OS enabled XSAVE) does
	 * not leak: the guest has not set CR4.OSXSAVE. */
	expect(1, 0, tgl_leaf1, &p,
	       (struct cpuid_result){ 0x000806c1, 0x01020800, 0xf7fa320b,
				      0x1f8aab7f });
	p.guest_osxsave = true;
	expect(1, 0, tgl_leaf1, &p,
	       (struct cpuid_result){ 0x000806c1, 0x01020800, 0xfffa320b,
				      0x1f8aab7f });
	/* guest_osxsave means nothing without XSAVE support. */
	p.xsave = false;
	struct cpuid_result r = tgl_leaf1;
	cpuid_filter(1, 0, &r, &p);
	assert_int_equal(r.ecx & (1u << 27), 0);
	assert_int_equal(r.ecx & (1u << 26), 0);
}

static void test_leaf1_skylake_x(void **state)
{
	/* Bochs skylake_x, CPU 0 of 2, guest with CR4.OSXSAVE clear. */
	struct cpuid_policy p = conservative;
	p.vcpu_id = 0;
	p.host_max_basic = SKX_MAX_BASIC;
	expect(1, 0,
	       (struct cpuid_result){ 0x00050654, 0x00020800, 0x77faf3bf,
				      0xbfebfbff },
	       &p,
	       (struct cpuid_result){ 0x00050654, 0x00020800, 0xc2da2203,
				      0x1f8aab7f });
}

static void test_leaf1_single_vcpu(void **state)
{
	struct cpuid_policy p = conservative;
	p.vcpu_id = 0;
	p.vcpu_count = 1;
	/* HTT (EDX bit 28) clear: one logical processor. */
	expect(1, 0, tgl_leaf1, &p,
	       (struct cpuid_result){ 0x000806c1, 0x00010800, 0xc2da2203,
				      0x0f8aab7f });
	p.vcpu_count = 0; /* taken as 1 */
	expect(1, 0, tgl_leaf1, &p,
	       (struct cpuid_result){ 0x000806c1, 0x00010800, 0xc2da2203,
				      0x0f8aab7f });
}

static void test_leaf1_vlapic_bits_follow_policy(void **state)
{
	/* A host without x2APIC / TSC-deadline: the virtual LAPIC may still
	 * offer them. */
	struct cpuid_result host = tgl_leaf1;
	host.ecx &= ~((1u << 21) | (1u << 24));
	struct cpuid_policy p = conservative;
	p.x2apic = true;
	cpuid_filter(1, 0, &host, &p);
	assert_int_equal(host.ecx & (1u << 21), 1u << 21);
	assert_int_equal(host.ecx & (1u << 24), 0);
}

static void test_leaf1_wide_fields_clamp(void **state)
{
	struct cpuid_policy p = conservative;
	p.vcpu_id = 0x1ab; /* 8-bit field: the low byte */
	p.vcpu_count = 300; /* 8-bit field: saturates */
	struct cpuid_result r = tgl_leaf1;
	cpuid_filter(1, 0, &r, &p);
	assert_int_equal(r.ebx, 0xabff0800);
}

/* ---- leaf 4 ------------------------------------------------------------ */
static void test_leaf4_cache_sharing(void **state)
{
	/* L1D private: 0 sharing, 2 cores -> [31:26] = 1. */
	expect(4, 0,
	       (struct cpuid_result){ 0x1c004121, 0x02c0003f, 0x3f, 0 },
	       &conservative,
	       (struct cpuid_result){ 0x04000121, 0x02c0003f, 0x3f, 0 });
	/* L3 shared by both vCPUs: [25:14] = 1. */
	expect(4, 3,
	       (struct cpuid_result){ 0x1c03c163, 0x01c0003f, 0x3fff, 4 },
	       &conservative,
	       (struct cpuid_result){ 0x04004163, 0x01c0003f, 0x3fff, 4 });
	/* The terminating subleaf stays all zero. */
	expect(4, 4, zero, &conservative, zero);
	struct cpuid_policy one = conservative;
	one.vcpu_count = 1;
	expect(4, 3,
	       (struct cpuid_result){ 0x1c03c163, 0x01c0003f, 0x3fff, 4 },
	       &one,
	       (struct cpuid_result){ 0x00000163, 0x01c0003f, 0x3fff, 4 });
}

/* ---- leaves 5 and 6 ---------------------------------------------------- */
static void test_leaf5_mwait(void **state)
{
	struct cpuid_result tgl5 = { 0x40, 0x40, 0x3, 0x11121020 };
	expect(5, 0, tgl5, &conservative, zero);
	expect(5, 0, tgl5, &full, tgl5);
}

static void test_leaf6_only_arat(void **state)
{
	/* Tiger Lake: DTS, turbo, ARAT, PLN, ECMD, PTM, HWP (7-11), ... */
	expect(6, 0, (struct cpuid_result){ 0x0017eff7, 2, 9, 0 }, &full,
	       (struct cpuid_result){ 0x4, 0, 0, 0 });
	/* Skylake-X model: 0x75 has no HWP but APERF/MPERF and EPB in ECX. */
	expect(6, 0, (struct cpuid_result){ 0x75, 2, 9, 0 }, &conservative,
	       (struct cpuid_result){ 0x4, 0, 0, 0 });
	/* Without ARAT on the host nothing is left. */
	expect(6, 0, (struct cpuid_result){ 0x0017eff3, 2, 9, 0 }, &full,
	       zero);
}

/* ---- leaf 7 ------------------------------------------------------------ */
static const struct cpuid_result tgl_leaf7 = {
	0, 0xf3bfa7eb, 0x18c05fce, 0xfc100510 };

static void test_leaf7_conservative(void **state)
{
	/*
	 * EBX keeps FSGSBASE, BMI1, FDP, SMEP, BMI2, ERMS, FCS/FDS, RDSEED,
	 * ADX, SMAP, CLFLUSHOPT, CLWB, SHA. ECX keeps UMIP, GFNI, MOVDIRI,
	 * MOVDIR64B. EDX keeps FSRM and MD_CLEAR.
	 */
	expect(7, 0, tgl_leaf7, &conservative,
	       (struct cpuid_result){ 0, 0x219c23c9, 0x18000104, 0x410 });
}

static void test_leaf7_full_policy(void **state)
{
	/* AVX2/AVX-512, INVPCID, RDPID come back; PKU, CET, Key Locker,
	 * TSC_ADJUST, PT, speculation-control MSR bits stay hidden. */
	expect(7, 0, tgl_leaf7, &full,
	       (struct cpuid_result){ 0, 0xf1bf27e9, 0x18405f46, 0x510 });
}

static void test_leaf7_hidden_list(void **state)
{
	/* Each of these is hidden even with every policy bit on. */
	const struct { int reg; unsigned bit; } hidden[] = {
		{ 1, 1 }, { 1, 2 }, { 1, 12 }, { 1, 14 }, { 1, 15 }, { 1, 25 },
		{ 2, 3 }, { 2, 4 }, { 2, 5 }, { 2, 7 }, { 2, 13 }, { 2, 23 },
		{ 2, 29 }, { 2, 30 }, { 2, 31 },
		{ 3, 5 }, { 3, 9 }, { 3, 13 }, { 3, 18 }, { 3, 19 }, { 3, 20 },
		{ 3, 22 }, { 3, 24 }, { 3, 25 }, { 3, 26 }, { 3, 27 },
		{ 3, 28 }, { 3, 29 }, { 3, 30 }, { 3, 31 },
	};
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		struct cpuid_result r = { 0, 0, 0, 0 };
		uint32_t *reg = hidden[i].reg == 1 ? &r.ebx
				: hidden[i].reg == 2 ? &r.ecx : &r.edx;
		*reg = 1u << hidden[i].bit;
		cpuid_filter(7, 0, &r, &full);
		assert_int_equal(*reg, 0);
	}
}

static void test_leaf7_other_subleaves(void **state)
{
	/* A host with subleaf 1 (e.g. AVX-VNNI): not offered. */
	expect(7, 0, (struct cpuid_result){ 1, 0, 0, 0 }, &full, zero);
	expect(7, 1, (struct cpuid_result){ 0, 0, 0, 0x10 }, &full, zero);
	expect(7, 1, (struct cpuid_result){ 0x10, 0, 0, 0 }, &full, zero);
}

/* ---- leaves 0xB and 0x1F ------------------------------------------------ */
static void test_topology_two_vcpus(void **state)
{
	/* The host's own view (thread 1 of core 0, 8 IDs) is replaced. */
	expect(0xb, 0, (struct cpuid_result){ 1, 2, 0x100, 1 }, &conservative,
	       (struct cpuid_result){ 0, 1, 0x100, 1 });
	expect(0xb, 1, (struct cpuid_result){ 4, 8, 0x201, 1 }, &conservative,
	       (struct cpuid_result){ 1, 2, 0x201, 1 });
	/* Past the last level: type 0, level number echoed, x2APIC ID. */
	expect(0xb, 2, zero, &conservative, (struct cpuid_result){ 0, 0, 2, 1 });
	expect(0xb, 0x1ff, zero, &conservative,
	       (struct cpuid_result){ 0, 0, 0xff, 1 });
}

static void test_topology_sizes(void **state)
{
	struct cpuid_policy p = conservative;
	p.host_max_basic = 0x1f;
	p.vcpu_id = 2;
	p.vcpu_count = 3; /* 2 bits of core ID */
	expect(0x1f, 1, zero, &p, (struct cpuid_result){ 2, 3, 0x201, 2 });
	p.vcpu_count = 4;
	expect(0xb, 1, zero, &p, (struct cpuid_result){ 2, 4, 0x201, 2 });
	p.vcpu_count = 5;
	expect(0xb, 1, zero, &p, (struct cpuid_result){ 3, 5, 0x201, 2 });
	p.vcpu_id = 0;
	p.vcpu_count = 1;
	expect(0xb, 1, zero, &p, (struct cpuid_result){ 0, 1, 0x201, 0 });
}

/* ---- leaf 0xD ------------------------------------------------------------ */
static void test_xsave_hidden(void **state)
{
	expect(0xd, 0, (struct cpuid_result){ 0x2e7, 0xa80, 0xa88, 0 },
	       &conservative, zero);
	expect(0xd, 2, (struct cpuid_result){ 0x100, 0x240, 0, 0 },
	       &conservative, zero);
}

static void test_xsave_offered(void **state)
{
	/* x87, SSE, AVX, opmask, ZMM_Hi256, Hi16_ZMM; not PKRU (bit 9). */
	expect(0xd, 0, (struct cpuid_result){ 0x2e7, 0xa80, 0xa88, 0 }, &full,
	       (struct cpuid_result){ 0xe7, 0xa80, 0xa88, 0 });
	/* XSAVEOPT, XSAVEC, XGETBV1 kept; XSAVES and the XSS bits gone. */
	expect(0xd, 1, (struct cpuid_result){ 0xf, 0xa00, 0x3900, 0 }, &full,
	       (struct cpuid_result){ 0x7, 0xa00, 0, 0 });
	struct cpuid_result avx = { 0x100, 0x240, 0, 0 };
	expect(0xd, 2, avx, &full, avx);
	struct cpuid_result hi16 = { 0x400, 0x680, 0, 0 };
	expect(0xd, 7, hi16, &full, hi16);
	/* PT (8, supervisor), PKRU (9), CET (11, 12): not offered. */
	expect(0xd, 8, (struct cpuid_result){ 0x80, 0, 1, 0 }, &full, zero);
	expect(0xd, 9, (struct cpuid_result){ 8, 0xa80, 0, 0 }, &full, zero);
	expect(0xd, 11, (struct cpuid_result){ 0x10, 0, 1, 0 }, &full, zero);
	expect(0xd, 63, (struct cpuid_result){ 1, 1, 1, 1 }, &full, zero);
	expect(0xd, 64, (struct cpuid_result){ 1, 1, 1, 1 }, &full, zero);
}

/* ---- hypervisor leaves ------------------------------------------------- */
static void test_hypervisor_leaves(void **state)
{
	/* On hardware these are "above max": garbage from the host. */
	struct cpuid_result r = { 0xdead, 0xbeef, 0xf00d, 0xcafe };
	cpuid_filter(0x40000000, 0, &r, &conservative);
	assert_int_equal(r.eax, 0x40000001);
	char sig[13] = { 0 };
	memcpy(sig, &r.ebx, 4);
	memcpy(sig + 4, &r.ecx, 4);
	memcpy(sig + 8, &r.edx, 4);
	assert_string_equal(sig, "VoltVoltVolt");

	const uint32_t empty[] = { 0x40000001, 0x40000002, 0x40000100,
				   0x4fffffff };
	for (size_t i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		expect(empty[i], 0,
		       (struct cpuid_result){ 0xdead, 0xbeef, 0xf00d, 0xcafe },
		       &conservative, zero);
}

/* ---- above the maximum leaf --------------------------------------------- */
static void test_above_max_is_highest_basic(void **state)
{
	/* Skylake-X: max 0x16. CPUID 0x17 returns leaf 0x16's data. */
	struct cpuid_policy p = conservative;
	p.host_max_basic = SKX_MAX_BASIC;
	struct cpuid_result l16 = { 0xdac, 0xfa0, 0x64, 0 };
	expect(0x17, 0, l16, &p, l16);

	/* A host whose highest basic leaf is 6: whatever leaf above the
	 * maxima the guest asks for is filtered as leaf 6. */
	p.host_max_basic = 6;
	struct cpuid_result l6 = { 0x75, 2, 9, 0 };
	struct cpuid_result l6_filtered = { 4, 0, 0, 0 };
	expect(7, 0, l6, &p, l6_filtered);
	expect(0x20000000, 0, l6, &p, l6_filtered);
	expect(0x50000000, 0, l6, &p, l6_filtered);
	expect(0x80000009, 0, l6, &p, l6_filtered);
	expect(0xffffffff, 0, l6, &p, l6_filtered);
	/* ... but the last extended leaf is still itself. */
	struct cpuid_result l8 = { 0x3027, 0, 0, 0 };
	expect(0x80000008, 0, l8, &p, l8);

	/* Highest basic leaf 0xB: a leaf above it gets Volt's topology. */
	p.host_max_basic = 0xb;
	expect(0x30, 1, (struct cpuid_result){ 4, 8, 0x201, 5 }, &p,
	       (struct cpuid_result){ 1, 2, 0x201, 1 });
}

/* ---- leaves of hidden features, extended leaf 1 ------------------------- */
static void test_hidden_feature_leaves(void **state)
{
	const uint32_t leaves[] = { 0xa, 0xf, 0x10, 0x12, 0x14, 0x19, 0x1b };
	for (size_t i = 0; i < sizeof(leaves) / sizeof(leaves[0]); i++)
		expect(leaves[i], 0, (struct cpuid_result){ 1, 0x4f, 7, 0x8604 },
		       &full, zero);
}

static void test_ext_leaf1_rdtscp(void **state)
{
	/* LAHF, LZCNT, PREFETCHW; SYSCALL, NX, 1G pages, RDTSCP, LM. */
	struct cpuid_result tgl = { 0, 0, 0x121, 0x2c100000 };
	expect(0x80000001, 0, tgl, &conservative,
	       (struct cpuid_result){ 0, 0, 0x121, 0x24100000 });
	expect(0x80000001, 0, tgl, &full, tgl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_passthrough_leaves),
		cmocka_unit_test(test_leaf1_conservative),
		cmocka_unit_test(test_leaf1_full_policy),
		cmocka_unit_test(test_leaf1_skylake_x),
		cmocka_unit_test(test_leaf1_single_vcpu),
		cmocka_unit_test(test_leaf1_vlapic_bits_follow_policy),
		cmocka_unit_test(test_leaf1_wide_fields_clamp),
		cmocka_unit_test(test_leaf4_cache_sharing),
		cmocka_unit_test(test_leaf5_mwait),
		cmocka_unit_test(test_leaf6_only_arat),
		cmocka_unit_test(test_leaf7_conservative),
		cmocka_unit_test(test_leaf7_full_policy),
		cmocka_unit_test(test_leaf7_hidden_list),
		cmocka_unit_test(test_leaf7_other_subleaves),
		cmocka_unit_test(test_topology_two_vcpus),
		cmocka_unit_test(test_topology_sizes),
		cmocka_unit_test(test_xsave_hidden),
		cmocka_unit_test(test_xsave_offered),
		cmocka_unit_test(test_hypervisor_leaves),
		cmocka_unit_test(test_above_max_is_highest_basic),
		cmocka_unit_test(test_hidden_feature_leaves),
		cmocka_unit_test(test_ext_leaf1_rdtscp),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
