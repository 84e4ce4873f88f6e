/*
 * The guest's MSRs (see msr_emul.h and docs/cpu-model.md). Semantics from
 * SDM vol. 4 (the MSR tables), vol. 3A 11.4.4 and 11.12 (APIC base, x2APIC
 * state transitions), 13.11 (MTRRs), 16.3.1 (machine-check globals).
 *
 * One list of rows (MSR_ROWS below) says what Volt does with every MSR
 * it knows: emulate it here, hand it to the backend, or refuse it because
 * the feature it belongs to is hidden from CPUID. An MSR in no row is
 * unknown. Linux reads or writes with non-_safe accessors (which print
 * "unchecked MSR access error" on a #GP) every MSR emulated below, on the
 * features Volt's CPUID shows; the hidden ones it only touches when CPUID
 * says the feature is there, or through rdmsrl_safe().
 */
#include <stdarg.h>
#include "lib/format.h"
#include "vmm/msr_emul.h"

#define BIT64(n) (1ull << (n))

/* ---- MSR indices, sorted (SDM vol. 4 names) ---------------------------- */
#define MSR_TSC 0x10u
#define MSR_PLATFORM_ID 0x17u
#define MSR_APIC_BASE 0x1bu
#define MSR_FEATURE_CONTROL 0x3au
#define   FEATURE_CONTROL_LOCKED BIT64(0)
#define MSR_TSC_ADJUST 0x3bu
#define MSR_SPEC_CTRL 0x48u
#define MSR_PRED_CMD 0x49u
#define MSR_PPIN_CTL 0x4eu
#define MSR_PPIN 0x4fu
#define MSR_BIOS_SIGN_ID 0x8bu		/* microcode revision in [63:32] */
#define MSR_PMC0 0xc1u
#define MSR_PMC7 0xc8u
#define MSR_CORE_CAPABILITIES 0xcfu
#define MSR_UMWAIT_CONTROL 0xe1u
#define MSR_PKG_CST_CONFIG_CONTROL 0xe2u
#define   PKG_CST_DEMOTION_BITS (BIT64(25) | BIT64(26) | BIT64(27) | \
				 BIT64(28)) /* auto-(un)demotion enables */
