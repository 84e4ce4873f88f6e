/*
 * The small ports a PC guest touches besides its real devices:
 *
 *   0x80         POST code (checkpoint) port: writes are stored and read
 *                back; nothing else. Linux writes it for I/O delays.
 *   0x92         System Control Port A (PS/2, chipsets since the PIIX):
 *                bit 0 "alternate hot reset" (a 0->1 write resets the
 *                CPU), bit 1 A20 gate. The other bits are stored; the
 *                A20 bit has no effect because Volt never wraps addresses
 *                at 1 MiB (A20 is always on), and it reads back 1 until
 *                the guest clears it.
 *   0x60, 0x64   The i8042 keyboard controller, with no keyboard or
 *                mouse behind it: the status register (0x64) reads
 *                SYS | INH, plus A2 after a write to 0x64, never OBF or
 *                IBF, so a guest waiting for "input buffer empty" (Linux's
 *                reboot code, kb_wait) goes on at once and one waiting for
 *                output (Linux's i8042 self-test) times out and finds no
 *                controller. Data reads give 0x00 (the output buffer
 *                never held anything). Commands 0xf0-0xff with bit 0
 *                clear pulse the reset line (0xfe is the usual one) and
 *                request a reset; so does command 0xd1 ("write output
 *                port") followed by a data byte with bit 0 (the reset
 *                line, active low) clear. Other commands and data bytes
 *                are accepted and ignored.
 *   0xcf8-0xcfb  PCI configuration mechanism #1 CONFIG_ADDRESS (PCI Local
 *                Bus spec 3.0, 3.2.2.3.2): a dword write latches it (the
 *                reserved bits 30:24 and 1:0 read 0); other accesses
 *                are not CONFIG_ADDRESS cycles.
 *   0xcfc-0xcff  CONFIG_DATA: reads all ones ("no device": the vendor ID
 *                0xffff), writes dropped, so a probing guest finds no
 *                PCI device.
 *   0xcf9        Reset Control Register (Intel ICH/PCH datasheets,
 *                "RST_CNT"): byte access; bit 1 SYS_RST (1: hard reset,
 *                0: soft, CPU only), bit 2 RST_CPU (a 0->1 write starts
 *                the reset SYS_RST selects), bit 3 FULL_RST (with a hard
 *                reset: a power cycle). Readable.
 *
 * A reset request calls `reset(ctx, why)` and the write handler returns
 * nonzero, which io_bus passes up as "stop the VM". The trigger bits
 * (port 0x92 bit 0, RST_CPU) read 0 afterwards, as after the reset they
 * start, so every write that sets one is a new request, even if the VMM
 * keeps this device across the reset.
 * Wider accesses are split into byte accesses at consecutive ports (the
 * dword CONFIG_ADDRESS access excepted); bytes at ports not listed here
 * read as open bus (0xff).
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_PC_PORTS_H
#define VOLT_VMM_DEV_PC_PORTS_H

#include <stdbool.h>
#include <stdint.h>

struct io_bus;

#define PC_PORT_KBC_DATA 0x60
#define PC_PORT_KBC_CMD 0x64 /* write: command; read: status */
#define PC_PORT_POST 0x80
#define PC_PORT_SYSCTL_A 0x92
#define PC_PORT_PCI_ADDR 0xcf8
#define PC_PORT_RST_CNT 0xcf9
#define PC_PORT_PCI_DATA 0xcfc

/* i8042 status register */
#define KBC_STATUS_OBF 0x01 /* output buffer full: data for the CPU */
#define KBC_STATUS_IBF 0x02 /* input buffer full: controller busy */
#define KBC_STATUS_SYS 0x04 /* system flag: self-test passed */
#define KBC_STATUS_A2 0x08  /* last write was a command (port 0x64) */
#define KBC_STATUS_INH 0x10 /* 1: keyboard not inhibited */
#define KBC_CMD_WRITE_OUTPUT 0xd1
#define KBC_CMD_PULSE_RESET 0xfe
#define KBC_OUTPUT_RESET 0x01 /* output port bit 0: reset line, active low */

#define SYSCTL_A_FAST_RESET 0x01
#define SYSCTL_A_A20 0x02

#define RST_CNT_SYS_RST 0x02
#define RST_CNT_RST_CPU 0x04
#define RST_CNT_FULL_RST 0x08
#define RST_CNT_MASK 0x0e

#define PCI_ADDR_MASK 0x80fffffcu /* enable, bus, device, function, reg */

enum pc_reset_kind {
	PC_RESET_NONE = 0,
	PC_RESET_SOFT, /* CPU only (INIT): 0x92, i8042, 0xcf9 with SYS_RST=0 */
	PC_RESET_HARD, /* platform reset: 0xcf9 with SYS_RST=1 */
	PC_RESET_FULL, /* hard reset with a power cycle: 0xcf9 FULL_RST */
};

typedef void (*pc_reset_fn)(void *ctx, const char *why);

struct pc_ports {
	uint8_t post_code;
	uint8_t sysctl_a;   /* port 0x92 */
	uint8_t rst_cnt;    /* port 0xcf9, bits 1-3 */
	uint32_t pci_addr;  /* CONFIG_ADDRESS */
	bool kbc_a2;	    /* status bit 3 */
	bool kbc_want_output; /* 0xd1 seen: the next data byte is the
			       * output port */
	uint8_t kbc_output; /* i8042 output port as last written */
	pc_reset_fn reset;
	void *reset_ctx;
	enum pc_reset_kind last_reset; /* kind of the last request */
	uint64_t resets;	       /* requests made */
};

/* Power-on state: POST code 0, port 0x92 = 0x02 (A20 on), RST_CNT 0,
 * CONFIG_ADDRESS 0, i8042 output port 0xcf (reset line high, A20 on).
 * `reset` may be NULL (the request is still recorded and stops the VM). */
void pc_ports_init(struct pc_ports *pp, pc_reset_fn reset, void *ctx);

/* Claim 0x60, 0x64, 0x80, 0x92 and 0xcf8-0xcff: IO_BUS_OK or the bus's
 * error (a failure can leave the earlier ranges claimed). */
int pc_ports_attach(struct pc_ports *pp, struct io_bus *bus);

#endif
