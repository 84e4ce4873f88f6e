/*
 * VMCS fields as C names, and accessors typed by field width.
 * SDM vol. 3C 25.11.2 "VMREAD, VMWRITE, and Encodings of VMCS Fields" and
 * appendix B "Field Encoding in VMCS". The fields themselves are listed
 * once, in vmcs_fields.def; this header expands that list into:
 *
 *   enum vmcs_field        VMCS_GUEST_RIP = 0x681e, ...  (the encodings)
 *   enum vmcs_field_width  VMCS_WIDTH_GUEST_RIP = VMCS_WNAT, ...
 *   _Static_assert         per field: declared width == encoding bits 14:13
 *   vmcs_read16/32/64/nat(FIELD), vmcs_write16/32/64/nat(FIELD, value)
 *
 * Why typed accessors: VMREAD/VMWRITE take any encoding and any 64-bit
 * value, and the hardware silently truncates or zero-extends. Writing a
 * 64-bit address into a 32-bit field, or reading a 16-bit selector as if
 * it were 64 bits, is a bug that only shows at run time as a failed VM
 * entry. Here the accessor names its width and the field name is pasted
 * into a _Static_assert, so
 *
 *     vmcs_write32(GUEST_RIP, rip);
 *
 * stops the build with "vmcs_write32: GUEST_RIP is not a 32-bit VMCS
 * field". (tests/unit/vmcs_fields.mk proves this with compiles that must
 * fail.) The accessors take the bare field name, not an expression, so a
 * field can only come from the table.
 *
 * This header is pure: the two primitives the accessors expand to,
 *     uint64_t __vmcs_read(uint32_t encoding);
 *     void __vmcs_write(uint32_t encoding, uint64_t value);
 * are provided by whoever includes it: the kernel's vmcs.h with VMREAD and
 * VMWRITE, a host test with a recording mock.
 */
#ifndef VOLT_ARCH_X86_VMX_VMCS_FIELDS_H
#define VOLT_ARCH_X86_VMX_VMCS_FIELDS_H

#include <stddef.h>
#include <stdint.h>

/* Encoding layout (25.11.2). */
#define VMCS_ENC_ACCESS_HIGH 0x1u      /* bit 0: high half of a 64-bit field */
#define VMCS_ENC_INDEX_SHIFT 1         /* bits 9:1 */
#define VMCS_ENC_INDEX_MASK 0x1ffu
#define VMCS_ENC_TYPE_SHIFT 10         /* bits 11:10 */
#define VMCS_ENC_TYPE_MASK 0x3u
#define VMCS_ENC_WIDTH_SHIFT 13        /* bits 14:13 */
#define VMCS_ENC_WIDTH_MASK 0x3u
#define VMCS_ENC_RESERVED_MASK 0xffff9000u /* bits 31:15 and 12 must be 0 */

/* Field widths, with the values the encoding carries in bits 14:13. */
enum vmcs_width { VMCS_W16 = 0, VMCS_W64 = 1, VMCS_W32 = 2, VMCS_WNAT = 3 };

/* Field types, bits 11:10. */
enum vmcs_type {
	VMCS_TYPE_CONTROL = 0,
	VMCS_TYPE_EXIT_INFO = 1, /* read-only VM-exit information */
	VMCS_TYPE_GUEST = 2,
	VMCS_TYPE_HOST = 3,
};

#define VMCS_ENCODING_WIDTH(enc) \
	(((enc) >> VMCS_ENC_WIDTH_SHIFT) & VMCS_ENC_WIDTH_MASK)
#define VMCS_ENCODING_TYPE(enc) \
	(((enc) >> VMCS_ENC_TYPE_SHIFT) & VMCS_ENC_TYPE_MASK)

/* The encodings: VMCS_<name>. */
#define VMCS_FIELD(name, enc, width) VMCS_##name = enc,
enum vmcs_field {
#include "arch/x86/vmx/vmcs_fields.def"
};
#undef VMCS_FIELD

