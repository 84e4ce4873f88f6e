/*
 * libFuzzer harness for the text Volt reads from outside: volt.cfg and the
 * boot command line. Any crash, sanitizer report or hang is a bug.
 * Build and run: make fuzz [FUZZ_SECONDS=60].
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmm/config.h"
#include "vmm/options.h"

static struct volt_config cfg;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	config_defaults(&cfg);
	config_parse((const char *)data, size, &cfg);
	const char *names[2 * CONFIG_MAX_VMS];
	config_file_names(&cfg, names, 2 * CONFIG_MAX_VMS);
	config_check_memory(&cfg, (uint64_t)size << 20);

	char cmdline[600], err[128];
	size_t n = size < sizeof(cmdline) - 1 ? size : sizeof(cmdline) - 1;
	memcpy(cmdline, data, n);
	cmdline[n] = 0;
	struct host_options o;
	options_defaults(&o);
	options_parse(cmdline, &o, err, sizeof(err));
	options_merge_under(&o, &cfg.host);
	return 0;
}
