/*
 * 16550A UART (see uart16550.h). Section names below are those of the
 * PC16550D datasheet: "Registers", "Interrupt Identification Register"
 * (Table 5, the interrupt control functions), "FIFO Control Register",
 * "FIFO Interrupt Mode Operation", "Modem Control Register" (loopback),
 * "Line Status Register", "Modem Status Register".
 */
#include "vmm/dev/uart16550.h"
#include "lib/string.h"
#include "vmm/io_bus.h"

#define OPEN_BUS 0xff /* a byte outside the UART's ports */

/* External modem lines: a terminal that is on and ready (see the header). */
#define MSR_LINES_EXTERNAL (UART_MSR_CTS | UART_MSR_DSR | UART_MSR_DCD)

static const uint8_t trigger_bytes[4] = { 1, 4, 8, 14 };

/* ---- receiver ---------------------------------------------------------- */

/* In 16450 (character) mode the "FIFO" is the one-byte RBR. */
static unsigned rx_capacity(const struct uart *u)
{
	return u->fifo_enabled ? UART_FIFO_SIZE : 1;
}

static void rx_clear(struct uart *u)
{
	u->rx_head = 0;
	u->rx_count = 0;
}

static void rx_push(struct uart *u, uint8_t byte)
{
	unsigned tail = (u->rx_head + u->rx_count) % UART_FIFO_SIZE;
	u->rx[tail] = byte;
	u->rx_count++;
}

/*
 * A character reaches the receiver (from the line or, in loopback, from
 * the transmitter). "Line Status Register", OE: in FIFO mode the FIFO
 * keeps its contents and the new character is lost; in 16450 mode the
 * new character overwrites the unread one. Returns false on overrun.
 */
static bool rx_deliver(struct uart *u, uint8_t byte)
{
	u->rx_bytes++;
	if (u->rx_count < rx_capacity(u)) {
		rx_push(u, byte);
		return true;
	}
	u->lsr_errors |= UART_LSR_OE;
	u->rx_overruns++;
	if (!u->fifo_enabled)
		u->rx[u->rx_head] = byte;
	return false;
}

static uint8_t rx_pop(struct uart *u)
{
	if (u->rx_count) {
		u->rbr = u->rx[u->rx_head];
		u->rx_head = (u->rx_head + 1) % UART_FIFO_SIZE;
		u->rx_count--;
	}
	return u->rbr; /* an empty receiver reads its last value again */
}

/* ---- interrupts -------------------------------------------------------- */

/* The RX data interrupt's IIR code, or 0 when none is due. */
static uint8_t rx_interrupt(const struct uart *u)
{
	if (!u->rx_count)
		return 0;
	if (!u->fifo_enabled || u->rx_count >= u->trigger)
		return UART_IIR_RDI;
	return UART_IIR_TIMEOUT; /* below the trigger: see the header */
}

/*
 * The highest-priority enabled interrupt (Table 5): receiver line status,
 * then received data or character timeout, then THR empty, then modem
 * status. UART_IIR_NONE when nothing is pending.
 */
static uint8_t pending_id(const struct uart *u)
{
	if ((u->ier & UART_IER_ELSI) && u->lsr_errors)
		return UART_IIR_RLSI;
	if ((u->ier & UART_IER_ERBFI) && rx_interrupt(u))
		return rx_interrupt(u);
	if ((u->ier & UART_IER_ETBEI) && u->thre_pending)
		return UART_IIR_THRI;
	if ((u->ier & UART_IER_EDSSI) && (u->msr & UART_MSR_DELTAS))
		return UART_IIR_MSI;
	return UART_IIR_NONE;
}

/* INTR reaches the PC's IRQ line through a buffer that the OUT2 pin
 * enables; loopback forces the pin inactive ("Modem Control Register"). */
static void update_irq(struct uart *u)
{
	bool intr = pending_id(u) != UART_IIR_NONE;
	bool gate = (u->mcr & UART_MCR_OUT2) && !(u->mcr & UART_MCR_LOOP);
	bool level = intr && gate;
	if (level != u->irq_level) {
		u->irq_level = level;
		irq_line_set(&u->irq, level);
	}
}

/* ---- modem lines ------------------------------------------------------- */

/* The four modem inputs as MSR bits 7:4: the outside world, or MCR in
 * loopback mode (CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2). */
