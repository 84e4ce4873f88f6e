/*
 * Multiprocessor bring-up (see smp.h and docs/smp.md).
 *
 * Intel SDM vol. 3A 9.4.4.1 (8.4.4.1 in older editions): the BSP sends each
 * AP an INIT IPI, waits 10 ms, sends a Start-up IPI whose vector is the
 * page the AP starts at (in real mode), waits 200 us and sends a second
 * SIPI if the AP has not started (a SIPI is not retried by hardware and the
 * first may be lost). Volt starts the APs one at a time, so one trampoline
 * page and one parameter block serve them all.
 */
#include "arch/x86/acpi.h"
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/idt.h"
#include "arch/x86/lapic.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/virt.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/string.h"

#define PAGE_SIZE 4096ull
#define PAGE_SHIFT 12

/* A SIPI vector is 8 bits of page number: the page must lie below 1 MiB. */
#define SMP_TRAMPOLINE_BELOW 0x100000ull
/* The trampoline loads CR3 in 32-bit mode. */
#define SMP_CR3_LIMIT (1ull << 32)
/* xAPIC destinations are 8 bits (x2APIC: 32). */
#define SMP_XAPIC_MAX_ID 0xffu

/* Delays of the MP initialization protocol (SDM 9.4.4.1). */
#define SMP_INIT_DELAY_US 10000u
#define SMP_SIPI_DELAY_US 200u
/* How long an AP may take from SIPI to `online`. */
#define SMP_ONLINE_TIMEOUT_US 200000u

/* What the APs inherit from CPU 0's control registers. */
#define SMP_AP_CR0_BITS (CR0_PE | CR0_MP | CR0_ET | CR0_NE | CR0_WP | CR0_PG)
#define SMP_AP_CR4_BITS (CR4_PAE | CR4_PGE)
#define SMP_AP_EFER_BITS (EFER_LME | EFER_NXE)

/*
 * The parameter block at TRAMP_PARAMS in the trampoline page, written by
 * CPU 0 before each SIPI. trampoline.asm has its own copy of the offsets
 * (P_CR3 ...): the asserts below keep the two in step.
 */
#define TRAMP_PARAMS_OFFSET 0x800
#define TRAMP_PARAMS_SIZE 0x40

struct trampoline_params {
	uint64_t cr3;       /* Volt's PML4, below 4 GiB */
	uint64_t cr0;       /* loaded as is: PE, PG, WP, caches on */
	uint64_t cr4;       /* PAE (and PGE) */
	uint64_t efer;      /* ORed into EFER: LME, NXE */
	uint64_t stack_top; /* the AP's stack */
	uint64_t percpu;    /* argument of ap_main */
	uint64_t entry;     /* absolute address of ap_main */
	uint32_t claimed;   /* bit 0: set by the AP that took this block */
	uint32_t reserved;
};

_Static_assert(__builtin_offsetof(struct trampoline_params, cr3) == 0x00,
	       "trampoline.asm P_CR3");
_Static_assert(__builtin_offsetof(struct trampoline_params, cr0) == 0x08,
	       "trampoline.asm P_CR0");
_Static_assert(__builtin_offsetof(struct trampoline_params, cr4) == 0x10,
	       "trampoline.asm P_CR4");
_Static_assert(__builtin_offsetof(struct trampoline_params, efer) == 0x18,
	       "trampoline.asm P_EFER");
_Static_assert(__builtin_offsetof(struct trampoline_params, stack_top) == 0x20,
	       "trampoline.asm P_STACK");
_Static_assert(__builtin_offsetof(struct trampoline_params, percpu) == 0x28,
	       "trampoline.asm P_PERCPU");
_Static_assert(__builtin_offsetof(struct trampoline_params, entry) == 0x30,
	       "trampoline.asm P_ENTRY");
_Static_assert(__builtin_offsetof(struct trampoline_params, claimed) == 0x38,
	       "trampoline.asm P_CLAIMED");
_Static_assert(sizeof(struct trampoline_params) == TRAMP_PARAMS_SIZE,
	       "trampoline.asm parameter block size");
_Static_assert(TRAMP_PARAMS_OFFSET + TRAMP_PARAMS_SIZE <= PAGE_SIZE,
	       "the trampoline fits in one page");

/* The trampoline's bytes in Volt's image (trampoline.asm), never run there. */
extern const uint8_t trampoline_start[] __attribute__((visibility("hidden")));
extern const uint8_t trampoline_end[] __attribute__((visibility("hidden")));

static uint64_t smp_tramp_page; /* physical = virtual, below 1 MiB */

