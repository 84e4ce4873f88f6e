/*
 * Host tests for the 16550A UART (vmm/dev/uart16550.c), driven through
 * the port-I/O bus as a guest would. Expected values come from the
 * PC16550D datasheet and from the register accesses Linux 6.x's
 * drivers/tty/serial/8250/8250_port.c makes (autoconfig, size_fifo,
 * serial8250_do_startup, set_termios, the interrupt handler).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "vmm/dev/irq.h"
#include "vmm/dev/uart16550.h"
#include "vmm/io_bus.h"

#define COM1 0x3f8

static struct uart uart;
static struct io_bus bus;

static struct {
	bool level;
	unsigned rises, falls;
} irq;

static uint8_t out_buf[512];
static unsigned out_len;

static void irq_set(void *ctx, unsigned n, bool level)
{
	assert_ptr_equal(ctx, &irq);
	assert_int_equal(n, UART_COM1_IRQ);
	assert_true(level != irq.level); /* only changes are signalled */
	irq.level = level;
	if (level)
		irq.rises++;
	else
		irq.falls++;
}

static void tx(void *ctx, uint8_t byte)
{
	assert_ptr_equal(ctx, out_buf);
	assert_true(out_len < sizeof(out_buf));
	out_buf[out_len++] = byte;
}

static void outb(unsigned reg, uint8_t v)
{
	assert_int_equal(io_bus_write(&bus, (uint16_t)(COM1 + reg), 1, v), 0);
}

static uint8_t inb(unsigned reg)
{
	return (uint8_t)io_bus_read(&bus, (uint16_t)(COM1 + reg), 1);
}

static int setup(void **state)
{
	memset(&bus, 0, sizeof(bus));
	memset(&irq, 0, sizeof(irq));
	out_len = 0;
	struct irq_line line = { irq_set, &irq, UART_COM1_IRQ };
	uart_init(&uart, line, tx, out_buf);
	assert_int_equal(uart_attach(&uart, &bus, COM1), IO_BUS_OK);
	return 0;
}

static void test_reset_values(void **state)
{
	assert_int_equal(inb(UART_IER), 0x00);
	assert_int_equal(inb(UART_IIR), 0x01);
	assert_int_equal(inb(UART_LCR), 0x00);
	assert_int_equal(inb(UART_MCR), 0x00);
	assert_int_equal(inb(UART_LSR), 0x60);
	assert_int_equal(inb(UART_MSR), 0xb0); /* CTS, DSR, DCD; no deltas */
	assert_false(irq.level);
	/* The bus refuses a second claim of the same ports. */
	assert_int_equal(uart_attach(&uart, &bus, COM1 + 4), IO_BUS_OVERLAP);
}

/* ---- Linux's probe, as register accesses ------------------------------ */

static unsigned dl_read(void)
{
	return inb(UART_DLL) | (unsigned)inb(UART_DLM) << 8;
}

static void dl_write(unsigned dl)
{
	outb(UART_DLL, (uint8_t)dl);
	outb(UART_DLM, (uint8_t)(dl >> 8));
}

/* size_fifo(): write 256 bytes in loopback at divisor 1, count what the
 * receiver kept. */
static unsigned linux_size_fifo(void)
{
	uint8_t old_lcr = inb(UART_LCR);
	outb(UART_LCR, 0);
	uint8_t old_fcr = inb(UART_FCR); /* reads IIR, as Linux does */
	uint8_t old_mcr = inb(UART_MCR);
	outb(UART_FCR, 0x07);
	outb(UART_MCR, UART_MCR_LOOP);
	outb(UART_LCR, 0x80);
	unsigned old_dl = dl_read();
	dl_write(1);
	outb(UART_LCR, 0x03);
	for (unsigned i = 0; i < 256; i++)
		outb(UART_THR, (uint8_t)i);
	unsigned count = 0;
	while ((inb(UART_LSR) & UART_LSR_DR) && count < 256) {
		assert_int_equal(inb(UART_RBR), count); /* FIFO order kept */
		count++;
	}
	outb(UART_FCR, old_fcr);
	outb(UART_MCR, old_mcr);
	outb(UART_LCR, 0x80);
	dl_write(old_dl);
	outb(UART_LCR, old_lcr);
	return count;
}

/* autoconfig() and autoconfig_16550a(); returns true if Linux would call
 * the port a plain 16550A (no EFR, not NatSemi, not 16750, not XScale,
 * not a 64-byte U6). */
