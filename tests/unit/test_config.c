/*
 * Host tests for the volt.cfg parser (vmm/config.c, docs/config.md):
 * defaults, every key and its limits, quoting, comments and line endings,
 * error messages and their line numbers, the VM and error limits, the
 * file list for loaders and the memory budget.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/config.h"

static struct volt_config cfg;

static int parse_n(const char *text, size_t len)
{
	config_defaults(&cfg);
	return config_parse(text, len, &cfg);
}

static int parse(const char *text)
{
	return parse_n(text, strlen(text));
}

/* Error i is on `line` and its message is exactly `msg`. */
static void expect_error(uint32_t i, uint32_t line, const char *msg)
{
	if (i >= cfg.error_count)
		fail_msg("error %u expected ('%s'), only %u", i, msg,
			 cfg.error_count);
	if (cfg.errors[i].line != line || strcmp(cfg.errors[i].msg, msg))
		fail_msg("error %u: line %u '%s', expected line %u '%s'", i,
			 cfg.errors[i].line, cfg.errors[i].msg, line, msg);
}

/* A one-line config: how many errors, and (if any) the first message. */
static void expect_line(const char *text, int errors, const char *msg)
{
	int got = parse(text);
	if (got != errors)
		fail_msg("'%s': %d errors, expected %d (first: '%s')", text, got,
			 errors, cfg.error_count ? cfg.errors[0].msg : "");
	if (msg)
		expect_error(0, 1, msg);
}

static void expect_vm_defaults(const struct vm_config *vm)
{
	assert_string_equal(vm->initrd, "");
	assert_string_equal(vm->cmdline, "");
	assert_int_equal(vm->vcpus, 1);
	assert_int_equal(vm->weight, 256);
	assert_int_equal(vm->cap, 0);
	assert_false(vm->pinned);
	assert_int_equal(vm->pin_mask, 0);
	assert_int_equal(vm->on_crash, ON_CRASH_STOP);
	assert_false(vm->exit_port);
	assert_false(vm->test_mmio);
	assert_int_equal(vm->mode, -1);
}

static void test_defaults(void **state)
{
	assert_int_equal(parse(""), 0);
	assert_int_equal(cfg.vm_count, 0);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_VARIABLE);
	assert_int_equal(cfg.sched.tslice_us, 30000);
	assert_int_equal(cfg.sched.tick_us, 10000);
	assert_int_equal(cfg.sched.ratelimit_us, 1000);
	assert_int_equal(cfg.pm.governor, PM_GOV_ONDEMAND);
	assert_int_equal(cfg.pm.idle, IDLE_MENU);
	assert_int_equal(cfg.pm.freq_count, 0);
	assert_int_equal(cfg.host.on_idle, HOST_POWEROFF);
	assert_int_equal(cfg.host.on_fault, HOST_HALT);
	assert_false(cfg.host.exit_isa_debug);
	assert_int_equal(cfg.host.debug_fault, DEBUG_NONE);
	assert_false(cfg.host.acpidump);
	assert_string_equal(cfg.host.config_name, "volt.cfg");
	assert_int_equal(cfg.host.set, 0);

	assert_int_equal(parse("vm a kernel=k mem=16M"), 0);
	assert_int_equal(cfg.vm_count, 1);
	assert_true(cfg.vms[0].valid);
	expect_vm_defaults(&cfg.vms[0]);

	/* No text at all. */
	config_defaults(&cfg);
	assert_int_equal(config_parse(NULL, 0, &cfg), 0);
}

static void test_brief_example(void **state)
{
	const char *text =
		"# comment; blank lines ok; a line may end with a comment\n"
		"vm web   kernel=bzImage initrd=initrd.img mem=256M vcpus=1 weight=256 cap=0 cmdline=\"console=ttyS0,115200 quiet\"\n"
		"vm batch kernel=bzImage mem=128M vcpus=2 weight=512 cap=40 pin=0,1 on_crash=stop exit_port=on\n"
		"sched credit mode=dvfs-aware tslice=30ms tick=10ms ratelimit=1ms\n"
		"pm governor=ondemand idle=menu   # trailing comment\n"
		"\n"
		"host on_idle=poweroff on_fault=poweroff exit=isa-debug-exit\n";
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.vm_count, 2);
	const struct vm_config *web = &cfg.vms[0], *batch = &cfg.vms[1];
	assert_string_equal(web->name, "web");
	assert_string_equal(web->kernel, "bzImage");
	assert_string_equal(web->initrd, "initrd.img");
	assert_int_equal(web->mem_bytes, 256ull << 20);
	assert_string_equal(web->cmdline, "console=ttyS0,115200 quiet");
	assert_true(web->valid);
	assert_int_equal(web->line, 2);
	assert_string_equal(batch->name, "batch");
	assert_string_equal(batch->initrd, "");
	assert_int_equal(batch->mem_bytes, 128ull << 20);
	assert_int_equal(batch->vcpus, 2);
	assert_int_equal(batch->weight, 512);
	assert_int_equal(batch->cap, 40);
	assert_true(batch->pinned);
	assert_int_equal(batch->pin_mask, 0x3);
	assert_int_equal(batch->on_crash, ON_CRASH_STOP);
	assert_true(batch->exit_port);
	assert_int_equal(batch->line, 3);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_DVFS);
	assert_int_equal(cfg.sched.tslice_us, 30000);
	assert_int_equal(cfg.sched.tick_us, 10000);
	assert_int_equal(cfg.sched.ratelimit_us, 1000);
	assert_int_equal(cfg.pm.governor, PM_GOV_ONDEMAND);
	assert_int_equal(cfg.pm.idle, IDLE_MENU);
	assert_int_equal(cfg.host.on_idle, HOST_POWEROFF);
	assert_int_equal(cfg.host.on_fault, HOST_POWEROFF);
	assert_true(cfg.host.exit_isa_debug);
	assert_int_equal(cfg.host.set, OPT_ON_IDLE | OPT_ON_FAULT | OPT_EXIT);
}

