/* Host tests for the volt.cfg parser and the host options. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/config.h"

static struct volt_config cfg;

static int parse(const char *text)
{
	config_defaults(&cfg);
	return config_parse(text, strlen(text), &cfg);
}

static void expect_error(uint32_t i, uint32_t line, const char *needle)
{
	assert_true(i < cfg.error_count);
	assert_int_equal(cfg.errors[i].line, line);
	if (!strstr(cfg.errors[i].msg, needle))
		fail_msg("error '%s' lacks '%s'", cfg.errors[i].msg, needle);
}

static void test_defaults(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(cfg.vm_count, 0);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_VARIABLE);
	assert_int_equal(cfg.sched.tslice_us, 30000);
	assert_int_equal(cfg.sched.tick_us, 10000);
	assert_int_equal(cfg.sched.ratelimit_us, 1000);
	assert_int_equal(cfg.pm.governor, GOV_ONDEMAND);
	assert_int_equal(cfg.host.on_idle, HOST_POWEROFF);
	assert_string_equal(cfg.host.config_name, "volt.cfg");
}

static void test_design_example(void **state)
{
	const char *text =
		"# two VMs\n"
		"vm web   kernel=bzImage initrd=initrd.img mem=256M vcpus=1 weight=256 cap=0  cmdline=\"console=ttyS0\"\n"
		"vm batch kernel=bzImage initrd=initrd.img mem=128M vcpus=1 weight=512 cap=40\n"
		"sched credit mode=dvfs-aware tslice=30ms\n"
		"pm governor=ondemand idle=menu\n";
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.vm_count, 2);
	struct vm_config *web = &cfg.vms[0], *batch = &cfg.vms[1];
	assert_string_equal(web->name, "web");
	assert_string_equal(web->kernel, "bzImage");
	assert_string_equal(web->initrd, "initrd.img");
	assert_int_equal(web->mem_bytes, 256ull << 20);
	assert_string_equal(web->cmdline, "console=ttyS0");
	assert_true(web->valid);
	assert_int_equal(web->line, 2);
	assert_int_equal(batch->weight, 512);
	assert_int_equal(batch->cap, 40);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_DVFS);
	assert_int_equal(cfg.pm.idle, IDLE_MENU);
}

static void test_all_vm_keys(void **state)
{
	const char *text = "vm a-1_B kernel=k mem=1G vcpus=4 weight=65535 cap=400 "
			   "pin=0,2,63 on_crash=restart exit_port=on mode=fixed "
			   "cmdline=\"a \\\"quoted\\\" back\\\\slash # not a comment\"\r\n";
	assert_int_equal(parse(text), 0);
	struct vm_config *vm = &cfg.vms[0];
	assert_int_equal(vm->vcpus, 4);
	assert_int_equal(vm->weight, 65535);
	assert_int_equal(vm->cap, 400);
	assert_true(vm->pinned);
	assert_int_equal(vm->pin_mask, (1ull << 0) | (1ull << 2) | (1ull << 63));
	assert_int_equal(vm->on_crash, ON_CRASH_RESTART);
	assert_true(vm->exit_port);
	assert_int_equal(vm->mode, SCHED_MODE_FIXED);
	assert_string_equal(vm->cmdline,
			    "a \"quoted\" back\\slash # not a comment");
	assert_int_equal(vm->mem_bytes, 1ull << 30);
}

static void test_limits(void **state)
{
	static const struct { const char *line; int errors; } cases[] = {
		{ "vm a kernel=k mem=16M", 0 },
		{ "vm a kernel=k mem=16383K", 1 },   /* below 16M */
		{ "vm a kernel=k mem=64G", 0 },
		{ "vm a kernel=k mem=65G", 1 },
		{ "vm a kernel=k mem=16777217", 1 }, /* not 4K-aligned */
		{ "vm a kernel=k mem=99999999999999999999999", 1 },
		{ "vm a kernel=k mem=16MB", 1 },
		{ "vm a kernel=k mem=16M weight=0", 1 },
		{ "vm a kernel=k mem=16M weight=1", 0 },
		{ "vm a kernel=k mem=16M weight=65536", 1 },
		{ "vm a kernel=k mem=16M vcpus=0", 1 },
		{ "vm a kernel=k mem=16M vcpus=64", 0 },
		{ "vm a kernel=k mem=16M vcpus=65", 1 },
		{ "vm a kernel=k mem=16M cap=100", 0 },
		{ "vm a kernel=k mem=16M cap=101", 1 },
		{ "vm a kernel=k mem=16M vcpus=2 cap=200", 0 },
		{ "vm a kernel=k mem=16M pin=64", 1 },
		{ "vm a kernel=k mem=16M pin=1,", 1 },
		{ "vm a kernel=k mem=16M on_crash=reboot", 1 },
		{ "vm a kernel=k mem=16M exit_port=yes", 1 },
		{ "sched credit tslice=1000ms tick=10ms", 0 },
		{ "sched credit tslice=2s", 1 },
		{ "sched credit tslice=30ms tick=7ms", 1 }, /* not a multiple */
		{ "sched credit ratelimit=500us", 0 },
		{ "sched credit mode=turbo", 1 },
		{ "sched fifo", 1 },
		{ "pm freqs=800,1600,3500", 0 },
		{ "pm freqs=800,,3500", 1 },
		{ "pm governor=schedutil", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int got = parse(cases[i].line);
		if (got != cases[i].errors)
			fail_msg("'%s': %d errors, expected %d (%s)", cases[i].line,
				 got, cases[i].errors,
				 cfg.error_count ? cfg.errors[0].msg : "");
	}
}

