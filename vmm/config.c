/*
 * volt.cfg parser (see config.h; the format reference is docs/config.md).
 *
 * One line at a time: the line is split into words (a value may be a
 * double-quoted string with \" and \\ escapes), the first word says what
 * the line is, the rest are key=value pairs looked up in a table per line
 * kind. Every problem becomes an error with its line number; nothing stops
 * the parse. A problem on a `vm` line makes only that VM invalid.
 *
 * No heap and no static state: the parser runs in Volt, in the UEFI loader
 * (which only needs the file names) and in host tests and the fuzzer.
 */
#include <stdarg.h>
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/config.h"

/* The UTF-8 byte order mark some editors put at the start of a file. */
static const char utf8_bom[] = "\xef\xbb\xbf";
#define UTF8_BOM_LEN 3

/*
 * One line split into words. Unquoting never makes text longer, so the
 * words of a line, plus a NUL each, fit in a buffer of the line limit.
 */
struct words {
	char buf[CONFIG_LINE_MAX + CONFIG_WORDS_MAX];
	char *w[CONFIG_WORDS_MAX];
	int n; /* complete words */
};

/* The lines of one kind (sched, pm, host) share their keys: a key given
 * on two such lines is given twice. Element i: the line that set key i. */
#define SECTION_KEYS_MAX 16
struct section {
	uint32_t key_line[SECTION_KEYS_MAX];
};

struct parse_state {
	struct volt_config *c;
	uint32_t line;           /* the current line */
	const char *what;        /* "sched", "pm", "host" or 0 on a vm line */
	struct vm_config *vm;    /* the VM of the current vm line */
	struct section sched, pm, host;
};

void config_defaults(struct volt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sched.mode = SCHED_MODE_VARIABLE;
	c->sched.tslice_us = SCHED_TSLICE_DEFAULT_US;
	c->sched.tick_us = SCHED_TICK_DEFAULT_US;
	c->sched.ratelimit_us = SCHED_RATELIMIT_DEFAULT_US;
	c->pm.governor = PM_GOV_ONDEMAND;
	c->pm.idle = IDLE_MENU;
	c->pm.sampling_us = PM_SAMPLING_DEFAULT_US;
	c->pm.up_threshold = PM_UP_THRESHOLD_DEFAULT;
	c->pm.max_cstate = PM_MAX_CSTATES;
	c->pm.latency_us = PM_LATENCY_DEFAULT_US;
	options_defaults(&c->host);
}

void config_error(struct volt_config *c, uint32_t line, const char *fmt, ...)
{
	if (c->error_count < CONFIG_MAX_ERRORS) {
		struct config_error *e = &c->errors[c->error_count];
		va_list ap;
		va_start(ap, fmt);
		volt_vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
		va_end(ap);
		e->line = line;
	}
	c->error_count++;
}

/*
 * An error on the current line, prefixed with what the line is about
 * ("vm 'web': ", "sched: "). On a vm line, that VM becomes invalid.
 */
static void __attribute__((format(printf, 2, 3)))
line_error(struct parse_state *x, const char *fmt, ...)
{
	char body[sizeof(x->c->errors[0].msg)];
	va_list ap;
	va_start(ap, fmt);
	volt_vsnprintf(body, sizeof(body), fmt, ap);
	va_end(ap);
	if (x->vm) {
		x->vm->valid = false;
		config_error(x->c, x->line, "vm '%s': %s", x->vm->name, body);
	} else if (x->what) {
		config_error(x->c, x->line, "%s: %s", x->what, body);
	} else {
		config_error(x->c, x->line, "%s", body);
	}
}

/* ---- values ------------------------------------------------------------ */

/* Decimal digits; stops at the first non-digit (*rest). Overflow fails. */
static int parse_u64(const char *s, uint64_t *out, const char **rest)
{
	uint64_t v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		uint64_t digit = (uint64_t)(*p - '0');
		if (v > (UINT64_MAX - digit) / 10)
			return -1;
		v = v * 10 + digit;
	}
	*out = v;
	*rest = p;
	return 0;
}

