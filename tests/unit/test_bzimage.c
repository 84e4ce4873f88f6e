/*
 * Host tests for the Linux bzImage loader. Synthetic headers built here
 * (offsets written as numbers from boot.rst / zero-page.rst, not the
 * loader's macros, so a wrong macro fails), plus the real setup headers
 * of two Linux 6.1 kernels in tests/unit/fixtures/bzimage/ (see its
 * README) with a synthetic payload appended.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/loader/bzimage.h"
#include "vmm/loader/guest_layout.h"

#define MIB (1ull << 20)
#define RAM_BYTES (64 * MIB)
#define SETUP_SECTS 4
#define SETUP_BYTES ((SETUP_SECTS + 1) * 512)
#define CODE_BYTES 0x3000
#define TRAILER 64 /* junk after syssize*16 bytes: allowed */
#define IMG_MAX (64 * 1024 + 512 * 256)

static uint8_t *ram;
static uint8_t img[IMG_MAX];
static size_t img_size;
static uint8_t rd[9 * MIB];
#define FIXTURE_INITRD (3 * MIB + 5)
static struct vcpu_boot boot;
static struct bzimage_result res;
static char err[256];

static void w16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void w32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void w64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
static uint16_t r16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return v;
}

static uint32_t r32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static uint64_t r64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

/* A 2.15 x86-64 bzImage header like Linux 6.x writes (header.S). */
static void make_image(void)
{
	memset(img, 0, sizeof(img));
	for (int i = 0; i < 0x1f1; i++)
		img[i] = (uint8_t)(0x40 + i); /* boot sector code: not copied */
	img[0x1ef] = 0xff;                /* the kernel's sentinel */
	img[0x1f1] = SETUP_SECTS;
	w16(img + 0x1f2, 1);              /* root_flags */
	w32(img + 0x1f4, CODE_BYTES / 16); /* syssize */
	w16(img + 0x1fa, 0xffff);         /* vid_mode */
	w16(img + 0x1fe, 0xaa55);
	img[0x200] = 0xeb;
	img[0x201] = 0x6a;                /* header ends at 0x26c */
	memcpy(img + 0x202, "HdrS", 4);
	w16(img + 0x206, 0x020f);
	w16(img + 0x20e, 0x1000);         /* kernel_version */
	img[0x211] = 0x01;                /* LOADED_HIGH */
	w32(img + 0x214, 0x100000);       /* code32_start */
	w32(img + 0x22c, 0x7fffffff);     /* initrd_addr_max */
	w32(img + 0x230, 0x200000);       /* kernel_alignment */
	img[0x234] = 1;                   /* relocatable */
	img[0x235] = 21;                  /* min_alignment */
	w16(img + 0x236, 0x0003);         /* XLF_KERNEL_64 | ABOVE_4G */
	w32(img + 0x238, 2047);           /* cmdline_size */
	w32(img + 0x248, 0x3b0);          /* payload_offset */
	w64(img + 0x258, 0x1000000);      /* pref_address */
	w32(img + 0x260, 0x1000000);      /* init_size: 16 MiB */
	w32(img + 0x264, 0x190);          /* handover_offset */
	w32(img + 0x268, 0x5678);         /* kernel_info_offset */
	for (int i = 0x26c; i < SETUP_BYTES; i++)
		img[i] = 0x5a;            /* setup code: not copied */
	for (int i = 0; i < CODE_BYTES + TRAILER; i++)
		img[SETUP_BYTES + i] = (uint8_t)(i * 7 + 3);
	img_size = SETUP_BYTES + CODE_BYTES + TRAILER;
}

static struct bzimage_args args(const char *cmdline, size_t initrd_size)
{
	struct bzimage_args a = {
		.file = img, .size = img_size,
		.initrd = initrd_size ? rd : NULL, .initrd_size = initrd_size,
		.cmdline = cmdline, .ram = ram, .ram_bytes = RAM_BYTES,
		.acpi_rsdp = 0xf0000, .boot = &boot, .result = &res,
	};
	return a;
}

static int load(const char *cmdline, size_t initrd_size)
{
	struct bzimage_args a = args(cmdline, initrd_size);
	return bzimage_load(&a, err, sizeof(err));
}