static bool linux_autoconfig_is_16550a(void)
{
	/* IER existence test */
	uint8_t scratch = inb(UART_IER);
	outb(UART_IER, 0);
	uint8_t scratch2 = inb(UART_IER) & 0x0f;
	outb(UART_IER, 0x0f);
	uint8_t scratch3 = inb(UART_IER) & 0x0f;
	outb(UART_IER, scratch);
	if (scratch2 != 0 || scratch3 != 0x0f)
		return false;

	uint8_t save_mcr = inb(UART_MCR), save_lcr = inb(UART_LCR);
	/* loopback test (skipped for COM1-4 by UPF_SKIP_TEST, done here) */
	outb(UART_MCR, UART_MCR_LOOP | 0x0a);
	uint8_t status1 = inb(UART_MSR) & 0xf0;
	outb(UART_MCR, save_mcr);
	if (status1 != 0x90)
		return false;

	outb(UART_LCR, 0xbf); /* UART_LCR_CONF_MODE_B */
	outb(2, 0);	      /* EFR = 0: on a 16550A this is FCR */
	outb(UART_LCR, 0);
	outb(UART_FCR, UART_FCR_ENABLE);
	if ((inb(UART_IIR) >> 6) != 3)
		return false;

	/* autoconfig_16550a: EFR with DLAB (16650V1) */
	outb(UART_LCR, 0x80);
	if (inb(2) == 0)
		return false;
	/* EFR at LCR=0xbf (16650V2, 16C752...) */
	outb(UART_LCR, 0xbf);
	if (inb(2) == 0)
		return false;
	/* NatSemi: EXCR1 in bank 2 would follow MCR's LOOP bit */
	outb(UART_LCR, 0);
	status1 = inb(UART_MCR);
	outb(UART_LCR, 0xe0);
	uint8_t status2 = inb(2);
	if (!((status2 ^ status1) & UART_MCR_LOOP)) {
		outb(UART_LCR, 0);
		outb(UART_MCR, status1 ^ UART_MCR_LOOP);
		outb(UART_LCR, 0xe0);
		status2 = inb(2);
		outb(UART_LCR, 0);
		outb(UART_MCR, status1);
		if ((status2 ^ status1) & UART_MCR_LOOP)
			return false;
	}
	/* TI16750: IIR bit 5 with the 64-byte FIFO bit */
	outb(UART_LCR, 0);
	outb(UART_FCR, UART_FCR_ENABLE | 0x20);
	status1 = inb(UART_IIR) >> 5;
	outb(UART_FCR, UART_FCR_ENABLE);
	outb(UART_LCR, 0x80);
	outb(UART_FCR, UART_FCR_ENABLE | 0x20);
	status2 = inb(UART_IIR) >> 5;
	outb(UART_FCR, UART_FCR_ENABLE);
	outb(UART_LCR, 0);
	assert_int_equal(status1, 6);
	assert_int_equal(status2, 6);
	/* XScale: IER bit 6 (UUE) must not stick */
	uint8_t iersave = inb(UART_IER);
	outb(UART_IER, iersave & ~0x40);
	if (!(inb(UART_IER) & 0x40)) {
		outb(UART_IER, iersave | 0x40);
		if (inb(UART_IER) & 0x40)
			return false;
	}
	outb(UART_IER, iersave);
	if (linux_size_fifo() != UART_FIFO_SIZE)
		return false;

	outb(UART_LCR, save_lcr);
	/* reset the UART */
	outb(UART_MCR, save_mcr);
	outb(UART_FCR, UART_FCR_ENABLE); /* serial8250_clear_fifos */
	outb(UART_FCR, 0x07);
	outb(UART_FCR, 0);
	inb(UART_RBR);
	outb(UART_IER, 0);
	return true;
}

/* serial8250_do_startup(): the THRE re-assert test (UART_BUG_THRE) and
 * the TX-enable test (UART_BUG_TXEN). Returns the bugs Linux would set. */
