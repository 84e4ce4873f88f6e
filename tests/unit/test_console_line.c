/* Host tests for the guest console line buffer. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/console_line.h"

static struct console_line l;

/* Push a string; return how many complete lines it produced, leaving the
 * last one in l.buf. */
static int push(const char *s)
{
	int lines = 0;
	for (; *s; s++)
		if (console_line_push(&l, (unsigned char)*s)) {
			lines++;
			if (s[1])
				console_line_reset(&l);
		}
	return lines;
}

static void test_crlf_lines(void **state)
{
	memset(&l, 0, sizeof(l));
	assert_int_equal(push("Linux version 6.1\r\n"), 1);
	assert_string_equal(l.buf, "Linux version 6.1");
	console_line_reset(&l);
	assert_int_equal(push("a\r\n\r\nb"), 2);
	assert_string_equal(l.buf, "b"); /* not finished: no newline yet */
	assert_int_equal(l.len, 1);
	assert_true(console_line_flush(&l));
	assert_string_equal(l.buf, "b");
	console_line_reset(&l);
	assert_false(console_line_flush(&l));
}

static void test_escape_sequences_are_neutralized(void **state)
{
	memset(&l, 0, sizeof(l));
	assert_int_equal(push("\x1b[2Jhi\tthere\x7f\xff\n"), 1);
	assert_string_equal(l.buf, "?[2Jhi\tthere??");
}

static void test_long_line_is_cut(void **state)
{
	char longline[CONSOLE_LINE_MAX + 11];
	memset(longline, 'x', sizeof(longline) - 1);
	longline[sizeof(longline) - 1] = '\0';
	memset(&l, 0, sizeof(l));
	int lines = 0;
	for (size_t i = 0; longline[i]; i++)
		if (console_line_push(&l, (unsigned char)longline[i])) {
			lines++;
			assert_int_equal(strlen(l.buf), CONSOLE_LINE_MAX);
			console_line_reset(&l);
		}
	assert_int_equal(lines, 1);
	assert_int_equal(l.len, 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crlf_lines),
		cmocka_unit_test(test_escape_sequences_are_neutralized),
		cmocka_unit_test(test_long_line_is_cut),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