static int parse_uint(const char *s, uint64_t min, uint64_t max, uint32_t *out)
{
	uint64_t v;
	const char *rest;
	if (parse_u64(s, &v, &rest) || *rest || v < min || v > max)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

/* 256M, 1G, 512K (binary units), or plain bytes. */
static int parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	const char *rest;
	unsigned int shift;
	if (parse_u64(s, &v, &rest))
		return -1;
	switch (*rest) {
	case '\0': shift = 0; break;
	case 'K': case 'k': shift = 10; break;
	case 'M': case 'm': shift = 20; break;
	case 'G': case 'g': shift = 30; break;
	default: return -1;
	}
	if (shift && rest[1])
		return -1;
	if (v > (UINT64_MAX >> shift))
		return -1;
	*out = v << shift;
	return 0;
}

/* 30ms, 500us, 1s; a bare number is milliseconds. Result in microseconds. */
static int parse_time_us(const char *s, uint32_t min_us, uint32_t max_us,
			 uint32_t *out)
{
	uint64_t v, mult;
	const char *rest;
	if (parse_u64(s, &v, &rest))
		return -1;
	if (!strcmp(rest, "us"))
		mult = 1;
	else if (!strcmp(rest, "ms") || !*rest)
		mult = 1000;
	else if (!strcmp(rest, "s"))
		mult = 1000000;
	else
		return -1;
	if (v > max_us / mult || v * mult < min_us)
		return -1;
	*out = (uint32_t)(v * mult);
	return 0;
}

/* `s` must be one of `names`; its index is the enum value. */
static int parse_choice(const char *s, const char *const *names, int n,
			int *out)
{
	for (int i = 0; i < n; i++) {
		if (!strcmp(s, names[i])) {
			*out = i;
			return 0;
		}
	}
	return -1;
}

#define CHOICE(s, names, out) \
	parse_choice(s, names, (int)(sizeof(names) / sizeof(names[0])), out)

/* In enum order (config.h). */
static const char *const sched_modes[] = { "variable", "fixed", "dvfs-aware" };
static const char *const governors[] = { "ondemand", "performance",
					 "powersave", "userspace" };
static const char *const idles[] = { "menu", "halt", "poll", "next-timer" };
static const char *const guest_mwaits[] = { "exit", "nop" };
static const char *const on_crash_names[] = { "stop", "restart" };
static const char *const off_on[] = { "off", "on" };

/* "0,1,3" -> bit mask; an index may repeat. */
static int parse_cpu_list(const char *s, uint64_t *mask)
{
	uint64_t m = 0;
	for (const char *p = s;;) {
		uint64_t v;
		if (parse_u64(p, &v, &p) || v >= CONFIG_MAX_VCPUS)
			return -1;
		m |= 1ull << v;
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	*mask = m;
	return 0;
}

static int parse_freq_list(const char *s, struct pm_config *pm)
{
	uint32_t f[CONFIG_MAX_FREQS], n = 0;
	for (const char *p = s;;) {
		uint64_t v;
		if (n == CONFIG_MAX_FREQS || parse_u64(p, &v, &p) || v == 0 ||
		    v > CONFIG_FREQ_MAX_MHZ)
			return -1;
		f[n++] = (uint32_t)v;
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	memcpy(pm->freqs_mhz, f, n * sizeof(f[0]));
	pm->freq_count = n;
	return 0;
}

static bool name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= CONFIG_NAME_MAX)
		return false;
	for (; *s; s++) {
		char ch = *s;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_' || ch == '-'))
			return false;
	}
	return true;
}

