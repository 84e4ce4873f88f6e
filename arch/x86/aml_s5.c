/*
 * Finds the \_S5 (soft-off) sleep types in DSDT AML without an interpreter.
 *
 * ACPI 6.5 section 7.4.2 defines \_Sx as a package whose first two
 * integers are the SLP_TYPa and SLP_TYPb values to write into PM1a/PM1b
 * control (with SLP_EN) to enter that state; 7.4.2.5 is \_S5. Nearly every
 * firmware declares it as a constant at the root:
 *
 *     08 [5C] 5F 53 35 5F  12 <PkgLength> <NumElements> <elements...>
 *     NameOp [\] "_S5_"    PackageOp
 *
 * so a byte search plus a decoder for the encodings of section 20.2
 * (PkgLength 20.2.4, integer constants 20.2.3) is enough. A \_S5 computed
 * by a method is not supported: that needs a real AML interpreter.
 *
 * Pure C. Every read is bounded by the AML length, and by the package's
 * own length once we are inside it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "arch/x86/acpi.h"
#include "lib/format.h"
#include "lib/string.h"

/* 20.2 AML opcodes and prefixes this decoder understands. */
#define AML_ZERO_OP 0x00
#define AML_ONE_OP 0x01
#define AML_NAME_OP 0x08
#define AML_BYTE_PREFIX 0x0a
#define AML_WORD_PREFIX 0x0b
#define AML_DWORD_PREFIX 0x0c
#define AML_QWORD_PREFIX 0x0e
#define AML_PACKAGE_OP 0x12
#define AML_ROOT_CHAR 0x5c /* '\' */
#define AML_ONES_OP 0xff

/* 20.2.4 PkgLength: bits 7:6 of the lead byte count the bytes that follow. */
#define AML_PKGLEN_FOLLOW_SHIFT 6
#define AML_PKGLEN_SHORT_MASK 0x3f   /* one-byte form: the length itself */
#define AML_PKGLEN_LOW_NIBBLE 0x0f   /* multi-byte form: bits 3:0 of length */
#define AML_PKGLEN_RESERVED 0x30     /* multi-byte form: must be zero */

#define AML_S5_NAME "_S5_"
#define AML_NAME_LEN 4
#define AML_SLEEP_TYPE_MAX 7         /* SLP_TYP is 3 bits of PM1 control */
#define AML_ONES_VALUE 0xffffffffffffffffull

/* A bounded reader over [pos, end). */
struct aml_cursor {
	const uint8_t *aml;
	size_t pos, end;
};

static __attribute__((format(printf, 3, 4))) int
aml_fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (err && errlen) {
		va_start(ap, fmt);
		volt_vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return ACPI_ERR_MALFORMED;
}

static bool aml_byte(struct aml_cursor *c, uint8_t *v)
{
	if (c->pos >= c->end)
		return false;
	*v = c->aml[c->pos++];
	return true;
}

/* Little-endian integer of n bytes (n <= 8). */
static bool aml_le(struct aml_cursor *c, unsigned n, uint64_t *v)
{
	if (c->end - c->pos < n)
		return false;
	*v = 0;
	for (unsigned i = 0; i < n; i++)
		*v |= (uint64_t)c->aml[c->pos + i] << (8 * i);
	c->pos += n;
	return true;
}

/*
 * 20.2.4: PkgLength counts itself and everything after it in the package.
 * Returns false when the encoding is bad or runs past the cursor's end.
 */
static bool aml_pkglen(struct aml_cursor *c, size_t *len)
{
	uint8_t lead, b;
	if (!aml_byte(c, &lead))
		return false;
	unsigned follow = lead >> AML_PKGLEN_FOLLOW_SHIFT;
	if (follow == 0) {
		*len = lead & AML_PKGLEN_SHORT_MASK;
		return true;
	}
	if (lead & AML_PKGLEN_RESERVED)
		return false;
	size_t v = lead & AML_PKGLEN_LOW_NIBBLE;
	for (unsigned i = 0; i < follow; i++) {
		if (!aml_byte(c, &b))
			return false;
		v |= (size_t)b << (4 + 8 * i);
	}
	*len = v;
	return true;
}