#define MSR_MPERF 0xe7u
#define MSR_APERF 0xe8u
#define MSR_MTRRCAP 0xfeu
#define   MTRRCAP_VCNT_MASK 0xffull
#define   MTRRCAP_FIX BIT64(8)
#define   MTRRCAP_WC BIT64(10)
#define MSR_ARCH_CAPABILITIES 0x10au
#define MSR_FLUSH_CMD 0x10bu
#define MSR_TSX_FORCE_ABORT 0x10fu
#define MSR_TSX_CTRL 0x122u
#define MSR_MCU_OPT_CTRL 0x123u
#define MSR_SYSENTER_CS 0x174u
#define MSR_SYSENTER_EIP 0x176u
#define MSR_MCG_CAP 0x179u
#define MSR_MCG_STATUS 0x17au
#define MSR_MCG_CTL 0x17bu
#define MSR_PERFEVTSEL0 0x186u
#define MSR_PERFEVTSEL7 0x18du
#define MSR_PERF_STATUS 0x198u
#define MSR_PERF_CTL 0x199u
#define MSR_CLOCK_MODULATION 0x19au
#define MSR_THERM_INTERRUPT 0x19bu
#define MSR_THERM_STATUS 0x19cu
#define MSR_MISC_ENABLE 0x1a0u
#define   MISC_ENABLE_FAST_STRINGS BIT64(0)
#define   MISC_ENABLE_BTS_UNAVAILABLE BIT64(11)
#define   MISC_ENABLE_PEBS_UNAVAILABLE BIT64(12)
#define   MISC_ENABLE_MONITOR BIT64(18)
#define   MISC_ENABLE_LIMIT_CPUID BIT64(22)
#define   MISC_ENABLE_XD_DISABLE BIT64(34)
#define MSR_ENERGY_PERF_BIAS 0x1b0u
#define MSR_PACKAGE_THERM_STATUS 0x1b1u
#define MSR_PACKAGE_THERM_INTERRUPT 0x1b2u
#define MSR_XFD 0x1c4u
#define MSR_XFD_ERR 0x1c5u
#define MSR_DEBUGCTL 0x1d9u
#define MSR_POWER_CTL 0x1fcu
#define   POWER_CTL_C1E BIT64(1)
#define MSR_MTRR_PHYSBASE0 0x200u
#define MSR_MTRR_PHYSMASK7 0x20fu
#define   MTRR_PHYSBASE_TYPE_MASK 0xffull
#define   MTRR_PHYSMASK_VALID BIT64(11)
#define MSR_MTRR_FIX64K_00000 0x250u
#define MSR_MTRR_FIX16K_80000 0x258u
#define MSR_MTRR_FIX16K_A0000 0x259u
#define MSR_MTRR_FIX4K_C0000 0x268u
#define MSR_MTRR_FIX4K_F8000 0x26fu
#define MSR_PAT 0x277u
#define MSR_MTRR_DEF_TYPE 0x2ffu
#define   MTRR_DEF_TYPE_MASK 0xffull
#define   MTRR_DEF_FE BIT64(10)
#define   MTRR_DEF_E BIT64(11)
#define MSR_FIXED_CTR0 0x309u
#define MSR_FIXED_CTR2 0x30bu
#define MSR_PERF_CAPABILITIES 0x345u
#define MSR_FIXED_CTR_CTRL 0x38du
#define MSR_PERF_GLOBAL_OVF_CTRL 0x390u
#define MSR_PEBS_ENABLE 0x3f1u
#define MSR_MC0_CTL 0x400u
#define MSR_MC31_MISC 0x47fu
#define MSR_A_PMC0 0x4c1u
#define MSR_A_PMC7 0x4c8u
#define MSR_RTIT_OUTPUT_BASE 0x560u
#define MSR_RTIT_OUTPUT_MASK 0x561u
#define MSR_RTIT_CTL 0x570u
#define MSR_RTIT_CR3_MATCH 0x572u
#define MSR_RTIT_ADDR0_A 0x580u
#define MSR_RTIT_ADDR3_B 0x587u
#define MSR_DS_AREA 0x600u
#define MSR_U_CET 0x6a0u
#define MSR_INTERRUPT_SSP_TABLE 0x6a8u
#define MSR_TSC_DEADLINE 0x6e0u
#define MSR_PKRS 0x6e1u
#define MSR_PM_ENABLE 0x770u
#define MSR_HWP_STATUS 0x777u
#define MSR_X2APIC_FIRST 0x800u
#define MSR_X2APIC_LAST 0x8ffu
#define MSR_TME_CAPABILITY 0x981u
#define MSR_TME_EXCLUDE_BASE 0x984u
#define MSR_BNDCFGS 0xd90u
#define MSR_PASID 0xd93u
#define MSR_XSS 0xda0u
#define MSR_LBR_CTL 0x14ceu
#define MSR_LBR_DEPTH 0x14cfu
#define MSR_EFER 0xc0000080u
#define MSR_STAR 0xc0000081u
#define MSR_SFMASK 0xc0000084u
#define MSR_FS_BASE 0xc0000100u
#define MSR_KERNEL_GS_BASE 0xc0000102u
#define MSR_TSC_AUX 0xc0000103u

/* Memory types an MTRR may hold (vol. 3A table 13-8): UC, WC, WT, WP,
 * WB. 2, 3 and 7+ are reserved: writing one is a #GP. */
#define MTRR_TYPE_UC 0u
#define MTRR_TYPE_WC 1u
#define MTRR_TYPE_WT 4u
#define MTRR_TYPE_WP 5u
#define MTRR_TYPE_WB 6u
#define MTRR_FIXED_ALL_WB 0x0606060606060606ull
#define MTRR_DEF_TYPE_RESET (MTRR_DEF_E | MTRR_DEF_FE | MTRR_TYPE_WB)
#define PAGE_OFFSET_MASK 0xfffull
#define PHYS_ADDR_BITS_DEFAULT 36u
#define PHYS_ADDR_BITS_MAX 52u

/* What a row's handler decided. */
enum outcome {
	DONE,		/* emulated */
	REFUSED,	/* #GP: bad value, read-only, locked */
	HIDDEN,		/* #GP: the feature is hidden from CPUID */
	TO_BACKEND,	/* the backend's */
	TO_LAPIC,	/* the vCPU's local APIC's */
};

enum msr_class { EMULATED, BACKEND, FEATURE_HIDDEN };

typedef enum outcome (*msr_read_fn)(struct vcpu_msrs *m, uint32_t index,
				    uint64_t *value);
typedef enum outcome (*msr_write_fn)(struct vcpu_msrs *m, uint32_t index,
				     uint64_t value);

struct msr_def {
	const char *name;
	enum msr_class cls;
	msr_read_fn read;	/* EMULATED rows only */
	msr_write_fn write;
};

