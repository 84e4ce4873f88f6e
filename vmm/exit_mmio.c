/*
 * Guest accesses to guest-physical memory that is not RAM (EPT
 * violations, in VT-x terms). Two cases:
 *  - the address belongs to a device on the VM's MMIO bus: fetch the
 *    instruction at RIP through the guest's page tables, decode it, and
 *    perform it against the device (docs/mmio.md walks through this);
 *  - nothing is there: the guest touched memory it does not have. A real
 *    PC would read all ones, but on a VM this is almost always a wild
 *    pointer or a hostile scan, so the VM is stopped with a report.
 * Instructions Volt cannot decode stop the VM with their bytes printed.
 */
#include "lib/format.h"
#include "lib/string.h"
#include "vmm/exit_handlers.h"
#include "vmm/guest_walk.h"
#include "vmm/insn/mmio_emulate.h"
#include "vmm/insn/x86_decode.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"

#define MAX_INSN_BYTES 15

struct mmio_ctx {
	struct vcpu *v;
	struct guest_walk_ctx walk;
	int stop; /* a device asked to stop the VM */
};

static const void *gpa_ptr(void *opaque, uint64_t gpa, size_t len)
{
	return vm_gpa_to_host(opaque, gpa, len);
}

static struct vlapic *own_lapic(struct vcpu *v)
{
	return &v->vm->dev.irq.lapic[v->id];
}

/* The device at gpa: this vCPU's local APIC, or the VM's MMIO bus. */
static int dev_read(void *ctx, uint64_t gpa, unsigned size, uint64_t *val)
{
	struct mmio_ctx *c = ctx;
	if (vm_irqchip_lapic_page(gpa)) {
		vlapic_mmio_read(own_lapic(c->v), gpa - VM_LAPIC_BASE, size, val);
		return 0;
	}
	return mmio_bus_read(&c->v->vm->mmio, gpa, size, val) ? 0 : -1;
}

static int dev_write(void *ctx, uint64_t gpa, unsigned size, uint64_t val)
{
	struct mmio_ctx *c = ctx;
	if (vm_irqchip_lapic_page(gpa)) {
		c->stop = vlapic_mmio_write(own_lapic(c->v), gpa - VM_LAPIC_BASE,
					    size, val);
		return 0;
	}
	return mmio_bus_write(&c->v->vm->mmio, gpa, size, val, &c->stop) ? 0
									 : -1;
}

/* MOVS's other operand: RAM or another device, by linear address. */
static int linear_access(struct mmio_ctx *c, uint64_t la, unsigned size,
			 uint64_t *val, bool write)
{
	uint64_t gpa;
	uint32_t pfec;
	if (guest_walk(&c->walk, la, write ? GUEST_ACCESS_WRITE : 0, &gpa,
		       &pfec) != GUEST_WALK_OK)
		return -1;
	void *p = vm_gpa_to_host(c->v->vm, gpa, size);
	if (p) {
		if (write)
			memcpy(p, val, size);
		else {
			*val = 0;
			memcpy(val, p, size);
		}
		return 0;
	}
	return write ? dev_write(c, gpa, size, *val) : dev_read(c, gpa, size, val);
}

static int read_linear(void *ctx, uint64_t la, unsigned size, uint64_t *val)
{
	return linear_access(ctx, la, size, val, false);
}

static int write_linear(void *ctx, uint64_t la, unsigned size, uint64_t val)
{
	return linear_access(ctx, la, size, &val, true);
}

static const struct mmio_emul_ops emul_ops = {
	dev_read, dev_write, read_linear, write_linear,
};

static void load_regs(struct vcpu *v, const struct vcpu_cpu_state *s,
		      struct x86_regs *r)
{
	for (unsigned i = 0; i < X86_GPR_COUNT; i++)
		r->gpr[i] = i == VCPU_GPR_RSP ? s->rsp : vcpu_gpr_get(v, i);
	r->rflags = s->rflags;
	for (unsigned i = 0; i < X86_SEG_COUNT; i++)
		r->seg_base[i] = s->seg_base[i];
}

