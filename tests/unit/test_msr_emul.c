/*
 * Host tests for the guest MSR model (vmm/msr_emul.c). Expected values and
 * #GP conditions come from SDM vol. 4 (MSR tables), vol. 3A 11.4.4 (APIC
 * base), 13.11 (MTRRs) and 16.3.1 (machine-check globals), and from the
 * accesses Linux 6.1 makes at boot on an Intel CPU with Volt's CPUID.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/msr_emul.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static uint64_t fake_tsc;

static uint64_t read_fake_tsc(void)
{
	return fake_tsc += 1000;
}

/* Volt today: vCPU 0 (the BSP) with an xAPIC, 39 physical bits. */
static const struct msr_emul_config today = {
	.vcpu_id = 0, .phys_addr_bits = 39, .lapic = true,
	.read_tsc = read_fake_tsc,
};

static struct vcpu_msrs m;

static void init(const struct msr_emul_config *cfg)
{
	memset(&m, 0xa5, sizeof(m)); /* init must not rely on zeroed memory */
	msr_emul_init(&m, cfg);
}

static uint64_t rd(uint32_t index)
{
	uint64_t v = 0xdeadbeef;
	assert_int_equal(msr_emul_read(&m, index, &v), MSR_EMUL_OK);
	return v;
}

static void rd_gp(uint32_t index, enum msr_emul_result want)
{
	uint64_t v = 0x1234;
	assert_int_equal(msr_emul_read(&m, index, &v), want);
	assert_int_equal(v, 0x1234); /* untouched */
}

static void wr(uint32_t index, uint64_t v, enum msr_emul_result want)
{
	assert_int_equal(msr_emul_write(&m, index, v), want);
}

static const char *report(void)
{
	static char buf[512];
	msr_emul_report(&m, buf, sizeof(buf));
	return buf;
}

/* ---- reset values ------------------------------------------------------ */

static void test_reset_values(void **state)
{
	init(&today);
	assert_true(m.initialized);
	assert_int_equal(rd(0x1a0), 0x1801);	/* fast strings, no BTS/PEBS */
	assert_int_equal(rd(0x3a), 1);		/* locked, no VMX */
	assert_int_equal(rd(0x8b), 0x100000000ull);
	assert_int_equal(rd(0x17), 0);
	assert_int_equal(rd(0xfe), 0x508);	/* WC, FIX, 8 variable */
	assert_int_equal(rd(0x2ff), 0xc06);	/* E, FE, WB */
	const uint32_t fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
				   0x26b, 0x26c, 0x26d, 0x26e, 0x26f };
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		assert_int_equal(rd(fixed[i]), 0x0606060606060606ull);
	for (uint32_t i = 0x200; i <= 0x20f; i++)
		assert_int_equal(rd(i), 0);
	assert_int_equal(rd(0x179), 0);		/* MCG_CAP: no banks */
	assert_int_equal(rd(0x17a), 0);
	fake_tsc = 5000;
	assert_int_equal(rd(0x10), 6000);
	assert_int_equal(rd(0x10), 7000);
	assert_string_equal(report(), "");

	/* An application processor: no BSP flag. MONITOR enabled with mwait. */
	struct msr_emul_config ap = today;
	ap.vcpu_id = 1;
	ap.mwait = true;
	init(&ap);
	assert_int_equal(rd(0x1a0), 0x41801);
}

static void test_phys_bits_default(void **state)
{
	struct msr_emul_config c = today;
	c.phys_addr_bits = 0;
	init(&c);
	assert_int_equal(m.cfg.phys_addr_bits, 36);
	c.phys_addr_bits = 200; /* a hostile CPUID */
	init(&c);
	assert_int_equal(m.cfg.phys_addr_bits, 36);
	c.read_tsc = NULL;
	init(&c);
	assert_int_equal(rd(0x10), 0);
}

/* ---- what Linux 6.1 does at boot --------------------------------------- */

struct access {
	bool write;
	uint32_t index;
	uint64_t value; /* written, or expected when read (~0: any) */
	enum msr_emul_result result;
};

#define ANYVAL ~0ull

