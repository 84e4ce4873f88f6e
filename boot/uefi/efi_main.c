/*
 * volt.efi: the UEFI entry (UEFI 2.10; GNU-EFI). It does, in order:
 *   1. read volt.cfg from the root of its own boot volume, then every file
 *      the config names (guest kernels, initrds);
 *   2. take the command line from its load options, the ACPI RSDP from the
 *      system configuration table, its own extent from the loaded image;
 *   3. get the memory map and exit boot services (retrying when the map
 *      key went stale), turn the map into boot_info regions;
 *   4. switch to a stack inside Volt's image and call volt_main().
 * Problems before step 3 are printed on the firmware console and recorded
 * in boot_info.error, so volt_main reports them on the serial console too.
 * See docs/boot-uefi.md.
 */
#include <efi.h>
#include <efilib.h>

#include "arch/x86/early.h"
#include "boot/boot_info.h"
#include "boot/uefi/efi_mmap.h"
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/config.h"
#include "vmm/options.h"

#define EBS_RETRIES 8
#define EFI_BOOT_STACK_BYTES (64 * 1024)

extern char _text[], _etext[]; /* gnu-efi linker script */

static struct boot_info boot_info;
static struct volt_config config;
static uint8_t boot_stack[EFI_BOOT_STACK_BYTES] __attribute__((aligned(16)));
static EFI_GUID acpi20_guid = ACPI_20_TABLE_GUID;

/* Report a loader problem on the firmware console and in boot_info. */
static void loader_error(int fatal, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void loader_error(int fatal, const char *fmt, ...)
{
	char msg[BOOT_ERROR_MAX];
	va_list ap;
	va_start(ap, fmt);
	volt_vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	Print(L"volt.efi: error: %a\r\n", msg);
	if (!boot_info.error[0] || (fatal && !boot_info.error_fatal)) {
		strlcpy(boot_info.error, msg, sizeof(boot_info.error));
		boot_info.error_fatal = fatal;
	}
}

static void ascii_to_ucs2(CHAR16 *dst, size_t max, const char *src)
{
	size_t i = 0;
	for (; src[i] && i + 1 < max; i++)
		dst[i] = (CHAR16)(unsigned char)src[i];
	dst[i] = 0;
}

/* Read a whole file from the root directory into EfiLoaderData pages. */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, const char *name,
			    struct boot_module *m)
{
	CHAR16 path[BOOT_MODULE_NAME_MAX + 2];
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;

	path[0] = L'\\';
	ascii_to_ucs2(path + 1, BOOT_MODULE_NAME_MAX, name);
	st = uefi_call_wrapper(root->Open, 5, root, &fh, path,
			       EFI_FILE_MODE_READ, 0);
	if (EFI_ERROR(st))
		return st;
	EFI_FILE_INFO *info = LibFileInfo(fh);
	if (!info) {
		uefi_call_wrapper(fh->Close, 1, fh);
		return EFI_DEVICE_ERROR;
	}
	UINT64 size = info->FileSize;
	FreePool(info);

	EFI_PHYSICAL_ADDRESS addr = 0;
	UINTN pages = (size + EFI_PAGE_BYTES - 1) / EFI_PAGE_BYTES;
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages,
			       EfiLoaderData, pages ? pages : 1, &addr);
	if (!EFI_ERROR(st)) {
		UINTN got = size;
		st = uefi_call_wrapper(fh->Read, 3, fh, &got, (void *)addr);
		if (!EFI_ERROR(st) && got != size)
			st = EFI_END_OF_FILE;
	}
	uefi_call_wrapper(fh->Close, 1, fh);
	if (EFI_ERROR(st))
		return st;
	m->base = addr;
	m->size = size;
	strlcpy(m->name, name, sizeof(m->name));
	return EFI_SUCCESS;
}

/* A file that cannot be read is reported, not fatal: volt_main names the
 * VM that needs it and starts the others. */
static void load_module(EFI_FILE_HANDLE root, const char *name)
{
	if (boot_info.module_count == BOOT_MAX_MODULES) {
		loader_error(0, "too many files (at most %d): '%s' not loaded",
			     BOOT_MAX_MODULES, name);
		return;
	}
	struct boot_module *m = &boot_info.modules[boot_info.module_count];
	EFI_STATUS st = read_file(root, name, m);
	if (EFI_ERROR(st)) {
		loader_error(0, "cannot read '%s' from the boot volume "
			     "(EFI status %#lx): file not found or unreadable",
			     name, (unsigned long)st);
		return;
	}
	boot_info.module_count++;
	Print(L"volt.efi: read %a (%lu bytes)\r\n", name, (unsigned long)m->size);
}

