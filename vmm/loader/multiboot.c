/*
 * Multiboot v1 loader (see multiboot.h). Follows the Multiboot
 * Specification 0.6.96: 3.1 "OS image format", 3.2 "Machine state",
 * 3.3 "Boot information format"; ELF program headers per the System V
 * ABI (gABI "Program Header", PT_LOAD: p_offset, p_paddr, p_filesz,
 * p_memsz).
 *
 * Steps: find and check the header, turn the image into a list of
 * segments (from the a.out-kludge address fields when flags bit 16 is
 * set, else from the ELF program headers), check every segment and the
 * entry point against the VM, place the module, and only then write
 * anything to RAM.
 *
 * Choices the spec leaves open:
 *  - Flags bit 2 (video mode) is a requirement bit, but the spec's
 *    graphics fields are "only recommended" and the information
 *    structure simply lacks the VBE/framebuffer fields (info flags bits
 *    11/12 clear) when there is no video: Volt has no display, so it
 *    loads the image, ignores the request and says so in the result.
 *  - ELF entry: e_entry is a virtual address; like GRUB, Volt finds the
 *    PT_LOAD segment whose [p_vaddr, p_vaddr + p_filesz) holds it and
 *    starts at the matching physical address (the same value when
 *    p_vaddr == p_paddr, the usual case).
 *  - The module is always page-aligned (not only when bit 0 asks) and
 *    put right after the kernel's highest byte (bss included), or at
 *    1 MiB when that would cross the reserved BIOS area.
 *  - mem_lower / mem_upper come from the e820 map the guest also gets
 *    (639 KiB below the EBDA at 0x9fc00; RAM from 1 MiB to its end), so
 *    the two views agree.
 */
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/loader/guest_layout.h"
#include "vmm/loader/multiboot.h"

#define ELF_MAGIC "\177ELF"
#define ELFCLASS32 1
#define ELFCLASS64 2
#define ELFDATA2LSB 1
#define ET_EXEC 2
#define EM_386 3
#define EM_X86_64 62
#define PT_LOAD 1
#define ELF32_EHDR_SIZE 52
#define ELF64_EHDR_SIZE 64
#define ELF32_PHDR_SIZE 32
#define ELF64_PHDR_SIZE 56

#define LIMIT_32BIT (1ull << 32)

_Static_assert(GUEST_E820_MAX * MB_MMAP_ENTRY_SIZE <=
		       MB_MMAP_END - MB_MMAP_ADDR,
	       "the memory map area holds every e820 entry");

/* A piece of the image to load: file bytes [offset, offset + filesz) go
 * to guest-physical paddr; [paddr + filesz, paddr + memsz) is zeroed. */
struct mb_segment {
	uint64_t paddr;
	uint64_t offset;
	uint64_t filesz;
	uint64_t memsz;
};

/* Everything decided before RAM is written. */
struct mb_plan {
	uint32_t header_offset;
	uint32_t flags;
	enum multiboot_format format;
	struct mb_segment seg[MB_MAX_SEGMENTS];
	unsigned nseg;
	uint64_t entry;
	uint64_t load_start, load_end;
	uint64_t module_addr, module_size;
	size_t cmdline_len, name_len;
};

struct mb_ctx {
	const uint8_t *f;
	size_t size;
	char *err;
	size_t errlen;
};

#define FAIL(c, ...)                                                   \
	do {                                                           \
		volt_snprintf((c)->err, (c)->errlen, __VA_ARGS__);     \
		return -1;                                             \
	} while (0)

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static size_t search_end(size_t size)
{
	return size < MB_SEARCH_BYTES ? size : MB_SEARCH_BYTES;
}

static bool header_valid(const uint8_t *h)
{
	return le32(h + MBH_MAGIC) == MB_HEADER_MAGIC &&
	       (uint32_t)(le32(h + MBH_MAGIC) + le32(h + MBH_FLAGS) +
			  le32(h + MBH_CHECKSUM)) == 0;
}