/* early_init_intel, MTRR init (mtrr_bp_init, then generic_set_all at SMP
 * bring-up), PAT, syscall_init, feature control, PPIN probe on SKX, the
 * misc-features probe. */
static const struct access linux_boot[] = {
	{ true, 0x8b, 0, MSR_EMUL_OK },		/* intel_get_microcode_rev */
	{ false, 0x8b, 0x100000000ull, MSR_EMUL_OK },
	{ false, 0x1a0, 0x1801, MSR_EMUL_OK },	/* msr_clear_bit LIMIT_CPUID */
	{ false, 0x1a0, 0x1801, MSR_EMUL_OK },	/* fast strings check */
	{ false, 0x4e, 0, MSR_EMUL_GP },	/* ppin_init: rdmsrl_safe */
	{ false, 0x3a, 1, MSR_EMUL_OK },	/* init_ia32_feat_ctl */
	{ false, 0x140, 0, MSR_EMUL_UNKNOWN },	/* misc features: _safe */
	{ false, 0xfe, 0x508, MSR_EMUL_OK },	/* set_num_var_ranges */
	{ false, 0x200, 0, MSR_EMUL_OK },	/* get_mtrr_state */
	{ false, 0x201, 0, MSR_EMUL_OK },
	{ false, 0x20e, 0, MSR_EMUL_OK },
	{ false, 0x20f, 0, MSR_EMUL_OK },
	{ false, 0x250, 0x0606060606060606ull, MSR_EMUL_OK },
	{ false, 0x258, 0x0606060606060606ull, MSR_EMUL_OK },
	{ false, 0x26f, 0x0606060606060606ull, MSR_EMUL_OK },
	{ false, 0x2ff, 0xc06, MSR_EMUL_OK },
	{ false, 0x277, 0, MSR_EMUL_BACKEND },	/* pat_bp_init */
	{ true, 0x277, 0x0007040600070406ull, MSR_EMUL_BACKEND },
	{ false, 0x2ff, 0xc06, MSR_EMUL_OK },	/* mtrr_trim: default WB */
	{ false, 0x1b, 0, MSR_EMUL_LAPIC },	/* APIC setup */
	{ false, 0x2ff, 0xc06, MSR_EMUL_OK },	/* prepare_set */
	{ true, 0x2ff, 0x000, MSR_EMUL_OK },	/* MTRRs off, default UC */
	{ false, 0x250, 0x0606060606060606ull, MSR_EMUL_OK },
	{ true, 0x2ff, 0xc06, MSR_EMUL_OK },	/* post_set */
	{ true, 0xc0000081, 0x0023001000000000ull, MSR_EMUL_BACKEND },
	{ true, 0xc0000082, 0xffffffff81a00080ull, MSR_EMUL_BACKEND },
	{ true, 0xc0000084, 0x47700, MSR_EMUL_BACKEND },
	{ true, 0x174, 0x10, MSR_EMUL_BACKEND },
	{ true, 0xc0000080, 0xd01, MSR_EMUL_BACKEND },
	{ true, 0xc0000100, 0, MSR_EMUL_BACKEND },
	{ true, 0xc0000102, 0, MSR_EMUL_BACKEND },
	{ false, 0x1d9, 0, MSR_EMUL_BACKEND },
};

static void test_linux_boot_sequence(void **state)
{
	init(&today);
	for (size_t i = 0; i < ARRAY_LEN(linux_boot); i++) {
		const struct access *a = &linux_boot[i];
		uint64_t v = 0x5555;
		enum msr_emul_result r = a->write
			? msr_emul_write(&m, a->index, a->value)
			: msr_emul_read(&m, a->index, &v);
		if (r != a->result)
			fail_msg("access %zu (%s %#x): result %d, want %d", i,
				 a->write ? "wrmsr" : "rdmsr", a->index, r,
				 a->result);
		if (!a->write && r == MSR_EMUL_OK && a->value != ANYVAL &&
		    v != a->value)
			fail_msg("rdmsr %#x = %#llx, want %#llx", a->index,
				 (unsigned long long)v,
				 (unsigned long long)a->value);
	}
	/* The two safe probes are all the report shows. */
	assert_string_equal(report(), "unknown MSRs: rdmsr 0x140 x1; "
				      "hidden MSRs: rdmsr 0x4e PPIN x1");
}

