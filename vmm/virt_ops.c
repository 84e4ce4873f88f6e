/* Installing a virtualization backend, checked for completeness. */
#include <stddef.h>
#include "vmm/virt_ops.h"

const struct virt_ops *virt_backend;

const char *virt_ops_install(const struct virt_ops *ops)
{
	const char *missing;
	if (!virt_ops_complete(ops, &missing))
		return missing;
	virt_backend = ops;
	return NULL;
}
