/*
 * The virtual local APIC of one vCPU: the xAPIC memory-mapped page, the
 * x2APIC MSRs 0x800-0x8ff, IA32_APIC_BASE mode switching, interrupt
 * acceptance and priority (IRR/ISR/TMR, TPR/PPR), EOI (with broadcast to
 * the IOAPIC), the LVT (timer, thermal, perf, LINT0, LINT1, error), the
 * timer (one-shot, periodic, TSC-deadline) and the ICR (IPIs).
 * Follows the Intel SDM vol. 3A chapter "Advanced Programmable Interrupt
 * Controller (APIC)": "Local APIC State After Power-Up or Reset" / "After
 * an INIT Reset", "Local Vector Table", "APIC Timer", "Issuing
 * Interprocessor Interrupts", "Determining IPI Destination", "Interrupt,
 * Task, and Processor Priority", "Error Handling", and "Extended xAPIC
 * (x2APIC)" with its "x2APIC State Transitions". docs/devices-lapic.md
 * explains the model.
 *
 * How the VMM uses it:
 *   - xAPIC: register vlapic_mmio_read/vlapic_mmio_write on the MMIO bus
 *     at vlapic_apic_base() (4 KiB) while vlapic_xapic_mmio_active();
 *     x2APIC: RDMSR/WRMSR of 0x800-0x8ff go to vlapic_msr_read/write,
 *     IA32_APIC_BASE (0x1b) to vlapic_set_apic_base/vlapic_apic_base,
 *     IA32_TSC_DEADLINE (0x6e0) to vlapic_set/get_tsc_deadline, MOV CR8
 *     to vlapic_set/get_tpr (CR8 = TPR[7:4]; a CR8 write stores
 *     value << 4). A nonzero return from these means: inject #GP.
 *   - before VM entry: vlapic_take_init/sipi/nmi/extint, then if the vCPU
 *     can take an interrupt and vlapic_pending() >= 0, vlapic_ack() is
 *     the INTA cycle and its vector is injected. While
 *     vlapic_lint0_extint() is true the 8259A's INTR reaches the CPU
 *     through LINT0: use the PIC path for those interrupts.
 *   - timers: arm a host timer for vlapic_next_event(), call
 *     vlapic_update(now) when it fires; re-read vlapic_next_event() after
 *     any exit that touched the APIC (MMIO, MSR, CR8).
 *   - IPIs: the send_ipi callback gets a decoded struct vlapic_ipi; the
 *     VM picks the receivers with vlapic_match_dest() and calls
 *     vlapic_deliver() on each (lowest priority: the first match).
 *
 *   - APIC virtualization (VT-x APIC-register virtualization and
 *     virtual-interrupt delivery, docs/apicv.md): the registers live in a
 *     4 KiB page in the xAPIC layout (struct vlapic_page, given at init),
 *     which the processor uses as its virtual-APIC page. With
 *     vlapic_set_apicv(on), accepted interrupts wait beside the page until
 *     vlapic_apicv_sync() moves them in before an entry (the page is the
 *     processor's while the guest runs); vlapic_rvi/svi and
 *     vlapic_eoi_exit_bitmap say what to load; vlapic_apicv_write() and
 *     vlapic_apicv_eoi() finish what the processor started (APIC-write and
 *     EOI-induced exits).
 *
 * Pure C, no locking: the owner serializes calls (a vLAPIC receiving IPIs
 * from other vCPUs needs the VM's lock around every vlapic_* call).
 * Host-tested (tests/unit/test_vlapic.c).
 */
#ifndef VOLT_VMM_DEV_VLAPIC_H
#define VOLT_VMM_DEV_VLAPIC_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/dev_clock.h"

#define VLAPIC_DEFAULT_BASE 0xfee00000ull
#define VLAPIC_PAGE_SIZE 0x1000
#define VLAPIC_GP (-1) /* "inject #GP" from the MSR-style calls */

/* IA32_APIC_BASE (MSR 0x1b) */
#define APIC_BASE_BSP (1ull << 8)
#define APIC_BASE_EXTD (1ull << 10) /* x2APIC mode */
#define APIC_BASE_EN (1ull << 11)   /* APIC globally enabled */
#define APIC_BASE_ADDR_SHIFT 12