static void test_every_choice(void **state)
{
	assert_int_equal(parse("vm a kernel=k mem=16M on_crash=restart exit_port=off mode=fixed\n"
			       "vm b kernel=k mem=16M mode=variable\n"
			       "vm c kernel=k mem=16M mode=dvfs-aware exit_port=on test_mmio=on\n"
			       "sched credit mode=fixed\n"
			       "pm governor=performance idle=halt\n"), 0);
	assert_int_equal(cfg.vms[0].on_crash, ON_CRASH_RESTART);
	assert_false(cfg.vms[0].exit_port);
	assert_int_equal(cfg.vms[0].mode, SCHED_MODE_FIXED);
	assert_int_equal(cfg.vms[1].mode, SCHED_MODE_VARIABLE);
	assert_int_equal(cfg.vms[2].mode, SCHED_MODE_DVFS);
	assert_true(cfg.vms[2].exit_port);
	assert_true(cfg.vms[2].test_mmio);
	assert_false(cfg.vms[1].test_mmio);
	assert_int_equal(parse("vm a kernel=k mem=16M test_mmio=maybe\n"), 1);
	assert_int_equal(parse("vm a kernel=k mem=16M on_crash=restart exit_port=off mode=fixed\n"
			       "vm b kernel=k mem=16M mode=variable\n"
			       "vm c kernel=k mem=16M mode=dvfs-aware exit_port=on test_mmio=on\n"
			       "sched credit mode=fixed\n"
			       "pm governor=performance idle=halt\n"), 0);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_FIXED);
	assert_int_equal(cfg.pm.governor, PM_GOV_PERFORMANCE);
	assert_int_equal(cfg.pm.idle, IDLE_HALT);

	assert_int_equal(parse("pm governor=powersave idle=poll"), 0);
	assert_int_equal(cfg.pm.governor, PM_GOV_POWERSAVE);
	assert_int_equal(cfg.pm.idle, IDLE_POLL);
	assert_int_equal(parse("pm governor=userspace idle=menu"), 0);
	assert_int_equal(cfg.pm.governor, PM_GOV_USERSPACE);
	assert_int_equal(cfg.pm.idle, IDLE_MENU);
	assert_int_equal(parse("sched credit mode=variable"), 0);
	assert_int_equal(cfg.sched.mode, SCHED_MODE_VARIABLE);

	/* Choices are case-sensitive, like every key. */
	expect_line("pm governor=OnDemand", 1,
		    "pm: bad governor 'OnDemand' (want performance, powersave, userspace or ondemand)");
	expect_line("pm Idle=menu", 1, "pm: unknown key 'Idle'");
}

static void test_mem_sizes(void **state)
{
	static const struct { const char *v; uint64_t bytes; } good[] = {
		{ "16M", 16ull << 20 },     { "16m", 16ull << 20 },
		{ "16384K", 16ull << 20 },  { "16384k", 16ull << 20 },
		{ "16777216", 16ull << 20 },{ "1G", 1ull << 30 },
		{ "1g", 1ull << 30 },       { "64G", 64ull << 30 },
		{ "65536M", 64ull << 30 },  { "16388K", (16ull << 20) + 4096 },
		{ "0016M", 16ull << 20 },
	};
	static const char *const bad[] = {
		"16383K",     /* 16M - 1K: below the minimum */
		"16773120",   /* 16M - 4K */
		"67108868K",  /* 64G + 4K: above the maximum */
		"65G",
		"16777217",   /* not a multiple of 4K */
		"16386K",     /* 16M + 2K */
		"0", "0M", "", "M", "16MB", "16 M", "16T", "-16M", "+16M",
		"1.5G", "0x1000000", "16M ", "18446744073709551616",
		"18446744073709551615G", "99999999999999999999999",
		"17179869185G",  /* (2^34 + 1) << 30 wraps to 1G */
		"17592186044432M", /* (2^44 + 16) << 20 wraps to 16M */
		"18446744073726328832", /* 2^64 + 16M wraps to 16M */
	};
	char line[128];
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		snprintf(line, sizeof(line), "vm a kernel=k mem=%s", good[i].v);
		expect_line(line, 0, NULL);
		assert_int_equal(cfg.vms[0].mem_bytes, good[i].bytes);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(line, sizeof(line), "vm a kernel=k mem=\"%s\"", bad[i]);
		int got = parse(line);
		if (got != 1 || !strstr(cfg.errors[0].msg, "bad mem"))
			fail_msg("mem=%s: %d errors ('%s')", bad[i], got,
				 cfg.error_count ? cfg.errors[0].msg : "");
		assert_false(cfg.vms[0].valid);
	}
	expect_line("vm a kernel=k mem=15M", 1,
		    "vm 'a': bad mem '15M' (want 16M-64G, a multiple of 4K)");
}

