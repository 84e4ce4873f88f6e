/* Installing a virtualization backend, checked for completeness. */
#include <stddef.h>
#include "vmm/virt_ops.h"

const struct virt_ops *virt_backend;

const char *virt_ops_install(const struct virt_ops *ops)
{
#define VIRT_OP(name, ret, params) \
	if (!ops->name)            \
		return #name;
#include "vmm/virt_ops.def"
#undef VIRT_OP
	virt_backend = ops;
	return NULL;
}
