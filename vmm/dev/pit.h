/*
 * The PC's 8254 programmable interval timer (ports 0x40-0x43) and the
 * AT "system control port B" (port 0x61) that gates and reads its
 * channel 2. Follows the Intel 8254 datasheet (order no. 231164):
 * control word, access modes, counter latch and read-back commands,
 * status byte, modes 0-5, GATE behaviour, binary and BCD counting.
 * docs/devices-pic-pit.md explains the model.
 *
 * Wiring on a PC, and here: the input clock of every channel is
 * 1193182 Hz; channel 0's GATE is tied high and its OUT drives IRQ 0;
 * channel 1 (once DRAM refresh) has GATE high and OUT unconnected;
 * channel 2's GATE is port 0x61 bit 0 and its OUT reads back on port
 * 0x61 bit 5 (and feeds the speaker, not modeled).
 *
 * Lazy model: nothing ticks. The state of each counter is a function of
 * the dev_clock, computed when the guest reads a port; writes first bring
 * the model up to `now`. Channel 0's rising OUT edges are what the VMM
 * must deliver on time: pit_next_event() tells when the next one is due,
 * the VMM arms a timer for it and calls pit_update() when it fires (or
 * whenever it likes: late calls coalesce). After the guest writes to the
 * PIT's ports the next event can move, so the VMM re-reads
 * pit_next_event() after such an exit (it is cheap and has no effect).
 *
 * Pure C, no locking: the owner (the VM) serializes calls. Host-tested.
 */
#ifndef VOLT_VMM_DEV_PIT_H
#define VOLT_VMM_DEV_PIT_H

#include <stdbool.h>
#include <stdint.h>
#include "vmm/dev/dev_clock.h"
#include "vmm/dev/irq.h"

struct io_bus;

#define PIT_HZ 1193182u /* the PC's 14.31818 MHz crystal / 12 */
#define PIT_BASE 0x40	/* channel 0-2 data ports, then the control port */
#define PIT_PORT_B 0x61 /* system control port B */
#define PIT_CHANNELS 3

/* Port 0x61 bits */
#define PORT_B_GATE2 0x01    /* R/W: channel 2 GATE */
#define PORT_B_SPEAKER 0x02  /* R/W: speaker data enable (stored only) */
#define PORT_B_WRITABLE 0x0f /* R/W bits; 2, 3 (parity, IOCHK checks) stored */
#define PORT_B_REFRESH 0x10  /* RO: toggles every 18 PIT clocks (~15 us) */
#define PORT_B_OUT2 0x20     /* RO: channel 2 OUT */

/*
 * One counter. "Run": the counting element (CE) since its last load; CE
 * and OUT at PIT clock t are functions of (mode, t0, c0, phase, armed).
 * Read fields in tests; change them only through the pit_* functions.
 */
struct pit_channel {
	uint8_t control; /* bits 5-0 of the last control word (status) */
	uint8_t mode;	 /* 0-5 (6 and 7 are written for 2 and 3) */
	uint8_t access;	 /* 1 LSB, 2 MSB, 3 LSB then MSB */
	bool bcd;
	bool gate;

	/* count register (CR): the write side */
	uint32_t count;	     /* last whole count, 1..modulus (0 = modulus) */
	bool count_written;  /* since the last control word */
	bool write_msb;	     /* access 3: LSB written, MSB expected */
	uint8_t write_lsb;

	/* counting element */
	bool running;	     /* CE follows the clock from t0 on */
	uint64_t t0;	     /* PIT clock of the load (the run's origin) */
	uint32_t c0;	     /* count loaded at t0 (modes 2, 3: the period) */
	uint32_t phase;	     /* mode 3: run entered at its low half */
	bool armed;	     /* modes 0, 1, 4, 5: terminal count ahead */
	bool paused;	     /* modes 0, 4: a run stopped by GATE low */
	uint64_t load_at;    /* modes 0, 4: PIT clock of the last load */
	uint32_t held;	     /* CE while not running (or before t0) */
	bool held_out;	     /* OUT while not running (or before t0) */
	bool reload_pending; /* modes 2, 3: CR loads at reload_at */
	bool reload_low;     /* ... at the end of a high half (mode 3) */
	uint64_t reload_at;
	uint64_t null_until; /* status Null Count is set before this clock */
	uint64_t edges_seen; /* rising OUT edges of this run reported */

	/* read side */
	bool read_msb;	     /* access 3: the next byte read is the MSB */
	uint8_t latch_reads; /* latched count bytes still to read */
	uint16_t latched;
	bool status_latched;
	uint8_t status;
};

struct pit {
	struct pit_channel ch[PIT_CHANNELS];
	struct dev_clock clk;
	struct irq_line irq0;
	uint8_t port_b;		 /* port 0x61 bits 0-3 */
	uint64_t irq0_edges;	 /* IRQ 0 pulses raised */
	uint64_t irq0_coalesced; /* channel 0 edges folded into a later one */
};

/*
 * Reset: every channel as after a mode 3, LSB-then-MSB, binary control
 * word with no count (OUT high, not counting, no IRQ 0): the 8254's
 * power-on state is undefined and, without a BIOS, the guest programs
 * what it uses; OUT high means the guest's first control word raises no
 * stray edge. Port 0x61 is 0 (channel 2 gated off). `clk` is copied.
 */
void pit_init(struct pit *p, const struct dev_clock *clk,
	      struct irq_line irq0);

/* Claim 0x40-0x43 and 0x61: IO_BUS_OK or the bus's error. */
int pit_attach(struct pit *p, struct io_bus *bus);

/* Dev-clock time of channel 0's next rising OUT edge not yet reported by
 * pit_update() (in the past when one is overdue), or DEV_CLOCK_NEVER. */
uint64_t pit_next_event(const struct pit *p);

/* Bring the model to `now`: pulse IRQ 0 once if channel 0's OUT rose
 * since the last call; several missed edges count in irq0_coalesced. */
void pit_update(struct pit *p, uint64_t now);

#endif
