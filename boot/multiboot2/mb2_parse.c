/*
 * Multiboot2 boot-information parser (Multiboot2 specification 1.0, 3.6).
 *
 * The structure starts with total_size and a reserved word, followed by tags
 * (type, size, payload) each starting on an 8-byte boundary and ending with
 * an END tag. Nothing here trusts a size field: every read is bounded by
 * total_size, so a corrupt list gives an error instead of a wild read.
 */
#include "boot/multiboot2/mb2_parse.h"
#include "lib/format.h"
#include "lib/string.h"

struct mb2_tag {
	uint32_t type;
	uint32_t size;
};

struct mb2_mmap_entry {
	uint64_t base;
	uint64_t length;
	uint32_t type;
	uint32_t reserved;
};

static uint32_t read32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static int fail(struct boot_info *bi, const char *what, uint32_t offset)
{
	volt_snprintf(bi->error, sizeof(bi->error),
		      "multiboot2: malformed boot information: %s (at offset %u)",
		      what, offset);
	bi->error_fatal = 1;
	return -1;
}

static uint32_t mem_type_from_mb2(uint32_t t)
{
	switch (t) {
	case MB2_MEM_AVAILABLE: return MEM_USABLE;
	case MB2_MEM_ACPI_RECLAIMABLE: return MEM_ACPI_RECLAIM;
	case MB2_MEM_NVS: return MEM_ACPI_NVS;
	case MB2_MEM_BADRAM: return MEM_BAD;
	default: return MEM_RESERVED; /* 2 and anything unknown */
	}
}

/* A string inside a tag: must be NUL-terminated within the tag. */
static int copy_tag_string(char *dst, size_t dst_size, const uint8_t *s,
			   size_t avail)
{
	size_t n = strnlen((const char *)s, avail);
	if (n == avail)
		return -1;
	strlcpy(dst, (const char *)s, dst_size);
	return 0;
}

static int parse_mmap(const uint8_t *tag, uint32_t size, uint32_t off,
		      struct boot_info *bi)
{
	if (size < 16)
		return fail(bi, "memory map tag too short", off);
	uint32_t entry_size = read32(tag + 8);
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8)
		return fail(bi, "memory map entry size invalid", off);
	for (uint32_t p = 16; p + entry_size <= size; p += entry_size) {
		struct mb2_mmap_entry e;
		memcpy(&e, tag + p, sizeof(e));
		if (e.length == 0)
			continue;
		if (bi->mem_count == BOOT_MAX_MEM_REGIONS)
			return fail(bi, "too many memory map entries", off);
		struct mem_region *r = &bi->mem[bi->mem_count++];
		r->base = e.base;
		r->length = e.length;
		r->type = mem_type_from_mb2(e.type);
	}
	return 0;
}

static int parse_module(const uint8_t *tag, uint32_t size, uint32_t off,
			struct boot_info *bi)
{
	if (size < 17)
		return fail(bi, "module tag too short", off);
	if (bi->module_count == BOOT_MAX_MODULES)
		return fail(bi, "too many modules", off);
	uint32_t start = read32(tag + 8), end = read32(tag + 12);
	if (end < start)
		return fail(bi, "module ends before it starts", off);
	struct boot_module *m = &bi->modules[bi->module_count];
	if (copy_tag_string(m->name, sizeof(m->name), tag + 16, size - 16))
		return fail(bi, "module string not terminated", off);
	m->base = start;
	m->size = end - start;
	bi->module_count++;
	return 0;
}

static int parse_tag(const uint8_t *tag, uint32_t type, uint32_t size,
		     uint32_t off, struct boot_info *bi, int *have_new_rsdp)
{
	switch (type) {
	case MB2_TAG_CMDLINE:
		if (copy_tag_string(bi->cmdline, sizeof(bi->cmdline), tag + 8,
				    size - 8))
			return fail(bi, "command line not terminated", off);
		return 0;
	case MB2_TAG_MODULE:
		return parse_module(tag, size, off, bi);
	case MB2_TAG_MMAP:
		return parse_mmap(tag, size, off, bi);
	case MB2_TAG_ACPI_OLD:
	case MB2_TAG_ACPI_NEW: {
		/* The tag holds a copy of the RSDP; prefer the ACPI 2.0 one. */
		uint32_t len = size - 8;
		if (len < 20)
			return fail(bi, "ACPI RSDP tag too short", off);
		if (type == MB2_TAG_ACPI_OLD && *have_new_rsdp)
			return 0;
		if (len > sizeof(bi->rsdp_copy))
			len = sizeof(bi->rsdp_copy);
		memcpy(bi->rsdp_copy, tag + 8, len);
		bi->rsdp = (uint64_t)(uintptr_t)bi->rsdp_copy;
		if (type == MB2_TAG_ACPI_NEW)
			*have_new_rsdp = 1;
		return 0;
	}
	default:
		return 0; /* tags Volt does not need */
	}
}

int mb2_parse(const void *info, size_t max_len, struct boot_info *bi)
{
	const uint8_t *base = info;
	int have_new_rsdp = 0;

	if (max_len < 16)
		return fail(bi, "shorter than its header", 0);
	uint32_t total = read32(base);
	if (total < 16 || total > max_len)
		return fail(bi, "total_size out of range", 0);

	for (uint32_t off = 8; off + 8 <= total;) {
		uint32_t type = read32(base + off);
		uint32_t size = read32(base + off + 4);
		if (size < 8 || size > total - off)
			return fail(bi, "tag size out of range", off);
		if (type == MB2_TAG_END)
			return bi->mem_count ? 0
					     : fail(bi, "no memory map tag", off);
		if (parse_tag(base + off, type, size, off, bi, &have_new_rsdp))
			return -1;
		off += (size + 7) & ~7u; /* tags are 8-byte aligned */
	}
	return fail(bi, "no end tag", total);
}
