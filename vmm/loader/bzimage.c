/*
 * Linux bzImage loader (see bzimage.h). Follows Documentation/arch/x86/
 * boot.rst: the setup header table and field details, "Loading The Rest
 * of The Kernel", "32-bit Boot Protocol" and "64-bit Boot Protocol"; the
 * zero page layout of zero-page.rst / bootparam.h.
 *
 * Steps: decode and check the header (nothing is written to RAM until
 * everything fits), choose where the kernel and initrd go, then write
 * kernel, initrd, command line, zero page, GDT and page tables.
 *
 * Placement:
 *  - The kernel's footprint is [load, load + init_size): init_size is the
 *    memory the kernel needs from its runtime start before it has read
 *    the memory map (boot.rst "init_size"), including the room to
 *    decompress itself in place.
 *  - Relocatable kernels load at pref_address. The decompressor never
 *    runs below LOAD_PHYSICAL_ADDR, which pref_address holds: startup_32
 *    and startup_64 in arch/x86/boot/compressed/head_{32,64}.S round the
 *    load address up to kernel_alignment and then take the larger of it
 *    and LOAD_PHYSICAL_ADDR. Loading lower would save no memory, loading
 *    higher would waste it. So when pref_address "does not fit", no
 *    other place would either, and the error says how much RAM it
 *    takes. The only other case: a pref_address that is not a multiple
 *    of kernel_alignment (or lies below 1 MiB) is moved up to the lowest
 *    kernel_alignment-aligned address at or above max(pref_address,
 *    1 MiB).
 *  - Non-relocatable kernels load at pref_address exactly: such a kernel
 *    "will unconditionally move itself to run at this address" (boot.rst
 *    "pref_address"), so its runtime start, from which init_size counts,
 *    is pref_address wherever the file is loaded. Loading it there keeps
 *    the whole footprint in one known range.
 *  - The initrd goes as high as possible (as boot.rst advises for an
 *    initrd, near the end of memory): the highest page-aligned address
 *    where it ends inside RAM and at or below initrd_addr_max, and starts
 *    at or above the kernel's footprint end.
 *
 * Zero page (boot.rst "32-bit Boot Protocol"): zeroed, then the setup
 * header copied from the file (0x1f1 up to 0x202 + byte[0x201]), then the
 * fields a boot loader writes. CAN_USE_HEAP stays clear and heap_end_ptr
 * 0: the heap is the 16-bit setup code's, and that code never runs here
 * (Volt enters at the 32-bit or 64-bit entry). QUIET_FLAG and the other
 * loadflags stay as the file has them; vid_mode likewise (only the 16-bit
 * setup code sets video modes).
 */
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/loader/bzimage.h"
#include "vmm/loader/guest_layout.h"

#define SECTOR 512u
#define MIB (1ull << 20)
#define SETUP_SECTS_DEFAULT 4 /* setup_sects == 0 means 4 (boot.rst) */
#define HEADER_MIN_END (BZ_HANDOVER_OFFSET + 4)

_Static_assert(GUEST_E820_MAX <= BP_E820_MAX,
	       "the zero page holds every e820 entry");

/* The header fields Volt uses, decoded. */
struct bz_header {
	uint16_t protocol;
	uint32_t header_end;    /* 0x202 + byte at 0x201 */
	uint32_t setup_bytes;   /* boot sector + setup: (setup_sects+1)*512 */
	uint64_t code_bytes;    /* protected-mode code: syssize * 16 */
	uint8_t loadflags;
	uint16_t xloadflags;
	uint32_t initrd_addr_max;
	uint32_t kernel_alignment;
	bool relocatable;
	uint32_t cmdline_size;
	uint64_t pref_address;
	uint32_t init_size;
};

/* Where things go in guest memory. */
struct bz_plan {
	uint64_t load;
	uint64_t kernel_end;
	uint64_t initrd;
	uint64_t initrd_size;
	size_t cmdline_len;
};

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

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

bool bzimage_is_image(const void *file, size_t size)
{
	const uint8_t *f = file;
	return size >= BZ_HEADER_MAGIC + 4 &&
	       le16(f + BZ_BOOT_FLAG) == BZ_BOOT_FLAG_VALUE &&
	       le32(f + BZ_HEADER_MAGIC) == BZ_HEADER_MAGIC_VALUE;
}

