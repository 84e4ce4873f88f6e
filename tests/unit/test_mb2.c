/* Host tests for the Multiboot2 boot-information parser. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/multiboot2/mb2_parse.h"

/* A tag-list builder: tags are appended 8-byte aligned, END added last. */
struct builder {
	uint8_t buf[4096] __attribute__((aligned(8)));
	uint32_t len;
};

static void b_init(struct builder *b)
{
	memset(b, 0, sizeof(*b));
	b->len = 8;
}

static uint8_t *b_tag(struct builder *b, uint32_t type, uint32_t size)
{
	uint8_t *t = b->buf + b->len;
	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	b->len += (size + 7) & ~7u;
	return t;
}

static void b_end(struct builder *b)
{
	b_tag(b, MB2_TAG_END, 8);
	memcpy(b->buf, &b->len, 4);
}

static void b_mmap(struct builder *b, int n, const uint64_t (*e)[3])
{
	uint8_t *t = b_tag(b, MB2_TAG_MMAP, 16 + 24 * n);
	uint32_t esz = 24, ver = 0;
	memcpy(t + 8, &esz, 4);
	memcpy(t + 12, &ver, 4);
	for (int i = 0; i < n; i++) {
		uint32_t type = (uint32_t)e[i][2], zero = 0;
		memcpy(t + 16 + 24 * i, &e[i][0], 8);
		memcpy(t + 24 + 24 * i, &e[i][1], 8);
		memcpy(t + 32 + 24 * i, &type, 4);
		memcpy(t + 36 + 24 * i, &zero, 4);
	}
}

static void b_module(struct builder *b, uint32_t start, uint32_t end,
		     const char *name)
{
	uint32_t size = 16 + (uint32_t)strlen(name) + 1;
	uint8_t *t = b_tag(b, MB2_TAG_MODULE, size);
	memcpy(t + 8, &start, 4);
	memcpy(t + 12, &end, 4);
	memcpy(t + 16, name, strlen(name) + 1);
}

static const uint64_t two_regions[][3] = {
	{ 0, 0x9fc00, 1 },
	{ 0x100000, 0x7ee0000, 1 },
};

static void test_full_list(void **state)
{
	static struct builder b;
	static struct boot_info bi;
	memset(&bi, 0, sizeof(bi));
	b_init(&b);
	const char *cmd = "on_idle=poweroff debug=pagefault";
	uint8_t *t = b_tag(&b, MB2_TAG_CMDLINE, 8 + strlen(cmd) + 1);
	memcpy(t + 8, cmd, strlen(cmd) + 1);
	b_mmap(&b, 2, two_regions);
	b_module(&b, 0x200000, 0x200123, "volt.cfg");
	b_module(&b, 0x300000, 0x400000, "bzImage");
	uint8_t *a = b_tag(&b, MB2_TAG_ACPI_OLD, 8 + 20);
	memcpy(a + 8, "RSD PTR ", 8);
	a = b_tag(&b, MB2_TAG_ACPI_NEW, 8 + 36);
	memcpy(a + 8, "RSD PTR ", 8);
	a[8 + 15] = 2; /* revision of the new copy */
	b_end(&b);

	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &bi), 0);
	assert_string_equal(bi.cmdline, cmd);
	assert_int_equal(bi.mem_count, 2);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].length, 0x7ee0000);
	assert_int_equal(bi.mem[1].type, MEM_USABLE);
	assert_int_equal(bi.module_count, 2);
	assert_string_equal(bi.modules[0].name, "volt.cfg");
	assert_int_equal(bi.modules[0].base, 0x200000);
	assert_int_equal(bi.modules[0].size, 0x123);
	assert_string_equal(bi.modules[1].name, "bzImage");
	/* The ACPI 2.0 copy wins over the 1.0 one, whatever the order. */
	assert_int_equal(bi.rsdp, (uint64_t)(uintptr_t)bi.rsdp_copy);
	assert_int_equal(bi.rsdp_copy[15], 2);
	assert_int_equal(bi.error[0], 0);
}

