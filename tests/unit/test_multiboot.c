/*
 * Host tests for the Multiboot v1 loader: hand-built ELF32, ELF64 and
 * a.out-kludge images; the information structure parsed back field by
 * field the way a kernel reads it (spec 0.6.96 section 3.3); malformed
 * and hostile images. Offsets are written as numbers from the spec and
 * the ELF gABI, not the loader's macros.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/loader/multiboot.h"

#define MIB (1ull << 20)
#define RAM_BYTES (64 * MIB)

static uint8_t *ram;
static uint8_t img[32 * 1024];
static size_t img_size;
static uint8_t mod[10000];
static struct vcpu_boot boot;
static struct multiboot_result res;
static char err[256];

static void w16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void w32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void w64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }
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

static void mb_header(size_t off, uint32_t flags)
{
	w32(img + off, 0x1badb002);
	w32(img + off + 4, flags);
	w32(img + off + 8, -(0x1badb002u + flags));
}

static void fill(size_t off, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++)
		img[off + i] = (uint8_t)(seed + i * 5);
}

/* ELF32: text at file 0x1000 -> 0x100000 (0x800 bytes, 0x2000 in
 * memory: bss), data at file 0x1800 -> 0x200000, and a PT_NOTE that
 * must be ignored. The Multiboot header opens the text. */
static void make_elf32(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 1; /* ELFCLASS32 */
	img[5] = 1; /* little-endian */
	img[6] = 1;
	w16(img + 16, 2);          /* ET_EXEC */
	w16(img + 18, 3);          /* EM_386 */
	w32(img + 20, 1);
	w32(img + 24, 0x100010);   /* e_entry */
	w32(img + 28, 52);         /* e_phoff */
	w16(img + 40, 52);         /* e_ehsize */
	w16(img + 42, 32);         /* e_phentsize */
	w16(img + 44, 3);          /* e_phnum */
	uint8_t *ph = img + 52;
	w32(ph + 0, 1);            /* PT_LOAD */
	w32(ph + 4, 0x1000);       /* p_offset */
	w32(ph + 8, 0x100000);     /* p_vaddr */
	w32(ph + 12, 0x100000);    /* p_paddr */
	w32(ph + 16, 0x800);       /* p_filesz */
	w32(ph + 20, 0x2000);      /* p_memsz */
	ph += 32;
	w32(ph + 0, 4);            /* PT_NOTE: ignored */
	w32(ph + 4, 0x1800);
	w32(ph + 12, 0x10);        /* would hit the boot area if loaded */
	w32(ph + 16, 0x10);
	w32(ph + 20, 0x10);
	ph += 32;
	w32(ph + 0, 1);
	w32(ph + 4, 0x1800);
	w32(ph + 8, 0x200000);
	w32(ph + 12, 0x200000);
	w32(ph + 16, 0x100);
	w32(ph + 20, 0x100);
	fill(0x1000, 0x900, 0x11);
	mb_header(0x1000, 0x3);
	img_size = 0x1900;
}

/* ELF64, linked in the higher half: p_vaddr != p_paddr, so the entry
 * point must be translated to its physical address. */
static void make_elf64(void)
{
	memset(img, 0, sizeof(img));
	memcpy(img, "\177ELF", 4);
	img[4] = 2; /* ELFCLASS64 */
	img[5] = 1;
	img[6] = 1;
	w16(img + 16, 2);
	w16(img + 18, 62);         /* EM_X86_64 */
	w32(img + 20, 1);
	w64(img + 24, 0xffffffff80100020ull); /* e_entry (virtual) */
	w64(img + 32, 64);         /* e_phoff */
	w16(img + 52, 64);
	w16(img + 54, 56);         /* e_phentsize */
	w16(img + 56, 1);
	uint8_t *ph = img + 64;
	w32(ph + 0, 1);
	w32(ph + 4, 5);            /* p_flags */
	w64(ph + 8, 0x2000);       /* p_offset */
	w64(ph + 16, 0xffffffff80100000ull);
	w64(ph + 24, 0x100000);    /* p_paddr */
	w64(ph + 32, 0x1000);
	w64(ph + 40, 0x3000);
	fill(0x2000, 0x1000, 0x22);
	mb_header(0x2000 - 0x1000, 0x2); /* header in the first 8 KiB */
	img_size = 0x3000;
}