/* xAPIC register offsets in the APIC page (x2APIC MSR = 0x800 + off/16) */
#define APIC_ID 0x020
#define APIC_VERSION 0x030
#define APIC_TPR 0x080
#define APIC_APR 0x090
#define APIC_PPR 0x0a0
#define APIC_EOI 0x0b0
#define APIC_RRD 0x0c0
#define APIC_LDR 0x0d0
#define APIC_DFR 0x0e0
#define APIC_SVR 0x0f0
#define APIC_ISR 0x100 /* 8 registers, 0x10 apart, vectors 32i..32i+31 */
#define APIC_TMR 0x180
#define APIC_IRR 0x200
#define APIC_ESR 0x280
#define APIC_LVT_CMCI 0x2f0 /* not modelled: reserved here */
#define APIC_ICR_LOW 0x300
#define APIC_ICR_HIGH 0x310
#define APIC_LVT_TIMER 0x320
#define APIC_LVT_THERMAL 0x330
#define APIC_LVT_PERF 0x340
#define APIC_LVT_LINT0 0x350
#define APIC_LVT_LINT1 0x360
#define APIC_LVT_ERROR 0x370
#define APIC_TIMER_ICR 0x380 /* initial count */
#define APIC_TIMER_CCR 0x390 /* current count */
#define APIC_TIMER_DCR 0x3e0 /* divide configuration */
#define APIC_SELF_IPI 0x3f0  /* x2APIC only (MSR 0x83f) */

#define X2APIC_MSR_FIRST 0x800
#define X2APIC_MSR_LAST 0x8ff

/* Version register: version 0x14 (integrated APIC), max LVT entry 5 (six
 * entries: no CMCI), bit 24 when EOI-broadcast suppression is offered. */
#define APIC_VERSION_ID 0x14
#define APIC_MAX_LVT 5
#define APIC_VERSION_EOI_SUPPRESS (1u << 24)

/* SVR */
#define APIC_SVR_ENABLE (1u << 8)
#define APIC_SVR_FOCUS_OFF (1u << 9)
#define APIC_SVR_EOI_SUPPRESS (1u << 12)

/* LVT fields */
#define APIC_LVT_VECTOR 0xffu
#define APIC_LVT_DM_SHIFT 8
#define APIC_LVT_PENDING (1u << 12) /* delivery status: always 0 here */
#define APIC_LVT_ACTIVE_LOW (1u << 13)
#define APIC_LVT_REMOTE_IRR (1u << 14)
#define APIC_LVT_LEVEL (1u << 15)
#define APIC_LVT_MASKED (1u << 16)
#define APIC_LVT_TIMER_SHIFT 17 /* 0 one-shot, 1 periodic, 2 TSC-deadline */

enum vlapic_timer_mode {
	VLAPIC_TIMER_ONESHOT = 0,
	VLAPIC_TIMER_PERIODIC = 1,
	VLAPIC_TIMER_TSC_DEADLINE = 2,
};

/* ESR bits (only those a virtual APIC can raise) */
#define APIC_ESR_SEND_ILLEGAL (1u << 5)
#define APIC_ESR_RECV_ILLEGAL (1u << 6)
#define APIC_ESR_ILLEGAL_REG (1u << 7)

/* Delivery modes (ICR and LVT bits 10:8) */
enum vlapic_dm {
	VLAPIC_DM_FIXED = 0,
	VLAPIC_DM_LOWEST = 1,
	VLAPIC_DM_SMI = 2,
	VLAPIC_DM_NMI = 4,
	VLAPIC_DM_INIT = 5,
	VLAPIC_DM_SIPI = 6,
	VLAPIC_DM_EXTINT = 7, /* LVT only (and IOAPIC messages) */
};

/* ICR destination shorthands (bits 19:18) */
enum vlapic_shorthand {
	VLAPIC_SH_NONE = 0,
	VLAPIC_SH_SELF = 1,
	VLAPIC_SH_ALL = 2,
	VLAPIC_SH_ALL_BUT_SELF = 3,
};

#define VLAPIC_XAPIC_BROADCAST 0xffu
#define VLAPIC_X2APIC_BROADCAST 0xffffffffu

/*
 * An interrupt message: what an ICR write sends (and what the VM builds
 * for IOAPIC messages). `dest` is 8 bits wide when the sender is in xAPIC
 * mode (and for IOAPIC messages), 32 bits in x2APIC mode. `level` is the
 * trigger mode (true = level), `assert` the ICR's level bit: the
 * Pentium 4 and later ignore both for IPIs and send edge/assert, which
 * the ICR decoding reproduces; only INIT keeps them.
 */
struct vlapic_ipi {
	uint8_t vector;
	uint8_t delivery_mode; /* enum vlapic_dm */
	bool logical;
	bool level;
	bool assert;
	uint8_t shorthand; /* enum vlapic_shorthand */
	uint32_t dest;
};

/* Calls out of the model. Each may be NULL. They run inside vlapic_*
 * calls, with the owner's lock held. */