static unsigned linux_startup(void)
{
	unsigned bugs = 0;
	outb(UART_FCR, UART_FCR_ENABLE);
	outb(UART_FCR, 0x07);
	outb(UART_FCR, 0);
	inb(UART_LSR);
	inb(UART_RBR);
	inb(UART_IIR);
	inb(UART_MSR);
	assert_int_not_equal(inb(UART_LSR), 0xff);

	assert_true(inb(UART_LSR) & UART_LSR_THRE); /* wait_for_xmitr */
	outb(UART_IER, UART_IER_ETBEI);
	uint8_t iir1 = inb(UART_IIR);
	outb(UART_IER, 0);
	outb(UART_IER, UART_IER_ETBEI);
	uint8_t iir = inb(UART_IIR);
	outb(UART_IER, 0);
	if (!(iir1 & UART_IIR_NONE) && (iir & UART_IIR_NONE))
		bugs |= 1; /* UART_BUG_THRE */

	outb(UART_LCR, 0x03);
	outb(UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);

	outb(UART_IER, UART_IER_ETBEI);
	uint8_t lsr = inb(UART_LSR);
	iir = inb(UART_IIR);
	outb(UART_IER, 0);
	if ((lsr & UART_LSR_TEMT) && (iir & UART_IIR_NONE))
		bugs |= 2; /* UART_BUG_TXEN */
	inb(UART_LSR);
	inb(UART_RBR);
	inb(UART_IIR);
	inb(UART_MSR);
	return bugs;
}

/* serial8250_do_set_termios() for 115200 8N1 on a 16550A. */
static void linux_set_termios(void)
{
	outb(UART_IER, UART_IER_ELSI | UART_IER_ERBFI);
	outb(UART_LCR, 0x03 | UART_LCR_DLAB);
	dl_write(1);
	outb(UART_LCR, 0x03);
	outb(UART_FCR, UART_FCR_ENABLE);
	outb(UART_FCR, UART_FCR_ENABLE | 0x80); /* UART_FCR_R_TRIG_10 */
	outb(UART_MCR, UART_MCR_DTR | UART_MCR_RTS | UART_MCR_OUT2);
}

static void test_linux_probe_and_startup(void **state)
{
	assert_true(linux_autoconfig_is_16550a());
	assert_int_equal(out_len, 0); /* loopback bytes never leave */
	assert_int_equal(uart.rx_overruns, 256 - UART_FIFO_SIZE);
	assert_int_equal(inb(UART_IIR), 0x01); /* FIFOs off again */
	assert_int_equal(inb(UART_LSR), 0x60); /* size_fifo's OE was read */
	assert_int_equal(irq.rises, 0);	       /* OUT2 was never on */

	assert_int_equal(linux_startup(), 0);
	/* The TX-enable test raised one interrupt, which its IIR read
	 * took back. */
	assert_int_equal(irq.rises, 1);
	assert_false(irq.level);

	linux_set_termios();
	assert_int_equal(inb(UART_IIR), 0xc1);
	assert_int_equal(uart.trigger, 8);
	assert_int_equal(uart.dll, 1);
	assert_int_equal(uart.dlm, 0);
	assert_false(irq.level);
}

/* Interrupt-driven transmission as serial8250_start_tx, the interrupt
 * handler and serial8250_tx_chars do it. */
static void test_linux_interrupt_tx(void **state)
{
	assert_true(linux_autoconfig_is_16550a());
	assert_int_equal(linux_startup(), 0);
	linux_set_termios();
	unsigned rises = irq.rises;

	static const char msg[] = "Linux version 6.1 (volt@guest) #1 SMP\n";
	unsigned sent = 0, interrupts = 0;
	uint8_t ier = UART_IER_ELSI | UART_IER_ERBFI;
	ier |= UART_IER_ETBEI; /* start_tx */
	outb(UART_IER, ier);
	while (irq.level) { /* the CPU takes IRQ 4 */
		interrupts++;
		assert_true(interrupts < 10);
		uint8_t iir = inb(UART_IIR);
		assert_int_equal(iir, 0xc2);
		assert_false(irq.level); /* taken by the IIR read */
		uint8_t lsr = inb(UART_LSR);
		assert_true(lsr & UART_LSR_THRE);
		inb(UART_MSR);
		for (unsigned n = 0; n < 16 && sent < sizeof(msg) - 1; n++)
			outb(UART_THR, (uint8_t)msg[sent++]);
		if (sent == sizeof(msg) - 1) { /* __stop_tx */
			ier &= ~UART_IER_ETBEI;
			outb(UART_IER, ier);
		}
	}
	assert_int_equal(out_len, sizeof(msg) - 1);
	assert_memory_equal(out_buf, msg, sizeof(msg) - 1);
	/* 38 bytes: the interrupts after 0, 16 and 32 bytes. The line rose
	 * once for start_tx and once per byte: each THR write drops INTR
	 * and the (instant) transmitter raises it again. */
	assert_int_equal(interrupts, 3);
	assert_int_equal(irq.rises - rises, 1 + sizeof(msg) - 1);
	assert_int_equal(inb(UART_IIR), 0xc1);
	assert_int_equal(uart.tx_bytes, sizeof(msg) - 1);
}