static uint8_t modem_inputs(const struct uart *u)
{
	if (!(u->mcr & UART_MCR_LOOP))
		return MSR_LINES_EXTERNAL;
	uint8_t m = 0;
	if (u->mcr & UART_MCR_RTS)
		m |= UART_MSR_CTS;
	if (u->mcr & UART_MCR_DTR)
		m |= UART_MSR_DSR;
	if (u->mcr & UART_MCR_OUT1)
		m |= UART_MSR_RI;
	if (u->mcr & UART_MCR_OUT2)
		m |= UART_MSR_DCD;
	return m;
}

/* Latch new input levels and set the delta bits ("Modem Status
 * Register"): DCTS, DDSR, DDCD on any change, TERI only when RI goes from
 * on to off (the trailing edge of the ring). */
static void set_modem_inputs(struct uart *u, uint8_t lines)
{
	uint8_t old = u->msr & ~UART_MSR_DELTAS;
	uint8_t changed = old ^ lines;
	uint8_t deltas = u->msr & UART_MSR_DELTAS;
	if (changed & UART_MSR_CTS)
		deltas |= UART_MSR_DCTS;
	if (changed & UART_MSR_DSR)
		deltas |= UART_MSR_DDSR;
	if ((old & UART_MSR_RI) && !(lines & UART_MSR_RI))
		deltas |= UART_MSR_TERI;
	if (changed & UART_MSR_DCD)
		deltas |= UART_MSR_DDCD;
	u->msr = lines | deltas;
}

/* ---- register writes --------------------------------------------------- */

/*
 * THR write: the transmitter takes the byte at once. Writing THR resets
 * the THRE interrupt; the transmitter is empty again right away, which
 * raises it again. The line is brought low in between, so a guest that
 * writes THR without reading IIR still sees the new edge it would see on
 * the chip one character time later.
 */
static void write_thr(struct uart *u, uint8_t byte)
{
	u->thre_pending = false;
	update_irq(u);
	if (u->mcr & UART_MCR_LOOP) {
		rx_deliver(u, byte); /* SOUT idles at mark; SIN disconnected */
	} else {
		u->tx_bytes++;
		if (u->tx)
			u->tx(u->tx_ctx, byte);
	}
	u->thre_pending = true;
}

/*
 * IER write. Enabling ETBEI while THR is empty raises a THRE interrupt
 * even if an earlier one was already taken by reading IIR: Linux's
 * serial8250_do_startup checks exactly that (UART_BUG_THRE, UART_BUG_TXEN)
 * and its start_tx relies on it. Like Bochs and QEMU, the rising edge of
 * ETBEI re-arms it.
 */
static void write_ier(struct uart *u, uint8_t v)
{
	uint8_t old = u->ier;
	u->ier = v & UART_IER_MASK;
	if ((u->ier & ~old) & UART_IER_ETBEI)
		u->thre_pending = true; /* THR is always empty here */
}

/*
 * FCR write ("FIFO Control Register"). FCR0 must be 1 for the other bits
 * to take effect; changing FCR0 switches between 16450 and FIFO mode and
 * empties both FIFOs. Bits 1 and 2 clear the FIFOs and clear themselves.
 * The TX FIFO is always empty here, so clearing it changes nothing.
 */
static void write_fcr(struct uart *u, uint8_t v)
{
	bool enable = v & UART_FCR_ENABLE;
	if (enable != u->fifo_enabled) {
		rx_clear(u);
		u->fifo_enabled = enable;
	}
	if (!enable) {
		u->fcr = 0;
		return;
	}
	if (v & UART_FCR_CLEAR_RX)
		rx_clear(u);
	u->fcr = v & (UART_FCR_ENABLE | UART_FCR_DMA | UART_FCR_TRIGGER);
	u->trigger = trigger_bytes[v >> 6];
}

static void write_mcr(struct uart *u, uint8_t v)
{
	u->mcr = v & UART_MCR_MASK;
	set_modem_inputs(u, modem_inputs(u));
}

static bool dlab(const struct uart *u)
{
	return u->lcr & UART_LCR_DLAB;
}

