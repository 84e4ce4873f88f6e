/* Host tests for the flat test-guest image loader. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/loader/flat.h"

static uint8_t img[64];

static void make(uint32_t load, uint32_t entry)
{
	memset(img, 0x90, sizeof(img));
	memcpy(img, "VOLTFLAT", 8);
	memcpy(img + 8, &load, 4);
	memcpy(img + 12, &entry, 4);
}

static void test_good(void **state)
{
	struct flat_image f;
	char err[160];
	make(0x8000, 0x8010);
	assert_int_equal(flat_parse(img, sizeof(img), 16 << 20, &f, err, sizeof(err)), 0);
	assert_int_equal(f.load, 0x8000);
	assert_int_equal(f.entry, 0x8010);
	assert_int_equal(f.size, sizeof(img));
}

static void test_bad(void **state)
{
	struct flat_image f;
	char err[160];
	make(0x8000, 0x8010);
	img[0] = 'X';
	assert_int_equal(flat_parse(img, sizeof(img), 16 << 20, &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a flat image"));
	assert_int_equal(flat_parse(img, 8, 16 << 20, &f, err, sizeof(err)), -1);

	make(0x8000, 0x8000); /* entry inside the header */
	assert_int_equal(flat_parse(img, sizeof(img), 16 << 20, &f, err, sizeof(err)), -1);
	make(0x8000, 0x8040); /* entry past the end */
	assert_int_equal(flat_parse(img, sizeof(img), 16 << 20, &f, err, sizeof(err)), -1);
	make(0xfffe0, 0xffff0); /* crosses 1 MiB */
	assert_int_equal(flat_parse(img, sizeof(img), 16 << 20, &f, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "does not fit"));
	make(0x8000, 0x8010); /* RAM too small */
	assert_int_equal(flat_parse(img, sizeof(img), 0x8020, &f, err, sizeof(err)), -1);
	make(0xfffffff0, 0xfffffff8); /* wraps a 32-bit sum */
	assert_int_equal(flat_parse(img, sizeof(img), ~0ull, &f, err, sizeof(err)), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
	};
	return cmocka_run_group_tests_name("flat", tests, NULL, NULL);
}
