/*
 * Exception names and error-code decoding (see trap_decode.h).
 * SDM vol. 3A table 6-1 lists the vectors; section 6.15 says, exception by
 * exception, whether an error code is pushed; 4.7 decodes the #PF one and
 * 6.13 the selector format used by #TS, #NP, #SS and #GP.
 */
#include "arch/x86/trap_decode.h"
#include "arch/x86/idt.h"
#include "lib/format.h"

struct vector_name {
	const char *mnemonic;
	const char *description;
	bool error_code;
};

static const struct vector_name exception_names[EXCEPTION_VECTORS] = {
	[VEC_DE] = { "#DE", "divide error", false },
	[VEC_DB] = { "#DB", "debug", false },
	[VEC_NMI] = { "NMI", "non-maskable interrupt", false },
	[VEC_BP] = { "#BP", "breakpoint", false },
	[VEC_OF] = { "#OF", "overflow", false },
	[VEC_BR] = { "#BR", "bound range exceeded", false },
	[VEC_UD] = { "#UD", "invalid opcode", false },
	[VEC_NM] = { "#NM", "device not available", false },
	[VEC_DF] = { "#DF", "double fault", true },
	[VEC_TS] = { "#TS", "invalid TSS", true },
	[VEC_NP] = { "#NP", "segment not present", true },
	[VEC_SS] = { "#SS", "stack-segment fault", true },
	[VEC_GP] = { "#GP", "general protection", true },
	[VEC_PF] = { "#PF", "page fault", true },
	[VEC_MF] = { "#MF", "x87 floating-point error", false },
	[VEC_AC] = { "#AC", "alignment check", true },
	[VEC_MC] = { "#MC", "machine check", false },
	[VEC_XM] = { "#XM", "SIMD floating-point exception", false },
	[VEC_VE] = { "#VE", "virtualization exception", false },
	[VEC_CP] = { "#CP", "control protection", true },
	[VEC_HV] = { "#HV", "hypervisor injection", false },
	[VEC_VC] = { "#VC", "VMM communication", true },
	[VEC_SX] = { "#SX", "security exception", true },
};

static const struct vector_name *vector_name(unsigned vector)
{
	if (vector >= EXCEPTION_VECTORS || !exception_names[vector].mnemonic)
		return NULL;
	return &exception_names[vector];
}

const char *trap_vector_mnemonic(unsigned vector)
{
	const struct vector_name *n = vector_name(vector);
	if (n)
		return n->mnemonic;
	return vector < EXCEPTION_VECTORS ? "#RSV" : "INT";
}

const char *trap_vector_description(unsigned vector)
{
	const struct vector_name *n = vector_name(vector);
	if (n)
		return n->description;
	return vector < EXCEPTION_VECTORS ? "reserved" : "interrupt";
}

bool trap_vector_has_error_code(unsigned vector)
{
	const struct vector_name *n = vector_name(vector);
	return n && n->error_code;
}

/* Appends to a terminated buffer; `len` tracks the untruncated length. */
struct text {
	char *buf;
	size_t size;
	size_t len;
};

static void text_add(struct text *t, const char *s)
{
	size_t room = t->len < t->size ? t->size - t->len : 0;
	int n = volt_snprintf(room ? t->buf + t->len : NULL, room, "%s%s",
			      t->len ? ", " : "", s);
	t->len += (size_t)n;
}

static void decode_page_fault(struct text *t, uint64_t e)
{
	text_add(t, (e & PF_ERR_PRESENT) ? "protection violation"
					 : "not-present");
	text_add(t, (e & PF_ERR_WRITE) ? "write" : "read");
	text_add(t, (e & PF_ERR_USER) ? "user" : "supervisor");
	text_add(t, (e & PF_ERR_FETCH) ? "instruction fetch" : "data");
	if (e & PF_ERR_RESERVED)
		text_add(t, "reserved bit set");
	if (e & PF_ERR_PKEY)
		text_add(t, "protection key");
	if (e & PF_ERR_SHADOW_STACK)
		text_add(t, "shadow stack");
	if (e & PF_ERR_SGX)
		text_add(t, "SGX");
}

static void decode_selector(struct text *t, uint64_t e)
{
	char s[48];
	unsigned index = (unsigned)(e >> SEL_ERR_INDEX_SHIFT) &
			 SEL_ERR_INDEX_MASK;
	if ((e & ~(uint64_t)SEL_ERR_EXTERNAL) == 0) {
		text_add(t, "no selector");
	} else if (e & SEL_ERR_IDT) {
		volt_snprintf(s, sizeof(s), "IDT vector %u", index);
		text_add(t, s);
	} else {
		/* The selector itself: index, TI, and RPL 0. */
		unsigned sel = (index << SEL_ERR_INDEX_SHIFT) |
			       (unsigned)(e & SEL_ERR_LDT);
		volt_snprintf(s, sizeof(s), "%s selector 0x%x (index %u)",
			      (e & SEL_ERR_LDT) ? "LDT" : "GDT", sel, index);
		text_add(t, s);
	}
	if (e & SEL_ERR_EXTERNAL)
		text_add(t, "during delivery of an external event");
}

size_t trap_decode_error_code(unsigned vector, uint64_t error_code, char *buf,
			      size_t size)
{
	struct text t = { buf, size, 0 };
	if (size)
		buf[0] = '\0';
	switch (vector) {
	case VEC_PF:
		decode_page_fault(&t, error_code);
		break;
	case VEC_TS:
	case VEC_NP:
	case VEC_SS:
	case VEC_GP:
		decode_selector(&t, error_code);
		break;
	default:
		break;
	}
	return t.len < size ? t.len : (size ? size - 1 : 0);
}