/* 20.2.3 ComputationalData: the integer constants a package may hold. */
static bool aml_integer(struct aml_cursor *c, uint64_t *v)
{
	uint8_t op;
	if (!aml_byte(c, &op))
		return false;
	switch (op) {
	case AML_ZERO_OP:
		*v = 0;
		return true;
	case AML_ONE_OP:
		*v = 1;
		return true;
	case AML_ONES_OP:
		*v = AML_ONES_VALUE;
		return true;
	case AML_BYTE_PREFIX:
		return aml_le(c, 1, v);
	case AML_WORD_PREFIX:
		return aml_le(c, 2, v);
	case AML_DWORD_PREFIX:
		return aml_le(c, 4, v);
	case AML_QWORD_PREFIX:
		return aml_le(c, 8, v);
	default:
		c->pos--; /* leave it for the error message */
		return false;
	}
}

/* Is the "_S5_" at `at` the name of a NameOp (optionally rooted)? */
static bool aml_is_name_decl(const uint8_t *aml, size_t at)
{
	if (at >= 1 && aml[at - 1] == AML_NAME_OP)
		return true;
	return at >= 2 && aml[at - 1] == AML_ROOT_CHAR &&
	       aml[at - 2] == AML_NAME_OP;
}

/* Decodes the package that follows "_S5_" at c->pos. */
static int aml_decode_s5(struct aml_cursor *c, uint8_t *a, uint8_t *b,
			 char *err, size_t errlen)
{
	uint8_t op, count;
	size_t pkg_start, pkglen;
	uint64_t v[2] = { 0, 0 };

	if (!aml_byte(c, &op) || op != AML_PACKAGE_OP)
		return aml_fail(err, errlen, "\\_S5 is not a package");
	pkg_start = c->pos;
	if (!aml_pkglen(c, &pkglen))
		return aml_fail(err, errlen, "\\_S5: bad package length encoding");
	if (pkglen > c->end - pkg_start || pkglen < c->pos - pkg_start + 1)
		return aml_fail(err, errlen,
				"\\_S5: package length %zu does not fit the table",
				pkglen);
	c->end = pkg_start + pkglen; /* from here, reads stay inside it */
	if (!aml_byte(c, &count) || count == 0)
		return aml_fail(err, errlen, "\\_S5: empty package");
	unsigned want = count >= 2 ? 2 : 1;
	for (unsigned i = 0; i < want; i++)
		if (!aml_integer(c, &v[i]))
			return aml_fail(err, errlen,
					"\\_S5: element %u is not an integer constant",
					i);
	/* One element: SLP_TYPa in bits 7:0, SLP_TYPb in 15:8 (as ACPICA). */
	if (count == 1) {
		v[1] = (v[0] >> 8) & 0xff;
		v[0] &= 0xff;
	}
	if (v[0] > AML_SLEEP_TYPE_MAX || v[1] > AML_SLEEP_TYPE_MAX)
		return aml_fail(err, errlen,
				"\\_S5: sleep types 0x%llx/0x%llx exceed 3 bits",
				(unsigned long long)v[0], (unsigned long long)v[1]);
	*a = (uint8_t)v[0];
	*b = (uint8_t)v[1];
	return ACPI_OK;
}

int aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		uint8_t *slp_typb, char *err, size_t errlen)
{
	int first_error = ACPI_OK;
	char msg[96];
	if (err && errlen)
		err[0] = 0;
	/* A malformed declaration may be followed by a good one (firmware
	 * sometimes declares \_S5 in both arms of an If): keep looking, but
	 * report the first problem if nothing good turns up. */
	for (size_t i = 0; len >= AML_NAME_LEN && i <= len - AML_NAME_LEN; i++) {
		if (memcmp(aml + i, AML_S5_NAME, AML_NAME_LEN) != 0 ||
		    !aml_is_name_decl(aml, i))
			continue;
		struct aml_cursor c = { aml, i + AML_NAME_LEN, len };
		int rc = aml_decode_s5(&c, slp_typa, slp_typb, msg, sizeof(msg));
		if (rc == ACPI_OK)
			return ACPI_OK;
		if (first_error == ACPI_OK) {
			first_error = rc;
			if (err && errlen)
				strlcpy(err, msg, errlen);
		}
	}
	if (first_error != ACPI_OK)
		return first_error;
	if (err && errlen)
		strlcpy(err, "no \\_S5 package in the DSDT", errlen);
	return ACPI_ERR_NOT_FOUND;
}
