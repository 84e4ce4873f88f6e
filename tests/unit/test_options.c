/*
 * Host tests for the host options (vmm/options.c): the boot command line
 * from GRUB or UEFI load options, and how it merges with the config's host
 * line (the command line wins).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/options.h"

static struct host_options opt;
static char err[OPTIONS_ERR_MAX];

static int parse(const char *cmdline)
{
	options_defaults(&opt);
	memset(err, 'X', sizeof(err));
	return options_parse(cmdline, &opt, err, sizeof(err));
}

static void test_defaults(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_string_equal(err, "");
	assert_int_equal(opt.on_idle, HOST_POWEROFF);
	assert_int_equal(opt.on_fault, HOST_HALT);
	assert_false(opt.exit_isa_debug);
	assert_int_equal(opt.debug_fault, DEBUG_NONE);
	assert_false(opt.acpidump);
	assert_string_equal(opt.config_name, "volt.cfg");
	assert_true(opt.apicv);
	assert_int_equal(opt.set, 0);
	/* Whitespace only, and no command line at all. */
	assert_int_equal(parse(" \t\r\n "), 0);
	assert_int_equal(opt.set, 0);
	assert_int_equal(parse(NULL), 0);
	assert_string_equal(opt.config_name, "volt.cfg");
}

static void test_every_option(void **state)
{
	assert_int_equal(parse("on_idle=halt on_fault=poweroff exit=isa-debug-exit "
			       "debug=gpfault acpidump config=test.cfg"), 0);
	assert_string_equal(err, "");
	assert_int_equal(opt.on_idle, HOST_HALT);
	assert_int_equal(opt.on_fault, HOST_POWEROFF);
	assert_true(opt.exit_isa_debug);
	assert_int_equal(opt.debug_fault, DEBUG_GPFAULT);
	assert_true(opt.acpidump);
	assert_string_equal(opt.config_name, "test.cfg");
	assert_int_equal(opt.set, OPT_ON_IDLE | OPT_ON_FAULT | OPT_EXIT |
				  OPT_DEBUG | OPT_ACPIDUMP | OPT_CONFIG);

	assert_int_equal(parse("on_idle=poweroff on_fault=halt exit=acpi"), 0);
	assert_int_equal(opt.on_idle, HOST_POWEROFF);
	assert_int_equal(opt.on_fault, HOST_HALT);
	assert_false(opt.exit_isa_debug);
	assert_int_equal(opt.set, OPT_ON_IDLE | OPT_ON_FAULT | OPT_EXIT);

	assert_int_equal(parse("debug=pagefault"), 0);
	assert_int_equal(opt.debug_fault, DEBUG_PAGEFAULT);
	assert_int_equal(parse("debug=divide"), 0);
	assert_int_equal(opt.debug_fault, DEBUG_DIVIDE);
	assert_int_equal(parse("debug=none"), 0);
	assert_int_equal(opt.debug_fault, DEBUG_NONE);
	assert_int_equal(opt.set, OPT_DEBUG);

	assert_int_equal(parse("apicv=off"), 0);
	assert_false(opt.apicv);
	assert_int_equal(opt.set, OPT_APICV);
	assert_int_equal(parse("apicv=off apicv=on"), 0); /* the later one */
	assert_true(opt.apicv);
	assert_int_equal(opt.set, OPT_APICV);
}