static void store_regs(struct vcpu *v, const struct vcpu_cpu_state *s,
		       const struct x86_regs *r)
{
	for (unsigned i = 0; i < X86_GPR_COUNT; i++)
		if (i != VCPU_GPR_RSP)
			vcpu_gpr_set(v, i, r->gpr[i]);
	if (r->gpr[VCPU_GPR_RSP] != s->rsp)
		virt_vcpu_set_rsp(v, r->gpr[VCPU_GPR_RSP]);
	if (r->rflags != s->rflags)
		virt_vcpu_set_rflags(v, r->rflags);
}

static enum vm_exit_action unsupported(struct vcpu *v, const struct vm_exit *e,
				       const uint8_t *bytes, size_t n,
				       const char *why)
{
	char hex[3 * MAX_INSN_BYTES + 1] = "";
	for (size_t i = 0; i < n; i++)
		volt_snprintf(hex + 3 * i, 4, "%02x ", bytes[i]);
	vm_printk(v->vm, "MMIO %s at guest-physical %#lx, RIP %#lx: %s "
		  "[%s]; stopping\n", e->u.memory.write ? "write" : "read",
		  (unsigned long)e->u.memory.gpa, (unsigned long)e->rip, why,
		  hex);
	return VM_KILL;
}

enum vm_exit_action exit_memory_fault(struct vcpu *v, struct vm_exit *e)
{
	if ((!vm_irqchip_lapic_page(e->u.memory.gpa) &&
	     !mmio_bus_find(&v->vm->mmio, e->u.memory.gpa, 1)) ||
	    e->u.memory.fetch)
		return exit_fatal(v, e);

	struct vcpu_cpu_state s;
	virt_vcpu_get_cpu_state(v, &s);
	struct mmio_ctx c = {
		.v = v,
		.walk = { .cr0 = s.cr0, .cr3 = s.cr3, .cr4 = s.cr4,
			  .efer = s.efer, .rflags = s.rflags,
			  .maxphyaddr = vcpu_cpuid_policy(v)->phys_addr_bits,
			  .gpa_ptr = gpa_ptr,
			  .opaque = v->vm },
	};
	uint8_t bytes[MAX_INSN_BYTES];
	size_t got = 0;
	uint32_t pfec;
	unsigned fetch = GUEST_ACCESS_FETCH | (s.cpl == 3 ? GUEST_ACCESS_USER : 0);
	guest_read_virt(&c.walk, s.seg_base[VCPU_SEG_CS] + s.rip, fetch, bytes,
			sizeof(bytes), &got, &pfec);

	struct x86_insn insn;
	enum x86_cpu_mode mode = x86_cpu_mode_of(s.efer & VCPU_EFER_LMA, s.cs_l,
						 s.cs_db);
	int err = x86_decode(bytes, got, mode, &insn);
	if (err)
		return unsupported(v, e, bytes, got,
				   err == X86_DECODE_TRUNCATED
					   ? "cannot fetch the whole instruction"
					   : "instruction not emulated");

	struct x86_regs regs;
	struct mmio_fault fault = { e->u.memory.gpa, e->u.memory.write };
	bool complete;
	load_regs(v, &s, &regs);
	if (mmio_emulate(&insn, &regs, &fault, &emul_ops, &c, &complete))
		return unsupported(v, e, bytes, insn.len,
				   "operand not emulated or not reachable");
	store_regs(v, &s, &regs);
	if (c.stop)
		return VM_EXITED;
	if (!complete)
		return VM_RESUME; /* REP: the CPU goes on with the next one */
	e->insn_len = insn.len; /* EPT exits do not report it (SDM 28.2.5) */
	return VM_RESUME_SKIP_INSN;
}
