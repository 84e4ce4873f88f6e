/* Host tests for the UEFI memory-map conversion. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "boot/uefi/efi_mmap.h"

/* Firmware descriptors are often larger than the struct (48 vs 40 bytes). */
#define DESC 48

static uint8_t map[DESC * 300];
static struct boot_info bi;

static void put(int i, uint32_t type, uint64_t start, uint64_t pages)
{
	struct efi_mem_desc d = { .type = type, .phys_start = start, .pages = pages };
	memset(map + i * DESC, 0xee, DESC); /* the extra bytes are junk */
	memcpy(map + i * DESC, &d, sizeof(d));
}

static void test_types(void **state)
{
	static const struct { uint32_t efi, volt; } cases[] = {
		{ EFI_CONVENTIONAL, MEM_USABLE },
		{ EFI_LOADER_CODE, MEM_FIRMWARE_RECLAIM },
		{ EFI_LOADER_DATA, MEM_FIRMWARE_RECLAIM },
		{ EFI_BS_CODE, MEM_FIRMWARE_RECLAIM },
		{ EFI_BS_DATA, MEM_FIRMWARE_RECLAIM },
		{ EFI_RT_CODE, MEM_RESERVED },
		{ EFI_RT_DATA, MEM_RESERVED },
		{ EFI_ACPI_RECLAIM, MEM_ACPI_RECLAIM },
		{ EFI_ACPI_NVS, MEM_ACPI_NVS },
		{ EFI_UNUSABLE, MEM_BAD },
		{ EFI_MMIO, MEM_RESERVED },
		{ EFI_PERSISTENT, MEM_RESERVED },
		{ 0x80000000u, MEM_RESERVED }, /* OEM-defined */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(efi_mem_type_to_volt(cases[i].efi), cases[i].volt);
}

static void test_convert_and_merge(void **state)
{
	char err[128];
	memset(&bi, 0, sizeof(bi));
	put(0, EFI_CONVENTIONAL, 0, 0x9f);
	put(1, EFI_BS_DATA, 0x100000, 0x10);
	put(2, EFI_BS_CODE, 0x110000, 0x10);   /* merges with the previous */
	put(3, EFI_CONVENTIONAL, 0x200000, 0); /* empty: skipped */
	put(4, EFI_CONVENTIONAL, 0x200000, 0x100);
	put(5, EFI_ACPI_RECLAIM, 0x300000, 1);
	assert_int_equal(efi_mmap_convert(map, 6 * DESC, DESC, &bi, err,
					  sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 4);
	assert_int_equal(bi.mem[1].base, 0x100000);
	assert_int_equal(bi.mem[1].length, 0x20000);
	assert_int_equal(bi.mem[1].type, MEM_FIRMWARE_RECLAIM);
	assert_int_equal(bi.mem[2].length, 0x100000);
	assert_int_equal(bi.mem[3].type, MEM_ACPI_RECLAIM);
}

static void test_partial_descriptor_ignored(void **state)
{
	char err[128];
	memset(&bi, 0, sizeof(bi));
	put(0, EFI_CONVENTIONAL, 0x1000, 1);
	assert_int_equal(efi_mmap_convert(map, DESC + 20, DESC, &bi, err,
					  sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 1);
}

static void test_errors(void **state)
{
	char err[128];
	memset(&bi, 0, sizeof(bi));
	assert_int_equal(efi_mmap_convert(map, DESC, 24, &bi, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too small"));

	/* Alternate types so nothing merges: one region per descriptor. */
	for (int i = 0; i < 300; i++)
		put(i, i % 2 ? EFI_CONVENTIONAL : EFI_RT_DATA, 0x1000ull * i * 2, 1);
	assert_int_equal(efi_mmap_convert(map, 300 * DESC, DESC, &bi, err,
					  sizeof(err)), -1);
	assert_non_null(strstr(err, "more than"));

	/* Page counts that would overflow are skipped, not wrapped. */
	memset(&bi, 0, sizeof(bi));
	put(0, EFI_CONVENTIONAL, 0, UINT64_MAX / 2);
	assert_int_equal(efi_mmap_convert(map, DESC, DESC, &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 0);
}

/* A long map that merges fits; exactly BOOT_MAX_MEM_REGIONS regions fit. */
static void test_limits(void **state)
{
	char err[128];
	memset(&bi, 0, sizeof(bi));
	for (int i = 0; i < 300; i++)
		put(i, EFI_BS_DATA, 0x1000ull * i, 1);
	assert_int_equal(efi_mmap_convert(map, 300 * DESC, DESC, &bi, err,
					  sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 1);
	assert_int_equal(bi.mem[0].length, 300 * 0x1000ull);

	memset(&bi, 0, sizeof(bi));
	for (int i = 0; i < BOOT_MAX_MEM_REGIONS; i++)
		put(i, i % 2 ? EFI_CONVENTIONAL : EFI_RT_DATA, 0x1000ull * i, 1);
	assert_int_equal(efi_mmap_convert(map, BOOT_MAX_MEM_REGIONS * DESC, DESC,
					  &bi, err, sizeof(err)), 0);
	assert_int_equal(bi.mem_count, BOOT_MAX_MEM_REGIONS);
	assert_int_equal(bi.mem[BOOT_MAX_MEM_REGIONS - 1].type, MEM_USABLE);

	/* Same type but a hole between them: not merged. */
	memset(&bi, 0, sizeof(bi));
	put(0, EFI_CONVENTIONAL, 0x0, 1);
	put(1, EFI_CONVENTIONAL, 0x2000, 1);
	assert_int_equal(efi_mmap_convert(map, 2 * DESC, DESC, &bi, err,
					  sizeof(err)), 0);
	assert_int_equal(bi.mem_count, 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_types),
		cmocka_unit_test(test_convert_and_merge),
		cmocka_unit_test(test_partial_descriptor_ignored),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests_name("efi_mmap", tests, NULL, NULL);
}