/* ---- THRE interrupt semantics ------------------------------------------ */

static void test_thre_semantics(void **state)
{
	outb(UART_MCR, UART_MCR_OUT2);
	assert_false(irq.level);
	/* Enabling ETBEI with THR empty raises THRE. */
	outb(UART_IER, UART_IER_ETBEI);
	assert_true(irq.level);
	assert_int_equal(inb(UART_IIR), 0x02);
	assert_false(irq.level);
	assert_int_equal(inb(UART_IIR), 0x01); /* reading IIR took it */
	/* Rewriting IER with ETBEI still set does not re-arm it... */
	outb(UART_IER, UART_IER_ETBEI | UART_IER_EDSSI);
	assert_int_equal(inb(UART_IIR), 0x01);
	/* ...toggling ETBEI does. */
	outb(UART_IER, 0);
	outb(UART_IER, UART_IER_ETBEI);
	assert_int_equal(inb(UART_IIR), 0x02);
	/* A THR write empties at once: THRE is due again, with an edge. */
	unsigned rises = irq.rises;
	outb(UART_THR, 'a');
	assert_true(irq.level);
	assert_int_equal(irq.rises, rises + 1);
	/* Writing THR again without reading IIR: the chip drops INTR on
	 * the write and raises it when the byte moves on: a new edge. */
	outb(UART_THR, 'b');
	assert_int_equal(irq.rises, rises + 2);
	assert_true(irq.level);
	assert_int_equal(out_len, 2);
	assert_int_equal(out_buf[0], 'a');
	assert_int_equal(out_buf[1], 'b');
	/* Disabling ETBEI hides the pending THRE... */
	outb(UART_IER, 0);
	assert_false(irq.level);
	assert_int_equal(inb(UART_IIR), 0x01);
	/* ...and THR writes with ETBEI off raise nothing. */
	outb(UART_THR, 'c');
	assert_false(irq.level);
	assert_int_equal(inb(UART_LSR) & 0x60, 0x60);
}

/* IIR read clears THRE only when THRE is what it reports. */
static void test_iir_read_clears_thre_only_as_source(void **state)
{
	outb(UART_MCR, UART_MCR_OUT2);
	outb(UART_IER, UART_IER_ERBFI | UART_IER_ETBEI);
	assert_true(uart_receive(&uart, 'x'));
	assert_int_equal(inb(UART_IIR), 0x04); /* RX data outranks THRE */
	assert_int_equal(inb(UART_IIR), 0x04);
	assert_int_equal(inb(UART_RBR), 'x');
	assert_int_equal(inb(UART_IIR), 0x02); /* THRE survived */
	assert_int_equal(inb(UART_IIR), 0x01);
}

/* ---- loopback ----------------------------------------------------------- */

