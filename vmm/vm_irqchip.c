/* A VM's interrupt controllers and their wiring (see vm_irqchip.h). */
#include "lib/string.h"
#include "vmm/dev/dev_clock.h"
#include "vmm/io_bus.h"
#include "vmm/mmio_bus.h"
#include "vmm/virt_ops.h"
#include "vmm/vm_irqchip.h"


static void isa_irq_set(void *ctx, unsigned irq, bool level)
{
	struct vm_irqchip *c = ctx;
	pic_set_irq(&c->pic, irq, level);
	ioapic_set_irq(&c->ioapic, ioapic_pin_for_isa_irq(irq), level);
}

struct irq_line vm_irqchip_isa_line(struct vm_irqchip *c, unsigned irq)
{
	return (struct irq_line){ isa_irq_set, c, irq };
}

static void kick(struct vm_irqchip *c, uint32_t index)
{
	if (c->kick)
		c->kick(c->kick_ctx, index);
}

/* A message on the APIC bus, from a local APIC (source) or the IOAPIC
 * (NULL): every local APIC it names takes it. Lowest priority goes to the
 * first one named (simpler than priority arbitration, and allowed: the
 * SDM leaves the choice to the platform). */
static void apic_bus_send(struct vm_irqchip *c, const struct vlapic_ipi *ipi,
			  const struct vlapic *source)
{
	for (uint32_t i = 0; i < c->lapic_count; i++) {
		if (!vlapic_match_dest(&c->lapic[i], ipi, source))
			continue;
		if (ipi->delivery_mode == VLAPIC_DM_EXTINT)
			c->extint = true;
		else
			vlapic_deliver(&c->lapic[i], ipi);
		kick(c, i);
		if (ipi->delivery_mode == VLAPIC_DM_LOWEST)
			return;
	}
}

/* The delivery modes of IOAPIC entries and ICRs share their encodings
 * (SDM vol. 3A 11.6.1). */
static void ioapic_deliver(void *ctx, const struct ioapic_msg *m)
{
	struct vlapic_ipi ipi = {
		.vector = m->vector, .delivery_mode = m->delivery_mode,
		.logical = m->logical, .level = m->level, .assert = true,
		.shorthand = VLAPIC_SH_NONE, .dest = m->dest,
	};
	apic_bus_send(ctx, &ipi, NULL);
}

static void lapic_send_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	struct vm_irqchip_lapic_ctx *lc = ctx;
	apic_bus_send(lc->chip, ipi, &lc->chip->lapic[lc->index]);
}

/* Something became pending at a local APIC (IRR, NMI, INIT, SIPI). */
static void lapic_notify(void *ctx)
{
	struct vm_irqchip_lapic_ctx *lc = ctx;
	lc->chip->lapic_quiet[lc->index] = false;
	kick(lc->chip, lc->index);
}

static void lapic_eoi_broadcast(void *ctx, uint8_t vector)
{
	struct vm_irqchip_lapic_ctx *lc = ctx;
	ioapic_eoi(&lc->chip->ioapic, vector);
}

/* vCPU i's local APIC: ID i, vCPU 0 the BSP, in virtual-wire mode as a
 * BIOS leaves the BSP's; virtualized by the processor when the backend
 * does that. */
static void init_lapic(struct vm_irqchip *c, uint32_t i,
		       const struct vm_irqchip_config *cfg,
		       const struct dev_clock *clk, bool apicv)
{
	struct vlapic_config lc = {
		.page = &c->lapic_page[i],
		.apic_id = i, .bsp = i == 0, .timer_hz = cfg->timer_hz,
		.phys_bits = cfg->phys_bits, .x2apic = cfg->x2apic,
	};
	c->lapic_ctx[i] = (struct vm_irqchip_lapic_ctx){ c, i };
	struct vlapic_hooks hooks = {
		.send_ipi = lapic_send_ipi, .eoi_broadcast = lapic_eoi_broadcast,
		.notify = lapic_notify, .ctx = &c->lapic_ctx[i],
	};
	vlapic_init(&c->lapic[i], &lc, clk, &hooks);
	if (i == 0)
		vlapic_virtual_wire(&c->lapic[i]);
	vlapic_set_apicv(&c->lapic[i], apicv);
}