/* a.out kludge: the header at file 0x40 says the image starts at file 0
 * (load_addr = header_addr - 0x40), loads 0x600 bytes (the file's last
 * 0x200 are not loaded) and has bss up to 0x101000. */
static void make_kludge(void)
{
	memset(img, 0, sizeof(img));
	fill(0, 0x800, 0x33);
	mb_header(0x40, 0x10003);
	w32(img + 0x4c, 0x100040); /* header_addr */
	w32(img + 0x50, 0x100000); /* load_addr */
	w32(img + 0x54, 0x100600); /* load_end_addr */
	w32(img + 0x58, 0x101000); /* bss_end_addr */
	w32(img + 0x5c, 0x100080); /* entry_addr */
	img_size = 0x800;
}

static struct multiboot_args args(void)
{
	struct multiboot_args a = {
		.file = img, .size = img_size, .module = mod,
		.module_size = sizeof(mod), .module_name = "initrd.img",
		.cmdline = "volt-mb-test", .ram = ram, .ram_bytes = RAM_BYTES,
		.boot = &boot, .result = &res,
	};
	return a;
}

static int load(void)
{
	struct multiboot_args a = args();
	memset(ram, 0xcc, 4 * MIB);
	return multiboot_load(&a, err, sizeof(err));
}

static int setup(void **state)
{
	ram = malloc(RAM_BYTES);
	assert_non_null(ram);
	memset(ram, 0xcc, RAM_BYTES);
	memset(&boot, 0xee, sizeof(boot));
	memset(&res, 0, sizeof(res));
	for (size_t i = 0; i < sizeof(mod); i++)
		mod[i] = (uint8_t)(i * 3 + 7);
	err[0] = 0;
	return 0;
}

static int teardown(void **state)
{
	free(ram);
	return 0;
}

static const char *str_at(uint32_t gpa)
{
	assert_true(gpa < RAM_BYTES);
	return (const char *)ram + gpa;
}

/* Read the information structure back as a kernel would. */
static void check_info(uint32_t mod_start)
{
	assert_int_equal(boot.rbx, 0x30000);
	const uint8_t *mbi = ram + boot.rbx;
	uint32_t flags = r32(mbi);

	/* mem (0), cmdline (2), mods (3), mmap (6), loader name (9) */
	assert_int_equal(flags, 0x24d);
	assert_int_equal(r32(mbi + 4), 639);            /* mem_lower */
	assert_int_equal(r32(mbi + 8), (RAM_BYTES - MIB) / 1024);
	assert_int_equal(r32(mbi + 12), 0);             /* no boot_device */
	assert_string_equal(str_at(r32(mbi + 16)), "volt-mb-test");
	assert_int_equal(r32(mbi + 20), 1);             /* mods_count */
	const uint8_t *m = ram + r32(mbi + 24);
	assert_int_equal(r32(m), mod_start);
	assert_int_equal(r32(m + 4), mod_start + sizeof(mod));
	assert_string_equal(str_at(r32(m + 8)), "initrd.img");
	assert_int_equal(r32(m + 12), 0);
	assert_int_equal(mod_start % 4096, 0);
	assert_memory_equal(ram + mod_start, mod, sizeof(mod));
	for (int i = 28; i < 44; i++)
		assert_int_equal(mbi[i], 0);            /* no symbols */

	/* mmap: walk it by each entry's size field. */
	uint32_t len = r32(mbi + 44), at = r32(mbi + 48), seen = 0;
	static const uint64_t want[3][3] = {
		{ 0, 0x9fc00, 1 },
		{ 0x9fc00, 0x60400, 2 },
		{ 0x100000, RAM_BYTES - MIB, 1 },
	};
	for (uint32_t off = 0; off < len; seen++) {
		const uint8_t *e = ram + at + off;
		assert_true(seen < 3);
		assert_int_equal(r32(e), 20);
		assert_int_equal(r64(e + 4), want[seen][0]);
		assert_int_equal(r64(e + 12), want[seen][1]);
		assert_int_equal(r32(e + 20), want[seen][2]);
		off += r32(e) + 4;
	}
	assert_int_equal(seen, 3);
	assert_int_equal(len, 72);
	assert_string_equal(str_at(r32(mbi + 64)), "Volt");

	/* Machine state (spec 3.2). */
	assert_int_equal(boot.mode, VCPU_BOOT_PROT32);
	assert_int_equal(boot.rax, 0x2badb002);
	assert_int_equal(boot.rsi, 0);
	assert_int_equal(boot.cr3, 0);
	assert_int_equal(boot.code_sel, 0x10);
	assert_int_equal(boot.data_sel, 0x18);
	assert_int_equal(boot.gdt_base, 0x1000);
	assert_int_equal(boot.gdt_limit, 31);
	assert_int_equal(r64(ram + 0x1010), 0x00cf9b000000ffffull);
	assert_int_equal(r64(ram + 0x1018), 0x00cf93000000ffffull);
}

