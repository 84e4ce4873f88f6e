/*
 * Loading a VM's kernel: the file named by `kernel=` is recognized by its
 * header and handed to the loader that understands it:
 *   a Volt flat test image (vmm/loader/flat.c)      real mode at its entry
 *   a Linux bzImage (vmm/loader/bzimage.c)          the x86 boot protocol
 *   a Multiboot v1 kernel (vmm/loader/multiboot.c)  32-bit protected mode
 * `initrd=` becomes Linux's initramfs or the Multiboot module; `cmdline=`
 * is passed unchanged. Whatever goes wrong is one clear line for this VM.
 */
#include "boot/boot_info.h"
#include "lib/string.h"
#include "vmm/exit_handlers.h"
#include "vmm/loader/bzimage.h"
#include "vmm/loader/flat.h"
#include "vmm/loader/multiboot.h"
#include "vmm/vm_load.h"

#define ERR_LEN 160

static const struct boot_module *find_file(const struct boot_info *bi,
					   const char *name)
{
	for (uint32_t i = 0; i < bi->module_count; i++)
		if (!strcmp(bi->modules[i].name, name))
			return &bi->modules[i];
	return 0;
}

static const void *file_data(const struct boot_module *m)
{
	return (const void *)(uintptr_t)m->base;
}

static void *ram(struct vm *vm)
{
	return (void *)(uintptr_t)vm->ram_hpa;
}

static int load_flat(struct vm *vm, const struct boot_module *k,
		     struct vcpu_boot *boot, char *err)
{
	struct flat_image img;
	if (flat_parse(file_data(k), k->size, vm->ram_bytes, &img, err, ERR_LEN))
		return -1;
	memcpy(vm_gpa_to_host(vm, img.load, img.size), file_data(k), img.size);
	boot->mode = VCPU_BOOT_REAL16;
	boot->entry = img.entry;
	return 0;
}

static int load_linux(struct vm *vm, const struct boot_module *k,
		      const struct boot_module *initrd, struct vcpu_boot *boot,
		      char *err)
{
	struct bzimage_result r;
	struct bzimage_args a = {
		.file = file_data(k), .size = k->size,
		.initrd = initrd ? file_data(initrd) : NULL,
		.initrd_size = initrd ? initrd->size : 0,
		.cmdline = vm->cfg->cmdline,
		.ram = ram(vm), .ram_bytes = vm->ram_bytes,
		.acpi_rsdp = vm->acpi_rsdp,
		.boot = boot, .result = &r,
	};
	if (bzimage_load(&a, err, ERR_LEN))
		return -1;
	vm_printk(vm, "Linux boot protocol %u.%02u, %s entry at %#lx, "
		  "initrd %lu KiB at %#lx\n", r.protocol >> 8, r.protocol & 0xff,
		  boot->mode == VCPU_BOOT_LONG64 ? "64-bit" : "32-bit",
		  (unsigned long)boot->entry, (unsigned long)(r.initrd_size >> 10),
		  (unsigned long)r.initrd_addr);
	return 0;
}

static int load_multiboot(struct vm *vm, const struct boot_module *k,
			  const struct boot_module *module,
			  struct vcpu_boot *boot, char *err)
{
	struct multiboot_args a = {
		.file = file_data(k), .size = k->size,
		.module = module ? file_data(module) : NULL,
		.module_size = module ? module->size : 0,
		.module_name = module ? module->name : NULL,
		.cmdline = vm->cfg->cmdline,
		.ram = ram(vm), .ram_bytes = vm->ram_bytes,
		.boot = boot, .result = NULL,
	};
	if (multiboot_load(&a, err, ERR_LEN))
		return -1;
	vm_printk(vm, "Multiboot kernel, entry at %#lx\n",
		  (unsigned long)boot->entry);
	return 0;
}

int vm_load_kernel(struct vm *vm, const struct boot_info *bi,
		   struct vcpu_boot *boot)
{
	const struct vm_config *cfg = vm->cfg;
	const struct boot_module *k = find_file(bi, cfg->kernel);
	const struct boot_module *initrd = NULL;
	char err[ERR_LEN] = "";
	int rc;

	if (!k) {
		vm_printk(vm, "kernel file '%s' missing\n", cfg->kernel);
		return -1;
	}
	if (cfg->initrd[0] && !(initrd = find_file(bi, cfg->initrd))) {
		vm_printk(vm, "initrd file '%s' missing\n", cfg->initrd);
		return -1;
	}
	memset(boot, 0, sizeof(*boot));
	if (flat_is_image(file_data(k), k->size))
		rc = load_flat(vm, k, boot, err);
	else if (bzimage_is_image(file_data(k), k->size))
		rc = load_linux(vm, k, initrd, boot, err);
	else if (multiboot_is_image(file_data(k), k->size))
		rc = load_multiboot(vm, k, initrd, boot, err);
	else {
		vm_printk(vm, "'%s' is neither a Linux bzImage, a Multiboot "
			  "kernel nor a Volt test image\n", cfg->kernel);
		return -1;
	}
	if (rc)
		vm_printk(vm, "'%s': %s\n", cfg->kernel, err);
	return rc;
}