/* The config, then every file it names. */
static void load_files(EFI_LOADED_IMAGE *li, const char *config_name)
{
	/* Not fatal: volt_main reports a missing config and stops cleanly
	 * once it knows how to power the machine off (ACPI). */
	EFI_FILE_HANDLE root = LibOpenRoot(li->DeviceHandle);
	if (!root) {
		loader_error(0, "cannot open the boot volume's file system");
		return;
	}
	uint32_t first = boot_info.module_count;
	load_module(root, config_name);
	if (boot_info.module_count == first)
		return;
	const struct boot_module *cfg = &boot_info.modules[first];
	config_defaults(&config);
	config_parse((const char *)cfg->base, cfg->size, &config);

	const char *names[2 * CONFIG_MAX_VMS];
	size_t n = config_file_names(&config, names, 2 * CONFIG_MAX_VMS);
	for (size_t i = 0; i < n; i++)
		load_module(root, names[i]);
}

/*
 * Load options are UCS-2 text when a person or a boot entry typed them;
 * firmware-made entries may carry binary data instead. Accept printable
 * ASCII only.
 */
static void take_load_options(EFI_LOADED_IMAGE *li)
{
	const CHAR16 *opt = li->LoadOptions;
	size_t n = li->LoadOptionsSize / sizeof(CHAR16);
	size_t out = 0;
	for (size_t i = 0; opt && i < n && opt[i]; i++) {
		if (opt[i] < 0x20 || opt[i] > 0x7e) {
			out = 0; /* not text: ignore it all */
			break;
		}
		if (out + 1 < sizeof(boot_info.cmdline))
			boot_info.cmdline[out++] = (char)opt[i];
	}
	boot_info.cmdline[out] = 0;
}

static void find_rsdp(EFI_SYSTEM_TABLE *st)
{
	uint64_t acpi1 = 0;
	for (UINTN i = 0; i < st->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &st->ConfigurationTable[i];
		if (!CompareGuid(&t->VendorGuid, &acpi20_guid)) {
			boot_info.rsdp = (uint64_t)t->VendorTable;
			return;
		}
		if (!CompareGuid(&t->VendorGuid, &AcpiTableGuid))
			acpi1 = (uint64_t)t->VendorTable;
	}
	boot_info.rsdp = acpi1; /* 0 when the firmware has no ACPI at all */
}

/*
 * GetMemoryMap + ExitBootServices. Any allocation between the two makes the
 * map key stale (EFI_INVALID_PARAMETER), so the buffer is allocated first,
 * with slack, and only GetMemoryMap runs between retries.
 */
static EFI_STATUS exit_boot_services(EFI_HANDLE image, void **map,
				     UINTN *map_size, UINTN *desc_size)
{
	UINTN key, cap = 0;
	UINT32 version;
	EFI_STATUS st = uefi_call_wrapper(BS->GetMemoryMap, 5, &cap, NULL, &key,
					  desc_size, &version);
	if (st != EFI_BUFFER_TOO_SMALL)
		return st;
	cap += 16 * *desc_size;
	*map = AllocatePool(cap);
	if (!*map)
		return EFI_OUT_OF_RESOURCES;

	for (int i = 0; i < EBS_RETRIES; i++) {
		*map_size = cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, map_size, *map, &key,
				       desc_size, &version);
		if (EFI_ERROR(st))
			return st;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (st != EFI_INVALID_PARAMETER)
			return st;
	}
	return st;
}

static void start_volt(void *bi)
{
	volt_main(bi);
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	struct host_options opts;
	char err[128];

	InitializeLib(image, systab);
	Print(L"volt.efi: Volt's UEFI loader\r\n");
	boot_info.loader = "uefi";

	EFI_STATUS st = uefi_call_wrapper(BS->HandleProtocol, 3, image,
					  &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st)) {
		Print(L"volt.efi: no loaded-image protocol (%r)\r\n", st);
		return st;
	}
	boot_info.image_base = (uint64_t)li->ImageBase;
	boot_info.image_end = boot_info.image_base + li->ImageSize;
	boot_info.text_end = (uint64_t)_etext;

	take_load_options(li);
	options_defaults(&opts);
	options_parse(boot_info.cmdline, &opts, err, sizeof(err));
	load_files(li, opts.config_name);
	find_rsdp(systab);

	void *map = NULL;
	UINTN map_size = 0, desc_size = 0;
	Print(L"volt.efi: exiting boot services\r\n");
	st = exit_boot_services(image, &map, &map_size, &desc_size);
	if (EFI_ERROR(st)) {
		Print(L"volt.efi: ExitBootServices failed (%r); not starting Volt\r\n", st);
		return st;
	}
	/* No boot services, no firmware console from here on. */
	if (efi_mmap_convert(map, map_size, desc_size, &boot_info, err,
			     sizeof(err))) {
		strlcpy(boot_info.error, err, sizeof(boot_info.error));
		boot_info.error_fatal = 1;
	}
	__asm__ volatile("cli");
	call_on_stack((uint64_t)(boot_stack + sizeof(boot_stack)), start_volt,
		      &boot_info);
}