static void test_loopback(void **state)
{
	/* MSR follows MCR: CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2. */
	inb(UART_MSR);
	outb(UART_MCR, UART_MCR_LOOP);
	assert_int_equal(inb(UART_MSR), 0x0b); /* CTS, DSR, DCD fell */
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_RTS);
	assert_int_equal(inb(UART_MSR), UART_MSR_CTS | UART_MSR_DCTS);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_DTR);
	assert_int_equal(inb(UART_MSR),
			 UART_MSR_DSR | UART_MSR_DCTS | UART_MSR_DDSR);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(inb(UART_MSR), UART_MSR_RI | UART_MSR_DDSR);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	/* RI fell: trailing edge (TERI); DCD rose */
	assert_int_equal(inb(UART_MSR),
			 UART_MSR_DCD | UART_MSR_TERI | UART_MSR_DDCD);
	outb(UART_MCR, UART_MCR_LOOP | 0x0f);
	assert_int_equal(inb(UART_MSR) & 0xf0, 0xf0);
	/* A rising RI is no TERI. */
	outb(UART_MCR, UART_MCR_LOOP);
	assert_int_equal(inb(UART_MSR), 0x0f);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT1);
	assert_int_equal(inb(UART_MSR), UART_MSR_RI);

	/* Transmitted bytes come back to the receiver, not to the host. */
	outb(UART_THR, 0x5a);
	assert_int_equal(inb(UART_LSR), 0x61);
	assert_int_equal(inb(UART_RBR), 0x5a);
	assert_int_equal(out_len, 0);
	/* The line is disconnected from host input. */
	assert_false(uart_can_receive(&uart));
	assert_false(uart_receive(&uart, 'h'));
	assert_int_equal(inb(UART_LSR) & UART_LSR_DR, 0);
	/* Leaving loopback: external lines (CTS, DSR, DCD on) come back. */
	outb(UART_MCR, 0);
	assert_int_equal(inb(UART_MSR), 0xb0 | 0x0b | UART_MSR_TERI);
	assert_true(uart_can_receive(&uart));
	outb(UART_THR, 'z');
	assert_int_equal(out_len, 1);
}

/* Modem status interrupts work in loopback, but OUT2's pin is forced
 * off, so IIR reports them without the IRQ line rising. */
static void test_loopback_interrupts_gated(void **state)
{
	outb(UART_IER, UART_IER_EDSSI);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2);
	assert_int_equal(inb(UART_IIR), 0x00);
	assert_false(irq.level);
	inb(UART_MSR);
	assert_int_equal(inb(UART_IIR), 0x01);
	outb(UART_MCR, UART_MCR_LOOP | UART_MCR_OUT2 | UART_MCR_RTS);
	assert_int_equal(inb(UART_IIR), 0x00);
	assert_false(irq.level);
	outb(UART_MCR, UART_MCR_OUT2); /* out of loopback: delta pending */
	assert_true(irq.level);
	inb(UART_MSR);
	assert_false(irq.level);
}

/* ---- DLAB --------------------------------------------------------------- */

static void test_dlab(void **state)
{
	outb(UART_IER, 0x05);
	outb(UART_LCR, 0x83);
	assert_int_equal(dl_read(), 1); /* power-on value here */
	outb(UART_DLL, 0x0c);
	outb(UART_DLM, 0x00);
	assert_int_equal(inb(UART_DLL), 0x0c);
	assert_int_equal(inb(UART_DLM), 0x00);
	dl_write(0x1234);
	assert_int_equal(dl_read(), 0x1234);
	assert_int_equal(out_len, 0); /* offset 0 is DLL, not THR */
	assert_int_equal(inb(UART_LCR), 0x83);
	/* IIR/FCR, LSR, MCR are the same with DLAB set. */
	assert_int_equal(inb(UART_LSR), 0x60);
	outb(UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(inb(UART_IIR), 0xc1);
	outb(UART_LCR, 0x03);
	assert_int_equal(inb(UART_IER), 0x05); /* IER kept its value */
	assert_true(uart_receive(&uart, 'q'));
	assert_int_equal(inb(UART_RBR), 'q');
	outb(UART_THR, 'w');
	assert_int_equal(out_len, 1);
	/* 16-bit access to the divisor latch: DLL then DLM. */
	outb(UART_LCR, 0x83);
	assert_int_equal(io_bus_read(&bus, COM1, 2), 0x1234);
	assert_int_equal(io_bus_write(&bus, COM1, 2, 0x0603), 0);
	assert_int_equal(dl_read(), 0x0603);
}

/* ---- FIFO --------------------------------------------------------------- */

static void test_fifo_trigger_levels(void **state)
{
	static const uint8_t level[4] = { 1, 4, 8, 14 };
	outb(UART_MCR, UART_MCR_OUT2);
	outb(UART_IER, UART_IER_ERBFI);
	for (unsigned t = 0; t < 4; t++) {
		outb(UART_FCR, (uint8_t)(UART_FCR_ENABLE | UART_FCR_CLEAR_RX |
					 t << 6));
		assert_false(irq.level);
		for (unsigned i = 0; i + 1 < level[t]; i++) {
			assert_true(uart_receive(&uart, (uint8_t)i));
			/* below the trigger: character timeout */
			assert_int_equal(inb(UART_IIR), 0xcc);
			assert_true(irq.level);
		}
		assert_true(uart_receive(&uart, 0xee));
		assert_int_equal(inb(UART_IIR), 0xc4);
		/* reading one byte drops below the trigger again */
		inb(UART_RBR);
		if (level[t] > 1)
			assert_int_equal(inb(UART_IIR), 0xcc);
		while (inb(UART_LSR) & UART_LSR_DR)
			inb(UART_RBR);
		assert_int_equal(inb(UART_IIR), 0xc1);
		assert_false(irq.level);
	}
}

static void test_fifo_overrun_and_clear(void **state)
{
	outb(UART_FCR, UART_FCR_ENABLE);
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++) {
		assert_true(uart_can_receive(&uart));
		assert_true(uart_receive(&uart, (uint8_t)(0x40 + i)));
	}
	assert_false(uart_can_receive(&uart));
	assert_false(uart_receive(&uart, 0x99)); /* lost */
	assert_int_equal(inb(UART_LSR), 0x60 | UART_LSR_OE | UART_LSR_DR);
	assert_int_equal(inb(UART_LSR), 0x60 | UART_LSR_DR); /* OE read */
	for (unsigned i = 0; i < UART_FIFO_SIZE; i++)
		assert_int_equal(inb(UART_RBR), 0x40 + i);
	assert_int_equal(inb(UART_LSR), 0x60);
	/* An empty receiver reads its last byte again. */
	assert_int_equal(inb(UART_RBR), 0x40 + UART_FIFO_SIZE - 1);
	/* FCR bit 1 clears the RX FIFO; bit 0 off empties it too. */
	uart_receive(&uart, 1);
	outb(UART_FCR, UART_FCR_ENABLE | UART_FCR_CLEAR_RX);
	assert_int_equal(inb(UART_LSR), 0x60);
	uart_receive(&uart, 2);
	outb(UART_FCR, 0xc0); /* FCR0 = 0: back to 16450 mode */
	assert_int_equal(inb(UART_LSR), 0x60);
	assert_int_equal(inb(UART_IIR), 0x01);
	/* Without FCR0 the trigger bits were not programmed. */
	assert_int_equal(uart.trigger, 1);
	/* Entering FIFO mode empties the receiver too. */
	uart_receive(&uart, 3);
	outb(UART_FCR, UART_FCR_ENABLE);
	assert_int_equal(inb(UART_LSR), 0x60);
}