bool multiboot_is_image(const void *file, size_t size)
{
	const uint8_t *f = file;
	for (size_t off = 0; off + MBH_SIZE <= search_end(size); off += 4)
		if (header_valid(f + off))
			return true;
	return false;
}

/* Spec 3.1: magic, checksum, within the first 8 KiB, 4-byte aligned. */
static int find_header(struct mb_ctx *c, struct mb_plan *p)
{
	size_t end = search_end(c->size), bad = 0;
	bool seen_bad = false;

	for (size_t off = 0; off + MBH_SIZE <= end; off += 4) {
		const uint8_t *h = c->f + off;
		if (header_valid(h)) {
			p->header_offset = (uint32_t)off;
			p->flags = le32(h + MBH_FLAGS);
			return 0;
		}
		if (le32(h) == MB_HEADER_MAGIC && !seen_bad) {
			seen_bad = true;
			bad = off;
		}
	}
	if (seen_bad)
		FAIL(c, "Multiboot header at offset %#zx has a bad checksum "
		     "(magic + flags + checksum must be 0 mod 2^32, is %#x)",
		     bad, (uint32_t)(le32(c->f + bad) + le32(c->f + bad + 4) +
				     le32(c->f + bad + 8)));
	FAIL(c, "no Multiboot header (magic 0x1BADB002, 4-byte aligned) in "
	     "the first 8 KiB of the %zu-byte file", c->size);
}

static int check_flags(struct mb_ctx *c, const struct mb_plan *p)
{
	uint32_t unknown = p->flags & MBH_REQUIRED_MASK & ~MBH_KNOWN_REQUIRED;

	if (unknown)
		FAIL(c, "Multiboot header requires features Volt does not know "
		     "(flags bits %#x); the spec says to refuse the image",
		     unknown);
	if ((p->flags & MBH_AOUT_KLUDGE) &&
	    p->header_offset + MBH_SIZE_KLUDGE > search_end(c->size))
		FAIL(c, "Multiboot header at offset %#x: its address fields "
		     "run past the first 8 KiB (or the file)",
		     p->header_offset);
	return 0;
}

/* Spec 3.1.3: the header's address fields say what to load where. */
static int parse_kludge(struct mb_ctx *c, struct mb_plan *p)
{
	const uint8_t *h = c->f + p->header_offset;
	uint32_t header_addr = le32(h + MBH_HEADER_ADDR);
	uint32_t load_addr = le32(h + MBH_LOAD_ADDR);
	uint32_t load_end = le32(h + MBH_LOAD_END_ADDR);
	uint32_t bss_end = le32(h + MBH_BSS_END_ADDR);
	struct mb_segment *s = &p->seg[0];

	if (load_addr > header_addr)
		FAIL(c, "a.out kludge: load_addr %#x is above header_addr %#x",
		     load_addr, header_addr);
	if (header_addr - load_addr > p->header_offset)
		FAIL(c, "a.out kludge: load_addr %#x would start %u bytes "
		     "before the file", load_addr,
		     header_addr - load_addr - p->header_offset);
	s->paddr = load_addr;
	s->offset = p->header_offset - (header_addr - load_addr);
	if (load_end == 0) /* "text and data occupy the whole file" */
		s->filesz = c->size - s->offset;
	else if (load_end < load_addr ||
		 s->offset + (load_end - load_addr) > c->size)
		FAIL(c, "a.out kludge: load_end_addr %#x is before load_addr "
		     "%#x or past the end of the %zu-byte file", load_end,
		     load_addr, c->size);
	else
		s->filesz = load_end - load_addr;
	s->memsz = s->filesz;
	if (bss_end) {
		if (bss_end < load_addr + s->filesz)
			FAIL(c, "a.out kludge: bss_end_addr %#x is below the "
			     "end of the loaded image (%#llx)", bss_end,
			     (unsigned long long)(load_addr + s->filesz));
		s->memsz = bss_end - load_addr;
	}
	p->nseg = 1;
	p->entry = le32(h + MBH_ENTRY_ADDR);
	p->format = MULTIBOOT_AOUT_KLUDGE;
	if (p->entry < s->paddr || p->entry >= s->paddr + s->filesz)
		FAIL(c, "a.out kludge: entry_addr %#llx is outside the loaded "
		     "image [%#llx, %#llx)", (unsigned long long)p->entry,
		     (unsigned long long)s->paddr,
		     (unsigned long long)(s->paddr + s->filesz));
	return 0;
}

