/* Loading volt.cfg from the boot files (see boot_config.h). */
#include "lib/console.h"
#include "lib/string.h"
#include "vmm/boot_config.h"

static struct volt_config config;

void boot_options_early(const struct boot_info *bi, struct host_options *o)
{
	char err[128];
	options_defaults(o);
	int n = options_parse(bi->cmdline, o, err, sizeof(err));
	if (n)
		printk("error: command line: %s%s\n", err,
		       n > 1 ? " (and more)" : "");
}

static const struct boot_module *find_module(const struct boot_info *bi,
					     const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (!strcmp(bi->modules[i].name, name))
			return &bi->modules[i];
	return 0;
}

/* Every VM's files must have come with the boot. */
static void check_files(const struct boot_info *bi, struct volt_config *c)
{
	for (uint32_t i = 0; i < c->vm_count; i++) {
		struct vm_config *vm = &c->vms[i];
		const char *files[2] = { vm->kernel, vm->initrd };
		for (int f = 0; f < 2 && vm->valid; f++) {
			if (!files[f][0] || find_module(bi, files[f]))
				continue;
			vm->valid = false;
			config_error(c, vm->line,
				     "vm '%s': %s '%s' not found among the boot files",
				     vm->name, f ? "initrd" : "kernel", files[f]);
		}
	}
}

/* Errors in file order (checks made after parsing add theirs later). */
static void print_errors(const struct volt_config *c, const char *file)
{
	uint32_t shown = c->error_count < CONFIG_MAX_ERRORS ? c->error_count
							    : CONFIG_MAX_ERRORS;
	uint32_t order[CONFIG_MAX_ERRORS];
	for (uint32_t i = 0; i < shown; i++) {
		uint32_t j = i;
		for (; j > 0 && c->errors[order[j - 1]].line > c->errors[i].line; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (uint32_t i = 0; i < shown; i++) {
		const struct config_error *e = &c->errors[order[i]];
		if (e->line)
			printk("error: %s:%u: %s\n", file, e->line, e->msg);
		else
			printk("error: %s: %s\n", file, e->msg);
	}
	if (c->error_count > shown)
		printk("error: %s: %u more errors not shown\n", file,
		       c->error_count - shown);
}

static void print_vms(const struct volt_config *c)
{
	for (uint32_t i = 0; i < c->vm_count; i++) {
		const struct vm_config *vm = &c->vms[i];
		printk("config: vm %-15s %5lu MiB, %u vCPU%s, weight %u, cap %u%%: %s\n",
		       vm->name, (unsigned long)(vm->mem_bytes >> 20), vm->vcpus,
		       vm->vcpus == 1 ? "" : "s", vm->weight, vm->cap,
		       vm->valid ? "ready" : "not started (see the error above)");
	}
	if (!c->vm_count)
		printk("config: no VMs configured\n");
}

int boot_config_load(const struct boot_info *bi, struct host_options *o,
		     uint64_t free_bytes, struct volt_config **cfg)
{
	struct volt_config *c = &config;
	const char *name = o->config_name;
	config_defaults(c);
	*cfg = c;

	const struct boot_module *m = find_module(bi, name);
	if (!m) {
		printk("error: config file '%s' not found among the boot files "
		       "(GRUB: add 'module2 /boot/%s %s'; UEFI: put it next to "
		       "volt.efi)\n", name, name, name);
		return 1;
	}
	config_parse((const char *)(uintptr_t)m->base, m->size, c);
	options_merge_under(o, &c->host);
	check_files(bi, c);
	config_check_memory(c, free_bytes);
	print_errors(c, name);
	print_vms(c);
	return (int)c->error_count;
}