static void test_number_limits(void **state)
{
	static const struct { const char *line; int errors; } cases[] = {
		{ "vm a kernel=k mem=16M vcpus=0", 1 },
		{ "vm a kernel=k mem=16M vcpus=1", 0 },
		{ "vm a kernel=k mem=16M vcpus=64", 0 },
		{ "vm a kernel=k mem=16M vcpus=65", 1 },
		{ "vm a kernel=k mem=16M vcpus=", 1 },
		{ "vm a kernel=k mem=16M vcpus=-1", 1 },
		{ "vm a kernel=k mem=16M vcpus=2x", 1 },
		{ "vm a kernel=k mem=16M vcpus=4294967297", 1 },
		{ "vm a kernel=k mem=16M weight=0", 1 },
		{ "vm a kernel=k mem=16M weight=1", 0 },
		{ "vm a kernel=k mem=16M weight=65535", 0 },
		{ "vm a kernel=k mem=16M weight=65536", 1 },
		{ "vm a kernel=k mem=16M cap=0", 0 },
		{ "vm a kernel=k mem=16M cap=1", 0 },
		{ "vm a kernel=k mem=16M cap=100", 0 },
		{ "vm a kernel=k mem=16M cap=101", 1 },
		{ "vm a kernel=k mem=16M cap=200 vcpus=2", 0 }, /* any order */
		{ "vm a kernel=k mem=16M vcpus=2 cap=201", 1 },
		{ "vm a kernel=k mem=16M vcpus=64 cap=6400", 0 },
		{ "vm a kernel=k mem=16M vcpus=64 cap=6401", 1 },
		{ "vm a kernel=k mem=16M pin=0", 0 },
		{ "vm a kernel=k mem=16M pin=63", 0 },
		{ "vm a kernel=k mem=16M pin=64", 1 },
		{ "vm a kernel=k mem=16M pin=", 1 },
		{ "vm a kernel=k mem=16M pin=1,", 1 },
		{ "vm a kernel=k mem=16M pin=,1", 1 },
		{ "vm a kernel=k mem=16M pin=1,,2", 1 },
		{ "vm a kernel=k mem=16M pin=1-3", 1 },
		{ "vm a kernel=k mem=16M on_crash=reboot", 1 },
		{ "vm a kernel=k mem=16M exit_port=yes", 1 },
		{ "vm a kernel=k mem=16M exit_port=", 1 },
		{ "vm a kernel=k mem=16M mode=turbo", 1 },
		{ "sched credit tslice=1ms tick=1ms", 0 },
		{ "sched credit tslice=1000ms tick=10ms", 0 },
		{ "sched credit tslice=0ms", 1 },
		{ "sched credit tslice=999us tick=999us", 2 },
		{ "sched credit tslice=1001ms", 1 },
		{ "sched credit tslice=2s", 1 },
		{ "sched credit tslice=ms", 1 },
		{ "sched credit tslice=30 ms", 1 },   /* "ms" alone: not key=value */
		{ "sched credit tslice=30msec", 1 },
		{ "sched credit tick=0", 1 },
		{ "sched credit tick=1001", 1 },
		{ "sched credit ratelimit=0", 0 },
		{ "sched credit ratelimit=100ms", 0 },
		{ "sched credit ratelimit=100001us", 1 },
		{ "sched credit ratelimit=1s", 1 },
		{ "sched credit ratelimit=0s", 0 },
		{ "sched credit ratelimit=18446744073709553", 1 }, /* x1000 wraps to 1384 */
		{ "sched credit mode=turbo", 1 },
		{ "sched fifo", 1 },
		{ "sched", 1 },
		{ "pm freqs=1", 0 },
		{ "pm freqs=100000", 0 },
		{ "pm freqs=0", 1 },
		{ "pm freqs=100001", 1 },
		{ "pm freqs=800,,3500", 1 },
		{ "pm freqs=", 1 },
		{ "pm freqs=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", 0 },
		{ "pm freqs=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", 1 },
		{ "pm governor=schedutil", 1 },
		{ "pm idle=mwait", 1 },
		{ "pm idle=next-timer", 0 },
		{ "pm sampling=20ms up_threshold=80 pstate=2", 0 },
		{ "pm sampling=500us", 1 },
		{ "pm sampling=10ms", 1 },
		{ "pm sampling=2s", 1 },
		{ "pm up_threshold=10", 1 },
		{ "pm up_threshold=101", 1 },
		{ "pm pstate=16", 1 },
		{ "pm max_cstate=0", 1 },
		{ "pm max_cstate=9", 1 },
		{ "pm max_cstate=3 latency=200us", 0 },
		{ "pm latency=2s", 1 },
		{ "pm guest_mwait=nop", 0 },
		{ "pm guest_mwait=sleep", 1 },
		{ "pm static_mw=3000 dynamic_mw=12000 idle_mw=1000", 0 },
		{ "pm static_mw=1000001", 1 },
		{ "pm freqs=2800,1400 volts=1200,900", 0 },
		{ "pm freqs=2800,1400 volts=1200", 1 },
		{ "pm freqs=2800 volts=0", 1 },
		{ "pm freqs=2800 volts=2001", 1 },
		{ "pm freqs=2800\npm volts=1200,900", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		expect_line(cases[i].line, cases[i].errors, NULL);
}

/* The power-management keys land where the PM layer reads them; a
 * volts/freqs mismatch names the line of volts=. */
static void test_pm_keys(void **state)
{
	assert_int_equal(parse("pm governor=userspace pstate=3 sampling=30ms\n"
			       "pm up_threshold=90 idle=next-timer max_cstate=2\n"
			       "pm latency=150us guest_mwait=nop idle_mw=800\n"
			       "pm freqs=2800,1400 volts=1200,900\n"), 0);
	assert_int_equal(cfg.pm.governor, PM_GOV_USERSPACE);
	assert_int_equal(cfg.pm.pstate, 3);
	assert_int_equal(cfg.pm.sampling_us, 30000);
	assert_int_equal(cfg.pm.up_threshold, 90);
	assert_int_equal(cfg.pm.idle, IDLE_NEXT_TIMER);
	assert_int_equal(cfg.pm.max_cstate, 2);
	assert_int_equal(cfg.pm.latency_us, 150);
	assert_int_equal(cfg.pm.guest_mwait, GUEST_MWAIT_NOP);
	assert_int_equal(cfg.pm.idle_mw, 800);
	assert_int_equal(cfg.pm.volt_count, 2);
	assert_int_equal(cfg.pm.volts_mv[1], 900);

	assert_int_equal(parse("pm governor=ondemand"), 0);
	assert_int_equal(cfg.pm.sampling_us, PM_SAMPLING_DEFAULT_US);
	assert_int_equal(cfg.pm.up_threshold, 80);
	assert_int_equal(cfg.pm.max_cstate, PM_MAX_CSTATES);
	assert_int_equal(cfg.pm.latency_us, PM_LATENCY_DEFAULT_US);
	assert_int_equal(cfg.pm.guest_mwait, GUEST_MWAIT_EXIT);

	assert_int_equal(parse("pm freqs=2800,2000,1200\npm volts=1200,1000"),
			 1);
	expect_error(0, 2,
		     "pm: volts has 2 values, freqs 3: one voltage per frequency");
}

static void test_units_and_values(void **state)
{
	assert_int_equal(parse("sched credit tslice=1s tick=2000us ratelimit=250us\n"
			       "pm freqs=800,1600,3500\n"), 0);
	assert_int_equal(cfg.sched.tslice_us, 1000000);
	assert_int_equal(cfg.sched.tick_us, 2000);
	assert_int_equal(cfg.sched.ratelimit_us, 250);
	assert_int_equal(cfg.pm.freq_count, 3);
	assert_int_equal(cfg.pm.freqs_mhz[0], 800);
	assert_int_equal(cfg.pm.freqs_mhz[1], 1600);
	assert_int_equal(cfg.pm.freqs_mhz[2], 3500);

	/* A bare number is milliseconds. */
	assert_int_equal(parse("sched credit tslice=20 tick=5"), 0);
	assert_int_equal(cfg.sched.tslice_us, 20000);
	assert_int_equal(cfg.sched.tick_us, 5000);

	assert_int_equal(parse("vm a kernel=k mem=16M pin=63,0,5,5"), 0);
	assert_int_equal(cfg.vms[0].pin_mask, (1ull << 63) | (1ull << 5) | 1);

	/* A bad freqs list leaves no partial list behind. */
	assert_int_equal(parse("pm freqs=800,x"), 1);
	assert_int_equal(cfg.pm.freq_count, 0);
	expect_error(0, 1, "pm: bad freqs '800,x' (want 1-16 MHz values (1-100000), comma-separated)");
}

static void test_sched_tick_divides_tslice(void **state)
{
	expect_line("sched credit tslice=30ms tick=7ms", 1,
		    "sched: tslice (30000 us) must be a multiple of tick (7000 us)");
	/* Tick above the slice. */
	expect_line("sched credit tslice=10ms tick=20ms", 1, NULL);
	/* Reported on the later of the lines that set them. */
	assert_int_equal(parse("sched credit tick=4ms\n"
			       "\n"
			       "sched credit tslice=30ms\n"), 1);
	expect_error(0, 3, "sched: tslice (30000 us) must be a multiple of tick (4000 us)");
	/* Against the default tslice of 30 ms. */
	assert_int_equal(parse("\nsched credit tick=20ms"), 1);
	expect_error(0, 2, "sched: tslice (30000 us) must be a multiple of tick (20000 us)");
}

static void test_names_and_files(void **state)
{
	char line[256];
	expect_line("vm a-1_B kernel=k mem=16M", 0, NULL);
	assert_string_equal(cfg.vms[0].name, "a-1_B");
	expect_line("vm abcdefghijklmno kernel=k mem=16M", 0, NULL); /* 15 */
	expect_line("vm abcdefghijklmnop kernel=k mem=16M", 1,
		    "bad VM name 'abcdefghijklmnop' (1-15 of A-Z a-z 0-9 _ -)");
	assert_int_equal(cfg.vm_count, 0);
	expect_line("vm bad.name kernel=k mem=16M", 1, NULL);
	expect_line("vm \"\" kernel=k mem=16M", 1, NULL);
	expect_line("vm kernel=k mem=16M", 1, NULL); /* '=' is not a name character */
	expect_line("vm", 1, "vm line without a name");

	/* File names: 1-63 characters, any of them. */
	memset(line, 0, sizeof(line));
	strcpy(line, "vm a mem=16M initrd=i kernel=");
	memset(line + strlen(line), 'k', 63);
	expect_line(line, 0, NULL);
	assert_int_equal(strlen(cfg.vms[0].kernel), 63);
	strcat(line, "k");
	expect_line(line, 1, NULL);
	assert_false(cfg.vms[0].valid);
	expect_line("vm a mem=16M kernel=", 1,
		    "vm 'a': bad kernel '' (want a file name, 1-63 printable ASCII)");
	expect_line("vm a mem=16M kernel=k initrd=", 1, NULL);
	expect_line("vm a mem=16M kernel=\"dir/my kernel\"", 0, NULL);
	assert_string_equal(cfg.vms[0].kernel, "dir/my kernel");
	/* Control characters are not part of a file name. */
	expect_line("vm a mem=16M kernel=\"k\tk\"", 1, NULL);
	expect_line("vm a mem=16M kernel=k initrd=\"i\x7f\"", 1, NULL);
	expect_line("vm a mem=16M kernel=\"\xc3\xa9\"", 1, NULL);
}

static void test_quoted_cmdline(void **state)
{
	const char *text = "vm a kernel=k mem=16M "
			   "cmdline=\"a \\\"quoted\\\" back\\\\slash # not a comment\"";
	assert_int_equal(parse(text), 0);
	assert_string_equal(cfg.vms[0].cmdline,
			    "a \"quoted\" back\\slash # not a comment");

	/* Quotes may cover part of a word; other backslashes stay as they are. */
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=x\" y \"z\\n"), 0);
	assert_string_equal(cfg.vms[0].cmdline, "x y z\\n");
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=\"a\\tb\\\\\""), 0);
	assert_string_equal(cfg.vms[0].cmdline, "a\\tb\\");
	/* Outside quotes a backslash is an ordinary character. */
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=a\\\\b"), 0);
	assert_string_equal(cfg.vms[0].cmdline, "a\\\\b");
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=\"\""), 0);
	assert_string_equal(cfg.vms[0].cmdline, "");
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=plain"), 0);
	assert_string_equal(cfg.vms[0].cmdline, "plain");
	/* Tabs inside quotes are kept. */
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=\"a\tb\""), 0);
	assert_string_equal(cfg.vms[0].cmdline, "a\tb");

	/* An escaped quote does not close the string. */
	assert_int_equal(parse("vm a kernel=k mem=16M cmdline=\"abc\\\""), 1);
	expect_error(0, 1, "vm 'a': unterminated quote");
	assert_int_equal(cfg.vm_count, 1);
	assert_false(cfg.vms[0].valid);

	/* 511 characters fit, 512 do not. */
	char line[700] = "vm a kernel=k mem=16M cmdline=\"";
	size_t at = strlen(line);
	memset(line + at, 'c', 511);
	strcpy(line + at + 511, "\"");
	expect_line(line, 0, NULL);
	assert_int_equal(strlen(cfg.vms[0].cmdline), 511);
	strcpy(line + at + 511, "c\"");
	expect_line(line, 1, "vm 'a': bad cmdline 'cccccccccccccccccccccccc' (want up to 511 characters)");
	assert_false(cfg.vms[0].valid);
}