/* 16450 mode: one byte of buffer; an overrun replaces the unread byte. */
static void test_16450_mode_overrun(void **state)
{
	outb(UART_MCR, UART_MCR_OUT2);
	outb(UART_IER, UART_IER_ERBFI | UART_IER_ELSI);
	assert_true(uart_receive(&uart, 'a'));
	assert_int_equal(inb(UART_IIR), 0x04); /* no FIFO bits, no timeout */
	assert_false(uart_can_receive(&uart));
	assert_false(uart_receive(&uart, 'b'));
	assert_int_equal(inb(UART_IIR), 0x06); /* line status first */
	assert_int_equal(inb(UART_LSR), 0x60 | UART_LSR_OE | UART_LSR_DR);
	assert_int_equal(inb(UART_IIR), 0x04);
	assert_int_equal(inb(UART_RBR), 'b');
	assert_int_equal(inb(UART_IIR), 0x01);
	assert_false(irq.level);
}

/* ---- priorities and gating ---------------------------------------------- */

static void test_iir_priority(void **state)
{
	outb(UART_FCR, UART_FCR_ENABLE | 0x40); /* trigger 4 */
	/* modem deltas: into loopback with all lines off, then out */
	outb(UART_MCR, UART_MCR_LOOP);
	outb(UART_MCR, UART_MCR_OUT2);
	for (unsigned i = 0; i < UART_FIFO_SIZE + 1; i++)
		uart_receive(&uart, (uint8_t)i); /* the last one overruns */
	outb(UART_IER, 0x0f);
	assert_true(irq.level);

	assert_int_equal(inb(UART_IIR), 0xc6);
	assert_int_equal(inb(UART_IIR), 0xc6); /* IIR read does not clear */
	inb(UART_LSR);
	assert_int_equal(inb(UART_IIR), 0xc4);
	while (uart.rx_count > 3)
		inb(UART_RBR);
	assert_int_equal(inb(UART_IIR), 0xcc);
	while (inb(UART_LSR) & UART_LSR_DR)
		inb(UART_RBR);
	assert_int_equal(inb(UART_IIR), 0xc2);
	assert_int_equal(inb(UART_IIR), 0xc0); /* THRE taken; modem next */
	assert_true(irq.level);
	assert_int_equal(inb(UART_MSR), 0xb0 | 0x0b);
	assert_int_equal(inb(UART_IIR), 0xc1);
	assert_false(irq.level);
}

