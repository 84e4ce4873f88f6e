/* VMCS field names, width checks and the dump used on unexpected exits. */
#include "arch/x86/vmx/vmcs.h"
#include "lib/console.h"

/* Each declared width must agree with the width the encoding carries. */
#define VMCS_FIELD(name, enc, width)                                        \
	_Static_assert(VMCS_ENCODING_WIDTH(enc) == VMCS_##width,            \
		       "VMCS field " #name ": declared width disagrees with "  \
		       "encoding bits 14:13");
#include "arch/x86/vmx/vmcs_fields.def"
#undef VMCS_FIELD

static const struct {
	uint32_t encoding;
	const char *name;
} fields[] = {
#define VMCS_FIELD(name, enc, width) { enc, #name },
#include "arch/x86/vmx/vmcs_fields.def"
#undef VMCS_FIELD
};

const char *vmcs_field_name(uint32_t encoding)
{
	for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].encoding == encoding)
			return fields[i].name;
	return "?";
}

void vmcs_dump(void)
{
	for (unsigned i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		printk("  %-30s %#lx\n", fields[i].name,
		       (unsigned long)__vmcs_read(fields[i].encoding));
}
