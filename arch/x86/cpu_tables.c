/*
 * Per-CPU GDT and TSS, and loading them (see cpu_tables.h).
 *
 * Intel SDM vol. 3A 3.4.5 (segment descriptor fields), 5.2.1 (in 64-bit
 * mode base and limit of code and data segments are ignored; only L, D, P,
 * DPL and the type matter), 7.2.3 (the 16-byte TSS descriptor), 7.7 (the
 * 64-bit TSS), 3.4.4 and 5.8.3 (far return to load CS).
 */
#include <stdint.h>
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/idt.h"
#include "arch/x86/msr.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "lib/console.h"
#include "lib/string.h"

/* Code/data descriptor bits (SDM vol. 3A figure 3-8). */
#define SEG_LIMIT_LOW 0xffffull           /* limit 15:0 */
#define SEG_LIMIT_HIGH (0xfull << 48)     /* limit 19:16 */
#define SEG_ACCESSED (1ull << 40)
#define SEG_READ_WRITE (1ull << 41)       /* code: readable; data: writable */
#define SEG_CODE (1ull << 43)             /* executable */
#define SEG_CODE_OR_DATA (1ull << 44)     /* S=1: not a system descriptor */
#define SEG_PRESENT (1ull << 47)
#define SEG_LONG (1ull << 53)             /* L: 64-bit code */
#define SEG_DEFAULT_32 (1ull << 54)       /* D/B: must be 0 when L=1 */
#define SEG_GRANULARITY_4K (1ull << 55)

/*
 * The accessed bit is preset so the CPU never has to write the GDT when a
 * selector is loaded. The limits are ignored in 64-bit mode but set to the
 * maximum so the descriptors also read sensibly to tools and to VT-x checks.
 */
#define GDT_KERNEL_CODE_DESC                                                 \
	(SEG_LIMIT_LOW | SEG_LIMIT_HIGH | SEG_ACCESSED | SEG_READ_WRITE |     \
	 SEG_CODE | SEG_CODE_OR_DATA | SEG_PRESENT | SEG_LONG |              \
	 SEG_GRANULARITY_4K)
#define GDT_KERNEL_DATA_DESC                                                 \
	(SEG_LIMIT_LOW | SEG_LIMIT_HIGH | SEG_ACCESSED | SEG_READ_WRITE |     \
	 SEG_CODE_OR_DATA | SEG_PRESENT | SEG_DEFAULT_32 | SEG_GRANULARITY_4K)

/* System descriptor type: available 64-bit TSS (SDM vol. 3A table 3-2). */
#define SYS_TYPE_TSS64_AVAILABLE (0x9ull << 40)

_Static_assert(sizeof(struct tss64) == TSS64_SIZE, "SDM figure 7-11");
_Static_assert(GDT_TSS_SEL / 8 + 2 == GDT_ENTRIES, "TSS takes the last two");

/* The two 8-byte halves of a 64-bit TSS descriptor (SDM figure 7-4). */
static void gdt_set_tss(uint64_t *slot, const struct tss64 *tss)
{
	uint64_t base = (uint64_t)(uintptr_t)tss;
	uint64_t limit = TSS64_SIZE - 1;

	slot[0] = (limit & 0xffff) |               /* limit 15:0 */
		  ((base & 0xffffff) << 16) |      /* base 23:0 */
		  SYS_TYPE_TSS64_AVAILABLE | SEG_PRESENT |
		  (((limit >> 16) & 0xf) << 48) |  /* limit 19:16 */
		  (((base >> 24) & 0xff) << 56);   /* base 31:24 */
	slot[1] = base >> 32;                      /* base 63:32 */
}

/*
 * Rebuilt from scratch on every call: a TSS descriptor left busy by an
 * earlier `ltr` would make the next `ltr` fault (#GP).
 */
static void gdt_build(struct cpu_tables *t)
{
	memset(t->gdt, 0, sizeof(t->gdt));
	t->gdt[GDT_KERNEL_CS / 8] = GDT_KERNEL_CODE_DESC;
	t->gdt[GDT_KERNEL_DS / 8] = GDT_KERNEL_DATA_DESC;
	gdt_set_tss(&t->gdt[GDT_TSS_SEL / 8], &t->tss);
}

static void tss_build(struct cpu_tables *t)
{
	memset(&t->tss, 0, sizeof(t->tss));
	for (unsigned i = 0; i < IST_STACKS; i++)
		t->tss.ist[i] = t->ist_top[i];
	/* An I/O map base at or past the limit means "no I/O bitmap". */
	t->tss.iomap_base = TSS64_SIZE;
}

/*
 * lgdt, then reload every segment register: CS only changes through a far
 * transfer, so push the new CS and a RIP-relative return address and
 * `lretq` to the next instruction. FS and GS get the null selector: in
 * 64-bit mode their bases come from MSRs, written afterwards.
 */
static void gdt_load(const struct cpu_tables *t)
{
	struct desc_ptr p = { sizeof(t->gdt) - 1, (uint64_t)(uintptr_t)t->gdt };
	__asm__ volatile("lgdt %[gdtr]\n\t"
			 "pushq %[cs]\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %[ds], %%eax\n\t"
			 "movw %%ax, %%ds\n\t"
			 "movw %%ax, %%es\n\t"
			 "movw %%ax, %%ss\n\t"
			 "xorl %%eax, %%eax\n\t"
			 "movw %%ax, %%fs\n\t"
			 "movw %%ax, %%gs"
			 :
			 : [gdtr] "m"(p), [cs] "i"(GDT_KERNEL_CS),
			   [ds] "i"(GDT_KERNEL_DS)
			 : "rax", "memory");
}

void cpu_tables_alloc_ist(struct percpu *c)
{
	for (unsigned i = 0; i < IST_STACKS; i++) {
		if (c->tables.ist_top[i])
			continue;
		c->tables.ist_top[i] = stack_alloc(IST_STACK_PAGES);
		if (!c->tables.ist_top[i])
			panic("cpu tables: no memory for IST stack %u of CPU %u",
			      i + 1, c->index);
	}
}

void cpu_tables_init(struct percpu *c)
{
	struct cpu_tables *t = &c->tables;

	cpu_tables_alloc_ist(c);
	tss_build(t);
	gdt_build(t);
	gdt_load(t);
	ltr(GDT_TSS_SEL);

	/* After the GS reload above (which may clear its base), not before. */
	c->self = c;
	wrmsr(MSR_GS_BASE, (uint64_t)(uintptr_t)c);

	/* Last: from here on exceptions are reported, using this_cpu(). */
	idt_load();
}