/* Magic, protocol version and header length: may we read the fields? */
static int check_identity(const uint8_t *f, size_t size, struct bz_header *h,
			  char *err, size_t errlen)
{
	if (size < HEADER_MIN_END) {
		volt_snprintf(err, errlen, "file of %zu bytes is too small to "
			      "hold a Linux boot header (%u bytes)", size,
			      HEADER_MIN_END);
		return -1;
	}
	if (!bzimage_is_image(f, size)) {
		volt_snprintf(err, errlen, "not a Linux kernel: no 0xAA55 boot "
			      "flag at 0x1fe and \"HdrS\" at 0x202");
		return -1;
	}
	h->protocol = le16(f + BZ_VERSION);
	if (h->protocol < BZ_MIN_PROTOCOL) {
		volt_snprintf(err, errlen, "Linux boot protocol %u.%02u is too "
			      "old: Volt starts Linux at its 64-bit (or "
			      "32-bit) entry, which needs protocol 2.12 or "
			      "later (Linux 3.8+)", h->protocol >> 8,
			      h->protocol & 0xff);
		return -1;
	}
	h->header_end = 0x202u + f[0x201];
	if (h->header_end < HEADER_MIN_END ||
	    h->header_end > BP_EDD_MBR_SIG_BUFFER) {
		volt_snprintf(err, errlen, "corrupt header: its length byte "
			      "(0x201) says it ends at %#x, outside the "
			      "%#x-%#x a 2.12+ header spans", h->header_end,
			      HEADER_MIN_END, BP_EDD_MBR_SIG_BUFFER);
		return -1;
	}
	return 0;
}

static void decode_fields(const uint8_t *f, struct bz_header *h)
{
	uint8_t sects = f[BZ_SETUP_SECTS];

	h->setup_bytes = ((sects ? sects : SETUP_SECTS_DEFAULT) + 1u) * SECTOR;
	h->code_bytes = (uint64_t)le32(f + BZ_SYSSIZE) * 16;
	h->loadflags = f[BZ_LOADFLAGS];
	h->xloadflags = le16(f + BZ_XLOADFLAGS);
	h->initrd_addr_max = le32(f + BZ_INITRD_ADDR_MAX);
	h->kernel_alignment = le32(f + BZ_KERNEL_ALIGNMENT);
	h->relocatable = f[BZ_RELOCATABLE] != 0;
	h->cmdline_size = le32(f + BZ_CMDLINE_SIZE);
	h->pref_address = le64(f + BZ_PREF_ADDRESS);
	h->init_size = le32(f + BZ_INIT_SIZE);
}

/* The sizes: setup, protected-mode code, file length, init_size. */
static int check_sizes(const struct bz_header *h, size_t size, char *err,
		       size_t errlen)
{
	if (h->setup_bytes >= size) {
		volt_snprintf(err, errlen, "corrupt header: %u bytes of setup "
			      "code (setup_sects) leave nothing of the "
			      "%zu-byte file for the kernel", h->setup_bytes,
			      size);
		return -1;
	}
	if (h->code_bytes == 0) {
		volt_snprintf(err, errlen, "corrupt header: syssize is 0, so "
			      "the kernel's length is unknown");
		return -1;
	}
	/* Longer files are fine (padding, signatures): only syssize*16
	 * bytes are loaded. */
	if (h->code_bytes > size - h->setup_bytes) {
		volt_snprintf(err, errlen, "kernel file is truncated: its "
			      "header promises %llu bytes of kernel after the "
			      "%u-byte setup, the file has %zu",
			      (unsigned long long)h->code_bytes, h->setup_bytes,
			      size - h->setup_bytes);
		return -1;
	}
	if (h->init_size < h->code_bytes) {
		volt_snprintf(err, errlen, "corrupt header: init_size %#x is "
			      "smaller than the %llu-byte kernel itself",
			      h->init_size, (unsigned long long)h->code_bytes);
		return -1;
	}
	return 0;
}

static int parse_header(const uint8_t *f, size_t size, struct bz_header *h,
			char *err, size_t errlen)
{
	if (check_identity(f, size, h, err, errlen))
		return -1;
	decode_fields(f, h);
	if (!(h->loadflags & BZ_LOADED_HIGH)) {
		volt_snprintf(err, errlen, "not a bzImage (loadflags bit "
			      "LOADED_HIGH is clear): Volt loads bzImage "
			      "kernels, not zImage");
		return -1;
	}
	if (h->kernel_alignment == 0 ||
	    (h->kernel_alignment & (h->kernel_alignment - 1))) {
		volt_snprintf(err, errlen, "corrupt header: kernel_alignment "
			      "%#x is not a power of two", h->kernel_alignment);
		return -1;
	}
	return check_sizes(h, size, err, errlen);
}

/* The kernel's load address and footprint (see the top of the file). */
static int place_kernel(const struct bz_header *h, uint64_t ram_bytes,
			struct bz_plan *p, char *err, size_t errlen)
{
	uint64_t limit = min_u64(ram_bytes, GUEST_IDMAP_MAX);