void uart_write(struct uart *u, unsigned offset, uint8_t v)
{
	switch (offset & 7) {
	case UART_THR:
		if (dlab(u))
			u->dll = v;
		else
			write_thr(u, v);
		break;
	case UART_IER:
		if (dlab(u))
			u->dlm = v;
		else
			write_ier(u, v);
		break;
	case UART_FCR:
		write_fcr(u, v);
		break;
	case UART_LCR:
		u->lcr = v;
		break;
	case UART_MCR:
		write_mcr(u, v);
		break;
	case UART_LSR:
	case UART_MSR:
		/* Read-only here: the datasheet reserves writes to LSR and
		 * MSR for factory test; they are dropped. */
		break;
	case UART_SCR:
		u->scr = v;
		break;
	}
	update_irq(u);
}

/* ---- register reads ---------------------------------------------------- */

/* IIR read: the THRE interrupt is reset by reading IIR only when it is
 * the interrupt IIR reports (Table 5, "if source of interrupt"). */
static uint8_t read_iir(struct uart *u)
{
	uint8_t id = pending_id(u);
	if (id == UART_IIR_THRI)
		u->thre_pending = false;
	return id | (u->fifo_enabled ? UART_IIR_FIFO : 0);
}

/* LSR read: THRE and TEMT are always 1 (instant transmission); reading
 * clears the error bits and with them the line status interrupt. */
static uint8_t read_lsr(struct uart *u)
{
	uint8_t v = UART_LSR_THRE | UART_LSR_TEMT | u->lsr_errors;
	if (u->rx_count)
		v |= UART_LSR_DR;
	u->lsr_errors = 0;
	return v;
}

static uint8_t read_msr(struct uart *u)
{
	uint8_t v = u->msr;
	u->msr &= ~UART_MSR_DELTAS;
	return v;
}

uint8_t uart_read(struct uart *u, unsigned offset)
{
	uint8_t v = 0;
	switch (offset & 7) {
	case UART_RBR:
		v = dlab(u) ? u->dll : rx_pop(u);
		break;
	case UART_IER:
		v = dlab(u) ? u->dlm : u->ier;
		break;
	case UART_IIR:
		v = read_iir(u);
		break;
	case UART_LCR:
		v = u->lcr;
		break;
	case UART_MCR:
		v = u->mcr;
		break;
	case UART_LSR:
		v = read_lsr(u);
		break;
	case UART_MSR:
		v = read_msr(u);
		break;
	case UART_SCR:
		v = u->scr;
		break;
	}
	update_irq(u);
	return v;
}

/* ---- port handlers ----------------------------------------------------- */

/* The UART has an 8-bit data bus: a wider access is split into byte
 * accesses at consecutive ports, as the ISA bus does. */
static uint32_t uart_io_read(void *dev, uint16_t port, uint8_t size)
{
	struct uart *u = dev;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++) {
		unsigned off = (unsigned)port + i - u->base;
		uint8_t b = off < UART_PORTS ? uart_read(u, off) : OPEN_BUS;
		v |= (uint32_t)b << (8 * i);
	}
	return v;
}

static int uart_io_write(void *dev, uint16_t port, uint8_t size,
			 uint32_t v)
{
	struct uart *u = dev;
	for (unsigned i = 0; i < size; i++) {
		unsigned off = (unsigned)port + i - u->base;
		if (off < UART_PORTS)
			uart_write(u, off, (uint8_t)(v >> (8 * i)));
	}
	return 0;
}

/* ---- public ------------------------------------------------------------ */

void uart_init(struct uart *u, struct irq_line irq, uart_tx_fn tx,
	       void *tx_ctx)
{
	memset(u, 0, sizeof(*u));
	u->base = UART_COM1_BASE;
	u->irq = irq;
	u->tx = tx;
	u->tx_ctx = tx_ctx;
	u->dll = 1;
	u->trigger = 1;
	u->msr = MSR_LINES_EXTERNAL; /* no deltas at reset */
}

int uart_attach(struct uart *u, struct io_bus *bus, uint16_t base)
{
	u->base = base;
	struct io_range r = { base, UART_PORTS, "uart16550", uart_io_read,
			      uart_io_write, u };
	return io_bus_register(bus, &r, NULL);
}

bool uart_can_receive(const struct uart *u)
{
	return !(u->mcr & UART_MCR_LOOP) && u->rx_count < rx_capacity(u);
}

bool uart_receive(struct uart *u, uint8_t byte)
{
	if (u->mcr & UART_MCR_LOOP)
		return false; /* SIN is disconnected in loopback mode */
	bool kept = rx_deliver(u, byte);
	update_irq(u);
	return kept;
}