static void test_memory_types(void **state)
{
	static const uint64_t regions[][3] = {
		{ 0, 0x1000, 1 }, { 0x1000, 0x1000, 2 }, { 0x2000, 0x1000, 3 },
		{ 0x3000, 0x1000, 4 }, { 0x4000, 0x1000, 5 }, { 0x5000, 0x1000, 99 },
		{ 0x6000, 0, 1 }, /* empty: dropped */
	};
	static struct builder b;
	static struct boot_info bi;
	memset(&bi, 0, sizeof(bi));
	b_init(&b);
	b_mmap(&b, 7, regions);
	b_end(&b);
	assert_int_equal(mb2_parse(b.buf, sizeof(b.buf), &bi), 0);
	assert_int_equal(bi.mem_count, 6);
	assert_int_equal(bi.mem[0].type, MEM_USABLE);
	assert_int_equal(bi.mem[1].type, MEM_RESERVED);
	assert_int_equal(bi.mem[2].type, MEM_ACPI_RECLAIM);
	assert_int_equal(bi.mem[3].type, MEM_ACPI_NVS);
	assert_int_equal(bi.mem[4].type, MEM_BAD);
	assert_int_equal(bi.mem[5].type, MEM_RESERVED);
}

/* Each malformed list must fail with a message, never read out of bounds. */
static void expect_error(struct builder *b, size_t max, const char *needle)
{
	static struct boot_info bi;
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(mb2_parse(b->buf, max, &bi), -1);
	assert_int_equal(bi.error_fatal, 1);
	assert_non_null(strstr(bi.error, needle));
}

static void test_malformed(void **state)
{
	static struct builder b;

	b_init(&b);
	b_mmap(&b, 2, two_regions);
	b_end(&b);
	expect_error(&b, 12, "shorter than its header");

	b_init(&b);
	b_end(&b); /* an END tag but no memory map */
	expect_error(&b, sizeof(b.buf), "no memory map");

	b_init(&b);
	b_mmap(&b, 2, two_regions);
	memcpy(b.buf, &b.len, 4); /* no END tag */
	expect_error(&b, sizeof(b.buf), "no end tag");

	b_init(&b);
	b_mmap(&b, 2, two_regions);
	b_end(&b);
	uint32_t huge = 1u << 30;
	memcpy(b.buf, &huge, 4);
	expect_error(&b, sizeof(b.buf), "total_size");

	b_init(&b);
	uint8_t *t = b_tag(&b, MB2_TAG_CMDLINE, 16);
	uint32_t bad = 0x7fffffff;
	memcpy(t + 4, &bad, 4); /* tag runs past the end */
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "tag size");

	b_init(&b);
	t = b_tag(&b, MB2_TAG_CMDLINE, 4); /* smaller than a tag header */
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "tag size");

	b_init(&b);
	t = b_tag(&b, MB2_TAG_CMDLINE, 12);
	memcpy(t + 8, "abcd", 4); /* no terminating NUL */
	b_mmap(&b, 2, two_regions);
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "command line not terminated");

	b_init(&b);
	b_mmap(&b, 2, two_regions);
	b_module(&b, 0x5000, 0x4000, "backwards");
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "module ends before");

	b_init(&b);
	t = b_tag(&b, MB2_TAG_MMAP, 40);
	uint32_t esz = 12; /* smaller than an entry */
	memcpy(t + 8, &esz, 4);
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "entry size");
}

static void test_too_many_modules(void **state)
{
	static struct builder b;
	b_init(&b);
	b_mmap(&b, 2, two_regions);
	for (int i = 0; i <= BOOT_MAX_MODULES; i++)
		b_module(&b, 0x1000, 0x2000, "m");
	b_end(&b);
	expect_error(&b, sizeof(b.buf), "too many modules");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_list),
		cmocka_unit_test(test_memory_types),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_too_many_modules),
	};
	return cmocka_run_group_tests_name("mb2_parse", tests, NULL, NULL);
}