/* ---- the local APIC's ------------------------------------------------- */

/* APIC_BASE, TSC_DEADLINE and the x2APIC range go to the vCPU's local
 * APIC when the VM has one (vmm/dev/vlapic.c models them), and are hidden
 * features otherwise. */
static void test_lapic_msrs(void **state)
{
	const uint32_t lapic_msrs[] = { 0x1b, 0x6e0, 0x800, 0x830, 0x8ff };
	init(&today);
	for (size_t i = 0; i < ARRAY_LEN(lapic_msrs); i++) {
		rd_gp(lapic_msrs[i], MSR_EMUL_LAPIC);
		wr(lapic_msrs[i], 0xfee00900, MSR_EMUL_LAPIC);
	}
	assert_string_equal(report(), "");
	rd_gp(0x7ff, MSR_EMUL_UNKNOWN); /* just outside the x2APIC range */
	rd_gp(0x900, MSR_EMUL_UNKNOWN);
}

static void test_lapic_msrs_without_lapic(void **state)
{
	struct msr_emul_config c = today;
	c.lapic = false;
	init(&c);
	rd_gp(0x1b, MSR_EMUL_GP);
	wr(0x1b, 0xfee00900, MSR_EMUL_GP);
	assert_string_equal(report(), "hidden MSRs: rdmsr 0x1b APIC_BASE x1, "
				      "wrmsr 0x1b APIC_BASE x1");
}

/* ---- MTRRs ------------------------------------------------------------- */

static void test_mtrr_def_type(void **state)
{
	init(&today);
	const uint64_t good[] = { 0, 0x800, 0xc00, 0xc06, 0x806, 0x801,
				  0x804, 0x805, 0x400 };
	for (size_t i = 0; i < ARRAY_LEN(good); i++) {
		wr(0x2ff, good[i], MSR_EMUL_OK);
		assert_int_equal(rd(0x2ff), good[i]);
	}
	/* Reserved types 2, 3, 7, 8+; reserved bits 8, 9, 12, 63. */
	const uint64_t bad[] = { 0xc02, 0xc03, 0xc07, 0xc08, 0xcff, 0xd06,
				 0xe06, 0x1c06, 1ull << 63 | 0xc06 };
	for (size_t i = 0; i < ARRAY_LEN(bad); i++)
		wr(0x2ff, bad[i], MSR_EMUL_GP);
	assert_int_equal(rd(0x2ff), 0x400);
	wr(0xfe, 0x508, MSR_EMUL_GP); /* MTRRcap is read-only */
}

static void test_mtrr_fixed(void **state)
{
	const uint32_t fixed[] = { 0x250, 0x258, 0x259, 0x268, 0x269, 0x26a,
				   0x26b, 0x26c, 0x26d, 0x26e, 0x26f };
	init(&today);
	/* Each MSR is its own register: distinct values read back. */
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		wr(fixed[i], 0x0001040506000106ull + (i % 2 ? 0 : 0x0400),
		   MSR_EMUL_OK);
	for (size_t i = 0; i < ARRAY_LEN(fixed); i++)
		assert_int_equal(rd(fixed[i]),
				 0x0001040506000106ull + (i % 2 ? 0 : 0x0400));
	/* One reserved type in any byte: #GP, value kept. */
	for (int byte = 0; byte < 8; byte++) {
		wr(0x268, 0x0606060606060606ull | 1ull << (8 * byte + 1) |
			       1ull << (8 * byte), MSR_EMUL_GP); /* type 7 */
		wr(0x268, (0x0606060606060606ull & ~(0xffull << (8 * byte))) |
			       2ull << (8 * byte), MSR_EMUL_GP);
	}
	assert_int_equal(rd(0x268), 0x0001040506000106ull); /* i = 3 */
	/* The gaps between them are not MTRRs. */
	const uint32_t gaps[] = { 0x24f, 0x251, 0x257, 0x25a, 0x267, 0x270 };
	for (size_t i = 0; i < ARRAY_LEN(gaps); i++)
		rd_gp(gaps[i], MSR_EMUL_UNKNOWN);
}

