/*
 * volt.efi: the UEFI entry (UEFI 2.10; GNU-EFI). It does, in order:
 *   1. read volt.cfg from its own boot volume (the directory volt.efi was
 *      loaded from, else the root), then every file the config names (guest
 *      kernels, initrds) from the same directory;
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

/* Longest directory volt.efi reads files from (e.g. "\EFI\BOOT"). */
#define EFI_DIR_MAX 128
#define EFI_PATH_MAX (EFI_DIR_MAX + BOOT_MODULE_NAME_MAX + 2)

/* The directory the files are read from: "" (the root) or e.g. "\EFI\BOOT". */
static char file_dir[EFI_DIR_MAX];

/* dir + '\' + name in UCS-2; '/' in config names becomes '\'. */
static void efi_path(CHAR16 *dst, size_t max, const char *dir, const char *name)
{
	size_t i = 0;
	for (; *dir && i + 1 < max; dir++)
		dst[i++] = (CHAR16)(unsigned char)*dir;
	if (i + 1 < max)
		dst[i++] = L'\\';
	for (; *name && i + 1 < max; name++)
		dst[i++] = *name == '/' ? L'\\' : (CHAR16)(unsigned char)*name;
	dst[i] = 0;
}

/*
 * The directory of volt.efi on its volume, from the loaded image's file
 * path (UEFI 2.10, 10.3.5.4: media file path nodes, joined). Anything that
 * is not plain printable ASCII gives "" (the root).
 */
static void image_dir(EFI_LOADED_IMAGE *li, char *dir, size_t max)
{
	EFI_DEVICE_PATH *dp = li->FilePath;
	size_t n = 0, last_sep = 0;

	for (; dp && !IsDevicePathEnd(dp); dp = NextDevicePathNode(dp)) {
		size_t len = DevicePathNodeLength(dp);
		if (len < SIZE_OF_FILEPATH_DEVICE_PATH)
			goto root;
		if (DevicePathType(dp) != MEDIA_DEVICE_PATH ||
		    DevicePathSubType(dp) != MEDIA_FILEPATH_DP)
			continue;
		const CHAR16 *p = ((FILEPATH_DEVICE_PATH *)dp)->PathName;
		size_t chars = (len - SIZE_OF_FILEPATH_DEVICE_PATH) / sizeof(CHAR16);
		for (size_t i = 0; i < chars && p[i]; i++) {
			CHAR16 c = p[i] == L'/' ? L'\\' : p[i];
			if (c < 0x20 || c > 0x7e || n + 1 >= max)
				goto root;
			if (c == L'\\' && n && dir[n - 1] == '\\')
				continue; /* nodes "\EFI\" + "\BOOT" */
			if (c == L'\\')
				last_sep = n;
			dir[n++] = (char)c;
		}
	}
	dir[last_sep] = 0; /* drop "\BOOTX64.EFI"; "" when at the root */
	return;
root:
	dir[0] = 0;
}

/* Read a whole file into EfiLoaderData pages. */
static EFI_STATUS read_file(EFI_FILE_HANDLE root, const char *dir,
			    const char *name, struct boot_module *m)
{
	CHAR16 path[EFI_PATH_MAX];
	EFI_FILE_HANDLE fh;
	EFI_STATUS st;

	efi_path(path, EFI_PATH_MAX, dir, name);
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
	if (EFI_ERROR(st)) {
		if (addr)
			uefi_call_wrapper(BS->FreePages, 2, addr, pages ? pages : 1);
		return st;
	}
	m->base = addr;
	m->size = size;
	strlcpy(m->name, name, sizeof(m->name));
	return EFI_SUCCESS;
}

static bool file_exists(EFI_FILE_HANDLE root, const char *dir,
			const char *name)
{
	CHAR16 path[EFI_PATH_MAX];
	EFI_FILE_HANDLE fh;

	efi_path(path, EFI_PATH_MAX, dir, name);
	if (EFI_ERROR(uefi_call_wrapper(root->Open, 5, root, &fh, path,
					EFI_FILE_MODE_READ, 0)))
		return false;
	uefi_call_wrapper(fh->Close, 1, fh);
	return true;
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
	EFI_STATUS st = read_file(root, file_dir, name, m);
	if (EFI_ERROR(st)) {
		loader_error(0, "cannot read '%s' from the boot volume "
			     "(EFI status %#lx): file not found or unreadable",
			     name, (unsigned long)st);
		return;
	}
	boot_info.module_count++;
	Print(L"volt.efi: read %a%a%a (%lu bytes)\r\n", file_dir,
	      file_dir[0] ? "\\" : "", name, (unsigned long)m->size);
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
	/* The config next to volt.efi wins, else the one at the root; the
	 * files it names are read from the directory it was found in. */
	image_dir(li, file_dir, sizeof(file_dir));
	if (file_dir[0] && !file_exists(root, file_dir, config_name))
		file_dir[0] = 0;
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