static void test_errors_have_line_numbers(void **state)
{
	const char *text = "\n"
			   "vm ok kernel=k mem=32M\n"
			   "vm web kernel=k mem=32M memory=1G\n"
			   "bogus line\n"
			   "vm nokernel mem=32M\n"
			   "vm ok kernel=k mem=32M\n"
			   "vm dup kernel=k kernel=j mem=32M\n"
			   "vm q kernel=k mem=32M cmdline=\"open\n"
			   "host on_idle=sometimes\n"
			   "vm lonely\n";
	assert_int_equal(parse(text), 9);
	expect_error(0, 3, "vm 'web': unknown key 'memory'");
	expect_error(1, 4, "unknown line type 'bogus'");
	expect_error(2, 5, "missing required key 'kernel'");
	expect_error(3, 6, "vm 'ok' defined twice (first on line 2)");
	expect_error(4, 7, "key given twice");
	expect_error(5, 8, "unterminated quote");
	expect_error(6, 9, "on_idle");
	expect_error(7, 10, "missing required key 'kernel'");
	expect_error(8, 10, "missing required key 'mem'");
	/* The good VM is still valid; the bad ones are not. */
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	assert_false(cfg.vms[2].valid);
}

static void test_bad_names_and_too_many_vms(void **state)
{
	assert_int_equal(parse("vm bad.name kernel=k mem=32M"), 1);
	assert_int_equal(parse("vm abcdefghijklmnop kernel=k mem=32M"), 1);
	assert_int_equal(parse("vm"), 1);

	char text[4096] = "";
	for (int i = 0; i <= CONFIG_MAX_VMS; i++) {
		char line[64];
		snprintf(line, sizeof(line), "vm v%d kernel=k mem=16M\n", i);
		strcat(text, line);
	}
	assert_int_equal(parse(text), 1);
	assert_int_equal(cfg.vm_count, CONFIG_MAX_VMS);
	expect_error(0, CONFIG_MAX_VMS + 1, "more than 16 VMs");
}

static void test_only_first_errors_kept(void **state)
{
	char text[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, "nonsense\n");
	assert_int_equal(parse(text), 40);
	assert_int_equal(cfg.error_count, 40);
	expect_error(CONFIG_MAX_ERRORS - 1, CONFIG_MAX_ERRORS, "unknown line");
}