static void test_mtrr_variable(void **state)
{
	init(&today); /* 39 physical bits */
	for (uint32_t i = 0; i < 8; i++) {
		wr(0x200 + 2 * i, 0x7f0000000ull + (i << 12) + 6, MSR_EMUL_OK);
		wr(0x201 + 2 * i, 0x7fff000000ull + (i << 12) + 0x800,
		   MSR_EMUL_OK);
	}
	for (uint32_t i = 0; i < 8; i++) {
		assert_int_equal(rd(0x200 + 2 * i),
				 0x7f0000000ull + (i << 12) + 6);
		assert_int_equal(rd(0x201 + 2 * i),
				 0x7fff000000ull + (i << 12) + 0x800);
	}
	/* PhysBase: reserved bits 8-11 and >= MAXPHYADDR, reserved types. */
	wr(0x200, 0x100 | 6, MSR_EMUL_GP);
	wr(0x200, 0x800 | 6, MSR_EMUL_GP);
	wr(0x200, 1ull << 39 | 6, MSR_EMUL_GP);
	wr(0x200, 0x1000 | 2, MSR_EMUL_GP);
	wr(0x200, 0x1000 | 7, MSR_EMUL_GP);
	wr(0x200, 0x1000 | 0x16, MSR_EMUL_GP);
	wr(0x200, 1ull << 38 | 1, MSR_EMUL_OK); /* WC, top address bit */
	/* PhysMask: reserved bits 0-10 and >= MAXPHYADDR. */
	wr(0x201, 0x806, MSR_EMUL_GP);
	wr(0x201, 0x400 | 0x800, MSR_EMUL_GP);
	wr(0x201, 1ull << 39 | 0x800, MSR_EMUL_GP);
	wr(0x201, 0xfff000, MSR_EMUL_OK); /* valid bit clear: allowed */
	rd_gp(0x210, MSR_EMUL_UNKNOWN);	/* only 8 pairs */

	/* A wider machine accepts the higher bits. */
	struct msr_emul_config c = today;
	c.phys_addr_bits = 46;
	init(&c);
	wr(0x200, 1ull << 45 | 6, MSR_EMUL_OK);
	wr(0x200, 1ull << 46 | 6, MSR_EMUL_GP);
}

/* ---- MISC_ENABLE, feature control, microcode, TSC, MCG ----------------- */

static void test_misc_enable(void **state)
{
	init(&today);
	wr(0x1a0, 0x1801, MSR_EMUL_OK);	/* keeps every bit */
	wr(0x1a0, 0x1801 | 1ull << 22, MSR_EMUL_GP); /* LIMIT_CPUID on */
	wr(0x1a0, 0x1801 | 1ull << 34, MSR_EMUL_GP); /* XD_DISABLE on */
	wr(0x1a0, 0x1800, MSR_EMUL_GP);	/* fast strings off */
	wr(0x1a0, 0x1001, MSR_EMUL_GP);	/* a read-only bit */
	wr(0x1a0, 0x41801, MSR_EMUL_GP); /* MONITOR without mwait */
	assert_int_equal(rd(0x1a0), 0x1801);
}

static void test_read_only_and_locked(void **state)
{
	init(&today);
	wr(0x3a, 1, MSR_EMUL_GP);	/* locked, even the same value */
	wr(0x3a, 5, MSR_EMUL_GP);
	wr(0x17, 0, MSR_EMUL_GP);	/* PLATFORM_ID */
	wr(0x179, 0, MSR_EMUL_GP);	/* MCG_CAP */
	wr(0x17a, 0, MSR_EMUL_OK);	/* MCG_STATUS: 0 only */
	wr(0x17a, 4, MSR_EMUL_GP);
	wr(0x10, 0, MSR_EMUL_GP);	/* TSC: no offset in the backend */
	wr(0x8b, 0, MSR_EMUL_OK);	/* microcode: accepted, ignored */
	wr(0x8b, 0xffffffffffffffffull, MSR_EMUL_OK);
	assert_int_equal(rd(0x8b), 0x100000000ull);
	assert_string_equal(report(), "refused MSR accesses: "
				      "wrmsr 0x3a FEATURE_CONTROL x2, "
				      "wrmsr 0x17 PLATFORM_ID x1, "
				      "wrmsr 0x179 MCG_CAP x1, "
				      "wrmsr 0x17a MCG_STATUS x1, "
				      "wrmsr 0x10 TSC x1");
}