int vm_irqchip_create(struct vm_irqchip *c, const struct vm_irqchip_config *cfg,
		      const struct dev_clock *clk, struct io_bus *io,
		      struct mmio_bus *mmio)
{
	struct mmio_region ioapic_region = {
		IOAPIC_DEFAULT_BASE, IOAPIC_MMIO_LEN, "ioapic",
		ioapic_mmio_read, ioapic_mmio_write, &c->ioapic,
	};

	if (cfg->vcpus == 0 || cfg->vcpus > VM_IRQCHIP_MAX_LAPICS)
		return -1;
	memset(c, 0, sizeof(*c));
	pic_init(&c->pic);
	ioapic_init(&c->ioapic, cfg->ioapic_id, ioapic_deliver, c);
	c->lapic_count = cfg->vcpus;
	bool apicv = virt_apic_virtualization();
	for (uint32_t i = 0; i < c->lapic_count; i++)
		init_lapic(c, i, cfg, clk, apicv);
	if (pic_attach(&c->pic, io) ||
	    mmio_bus_register(mmio, &ioapic_region, NULL))
		return -1;
	return 0;
}


/* Does the 8259A's INTR reach the BSP: through LINT0 in ExtINT mode (or
 * a disabled APIC), or an IOAPIC ExtINT message asked for it? */
static bool pic_reaches_cpu(const struct vm_irqchip *c, uint32_t index)
{
	return index == 0 &&
	       (c->extint || vlapic_lint0_extint(&c->lapic[0]));
}

static bool pic_pending(struct vm_irqchip *c, uint32_t index)
{
	return pic_has_interrupt(&c->pic) && pic_reaches_cpu(c, index);
}

bool vm_irqchip_lapic_deliverable(struct vm_irqchip *c, uint32_t index)
{
	return vlapic_pending(&c->lapic[index]) >= 0;
}

bool vm_irqchip_pending(struct vm_irqchip *c, uint32_t index)
{
	struct vlapic *l = &c->lapic[index];
	bool lapic = false;
	if (!c->lapic_quiet[index]) {
		lapic = vlapic_pending(l) >= 0;
		/* Under APIC virtualization a requested vector can become
		 * deliverable without an exit (the guest lowers its TPR or
		 * EOIs): look again until the processor has taken it. */
		c->lapic_quiet[index] = l->apicv ? !vlapic_rvi(l) &&
						   !vlapic_posted(l)
						 : !lapic;
	}
	return lapic || pic_pending(c, index);
}

bool vm_irqchip_injectable(struct vm_irqchip *c, uint32_t index)
{
	if (c->lapic[index].apicv)
		return pic_pending(c, index);
	return vm_irqchip_pending(c, index);
}

uint8_t vm_irqchip_acknowledge(struct vm_irqchip *c, uint32_t index)
{
	struct vlapic *l = &c->lapic[index];
	if (!l->apicv && vlapic_pending(l) >= 0)
		return (uint8_t)vlapic_ack(l);
	c->extint = false;
	return (uint8_t)pic_acknowledge(&c->pic);
}

bool vm_irqchip_apicv_state(struct vm_irqchip *c, uint32_t index,
			    struct virt_apic_state *s)
{
	struct vlapic *l = &c->lapic[index];
	if (!vlapic_apicv_sync(l))
		return false;
	s->page = l->page;
	s->mode = vlapic_x2apic_mode(l) ? VIRT_APIC_X2APIC
		  : vlapic_hw_enabled(l) ? VIRT_APIC_XAPIC
					 : VIRT_APIC_DISABLED;
	s->rvi = vlapic_rvi(l);
	s->svi = vlapic_svi(l);
	vlapic_eoi_exit_bitmap(l, s->eoi_exit);
	return true;
}