static void test_comments_whitespace_line_ends(void **state)
{
	const char *text = "\xef\xbb\xbf# a BOM, then a comment\r\n"
			   "   \t \r\n"
			   "\t# indented comment\r\n"
			   "\r\n"
			   "\tvm\ta\tkernel=k\tmem=16M#comment right after\r\n"
			   "vm b kernel=k mem=16M cmdline=\"#x\" #c\r\n"
			   "vm c kernel=k mem=16M";
	assert_int_equal(parse(text), 0);
	assert_int_equal(cfg.vm_count, 3);
	assert_int_equal(cfg.vms[0].line, 5);
	assert_int_equal(cfg.vms[0].mem_bytes, 16ull << 20);
	assert_int_equal(cfg.vms[1].line, 6);
	assert_string_equal(cfg.vms[1].cmdline, "#x");
	assert_int_equal(cfg.vms[2].line, 7);
	assert_int_equal(cfg.vms[2].mem_bytes, 16ull << 20);

	/* A CR at the very end without LF, and a lone CR inside a line. */
	assert_int_equal(parse("vm a kernel=k mem=16M\r"), 0);
	assert_int_equal(parse("vm a kernel=k\rmem=16M"), 2);
	/* A line of only '#'. */
	assert_int_equal(parse("#\n#\n"), 0);
	/* Only whitespace, no newline. */
	assert_int_equal(parse(" \t "), 0);
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
			   "vm lonely\n"
			   "vm word kernel=k mem=32M stray\n"
			   "pm colour=blue\n"
			   "vm last kernel=k mem=32M\n";
	assert_int_equal(parse(text), 11);
	expect_error(0, 3, "vm 'web': unknown key 'memory'");
	expect_error(1, 4, "unknown line type 'bogus'");
	expect_error(2, 5, "vm 'nokernel': missing required key 'kernel'");
	expect_error(3, 6, "vm 'ok' defined twice (first on line 2)");
	expect_error(4, 7, "vm 'dup': key 'kernel' given twice (first on line 7)");
	expect_error(5, 8, "vm 'q': unterminated quote");
	expect_error(6, 9, "host: on_idle wants poweroff or halt, not 'sometimes'");
	expect_error(7, 10, "vm 'lonely': missing required key 'kernel'");
	expect_error(8, 10, "vm 'lonely': missing required key 'mem'");
	expect_error(9, 11, "vm 'word': 'stray' is not key=value");
	expect_error(10, 12, "pm: unknown key 'colour'");
	assert_true(cfg.vms[cfg.vm_count - 1].valid);
	assert_string_equal(cfg.vms[cfg.vm_count - 1].name, "last");
}