static int setup(void **state)
{
	ram = malloc(RAM_BYTES);
	assert_non_null(ram);
	memset(ram, 0xcc, RAM_BYTES);
	memset(&boot, 0xee, sizeof(boot));
	memset(&res, 0, sizeof(res));
	err[0] = 0;
	for (size_t i = 0; i < sizeof(rd); i++)
		rd[i] = (uint8_t)(i * 13 + 1);
	make_image();
	return 0;
}

static int teardown(void **state)
{
	free(ram);
	return 0;
}

/* The zero page a correct loader writes, built from the spec. */
static void expected_zero_page(uint8_t *zp, uint32_t load, uint32_t initrd,
			       uint32_t initrd_size, uint64_t rsdp)
{
	memset(zp, 0, 4096);
	memcpy(zp + 0x1f1, img + 0x1f1, 0x202 + img[0x201] - 0x1f1);
	zp[0x210] = 0xff;                   /* type_of_loader */
	zp[0x211] = img[0x211] & ~0x80;     /* no CAN_USE_HEAP */
	w32(zp + 0x214, load);              /* code32_start */
	w32(zp + 0x218, initrd);
	w32(zp + 0x21c, initrd_size);
	w32(zp + 0x228, 0x20000);           /* cmd_line_ptr */
	w64(zp + 0x070, rsdp);              /* acpi_rsdp_addr */
	zp[0x1e8] = 3;                      /* e820_entries */
	w64(zp + 0x2d0, 0);                 /* e820_table[0] */
	w64(zp + 0x2d8, 0x9fc00);
	w32(zp + 0x2e0, 1);
	w64(zp + 0x2e4, 0x9fc00);           /* [1]: reserved BIOS area */
	w64(zp + 0x2ec, 0x100000 - 0x9fc00);
	w32(zp + 0x2f4, 2);
	w64(zp + 0x2f8, 0x100000);          /* [2]: RAM above 1 MiB */
	w64(zp + 0x300, RAM_BYTES - 0x100000);
	w32(zp + 0x308, 1);
}

static void check_zero_page(const uint8_t *want)
{
	const uint8_t *zp = ram + 0x7000;
	for (int i = 0; i < 4096; i++)
		if (zp[i] != want[i])
			fail_msg("zero page byte %#x is %#x, want %#x", i,
				 zp[i], want[i]);
}

static void test_is_image(void **state)
{
	assert_true(bzimage_is_image(img, img_size));
	assert_false(bzimage_is_image(img, 0x205));
	img[0x1fe] = 0;
	assert_false(bzimage_is_image(img, img_size));
	img[0x1fe] = 0x55;
	img[0x205] = 's';
	assert_false(bzimage_is_image(img, img_size));
}

static void test_load_64(void **state)
{
	uint8_t want[4096];

	assert_int_equal(load("console=ttyS0 root=/dev/ram0", 0x100005), 0);

	/* The protected-mode code at pref_address, nothing more. */
	assert_memory_equal(ram + 0x1000000, img + SETUP_BYTES, CODE_BYTES);
	assert_int_equal(ram[0x1000000 + CODE_BYTES], 0xcc);
	assert_int_equal(ram[0x1000000 - 1], 0xcc);

	/* initrd: highest page-aligned address ending inside 64 MiB. */
	uint64_t rd_at = (RAM_BYTES - 0x100005) & ~0xfffull;
	assert_int_equal(rd_at, 0x3eff000);
	assert_memory_equal(ram + rd_at, rd, 0x100005);

	assert_string_equal((char *)ram + 0x20000,
			    "console=ttyS0 root=/dev/ram0");

	expected_zero_page(want, 0x1000000, (uint32_t)rd_at, 0x100005, 0xf0000);
	check_zero_page(want);
	assert_int_equal(ram[0x7000 + 0x1ef], 0); /* sentinel not copied */
	assert_int_equal(ram[0x7000 + 0x26c], 0); /* header ends at 0x26c */

	/* 64-bit boot protocol state. */
	assert_int_equal(boot.mode, VCPU_BOOT_LONG64);
	assert_int_equal(boot.entry, 0x1000200);
	assert_int_equal(boot.rsi, 0x7000);
	assert_int_equal(boot.cr3, 0x9000);
	assert_int_equal(boot.stack, 0);
	assert_int_equal(boot.rax, 0);
	assert_int_equal(boot.rbx, 0);
	assert_int_equal(boot.code_sel, 0x10);
	assert_int_equal(boot.data_sel, 0x18);
	assert_int_equal(boot.gdt_base, 0x1000);
	assert_int_equal(boot.gdt_limit, 31);
	assert_int_equal(r64(ram + 0x1010), 0x00af9b000000ffffull);
	assert_int_equal(r64(ram + 0x1018), 0x00cf93000000ffffull);

	/* Identity map: 32 PD entries for 64 MiB, then nothing. */
	assert_int_equal(r64(ram + 0x9000), 0xa003);
	assert_int_equal(r64(ram + 0xa000), 0xb003);
	assert_int_equal(r64(ram + 0xa008), 0);
	for (int i = 0; i < 32; i++)
		assert_int_equal(r64(ram + 0xb000 + 8 * i),
				 (uint64_t)i * 0x200000 | 0x83);
	assert_int_equal(r64(ram + 0xb000 + 8 * 32), 0);

	/* Untouched low memory. */
	assert_int_equal(ram[0], 0xcc);
	assert_int_equal(ram[0x40000], 0xcc);

	assert_int_equal(res.protocol, 0x020f);
	assert_int_equal(res.entry_kind, BZIMAGE_ENTRY_64);
	assert_true(res.relocatable);
	assert_int_equal(res.load_addr, 0x1000000);
	assert_int_equal(res.kernel_end, 0x2000000);
	assert_int_equal(res.initrd_addr, rd_at);
	assert_int_equal(res.initrd_size, 0x100005);
}

