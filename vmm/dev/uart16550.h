/*
 * A 16550A UART (the PC's COM1: ports 0x3f8-0x3ff, IRQ 4). Follows the
 * National/TI PC16550D datasheet: "Registers" (RBR/THR, IER, IIR, FCR,
 * LCR, MCR, LSR, MSR, SCR, DLL/DLM), the interrupt control table
 * (priorities and reset conditions), "FIFO Interrupt Mode Operation" and
 * the loopback ("diagnostic") mode of MCR bit 4. Checked against what
 * Linux's 8250 driver does at probe (autoconfig, size_fifo, the THRE
 * tests in serial8250_do_startup) and at run time.
 * docs/devices-uart-rtc.md explains the model.
 *
 * Model, and where it departs from the chip:
 *   - Transmission is instantaneous: a byte written to THR goes at once
 *     to the `tx` callback (Volt prints it, prefixed with the VM's name),
 *     THR and the transmitter are empty again right away (LSR.THRE and
 *     LSR.TEMT always read 1) and a THRE interrupt is due again. There is
 *     no baud pacing: a guest at 9600 baud runs at full speed. The
 *     divisor latch is stored and read back, nothing more.
 *   - Reception: the VMM pushes host input with uart_receive(). The RX
 *     FIFO holds 16 bytes (1 in 16450 mode); more is an overrun (LSR.OE).
 *     Host bytes carry no parity, framing or break errors.
 *   - Character timeout (IIR 0xcc): the chip raises it when the RX FIFO
 *     holds data below the trigger level and nothing happened for four
 *     character times. Without baud timing, "four character times" have
 *     always passed when the guest looks: data below the trigger level
 *     reports a timeout at once (data at or above it: IIR 0xc4).
 *   - Modem inputs from outside are a connected terminal: CTS, DSR and
 *     DCD on, RI off. In loopback mode they follow MCR as the datasheet
 *     says (CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2).
 *   - The interrupt line: INTR = an enabled interrupt is pending. On a
 *     PC, INTR reaches IRQ 4 only through a buffer enabled by the OUT2
 *     pin, so the line level is INTR && MCR.OUT2 && !MCR.LOOP (loopback
 *     forces the OUT2 pin inactive). It is signalled with irq_line_set()
 *     whenever it changes; the VMM wires it to the PIC as an edge.
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_UART16550_H
#define VOLT_VMM_DEV_UART16550_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/irq.h"

struct io_bus;

#define UART_COM1_BASE 0x3f8
#define UART_COM1_IRQ 4
#define UART_PORTS 8
#define UART_FIFO_SIZE 16

/* Register offsets from the base port (DLAB = LCR bit 7). */
#define UART_RBR 0 /* read, DLAB=0: receiver buffer */
#define UART_THR 0 /* write, DLAB=0: transmitter holding register */
#define UART_DLL 0 /* DLAB=1: divisor latch, low byte */
#define UART_IER 1 /* DLAB=0: interrupt enable */
#define UART_DLM 1 /* DLAB=1: divisor latch, high byte */
#define UART_IIR 2 /* read: interrupt identification */
#define UART_FCR 2 /* write: FIFO control */
#define UART_LCR 3 /* line control */
#define UART_MCR 4 /* modem control */
#define UART_LSR 5 /* line status */
#define UART_MSR 6 /* modem status */
#define UART_SCR 7 /* scratch */

/* IER */
#define UART_IER_ERBFI 0x01 /* received data available (and timeout) */
#define UART_IER_ETBEI 0x02 /* THR empty */
#define UART_IER_ELSI 0x04  /* receiver line status */
#define UART_IER_EDSSI 0x08 /* modem status */
#define UART_IER_MASK 0x0f  /* bits 4-7 are always 0 */

/* IIR: bit 0 = 1 means "no interrupt pending"; bits 7:6 mirror FCR0 */
#define UART_IIR_NONE 0x01
#define UART_IIR_MSI 0x00
#define UART_IIR_THRI 0x02
#define UART_IIR_RDI 0x04
#define UART_IIR_RLSI 0x06
#define UART_IIR_TIMEOUT 0x0c
#define UART_IIR_ID_MASK 0x0f
#define UART_IIR_FIFO 0xc0

