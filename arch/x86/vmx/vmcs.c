/* The VMCS dump used on unexpected exits: every field of the table. */
#include "arch/x86/vmx/vmcs.h"
#include "lib/console.h"

void vmcs_dump(void)
{
	for (size_t i = 0; i < vmcs_field_count; i++)
		printk("  %-34s %#lx\n", vmcs_field_table[i].name,
		       (unsigned long)__vmcs_read(vmcs_field_table[i].encoding));
}