static void test_load_32(void **state)
{
	uint8_t want[4096];

	w16(img + 0x236, 0); /* no XLF_KERNEL_64: a 32-bit kernel */
	img[0x211] = 0x01 | 0x20 | 0x80; /* QUIET kept, CAN_USE_HEAP cleared */
	assert_int_equal(load(NULL, 0), 0);
	assert_int_equal(boot.mode, VCPU_BOOT_PROT32);
	assert_int_equal(boot.entry, 0x1000000);
	assert_int_equal(boot.rsi, 0x7000);
	assert_int_equal(boot.rbx, 0);
	assert_int_equal(boot.cr3, 0);
	assert_int_equal(boot.code_sel, 0x10);
	assert_int_equal(boot.data_sel, 0x18);
	assert_int_equal(r64(ram + 0x1010), 0x00cf9b000000ffffull);
	assert_int_equal(ram[0x20000], 0); /* NULL cmdline: empty string */
	assert_int_equal(ram[0x9000], 0xcc); /* no page tables */
	assert_int_equal(res.entry_kind, BZIMAGE_ENTRY_32);

	expected_zero_page(want, 0x1000000, 0, 0, 0xf0000);
	assert_int_equal(want[0x211], 0x21);
	check_zero_page(want);
}

static uint64_t load_addr_for(uint8_t relocatable, uint64_t pref,
			      uint32_t align)
{
	make_image();
	img[0x234] = relocatable;
	w64(img + 0x258, pref);
	w32(img + 0x230, align);
	w32(img + 0x260, 0x800000);
	if (load("", 0))
		fail_msg("load failed: %s", err);
	return boot.entry - 0x200;
}

static void test_placement(void **state)
{
	assert_int_equal(load_addr_for(1, 0x1000000, 0x200000), 0x1000000);
	/* unaligned preference: next kernel_alignment boundary */
	assert_int_equal(load_addr_for(1, 0x1100000, 0x200000), 0x1200000);
	assert_int_equal(load_addr_for(1, 0x1001000, 0x1000), 0x1001000);
	/* a preference below 1 MiB: the first aligned address above it */
	assert_int_equal(load_addr_for(1, 0, 0x200000), 0x200000);
	assert_int_equal(load_addr_for(1, 0x10000, 0x1000), 0x100000);
	/* setup_sects 0 means 4: the same image loads the same way */
	make_image();
	img[0x1f1] = 0;
	assert_int_equal(load("", 0), 0);
	assert_memory_equal(ram + 0x1000000, img + 5 * 512, CODE_BYTES);
	assert_int_equal(ram[0x7000 + 0x1f1], 0); /* copied from the file */
	/* non-relocatable: exactly pref_address, alignment ignored */
	assert_int_equal(load_addr_for(0, 0x1100000, 0x200000), 0x1100000);
	assert_int_equal(r32(ram + 0x7000 + 0x214), 0x1100000);
}