/* ---- hidden features, the backend's MSRs ------------------------------- */

static void test_hidden_feature_msrs(void **state)
{
	const uint32_t hidden[] = {
		0x3b, 0x48, 0x49, 0x4e, 0x4f, 0xc1, 0xc8, 0xcf, 0xe1, 0xe7,
		0xe8, 0x10a, 0x10b, 0x10f, 0x122, 0x123, 0x17b, 0x186, 0x18d,
		0x198, 0x199, 0x19a, 0x19b, 0x19c, 0x1b0, 0x1b1, 0x1b2, 0x1c4,
		0x1c5, 0x309, 0x30b, 0x345, 0x38d, 0x390, 0x3f1, 0x400, 0x47f,
		0x4c1, 0x4c8, 0x560, 0x561, 0x570, 0x572, 0x580, 0x587, 0x600,
		0x6a0, 0x6a8, 0x6e1, 0x770, 0x777,
		0x981, 0x984, 0xd90, 0xd93, 0xda0, 0x14ce, 0x14cf, 0xc0000103,
		0xe2, 0x1fc,
	};
	init(&today);
	for (size_t i = 0; i < ARRAY_LEN(hidden); i++) {
		rd_gp(hidden[i], MSR_EMUL_GP);
		wr(hidden[i], 0, MSR_EMUL_GP);
	}
	assert_int_equal(m.gp_used, 16);
	for (uint32_t i = 0; i < m.gp_used; i++)
		assert_int_equal(m.gp[i].kind, MSR_GP_HIDDEN);
	assert_int_equal(m.gp_overflow, 2 * (ARRAY_LEN(hidden) - 16));
}

static void test_spec_ctrl_report(void **state)
{
	init(&today);
	rd_gp(0x48, MSR_EMUL_GP);
	wr(0x49, 1, MSR_EMUL_GP);
	rd_gp(0x10a, MSR_EMUL_GP);
	rd_gp(0x10a, MSR_EMUL_GP);
	rd_gp(0x140, MSR_EMUL_UNKNOWN);
	wr(0x1d9, 1, MSR_EMUL_BACKEND);
	msr_emul_count_backend_gp(&m, 0x1d9, true); /* the backend refused */
	wr(0x1d9, 3, MSR_EMUL_BACKEND);
	msr_emul_count_backend_gp(&m, 0x1d9, true);
	assert_string_equal(report(),
			    "unknown MSRs: rdmsr 0x140 x1; hidden MSRs: rdmsr "
			    "0x48 SPEC_CTRL x1, wrmsr 0x49 PRED_CMD x1, rdmsr "
			    "0x10a ARCH_CAPABILITIES x2; refused MSR accesses: "
			    "wrmsr 0x1d9 DEBUGCTL x2");
}

static void test_backend_msrs(void **state)
{
	const uint32_t owned[] = { 0x174, 0x175, 0x176, 0x1d9, 0x277,
				   0xc0000080, 0xc0000081, 0xc0000082,
				   0xc0000083, 0xc0000084, 0xc0000100,
				   0xc0000101, 0xc0000102 };
	init(&today);
	for (size_t i = 0; i < ARRAY_LEN(owned); i++) {
		rd_gp(owned[i], MSR_EMUL_BACKEND);
		wr(owned[i], 0x1234, MSR_EMUL_BACKEND);
	}
	assert_string_equal(report(), "");

	/* TSC_AUX is the backend's when RDTSCP is offered. */
	struct msr_emul_config c = today;
	c.rdtscp = true;
	init(&c);
	rd_gp(0xc0000103, MSR_EMUL_BACKEND);
	wr(0xc0000103, 1, MSR_EMUL_BACKEND);
}