/* An error inside a vm line stops that VM only. */
static void test_bad_vms_do_not_stop_good_ones(void **state)
{
	const char *text = "vm ok kernel=k mem=32M\n"
			   "vm web kernel=k mem=32M memory=1G\n"
			   "vm nokernel mem=32M\n"
			   "vm dup kernel=k kernel=j mem=32M\n"
			   "vm q kernel=k mem=32M cmdline=\"open\n"
			   "vm last kernel=k mem=32M\n"
			   "vm q kernel=k mem=32M\n";
	assert_int_equal(parse(text), 5);
	assert_int_equal(cfg.vm_count, 6);
	static const bool valid[] = { true, false, false, false, false, true };
	for (int i = 0; i < 6; i++)
		if (cfg.vms[i].valid != valid[i])
			fail_msg("vm %s: valid %d", cfg.vms[i].name, cfg.vms[i].valid);
	/* The broken line still took its name. */
	expect_error(4, 7, "vm 'q' defined twice (first on line 5)");
	/* The duplicate key keeps the first value. */
	assert_string_equal(cfg.vms[3].kernel, "k");
}

static void test_duplicate_keys_across_lines(void **state)
{
	assert_int_equal(parse("sched credit mode=fixed\n"
			       "sched credit tslice=30ms mode=variable\n"
			       "pm idle=halt\n"
			       "pm governor=performance idle=poll\n"
			       "host on_idle=halt\n"
			       "host on_idle=poweroff acpidump acpidump\n"), 4);
	expect_error(0, 2, "sched: key 'mode' given twice (first on line 1)");
	expect_error(1, 4, "pm: key 'idle' given twice (first on line 3)");
	expect_error(2, 6, "host: 'on_idle=poweroff' sets an option given before (line 5)");
	expect_error(3, 6, "host: 'acpidump' sets an option given before (line 6)");
	/* The first value stays; keys on separate lines are fine. */
	assert_int_equal(cfg.sched.mode, SCHED_MODE_FIXED);
	assert_int_equal(cfg.sched.tslice_us, 30000);
	assert_int_equal(cfg.pm.idle, IDLE_HALT);
	assert_int_equal(cfg.pm.governor, PM_GOV_PERFORMANCE);
	assert_int_equal(cfg.host.on_idle, HOST_HALT);
	assert_true(cfg.host.acpidump);
	assert_int_equal(cfg.host.set, OPT_ON_IDLE | OPT_ACPIDUMP);
}