static void test_initrd_placement(void **state)
{
	/* initrd_addr_max is the last byte it may occupy. */
	w32(img + 0x22c, 0x2ffffff);
	assert_int_equal(load("", 0x1000), 0);
	assert_int_equal(res.initrd_addr, 0x3000000 - 0x1000);
	assert_int_equal(r32(ram + 0x7000 + 0x218), 0x2fff000);
	assert_int_equal(r32(ram + 0x7000 + 0x21c), 0x1000);

	/* Exactly filling [kernel end, limit) fits; a byte more does not. */
	make_image();
	w32(img + 0x22c, 0x27fffff); /* 40 MiB; kernel ends at 32 MiB */
	assert_int_equal(load("", 0x800000), 0);
	assert_int_equal(res.initrd_addr, 0x2000000);
	assert_int_equal(load("", 0x800001), -1);
	assert_non_null(strstr(err, "initrd of 8388609 bytes does not fit"));

	/* Bigger than RAM above the kernel. */
	make_image();
	assert_int_equal(load("", 32 * MIB + 1), -1);
	assert_non_null(strstr(err, "initrd"));
	/* initrd_addr_max below the kernel. */
	w32(img + 0x22c, 0xffffff);
	assert_int_equal(load("", 4096), -1);
	assert_non_null(strstr(err, "initrd_addr_max 0xffffff"));
}

static void test_acpi_rsdp(void **state)
{
	struct bzimage_args a = args("", 0);

	assert_int_equal(bzimage_load(&a, err, sizeof(err)), 0);
	assert_int_equal(r64(ram + 0x7070), 0xf0000);

	w16(img + 0x206, 0x020d); /* 2.13: no acpi_rsdp_addr yet */
	assert_int_equal(bzimage_load(&a, err, sizeof(err)), 0);
	assert_int_equal(r64(ram + 0x7070), 0);

	w16(img + 0x206, 0x020e);
	a.acpi_rsdp = 0;
	assert_int_equal(bzimage_load(&a, err, sizeof(err)), 0);
	assert_int_equal(r64(ram + 0x7070), 0);
}

static void test_cmdline(void **state)
{
	static char line[70000];

	memset(line, 'a', sizeof(line));
	line[2047] = 0; /* exactly cmdline_size characters */
	assert_int_equal(load(line, 0), 0);
	assert_int_equal(strlen((char *)ram + 0x20000), 2047);
	line[2047] = 'a';
	line[2048] = 0;
	assert_int_equal(load(line, 0), -1);
	assert_non_null(strstr(err, "command line of 2048 characters"));
	assert_non_null(strstr(err, "2047"));

	/* A huge cmdline_size is capped by Volt's 64 KiB area. */
	w32(img + 0x238, 0x100000);
	line[2048] = 'a';
	line[65535] = 0;
	assert_int_equal(load(line, 0), 0);
	line[65535] = 'a';
	line[65536] = 0;
	assert_int_equal(load(line, 0), -1);
	assert_non_null(strstr(err, "65536 characters"));
}

static void expect_error(const char *what)
{
	memset(ram, 0xcc, 0x100000);
	if (load("x", 4096) != -1)
		fail_msg("loaded although: %s", what);
	if (!strstr(err, what))
		fail_msg("error '%s' does not say '%s'", err, what);
	/* Validation comes first: nothing was written. */
	assert_int_equal(ram[0x7000], 0xcc);
	assert_int_equal(ram[0x1010], 0xcc);
	assert_int_equal(ram[0x20000], 0xcc);
	make_image();
}