/* One program header: PT_LOAD segments join the plan. */
static int add_phdr(struct mb_ctx *c, struct mb_plan *p, const uint8_t *ph,
		    bool is64, uint64_t e_entry)
{
	uint32_t type = le32(ph);
	uint64_t offset = is64 ? le64(ph + 8) : le32(ph + 4);
	uint64_t vaddr = is64 ? le64(ph + 16) : le32(ph + 8);
	uint64_t paddr = is64 ? le64(ph + 24) : le32(ph + 12);
	uint64_t filesz = is64 ? le64(ph + 32) : le32(ph + 16);
	uint64_t memsz = is64 ? le64(ph + 40) : le32(ph + 20);

	if (type != PT_LOAD || memsz == 0)
		return 0;
	if (filesz > memsz || offset > c->size || filesz > c->size - offset)
		FAIL(c, "ELF PT_LOAD segment at %#llx: file bytes [%#llx, "
		     "+%#llx) are past the file's end or exceed p_memsz",
		     (unsigned long long)paddr, (unsigned long long)offset,
		     (unsigned long long)filesz);
	if (p->nseg == MB_MAX_SEGMENTS)
		FAIL(c, "ELF image has more than %d PT_LOAD segments",
		     MB_MAX_SEGMENTS);
	p->seg[p->nseg++] = (struct mb_segment){ paddr, offset, filesz, memsz };
	if (e_entry >= vaddr && e_entry - vaddr < filesz)
		p->entry = paddr + (e_entry - vaddr);
	return 0;
}

static int check_elf_ident(struct mb_ctx *c, bool *is64)
{
	const uint8_t *f = c->f;

	if (c->size < ELF32_EHDR_SIZE || memcmp(f, ELF_MAGIC, 4))
		FAIL(c, "Multiboot image is neither ELF nor marked for the "
		     "a.out kludge (header flags bit 16): Volt cannot tell "
		     "where to load it");
	*is64 = f[4] == ELFCLASS64;
	if ((f[4] != ELFCLASS32 && f[4] != ELFCLASS64) || f[5] != ELFDATA2LSB ||
	    (*is64 && c->size < ELF64_EHDR_SIZE))
		FAIL(c, "ELF image is not 32- or 64-bit little-endian");
	if (le16(f + 16) != ET_EXEC ||
	    le16(f + 18) != (*is64 ? EM_X86_64 : EM_386))
		FAIL(c, "ELF image is not an x86 executable (e_type %u, "
		     "e_machine %u)", le16(f + 16), le16(f + 18));
	return 0;
}

/* Spec 3.1.2: ELF images load by their program headers. */
static int parse_elf(struct mb_ctx *c, struct mb_plan *p)
{
	const uint8_t *f = c->f;
	bool is64;

	if (check_elf_ident(c, &is64))
		return -1;
	uint64_t e_entry = is64 ? le64(f + 24) : le32(f + 24);
	uint64_t phoff = is64 ? le64(f + 32) : le32(f + 28);
	uint16_t phentsize = le16(f + (is64 ? 54 : 42));
	uint16_t phnum = le16(f + (is64 ? 56 : 44));

	if (phentsize < (is64 ? ELF64_PHDR_SIZE : ELF32_PHDR_SIZE) ||
	    phoff > c->size ||
	    (uint64_t)phnum * phentsize > c->size - phoff)
		FAIL(c, "ELF program header table (offset %#llx, %u entries "
		     "of %u bytes) lies outside the file",
		     (unsigned long long)phoff, phnum, phentsize);
	p->format = is64 ? MULTIBOOT_ELF64 : MULTIBOOT_ELF32;
	p->entry = ~0ull;
	for (unsigned i = 0; i < phnum; i++)
		if (add_phdr(c, p, f + phoff + (uint64_t)i * phentsize, is64,
			     e_entry))
			return -1;
	if (p->nseg == 0)
		FAIL(c, "ELF image has no PT_LOAD segment");
	if (p->entry == ~0ull)
		FAIL(c, "ELF entry point %#llx is in no loaded segment",
		     (unsigned long long)e_entry);
	return 0;
}

