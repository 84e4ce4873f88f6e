/*
 * libFuzzer harness for the text Volt reads from outside: volt.cfg
 * (vmm/config.c) and the boot command line (vmm/options.c). Any crash,
 * sanitizer report, hang, or broken invariant below (abort) is a bug;
 * turn the input into a unit test in tests/unit/test_config.c or
 * test_options.c. Build and run: make fuzz [FUZZ_SECONDS=60].
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmm/config.h"
#include "vmm/options.h"

static struct volt_config cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
	if (!ok)
		abort();
}

static bool terminated(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

/* What every parse result must satisfy, whatever the input. */
static void check_config(const struct volt_config *c)
{
	check(c->vm_count <= CONFIG_MAX_VMS);
	for (uint32_t i = 0; i < c->vm_count; i++) {
		const struct vm_config *vm = &c->vms[i];
		check(terminated(vm->name, sizeof(vm->name)) && vm->name[0]);
		check(terminated(vm->kernel, sizeof(vm->kernel)));
		check(terminated(vm->initrd, sizeof(vm->initrd)));
		check(terminated(vm->cmdline, sizeof(vm->cmdline)));
		check(vm->line >= 1);
		for (uint32_t j = 0; j < i; j++)
			check(strcmp(vm->name, c->vms[j].name) != 0);
		if (!vm->valid)
			continue;
		check(vm->kernel[0]);
		check(vm->mem_bytes >= CONFIG_MEM_MIN &&
		      vm->mem_bytes <= CONFIG_MEM_MAX &&
		      vm->mem_bytes % CONFIG_MEM_ALIGN == 0);
		check(vm->vcpus >= 1 && vm->vcpus <= CONFIG_MAX_VCPUS);
		check(vm->weight >= 1 && vm->weight <= CONFIG_WEIGHT_MAX);
		check(vm->cap <= CONFIG_CAP_PER_VCPU * vm->vcpus);
		check(!vm->pinned || vm->pin_mask);
		check(vm->mode >= -1 && vm->mode <= SCHED_MODE_DVFS);
	}
	for (uint32_t i = 0; i < c->error_count && i < CONFIG_MAX_ERRORS; i++)
		check(terminated(c->errors[i].msg, sizeof(c->errors[i].msg)) &&
		      c->errors[i].msg[0]);
	check((c->sched.tick_us &&
	       c->sched.tslice_us % c->sched.tick_us == 0) || c->error_count);
	check(c->pm.freq_count <= CONFIG_MAX_FREQS);
	check(terminated(c->host.config_name, sizeof(c->host.config_name)));
}

static void check_file_names(const struct volt_config *c)
{
	const char *names[2 * CONFIG_MAX_VMS];
	size_t n = config_file_names(c, names, 2 * CONFIG_MAX_VMS);
	check(n <= 2 * c->vm_count);
	for (size_t i = 0; i < n; i++) {
		check(names[i][0]);
		for (size_t j = 0; j < i; j++)
			check(strcmp(names[i], names[j]) != 0);
	}
}

static void fuzz_config(const uint8_t *data, size_t size)
{
	config_defaults(&cfg);
	int errors = config_parse((const char *)data, size, &cfg);
	check(errors == (int)cfg.error_count);
	check_config(&cfg);
	check_file_names(&cfg);

	uint64_t budget = (uint64_t)size << 20, used = 0;
	config_check_memory(&cfg, budget);
	for (uint32_t i = 0; i < cfg.vm_count; i++)
		if (cfg.vms[i].valid)
			used += cfg.vms[i].mem_bytes;
	check(used <= budget);
}

static void fuzz_options(const uint8_t *data, size_t size)
{
	char cmdline[1200], err[OPTIONS_ERR_MAX];
	size_t n = size < sizeof(cmdline) - 1 ? size : sizeof(cmdline) - 1;
	memcpy(cmdline, data, n);
	cmdline[n] = 0;

	struct host_options o;
	options_defaults(&o);
	int errors = options_parse(cmdline, &o, err, sizeof(err));
	check(errors >= 0 && terminated(err, sizeof(err)));
	check(errors == 0 || err[0]);
	check(terminated(o.config_name, sizeof(o.config_name)));
	options_merge_under(&o, &cfg.host);
	check((o.set & cfg.host.set) == cfg.host.set);

	/* One word straight from the input: not NUL-terminated. */
	options_defaults(&o);
	options_apply_word(&o, (const char *)data, size, err, sizeof(err));
	check(terminated(err, sizeof(err)));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_config(data, size);
	fuzz_options(data, size);
	return 0;
}