static void test_host_line(void **state)
{
	assert_int_equal(parse("host on_idle=halt on_fault=poweroff exit=isa-debug-exit "
			       "debug=divide acpidump config=other.cfg\n"), 0);
	assert_int_equal(cfg.host.on_idle, HOST_HALT);
	assert_int_equal(cfg.host.on_fault, HOST_POWEROFF);
	assert_true(cfg.host.exit_isa_debug);
	assert_int_equal(cfg.host.debug_fault, DEBUG_DIVIDE);
	assert_true(cfg.host.acpidump);
	assert_string_equal(cfg.host.config_name, "other.cfg");
	assert_int_equal(cfg.host.set, OPT_ON_IDLE | OPT_ON_FAULT | OPT_EXIT |
				       OPT_DEBUG | OPT_ACPIDUMP | OPT_CONFIG);
	/* A bad word does not stop the others. */
	assert_int_equal(parse("host nonsense on_fault=poweroff exit=bios"), 2);
	expect_error(0, 1, "host: unknown option 'nonsense'");
	expect_error(1, 1, "host: exit wants isa-debug-exit or acpi, not 'bios'");
	assert_int_equal(cfg.host.on_fault, HOST_POWEROFF);
	assert_int_equal(cfg.host.set, OPT_ON_FAULT);
	/* The image-path rule of the command line does not apply here. */
	assert_int_equal(parse("host volt.efi"), 1);
	assert_int_equal(parse("host"), 0);
}