/* FCR (write only) */
#define UART_FCR_ENABLE 0x01
#define UART_FCR_CLEAR_RX 0x02
#define UART_FCR_CLEAR_TX 0x04
#define UART_FCR_DMA 0x08
#define UART_FCR_TRIGGER 0xc0 /* 00: 1, 01: 4, 10: 8, 11: 14 bytes */

/* LCR */
#define UART_LCR_DLAB 0x80
#define UART_LCR_BREAK 0x40

/* MCR: bits 5-7 are always 0 */
#define UART_MCR_DTR 0x01
#define UART_MCR_RTS 0x02
#define UART_MCR_OUT1 0x04
#define UART_MCR_OUT2 0x08
#define UART_MCR_LOOP 0x10
#define UART_MCR_MASK 0x1f

/* LSR */
#define UART_LSR_DR 0x01
#define UART_LSR_OE 0x02
#define UART_LSR_PE 0x04
#define UART_LSR_FE 0x08
#define UART_LSR_BI 0x10
#define UART_LSR_THRE 0x20
#define UART_LSR_TEMT 0x40
#define UART_LSR_FIFOERR 0x80

/* MSR: deltas (bits 0-3, cleared by reading MSR), then the lines */
#define UART_MSR_DCTS 0x01
#define UART_MSR_DDSR 0x02
#define UART_MSR_TERI 0x04
#define UART_MSR_DDCD 0x08
#define UART_MSR_CTS 0x10
#define UART_MSR_DSR 0x20
#define UART_MSR_RI 0x40
#define UART_MSR_DCD 0x80
#define UART_MSR_DELTAS 0x0f

typedef void (*uart_tx_fn)(void *ctx, uint8_t byte);

/* Registers and state. Read fields in tests and debug dumps; change them
 * only through the uart_* functions. */
struct uart {
	uint16_t base;	/* first port, set by uart_attach() */
	uint8_t ier, lcr, mcr, scr;
	uint8_t msr;	/* lines (7:4) and deltas (3:0) */
	uint8_t lsr_errors; /* OE (PE, FE, BI never happen here) */
	uint8_t dll, dlm;
	uint8_t fcr;	/* last FCR value that took effect */
	bool fifo_enabled;
	uint8_t trigger; /* RX trigger level in bytes: 1, 4, 8, 14 */
	bool thre_pending; /* THRE interrupt: THR emptied, not yet taken */

	uint8_t rx[UART_FIFO_SIZE]; /* ring buffer (one slot in 16450 mode) */
	uint8_t rx_head, rx_count;
	uint8_t rbr;	/* the receiver buffer's last value */

	bool irq_level; /* as last signalled on `irq` */
	struct irq_line irq;
	uart_tx_fn tx;
	void *tx_ctx;

	uint64_t tx_bytes, rx_bytes, rx_overruns; /* statistics */
};

/*
 * Power-on reset (datasheet "Reset" table): IER=0, IIR=0x01, FCR=0,
 * LCR=0, MCR=0, LSR=0x60, MSR deltas 0; FIFOs empty. The divisor latch
 * is undefined at reset; it starts at 1 (115200 baud). `tx` may be NULL
 * (output dropped).
 */
void uart_init(struct uart *u, struct irq_line irq, uart_tx_fn tx,
	       void *tx_ctx);

/* Claim [base, base + 8) on `bus` (UART_COM1_BASE for COM1): IO_BUS_OK or
 * the bus's error. */
int uart_attach(struct uart *u, struct io_bus *bus, uint16_t base);

/*
 * Host input: one byte arrives on the serial line. Returns false when a
 * byte was lost to an overrun: in FIFO mode the new byte (the FIFO was
 * full), in 16450 mode the unread old one. While the guest has loopback
 * on, the receiver is disconnected from the line and the byte is
 * dropped (also false).
 */
bool uart_receive(struct uart *u, uint8_t byte);

/* The receiver can take a byte without an overrun: the VMM holds host
 * input back while this is false, instead of losing it. */
bool uart_can_receive(const struct uart *u);

/* Register access by offset (0-7), as the port handlers do; for tests
 * and for a VMM that wants to poke the device without a bus. */
uint8_t uart_read(struct uart *u, unsigned offset);
void uart_write(struct uart *u, unsigned offset, uint8_t value);

#endif