static void test_is_image(void **state)
{
	make_elf32();
	assert_true(multiboot_is_image(img, img_size));
	img[0x1008]++; /* checksum */
	assert_false(multiboot_is_image(img, img_size));
	make_kludge();
	assert_true(multiboot_is_image(img, img_size));
	assert_false(multiboot_is_image(img, 0x4b)); /* header cut off */
}

static void test_elf32(void **state)
{
	make_elf32();
	assert_int_equal(load(), 0);
	assert_memory_equal(ram + 0x100000, img + 0x1000, 0x800);
	for (int i = 0x800; i < 0x2000; i++)
		assert_int_equal(ram[0x100000 + i], 0); /* bss zeroed */
	assert_int_equal(ram[0x102000], 0xcc);
	assert_memory_equal(ram + 0x200000, img + 0x1800, 0x100);
	assert_int_equal(ram[0x10], 0xcc); /* the PT_NOTE was not loaded */
	assert_int_equal(boot.entry, 0x100010);
	check_info(0x201000); /* after the highest segment */
	assert_int_equal(res.format, MULTIBOOT_ELF32);
	assert_int_equal(res.header_offset, 0x1000);
	assert_int_equal(res.load_start, 0x100000);
	assert_int_equal(res.load_end, 0x200100);
	assert_int_equal(res.module_addr, 0x201000);
	assert_false(res.video_ignored);
}

static void test_elf64(void **state)
{
	make_elf64();
	assert_int_equal(load(), 0);
	assert_memory_equal(ram + 0x100000, img + 0x2000, 0x1000);
	for (int i = 0x1000; i < 0x3000; i++)
		assert_int_equal(ram[0x100000 + i], 0);
	assert_int_equal(boot.entry, 0x100020); /* physical */
	check_info(0x103000);
	assert_int_equal(res.format, MULTIBOOT_ELF64);

	/* The entry must lie in a segment's file bytes. */
	make_elf64();
	w64(img + 24, 0xffffffff80101000ull); /* in bss */
	assert_int_equal(load(), -1);
	assert_non_null(strstr(err, "entry point 0xffffffff80101000 is in "
				    "no loaded segment"));
}

static void test_kludge(void **state)
{
	make_kludge();
	assert_int_equal(load(), 0);
	assert_memory_equal(ram + 0x100000, img, 0x600);
	for (int i = 0x600; i < 0x1000; i++)
		assert_int_equal(ram[0x100000 + i], 0); /* file bytes too */
	assert_int_equal(ram[0x101000], mod[0]); /* module right after */
	assert_int_equal(boot.entry, 0x100080);
	check_info(0x101000);
	assert_int_equal(res.format, MULTIBOOT_AOUT_KLUDGE);

	/* load_end_addr 0: the whole file; bss_end_addr 0: no bss. The
	 * kludge wins over an ELF header (spec 3.1.2, bit 16). */
	make_kludge();
	memcpy(img, "\177ELF", 4);
	w32(img + 0x54, 0);
	w32(img + 0x58, 0);
	assert_int_equal(load(), 0);
	assert_memory_equal(ram + 0x100000, img, 0x800);
	assert_int_equal(res.load_end, 0x100800);
	assert_int_equal(res.module_addr, 0x101000);
}