/* Every segment inside RAM and below 4 GiB, clear of Volt's low boot
 * data and of the reserved BIOS area. */
static int check_segment(struct mb_ctx *c, const struct mb_segment *s,
			 uint64_t ram_bytes)
{
	unsigned long long a = s->paddr, e = s->paddr + s->memsz;

	if (s->paddr >= LIMIT_32BIT || s->memsz > LIMIT_32BIT - s->paddr)
		FAIL(c, "segment [%#llx, +%#llx) is not below 4 GiB, out of "
		     "reach of a 32-bit kernel", a,
		     (unsigned long long)s->memsz);
	if (guest_ranges_overlap(s->paddr, s->memsz, 0, GUEST_LOW_BOOT_END))
		FAIL(c, "segment [%#llx, %#llx) overlaps Volt's boot area "
		     "[0, %#llx) (boot GDT, Multiboot info at %#x)", a, e,
		     GUEST_LOW_BOOT_END, MB_INFO_ADDR);
	if (guest_ranges_overlap(s->paddr, s->memsz, GUEST_BIOS_START,
				 GUEST_HIGH_START - GUEST_BIOS_START))
		FAIL(c, "segment [%#llx, %#llx) overlaps the reserved BIOS "
		     "area [%#llx, %#llx)", a, e, GUEST_BIOS_START,
		     GUEST_HIGH_START);
	if (e > ram_bytes)
		FAIL(c, "segment [%#llx, %#llx) runs past the VM's %llu MiB "
		     "of RAM", a, e, (unsigned long long)(ram_bytes >> 20));
	return 0;
}

static int check_segments(struct mb_ctx *c, struct mb_plan *p,
			  uint64_t ram_bytes)
{
	p->load_start = ~0ull;
	p->load_end = 0;
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct mb_segment *s = &p->seg[i];
		if (check_segment(c, s, ram_bytes))
			return -1;
		if (s->paddr < p->load_start)
			p->load_start = s->paddr;
		if (s->paddr + s->memsz > p->load_end)
			p->load_end = s->paddr + s->memsz;
	}
	if (p->entry >= LIMIT_32BIT)
		FAIL(c, "entry point %#llx is not reachable from 32-bit "
		     "protected mode", (unsigned long long)p->entry);
	return 0;
}

static int place_module(struct mb_ctx *c, struct mb_plan *p, size_t size,
			uint64_t ram_bytes)
{
	uint64_t addr = (p->load_end + GUEST_PAGE_SIZE - 1) &
			~(GUEST_PAGE_SIZE - 1);
	uint64_t limit = ram_bytes < LIMIT_32BIT ? ram_bytes : LIMIT_32BIT;

	p->module_size = size;
	if (size == 0)
		return 0;
	if (guest_ranges_overlap(addr, size, GUEST_BIOS_START,
				 GUEST_HIGH_START - GUEST_BIOS_START))
		addr = GUEST_HIGH_START;
	if (addr > limit || size > limit - addr)
		FAIL(c, "module of %zu bytes does not fit after the kernel "
		     "(page %#llx) below %#llx (end of RAM or 4 GiB); give "
		     "the VM more memory", size, (unsigned long long)addr,
		     (unsigned long long)limit);
	p->module_addr = addr;
	return 0;
}

