/* A VM's interrupt controllers and their wiring (see vm_irqchip.h). */
#include "lib/string.h"
#include "vmm/dev/dev_clock.h"
#include "vmm/io_bus.h"
#include "vmm/mmio_bus.h"
#include "vmm/vm_irqchip.h"

#define LAPIC_DEFAULT_BASE 0xfee00000ull
#define LAPIC_MMIO_LEN 0x1000ull

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

/* An IOAPIC message on the APIC bus: to every local APIC it names. The
 * delivery modes share their encodings (SDM vol. 3A 11.6.1). */
static void ioapic_deliver(void *ctx, const struct ioapic_msg *m)
{
	struct vm_irqchip *c = ctx;
	struct vlapic_ipi ipi = {
		.vector = m->vector, .delivery_mode = m->delivery_mode,
		.logical = m->logical, .level = m->level, .assert = true,
		.shorthand = VLAPIC_SH_NONE, .dest = m->dest,
	};
	if (!vlapic_match_dest(&c->lapic, &ipi, NULL))
		return;
	if (m->delivery_mode == IOAPIC_DM_EXTINT)
		c->extint = true;
	else
		vlapic_deliver(&c->lapic, &ipi);
}

/* An IPI from the (only) local APIC: it can only reach itself. */
static void lapic_send_ipi(void *ctx, const struct vlapic_ipi *ipi)
{
	struct vm_irqchip *c = ctx;
	if (vlapic_match_dest(&c->lapic, ipi, &c->lapic))
		vlapic_deliver(&c->lapic, ipi);
}

static void lapic_eoi_broadcast(void *ctx, uint8_t vector)
{
	struct vm_irqchip *c = ctx;
	ioapic_eoi(&c->ioapic, vector);
}

int vm_irqchip_create(struct vm_irqchip *c, const struct vm_irqchip_config *cfg,
		      const struct dev_clock *clk, struct io_bus *io,
		      struct mmio_bus *mmio)
{
	struct vlapic_config lc = {
		.apic_id = 0, .bsp = true, .timer_hz = cfg->timer_hz,
		.phys_bits = cfg->phys_bits, .x2apic = cfg->x2apic,
	};
	struct vlapic_hooks hooks = {
		.send_ipi = lapic_send_ipi, .eoi_broadcast = lapic_eoi_broadcast,
		.ctx = c,
	};
	struct mmio_region ioapic_region = {
		IOAPIC_DEFAULT_BASE, IOAPIC_MMIO_LEN, "ioapic",
		ioapic_mmio_read, ioapic_mmio_write, &c->ioapic,
	};
	struct mmio_region lapic_region = {
		LAPIC_DEFAULT_BASE, LAPIC_MMIO_LEN, "local-apic",
		vlapic_mmio_read, vlapic_mmio_write, &c->lapic,
	};

	memset(c, 0, sizeof(*c));
	pic_init(&c->pic);
	ioapic_init(&c->ioapic, cfg->ioapic_id, ioapic_deliver, c);
	vlapic_init(&c->lapic, &lc, clk, &hooks);
	vlapic_virtual_wire(&c->lapic); /* as a BIOS leaves it */
	if (pic_attach(&c->pic, io) ||
	    mmio_bus_register(mmio, &ioapic_region, NULL) ||
	    mmio_bus_register(mmio, &lapic_region, NULL))
		return -1;
	return 0;
}

/* Does the 8259A's INTR reach the CPU: through LINT0 in ExtINT mode (or
 * a disabled APIC), or an IOAPIC ExtINT message asked for it? */
static bool pic_reaches_cpu(const struct vm_irqchip *c)
{
	return c->extint || vlapic_lint0_extint(&c->lapic);
}

bool vm_irqchip_pending(struct vm_irqchip *c)
{
	return vlapic_pending(&c->lapic) >= 0 ||
	       (pic_has_interrupt(&c->pic) && pic_reaches_cpu(c));
}

uint8_t vm_irqchip_acknowledge(struct vm_irqchip *c)
{
	if (vlapic_pending(&c->lapic) >= 0)
		return (uint8_t)vlapic_ack(&c->lapic);
	c->extint = false;
	return (uint8_t)pic_acknowledge(&c->pic);
}
