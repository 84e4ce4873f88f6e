/*
 * The guest's model-specific registers (SDM vol. 4, "Model-Specific
 * Registers"; vol. 3A 11.4.4 APIC base, 13.11 MTRRs; docs/cpu-model.md).
 *
 * Every RDMSR/WRMSR the MSR bitmap does not pass through exits to
 * vmm/exit_msr.c, which asks this pure module first:
 *   MSR_EMUL_OK       emulated here (per-vCPU state in struct vcpu_msrs)
 *   MSR_EMUL_GP       the access faults as on hardware: reserved bits,
 *                     a read-only MSR, or an MSR of a feature CPUID hides
 *   MSR_EMUL_UNKNOWN  not an MSR Volt knows: #GP(0), as for an MSR the
 *                     processor does not implement
 *   MSR_EMUL_BACKEND  the backend owns it (EFER, PAT, SYSENTER, SYSCALL,
 *                     DEBUGCTL, FS/GS base...): virt_vcpu_get/set_msr
 *   MSR_EMUL_LAPIC    the vCPU's virtual local APIC owns it (APIC_BASE,
 *                     TSC_DEADLINE, x2APIC registers): vmm/dev/vlapic.c
 * Each #GP is counted per index (unknown, hidden or refused) for the
 * report the VM prints when it stops.
 *
 * Pure: no hardware access; the TSC comes in through the config.
 */
#ifndef VOLT_VMM_MSR_EMUL_H
#define VOLT_VMM_MSR_EMUL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum msr_emul_result {
	MSR_EMUL_OK,
	MSR_EMUL_GP,
	MSR_EMUL_UNKNOWN,
	MSR_EMUL_BACKEND,
	MSR_EMUL_LAPIC,
};

/* Why an access raised #GP (the report's three groups). */
enum msr_gp_kind {
	MSR_GP_UNKNOWN,	/* no such MSR in Volt's model */
	MSR_GP_HIDDEN,	/* the MSR of a feature CPUID hides (SPEC_CTRL...) */
	MSR_GP_REFUSED,	/* a known MSR: bad value, read-only, locked */
};

/* The processor this vCPU is: the same switches as its CPUID policy. */
struct msr_emul_config {
	uint32_t vcpu_id;	/* 0 is the bootstrap processor */
	uint8_t phys_addr_bits;	/* MAXPHYADDR: reserved bits of the APIC
				 * base and MTRRs; 0 is taken as 36 */
	bool lapic;		/* IA32_APIC_BASE exists */
	bool x2apic;		/* the guest may enable x2APIC mode */
	bool mwait;		/* MONITOR/MWAIT offered: MISC_ENABLE bit 18
				 * and the C-state MSRs intel_idle touches */
	bool rdtscp;		/* IA32_TSC_AUX exists (the backend's) */
	uint64_t (*read_tsc)(void); /* the guest's TSC (host TSC for now) */
};

#define MSR_MTRR_VAR_COUNT 8	/* variable ranges (MTRRcap.VCNT) */
#define MSR_MTRR_FIXED_COUNT 11	/* fixed-range MSRs */
#define MSR_GP_SLOTS 16		/* distinct #GP indices itemized */
/* The microcode revision the guest reads in IA32_BIOS_SIGN_ID[63:32]
 * (KVM's choice too: a visibly virtual revision). */
#define MSR_EMUL_UCODE_REV 0x1u

struct msr_gp_count {
	uint32_t index;
	uint8_t kind;		/* enum msr_gp_kind */
	uint32_t reads, writes;	/* saturate */
};

/* Per-vCPU: touched only by the processor running the vCPU. */
struct vcpu_msrs {
	bool initialized;	/* msr_emul_init() ran */
	struct msr_emul_config cfg;
	uint64_t misc_enable;
	uint64_t mcg_status;
	uint64_t mtrr_def_type;
	uint64_t mtrr_fixed[MSR_MTRR_FIXED_COUNT];
	uint64_t mtrr_var[2 * MSR_MTRR_VAR_COUNT]; /* base, mask pairs */
	uint64_t pkg_cst_config; /* MSR_PKG_CST_CONFIG_CONTROL (with mwait) */
	uint64_t power_ctl;	 /* MSR_POWER_CTL (with mwait) */
	/* #GP accounting: one slot per distinct index, then the overflow. */
	struct msr_gp_count gp[MSR_GP_SLOTS];
	uint32_t gp_used;
	uint64_t gp_overflow;	/* #GPs on indices that found no slot */
};

/* Reset state (SDM vol. 3A table 10-1 where it defines one). */
void msr_emul_init(struct vcpu_msrs *m, const struct msr_emul_config *cfg);

/* RDMSR / WRMSR of `index`. *value is written only for MSR_EMUL_OK. */
enum msr_emul_result msr_emul_read(struct vcpu_msrs *m, uint32_t index,
				   uint64_t *value);
enum msr_emul_result msr_emul_write(struct vcpu_msrs *m, uint32_t index,
				    uint64_t value);

/* The backend refused an access msr_emul handed it: count it too. */
void msr_emul_count_backend_gp(struct vcpu_msrs *m, uint32_t index,
			       bool write);

/* The MSR's short name ("SPEC_CTRL", "MTRRphysBase"), or NULL. */
const char *msr_emul_name(uint32_t index);

/*
 * A one-line account of every #GP, grouped, e.g.
 *   "unknown MSRs: rdmsr 0x140 x1, wrmsr 0x1d9 x2; hidden: rdmsr 0x48
 *    SPEC_CTRL x1; refused: wrmsr 0x10 TSC x1"
 * Empty (returns 0) when there was none. Returns the full length like
 * snprintf; buf is always terminated when len > 0.
 */
int msr_emul_report(const struct vcpu_msrs *m, char *buf, size_t len);

#endif