struct vlapic_hooks {
	/* an ICR write: the VM delivers it (including to the sender) */
	void (*send_ipi)(void *ctx, const struct vlapic_ipi *ipi);
	/* EOI of a level-triggered vector, for the IOAPIC's remote IRR */
	void (*eoi_broadcast)(void *ctx, uint8_t vector);
	/* something became pending (IRR, NMI, INIT, SIPI, ExtINT): kick
	 * the vCPU; must only record the fact */
	void (*notify)(void *ctx);
	void *ctx;
};

/*
 * The registers, where the xAPIC page has them: 32 bits at offset 16n of
 * a 4 KiB page (ISR, TMR and IRR as eight such registers each, vector v
 * in bit v % 32 of register v / 32). This is also the layout of VT-x's
 * virtual-APIC page (SDM vol. 3C "Virtual-APIC Page"), so with APIC
 * virtualization the processor and the model share one copy.
 */
struct vlapic_page {
	uint32_t reg[VLAPIC_PAGE_SIZE / 4];
} __attribute__((aligned(VLAPIC_PAGE_SIZE)));

struct vlapic_config {
	struct vlapic_page *page; /* the register storage (required) */
	uint32_t apic_id;	/* the initial (x2)APIC ID; xAPIC ID = low 8 */
	bool bsp;		/* IA32_APIC_BASE.BSP at power-up */
	uint64_t timer_hz;	/* APIC timer input clock, 1..2^32-1 Hz */
	uint8_t phys_bits;	/* MAXPHYADDR for IA32_APIC_BASE checks */
	bool x2apic;		/* CPUID.1:ECX.x2APIC shown to the guest */
	bool eoi_suppression;	/* offer SVR bit 12 (needs an IOAPIC with
				 * an EOI register, version 0x20) */
};

#define VLAPIC_LVT_COUNT 6
enum vlapic_lvt { /* index into lvt[], in register order from 0x320 */
	VLAPIC_LVT_TIMER, VLAPIC_LVT_THERMAL, VLAPIC_LVT_PERF,
	VLAPIC_LVT_LINT0, VLAPIC_LVT_LINT1, VLAPIC_LVT_ERROR,
};

/*
 * One local APIC. The registers are in *page (every one as the guest reads
 * it, except the current count, which is computed); the model keeps its
 * own copy only of those whose old value a write needs (the LVT, the
 * timer's initial count and divide configuration), because with APIC
 * virtualization a write is already in the page when Volt sees it. Read
 * the fields in tests and debug dumps, change them only through vlapic_*.
 */
struct vlapic {
	/* fixed at vlapic_init */
	uint32_t id;
	uint64_t timer_hz;
	uint8_t phys_bits;
	bool x2apic_allowed, eoi_suppression_allowed;
	struct dev_clock clk;
	struct vlapic_hooks hooks;
	struct vlapic_page *page;

	uint64_t apic_base; /* IA32_APIC_BASE */

	/* registers kept beside the page (mirrored into it) */
	uint32_t esr_pending; /* errors since the last ESR write */
	uint32_t lvt[VLAPIC_LVT_COUNT];
	uint32_t timer_icr, timer_dcr;

	/*
	 * APIC virtualization (vlapic_set_apicv). While the guest runs, the
	 * processor owns IRR, ISR, TPR and PPR in the page: interrupts
	 * accepted meanwhile (by another vCPU, a device) wait in posted[]
	 * with their trigger mode in posted_level[] (bhyve's software PIR),
	 * until vlapic_apicv_sync moves them in. apicv_dirty: what the
	 * processor must be told (RVI, SVI, EOI-exit bitmap, mode) changed.
	 */
	bool apicv, apicv_dirty;
	uint32_t posted[8], posted_level[8];

	/*
	 * Timer. Counting runs in timer-clock units measured from dev-clock
	 * time timer_t0: c(now) = (now - timer_t0) * timer_hz / clk.hz. The
	 * next expiry is at c = timer_due; periodic runs add timer_period
	 * (exact: periods never accumulate rounding). t0 moves by whole
	 * seconds (hz ticks = timer_hz clocks) to keep the numbers small.
	 */
	bool timer_armed;
	uint64_t timer_t0, timer_due, timer_period;
	uint64_t tsc_deadline; /* 0 = disarmed */

	/* input pins, as last driven */
	bool lint_level[2];

	/* events for the vCPU (vlapic_take_*) */
	bool nmi_pending, init_pending, sipi_pending, extint_pending;
	uint8_t sipi_vector;