static void test_no_module_and_video(void **state)
{
	struct multiboot_args a;

	make_kludge();
	mb_header(0x40, 0x10007); /* video mode wanted: ignored */
	a = args();
	a.module = NULL;
	a.cmdline = NULL;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);
	assert_true(res.video_ignored);
	assert_int_equal(res.module_addr, 0);
	assert_int_equal(r32(ram + 0x30000 + 20), 0); /* mods_count */
	assert_int_equal(*str_at(r32(ram + 0x30000 + 16)), 0);
	assert_int_equal(r32(ram + 0x30000) & 0x1800, 0); /* no VBE/fb */
}

static void test_module_placement(void **state)
{
	/* A kernel ending just below the BIOS area: the module moves to
	 * 1 MiB instead of straddling it. */
	make_kludge();
	w32(img + 0x4c, 0x90040);
	w32(img + 0x50, 0x90000);
	w32(img + 0x54, 0x90600);
	w32(img + 0x58, 0x9e000);
	w32(img + 0x5c, 0x90080);
	assert_int_equal(load(), 0);
	assert_int_equal(res.module_addr, 0x100000);
	/* A small module still fits below it. */
	struct multiboot_args a = args();
	a.module_size = 0x1000;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);
	assert_int_equal(res.module_addr, 0x9e000);

	/* Too big for RAM. */
	make_kludge();
	a = args();
	a.ram_bytes = 0x101000 + sizeof(mod) - 1; /* module at 0x101000 */
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "module of 10000 bytes does not fit"));
	a.ram_bytes++;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);
}

static void expect_error(const char *what)
{
	memset(ram, 0xcc, 4 * MIB);
	struct multiboot_args a = args();
	if (multiboot_load(&a, err, sizeof(err)) != -1)
		fail_msg("loaded although: %s", what);
	if (!strstr(err, what))
		fail_msg("error '%s' does not say '%s'", err, what);
	assert_int_equal(ram[0x30000], 0xcc); /* nothing written */
	assert_int_equal(ram[0x100000], 0xcc);
	assert_int_equal(ram[0x1010], 0xcc);
}

static void test_header_errors(void **state)
{
	make_elf32();
	img[0x1008]++;
	expect_error("Multiboot header at offset 0x1000 has a bad checksum");

	/* At 8 KiB: outside the search area. */
	make_elf32();
	memmove(img + 0x2000, img + 0x1000, 12);
	memset(img + 0x1000, 0, 12);
	img_size = 0x3000;
	expect_error("no Multiboot header");
	/* The last word that fits is 8180; the kludge fields then do not. */
	make_kludge();
	memset(img + 0x40, 0, 32);
	img_size = 0x3000;
	mb_header(8180, 0x3);
	assert_true(multiboot_is_image(img, img_size));
	mb_header(8180, 0x10003);
	expect_error("run past the first 8 KiB");
	/* Straddling the 8 KiB line: not a header at all. */
	memset(img + 8180, 0, 12);
	mb_header(8184, 0x3);
	assert_false(multiboot_is_image(img, img_size));
	expect_error("no Multiboot header");
	/* Not 4-byte aligned: not a header. */
	make_kludge();
	memset(img + 0x40, 0, 32);
	mb_header(0x42, 0x10003);
	expect_error("no Multiboot header");

	make_kludge();
	mb_header(0x40, 0x10003 | (1u << 3)); /* unknown required bit */
	expect_error("flags bits 0x8");
	make_kludge();
	mb_header(0x40, 0x3 | (1u << 17)); /* unknown optional bit: fine */
	memset(img, 0x90, 4);
	expect_error("neither ELF nor");
}

static void test_kludge_errors(void **state)
{
	make_kludge();
	w32(img + 0x50, 0x100044); /* load_addr > header_addr */
	expect_error("load_addr 0x100044 is above header_addr");
	make_kludge();
	w32(img + 0x50, 0xfffc0); /* 0x80 before header: file starts 0x40 */
	expect_error("start 64 bytes before the file");
	make_kludge();
	w32(img + 0x54, 0x100801);
	expect_error("past the end of the 2048-byte file");
	make_kludge();
	w32(img + 0x58, 0x1005ff);
	expect_error("bss_end_addr 0x1005ff is below");
	make_kludge();
	w32(img + 0x5c, 0x100600);
	expect_error("entry_addr 0x100600 is outside");
}