static void test_cstate_msrs_with_mwait(void **state)
{
	struct msr_emul_config c = today;
	c.mwait = true;
	init(&c);
	/* intel_idle: auto_demotion_disable, c1e_promotion_disable/enable
	 * (read, change their bits, write back: non-safe accessors). */
	assert_int_equal(rd(0xe2), 0);
	wr(0xe2, 0, MSR_EMUL_OK);
	wr(0xe2, 3ull << 25, MSR_EMUL_OK);
	assert_int_equal(rd(0xe2), 3ull << 25);
	wr(0xe2, 3ull << 25 | 2, MSR_EMUL_GP);	/* the C-state limit */
	wr(0xe2, 1ull << 15, MSR_EMUL_GP);	/* the lock */
	assert_int_equal(rd(0x1fc), 0);
	wr(0x1fc, 2, MSR_EMUL_OK);
	assert_int_equal(rd(0x1fc), 2);
	wr(0x1fc, 0, MSR_EMUL_OK);
	wr(0x1fc, 1, MSR_EMUL_GP);
}

/* ---- unknown MSRs, the table, the report ------------------------------- */

static void test_names_and_gaps(void **state)
{
	const struct { uint32_t index; const char *name; } known[] = {
		{ 0x10, "TSC" }, { 0x17, "PLATFORM_ID" }, { 0x1b, "APIC_BASE" },
		{ 0x3a, "FEATURE_CONTROL" }, { 0x3b, "TSC_ADJUST" },
		{ 0x48, "SPEC_CTRL" }, { 0x49, "PRED_CMD" }, { 0x4e, "PPIN" },
		{ 0x4f, "PPIN" }, { 0x8b, "UCODE_REV" }, { 0xc1, "PMC" },
		{ 0xc8, "PMC" }, { 0xcf, "CORE_CAPABILITIES" },
		{ 0xe1, "UMWAIT_CONTROL" }, { 0xe2, "PKG_CST_CONFIG_CONTROL" },
		{ 0xe7, "MPERF" }, { 0xe8, "APERF" }, { 0xfe, "MTRRCAP" },
		{ 0x10a, "ARCH_CAPABILITIES" }, { 0x10b, "FLUSH_CMD" },
		{ 0x10f, "TSX_FORCE_ABORT" }, { 0x122, "TSX_CTRL" },
		{ 0x123, "MCU_OPT_CTRL" }, { 0x174, "SYSENTER" },
		{ 0x176, "SYSENTER" }, { 0x179, "MCG_CAP" },
		{ 0x17a, "MCG_STATUS" }, { 0x17b, "MCG_CTL" },
		{ 0x186, "PERFEVTSEL" }, { 0x18d, "PERFEVTSEL" },
		{ 0x198, "PERF_STATUS" }, { 0x199, "PERF_CTL" },
		{ 0x19a, "CLOCK_MODULATION" }, { 0x19b, "THERM_INTERRUPT" },
		{ 0x19c, "THERM_STATUS" }, { 0x1a0, "MISC_ENABLE" },
		{ 0x1b0, "ENERGY_PERF_BIAS" }, { 0x1b1, "PACKAGE_THERM" },
		{ 0x1b2, "PACKAGE_THERM" }, { 0x1c4, "XFD" }, { 0x1c5, "XFD" },
		{ 0x1d9, "DEBUGCTL" }, { 0x1fc, "POWER_CTL" },
		{ 0x200, "MTRR_PHYS" }, { 0x20f, "MTRR_PHYS" },
		{ 0x250, "MTRR_FIX64K" }, { 0x258, "MTRR_FIX16K" },
		{ 0x259, "MTRR_FIX16K" }, { 0x268, "MTRR_FIX4K" },
		{ 0x26f, "MTRR_FIX4K" }, { 0x277, "PAT" },
		{ 0x2ff, "MTRR_DEF_TYPE" }, { 0x309, "FIXED_CTR" },
		{ 0x30b, "FIXED_CTR" }, { 0x345, "PERF_CAPABILITIES" },
		{ 0x38d, "PERF_GLOBAL" }, { 0x390, "PERF_GLOBAL" },
		{ 0x3f1, "PEBS_ENABLE" }, { 0x400, "MC_BANK" },
		{ 0x47f, "MC_BANK" }, { 0x4c1, "A_PMC" }, { 0x4c8, "A_PMC" },
		{ 0x560, "RTIT_OUTPUT" }, { 0x561, "RTIT_OUTPUT" },
		{ 0x570, "RTIT_CTL" }, { 0x572, "RTIT_CTL" },
		{ 0x580, "RTIT_ADDR" }, { 0x587, "RTIT_ADDR" },
		{ 0x600, "DS_AREA" }, { 0x6a0, "CET" }, { 0x6a8, "CET" },
		{ 0x6e0, "TSC_DEADLINE" }, { 0x6e1, "PKRS" }, { 0x770, "HWP" },
		{ 0x777, "HWP" }, { 0x800, "X2APIC" }, { 0x8ff, "X2APIC" },
		{ 0x981, "TME" }, { 0x984, "TME" }, { 0xd90, "BNDCFGS" },
		{ 0xd93, "PASID" }, { 0xda0, "XSS" }, { 0x14ce, "LBR" },
		{ 0x14cf, "LBR" }, { 0xc0000080, "EFER" },
		{ 0xc0000081, "SYSCALL" }, { 0xc0000084, "SYSCALL" },
		{ 0xc0000100, "SEGMENT_BASE" }, { 0xc0000102, "SEGMENT_BASE" },
		{ 0xc0000103, "TSC_AUX" },
	};
	/* Around every row: not known (also Hyper-V, KVM, AMD ranges). */
	const uint32_t unknown[] = {
		0, 0xf, 0x11, 0x16, 0x18, 0x1a, 0x1c, 0x39, 0x3c, 0x47, 0x4a,
		0x4d, 0x50, 0x79, 0x8a, 0x8c, 0xc0, 0xc9, 0xce, 0xd0, 0xe0,
		0xe3, 0xe6, 0xe9, 0xfd, 0xff, 0x109, 0x10c, 0x10e, 0x110,
		0x121, 0x124, 0x140, 0x173, 0x177, 0x178, 0x17c, 0x185, 0x18e,
		0x197, 0x19d, 0x19f, 0x1a1, 0x1af, 0x1b3, 0x1c3, 0x1c6, 0x1d8,
		0x1da, 0x1fb, 0x1fd, 0x1ff, 0x210, 0x276, 0x278, 0x2fe, 0x300,
		0x308, 0x30c, 0x344, 0x346, 0x38c, 0x391, 0x3f0, 0x3f2, 0x3ff,
		0x480, 0x4c0, 0x4c9, 0x55f, 0x562, 0x56f, 0x573, 0x57f, 0x588,
		0x5ff, 0x601, 0x69f, 0x6a9, 0x6df, 0x6e2, 0x76f, 0x778, 0x7ff,
		0x900, 0x980, 0x985, 0xd8f, 0xd91, 0xd92, 0xd94, 0xd9f, 0xda1,
		0x14cd, 0x14d0, 0x40000000, 0x4b564d00, 0x4b564d99,
		0xc000007f, 0xc0000085, 0xc00000ff, 0xc0000104, 0xc0010000,
		0xffffffff,
	};
	for (size_t i = 0; i < ARRAY_LEN(known); i++) {
		const char *n = msr_emul_name(known[i].index);
		if (!n || strcmp(n, known[i].name))
			fail_msg("%#x: name %s, want %s", known[i].index,
				 n ? n : "(none)", known[i].name);
	}
	init(&today);
	for (size_t i = 0; i < ARRAY_LEN(unknown); i++) {
		if (msr_emul_name(unknown[i]))
			fail_msg("%#x has a name", unknown[i]);
		rd_gp(unknown[i], MSR_EMUL_UNKNOWN);
		wr(unknown[i], 0, MSR_EMUL_UNKNOWN);
	}
}