static void test_errors(void **state)
{
	img_size = SETUP_BYTES + CODE_BYTES - 1;
	expect_error("truncated");
	img_size = 0x260;
	expect_error("too small");
	img[0x1fe] = 0x56;
	expect_error("not a Linux kernel");
	img[0x203] = 'D';
	expect_error("not a Linux kernel");
	w16(img + 0x206, 0x020b);
	expect_error("protocol 2.11 is too old");
	img[0x201] = 0x10;
	expect_error("corrupt header: its length byte");
	img[0x201] = 0x90; /* past 0x290 */
	expect_error("corrupt header: its length byte");
	img[0x1f1] = 255; /* setup longer than the file */
	expect_error("setup_sects");
	w32(img + 0x1f4, 0);
	expect_error("syssize is 0");
	img[0x211] = 0;
	expect_error("not a bzImage");
	w32(img + 0x230, 0x300000);
	expect_error("kernel_alignment 0x300000 is not a power of two");
	w32(img + 0x230, 0);
	expect_error("not a power of two");
	w32(img + 0x260, CODE_BYTES - 1);
	expect_error("init_size");
	img[0x234] = 0;
	w64(img + 0x258, 0x10000);
	expect_error("non-relocatable kernel wants to run at 0x10000");
	w64(img + 0x258, 0x100000000ull);
	expect_error("relocatable kernel wants to run at 0x100000000");
	w32(img + 0x260, 0x3000001); /* 16 MiB + init_size > 64 MiB */
	expect_error("VM RAM too small for this kernel");
}

static void test_small_ram(void **state)
{
	struct bzimage_args a = args("", 0);

	a.ram_bytes = 24 * MIB; /* kernel needs 16 + 16 MiB */
	assert_int_equal(bzimage_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "up to 32 MiB"));
	assert_non_null(strstr(err, "the VM has 24 MiB"));
	a.ram_bytes = 512 * 1024;
	assert_int_equal(bzimage_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at least 1 MiB"));
	a.ram_bytes = 32 * MIB; /* exactly enough */
	assert_int_equal(bzimage_load(&a, err, sizeof(err)), 0);
}

/* ---- the real setup headers (tests/unit/fixtures/bzimage/) ---------- */

/* What the fixtures' README says about each kernel. */
struct fixture {
	const char *name;
	unsigned setup_sects;
	uint32_t syssize;
	size_t file_size;     /* the whole real bzImage */
	bool relocatable;
	uint16_t xloadflags;
	uint32_t init_size;
	uint64_t need_mib;    /* ceil((pref_address + init_size) / 1 MiB) */
};

static const struct fixture fixtures[] = {
	/* Linux 6.1 tinyconfig: not relocatable, 13.72 MiB footprint */
	{ "small.setup", 31, 89664, 1451008, false, 0x21, 0xdb8000, 30 },
	/* Debian 6.1 stock: 1472 bytes of signature after syssize*16 */
	{ "stock.setup", 39, 514080, 8247232, true, 0x7f, 0x3f98000, 80 },
};