static volatile struct trampoline_params *smp_params(void)
{
	return (volatile struct trampoline_params *)(uintptr_t)(smp_tramp_page +
								TRAMP_PARAMS_OFFSET);
}

/*
 * Volt maps everything but its text NX, including the page the trampoline
 * was copied to. The APs fetch from it with paging on (after CR0.PG and
 * until the call into ap_main), so it must be executable while they start.
 * Only this CPU can hold a stale translation: APs have not started yet
 * (exec) or never fetch from the page again (NX).
 */
static int smp_tramp_set_exec(bool exec)
{
	return paging_set_identity(smp_tramp_page, PAGE_SIZE, 1, exec);
}

/* Copy the trampoline below 1 MiB and fill the parts common to all APs. */
static int smp_tramp_install(void)
{
	size_t len = (size_t)(trampoline_end - trampoline_start);
	volatile struct trampoline_params *p;
	uint64_t root = paging_root();

	if (len != TRAMP_PARAMS_OFFSET + TRAMP_PARAMS_SIZE)
		panic("smp: trampoline is %zu bytes, smp.c expects %u", len,
		      TRAMP_PARAMS_OFFSET + TRAMP_PARAMS_SIZE);
	if (root == 0 || root >= SMP_CR3_LIMIT) {
		printk("error: smp: page tables at 0x%llx, APs need them below 4 GiB\n",
		       (unsigned long long)root);
		return -1;
	}
	smp_tramp_page = frame_alloc_locked(1, PAGE_SIZE, SMP_TRAMPOLINE_BELOW);
	if (smp_tramp_page == 0) {
		printk("error: smp: no free page below 1 MiB for the AP trampoline\n");
		return -1;
	}
	memcpy((void *)(uintptr_t)smp_tramp_page, trampoline_start, len);
	p = smp_params();
	p->cr3 = root;
	p->cr0 = read_cr0() & SMP_AP_CR0_BITS;
	p->cr4 = (read_cr4() & SMP_AP_CR4_BITS) | CR4_PAE;
	p->efer = rdmsr(MSR_EFER) & SMP_AP_EFER_BITS;
	p->entry = (uint64_t)(uintptr_t)ap_main;
	if (smp_tramp_set_exec(true)) {
		printk("error: smp: cannot map the AP trampoline at 0x%llx executable\n",
		       (unsigned long long)smp_tramp_page);
		return -1;
	}
	return 0;
}

/* Busy-wait up to us microseconds for *flag; returns its final value. */
static bool smp_wait_flag(const volatile bool *flag, uint64_t us)
{
	uint64_t start = rdtsc(), ticks = tsc_ns_to_ticks(us * 1000);

	while (!*flag) {
		if (rdtsc() - start >= ticks)
			return false;
		cpu_relax();
	}
	return true;
}

static bool smp_ap_claimed(void)
{
	return __atomic_load_n(&smp_params()->claimed, __ATOMIC_ACQUIRE) != 0;
}

/* INIT-SIPI-SIPI for one AP; true once it reported online. */
static bool smp_start_ap(struct percpu *c)
{
	volatile struct trampoline_params *p = smp_params();
	uint8_t vector = (uint8_t)(smp_tramp_page >> PAGE_SHIFT);

	p->stack_top = c->stack_top;
	p->percpu = (uint64_t)(uintptr_t)c;
	p->claimed = 0;
	/* lapic_send_ipi orders these stores before the IPI. */
	lapic_send_init(c->apic_id);
	udelay(SMP_INIT_DELAY_US);
	lapic_send_sipi(c->apic_id, vector);
	udelay(SMP_SIPI_DELAY_US);
	if (!smp_ap_claimed()) {
		lapic_send_sipi(c->apic_id, vector);
		udelay(SMP_SIPI_DELAY_US);
	}
	if (smp_wait_flag(&c->online, SMP_ONLINE_TIMEOUT_US))
		return true;
	printk("smp: cpu %u (apic %u) did not start%s\n", c->index,
	       c->apic_id, smp_ap_claimed() ? " (stuck in the trampoline)" : "");
	/* Park it in wait-for-SIPI, so it can never run on c's stack later
	 * while the next AP uses it. */
	lapic_send_init(c->apic_id);
	return false;
}

/* Fill cpus[index] for the processor with this APIC ID. */
static void smp_prepare_cpu(struct percpu *c, uint32_t index, uint32_t apic)
{
	c->index = index;
	c->apic_id = apic;
	c->online = false;
	/* A slot whose previous AP failed keeps its stacks. */
	if (c->stack_top == 0)
		c->stack_top = stack_alloc(SMP_AP_STACK_PAGES);
	cpu_tables_alloc_ist(c);
}