	if (h->pref_address >= GUEST_IDMAP_MAX ||
	    (!h->relocatable && h->pref_address < GUEST_HIGH_START)) {
		volt_snprintf(err, errlen, "%srelocatable kernel wants to run "
			      "at %#llx: Volt loads kernels between 1 MiB and "
			      "4 GiB", h->relocatable ? "" : "non-",
			      (unsigned long long)h->pref_address);
		return -1;
	}
	p->load = h->pref_address;
	if (h->relocatable) {
		if (p->load < GUEST_HIGH_START)
			p->load = GUEST_HIGH_START;
		p->load = align_up(p->load, h->kernel_alignment);
	}
	p->kernel_end = p->load + h->init_size;
	if (p->kernel_end > limit) {
		uint64_t need_mib = (p->kernel_end + MIB - 1) / MIB;
		volt_snprintf(err, errlen, "VM RAM too small for this kernel: "
			      "it runs at %#llx and needs init_size %#x bytes "
			      "from there (up to %llu MiB); the VM has %llu "
			      "MiB", (unsigned long long)p->load, h->init_size,
			      (unsigned long long)need_mib,
			      (unsigned long long)(ram_bytes / MIB));
		return -1;
	}
	return 0;
}

static int place_initrd(const struct bz_header *h, uint64_t ram_bytes,
			size_t initrd_size, struct bz_plan *p, char *err,
			size_t errlen)
{
	/* initrd_addr_max is the highest byte the initrd may occupy. */
	uint64_t top = min_u64(ram_bytes, (uint64_t)h->initrd_addr_max + 1);
	uint64_t addr = 0;

	p->initrd_size = initrd_size;
	if (initrd_size == 0)
		return 0;
	if (initrd_size <= top)
		addr = (top - initrd_size) & ~(GUEST_PAGE_SIZE - 1);
	if (initrd_size > top || addr < p->kernel_end) {
		volt_snprintf(err, errlen, "initrd of %zu bytes does not fit "
			      "between the kernel's end (%#llx) and %#llx "
			      "(end of RAM or initrd_addr_max %#x); give the "
			      "VM more memory", initrd_size,
			      (unsigned long long)p->kernel_end,
			      (unsigned long long)top, h->initrd_addr_max);
		return -1;
	}
	p->initrd = addr;
	return 0;
}

static int check_cmdline(const struct bz_header *h, const char *cmdline,
			 struct bz_plan *p, char *err, size_t errlen)
{
	uint64_t room = GUEST_CMDLINE_END - GUEST_CMDLINE_ADDR - 1;
	uint64_t max = min_u64(h->cmdline_size, room);

	p->cmdline_len = strlen(cmdline);
	if (p->cmdline_len > max) {
		volt_snprintf(err, errlen, "command line of %zu characters is "
			      "longer than the %llu this kernel accepts "
			      "(cmdline_size)", p->cmdline_len,
			      (unsigned long long)max);
		return -1;
	}
	return 0;
}

static void write_e820(uint8_t *zp, uint64_t ram_bytes)
{
	struct e820_entry map[GUEST_E820_MAX];
	unsigned n = guest_e820(ram_bytes, map, GUEST_E820_MAX);

	if (n > GUEST_E820_MAX) /* cannot happen: the map has 3 entries */
		n = GUEST_E820_MAX;
	zp[BP_E820_ENTRIES] = (uint8_t)n;
	for (unsigned i = 0; i < n; i++) {
		uint8_t *e = zp + BP_E820_TABLE + i * sizeof(struct e820_entry);
		put64(e, map[i].addr);
		put64(e + 8, map[i].size);
		put32(e + 16, map[i].type);
	}
}

static void write_zero_page(uint8_t *zp, const uint8_t *f,
			    const struct bz_header *h, const struct bz_plan *p,
			    const struct bzimage_args *a)
{
	memset(zp, 0, GUEST_ZERO_PAGE_SIZE);
	memcpy(zp + BZ_SETUP_SECTS, f + BZ_SETUP_SECTS,
	       h->header_end - BZ_SETUP_SECTS);
	zp[BZ_TYPE_OF_LOADER] = BZ_TYPE_OF_LOADER_VOLT;
	zp[BZ_LOADFLAGS] = h->loadflags & (uint8_t)~BZ_CAN_USE_HEAP;
	put16(zp + BZ_HEAP_END_PTR, 0);
	put32(zp + BZ_CODE32_START, (uint32_t)p->load);
	put32(zp + BZ_RAMDISK_IMAGE, (uint32_t)p->initrd);
	put32(zp + BZ_RAMDISK_SIZE, (uint32_t)p->initrd_size);
	put32(zp + BP_EXT_RAMDISK_IMAGE, (uint32_t)(p->initrd >> 32));
	put32(zp + BP_EXT_RAMDISK_SIZE, (uint32_t)(p->initrd_size >> 32));
	put32(zp + BZ_CMD_LINE_PTR, (uint32_t)GUEST_CMDLINE_ADDR);
	put32(zp + BP_EXT_CMD_LINE_PTR, (uint32_t)(GUEST_CMDLINE_ADDR >> 32));
	write_e820(zp, a->ram_bytes);
	/* 2.14's setup-header field was withdrawn; Linux 5.0+ (protocol
	 * 2.14 and later) reads the RSDP from boot_params instead. */
	if (h->protocol >= BZ_RSDP_PROTOCOL && a->acpi_rsdp)
		put64(zp + BP_ACPI_RSDP_ADDR, a->acpi_rsdp);
}