	/* counters for reports */
	uint64_t timer_fired, timer_coalesced;
	uint64_t ipis_sent, smi_ignored, init_deassert_ignored;
	uint64_t bad_ipis;	  /* reserved delivery modes in the ICR */
	uint64_t dropped;	  /* fixed interrupts refused: APIC disabled */
	uint64_t odd_mmio_writes; /* not an aligned 32-bit store: ignored */
};

/* Power-up state ("Local APIC State After Power-Up or Reset"): xAPIC mode
 * at 0xfee00000, enabled in IA32_APIC_BASE, SVR 0xff (software disabled),
 * LVTs masked, everything else 0, DFR all ones. `clk` is copied; the
 * page (cfg->page) is the model's from now on. */
void vlapic_init(struct vlapic *v, const struct vlapic_config *cfg,
		 const struct dev_clock *clk, const struct vlapic_hooks *hooks);

/* INIT reset ("After an INIT Reset"): registers as at power-up, ID and
 * mode (xAPIC, x2APIC, disabled) kept; the BSP flag set from `bsp`. The
 * NMI/INIT/SIPI flags are left alone (an SIPI may already wait). */
void vlapic_reset(struct vlapic *v, bool bsp);

/* What a PC BIOS leaves (MP spec "virtual wire mode"): SVR enabled,
 * LINT0 ExtINT, LINT1 NMI, both unmasked. For guests booted directly. */
void vlapic_virtual_wire(struct vlapic *v);

/* ---- IA32_APIC_BASE ---------------------------------------------------- */
uint64_t vlapic_apic_base(const struct vlapic *v);
/* 0 or VLAPIC_GP: reserved bits, EN=0 with EXTD=1, x2APIC -> xAPIC,
 * disabled -> x2APIC, EXTD without x2APIC in CPUID, or a base address
 * other than 0xfee00000 (relocation is refused). Writes to BSP are
 * ignored. Entering "disabled" resets the registers (ID kept). */
int vlapic_set_apic_base(struct vlapic *v, uint64_t value);
bool vlapic_hw_enabled(const struct vlapic *v);
bool vlapic_x2apic_mode(const struct vlapic *v);
bool vlapic_xapic_mmio_active(const struct vlapic *v);
bool vlapic_sw_enabled(const struct vlapic *v); /* SVR bit 8 */

/* ---- register access ---------------------------------------------------- */
/* Shaped like mmio_bus.h's handlers (dev = the struct vlapic). Aligned
 * 32-bit accesses at offsets 16n are the architectural ones. Reads of 1,
 * 2, 4 or 8 bytes return the bytes at that offset of the 16-byte slot
 * (register in bytes 0-3, zeros above); any other write is ignored and
 * counted. Reserved offsets read 0 and set ESR "illegal register
 * address". While the MMIO page is inactive (x2APIC or disabled), reads
 * return all ones and writes are dropped. Writes never stop the VM. */
void vlapic_mmio_read(void *dev, uint64_t off, unsigned size,
		      uint64_t *value);
int vlapic_mmio_write(void *dev, uint64_t off, unsigned size,
		      uint64_t value);

/* x2APIC MSRs 0x800-0x8ff: 0 or VLAPIC_GP (not in x2APIC mode, no such
 * register, read of a write-only or write of a read-only register,
 * nonzero reserved bits, nonzero EOI/ESR write). */
int vlapic_msr_read(struct vlapic *v, uint32_t msr, uint64_t *value);
int vlapic_msr_write(struct vlapic *v, uint32_t msr, uint64_t value);

void vlapic_set_tpr(struct vlapic *v, uint8_t tpr);
uint8_t vlapic_get_tpr(const struct vlapic *v);
uint8_t vlapic_ppr(const struct vlapic *v);

/* ---- interrupts --------------------------------------------------------- */
/* Accept a fixed interrupt: IRR (TMR set for level, cleared for edge).
 * Vectors 0-15 set ESR "receive illegal vector" instead. Refused (and
 * counted) while the APIC is hardware- or software-disabled. */
void vlapic_accept(struct vlapic *v, uint8_t vector, bool level_triggered);
/* The highest IRR vector whose class beats PPR's, or -1. */
int vlapic_pending(const struct vlapic *v);
/* INTA: moves vlapic_pending() from IRR to ISR and returns it; with none
 * pending (e.g. TPR rose meanwhile) returns the spurious vector (SVR
 * bits 7:0) and sets no ISR bit, as the SDM's "Spurious Interrupt". */
int vlapic_ack(struct vlapic *v);