/* ---- helpers ----------------------------------------------------------- */

static bool mtrr_type_valid(uint64_t type)
{
	return type == MTRR_TYPE_UC || type == MTRR_TYPE_WC ||
	       type == MTRR_TYPE_WT || type == MTRR_TYPE_WP ||
	       type == MTRR_TYPE_WB;
}

/* Bits [MAXPHYADDR-1:12]: where the APIC base and MTRR addresses live. */
static uint64_t phys_page_mask(const struct vcpu_msrs *m)
{
	return ((1ull << m->cfg.phys_addr_bits) - 1) & ~PAGE_OFFSET_MASK;
}

static enum outcome read_zero(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	*v = 0;
	return DONE;
}

static enum outcome write_refused(struct vcpu_msrs *m, uint32_t i,
				  uint64_t v)
{
	return REFUSED;
}

/* ---- TSC, platform, microcode, feature control ------------------------- */

/* The guest's TSC is the host's (no offset yet). A write would need the
 * backend's TSC offset, which does not exist yet: refused and counted.
 * Linux never writes it. */
static enum outcome tsc_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	*v = m->cfg.read_tsc ? m->cfg.read_tsc() : 0;
	return DONE;
}

/* Linux reads it non-safe in early_init_intel (intel_get_microcode_
 * revision: write 0, CPUID, read). Writes are accepted and change
 * nothing: there is no microcode to load in a guest. */
static enum outcome ucode_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	*v = (uint64_t)MSR_EMUL_UCODE_REV << 32;
	return DONE;
}

static enum outcome ucode_write(struct vcpu_msrs *m, uint32_t i, uint64_t v)
{
	return DONE;
}

/* Locked, with VMX, SGX and LMCE off: Linux (init_ia32_feat_ctl) then
 * leaves VMX and SGX off. Writing a locked FEATURE_CONTROL is a #GP. */
static enum outcome feature_control_read(struct vcpu_msrs *m, uint32_t i,
					 uint64_t *v)
{
	*v = FEATURE_CONTROL_LOCKED;
	return DONE;
}

/* ---- the local APIC's --------------------------------------------------- */

/* APIC_BASE, TSC_DEADLINE and the x2APIC registers belong to the vCPU's
 * virtual local APIC (vmm/dev/vlapic.c) when the VM has one. */
static enum outcome lapic_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	return m->cfg.lapic ? TO_LAPIC : HIDDEN;
}

static enum outcome lapic_write(struct vcpu_msrs *m, uint32_t i, uint64_t v)
{
	return m->cfg.lapic ? TO_LAPIC : HIDDEN;
}

/* ---- MISC_ENABLE ------------------------------------------------------- */

static enum outcome misc_enable_read(struct vcpu_msrs *m, uint32_t i,
				     uint64_t *v)
{
	*v = m->misc_enable;
	return DONE;
}

/*
 * Linux clears LIMIT_CPUID and XD_DISABLE (msr_clear_bit, which writes
 * only when the bit is set: here they read 0, so it does not write). A
 * write that keeps every bit is accepted; setting LIMIT_CPUID or
 * XD_DISABLE, or changing any other bit (fast strings, the read-only
 * "unavailable" bits, MONITOR enable), would need CPUID or the processor
 * to change with it: refused.
 */
static enum outcome misc_enable_write(struct vcpu_msrs *m, uint32_t i,
				      uint64_t v)
{
	return v == m->misc_enable ? DONE : REFUSED;
}

/* ---- machine check globals --------------------------------------------- */

/* MCE/MCA are hidden, yet some paths read these: no banks, no MCG_CTL,
 * nothing in progress. MCG_CAP is read-only. */
static enum outcome mcg_status_read(struct vcpu_msrs *m, uint32_t i,
				    uint64_t *v)
{
	*v = m->mcg_status;
	return DONE;
}

/* SDM 16.3.1.2: writing anything but 0 to IA32_MCG_STATUS is undefined;
 * Volt refuses it. */
static enum outcome mcg_status_write(struct vcpu_msrs *m, uint32_t i,
				     uint64_t v)
{
	return v == 0 ? DONE : REFUSED;
}

/* ---- C-state MSRs intel_idle touches (only with MONITOR/MWAIT) --------- */

/* Package C-state limit C0/C1 (no package C-states), not locked; the
 * auto-demotion/undemotion enables [28:25] are writable and stored. */