static void test_nul_bytes_and_length(void **state)
{
	const char text[] = "vm a kernel=k mem=32M\n\0vm b kernel=k mem=32M";
	config_defaults(&cfg);
	assert_int_equal(config_parse(text, sizeof(text) - 1, &cfg), 1);
	expect_error(0, 2, "NUL byte");
	/* len is respected: the text need not be NUL-terminated. */
	config_defaults(&cfg);
	assert_int_equal(config_parse("vm a kernel=k mem=32Mxxxx", 21, &cfg), 0);
	assert_int_equal(cfg.vms[0].mem_bytes, 32ull << 20);

	char longline[CONFIG_LINE_MAX + 10];
	memset(longline, 'x', sizeof(longline));
	config_defaults(&cfg);
	assert_int_equal(config_parse(longline, sizeof(longline), &cfg), 1);
	expect_error(0, 1, "longer than");
}

static void test_file_names_deduplicated(void **state)
{
	assert_int_equal(parse("vm a kernel=bz initrd=i1 mem=32M\n"
			       "vm b kernel=bz initrd=i2 mem=32M\n"
			       "vm c kernel=other mem=32M\n"), 0);
	const char *names[8];
	size_t n = config_file_names(&cfg, names, 8);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "bz");
	assert_string_equal(names[1], "i1");
	assert_string_equal(names[2], "i2");
	assert_string_equal(names[3], "other");
	assert_int_equal(config_file_names(&cfg, names, 2), 2);
}

static void test_memory_budget(void **state)
{
	assert_int_equal(parse("vm a kernel=k mem=64M\n"
			       "vm b kernel=k mem=64M\n"
			       "vm c kernel=k mem=32M\n"), 0);
	config_check_memory(&cfg, 100ull << 20);
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid); /* 64 of 36 left: does not fit */
	assert_true(cfg.vms[2].valid);  /* 32 of 36 fits */
	assert_int_equal(cfg.error_count, 1);
	expect_error(0, 2, "does not fit");
}

static void test_host_line_and_options(void **state)
{
	assert_int_equal(parse("host on_idle=halt exit=isa-debug-exit acpidump\n"), 0);
	assert_int_equal(cfg.host.on_idle, HOST_HALT);
	assert_true(cfg.host.exit_isa_debug);
	assert_true(cfg.host.acpidump);

	/* The command line wins over the host line. */
	struct host_options cmd;
	char err[128];
	options_defaults(&cmd);
	assert_int_equal(options_parse("\\EFI\\BOOT\\BOOTX64.EFI on_idle=poweroff debug=pagefault",
				       &cmd, err, sizeof(err)), 0);
	options_merge_under(&cmd, &cfg.host);
	assert_int_equal(cmd.on_idle, HOST_POWEROFF);
	assert_true(cmd.exit_isa_debug);
	assert_int_equal(cmd.debug_fault, DEBUG_PAGEFAULT);

	options_defaults(&cmd);
	assert_int_equal(options_parse("  frobnicate on_fault=poweroff bad=1 ", &cmd,
				       err, sizeof(err)), 2);
	assert_string_equal(err, "unknown option 'frobnicate'");
	assert_int_equal(cmd.on_fault, HOST_POWEROFF); /* the rest applied */
	assert_int_equal(options_parse("config=", &cmd, err, sizeof(err)), 1);
	assert_int_equal(options_parse("config=my.cfg", &cmd, err, sizeof(err)), 0);
	assert_string_equal(cmd.config_name, "my.cfg");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_design_example),
		cmocka_unit_test(test_all_vm_keys),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_errors_have_line_numbers),
		cmocka_unit_test(test_bad_names_and_too_many_vms),
		cmocka_unit_test(test_only_first_errors_kept),
		cmocka_unit_test(test_nul_bytes_and_length),
		cmocka_unit_test(test_file_names_deduplicated),
		cmocka_unit_test(test_memory_budget),
		cmocka_unit_test(test_host_line_and_options),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