static void test_unknown_accounting(void **state)
{
	init(&today);
	rd_gp(0x140, MSR_EMUL_UNKNOWN);
	wr(0x1234, 5, MSR_EMUL_UNKNOWN);
	wr(0x1234, 6, MSR_EMUL_UNKNOWN);
	rd_gp(0x1234, MSR_EMUL_UNKNOWN);
	assert_int_equal(m.gp_used, 2);
	assert_int_equal(m.gp[1].index, 0x1234);
	assert_int_equal(m.gp[1].reads, 1);
	assert_int_equal(m.gp[1].writes, 2);
	assert_string_equal(report(), "unknown MSRs: rdmsr 0x140 x1, rdmsr "
				      "0x1234 x1, wrmsr 0x1234 x2");
	/* Fill the table: 14 more distinct indices fit, then overflow. */
	for (uint32_t i = 0; i < 20; i++)
		rd_gp(0x4b564d00 + i, MSR_EMUL_UNKNOWN);
	assert_int_equal(m.gp_used, MSR_GP_SLOTS);
	assert_int_equal(m.gp_overflow, 6);
	rd_gp(0x140, MSR_EMUL_UNKNOWN); /* a known slot still counts */
	assert_int_equal(m.gp[0].reads, 2);
	char buf[1024];
	msr_emul_report(&m, buf, sizeof(buf));
	assert_non_null(strstr(buf, "rdmsr 0x4b564d0d x1; 6 more #GP not "
				    "itemized"));
	/* Counters saturate. */
	m.gp[0].reads = UINT32_MAX;
	rd_gp(0x140, MSR_EMUL_UNKNOWN);
	assert_int_equal(m.gp[0].reads, UINT32_MAX);
}

