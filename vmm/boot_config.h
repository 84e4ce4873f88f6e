/*
 * From boot files to a checked configuration: the command line first
 * (early, so on_fault applies to the whole boot), then volt.cfg, checked
 * against the boot files and the free memory.
 */
#ifndef VOLT_VMM_BOOT_CONFIG_H
#define VOLT_VMM_BOOT_CONFIG_H

#include <stdint.h>
#include "boot/boot_info.h"
#include "vmm/config.h"
#include "vmm/options.h"

/* Defaults + the boot command line; reports bad words. */
void boot_options_early(const struct boot_info *bi, struct host_options *o);

/*
 * Find, parse and check the config; merge its host line under the command
 * line's options; print every error with file and line, and a summary of
 * the VMs. Returns the number of errors (0: all fine). *cfg stays valid.
 */
int boot_config_load(const struct boot_info *bi, struct host_options *o,
		     uint64_t free_bytes, struct volt_config **cfg);

#endif