static size_t read_fixture(const char *name, uint8_t *buf, size_t max)
{
	char path[256];
	snprintf(path, sizeof(path), "tests/unit/fixtures/bzimage/%s", name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	size_t n = fread(buf, 1, max, f);
	fclose(f);
	return n;
}

/* The header as the README describes it. */
static void check_fixture_header(const struct fixture *fx, size_t n)
{
	assert_int_equal(n, (fx->setup_sects + 1) * 512);
	assert_true(bzimage_is_image(img, n));
	assert_int_equal(img[0x1f1], fx->setup_sects);
	assert_int_equal(r32(img + 0x1f4), fx->syssize);
	assert_int_equal(r16(img + 0x206), 0x020f);
	assert_int_equal(img[0x211], 0x01);
	assert_int_equal(img[0x234], fx->relocatable);
	assert_int_equal(r32(img + 0x230), 0x200000);
	assert_int_equal(r16(img + 0x236), fx->xloadflags);
	assert_int_equal(r64(img + 0x258), 0x1000000);
	assert_int_equal(r32(img + 0x260), fx->init_size);
	assert_int_equal(img[0x1ef], 0xff); /* the sentinel header.S sets */
}

/* The zero page built from the real header. */
static void check_fixture_zero_page(const uint8_t *zp, uint64_t initrd)
{
	unsigned end = 0x202 + img[0x201];

	/* The fields a loader writes; every other header byte is the
	 * file's, and nothing after the header's end is. */
	for (unsigned i = 0x1f1; i < end; i++) {
		bool written = (i >= 0x210 && i < 0x212) || /* loader, flags */
			       (i >= 0x214 && i < 0x220) || /* code32, initrd */
			       (i >= 0x224 && i < 0x22c);   /* heap, cmdline */
		if (!written && zp[i] != img[i])
			fail_msg("header byte %#x differs", i);
	}
	for (unsigned i = end; i < 0x290; i++)
		assert_int_equal(zp[i], 0);
	assert_int_equal(zp[0x1ef], 0);
	assert_int_equal(zp[0x210], 0xff);
	assert_int_equal(zp[0x211], 0x01);
	assert_int_equal(r32(zp + 0x214), 0x1000000);
	assert_int_equal(r32(zp + 0x218), initrd);
	assert_int_equal(r32(zp + 0x21c), FIXTURE_INITRD);
	assert_int_equal(r32(zp + 0x228), 0x20000);
	assert_int_equal(r64(zp + 0x70), 0xe0000);
	assert_int_equal(zp[0x1e8], 3);
}

static int load_fixture(uint8_t *file, size_t size, uint8_t *mem,
			uint64_t ram_bytes)
{
	struct bzimage_args a = {
		.file = file, .size = size, .initrd = rd,
		.initrd_size = FIXTURE_INITRD, .cmdline = "console=ttyS0",
		.ram = mem, .ram_bytes = ram_bytes, .acpi_rsdp = 0xe0000,
		.boot = &boot, .result = &res,
	};
	return bzimage_load(&a, err, sizeof(err));
}

/* Image = real setup + a synthetic payload of syssize*16 bytes + the
 * real file's trailer length; RAM just big enough, then 1 MiB short. */
static void check_fixture(const struct fixture *fx)
{
	size_t n = read_fixture(fx->name, img, sizeof(img));
	size_t code = (size_t)fx->syssize * 16;
	uint64_t ram_bytes = fx->need_mib * MIB + FIXTURE_INITRD + 4096;

	check_fixture_header(fx, n);
	assert_true(n + code <= fx->file_size);
	uint8_t *file = malloc(fx->file_size);
	uint8_t *mem = malloc(ram_bytes);
	assert_non_null(file);
	assert_non_null(mem);
	memcpy(file, img, n);
	for (size_t i = n; i < fx->file_size; i++)
		file[i] = (uint8_t)(i ^ (i >> 8));

	if (load_fixture(file, fx->file_size, mem, ram_bytes))
		fail_msg("%s: %s", fx->name, err);
	assert_int_equal(boot.mode, VCPU_BOOT_LONG64);
	assert_int_equal(boot.entry, 0x1000200);
	assert_int_equal(res.load_addr, 0x1000000);
	assert_int_equal(res.kernel_end, 0x1000000 + fx->init_size);
	assert_memory_equal(mem + 0x1000000, file + n, code);
	/* initrd: the top page-aligned slot of RAM, above the kernel */
	assert_int_equal(res.initrd_addr,
			 (ram_bytes - FIXTURE_INITRD) & ~0xfffull);
	assert_true(res.initrd_addr >= res.kernel_end);
	check_fixture_zero_page(mem + 0x7000, res.initrd_addr);
	print_message("%s: init_size %#x, loaded at %#llx, initrd at %#llx\n",
		      fx->name, fx->init_size,
		      (unsigned long long)res.load_addr,
		      (unsigned long long)res.initrd_addr);

	/* The kernel alone needs need_mib MiB; one MiB less is refused. */
	assert_int_equal(load_fixture(file, fx->file_size, mem,
				      (fx->need_mib - 1) * MIB), -1);
	char want[64];
	snprintf(want, sizeof(want), "up to %llu MiB",
		 (unsigned long long)fx->need_mib);
	assert_non_null(strstr(err, want));
	/* One byte short of syssize*16: truncated. */
	assert_int_equal(load_fixture(file, n + code - 1, mem, ram_bytes), -1);
	assert_non_null(strstr(err, "truncated"));
	free(file);
	free(mem);
}

static void test_fixture_small(void **state)
{
	check_fixture(&fixtures[0]);
}

static void test_fixture_stock(void **state)
{
	check_fixture(&fixtures[1]);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_is_image),
		T(test_load_64),
		T(test_load_32),
		T(test_placement),
		T(test_initrd_placement),
		T(test_acpi_rsdp),
		T(test_cmdline),
		T(test_errors),
		T(test_small_ram),
		T(test_fixture_small),
		T(test_fixture_stock),
	};
	return cmocka_run_group_tests_name("bzimage", tests, NULL, NULL);
}