static void test_report_buffer(void **state)
{
	const char *full = "unknown MSRs: rdmsr 0x140 x1, wrmsr 0x1d0 x3";
	char small[16];

	init(&today);
	assert_int_equal(msr_emul_report(&m, small, sizeof(small)), 0);
	assert_string_equal(small, "");
	assert_int_equal(msr_emul_report(&m, NULL, 0), 0);
	rd_gp(0x140, MSR_EMUL_UNKNOWN);
	for (int i = 0; i < 3; i++)
		wr(0x1d0, 0, MSR_EMUL_UNKNOWN);
	assert_string_equal(report(), full);
	/* Short buffer: a terminated prefix, the full length returned. */
	memset(small, 'x', sizeof(small));
	assert_int_equal(msr_emul_report(&m, small, sizeof(small)),
			 (int)strlen(full));
	assert_int_equal(strlen(small), sizeof(small) - 1);
	assert_int_equal(strncmp(small, full, sizeof(small) - 1), 0);
	assert_int_equal(msr_emul_report(&m, NULL, 0), (int)strlen(full));
	/* Each piece longer than what is left. */
	for (size_t len = 1; len < strlen(full) + 2; len++) {
		char b[64];
		memset(b, 'x', sizeof(b));
		assert_int_equal(msr_emul_report(&m, b, len),
				 (int)strlen(full));
		assert_int_equal(strlen(b), len - 1 < strlen(full)
						    ? len - 1 : strlen(full));
	}
	/* An uninitialized (zeroed) vCPU reports nothing. */
	memset(&m, 0, sizeof(m));
	assert_string_equal(report(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reset_values),
		cmocka_unit_test(test_phys_bits_default),
		cmocka_unit_test(test_linux_boot_sequence),
		cmocka_unit_test(test_lapic_msrs),
		cmocka_unit_test(test_lapic_msrs_without_lapic),
		cmocka_unit_test(test_mtrr_def_type),
		cmocka_unit_test(test_mtrr_fixed),
		cmocka_unit_test(test_mtrr_variable),
		cmocka_unit_test(test_misc_enable),
		cmocka_unit_test(test_read_only_and_locked),
		cmocka_unit_test(test_hidden_feature_msrs),
		cmocka_unit_test(test_spec_ctrl_report),
		cmocka_unit_test(test_backend_msrs),
		cmocka_unit_test(test_cstate_msrs_with_mwait),
		cmocka_unit_test(test_names_and_gaps),
		cmocka_unit_test(test_unknown_accounting),
		cmocka_unit_test(test_report_buffer),
	};
	return cmocka_run_group_tests(tests, 0, 0);
}
