/*
 * Host options: the boot command line (Multiboot2 "boot command line" tag,
 * or the UEFI LoadedImage protocol's LoadOptions, converted to ASCII by the
 * loader) and the config's host line. See options.h for the keys and
 * docs/config.md for users. Pure C, host-tested and fuzzed.
 */
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/options.h"

void options_defaults(struct host_options *o)
{
	memset(o, 0, sizeof(*o));
	o->on_idle = HOST_POWEROFF;
	o->on_fault = HOST_HALT;
	o->apicv = true;
	strlcpy(o->config_name, "volt.cfg", sizeof(o->config_name));
}

static bool word_is(const char *w, size_t len, const char *lit)
{
	return strlen(lit) == len && memcmp(w, lit, len) == 0;
}

static int parse_action(const char *v, size_t len, int *out)
{
	if (word_is(v, len, "poweroff"))
		*out = HOST_POWEROFF;
	else if (word_is(v, len, "halt"))
		*out = HOST_HALT;
	else
		return -1;
	return 0;
}

static int opt_on_idle(struct host_options *o, const char *v, size_t len)
{
	return parse_action(v, len, &o->on_idle);
}

static int opt_on_fault(struct host_options *o, const char *v, size_t len)
{
	return parse_action(v, len, &o->on_fault);
}

static int opt_exit(struct host_options *o, const char *v, size_t len)
{
	if (word_is(v, len, "isa-debug-exit"))
		o->exit_isa_debug = true;
	else if (word_is(v, len, "acpi"))
		o->exit_isa_debug = false;
	else
		return -1;
	return 0;
}

static int opt_debug(struct host_options *o, const char *v, size_t len)
{
	static const struct { const char *name; int value; } kinds[] = {
		{ "none", DEBUG_NONE }, { "pagefault", DEBUG_PAGEFAULT },
		{ "gpfault", DEBUG_GPFAULT }, { "divide", DEBUG_DIVIDE },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (word_is(v, len, kinds[i].name)) {
			o->debug_fault = kinds[i].value;
			return 0;
		}
	}
	return -1;
}

static int opt_acpidump(struct host_options *o, const char *v, size_t len)
{
	o->acpidump = true;
	return 0;
}