/* Receive a message (from vlapic_match_dest's winner): fixed and lowest
 * priority are accepted, NMI/INIT/SIPI/ExtINT set the flags below, SMI is
 * counted and ignored, an INIT level de-assert ignored. */
void vlapic_deliver(struct vlapic *v, const struct vlapic_ipi *ipi);
bool vlapic_take_nmi(struct vlapic *v);
bool vlapic_take_init(struct vlapic *v);
bool vlapic_take_sipi(struct vlapic *v, uint8_t *vector);
bool vlapic_take_extint(struct vlapic *v); /* an IOAPIC ExtINT message */

/*
 * Does `ipi`, sent by `source` (NULL: an IOAPIC message, 8-bit xAPIC
 * destination format), reach `target`? Physical (with broadcast 0xff or
 * 0xffffffff), logical flat and cluster (the target's DFR), x2APIC
 * cluster, and the shorthands. A hardware-disabled target never matches.
 */
bool vlapic_match_dest(const struct vlapic *target,
		       const struct vlapic_ipi *ipi,
		       const struct vlapic *source);

/* Input pins. `level` = asserted (polarity is stored, not applied).
 * Fixed mode: edge or level (remote IRR) as programmed; NMI sets the NMI
 * flag on a rising edge; ExtINT does nothing here: see below. */
void vlapic_lint0(struct vlapic *v, bool level);
void vlapic_lint1(struct vlapic *v, bool level);
/* The 8259A's INTR reaches the CPU: LINT0 unmasked in ExtINT mode, or the
 * APIC hardware-disabled (the pin is then the CPU's plain INTR). */
bool vlapic_lint0_extint(const struct vlapic *v);

/* ---- timer -------------------------------------------------------------- */
/* IA32_TSC_DEADLINE in dev-clock ticks (= guest TSC; a VMM that offsets
 * the guest TSC converts). Writes are ignored, reads return 0 unless the
 * LVT timer is in TSC-deadline mode; 0 disarms; reads 0 once fired. */
void vlapic_set_tsc_deadline(struct vlapic *v, uint64_t deadline);
uint64_t vlapic_get_tsc_deadline(const struct vlapic *v);
/* Dev-clock time of the next timer interrupt (in the past when overdue),
 * or DEV_CLOCK_NEVER (disarmed or masked). */
uint64_t vlapic_next_event(const struct vlapic *v);
/* Bring the timer to `now`: fire once (vlapic_accept of the LVT timer
 * vector) if it expired; periods missed meanwhile are counted in
 * timer_coalesced. */
void vlapic_update(struct vlapic *v, uint64_t now);

/* ---- the register page -------------------------------------------------- */
/* The 32-bit register at xAPIC offset `off` as stored in the page (16n). */
static inline uint32_t vlapic_page_reg(const struct vlapic *v, unsigned off)
{
	return v->page->reg[(off & 0xff0) >> 2];
}

/* ---- APIC virtualization (docs/apicv.md) -------------------------------- */
/* Interrupts from now on wait in posted[] for vlapic_apicv_sync (on), or
 * go straight into the IRR again (off: what was posted is moved in). */
void vlapic_set_apicv(struct vlapic *v, bool on);
/* Before an entry: move posted interrupts into IRR/TMR. True when RVI,
 * SVI, the EOI-exit bitmap or the mode may have changed since the last
 * call (then the page's PPR is brought up to date too): reload them. */
bool vlapic_apicv_sync(struct vlapic *v);
/* Interrupts wait in posted[] (accepted since the last sync). */
bool vlapic_posted(const struct vlapic *v);
/* What the processor loads: the highest IRR vector (RVI) and the highest
 * ISR vector (SVI), 0 for none; the vectors whose EOI Volt must see (the
 * TMR: level-triggered ones, for the IOAPIC's remote IRR and LINT
 * inputs), vector v in bit v % 64 of bitmap[v / 64]. */
uint8_t vlapic_rvi(const struct vlapic *v);
uint8_t vlapic_svi(const struct vlapic *v);
void vlapic_eoi_exit_bitmap(const struct vlapic *v, uint64_t bitmap[4]);
/* An APIC-write exit: the guest's write to the register at `off` (bits
 * 11:0 of the exit qualification) is already in the page; do what the
 * write does (an LVT, the timer, an IPI...) and put back the bits and
 * registers a guest cannot change. */
void vlapic_apicv_write(struct vlapic *v, uint32_t off);
/* An EOI-induced exit: the processor retired `vector` from the ISR; do
 * the rest of the EOI (LINT remote IRR, broadcast to the IOAPIC). */
void vlapic_apicv_eoi(struct vlapic *v, uint8_t vector);

#endif