/* Can we start this MADT entry? Prints why not. */
static bool smp_can_start(uint32_t apic, uint32_t next)
{
	if (next >= MAX_CPUS) {
		printk("smp: apic %u skipped: Volt supports %u CPUs\n", apic,
		       MAX_CPUS);
		return false;
	}
	if (apic > SMP_XAPIC_MAX_ID && !lapic_is_x2apic()) {
		printk("smp: apic %u skipped: xAPIC mode cannot address it\n",
		       apic);
		return false;
	}
	return true;
}

void smp_boot_aps(const struct acpi_info *acpi)
{
	uint32_t bsp = lapic_id(), i, next = 1;
	bool bsp_listed = false;

	if (acpi == NULL || acpi->cpu_count == 0) {
		printk("smp: no processors in the MADT, running on CPU 0 only\n");
		return;
	}
	/* On failure (reported) smp_tramp_page stays 0: CPU 0 only. */
	if (acpi->cpu_count > 1)
		smp_tramp_install();
	for (i = 0; i < acpi->cpu_count; i++) {
		uint32_t apic = acpi->cpus[i].apic_id;

		if (apic == bsp) {
			bsp_listed = true;
			continue;
		}
		if (smp_tramp_page == 0 || !smp_can_start(apic, next))
			continue;
		smp_prepare_cpu(&cpus[next], next, apic);
		if (smp_start_ap(&cpus[next]))
			cpu_count = ++next;
	}
	if (smp_tramp_page != 0)
		smp_tramp_set_exec(false);
	if (!bsp_listed)
		printk("smp: warning: CPU 0 (apic %u) is not in the MADT\n", bsp);
	printk("smp: %u of %u CPUs online\n", next,
	       acpi->cpu_count + (bsp_listed ? 0 : 1));
}

/* The wake-up IPI only ends HLT; the idle loop looks for work itself. */
static void smp_wakeup_handler(struct trap_frame *f)
{
	lapic_eoi();
}

bool smp_run_on(uint32_t index, void (*fn)(void *), void *arg)
{
	if (index >= cpu_count || !cpus[index].online || !cpus[index].idle ||
	    cpus[index].work)
		return false;
	struct percpu *c = &cpus[index];
	c->work_arg = arg;
	__atomic_store_n(&c->work, fn, __ATOMIC_RELEASE);
	lapic_send_ipi(c->apic_id, SMP_WAKEUP_VECTOR | LAPIC_ICR_DELIVERY_FIXED |
					   LAPIC_ICR_DEST_PHYSICAL |
					   LAPIC_ICR_LEVEL_ASSERT);
	return true;
}

/* The same IPI brings a CPU out of a guest: with external-interrupt
 * exiting, any interrupt ends VMX non-root operation. */
void smp_kick(uint32_t index)
{
	if (index < cpu_count && cpus[index].online)
		lapic_send_ipi(cpus[index].apic_id,
			       SMP_WAKEUP_VECTOR | LAPIC_ICR_DELIVERY_FIXED |
				       LAPIC_ICR_DEST_PHYSICAL |
				       LAPIC_ICR_LEVEL_ASSERT);
}

void cpu_idle_loop(void)
{
	struct percpu *c = this_cpu();
	idt_set_handler(SMP_WAKEUP_VECTOR, smp_wakeup_handler);
	for (;;) {
		cli();
		void (*fn)(void *) = __atomic_load_n(&c->work, __ATOMIC_ACQUIRE);
		if (fn) {
			c->idle = false;
			fn(c->work_arg);
			c->work = 0;
			c->idle = true;
			continue;
		}
		c->idle = true;
		/* STI takes effect after the next instruction, so no wake-up
		 * can slip in between it and HLT and leave us asleep. */
		sti();
		hlt();
	}
}

void ap_main(struct percpu *c)
{
	uint32_t id;

	cpu_tables_init(c);
	lapic_init();
	id = lapic_id();
	if (id != c->apic_id)
		printk("smp: cpu %u: apic id %u, the MADT said %u\n", c->index,
		       id, c->apic_id);
	/* Report first, then release CPU 0: keeps the boot log in order. */
	printk("cpu %u (apic %u) online\n", c->index, id);
	if (virt_enabled)
		virt_cpu_enable();
	__atomic_store_n(&c->online, true, __ATOMIC_RELEASE);
	cpu_idle_loop();
}
