/*
 * The small PC ports (see pc_ports.h): POST code, System Control Port A,
 * a keyboard controller without a keyboard, PCI configuration mechanism
 * #1 with no device, and the Reset Control Register.
 */
#include "vmm/dev/pc_ports.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define OPEN_BUS 0xff
#define PCI_CONF_PORTS 8 /* 0xcf8-0xcff */

/* ---- reset ------------------------------------------------------------- */

/* Returns the write handler's answer: 1, stop the VM. */
static int request_reset(struct pc_ports *pp, enum pc_reset_kind kind,
			 const char *why)
{
	pp->last_reset = kind;
	pp->resets++;
	if (pp->reset)
		pp->reset(pp->reset_ctx, why);
	return 1;
}

/* ---- i8042 ------------------------------------------------------------- */

static uint8_t kbc_status(const struct pc_ports *pp)
{
	return KBC_STATUS_SYS | KBC_STATUS_INH |
	       (pp->kbc_a2 ? KBC_STATUS_A2 : 0);
}

/* Commands 0xf0-0xff pulse output port bits 0-3 for which the command
 * has a 0; bit 0 is the CPU reset line. */
static int kbc_command(struct pc_ports *pp, uint8_t cmd)
{
	pp->kbc_a2 = true;
	pp->kbc_want_output = cmd == KBC_CMD_WRITE_OUTPUT;
	if (cmd >= 0xf0 && !(cmd & KBC_OUTPUT_RESET))
		return request_reset(pp, PC_RESET_SOFT,
				     "i8042 command pulsed the reset line");
	return 0;
}

static int kbc_data(struct pc_ports *pp, uint8_t v)
{
	pp->kbc_a2 = false;
	if (!pp->kbc_want_output)
		return 0; /* for a keyboard that is not there */
	pp->kbc_want_output = false;
	pp->kbc_output = v;
	if (v & KBC_OUTPUT_RESET)
		return 0;
	return request_reset(pp, PC_RESET_SOFT,
			     "i8042 output port cleared the reset line");
}

/* ---- port 0x92 and 0xcf9 ------------------------------------------------ */

/*
 * Port 0x92 bit 0 and 0xcf9 RST_CPU reset on a 0->1 transition. The reset
 * they start clears them again, so they always read 0 and every write
 * that sets them is such a transition.
 */
static int write_sysctl_a(struct pc_ports *pp, uint8_t v)
{
	pp->sysctl_a = v & ~SYSCTL_A_FAST_RESET;
	if (!(v & SYSCTL_A_FAST_RESET))
		return 0;
	return request_reset(pp, PC_RESET_SOFT, "port 0x92 fast reset");
}

static int write_rst_cnt(struct pc_ports *pp, uint8_t v)
{
	pp->rst_cnt = v & RST_CNT_MASK & ~RST_CNT_RST_CPU;
	if (!(v & RST_CNT_RST_CPU))
		return 0;
	if (!(v & RST_CNT_SYS_RST))
		return request_reset(pp, PC_RESET_SOFT, "0xcf9 soft reset");
	if (v & RST_CNT_FULL_RST)
		return request_reset(pp, PC_RESET_FULL,
				     "0xcf9 full reset (power cycle)");
	return request_reset(pp, PC_RESET_HARD, "0xcf9 hard reset");
}

/* ---- byte dispatch ------------------------------------------------------ */

static uint8_t read_byte(struct pc_ports *pp, unsigned port)
{
	switch (port) {
	case PC_PORT_KBC_DATA:
		return 0x00;
	case PC_PORT_KBC_CMD:
		return kbc_status(pp);
	case PC_PORT_POST:
		return pp->post_code;
	case PC_PORT_SYSCTL_A:
		return pp->sysctl_a;
	case PC_PORT_RST_CNT:
		return pp->rst_cnt;
	default:
		/* CONFIG_DATA bytes ("no device"), the non-dword bytes of
		 * CONFIG_ADDRESS, and ports that are not ours */
		return OPEN_BUS;
	}
}

static int write_byte(struct pc_ports *pp, unsigned port, uint8_t v)
{
	switch (port) {
	case PC_PORT_KBC_DATA:
		return kbc_data(pp, v);
	case PC_PORT_KBC_CMD:
		return kbc_command(pp, v);
	case PC_PORT_POST:
		pp->post_code = v;
		return 0;
	case PC_PORT_SYSCTL_A:
		return write_sysctl_a(pp, v);
	case PC_PORT_RST_CNT:
		return write_rst_cnt(pp, v);
	default:
		return 0; /* dropped */
	}
}

/* ---- port handlers ------------------------------------------------------ */

static uint32_t pc_io_read(void *dev, uint16_t port, uint8_t size)
{
	struct pc_ports *pp = dev;
	if (port == PC_PORT_PCI_ADDR && size == 4)
		return pp->pci_addr;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v |= (uint32_t)read_byte(pp, port + i) << (8 * i);
	return v;
}

static int pc_io_write(void *dev, uint16_t port, uint8_t size, uint32_t v)
{
	struct pc_ports *pp = dev;
	if (port == PC_PORT_PCI_ADDR && size == 4) {
		pp->pci_addr = v & PCI_ADDR_MASK;
		return 0;
	}
	int stop = 0;
	for (unsigned i = 0; i < size; i++)
		stop |= write_byte(pp, port + i, (uint8_t)(v >> (8 * i)));
	return stop;
}

/* ---- public ------------------------------------------------------------- */

void pc_ports_init(struct pc_ports *pp, pc_reset_fn reset, void *ctx)
{
	memset(pp, 0, sizeof(*pp));
	pp->sysctl_a = SYSCTL_A_A20;
	pp->kbc_output = 0xcf; /* the usual PC value: reset high, A20 on */
	pp->reset = reset;
	pp->reset_ctx = ctx;
}

int pc_ports_attach(struct pc_ports *pp, struct io_bus *bus)
{
	static const struct {
		uint16_t base, count;
		const char *name;
	} ranges[] = {
		{ PC_PORT_KBC_DATA, 1, "i8042-data" },
		{ PC_PORT_KBC_CMD, 1, "i8042-cmd" },
		{ PC_PORT_POST, 1, "post-code" },
		{ PC_PORT_SYSCTL_A, 1, "sysctl-a" },
		{ PC_PORT_PCI_ADDR, PCI_CONF_PORTS, "pci-conf1" },
	};
	for (unsigned i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++) {
		struct io_range r = { ranges[i].base, ranges[i].count,
				      ranges[i].name, pc_io_read, pc_io_write,
				      pp };
		int err = io_bus_register(bus, &r, NULL);
		if (err != IO_BUS_OK)
			return err;
	}
	return IO_BUS_OK;
}
