/* Host tests for Volt's vsnprintf (lib/format.c), checked against the C
 * library's own snprintf for every case both support. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lib/format.h"

#define CHECK_LIKE_LIBC(fmt, ...)                                            \
	do {                                                                 \
		char want[128], got[128];                                    \
		int wn = snprintf(want, sizeof(want), fmt, __VA_ARGS__);     \
		int gn = volt_snprintf(got, sizeof(got), fmt, __VA_ARGS__);  \
		assert_string_equal(got, want);                              \
		assert_int_equal(gn, wn);                                    \
	} while (0)

static void test_integers(void **state)
{
	CHECK_LIKE_LIBC("%d %d %d", 0, -1, 2147483647);
	CHECK_LIKE_LIBC("%d", (int)-2147483647 - 1);
	CHECK_LIKE_LIBC("%i|%u", 42, 4294967295u);
	CHECK_LIKE_LIBC("%ld %lu", -9000000000l, 18446744073709551615ul);
	CHECK_LIKE_LIBC("%lld", (long long)INT64_MIN);
	CHECK_LIKE_LIBC("%llu", (unsigned long long)UINT64_MAX);
	CHECK_LIKE_LIBC("%zu %zd", (size_t)123456, (ssize_t)-5);
	CHECK_LIKE_LIBC("%x %X %lx", 0xbeefu, 0xbeefu, 0xfedcba9876543210ul);
}

static void test_width_and_flags(void **state)
{
	CHECK_LIKE_LIBC("[%5d][%-5d][%05d]", 42, 42, 42);
	CHECK_LIKE_LIBC("[%05d][%6d]", -42, -42);
	CHECK_LIKE_LIBC("[%016lx]", 0x1234ul);
	CHECK_LIKE_LIBC("[%8s][%-8s]", "ab", "ab");
	CHECK_LIKE_LIBC("[%.3s][%5.2s]", "abcdef", "abcdef");
	CHECK_LIKE_LIBC("[%c%c][%3c]", 'o', 'k', 'x');
	CHECK_LIKE_LIBC("100%% %s", "done");
	CHECK_LIKE_LIBC("[%#x][%#X][%#x]", 0x1fu, 0xabu, 0u);
	CHECK_LIKE_LIBC("[%.*s][%*d][%-*d]", 3, "abcdef", 5, 42, 4, 7);
	CHECK_LIKE_LIBC("[%*d]", -4, 7);
	CHECK_LIKE_LIBC("[%#014lx][%#-8x]", 0xfee00000ul, 0x10u);
}

static void test_pointer(void **state)
{
	char got[64];
	volt_snprintf(got, sizeof(got), "%p", (void *)0x1000);
	assert_string_equal(got, "0x1000");
	volt_snprintf(got, sizeof(got), "%p", (void *)0);
	assert_string_equal(got, "0x0");
}

/* Formats the compiler would reject at the call site go through here. */
static int format_unchecked(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = volt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static void test_null_string(void **state)
{
	char got[32];
	const char *null_string = NULL;
	format_unchecked(got, sizeof(got), "%s", null_string);
	assert_string_equal(got, "(null)");
}

static void test_truncation(void **state)
{
	char buf[8];
	memset(buf, 'Z', sizeof(buf));
	int n = volt_snprintf(buf, 5, "%s-%d", "abcdef", 12);
	assert_int_equal(n, 9);           /* full length, like C99 */
	assert_string_equal(buf, "abcd"); /* always terminated */
	assert_int_equal(buf[5], 'Z');    /* nothing past the limit */

	n = volt_snprintf(buf, 0, "%d", 12345);
	assert_int_equal(n, 5);
	assert_int_equal(buf[0], 'a');    /* size 0: nothing written */
}

/* %.*s must not read past the precision: the string need not end there
 * (found by fuzzing the option parser). */
static void test_precision_stops_reading(void **state)
{
	char *unterminated = malloc(3);
	memcpy(unterminated, "abc", 3);
	char got[8];
	format_unchecked(got, sizeof(got), "%.*s", 3, unterminated);
	assert_string_equal(got, "abc");
	free(unterminated);
}

static void test_odd_formats(void **state)
{
	char got[32];
	format_unchecked(got, sizeof(got), "abc%");
	assert_string_equal(got, "abc");
	format_unchecked(got, sizeof(got), "%q");
	assert_string_equal(got, "%q");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_width_and_flags),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_null_string),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_precision_stops_reading),
		cmocka_unit_test(test_odd_formats),
	};
	return cmocka_run_group_tests_name("format", tests, NULL, NULL);
}
