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

static int parse_debug(const char *v, size_t len, int *out)
{
	static const struct { const char *name; int value; } kinds[] = {
		{ "none", DEBUG_NONE }, { "pagefault", DEBUG_PAGEFAULT },
		{ "gpfault", DEBUG_GPFAULT }, { "divide", DEBUG_DIVIDE },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		if (word_is(v, len, kinds[i].name)) {
			*out = kinds[i].value;
			return 0;
		}
	}
	return -1;
}

static int bad(char *err, size_t errlen, const char *what, const char *w,
	       size_t len)
{
	volt_snprintf(err, errlen, "%s '%.*s'", what, (int)len, w);
	return -1;
}

int options_apply_word(struct host_options *o, const char *w, size_t len,
		       char *err, size_t errlen)
{
	const char *eq = memchr(w, '=', len);
	size_t klen = eq ? (size_t)(eq - w) : len;
	const char *v = eq ? eq + 1 : 0;
	size_t vlen = eq ? len - klen - 1 : 0;

	if (word_is(w, klen, "acpidump")) {
		if (eq)
			return bad(err, errlen, "acpidump takes no value:", w, len);
		o->acpidump = true;
		o->set |= OPT_ACPIDUMP;
	} else if (!eq) {
		return bad(err, errlen, "unknown option", w, len);
	} else if (word_is(w, klen, "on_idle")) {
		if (parse_action(v, vlen, &o->on_idle))
			return bad(err, errlen, "on_idle wants poweroff or halt, not", v, vlen);
		o->set |= OPT_ON_IDLE;
	} else if (word_is(w, klen, "on_fault")) {
		if (parse_action(v, vlen, &o->on_fault))
			return bad(err, errlen, "on_fault wants poweroff or halt, not", v, vlen);
		o->set |= OPT_ON_FAULT;
	} else if (word_is(w, klen, "exit")) {
		if (!word_is(v, vlen, "isa-debug-exit") && !word_is(v, vlen, "acpi"))
			return bad(err, errlen, "exit wants isa-debug-exit or acpi, not", v, vlen);
		o->exit_isa_debug = word_is(v, vlen, "isa-debug-exit");
		o->set |= OPT_EXIT;
	} else if (word_is(w, klen, "debug")) {
		if (parse_debug(v, vlen, &o->debug_fault))
			return bad(err, errlen, "debug wants pagefault, gpfault, divide or none, not", v, vlen);
		o->set |= OPT_DEBUG;
	} else if (word_is(w, klen, "config")) {
		if (vlen == 0 || vlen >= sizeof(o->config_name))
			return bad(err, errlen, "config name empty or too long:", v, vlen);
		memcpy(o->config_name, v, vlen);
		o->config_name[vlen] = 0;
		o->set |= OPT_CONFIG;
	} else {
		return bad(err, errlen, "unknown option", w, klen);
	}
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
	over->set |= take;
}