static int check_strings(struct mb_ctx *c, struct mb_plan *p,
			 const char *cmdline, const char *name)
{
	p->cmdline_len = strlen(cmdline);
	p->name_len = strlen(name);
	if (p->cmdline_len >= MB_CMDLINE_END - MB_CMDLINE_ADDR)
		FAIL(c, "command line of %zu characters is longer than the "
		     "%u Volt passes", p->cmdline_len,
		     MB_CMDLINE_END - MB_CMDLINE_ADDR - 1);
	if (p->name_len >= MB_MOD_STRING_END - MB_MOD_STRING_ADDR)
		FAIL(c, "module name of %zu characters is too long",
		     p->name_len);
	return 0;
}

static int plan_load(struct mb_ctx *c, const struct multiboot_args *a,
		     struct mb_plan *p, const char *cmdline, const char *name)
{
	size_t module_size = a->module ? a->module_size : 0;

	if (a->ram_bytes < GUEST_HIGH_START)
		FAIL(c, "VM RAM too small: %llu KiB; Volt's boot layout needs "
		     "at least 1 MiB",
		     (unsigned long long)(a->ram_bytes >> 10));
	if (find_header(c, p) || check_flags(c, p))
		return -1;
	if (p->flags & MBH_AOUT_KLUDGE) {
		if (parse_kludge(c, p))
			return -1;
	} else if (parse_elf(c, p)) {
		return -1;
	}
	if (check_segments(c, p, a->ram_bytes) ||
	    place_module(c, p, module_size, a->ram_bytes) ||
	    check_strings(c, p, cmdline, name))
		return -1;
	return 0;
}

/* mem_lower/mem_upper in KiB: the usable e820 blocks at 0 and 1 MiB. */
static void write_mem_fields(uint8_t *info, const struct e820_entry *m,
			     unsigned n)
{
	uint64_t lower = 0, upper = 0;

	for (unsigned i = 0; i < n; i++) {
		if (m[i].type != E820_RAM)
			continue;
		if (m[i].addr == 0)
			lower = m[i].size >> 10;
		if (m[i].addr == GUEST_HIGH_START)
			upper = m[i].size >> 10;
	}
	put32(info + MBI_MEM_LOWER, (uint32_t)lower);
	put32(info + MBI_MEM_UPPER, upper > 0xffffffffu ? 0xffffffffu
							 : (uint32_t)upper);
}

/* Spec 3.3: the information structure and what it points at. */
static void write_info(uint8_t *area, const struct mb_plan *p,
		       const struct multiboot_args *a, const char *cmdline,
		       const char *name)
{
	struct e820_entry map[GUEST_E820_MAX];
	unsigned n = guest_e820(a->ram_bytes, map, GUEST_E820_MAX);
	uint8_t *info = area;
	uint32_t flags = MBI_FLAG_MEMORY | MBI_FLAG_CMDLINE | MBI_FLAG_MODS |
			 MBI_FLAG_MMAP | MBI_FLAG_LOADER_NAME;

	if (n > GUEST_E820_MAX) /* cannot happen: the map has 3 entries */
		n = GUEST_E820_MAX;
	memset(area, 0, MB_CMDLINE_END - MB_INFO_ADDR);
	put32(info + MBI_FLAGS, flags);
	write_mem_fields(info, map, n);
	memcpy(area + (MB_CMDLINE_ADDR - MB_INFO_ADDR), cmdline,
	       p->cmdline_len + 1);
	put32(info + MBI_CMDLINE, MB_CMDLINE_ADDR);
	memcpy(area + (MB_LOADER_NAME_ADDR - MB_INFO_ADDR), MB_LOADER_NAME,
	       sizeof(MB_LOADER_NAME));
	put32(info + MBI_BOOT_LOADER_NAME, MB_LOADER_NAME_ADDR);
	if (p->module_size) {
		uint8_t *mod = area + (MB_MODS_ADDR - MB_INFO_ADDR);
		put32(mod, (uint32_t)p->module_addr);
		put32(mod + 4, (uint32_t)(p->module_addr + p->module_size));
		put32(mod + 8, MB_MOD_STRING_ADDR);
		memcpy(area + (MB_MOD_STRING_ADDR - MB_INFO_ADDR), name,
		       p->name_len + 1);
		put32(info + MBI_MODS_COUNT, 1);
	}
	put32(info + MBI_MODS_ADDR, MB_MODS_ADDR);
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = area + (MB_MMAP_ADDR - MB_INFO_ADDR) +
			     i * MB_MMAP_ENTRY_SIZE;
		put32(e, MB_MMAP_SIZE_FIELD); /* bytes after this field */
		put64(e + 4, map[i].addr);
		put64(e + 12, map[i].size);
		put32(e + 20, map[i].type);
	}
	put32(info + MBI_MMAP_LENGTH, n * MB_MMAP_ENTRY_SIZE);
	put32(info + MBI_MMAP_ADDR, MB_MMAP_ADDR);
}