static void test_too_many_vms(void **state)
{
	char text[4096] = "";
	for (int i = 0; i <= CONFIG_MAX_VMS; i++) {
		char line[64];
		snprintf(line, sizeof(line), "vm v%d kernel=k mem=16M\n", i);
		strcat(text, line);
	}
	assert_int_equal(parse(text), 1);
	assert_int_equal(cfg.vm_count, CONFIG_MAX_VMS);
	expect_error(0, CONFIG_MAX_VMS + 1, "vm 'v16': more than 16 VMs");
	for (int i = 0; i < CONFIG_MAX_VMS; i++)
		assert_true(cfg.vms[i].valid);
	assert_string_equal(cfg.vms[CONFIG_MAX_VMS - 1].name, "v15");
}

static void test_only_first_errors_kept(void **state)
{
	char text[4096] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, i == 20 ? "vm a kernel=k mem=16M\n" : "nonsense\n");
	assert_int_equal(parse(text), 39);
	assert_int_equal(cfg.error_count, 39);
	expect_error(0, 1, "unknown line type 'nonsense'");
	expect_error(CONFIG_MAX_ERRORS - 1, CONFIG_MAX_ERRORS,
		     "unknown line type 'nonsense'");
	/* Parsing went on after the error list filled up. */
	assert_int_equal(cfg.vm_count, 1);
	assert_int_equal(cfg.vms[0].line, 21);

	config_error(&cfg, 7, "late %d", 1);
	assert_int_equal(cfg.error_count, 40);
}

static void test_nul_bytes_and_length(void **state)
{
	const char text[] = "vm a kernel=k mem=32M\n"
			    "vm \0b kernel=k mem=32M\n"
			    "vm c kernel=k mem=32M cmdline=\"x\0y\"\n"
			    "\0\n"
			    "vm d kernel=k mem=32M";
	assert_int_equal(parse_n(text, sizeof(text) - 1), 3);
	expect_error(0, 2, "NUL byte in line");
	expect_error(1, 3, "vm 'c': NUL byte in line");
	expect_error(2, 4, "NUL byte in line");
	assert_int_equal(cfg.vm_count, 3);
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	assert_string_equal(cfg.vms[2].name, "d");
	assert_int_equal(cfg.vms[2].line, 5);
	assert_true(cfg.vms[2].valid);

	/* len is respected: the text need not be NUL-terminated. */
	assert_int_equal(parse_n("vm a kernel=k mem=32Mxxxx", 21), 0);
	assert_int_equal(cfg.vms[0].mem_bytes, 32ull << 20);
	assert_int_equal(parse_n("vm a kernel=k mem=32M cmdline=\"ab\"", 33), 1);
	expect_error(0, 1, "vm 'a': unterminated quote");
}

