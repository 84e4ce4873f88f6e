/*
 * volt.cfg parser (see config.h and docs/config.md). One line at a time:
 * split into words (a value may be a double-quoted string with \" and \\
 * escapes), the first word says what the line is, the rest are key=value.
 * Every problem becomes an error with its line number; nothing is fatal.
 */
#include <stdarg.h>
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/config.h"

#define MAX_WORDS 24

struct word {
	char text[CONFIG_CMDLINE_MAX + 32]; /* unquoted, NUL-terminated */
	size_t len;
};

struct line_ctx {
	struct volt_config *c;
	uint32_t line;
	struct vm_config *vm; /* the VM being parsed, if a vm line */
};

void config_defaults(struct volt_config *c)
{
	memset(c, 0, sizeof(*c));
	c->sched.mode = SCHED_MODE_VARIABLE;
	c->sched.tslice_us = 30000;
	c->sched.tick_us = 10000;
	c->sched.ratelimit_us = 1000;
	c->pm.governor = GOV_ONDEMAND;
	c->pm.idle = IDLE_MENU;
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

/* An error on the current line; a vm line's VM becomes invalid. */
static int line_error(struct line_ctx *x, const char *what, const char *key)
{
	if (x->vm) {
		x->vm->valid = false;
		config_error(x->c, x->line, "vm '%s': %s '%s'", x->vm->name,
			     what, key);
	} else {
		config_error(x->c, x->line, "%s '%s'", what, key);
	}
	return -1;
}

/* ---- values ------------------------------------------------------------ */

static int parse_u64(const char *s, uint64_t *out, const char **rest)
{
	uint64_t v = 0;
	const char *p = s;
	if (*p < '0' || *p > '9')
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p - '0');
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

/* 256M, 1G, 512K, or plain bytes. */
static int parse_size(const char *s, uint64_t *out)
{
	uint64_t v;
	const char *rest;
	unsigned shift = 0;
	if (parse_u64(s, &v, &rest))
		return -1;
	if (*rest == 'K' || *rest == 'k')
		shift = 10;
	else if (*rest == 'M' || *rest == 'm')
		shift = 20;
	else if (*rest == 'G' || *rest == 'g')
		shift = 30;
	else if (*rest)
		return -1;
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
	uint64_t v;
	const char *rest;
	uint64_t mult;
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
	if (v > UINT32_MAX / mult || v * mult < min_us || v * mult > max_us)
		return -1;
	*out = (uint32_t)(v * mult);
	return 0;
}

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

static const char *const sched_modes[] = { "variable", "fixed", "dvfs-aware" };
static const char *const governors[] = { "ondemand", "performance", "powersave",
					 "userspace" };
static const char *const idles[] = { "menu", "halt", "poll" };
static const char *const on_crash_names[] = { "stop", "restart" };
static const char *const on_off[] = { "off", "on" };

/* "0,1,3" -> bit mask. */
static int parse_cpu_list(const char *s, uint64_t *mask)
{
	*mask = 0;
	for (const char *p = s;;) {
		uint64_t v;
		if (parse_u64(p, &v, &p) || v >= 64)
			return -1;
		*mask |= 1ull << v;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

static int parse_freq_list(const char *s, struct pm_config *pm)
{
	pm->freq_count = 0;
	for (const char *p = s;;) {
		uint64_t v;
		if (parse_u64(p, &v, &p) || v == 0 || v > 100000 ||
		    pm->freq_count == CONFIG_MAX_FREQS)
			return -1;
		pm->freqs_mhz[pm->freq_count++] = (uint32_t)v;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

/* ---- words ------------------------------------------------------------- */

/* Split a line into words; returns the count or -1 (message in *why). */
static int split_words(const char *s, size_t len, struct word *w, int max,
		       const char **why)
{
	int n = 0;
	size_t i = 0;
	while (i < len) {
		while (i < len && (s[i] == ' ' || s[i] == '\t'))
			i++;
		if (i == len || s[i] == '#')
			break;
		if (n == max) {
			*why = "too many words on one line";
			return -1;
		}
		struct word *cur = &w[n++];
		cur->len = 0;
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
			if (ch == '\0' || cur->len + 1 >= sizeof(cur->text)) {
				*why = ch ? "value too long" : "NUL byte in line";
				return -1;
			}
			cur->text[cur->len++] = ch;
		}
		if (quoted) {
			*why = "unterminated quote";
			return -1;
		}
		cur->text[cur->len] = 0;
	}
	return n;
}

/* Split "key=value" in place; value is "" when there is no '='. */
static const char *split_kv(struct word *w, bool *has_value)
{
	char *eq = strchr(w->text, '=');
	*has_value = eq != 0;
	if (!eq)
		return "";
	*eq = 0;
	return eq + 1;
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

static int copy_file_name(char *dst, const char *v)
{
	size_t n = strlen(v);
	if (n == 0 || n >= CONFIG_FILE_MAX)
		return -1;
	memcpy(dst, v, n + 1);
	return 0;
}

/* ---- line kinds ---------------------------------------------------------- */

static int vm_key(struct line_ctx *x, const char *k, const char *v)
{
	struct vm_config *vm = x->vm;
	int choice;
	if (!strcmp(k, "kernel"))
		return copy_file_name(vm->kernel, v);
	if (!strcmp(k, "initrd"))
		return copy_file_name(vm->initrd, v);
	if (!strcmp(k, "mem"))
		return parse_size(v, &vm->mem_bytes) ||
			       vm->mem_bytes < CONFIG_MEM_MIN ||
			       vm->mem_bytes > CONFIG_MEM_MAX ||
			       vm->mem_bytes % 4096
			       ? -1 : 0;
	if (!strcmp(k, "vcpus"))
		return parse_uint(v, 1, CONFIG_MAX_VCPUS, &vm->vcpus);
	if (!strcmp(k, "weight"))
		return parse_uint(v, 1, 65535, &vm->weight);
	if (!strcmp(k, "cap"))
		return parse_uint(v, 0, 100 * CONFIG_MAX_VCPUS, &vm->cap);
	if (!strcmp(k, "cmdline")) {
		if (strlen(v) >= CONFIG_CMDLINE_MAX)
			return -1;
		strlcpy(vm->cmdline, v, sizeof(vm->cmdline));
		return 0;
	}
	if (!strcmp(k, "pin")) {
		vm->pinned = true;
		return parse_cpu_list(v, &vm->pin_mask);
	}
	if (!strcmp(k, "on_crash"))
		return parse_choice(v, on_crash_names, 2, &vm->on_crash);
	if (!strcmp(k, "exit_port")) {
		if (parse_choice(v, on_off, 2, &choice))
			return -1;
		vm->exit_port = choice;
		return 0;
	}
	if (!strcmp(k, "mode"))
		return parse_choice(v, sched_modes, 3, &vm->mode);
	return -2;
}

static int sched_key(struct line_ctx *x, const char *k, const char *v)
{
	struct sched_config *s = &x->c->sched;
	if (!strcmp(k, "mode"))
		return parse_choice(v, sched_modes, 3, &s->mode);
	if (!strcmp(k, "tslice"))
		return parse_time_us(v, 1000, 1000000, &s->tslice_us);
	if (!strcmp(k, "tick"))
		return parse_time_us(v, 1000, 1000000, &s->tick_us);
	if (!strcmp(k, "ratelimit"))
		return parse_time_us(v, 0, 100000, &s->ratelimit_us);
	return -2;
}

static int pm_key(struct line_ctx *x, const char *k, const char *v)
{
	struct pm_config *pm = &x->c->pm;
	if (!strcmp(k, "governor"))
		return parse_choice(v, governors, 4, &pm->governor);
	if (!strcmp(k, "idle"))
		return parse_choice(v, idles, 3, &pm->idle);
	if (!strcmp(k, "freqs"))
		return parse_freq_list(v, pm);
	return -2;
}

typedef int (*key_fn)(struct line_ctx *x, const char *k, const char *v);

/* Apply key=value words; each key at most once per line. */
static void apply_keys(struct line_ctx *x, struct word *w, int n, key_fn fn)
{
	const char *seen[MAX_WORDS];
	int nseen = 0;
	for (int i = 0; i < n; i++) {
		bool has_value;
		const char *v = split_kv(&w[i], &has_value);
		const char *k = w[i].text;
		bool dup = false;
		for (int j = 0; j < nseen; j++)
			dup |= !strcmp(seen[j], k);
		if (dup) {
			line_error(x, "key given twice:", k);
			continue;
		}
		seen[nseen++] = k;
		if (!has_value) {
			line_error(x, "missing '=value' after", k);
			continue;
		}
		int r = fn(x, k, v);
		if (r == -2)
			line_error(x, "unknown key", k);
		else if (r)
			line_error(x, "bad value for", k);
	}
}

/* After apply_keys: the words hold bare keys (split_kv cut at '='). */
static bool has_key(const struct word *w, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(w[i].text, key))
			return true;
	return false;
}

static void parse_vm_line(struct line_ctx *x, struct word *w, int n)
{
	struct volt_config *c = x->c;
	if (n < 2) {
		config_error(c, x->line, "vm line without a name");
		return;
	}
	if (!name_ok(w[1].text)) {
		config_error(c, x->line,
			     "bad VM name '%.20s' (1-15 of A-Z a-z 0-9 _ -)",
			     w[1].text);
		return;
	}
	for (uint32_t i = 0; i < c->vm_count; i++) {
		if (!strcmp(c->vms[i].name, w[1].text)) {
			config_error(c, x->line,
				     "vm '%s' defined twice (first on line %u)",
				     w[1].text, c->vms[i].line);
			return;
		}
	}
	if (c->vm_count == CONFIG_MAX_VMS) {
		config_error(c, x->line, "more than %d VMs", CONFIG_MAX_VMS);
		return;
	}
	struct vm_config *vm = &c->vms[c->vm_count++];
	memset(vm, 0, sizeof(*vm));
	strlcpy(vm->name, w[1].text, sizeof(vm->name));
	vm->vcpus = 1;
	vm->weight = 256;
	vm->mode = -1;
	vm->valid = true;
	vm->line = x->line;
	x->vm = vm;
	apply_keys(x, w + 2, n - 2, vm_key);
	if (!has_key(w + 2, n - 2, "kernel"))
		line_error(x, "missing required key", "kernel");
	if (!has_key(w + 2, n - 2, "mem"))
		line_error(x, "missing required key", "mem");
	if (vm->cap > 100 * vm->vcpus)
		line_error(x, "cap above 100 x vcpus:", "cap");
}


static void parse_host_line(struct line_ctx *x, struct word *w, int n)
{
	for (int i = 1; i < n; i++) {
		char err[128];
		if (options_apply_word(&x->c->host, w[i].text, w[i].len, err,
				       sizeof(err)))
			config_error(x->c, x->line, "host: %s", err);
	}
}

static void parse_line(struct volt_config *c, uint32_t line, const char *s,
		       size_t len)
{
	static struct word w[MAX_WORDS];
	struct line_ctx x = { c, line, 0 };
	const char *why = 0;

	if (len > CONFIG_LINE_MAX) {
		config_error(c, line, "line longer than %d characters",
			     CONFIG_LINE_MAX);
		return;
	}
	int n = split_words(s, len, w, MAX_WORDS, &why);
	if (n < 0) {
		config_error(c, line, "%s", why);
		return;
	}
	if (n == 0)
		return;
	if (!strcmp(w[0].text, "vm")) {
		parse_vm_line(&x, w, n);
	} else if (!strcmp(w[0].text, "sched")) {
		if (n < 2 || strcmp(w[1].text, "credit"))
			config_error(c, line, "sched: only 'sched credit ...' exists");
		else
			apply_keys(&x, w + 2, n - 2, sched_key);
	} else if (!strcmp(w[0].text, "pm")) {
		apply_keys(&x, w + 1, n - 1, pm_key);
	} else if (!strcmp(w[0].text, "host")) {
		parse_host_line(&x, w, n);
	} else {
		config_error(c, line, "unknown line type '%.32s'", w[0].text);
	}
}

int config_parse(const char *text, size_t len, struct volt_config *c)
{
	uint32_t line = 1;
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		size_t end = i;
		if (end > start && text[end - 1] == '\r')
			end--;
		parse_line(c, line, text + start, end - start);
		line++;
		start = i + 1;
	}
	if (c->sched.tslice_us % c->sched.tick_us)
		config_error(c, 0, "sched: tslice must be a multiple of tick");
	return (int)c->error_count;
}

size_t config_file_names(const struct volt_config *c, const char *names[],
			 size_t max)
{
	size_t n = 0;
	for (uint32_t i = 0; i < c->vm_count; i++) {
		const char *files[2] = { c->vms[i].kernel, c->vms[i].initrd };
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
	uint64_t used = 0;
	for (uint32_t i = 0; i < c->vm_count; i++) {
		struct vm_config *vm = &c->vms[i];
		if (!vm->valid)
			continue;
		if (vm->mem_bytes > free_bytes - used) {
			vm->valid = false;
			config_error(c, vm->line,
				     "vm '%s': mem=%lu MiB does not fit (%lu MiB left)",
				     vm->name, (unsigned long)(vm->mem_bytes >> 20),
				     (unsigned long)((free_bytes - used) >> 20));
			continue;
		}
		used += vm->mem_bytes;
	}
}