/* The declared widths: VMCS_WIDTH_<name>. */
#define VMCS_FIELD(name, enc, width) VMCS_WIDTH_##name = VMCS_##width,
enum vmcs_field_width {
#include "arch/x86/vmx/vmcs_fields.def"
};
#undef VMCS_FIELD

/* Each line of the table must agree with itself: a 0x68xx encoding is
 * natural width, whatever the line claims. Also no reserved bits, and
 * never the "high" access type (Volt is 64-bit: it reads whole fields). */
#define VMCS_FIELD_CHECK(name, enc, width)                                   \
	_Static_assert(VMCS_ENCODING_WIDTH(enc) == VMCS_##width,             \
		       "vmcs_fields.def: " #name ": declared width disagrees " \
		       "with encoding bits 14:13");                          \
	_Static_assert(((enc) & (VMCS_ENC_RESERVED_MASK |                    \
				 VMCS_ENC_ACCESS_HIGH)) == 0,                 \
		       "vmcs_fields.def: " #name ": reserved or high-access " \
		       "bits set in the encoding");
#define VMCS_FIELD(name, enc, width) VMCS_FIELD_CHECK(name, enc, width)
#include "arch/x86/vmx/vmcs_fields.def"
#undef VMCS_FIELD

/*
 * The width check, as a declaration that fails to compile. The field
 * name is pasted, so an unknown name fails too ("VMCS_WIDTH_X
 * undeclared").
 */
#define VMCS_ASSERT_WIDTH(f, w, accessor, what)                               \
	_Static_assert((int)VMCS_WIDTH_##f == (int)(w),                       \
		       accessor ": " #f " is not a " what " VMCS field")

#define vmcs_read16(f)                                                    \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W16, "vmcs_read16", "16-bit");  \
		(uint16_t)__vmcs_read(VMCS_##f);                          \
	})
#define vmcs_read32(f)                                                    \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W32, "vmcs_read32", "32-bit");  \
		(uint32_t)__vmcs_read(VMCS_##f);                          \
	})
#define vmcs_read64(f)                                                    \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W64, "vmcs_read64", "64-bit");  \
		(uint64_t)__vmcs_read(VMCS_##f);                          \
	})
#define vmcs_readnat(f)                                                   \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_WNAT, "vmcs_readnat",           \
				  "natural-width");                       \
		(uint64_t)__vmcs_read(VMCS_##f);                          \
	})

#define vmcs_write16(f, v)                                                \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W16, "vmcs_write16", "16-bit"); \
		__vmcs_write(VMCS_##f, (uint16_t)(v));                    \
	})
#define vmcs_write32(f, v)                                                \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W32, "vmcs_write32", "32-bit"); \
		__vmcs_write(VMCS_##f, (uint32_t)(v));                    \
	})
#define vmcs_write64(f, v)                                                \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_W64, "vmcs_write64", "64-bit"); \
		__vmcs_write(VMCS_##f, (uint64_t)(v));                    \
	})
#define vmcs_writenat(f, v)                                               \
	({                                                                \
		VMCS_ASSERT_WIDTH(f, VMCS_WNAT, "vmcs_writenat",          \
				  "natural-width");                       \
		__vmcs_write(VMCS_##f, (uint64_t)(v));                    \
	})

/* One row of the table, for dumps and traces (vmcs_names.c). */
struct vmcs_field_info {
	uint32_t encoding;
	enum vmcs_width width;
	const char *name; /* without the VMCS_ prefix: "GUEST_RIP" */
};

/* The whole table, in vmcs_fields.def order. */
extern const struct vmcs_field_info vmcs_field_table[];
extern const size_t vmcs_field_count;

/* The row for an encoding, or NULL if Volt does not know it. */
const struct vmcs_field_info *vmcs_field_find(uint32_t encoding);
/* Its name, or "?" for an encoding not in the table. */
const char *vmcs_field_name(uint32_t encoding);
/* "16-bit", "64-bit", "32-bit", "natural". */
const char *vmcs_width_name(enum vmcs_width width);

#endif