static int copy_string(char *dst, size_t size, const char *v, size_t min)
{
	size_t n = strlen(v);
	if (n < min || n >= size)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* Printable ASCII (spaces allowed): what FAT and GRUB paths can name. */
static int copy_file_name(char *dst, size_t size, const char *v)
{
	for (const char *p = v; *p; p++)
		if (*p < ' ' || *p > '~')
			return -1;
	return copy_string(dst, size, v, 1);
}

/* ---- keys -------------------------------------------------------------- */

/* A key of one line kind: how to parse its value into `obj` (the VM, the
 * sched or the pm config), and what a good value looks like. */
struct key_def {
	const char *key;
	int (*parse)(void *obj, const char *v);
	const char *want;
};

static int vm_kernel(void *o, const char *v)
{
	struct vm_config *vm = o;
	return copy_file_name(vm->kernel, sizeof(vm->kernel), v);
}

static int vm_initrd(void *o, const char *v)
{
	struct vm_config *vm = o;
	return copy_file_name(vm->initrd, sizeof(vm->initrd), v);
}

static int vm_mem(void *o, const char *v)
{
	struct vm_config *vm = o;
	uint64_t b;
	if (parse_size(v, &b) || b < CONFIG_MEM_MIN || b > CONFIG_MEM_MAX ||
	    b % CONFIG_MEM_ALIGN)
		return -1;
	vm->mem_bytes = b;
	return 0;
}

static int vm_vcpus(void *o, const char *v)
{
	return parse_uint(v, 1, CONFIG_MAX_VCPUS, &((struct vm_config *)o)->vcpus);
}

static int vm_weight(void *o, const char *v)
{
	return parse_uint(v, 1, CONFIG_WEIGHT_MAX,
			  &((struct vm_config *)o)->weight);
}

/* Checked against vcpus once the whole line is read (keys come in any order). */
static int vm_cap(void *o, const char *v)
{
	return parse_uint(v, 0, CONFIG_CAP_PER_VCPU * CONFIG_MAX_VCPUS,
			  &((struct vm_config *)o)->cap);
}

static int vm_cmdline(void *o, const char *v)
{
	struct vm_config *vm = o;
	return copy_string(vm->cmdline, sizeof(vm->cmdline), v, 0);
}

static int vm_pin(void *o, const char *v)
{
	struct vm_config *vm = o;
	if (parse_cpu_list(v, &vm->pin_mask))
		return -1;
	vm->pinned = true;
	return 0;
}

static int vm_on_crash(void *o, const char *v)
{
	return CHOICE(v, on_crash_names, &((struct vm_config *)o)->on_crash);
}

/* An on/off key that sets one bool of struct vm_config. */
static int vm_flag(const char *v, bool *flag)
{
	int on;
	if (CHOICE(v, off_on, &on))
		return -1;
	*flag = on;
	return 0;
}

static int vm_exit_port(void *o, const char *v)
{
	return vm_flag(v, &((struct vm_config *)o)->exit_port);
}

static int vm_test_mmio(void *o, const char *v)
{
	return vm_flag(v, &((struct vm_config *)o)->test_mmio);
}

static int vm_mode(void *o, const char *v)
{
	return CHOICE(v, sched_modes, &((struct vm_config *)o)->mode);
}

#define VM_KEY_KERNEL 0
#define VM_KEY_MEM 2
static const struct key_def vm_keys[] = {
	[VM_KEY_KERNEL] = { "kernel", vm_kernel, "a file name, 1-63 printable ASCII" },
	{ "initrd", vm_initrd, "a file name, 1-63 printable ASCII" },
	[VM_KEY_MEM] = { "mem", vm_mem, "16M-64G, a multiple of 4K" },
	{ "vcpus", vm_vcpus, "1-64" },
	{ "weight", vm_weight, "1-65535" },
	{ "cap", vm_cap, "0-100 x vcpus" },
	{ "cmdline", vm_cmdline, "up to 511 characters" },
	{ "pin", vm_pin, "CPU indices 0-63, comma-separated" },
	{ "on_crash", vm_on_crash, "stop or restart" },
	{ "exit_port", vm_exit_port, "on or off" },
	{ "test_mmio", vm_test_mmio, "on or off" },
	{ "mode", vm_mode, "fixed, variable or dvfs-aware" },
};

static int sched_mode(void *o, const char *v)
{
	return CHOICE(v, sched_modes, &((struct sched_config *)o)->mode);
}

static int sched_tslice(void *o, const char *v)
{
	return parse_time_us(v, SCHED_TIME_MIN_US, SCHED_TIME_MAX_US,
			     &((struct sched_config *)o)->tslice_us);
}

static int sched_tick(void *o, const char *v)
{
	return parse_time_us(v, SCHED_TIME_MIN_US, SCHED_TIME_MAX_US,
			     &((struct sched_config *)o)->tick_us);
}

static int sched_ratelimit(void *o, const char *v)
{
	return parse_time_us(v, 0, SCHED_RATELIMIT_MAX_US,
			     &((struct sched_config *)o)->ratelimit_us);
}

/* STAT lines (a machine-readable snapshot) every this often; 0 = off. */
static int sched_stat(void *o, const char *v)
{
	return parse_time_us(v, 0, SCHED_STAT_MAX_US,
			     &((struct sched_config *)o)->stat_us);
}

#define SCHED_KEY_TSLICE 1
#define SCHED_KEY_TICK 2
static const struct key_def sched_keys[] = {
	{ "mode", sched_mode, "fixed, variable or dvfs-aware" },
	[SCHED_KEY_TSLICE] = { "tslice", sched_tslice, "1ms-1000ms" },
	[SCHED_KEY_TICK] = { "tick", sched_tick, "1ms-1000ms" },
	{ "ratelimit", sched_ratelimit, "0-100ms" },
	{ "stat", sched_stat, "0 (off) or 1ms-60s" },
};

static int pm_governor(void *o, const char *v)
{
	return CHOICE(v, governors, &((struct pm_config *)o)->governor);
}

static int pm_idle(void *o, const char *v)
{
	return CHOICE(v, idles, &((struct pm_config *)o)->idle);
}

static int pm_freqs(void *o, const char *v)
{
	return parse_freq_list(v, o);
}

/* "900,1000" -> millivolts, as many as freqs (checked at the end). */
static int pm_volts(void *o, const char *v)
{
	struct pm_config *pm = o;
	uint32_t mv[CONFIG_MAX_FREQS], n = 0;
	for (const char *p = v;;) {
		uint64_t x;
		if (n == CONFIG_MAX_FREQS || parse_u64(p, &x, &p) || x == 0 ||
		    x > PM_VOLT_MAX_MV)
			return -1;
		mv[n++] = (uint32_t)x;
		if (!*p)
			break;
		if (*p++ != ',')
			return -1;
	}
	memcpy(pm->volts_mv, mv, n * sizeof(mv[0]));
	pm->volt_count = n;
	return 0;
}

static int pm_sampling(void *o, const char *v)
{
	return parse_time_us(v, PM_SAMPLING_MIN_US, PM_SAMPLING_MAX_US,
			     &((struct pm_config *)o)->sampling_us);
}

static int pm_up_threshold(void *o, const char *v)
{
	return parse_uint(v, 11, 100, &((struct pm_config *)o)->up_threshold);
}

static int pm_pstate(void *o, const char *v)
{
	return parse_uint(v, 0, CONFIG_MAX_FREQS - 1,
			  &((struct pm_config *)o)->pstate);
}

static int pm_pstate_cpus(void *o, const char *v)
{
	return parse_cpu_list(v, &((struct pm_config *)o)->pstate_cpus);
}

static int pm_max_cstate(void *o, const char *v)
{
	return parse_uint(v, 1, PM_MAX_CSTATES,
			  &((struct pm_config *)o)->max_cstate);
}

static int pm_latency(void *o, const char *v)
{
	return parse_time_us(v, 0, PM_LATENCY_MAX_US,
			     &((struct pm_config *)o)->latency_us);
}

static int pm_guest_mwait(void *o, const char *v)
{
	return CHOICE(v, guest_mwaits, &((struct pm_config *)o)->guest_mwait);
}

static int pm_static_mw(void *o, const char *v)
{
	return parse_uint(v, 0, PM_POWER_MAX_MW,
			  &((struct pm_config *)o)->static_mw);
}

static int pm_dynamic_mw(void *o, const char *v)
{
	return parse_uint(v, 0, PM_POWER_MAX_MW,
			  &((struct pm_config *)o)->dynamic_mw);
}

static int pm_idle_mw(void *o, const char *v)
{
	return parse_uint(v, 0, PM_POWER_MAX_MW,
			  &((struct pm_config *)o)->idle_mw);
}

#define PM_KEY_FREQS 2
#define PM_KEY_VOLTS 3
static const struct key_def pm_keys[] = {
	{ "governor", pm_governor, "performance, powersave, userspace or ondemand" },
	{ "idle", pm_idle, "menu, next-timer, halt or poll" },
	[PM_KEY_FREQS] = { "freqs", pm_freqs, "1-16 MHz values (1-100000), comma-separated" },
	[PM_KEY_VOLTS] = { "volts", pm_volts, "1-16 mV values (1-2000), one per freqs value" },
	{ "sampling", pm_sampling, "20ms-1000ms" },
	{ "up_threshold", pm_up_threshold, "11-100 (percent)" },
	{ "pstate", pm_pstate, "0-15 (the userspace governor's P-state)" },
	{ "pstate_cpus", pm_pstate_cpus, "CPU indices 0-63, comma-separated" },
	{ "max_cstate", pm_max_cstate, "1-8" },
	{ "latency", pm_latency, "0us-1s (C-state exit-latency limit)" },
	{ "guest_mwait", pm_guest_mwait, "exit or nop" },
	{ "static_mw", pm_static_mw, "0-1000000 (0: the model's default)" },
	{ "dynamic_mw", pm_dynamic_mw, "0-1000000 (0: the model's default)" },
	{ "idle_mw", pm_idle_mw, "0-1000000 (0: the model's default)" },
};

#define KEYS(table) table, (int)(sizeof(table) / sizeof(table[0]))

/*
 * Apply key=value words through a key table. key_line[i] records the
 * line that set key i, to catch a key given twice (on this line or, for
 * sched/pm, on an earlier line of the same kind).
 */
static void apply_keys(struct parse_state *x, char **w, int n,
		       const struct key_def *keys, int nkeys, void *obj,
		       uint32_t *key_line)
{
	for (int i = 0; i < n; i++) {
		char *eq = strchr(w[i], '=');
		if (!eq) {
			line_error(x, "'%.32s' is not key=value", w[i]);
			continue;
		}
		*eq = 0;
		const char *k = w[i], *v = eq + 1;
		int d = 0;
		while (d < nkeys && strcmp(keys[d].key, k))
			d++;
		if (d == nkeys) {
			line_error(x, "unknown key '%.32s'", k);
		} else if (key_line[d]) {
			line_error(x, "key '%s' given twice (first on line %u)",
				   k, key_line[d]);
		} else {
			key_line[d] = x->line;
			if (keys[d].parse(obj, v))
				line_error(x, "bad %s '%.24s' (want %s)", k, v,
					   keys[d].want);
		}
	}
}

/* ---- line kinds -------------------------------------------------------- */

/*
 * Add the VM a vm line names, valid until an error says otherwise. No VM
 * (only an error) when the name is bad or taken or there are too many.
 */
static struct vm_config *vm_start(struct parse_state *x, const char *name)
{
	struct volt_config *c = x->c;
	if (!name_ok(name)) {
		config_error(c, x->line,
			     "bad VM name '%.20s' (1-15 of A-Z a-z 0-9 _ -)", name);
		return 0;
	}
	for (uint32_t i = 0; i < c->vm_count; i++) {
		if (!strcmp(c->vms[i].name, name)) {
			config_error(c, x->line,
				     "vm '%s' defined twice (first on line %u)",
				     name, c->vms[i].line);
			return 0;
		}
	}
	if (c->vm_count == CONFIG_MAX_VMS) {
		config_error(c, x->line, "vm '%s': more than %d VMs", name,
			     CONFIG_MAX_VMS);
		return 0;
	}
	struct vm_config *vm = &c->vms[c->vm_count++];
	memset(vm, 0, sizeof(*vm));
	strlcpy(vm->name, name, sizeof(vm->name));
	vm->vcpus = 1;
	vm->weight = CONFIG_WEIGHT_DEFAULT;
	vm->on_crash = ON_CRASH_STOP;
	vm->mode = -1;
	vm->valid = true;
	vm->line = x->line;
	return vm;
}

static void parse_vm_line(struct parse_state *x, struct words *ws)
{
	uint32_t key_line[sizeof(vm_keys) / sizeof(vm_keys[0])] = { 0 };
	if (ws->n < 2) {
		config_error(x->c, x->line, "vm line without a name");
		return;
	}
	x->vm = vm_start(x, ws->w[1]);
	if (!x->vm)
		return;
	apply_keys(x, ws->w + 2, ws->n - 2, KEYS(vm_keys), x->vm, key_line);
	if (!key_line[VM_KEY_KERNEL])
		line_error(x, "missing required key 'kernel'");
	if (!key_line[VM_KEY_MEM])
		line_error(x, "missing required key 'mem'");
	if (x->vm->cap > CONFIG_CAP_PER_VCPU * x->vm->vcpus)
		line_error(x, "cap=%u is above 100 x vcpus (%u)", x->vm->cap,
			   CONFIG_CAP_PER_VCPU * x->vm->vcpus);
}

static void parse_sched_line(struct parse_state *x, struct words *ws)
{
	x->what = "sched";
	if (ws->n < 2 || strcmp(ws->w[1], "credit")) {
		line_error(x, "the only scheduler is 'sched credit ...'");
		return;
	}
	apply_keys(x, ws->w + 2, ws->n - 2, KEYS(sched_keys), &x->c->sched,
		   x->sched.key_line);
}

static void parse_pm_line(struct parse_state *x, struct words *ws)
{
	x->what = "pm";
	apply_keys(x, ws->w + 1, ws->n - 1, KEYS(pm_keys), &x->c->pm,
		   x->pm.key_line);
}

_Static_assert(OPT_CONFIG < (1u << SECTION_KEYS_MAX),
	       "every OPT_* bit needs a slot in struct section");

/* The bit number of the one OPT_* bit in `bits` (options.h), for key_line. */
static int opt_index(uint32_t bits)
{
	int i = 0;
	while (i < SECTION_KEYS_MAX - 1 && !(bits & (1u << i)))
		i++;
	return i;
}

/*
 * host words are the command-line options (options.c parses them). A
 * word is applied to a copy first so that a key given twice is caught
 * before it overwrites the first value.
 */
static void parse_host_line(struct parse_state *x, struct words *ws)
{
	x->what = "host";
	for (int i = 1; i < ws->n; i++) {
		struct host_options o = x->c->host;
		char err[sizeof(x->c->errors[0].msg)];
		o.set = 0;
		if (options_apply_word(&o, ws->w[i], strlen(ws->w[i]), err,
				       sizeof(err))) {
			line_error(x, "%s", err);
			continue;
		}
		int k = opt_index(o.set);
		if (x->host.key_line[k]) {
			line_error(x, "'%.32s' sets an option given before (line %u)",
				   ws->w[i], x->host.key_line[k]);
			continue;
		}
		x->host.key_line[k] = x->line;
		o.set |= x->c->host.set;
		x->c->host = o;
	}
}

/* ---- lines ------------------------------------------------------------- */

/*
 * Split `len` bytes into words at spaces and tabs, up to a '#' outside
 * quotes. Returns 0, or -1 with the reason in *why; ws->n then counts the
 * words completed before the problem.
 */
static int split_words(const char *s, size_t len, struct words *ws,
		       const char **why)
{
	char *out = ws->buf;
	size_t i = 0;
	ws->n = 0;
	for (;;) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len || s[i] == '#')
			return 0;
		if (ws->n == CONFIG_WORDS_MAX) {
			*why = "more than 24 words on one line";
			return -1;
		}
		char *start = out;
		bool quoted = false;
		for (; i < len; i++) {
			char ch = s[i];
			if (!quoted && (ch == ' ' || ch == '\t' || ch == '#'))
				break;
			if (ch == '"') {
				quoted = !quoted;
				continue;
			}
			if (quoted && ch == '\\' && i + 1 < len &&
			    (s[i + 1] == '"' || s[i + 1] == '\\'))
				ch = s[++i];
			if (ch == '\0') {
				*why = "NUL byte in line";
				return -1;
			}
			*out++ = ch;
		}
		if (quoted) {
			*why = "unterminated quote";
			return -1;
		}
		*out++ = 0;
		ws->w[ws->n++] = start;
	}
}