/* A module string (GRUB) or a file name (UEFI): printable ASCII. */
static int opt_config(struct host_options *o, const char *v, size_t len)
{
	if (len == 0 || len >= sizeof(o->config_name))
		return -1;
	for (size_t i = 0; i < len; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return -1;
	memcpy(o->config_name, v, len);
	o->config_name[len] = 0;
	return 0;
}

static int opt_apicv(struct host_options *o, const char *v, size_t len)
{
	if (word_is(v, len, "on"))
		o->apicv = true;
	else if (word_is(v, len, "off"))
		o->apicv = false;
	else
		return -1;
	return 0;
}

/* An option: its OPT_* bit, whether it is a flag (a word without a
 * value), how to apply it, and the start of the message for a bad value. */
struct option_def {
	const char *key;
	uint32_t bit;
	bool flag;
	int (*parse)(struct host_options *o, const char *v, size_t len);
	const char *bad_value;
};

static const struct option_def options[] = {
	{ "on_idle", OPT_ON_IDLE, false, opt_on_idle,
	  "on_idle wants poweroff or halt, not" },
	{ "on_fault", OPT_ON_FAULT, false, opt_on_fault,
	  "on_fault wants poweroff or halt, not" },
	{ "exit", OPT_EXIT, false, opt_exit,
	  "exit wants isa-debug-exit or acpi, not" },
	{ "debug", OPT_DEBUG, false, opt_debug,
	  "debug wants pagefault, gpfault, divide or none, not" },
	{ "acpidump", OPT_ACPIDUMP, true, opt_acpidump,
	  "acpidump takes no value:" },
	{ "config", OPT_CONFIG, false, opt_config,
	  "config wants a file name of 1-63 printable characters, not" },
	{ "apicv", OPT_APICV, false, opt_apicv, "apicv wants on or off, not" },
};

/* Longest part of a bad word quoted back in a message. */
#define OPTIONS_QUOTE_MAX 48

/*
 * Describe a bad word. `w` need not be NUL-terminated (a word inside the
 * command line), so it is copied into a terminated buffer first rather
 * than trusting a printf precision to stop reading at `len`.
 */
static int bad(char *err, size_t errlen, const char *what, const char *w,
	       size_t len)
{
	char quoted[OPTIONS_QUOTE_MAX + 1];
	if (len > OPTIONS_QUOTE_MAX)
		len = OPTIONS_QUOTE_MAX;
	memcpy(quoted, w, len);
	quoted[len] = 0;
	volt_snprintf(err, errlen, "%s '%s'", what, quoted);
	return -1;
}

int options_apply_word(struct host_options *o, const char *w, size_t len,
		       char *err, size_t errlen)
{
	const char *eq = memchr(w, '=', len);
	size_t klen = eq ? (size_t)(eq - w) : len;
	const char *v = eq ? eq + 1 : w + len;
	size_t vlen = eq ? len - klen - 1 : 0;
	const struct option_def *d = 0;

	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (word_is(w, klen, options[i].key))
			d = &options[i];
	if (!d)
		return bad(err, errlen, "unknown option", w, klen);
	if (d->flag && eq)
		return bad(err, errlen, d->bad_value, w, len);
	if (!d->flag && !eq)
		return bad(err, errlen, "missing '=value' after", w, klen);
	if (d->parse(o, v, vlen))
		return bad(err, errlen, d->bad_value, v, vlen);
	o->set |= d->bit;
	return 0;
}

/* ASCII letters only: setting bit 5 maps 'A'-'Z' to 'a'-'z'. */
static bool ends_with_ci(const char *w, size_t len, const char *suffix)
{
	size_t n = strlen(suffix);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((w[len - n + i] | 0x20) != suffix[i])
			return false;
	return true;
}

/*
 * Some firmware starts the UEFI load options with the image's own path
 * (\EFI\BOOT\BOOTX64.EFI), and some boot loaders start a command line
 * with the kernel's (volt.elf): such a first word is not an option.
 */
static bool is_image_path(const char *w, size_t len)
{
	return !memchr(w, '=', len) &&
	       (ends_with_ci(w, len, ".efi") || ends_with_ci(w, len, ".elf"));
}

/* Line ends count as spaces: a load option may carry a final CR LF. */
static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int options_parse(const char *cmdline, struct host_options *o, char *err,
		  size_t errlen)
{
	int errors = 0;
	bool first = true;
	const char *p = cmdline ? cmdline : "";
	if (errlen)
		err[0] = 0;
	while (*p) {
		while (is_space(*p))
			p++;
		const char *w = p;
		while (*p && !is_space(*p))
			p++;
		size_t len = (size_t)(p - w);
		if (!len)
			continue;
		bool skip = first && is_image_path(w, len);
		first = false;
		if (skip)
			continue;
		char one[OPTIONS_ERR_MAX];
		if (options_apply_word(o, w, len, one, sizeof(one)) &&
		    errors++ == 0)
			strlcpy(err, one, errlen);
	}
	return errors;
}

void options_merge_under(struct host_options *over,
			 const struct host_options *base)
{
	uint32_t take = base->set & ~over->set;
	if (take & OPT_ON_IDLE)
		over->on_idle = base->on_idle;
	if (take & OPT_ON_FAULT)
		over->on_fault = base->on_fault;
	if (take & OPT_EXIT)
		over->exit_isa_debug = base->exit_isa_debug;
	if (take & OPT_DEBUG)
		over->debug_fault = base->debug_fault;
	if (take & OPT_ACPIDUMP)
		over->acpidump = base->acpidump;
	if (take & OPT_CONFIG)
		strlcpy(over->config_name, base->config_name,
			sizeof(over->config_name));
	if (take & OPT_APICV)
		over->apicv = base->apicv;
	over->set |= take;
}