/* Copy kernel, initrd and command line; write the zero page. */
static int write_images(const struct bzimage_args *a,
			const struct bz_header *h, const struct bz_plan *p,
			const char *cmdline)
{
	const uint8_t *f = a->file;
	uint8_t *kernel = guest_ram_ptr(a->ram, a->ram_bytes, p->load,
					h->code_bytes);
	uint8_t *initrd = guest_ram_ptr(a->ram, a->ram_bytes, p->initrd,
					p->initrd_size);
	uint8_t *line = guest_ram_ptr(a->ram, a->ram_bytes, GUEST_CMDLINE_ADDR,
				      p->cmdline_len + 1);
	uint8_t *zp = guest_ram_ptr(a->ram, a->ram_bytes, GUEST_ZERO_PAGE_ADDR,
				    GUEST_ZERO_PAGE_SIZE);

	if (!kernel || !initrd || !line || !zp)
		return -1;
	memcpy(kernel, f + h->setup_bytes, h->code_bytes);
	if (p->initrd_size)
		memcpy(initrd, a->initrd, p->initrd_size);
	memcpy(line, cmdline, p->cmdline_len + 1);
	write_zero_page(zp, f, h, p, a);
	return 0;
}

/* The CPU state of boot.rst's 64-bit or 32-bit boot protocol. */
static int set_entry(const struct bzimage_args *a, const struct bz_header *h,
		     const struct bz_plan *p)
{
	struct vcpu_boot *b = a->boot;
	bool entry64 = h->xloadflags & BZ_XLF_KERNEL_64;

	memset(b, 0, sizeof(*b));
	if (guest_write_boot_gdt(a->ram, a->ram_bytes, entry64, b))
		return -1;
	/* %rsi holds the zero page; %ebx, %ebp, %edi must be 0 for the
	 * 32-bit entry (the other registers start at 0). No stack: the
	 * protocol does not ask for one and the kernel sets its own before
	 * its first push. */
	b->rsi = GUEST_ZERO_PAGE_ADDR;
	b->stack = 0;
	if (entry64) {
		b->cr3 = guest_write_identity_map(a->ram, a->ram_bytes);
		if (!b->cr3)
			return -1;
		b->mode = VCPU_BOOT_LONG64;
		b->entry = p->load + BZ_ENTRY64_OFFSET;
	} else {
		b->mode = VCPU_BOOT_PROT32;
		b->entry = p->load; /* code32_start */
	}
	return 0;
}

static void fill_result(const struct bzimage_args *a,
			const struct bz_header *h, const struct bz_plan *p)
{
	struct bzimage_result *r = a->result;

	if (!r)
		return;
	r->protocol = h->protocol;
	r->entry_kind = h->xloadflags & BZ_XLF_KERNEL_64 ? BZIMAGE_ENTRY_64
							 : BZIMAGE_ENTRY_32;
	r->relocatable = h->relocatable;
	r->load_addr = p->load;
	r->kernel_end = p->kernel_end;
	r->initrd_addr = p->initrd;
	r->initrd_size = p->initrd_size;
}

int bzimage_load(const struct bzimage_args *a, char *err, size_t errlen)
{
	const char *cmdline = a->cmdline ? a->cmdline : "";
	size_t initrd_size = a->initrd ? a->initrd_size : 0;
	struct bz_header h;
	struct bz_plan p = { 0 };

	if (a->ram_bytes < GUEST_HIGH_START) {
		volt_snprintf(err, errlen, "VM RAM too small: %llu KiB; Volt's "
			      "boot layout needs at least 1 MiB",
			      (unsigned long long)(a->ram_bytes >> 10));
		return -1;
	}
	if (parse_header(a->file, a->size, &h, err, errlen) ||
	    place_kernel(&h, a->ram_bytes, &p, err, errlen) ||
	    check_cmdline(&h, cmdline, &p, err, errlen) ||
	    place_initrd(&h, a->ram_bytes, initrd_size, &p, err, errlen))
		return -1;
	if (write_images(a, &h, &p, cmdline) || set_entry(a, &h, &p)) {
		volt_snprintf(err, errlen, "internal error: a boot structure "
			      "fell outside guest RAM");
		return -1;
	}
	fill_result(a, &h, &p);
	return 0;
}