static void test_line_and_word_limits(void **state)
{
	/* A line of exactly CONFIG_LINE_MAX bytes (CR excluded) is fine. */
	char line[CONFIG_LINE_MAX + 8];
	strcpy(line, "vm a kernel=k mem=16M #");
	size_t at = strlen(line);
	memset(line + at, 'x', CONFIG_LINE_MAX - at);
	strcpy(line + CONFIG_LINE_MAX, "\r\n");
	assert_int_equal(parse(line), 0);
	assert_true(cfg.vms[0].valid);
	/* One more byte: an error, and the VM it names does not start. */
	memset(line + at, 'x', CONFIG_LINE_MAX + 1 - at);
	strcpy(line + CONFIG_LINE_MAX + 1, "\n");
	assert_int_equal(parse(line), 1);
	expect_error(0, 1, "vm 'a': line longer than 1024 characters");
	assert_int_equal(cfg.vm_count, 1);
	assert_false(cfg.vms[0].valid);
	/* An overlong line that is not a vm line. */
	memset(line, 'x', CONFIG_LINE_MAX + 1);
	line[CONFIG_LINE_MAX + 1] = 0;
	assert_int_equal(parse(line), 1);
	expect_error(0, 1, "line longer than 1024 characters");
	assert_int_equal(cfg.vm_count, 0);

	/* 24 words fit, 25 do not. */
	char words[512] = "vm a kernel=k mem=16M";
	for (int i = 4; i < CONFIG_WORDS_MAX; i++)
		strcat(words, " vcpus=1");
	assert_int_equal(parse(words), CONFIG_WORDS_MAX - 4 - 1);
	expect_error(0, 1, "vm 'a': key 'vcpus' given twice (first on line 1)");
	strcat(words, " x=1");
	assert_int_equal(parse(words), 1);
	expect_error(0, 1, "vm 'a': more than 24 words on one line");
	assert_false(cfg.vms[0].valid);
}

static void test_file_names_deduplicated(void **state)
{
	assert_int_equal(parse("vm a kernel=bz initrd=i1 mem=32M\n"
			       "vm b kernel=bz initrd=i2 mem=32M\n"
			       "vm c kernel=other mem=32M\n"
			       "vm d kernel=i1 initrd=bz mem=32M\n"
			       "vm e kernel=broken mem=32M vcpus=0\n"), 1);
	const char *names[8];
	size_t n = config_file_names(&cfg, names, 8);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "bz");
	assert_string_equal(names[1], "i1");
	assert_string_equal(names[2], "i2");
	assert_string_equal(names[3], "other");
	/* Capped at max; never writes past it. */
	names[2] = "sentinel";
	assert_int_equal(config_file_names(&cfg, names, 2), 2);
	assert_string_equal(names[2], "sentinel");
	assert_int_equal(config_file_names(&cfg, names, 0), 0);

	assert_int_equal(parse(""), 0);
	assert_int_equal(config_file_names(&cfg, names, 8), 0);
}

static void test_memory_budget(void **state)
{
	assert_int_equal(parse("vm a kernel=k mem=64M\n"
			       "vm b kernel=k mem=64M\n"
			       "vm bad kernel=k mem=16M vcpus=99\n"
			       "vm c kernel=k mem=32M\n"
			       "vm d kernel=k mem=4K\n"), 2);
	config_check_memory(&cfg, 100ull << 20);
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid); /* 64 of 36 left: does not fit */
	assert_false(cfg.vms[2].valid); /* invalid already: takes nothing */
	assert_true(cfg.vms[3].valid);  /* 32 of 36 fits */
	assert_int_equal(cfg.error_count, 3);
	expect_error(2, 2, "vm 'b': mem=64 MiB does not fit (36 MiB left)");

	/* An exact fit fits; one page less does not. */
	assert_int_equal(parse("vm a kernel=k mem=16M\nvm b kernel=k mem=32M\n"), 0);
	config_check_memory(&cfg, 48ull << 20);
	assert_int_equal(cfg.error_count, 0);
	assert_int_equal(parse("vm a kernel=k mem=16M\nvm b kernel=k mem=32M\n"), 0);
	config_check_memory(&cfg, (48ull << 20) - 4096);
	assert_true(cfg.vms[0].valid);
	assert_false(cfg.vms[1].valid);
	expect_error(0, 2, "vm 'b': mem=32 MiB does not fit (31 MiB left)");
	/* Nothing free at all. */
	assert_int_equal(parse("vm a kernel=k mem=16M"), 0);
	config_check_memory(&cfg, 0);
	assert_false(cfg.vms[0].valid);
	expect_error(0, 1, "vm 'a': mem=16 MiB does not fit (0 MiB left)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_brief_example),
		cmocka_unit_test(test_every_choice),
		cmocka_unit_test(test_mem_sizes),
		cmocka_unit_test(test_number_limits),
		cmocka_unit_test(test_units_and_values),
		cmocka_unit_test(test_pm_keys),
		cmocka_unit_test(test_sched_tick_divides_tslice),
		cmocka_unit_test(test_names_and_files),
		cmocka_unit_test(test_quoted_cmdline),
		cmocka_unit_test(test_comments_whitespace_line_ends),
		cmocka_unit_test(test_errors_have_line_numbers),
		cmocka_unit_test(test_bad_vms_do_not_stop_good_ones),
		cmocka_unit_test(test_duplicate_keys_across_lines),
		cmocka_unit_test(test_host_line),
		cmocka_unit_test(test_too_many_vms),
		cmocka_unit_test(test_only_first_errors_kept),
		cmocka_unit_test(test_nul_bytes_and_length),
		cmocka_unit_test(test_line_and_word_limits),
		cmocka_unit_test(test_file_names_deduplicated),
		cmocka_unit_test(test_memory_budget),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