static int write_all(const struct multiboot_args *a, const struct mb_plan *p,
		     const char *cmdline, const char *name)
{
	const uint8_t *f = a->file;
	uint8_t *area = guest_ram_ptr(a->ram, a->ram_bytes, MB_INFO_ADDR,
				      MB_CMDLINE_END - MB_INFO_ADDR);
	uint8_t *mod = guest_ram_ptr(a->ram, a->ram_bytes, p->module_addr,
				     p->module_size);

	if (!area || !mod)
		return -1;
	for (unsigned i = 0; i < p->nseg; i++) {
		const struct mb_segment *s = &p->seg[i];
		uint8_t *dst = guest_ram_ptr(a->ram, a->ram_bytes, s->paddr,
					     s->memsz);
		if (!dst)
			return -1;
		memcpy(dst, f + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz); /* bss */
	}
	if (p->module_size)
		memcpy(mod, a->module, p->module_size);
	write_info(area, p, a, cmdline, name);
	return 0;
}

/* Spec 3.2: EAX magic, EBX info, flat 32-bit segments, paging off. */
static int set_entry(const struct multiboot_args *a, const struct mb_plan *p)
{
	struct vcpu_boot *b = a->boot;

	memset(b, 0, sizeof(*b));
	if (guest_write_boot_gdt(a->ram, a->ram_bytes, false, b))
		return -1;
	b->mode = VCPU_BOOT_PROT32;
	b->entry = p->entry;
	b->rax = MB_BOOTLOADER_MAGIC;
	b->rbx = MB_INFO_ADDR;
	b->stack = 0; /* "The OS image must create its own stack" */
	return 0;
}

static void fill_result(const struct multiboot_args *a,
			const struct mb_plan *p)
{
	struct multiboot_result *r = a->result;

	if (!r)
		return;
	r->format = p->format;
	r->header_offset = p->header_offset;
	r->entry = (uint32_t)p->entry;
	r->load_start = (uint32_t)p->load_start;
	r->load_end = (uint32_t)p->load_end;
	r->module_addr = (uint32_t)p->module_addr;
	r->module_size = (uint32_t)p->module_size;
	r->video_ignored = p->flags & MBH_VIDEO_MODE;
}

int multiboot_load(const struct multiboot_args *a, char *err, size_t errlen)
{
	struct mb_ctx c = { a->file, a->size, err, errlen };
	const char *cmdline = a->cmdline ? a->cmdline : "";
	const char *name = a->module_name ? a->module_name : "";
	struct mb_plan p;

	memset(&p, 0, sizeof(p));
	if (plan_load(&c, a, &p, cmdline, name))
		return -1;
	if (write_all(a, &p, cmdline, name) || set_entry(a, &p))
		FAIL(&c, "internal error: a boot structure fell outside "
		     "guest RAM");
	fill_result(a, &p);
	return 0;
}
