/*
 * Volt's page tables (see paging.h), built with the pure builder in
 * pagetable.c on frames from the global pool (Intel SDM vol. 3A 4.5 for
 * 4-level paging, 4.6 for how WP and NX restrict accesses, 4.10.4 for TLB
 * invalidation). Identity mapping keeps physical addresses directly usable
 * everywhere in Volt, on both boot paths.
 *
 * Caching: the entries ask for write-back; the firmware's MTRRs still make
 * the MMIO hole below 4 GiB uncacheable (SDM vol. 3A 11.5.2.2), which is
 * what the LAPIC, IOAPIC and HPET need.
 *
 * Locking: paging_lock guards the tables after paging_init(); the builder
 * allocates frames through frame_alloc_locked(), whose lock nests inside.
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
/* CPUID leaves and bits (SDM vol. 2A, CPUID). */
#define CPUID_EXT_MAX_LEAF 0x80000000u
#define CPUID_EXT_FEATURES 0x80000001u
#define   CPUID_EXT_FEATURES_EDX_NX (1u << 20)
#define CPUID_EXT_ADDR_SIZES 0x80000008u
#define   CPUID_ADDR_SIZES_PHYS_MASK 0xffu /* EAX[7:0]: MAXPHYADDR */
/* Without leaf 0x80000008 the SDM says MAXPHYADDR is 36. */
#define PAGING_DEFAULT_PHYS_BITS 36
/* Identity mapping needs a canonical lower-half address: below 2^47. */
#define PAGING_IDENTITY_LIMIT (1ull << 47)
/* Above this many pages, one CR3 reload is cheaper than INVLPGs. */
#define PAGING_INVLPG_MAX 64

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
		panic("paging: cannot %s (pt error %d)", what, err);
}

static uint32_t cpuid_max_ext_leaf(void)
{
	struct cpuid_regs r;

	cpuid(CPUID_EXT_MAX_LEAF, 0, &r);
	return r.eax;
}

/* EFER.NXE before any entry carries bit 63: without it the bit is
 * reserved and every access through such an entry faults. */
static void enable_nx(void)
{
	struct cpuid_regs r;

	if (cpuid_max_ext_leaf() < CPUID_EXT_FEATURES)
		return;
	cpuid(CPUID_EXT_FEATURES, 0, &r);
	if (!(r.edx & CPUID_EXT_FEATURES_EDX_NX))
		return;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	nx_bit = PT_NX;
}

/* End of the physical address space we can identity-map. */
static uint64_t identity_limit(void)
{
	unsigned bits = PAGING_DEFAULT_PHYS_BITS;
	struct cpuid_regs r;

	if (cpuid_max_ext_leaf() >= CPUID_EXT_ADDR_SIZES) {
		cpuid(CPUID_EXT_ADDR_SIZES, 0, &r);
		bits = r.eax & CPUID_ADDR_SIZES_PHYS_MASK;
	}
	if (bits >= 47)
		return PAGING_IDENTITY_LIMIT;
	return 1ull << bits;
}

static uint64_t page_down(uint64_t a) { return a & ~(FRAME_SIZE - 1); }
static uint64_t page_up(uint64_t a) { return page_down(a + FRAME_SIZE - 1); }

/* Memory Volt or a guest may touch: everything but holes, firmware-owned
 * ranges and bad RAM. */
static int is_ram(uint32_t type)
{
	return type != MEM_RESERVED && type != MEM_BAD;
}

/* RAM above 4 GiB: every RAM region of the map, up to what the CPU can
 * address. Reserved ranges up there (64-bit PCI BARs) are mapped later by
 * whoever needs them, with paging_set_identity(). */
static void map_high_memory(const struct memmap *m)
{
	uint64_t limit = identity_limit();

	for (uint32_t i = 0; i < m->count; i++) {
		const struct mem_region *r = &m->r[i];
		uint64_t base = page_down(r->base);
		uint64_t end = page_up(r->base + r->length);

		if (!is_ram(r->type) || end <= FOUR_GIB)
			continue;
		if (base < FOUR_GIB)
			base = FOUR_GIB;
		if (end > limit || end < base) {
			printk("paging: RAM above 0x%lx not mapped (the CPU "
			       "cannot address it)\n", (unsigned long)limit);
			end = limit;
			if (end <= base)
				continue;
		}
		must(pt_map(&kernel_pt, base, base, end - base,
			    PT_WRITE | nx_bit), "map RAM above 4 GiB");
	}
}