static void test_elf_errors(void **state)
{
	make_elf32();
	w32(img + 52 + 16, 0x2001); /* filesz > memsz */
	expect_error("exceed p_memsz");
	make_elf32();
	w32(img + 52 + 4, 0x1200); /* file bytes past the end */
	expect_error("past the file's end");
	make_elf32();
	w32(img + 28, 0x1900 - 64); /* phdrs past the end */
	expect_error("program header table");
	make_elf32();
	w16(img + 42, 16);
	expect_error("program header table");
	make_elf32();
	w16(img + 18, 62); /* ELF32 claiming x86-64 */
	expect_error("not an x86 executable");
	make_elf32();
	img[5] = 2; /* big-endian */
	expect_error("little-endian");
	make_elf32();
	w32(img + 52, 6);
	w32(img + 52 + 64, 6); /* no PT_LOAD left */
	expect_error("no PT_LOAD");
	make_elf32();
	w32(img + 24, 0x300000);
	expect_error("entry point 0x300000 is in no loaded segment");
}

static void expect_segment_error(uint32_t paddr, uint32_t memsz,
				 const char *what)
{
	make_elf32();
	w32(img + 52 + 8, paddr); /* vaddr too: the entry follows */
	w32(img + 52 + 12, paddr);
	w32(img + 52 + 20, memsz);
	w32(img + 24, paddr + 0x10);
	expect_error(what);
}

static void test_segment_errors(void **state)
{
	expect_segment_error(0x30000, 0x1000, "overlaps Volt's boot area");
	expect_segment_error(0x3f000, 0x1001, "overlaps Volt's boot area");
	expect_segment_error(0x9f000, 0x1000, "overlaps the reserved BIOS");
	expect_segment_error(0xc0000, 0x1000, "overlaps the reserved BIOS");
	expect_segment_error(0x3fff000, 0x1001, "runs past the VM's 64 MiB");
	expect_segment_error(0xfffff000, 0x2000, "not below 4 GiB");
	/* Right up to the limits is fine. */
	make_elf32();
	w32(img + 52 + 8, 0x40000);
	w32(img + 52 + 12, 0x40000);
	w32(img + 52 + 20, 0x5fc00);  /* ends at 0x9fc00 */
	w32(img + 24, 0x40000);
	assert_int_equal(load(), 0);
	make_elf32();
	w32(img + 52 + 64 + 8, 0x3fff000);
	w32(img + 52 + 64 + 12, 0x3fff000);
	w32(img + 52 + 64 + 20, 0x1000); /* ends at the end of RAM */
	struct multiboot_args a = args();
	a.module = NULL;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);

	/* ELF64 segment above 4 GiB. */
	make_elf64();
	w64(img + 64 + 24, 0x100000000ull);
	expect_error("not below 4 GiB");
}

static void test_small_ram_and_strings(void **state)
{
	static char line[0x10000];
	struct multiboot_args a;

	make_kludge();
	a = args();
	a.ram_bytes = 0x80000;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "at least 1 MiB"));

	memset(line, 'c', sizeof(line));
	line[0xf7ff] = 0; /* 0xf7ff characters + NUL fill 0x30800-0x3ffff */
	a = args();
	a.cmdline = line;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);
	assert_int_equal(strlen(str_at(r32(ram + 0x30010))), 0xf7ff);
	line[0xf7ff] = 'c';
	line[0xf800] = 0;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "command line"));

	line[1023] = 0; /* 1023 characters + NUL fill 0x30400-0x307ff */
	a = args();
	a.module_name = line;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), 0);
	assert_int_equal(strlen(str_at(r32(ram + r32(ram + 0x30018) + 8))),
			 1023);
	line[1023] = 'c';
	line[1024] = 0;
	assert_int_equal(multiboot_load(&a, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "module name"));
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_is_image),
		T(test_elf32),
		T(test_elf64),
		T(test_kludge),
		T(test_no_module_and_video),
		T(test_module_placement),
		T(test_header_errors),
		T(test_kludge_errors),
		T(test_elf_errors),
		T(test_segment_errors),
		T(test_small_ram_and_strings),
	};
	return cmocka_run_group_tests_name("multiboot", tests, NULL, NULL);
}