static void test_bad_words(void **state)
{
	static const struct { const char *word, *msg; } cases[] = {
		{ "frobnicate", "unknown option 'frobnicate'" },
		{ "colour=blue", "unknown option 'colour'" },
		{ "on_idle", "missing '=value' after 'on_idle'" },
		{ "on_idle=", "on_idle wants poweroff or halt, not ''" },
		{ "on_idle=reboot", "on_idle wants poweroff or halt, not 'reboot'" },
		{ "on_fault=HALT", "on_fault wants poweroff or halt, not 'HALT'" },
		{ "exit=bios", "exit wants isa-debug-exit or acpi, not 'bios'" },
		{ "debug=nmi", "debug wants pagefault, gpfault, divide or none, not 'nmi'" },
		{ "acpidump=1", "acpidump takes no value: 'acpidump=1'" },
		{ "config=", "config wants a file name of 1-63 printable characters, not ''" },
		{ "config=a\x01b", "config wants a file name of 1-63 printable characters, not 'a\x01b'" },
		{ "acpidump=", "acpidump takes no value: 'acpidump='" },
		{ "=x", "unknown option ''" },
		{ "ON_IDLE=halt", "unknown option 'ON_IDLE'" },
		{ "apicv", "missing '=value' after 'apicv'" },
		{ "apicv=0", "apicv wants on or off, not '0'" },
		{ "apicv=Off", "apicv wants on or off, not 'Off'" },
		{ "apicv=offf", "apicv wants on or off, not 'offf'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = parse(cases[i].word);
		if (n != 1 || strcmp(err, cases[i].msg))
			fail_msg("'%s': %d errors, '%s', expected '%s'",
				 cases[i].word, n, err, cases[i].msg);
		assert_int_equal(opt.set, 0);
	}
	/* A bad value leaves the default alone. */
	assert_int_equal(parse("on_idle=sometimes"), 1);
	assert_int_equal(opt.on_idle, HOST_POWEROFF);
	assert_int_equal(parse("apicv=no"), 1);
	assert_true(opt.apicv);
}

static void test_bad_words_do_not_stop_the_rest(void **state)
{
	assert_int_equal(parse("  frobnicate on_fault=poweroff bad=1\tacpidump "), 2);
	assert_string_equal(err, "unknown option 'frobnicate'"); /* the first */
	assert_int_equal(opt.on_fault, HOST_POWEROFF);
	assert_true(opt.acpidump);
	assert_int_equal(opt.set, OPT_ON_FAULT | OPT_ACPIDUMP);
}

static void test_config_name_limits(void **state)
{
	char line[128] = "config=";
	memset(line + 7, 'n', 63);
	assert_int_equal(parse(line), 0);
	assert_int_equal(strlen(opt.config_name), 63);
	line[7 + 63] = 'n';
	assert_int_equal(parse(line), 1);
	assert_string_equal(opt.config_name, "volt.cfg");
	assert_int_equal(parse("config=a"), 0);
	assert_string_equal(opt.config_name, "a");
}

static void test_image_path_skipped(void **state)
{
	/* UEFI firmware may put the image path first; GRUB-like loaders the kernel. */
	assert_int_equal(parse("\\EFI\\BOOT\\BOOTX64.EFI on_idle=halt"), 0);
	assert_int_equal(opt.on_idle, HOST_HALT);
	assert_int_equal(parse("volt.efi"), 0);
	assert_int_equal(parse("  /boot/volt.elf acpidump"), 0);
	assert_true(opt.acpidump);
	assert_int_equal(parse("VOLT.Elf"), 0);
	/* Only the first word, and only a path. */
	assert_int_equal(parse("acpidump volt.efi"), 1);
	assert_string_equal(err, "unknown option 'volt.efi'");
	assert_int_equal(parse("config=other.efi"), 0);
	assert_string_equal(opt.config_name, "other.efi");
	assert_int_equal(parse(".efi2"), 1);
	assert_int_equal(parse("efi"), 1);
}

static void test_later_word_wins(void **state)
{
	assert_int_equal(parse("on_idle=halt on_idle=poweroff config=a config=b"), 0);
	assert_int_equal(opt.on_idle, HOST_POWEROFF);
	assert_string_equal(opt.config_name, "b");
}

static void test_error_buffer(void **state)
{
	char small[8];
	options_defaults(&opt);
	assert_int_equal(options_parse("nonsense", &opt, small, sizeof(small)), 1);
	assert_string_equal(small, "unknown"); /* truncated, terminated */
	/* No buffer at all. */
	assert_int_equal(options_parse("nonsense x", &opt, NULL, 0), 2);
	/* A very long word: only its first 48 characters are quoted. */
	char line[1024];
	memset(line, 'w', sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	assert_int_equal(parse(line), 1);
	assert_int_equal(strlen(err), strlen("unknown option ''") + 48);
	assert_memory_equal(err, "unknown option 'wwww", 20);
}

static void test_apply_word_respects_len(void **state)
{
	char e[OPTIONS_ERR_MAX];
	options_defaults(&opt);
	/* Only the first 12 bytes: "on_idle=halt". */
	assert_int_equal(options_apply_word(&opt, "on_idle=haltXYZ", 12, e,
					    sizeof(e)), 0);
	assert_int_equal(opt.on_idle, HOST_HALT);
	assert_int_equal(options_apply_word(&opt, "acpidumpster", 8, e,
					    sizeof(e)), 0);
	assert_true(opt.acpidump);
	assert_int_equal(options_apply_word(&opt, "config=abc", 9, e, sizeof(e)), 0);
	assert_string_equal(opt.config_name, "ab");
	assert_int_equal(options_apply_word(&opt, "exit", 4, e, sizeof(e)), -1);
	assert_string_equal(e, "missing '=value' after 'exit'");
	assert_int_equal(options_apply_word(&opt, "", 0, e, sizeof(e)), -1);
	assert_string_equal(e, "unknown option ''");
}

/*
 * Found by the fuzzer: a bad word that is not NUL-terminated was quoted
 * with "%.*s", and lib/format.c read one byte past the precision. The
 * word sits at the very end of a heap block so ASan sees any over-read.
 */
static void test_bad_word_not_terminated(void **state)
{
	static const char *const words[] = { "\\mem", "on_idle=x", "acpidump=",
					     "config=" };
	char e[OPTIONS_ERR_MAX];
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t len = strlen(words[i]);
		char *w = malloc(len);
		assert_non_null(w);
		memcpy(w, words[i], len);
		options_defaults(&opt);
		assert_int_equal(options_apply_word(&opt, w, len, e, sizeof(e)), -1);
		free(w);
	}
	assert_string_equal(e, "config wants a file name of 1-63 printable characters, not ''");
	char *w = malloc(4);
	assert_non_null(w);
	memcpy(w, "\\mem", 4);
	assert_int_equal(options_apply_word(&opt, w, 4, e, sizeof(e)), -1);
	assert_string_equal(e, "unknown option '\\mem'");
	free(w);
}

static void test_merge_command_line_wins(void **state)
{
	struct host_options host_line, cmd;
	char e[OPTIONS_ERR_MAX];

	options_defaults(&host_line);
	assert_int_equal(options_parse("on_idle=halt on_fault=poweroff exit=isa-debug-exit "
				       "config=ignored.cfg", &host_line, e, sizeof(e)), 0);
	options_defaults(&cmd);
	assert_int_equal(options_parse("on_idle=poweroff debug=pagefault", &cmd, e,
				       sizeof(e)), 0);
	options_merge_under(&cmd, &host_line);
	assert_int_equal(cmd.on_idle, HOST_POWEROFF);   /* command line */
	assert_int_equal(cmd.on_fault, HOST_POWEROFF);  /* host line */
	assert_true(cmd.exit_isa_debug);                /* host line */
	assert_int_equal(cmd.debug_fault, DEBUG_PAGEFAULT);
	assert_false(cmd.acpidump);                     /* neither */
	assert_string_equal(cmd.config_name, "ignored.cfg");
	assert_int_equal(cmd.set, OPT_ON_IDLE | OPT_ON_FAULT | OPT_EXIT |
				  OPT_DEBUG | OPT_CONFIG);

	/* A command-line value equal to the default still wins. */
	options_defaults(&host_line);
	options_parse("on_fault=poweroff acpidump", &host_line, e, sizeof(e));
	options_defaults(&cmd);
	options_parse("on_fault=halt", &cmd, e, sizeof(e));
	options_merge_under(&cmd, &host_line);
	assert_int_equal(cmd.on_fault, HOST_HALT);
	assert_true(cmd.acpidump);

	/* apicv=off on the host line applies unless the command line
	 * says otherwise. */
	options_defaults(&host_line);
	options_parse("apicv=off", &host_line, e, sizeof(e));
	options_defaults(&cmd);
	options_merge_under(&cmd, &host_line);
	assert_false(cmd.apicv);
	assert_int_equal(cmd.set, OPT_APICV);
	options_defaults(&cmd);
	options_parse("apicv=on", &cmd, e, sizeof(e));
	options_merge_under(&cmd, &host_line);
	assert_true(cmd.apicv);

	/* Nothing set on either side: the defaults. */
	options_defaults(&host_line);
	options_defaults(&cmd);
	options_merge_under(&cmd, &host_line);
	assert_int_equal(cmd.on_idle, HOST_POWEROFF);
	assert_int_equal(cmd.set, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_bad_words),
		cmocka_unit_test(test_bad_words_do_not_stop_the_rest),
		cmocka_unit_test(test_config_name_limits),
		cmocka_unit_test(test_image_path_skipped),
		cmocka_unit_test(test_later_word_wins),
		cmocka_unit_test(test_error_buffer),
		cmocka_unit_test(test_apply_word_respects_len),
		cmocka_unit_test(test_bad_word_not_terminated),
		cmocka_unit_test(test_merge_command_line_wins),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
