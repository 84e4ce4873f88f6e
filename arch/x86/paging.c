/*
 * Volt's page tables (see paging.h), built with the pure builder in
 * pagetable.c on frames from the global pool. Identity mapping keeps
 * physical addresses directly usable everywhere in Volt, on both boot paths.
 * Caching: PTEs ask for write-back; the firmware's MTRRs still make the
 * MMIO hole below 4 GiB uncacheable (SDM vol. 3A 11.5.2.2).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/pagetable.h"
#include "arch/x86/paging.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/spinlock.h"
#include "lib/string.h"

#define FOUR_GIB 0x100000000ull
#define CPUID_EXT_NX (1u << 20) /* CPUID 0x80000001 EDX */

static struct pt_ctx kernel_pt;
static uint64_t nx_bit; /* PT_NX when the CPU supports it, else 0 */
static struct spinlock paging_lock = SPINLOCK_INIT;

/* Page tables live below 4 GiB so that APs can load CR3 in 32-bit mode. */
static uint64_t alloc_table(void *unused)
{
	uint64_t phys = frame_alloc_locked(1, FRAME_SIZE, FOUR_GIB);
	if (phys)
		memset((void *)(uintptr_t)phys, 0, FRAME_SIZE);
	return phys;
}

static void *table_ptr(void *unused, uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

static void must(int err, const char *what)
{
	if (err)
		panic("paging: cannot %s (error %d)", what, err);
}

static void enable_nx(void)
{
	struct cpuid_regs r;
	cpuid(0x80000000, 0, &r);
	if (r.eax < 0x80000001)
		return;
	cpuid(0x80000001, 0, &r);
	if (!(r.edx & CPUID_EXT_NX))
		return;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	nx_bit = PT_NX;
}

static uint64_t page_down(uint64_t a) { return a & ~(FRAME_SIZE - 1); }
static uint64_t page_up(uint64_t a) { return page_down(a + FRAME_SIZE - 1); }

/* RAM above 4 GiB: every region the memory map knows, except holes. */
static void map_high_memory(const struct memmap *m)
{
	for (uint32_t i = 0; i < m->count; i++) {
		uint64_t base = page_down(m->r[i].base);
		uint64_t end = page_up(m->r[i].base + m->r[i].length);
		if (end <= FOUR_GIB)
			continue;
		if (base < FOUR_GIB)
			base = FOUR_GIB;
		must(pt_map(&kernel_pt, base, base, end - base,
			    PT_WRITE | nx_bit), "map RAM above 4 GiB");
	}
}

void paging_init(const struct boot_info *bi, const struct memmap *m)
{
	enable_nx();
	kernel_pt = (struct pt_ctx){ .alloc_table = alloc_table,
				     .table_ptr = table_ptr };
	kernel_pt.root = alloc_table(0);
	if (!kernel_pt.root)
		panic("paging: no memory below 4 GiB for the page tables");

	must(pt_map(&kernel_pt, 0, 0, FOUR_GIB, PT_WRITE | nx_bit),
	     "map the first 4 GiB");
	map_high_memory(m);

	uint64_t text = page_down(bi->image_base);
	uint64_t text_end = page_up(bi->text_end);
	uint64_t image_end = page_up(bi->image_end);
	must(pt_map(&kernel_pt, text, text, text_end - text, 0),
	     "map Volt's code read-only");
	must(pt_map(&kernel_pt, text_end, text_end, image_end - text_end,
		    PT_WRITE | nx_bit), "map Volt's data");
	/* NULL dereferences must fault. */
	must(pt_unmap(&kernel_pt, 0, FRAME_SIZE), "unmap page 0");

	write_cr3(kernel_pt.root);
	write_cr0(read_cr0() | CR0_WP); /* read-only holds in ring 0 too */
	printk("paging: identity map of %s RAM, code read-only%s\n",
	       "the first 4 GiB and all",
	       nx_bit ? ", data no-execute" : " (no NX on this CPU)");
}

uint64_t stack_alloc(unsigned pages)
{
	uint64_t base = frame_alloc_locked(pages + 1, FRAME_SIZE, 0);
	if (!base)
		panic("paging: out of memory for a %u-page stack", pages);
	uint64_t flags = spin_lock(&paging_lock);
	must(pt_unmap(&kernel_pt, base, FRAME_SIZE), "unmap a guard page");
	spin_unlock(&paging_lock, flags);
	invlpg((void *)(uintptr_t)base);
	uint64_t bottom = base + FRAME_SIZE;
	memset((void *)(uintptr_t)bottom, 0, pages * FRAME_SIZE);
	return bottom + pages * FRAME_SIZE;
}

int paging_set_identity(uint64_t va, uint64_t len, int write, int exec)
{
	uint64_t flags = (write ? PT_WRITE : 0) | (exec ? 0 : nx_bit);
	uint64_t irq = spin_lock(&paging_lock);
	int err = pt_map(&kernel_pt, va, va, len, flags);
	spin_unlock(&paging_lock, irq);
	for (uint64_t a = va; a < va + len; a += FRAME_SIZE)
		invlpg((void *)(uintptr_t)a);
	return err;
}

uint64_t paging_root(void)
{
	return kernel_pt.root;
}

int paging_is_mapped(uint64_t addr)
{
	uint64_t pa, flags;
	if (!kernel_pt.root)
		return 1; /* still on the loader's map, which covers 4 GiB */
	return pt_lookup(&kernel_pt, addr, &pa, &flags) == PT_OK;
}