static enum outcome pkg_cst_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	if (!m->cfg.mwait)
		return HIDDEN;
	*v = m->pkg_cst_config;
	return DONE;
}

static enum outcome pkg_cst_write(struct vcpu_msrs *m, uint32_t i, uint64_t v)
{
	if (!m->cfg.mwait)
		return HIDDEN;
	if ((v ^ m->pkg_cst_config) & ~PKG_CST_DEMOTION_BITS)
		return REFUSED;
	m->pkg_cst_config = v;
	return DONE;
}

/* C1E promotion (bit 1) is writable and stored; it changes nothing. */
static enum outcome power_ctl_read(struct vcpu_msrs *m, uint32_t i,
				   uint64_t *v)
{
	if (!m->cfg.mwait)
		return HIDDEN;
	*v = m->power_ctl;
	return DONE;
}

static enum outcome power_ctl_write(struct vcpu_msrs *m, uint32_t i,
				    uint64_t v)
{
	if (!m->cfg.mwait)
		return HIDDEN;
	if ((v ^ m->power_ctl) & ~POWER_CTL_C1E)
		return REFUSED;
	m->power_ctl = v;
	return DONE;
}

/* ---- MTRRs (vol. 3A 13.11) -----------------------------------------------
 * With EPT the guest's MTRRs do not reach the hardware (the EPT memory
 * type does, 29.3.7): these are bookkeeping that reads back what the guest
 * wrote, with the checks hardware makes. The reset state is what firmware
 * leaves on a PC with only RAM: MTRRs on, everything write-back. */

static enum outcome mtrrcap_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	*v = MSR_MTRR_VAR_COUNT | MTRRCAP_FIX | MTRRCAP_WC;
	return DONE;
}

static enum outcome mtrr_def_read(struct vcpu_msrs *m, uint32_t i,
				  uint64_t *v)
{
	*v = m->mtrr_def_type;
	return DONE;
}

static enum outcome mtrr_def_write(struct vcpu_msrs *m, uint32_t i,
				   uint64_t v)
{
	if (v & ~(MTRR_DEF_TYPE_MASK | MTRR_DEF_FE | MTRR_DEF_E))
		return REFUSED;
	if (!mtrr_type_valid(v & MTRR_DEF_TYPE_MASK))
		return REFUSED;
	m->mtrr_def_type = v;
	return DONE;
}

/* 0x250 -> 0, 0x258 -> 1, 0x259 -> 2, 0x268..0x26f -> 3..10. */
static unsigned mtrr_fixed_slot(uint32_t index)
{
	if (index == MSR_MTRR_FIX64K_00000)
		return 0;
	if (index <= MSR_MTRR_FIX16K_A0000)
		return 1 + (index - MSR_MTRR_FIX16K_80000);
	return 3 + (index - MSR_MTRR_FIX4K_C0000);
}

static enum outcome mtrr_fixed_read(struct vcpu_msrs *m, uint32_t i,
				    uint64_t *v)
{
	*v = m->mtrr_fixed[mtrr_fixed_slot(i)];
	return DONE;
}

/* Eight 8-bit types, one per sub-range: each must be a valid type. */
static enum outcome mtrr_fixed_write(struct vcpu_msrs *m, uint32_t i,
				     uint64_t v)
{
	for (int byte = 0; byte < 8; byte++)
		if (!mtrr_type_valid((v >> (8 * byte)) & 0xff))
			return REFUSED;
	m->mtrr_fixed[mtrr_fixed_slot(i)] = v;
	return DONE;
}

static enum outcome mtrr_var_read(struct vcpu_msrs *m, uint32_t i,
				  uint64_t *v)
{
	*v = m->mtrr_var[i - MSR_MTRR_PHYSBASE0];
	return DONE;
}

/* PhysBase: type [7:0], base [MAXPHYADDR-1:12]. PhysMask: valid [11],
 * mask [MAXPHYADDR-1:12]. Everything else is reserved. */
static enum outcome mtrr_var_write(struct vcpu_msrs *m, uint32_t i,
				   uint64_t v)
{
	bool is_mask = (i - MSR_MTRR_PHYSBASE0) & 1;
	uint64_t allowed = phys_page_mask(m) |
			   (is_mask ? MTRR_PHYSMASK_VALID
				    : MTRR_PHYSBASE_TYPE_MASK);

	if (v & ~allowed)
		return REFUSED;
	if (!is_mask && !mtrr_type_valid(v & MTRR_PHYSBASE_TYPE_MASK))
		return REFUSED;
	m->mtrr_var[i - MSR_MTRR_PHYSBASE0] = v;
	return DONE;
}