/*
 * A line that could not be split. If it is a vm line whose name was read,
 * that VM is recorded as invalid: it is listed as not started and its
 * name stays taken.
 */
static void parse_broken_line(struct parse_state *x, struct words *ws,
			      const char *why)
{
	if (ws->n >= 2 && !strcmp(ws->w[0], "vm"))
		x->vm = vm_start(x, ws->w[1]);
	line_error(x, "%s", why);
}

static void parse_line(struct parse_state *x, const char *s, size_t len)
{
	struct words ws;
	const char *why = 0;

	x->what = 0;
	x->vm = 0;
	if (len > CONFIG_LINE_MAX) {
		/* Read the start only to learn which VM, if any, is broken. */
		split_words(s, CONFIG_LINE_MAX, &ws, &why);
		if (ws.n > 0)
			ws.n--; /* the last word may be cut */
		parse_broken_line(x, &ws, "line longer than 1024 characters");
		return;
	}
	if (split_words(s, len, &ws, &why)) {
		parse_broken_line(x, &ws, why);
		return;
	}
	if (ws.n == 0)
		return;
	if (!strcmp(ws.w[0], "vm"))
		parse_vm_line(x, &ws);
	else if (!strcmp(ws.w[0], "sched"))
		parse_sched_line(x, &ws);
	else if (!strcmp(ws.w[0], "pm"))
		parse_pm_line(x, &ws);
	else if (!strcmp(ws.w[0], "host"))
		parse_host_line(x, &ws);
	else
		line_error(x, "unknown line type '%.32s'", ws.w[0]);
}