static void test_out2_gates_irq(void **state)
{
	outb(UART_IER, UART_IER_ETBEI);
	assert_int_equal(uart.thre_pending, true);
	assert_false(irq.level); /* pending, but OUT2 is off */
	outb(UART_MCR, UART_MCR_DTR | UART_MCR_RTS);
	assert_false(irq.level);
	outb(UART_MCR, UART_MCR_OUT2);
	assert_true(irq.level);
	outb(UART_MCR, UART_MCR_OUT2 | UART_MCR_LOOP);
	assert_false(irq.level);
	outb(UART_MCR, UART_MCR_OUT2 | UART_MCR_DTR);
	assert_true(irq.level);
	outb(UART_MCR, UART_MCR_OUT1);
	assert_false(irq.level);
	assert_int_equal(irq.rises, 2);
	assert_int_equal(irq.falls, 2);
	/* The interrupt is still pending behind the gate. */
	assert_int_equal(inb(UART_IIR), 0x02);
}

/* ---- odd accesses -------------------------------------------------------- */

static void test_register_masks_and_odd_accesses(void **state)
{
	outb(UART_IER, 0xff);
	assert_int_equal(inb(UART_IER), 0x0f);
	outb(UART_MCR, 0xff);
	assert_int_equal(inb(UART_MCR), 0x1f);
	outb(UART_MCR, 0);
	outb(UART_IER, 0);
	outb(UART_LCR, 0x7f);
	assert_int_equal(inb(UART_LCR), 0x7f);
	outb(UART_SCR, 0xa5);
	assert_int_equal(inb(UART_SCR), 0xa5);
	outb(UART_SCR, 0x5a);
	assert_int_equal(inb(UART_SCR), 0x5a);
	/* LSR and MSR writes are dropped. */
	outb(UART_LSR, 0x1f);
	assert_int_equal(inb(UART_LSR), 0x60);
	inb(UART_MSR);
	outb(UART_MSR, 0x0f);
	assert_int_equal(inb(UART_MSR), 0xb0);
	/* A dword read at 0x3fe: MSR, SCR, then two bytes of open bus. */
	assert_int_equal(io_bus_read(&bus, COM1 + 6, 4), 0xffff5ab0u);
	/* A dword write at 0x3fc: MCR, (LSR), (MSR), SCR. */
	assert_int_equal(io_bus_write(&bus, COM1 + 4, 4, 0x11223303u), 0);
	assert_int_equal(inb(UART_MCR), 0x03);
	assert_int_equal(inb(UART_SCR), 0x11);
	/* Direct access masks the offset to 0-7. */
	assert_int_equal(uart_read(&uart, 8 + UART_SCR), 0x11);
	/* Output with no tx callback is counted and dropped. */
	uart.tx = NULL;
	outb(UART_LCR, 0x03);
	outb(UART_THR, 'n');
	assert_int_equal(uart.tx_bytes, 1);
	assert_int_equal(out_len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_linux_probe_and_startup, setup),
		cmocka_unit_test_setup(test_linux_interrupt_tx, setup),
		cmocka_unit_test_setup(test_thre_semantics, setup),
		cmocka_unit_test_setup(test_iir_read_clears_thre_only_as_source,
				       setup),
		cmocka_unit_test_setup(test_loopback, setup),
		cmocka_unit_test_setup(test_loopback_interrupts_gated, setup),
		cmocka_unit_test_setup(test_dlab, setup),
		cmocka_unit_test_setup(test_fifo_trigger_levels, setup),
		cmocka_unit_test_setup(test_fifo_overrun_and_clear, setup),
		cmocka_unit_test_setup(test_16450_mode_overrun, setup),
		cmocka_unit_test_setup(test_iir_priority, setup),
		cmocka_unit_test_setup(test_out2_gates_irq, setup),
		cmocka_unit_test_setup(test_register_masks_and_odd_accesses,
				       setup),
	};
	return cmocka_run_group_tests_name("uart16550", tests, NULL, NULL);
}