/* ---- TSC_AUX: the backend's, when RDTSCP/RDPID are offered ------------- */

static enum outcome tsc_aux_read(struct vcpu_msrs *m, uint32_t i, uint64_t *v)
{
	return m->cfg.rdtscp ? TO_BACKEND : HIDDEN;
}

static enum outcome tsc_aux_write(struct vcpu_msrs *m, uint32_t i, uint64_t v)
{
	return m->cfg.rdtscp ? TO_BACKEND : HIDDEN;
}

/* ---- the table --------------------------------------------------------- */

/*
 * Every MSR Volt knows, declared once (by index) and expanded three
 * times: into row numbers, into the table of names and handlers, and into
 * the switch that finds a row (GCC case ranges: an overlap between two
 * rows is a compile error). Rows:
 *   X_EMUL(name, first, last, read, write)   emulated here
 *   X_OWNED(name, first, last)               the backend's
 *   X_HIDE(name, first, last)                a feature CPUID hides
 */
#define MSR_ROWS(X_EMUL, X_OWNED, X_HIDE)                               \
	X_EMUL(TSC, MSR_TSC, MSR_TSC, tsc_read, write_refused)          \
	X_EMUL(PLATFORM_ID, MSR_PLATFORM_ID,                            \
	       MSR_PLATFORM_ID, read_zero, write_refused)               \
	X_EMUL(APIC_BASE, MSR_APIC_BASE,                                \
	       MSR_APIC_BASE, lapic_read, lapic_write)                  \
	X_EMUL(FEATURE_CONTROL, MSR_FEATURE_CONTROL,                    \
	       MSR_FEATURE_CONTROL, feature_control_read, write_refused) \
	X_HIDE(TSC_ADJUST, MSR_TSC_ADJUST, MSR_TSC_ADJUST)              \
	X_HIDE(SPEC_CTRL, MSR_SPEC_CTRL, MSR_SPEC_CTRL)                 \
	X_HIDE(PRED_CMD, MSR_PRED_CMD, MSR_PRED_CMD)                    \
	X_HIDE(PPIN, MSR_PPIN_CTL, MSR_PPIN)                            \
	X_EMUL(UCODE_REV, MSR_BIOS_SIGN_ID,                             \
	       MSR_BIOS_SIGN_ID, ucode_read, ucode_write)               \
	X_HIDE(PMC, MSR_PMC0, MSR_PMC7)                                 \
	X_HIDE(CORE_CAPABILITIES, MSR_CORE_CAPABILITIES,                \
	       MSR_CORE_CAPABILITIES)                                   \
	X_HIDE(UMWAIT_CONTROL, MSR_UMWAIT_CONTROL, MSR_UMWAIT_CONTROL)  \
	X_EMUL(PKG_CST_CONFIG_CONTROL, MSR_PKG_CST_CONFIG_CONTROL,      \
	       MSR_PKG_CST_CONFIG_CONTROL, pkg_cst_read, pkg_cst_write) \
	X_HIDE(MPERF, MSR_MPERF, MSR_MPERF)                             \
	X_HIDE(APERF, MSR_APERF, MSR_APERF)                             \
	X_EMUL(MTRRCAP, MSR_MTRRCAP,                                    \
	       MSR_MTRRCAP, mtrrcap_read, write_refused)                \
	X_HIDE(ARCH_CAPABILITIES, MSR_ARCH_CAPABILITIES,                \
	       MSR_ARCH_CAPABILITIES)                                   \
	X_HIDE(FLUSH_CMD, MSR_FLUSH_CMD, MSR_FLUSH_CMD)                 \
	X_HIDE(TSX_FORCE_ABORT, MSR_TSX_FORCE_ABORT, MSR_TSX_FORCE_ABORT) \
	X_HIDE(TSX_CTRL, MSR_TSX_CTRL, MSR_TSX_CTRL)                    \
	X_HIDE(MCU_OPT_CTRL, MSR_MCU_OPT_CTRL, MSR_MCU_OPT_CTRL)        \
	X_OWNED(SYSENTER, MSR_SYSENTER_CS, MSR_SYSENTER_EIP)            \
	X_EMUL(MCG_CAP, MSR_MCG_CAP, MSR_MCG_CAP, read_zero, write_refused) \
	X_EMUL(MCG_STATUS, MSR_MCG_STATUS,                              \
	       MSR_MCG_STATUS, mcg_status_read, mcg_status_write)       \
	X_HIDE(MCG_CTL, MSR_MCG_CTL, MSR_MCG_CTL)                       \
	X_HIDE(PERFEVTSEL, MSR_PERFEVTSEL0, MSR_PERFEVTSEL7)            \
	X_HIDE(PERF_STATUS, MSR_PERF_STATUS, MSR_PERF_STATUS)           \
	X_HIDE(PERF_CTL, MSR_PERF_CTL, MSR_PERF_CTL)                    \
	X_HIDE(CLOCK_MODULATION, MSR_CLOCK_MODULATION, MSR_CLOCK_MODULATION) \
	X_HIDE(THERM_INTERRUPT, MSR_THERM_INTERRUPT, MSR_THERM_INTERRUPT) \
	X_HIDE(THERM_STATUS, MSR_THERM_STATUS, MSR_THERM_STATUS)        \
	X_EMUL(MISC_ENABLE, MSR_MISC_ENABLE,                            \
	       MSR_MISC_ENABLE, misc_enable_read, misc_enable_write)    \
	X_HIDE(ENERGY_PERF_BIAS, MSR_ENERGY_PERF_BIAS, MSR_ENERGY_PERF_BIAS) \
	X_HIDE(PACKAGE_THERM, MSR_PACKAGE_THERM_STATUS,                 \
	       MSR_PACKAGE_THERM_INTERRUPT)                             \
	X_HIDE(XFD, MSR_XFD, MSR_XFD_ERR)                               \
	X_OWNED(DEBUGCTL, MSR_DEBUGCTL, MSR_DEBUGCTL)                   \
	X_EMUL(POWER_CTL, MSR_POWER_CTL,                                \
	       MSR_POWER_CTL, power_ctl_read, power_ctl_write)          \
	X_EMUL(MTRR_PHYS, MSR_MTRR_PHYSBASE0,                           \
	       MSR_MTRR_PHYSMASK7, mtrr_var_read, mtrr_var_write)       \
	X_EMUL(MTRR_FIX64K, MSR_MTRR_FIX64K_00000,                      \
	       MSR_MTRR_FIX64K_00000, mtrr_fixed_read, mtrr_fixed_write) \
	X_EMUL(MTRR_FIX16K, MSR_MTRR_FIX16K_80000,                      \
	       MSR_MTRR_FIX16K_A0000, mtrr_fixed_read, mtrr_fixed_write) \
	X_EMUL(MTRR_FIX4K, MSR_MTRR_FIX4K_C0000,                        \
	       MSR_MTRR_FIX4K_F8000, mtrr_fixed_read, mtrr_fixed_write) \
	X_OWNED(PAT, MSR_PAT, MSR_PAT)                                  \
	X_EMUL(MTRR_DEF_TYPE, MSR_MTRR_DEF_TYPE,                        \
	       MSR_MTRR_DEF_TYPE, mtrr_def_read, mtrr_def_write)        \
	X_HIDE(FIXED_CTR, MSR_FIXED_CTR0, MSR_FIXED_CTR2)               \
	X_HIDE(PERF_CAPABILITIES, MSR_PERF_CAPABILITIES,                \
	       MSR_PERF_CAPABILITIES)                                   \
	X_HIDE(PERF_GLOBAL, MSR_FIXED_CTR_CTRL, MSR_PERF_GLOBAL_OVF_CTRL) \
	X_HIDE(PEBS_ENABLE, MSR_PEBS_ENABLE, MSR_PEBS_ENABLE)           \
	X_HIDE(MC_BANK, MSR_MC0_CTL, MSR_MC31_MISC)                     \
	X_HIDE(A_PMC, MSR_A_PMC0, MSR_A_PMC7)                           \
	X_HIDE(RTIT_OUTPUT, MSR_RTIT_OUTPUT_BASE, MSR_RTIT_OUTPUT_MASK) \
	X_HIDE(RTIT_CTL, MSR_RTIT_CTL, MSR_RTIT_CR3_MATCH)              \
	X_HIDE(RTIT_ADDR, MSR_RTIT_ADDR0_A, MSR_RTIT_ADDR3_B)           \
	X_HIDE(DS_AREA, MSR_DS_AREA, MSR_DS_AREA)                       \
	X_HIDE(CET, MSR_U_CET, MSR_INTERRUPT_SSP_TABLE)                 \
	X_EMUL(TSC_DEADLINE, MSR_TSC_DEADLINE,                          \
	       MSR_TSC_DEADLINE, lapic_read, lapic_write)               \
	X_HIDE(PKRS, MSR_PKRS, MSR_PKRS)                                \
	X_HIDE(HWP, MSR_PM_ENABLE, MSR_HWP_STATUS)                      \
	X_EMUL(X2APIC, MSR_X2APIC_FIRST, MSR_X2APIC_LAST,               \
	       lapic_read, lapic_write)                                 \
	X_HIDE(TME, MSR_TME_CAPABILITY, MSR_TME_EXCLUDE_BASE)           \
	X_HIDE(BNDCFGS, MSR_BNDCFGS, MSR_BNDCFGS)                       \
	X_HIDE(PASID, MSR_PASID, MSR_PASID)                             \
	X_HIDE(XSS, MSR_XSS, MSR_XSS)                                   \
	X_HIDE(LBR, MSR_LBR_CTL, MSR_LBR_DEPTH)                         \
	X_OWNED(EFER, MSR_EFER, MSR_EFER)                               \
	X_OWNED(SYSCALL, MSR_STAR, MSR_SFMASK)                          \
	X_OWNED(SEGMENT_BASE, MSR_FS_BASE, MSR_KERNEL_GS_BASE)          \
	X_EMUL(TSC_AUX, MSR_TSC_AUX,                                    \
	       MSR_TSC_AUX, tsc_aux_read, tsc_aux_write)