/*
 * The scheduler accounts credit at each tick, so a slice must be whole
 * ticks. Reported on the later of the lines that set tslice and tick.
 */
static void check_sched_timing(struct parse_state *x)
{
	const struct sched_config *s = &x->c->sched;
	uint32_t a = x->sched.key_line[SCHED_KEY_TSLICE];
	uint32_t b = x->sched.key_line[SCHED_KEY_TICK];
	if (s->tslice_us % s->tick_us == 0)
		return;
	x->line = a > b ? a : b;
	x->what = "sched";
	x->vm = 0;
	line_error(x, "tslice (%u us) must be a multiple of tick (%u us)",
		   s->tslice_us, s->tick_us);
}

/* volts= gives one voltage per freqs= value (the keys may be on
 * different pm lines); the error names the line of volts=. */
static void check_pm_table(struct parse_state *x)
{
	const struct pm_config *pm = &x->c->pm;
	if (!pm->volt_count || pm->volt_count == pm->freq_count)
		return;
	x->line = x->pm.key_line[PM_KEY_VOLTS];
	x->what = "pm";
	x->vm = 0;
	line_error(x, "volts has %u values, freqs %u: one voltage per "
		   "frequency", pm->volt_count, pm->freq_count);
}

int config_parse(const char *text, size_t len, struct volt_config *c)
{
	struct parse_state x;
	size_t start = 0;

	memset(&x, 0, sizeof(x));
	x.c = c;
	x.line = 1;
	if (!text)
		len = 0;
	if (len >= UTF8_BOM_LEN && !memcmp(text, utf8_bom, UTF8_BOM_LEN))
		start = UTF8_BOM_LEN;
	for (size_t i = start; i < len; i++) {
		if (text[i] != '\n')
			continue;
		size_t end = i > start && text[i - 1] == '\r' ? i - 1 : i;
		parse_line(&x, text + start, end - start);
		x.line++;
		start = i + 1;
	}
	if (start < len) { /* a last line without a newline */
		size_t end = text[len - 1] == '\r' ? len - 1 : len;
		parse_line(&x, text + start, end - start);
	}
	check_sched_timing(&x);
	check_pm_table(&x);
	return (int)c->error_count;
}

size_t config_file_names(const struct volt_config *c, const char *names[],
			 size_t max)
{
	size_t n = 0;
	for (uint32_t i = 0; i < c->vm_count; i++) {
		const char *files[2] = { c->vms[i].kernel, c->vms[i].initrd };
		if (!c->vms[i].valid)
			continue;
		for (int f = 0; f < 2; f++) {
			bool seen = !files[f][0];
			for (size_t j = 0; j < n && !seen; j++)
				seen = !strcmp(names[j], files[f]);
			if (!seen && n < max)
				names[n++] = files[f];
		}
	}
	return n;
}

void config_check_memory(struct volt_config *c, uint64_t free_bytes)
{
	uint64_t left = free_bytes;
	for (uint32_t i = 0; i < c->vm_count; i++) {
		struct vm_config *vm = &c->vms[i];
		if (!vm->valid)
			continue;
		if (vm->mem_bytes > left) {
			vm->valid = false;
			config_error(c, vm->line,
				     "vm '%s': mem=%lu MiB does not fit (%lu MiB left)",
				     vm->name, (unsigned long)(vm->mem_bytes >> 20),
				     (unsigned long)(left >> 20));
			continue;
		}
		left -= vm->mem_bytes;
	}
}