/* Volt's image: [image_base, text_end) read-only + executable, the rest
 * writable + NX. Both linker scripts start the next section on a page
 * boundary after the code, so rounding text_end up never makes data
 * read-only. */
static void map_image(const struct boot_info *bi)
{
	uint64_t text = page_down(bi->image_base);
	uint64_t text_end = page_up(bi->text_end);
	uint64_t image_end = page_up(bi->image_end);

	if (!(text < text_end && text_end <= image_end))
		panic("paging: bad image bounds base 0x%lx text end 0x%lx "
		      "end 0x%lx", (unsigned long)bi->image_base,
		      (unsigned long)bi->text_end,
		      (unsigned long)bi->image_end);
	must(pt_map(&kernel_pt, text, text, text_end - text, 0),
	     "map Volt's code read-only");
	must(pt_map(&kernel_pt, text_end, text_end, image_end - text_end,
		    PT_WRITE | nx_bit), "map Volt's data");
}

void paging_init(const struct boot_info *bi, const struct memmap *m)
{
	enable_nx();
	kernel_pt = (struct pt_ctx){ .alloc_table = alloc_table,
				     .table_ptr = table_ptr };
	kernel_pt.root = alloc_table(NULL);
	if (!kernel_pt.root)
		panic("paging: no memory below 4 GiB for the page tables");

	/* All of [0, 4 GiB): RAM, and the LAPIC, IOAPIC and ACPI MMIO. */
	must(pt_map(&kernel_pt, 0, 0, FOUR_GIB, PT_WRITE | nx_bit),
	     "map the first 4 GiB");
	map_high_memory(m);
	map_image(bi);
	/* NULL dereferences must fault. */
	must(pt_unmap(&kernel_pt, 0, FRAME_SIZE), "unmap page 0");

	/* Loading CR3 also flushes every non-global TLB entry of the
	 * loader's map (SDM vol. 3A 4.10.4.1). */
	write_cr3(kernel_pt.root);
	write_cr0(read_cr0() | CR0_WP); /* read-only holds in ring 0 too */
	printk("paging: identity map of the first 4 GiB and all RAM, page 0 "
	       "unmapped, code read-only%s\n",
	       nx_bit ? ", data no-execute" : " (no NX on this CPU)");
}

/* Drop this CPU's stale translations for [va, va+len). */
static void flush_range(uint64_t va, uint64_t len)
{
	if (len / FRAME_SIZE > PAGING_INVLPG_MAX) {
		write_cr3(read_cr3());
		return;
	}
	for (uint64_t a = va; a < va + len; a += FRAME_SIZE)
		invlpg((void *)(uintptr_t)a);
}

uint64_t stack_alloc(unsigned pages)
{
	if (pages == 0)
		panic("paging: a stack of 0 pages");
	uint64_t guard = frame_alloc_locked(pages + 1ull, FRAME_SIZE, 0);
	if (!guard)
		panic("paging: out of memory for a %u-page stack", pages);

	uint64_t flags = spin_lock(&paging_lock);
	must(pt_unmap(&kernel_pt, guard, FRAME_SIZE), "unmap a guard page");
	spin_unlock(&paging_lock, flags);
	flush_range(guard, FRAME_SIZE);

	uint64_t bottom = guard + FRAME_SIZE;
	memset((void *)(uintptr_t)bottom, 0, pages * FRAME_SIZE);
	return bottom + pages * FRAME_SIZE;
}

int paging_set_identity(uint64_t va, uint64_t len, int write, int exec)
{
	uint64_t flags = (write ? PT_WRITE : 0) | (exec ? 0 : nx_bit);
	uint64_t irq = spin_lock(&paging_lock);
	int err = pt_map(&kernel_pt, va, va, len, flags);

	spin_unlock(&paging_lock, irq);
	flush_range(va, len);
	return err;
}

uint64_t paging_root(void)
{
	return kernel_pt.root;
}