#define ROW_ID_EMUL(id, first, last, rd, wr) ROW_##id,
#define ROW_ID(id, first, last) ROW_##id,
enum msr_row { MSR_ROWS(ROW_ID_EMUL, ROW_ID, ROW_ID) MSR_ROW_COUNT };

#define ROW_DEF_EMUL(id, first, last, rd, wr) \
	[ROW_##id] = { #id, EMULATED, rd, wr },
#define ROW_DEF_OWNED(id, first, last) \
	[ROW_##id] = { #id, BACKEND, NULL, NULL },
#define ROW_DEF_HIDE(id, first, last) \
	[ROW_##id] = { #id, FEATURE_HIDDEN, NULL, NULL },
static const struct msr_def msr_defs[MSR_ROW_COUNT] = {
	MSR_ROWS(ROW_DEF_EMUL, ROW_DEF_OWNED, ROW_DEF_HIDE)
};

#define ROW_CASE_EMUL(id, first, last, rd, wr) \
	case first ... last: return &msr_defs[ROW_##id];
#define ROW_CASE(id, first, last) \
	case first ... last: return &msr_defs[ROW_##id];
/* Inline in both accessors: this is the MSR exits' hot path. */
static inline __attribute__((always_inline)) const struct msr_def *
msr_find(uint32_t index)
{
	switch (index) {
	MSR_ROWS(ROW_CASE_EMUL, ROW_CASE, ROW_CASE)
	default:
		return NULL;
	}
}

const char *msr_emul_name(uint32_t index)
{
	const struct msr_def *d = msr_find(index);
	return d ? d->name : NULL;
}

/* ---- state, accesses, accounting --------------------------------------- */

void msr_emul_init(struct vcpu_msrs *m, const struct msr_emul_config *cfg)
{
	*m = (struct vcpu_msrs){ .initialized = true, .cfg = *cfg };
	if (m->cfg.phys_addr_bits == 0 ||
	    m->cfg.phys_addr_bits > PHYS_ADDR_BITS_MAX)
		m->cfg.phys_addr_bits = PHYS_ADDR_BITS_DEFAULT;
	/* Fast strings on; no BTS, no PEBS (the debug store is hidden);
	 * MONITOR enabled exactly when CPUID offers it. */
	m->misc_enable = MISC_ENABLE_FAST_STRINGS |
			 MISC_ENABLE_BTS_UNAVAILABLE |
			 MISC_ENABLE_PEBS_UNAVAILABLE |
			 (cfg->mwait ? MISC_ENABLE_MONITOR : 0);
	m->mtrr_def_type = MTRR_DEF_TYPE_RESET;
	for (unsigned i = 0; i < MSR_MTRR_FIXED_COUNT; i++)
		m->mtrr_fixed[i] = MTRR_FIXED_ALL_WB;
}

static void count_gp(struct vcpu_msrs *m, uint32_t index, bool write,
		     enum msr_gp_kind kind)
{
	struct msr_gp_count *c = NULL;

	for (uint32_t i = 0; i < m->gp_used && !c; i++)
		if (m->gp[i].index == index)
			c = &m->gp[i];
	if (!c) {
		if (m->gp_used >= MSR_GP_SLOTS) {
			m->gp_overflow++;
			return;
		}
		c = &m->gp[m->gp_used++];
		*c = (struct msr_gp_count){ .index = index,
					    .kind = (uint8_t)kind };
	}
	uint32_t *n = write ? &c->writes : &c->reads;
	if (*n != UINT32_MAX)
		(*n)++;
}

static enum msr_emul_result settle(struct vcpu_msrs *m, uint32_t index,
				   bool write, enum outcome o)
{
	switch (o) {
	case DONE:
		return MSR_EMUL_OK;
	case TO_BACKEND:
		return MSR_EMUL_BACKEND;
	case TO_LAPIC:
		return MSR_EMUL_LAPIC;
	case HIDDEN:
		count_gp(m, index, write, MSR_GP_HIDDEN);
		return MSR_EMUL_GP;
	case REFUSED:
		break;
	}
	count_gp(m, index, write, MSR_GP_REFUSED);
	return MSR_EMUL_GP;
}

/* A row that is not emulated here: the backend's, or hidden. */
static enum outcome class_outcome(const struct msr_def *d)
{
	return d->cls == BACKEND ? TO_BACKEND : HIDDEN;
}

enum msr_emul_result msr_emul_read(struct vcpu_msrs *m, uint32_t index,
				   uint64_t *value)
{
	const struct msr_def *d = msr_find(index);
	enum outcome o;

	if (!d) {
		count_gp(m, index, false, MSR_GP_UNKNOWN);
		return MSR_EMUL_UNKNOWN;
	}
	/* Handlers write *value only when they return DONE. */
	o = d->cls == EMULATED ? d->read(m, index, value) : class_outcome(d);
	return o == DONE ? MSR_EMUL_OK : settle(m, index, false, o);
}

enum msr_emul_result msr_emul_write(struct vcpu_msrs *m, uint32_t index,
				    uint64_t value)
{
	const struct msr_def *d = msr_find(index);
	enum outcome o;

	if (!d) {
		count_gp(m, index, true, MSR_GP_UNKNOWN);
		return MSR_EMUL_UNKNOWN;
	}
	o = d->cls == EMULATED ? d->write(m, index, value) : class_outcome(d);
	return o == DONE ? MSR_EMUL_OK : settle(m, index, true, o);
}

void msr_emul_count_backend_gp(struct vcpu_msrs *m, uint32_t index,
			       bool write)
{
	count_gp(m, index, write, MSR_GP_REFUSED);
}

/* ---- the report -------------------------------------------------------- */

struct sink {
	char *buf;
	size_t len;
	size_t pos; /* characters produced, stored or not */
};

static void emit(struct sink *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void emit(struct sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (s->pos < s->len)
		n = volt_vsnprintf(s->buf + s->pos, s->len - s->pos, fmt, ap);
	else
		n = volt_vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n > 0)
		s->pos += (size_t)n;
}

static void emit_item(struct sink *s, bool *first, const char *op,
		      const struct msr_gp_count *c, uint32_t count)
{
	const char *name = c->kind == MSR_GP_UNKNOWN ? NULL
						     : msr_emul_name(c->index);

	emit(s, "%s%s 0x%x%s%s x%u", *first ? "" : ", ", op, c->index,
	     name ? " " : "", name ? name : "", count);
	*first = false;
}

static void emit_group(struct sink *s, const struct vcpu_msrs *m,
		       enum msr_gp_kind kind, const char *label)
{
	bool first = true;

	for (uint32_t i = 0; i < m->gp_used; i++) {
		const struct msr_gp_count *c = &m->gp[i];
		if (c->kind != kind)
			continue;
		if (first)
			emit(s, "%s%s: ", s->pos ? "; " : "", label);
		if (c->reads)
			emit_item(s, &first, "rdmsr", c, c->reads);
		if (c->writes)
			emit_item(s, &first, "wrmsr", c, c->writes);
	}
}

int msr_emul_report(const struct vcpu_msrs *m, char *buf, size_t len)
{
	struct sink s = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	emit_group(&s, m, MSR_GP_UNKNOWN, "unknown MSRs");
	emit_group(&s, m, MSR_GP_HIDDEN, "hidden MSRs");
	emit_group(&s, m, MSR_GP_REFUSED, "refused MSR accesses");
	if (m->gp_overflow)
		emit(&s, "%s%llu more #GP not itemized", s.pos ? "; " : "",
		     (unsigned long long)m->gp_overflow);
	return (int)s.pos;
}
