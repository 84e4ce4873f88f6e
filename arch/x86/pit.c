/*
 * 8254 PIT channel 2 as a one-shot stopwatch for TSC calibration (see
 * pit.h). Channel 2 is the one a kernel may use freely: its gate is a bit
 * in port 0x61 and its output can be read back there, so no interrupt and
 * no IRQ routing is involved (channel 0 would need the PIC or IOAPIC).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/pit.h"

#define PIT_PORT_CH2 0x42
#define PIT_PORT_CMD 0x43

/* Control word (8254 datasheet, "control word format"). */
#define PIT_CMD_SELECT_CH2 (2u << 6)
#define PIT_CMD_ACCESS_LOHI (3u << 4)   /* low byte, then high byte */
#define PIT_CMD_MODE0 (0u << 1)         /* interrupt on terminal count */
#define PIT_CMD_BINARY 0u

/* Port 0x61, system control port B. */
#define PORT_SYSCTL_B 0x61
#define SYSCTL_B_T2_GATE (1u << 0)
#define SYSCTL_B_SPEAKER (1u << 1)
#define SYSCTL_B_T2_OUT (1u << 5)

void pit_ch2_start_oneshot(uint16_t ticks)
{
	uint8_t ctl = inb(PORT_SYSCTL_B);

	/*
	 * Gate high so the count runs as soon as it is loaded; speaker data
	 * low so nobody hears a click. In mode 0 the output goes low when
	 * the control word is written and high at terminal count.
	 */
	outb(PORT_SYSCTL_B, (ctl & ~SYSCTL_B_SPEAKER) | SYSCTL_B_T2_GATE);
	outb(PIT_PORT_CMD, PIT_CMD_SELECT_CH2 | PIT_CMD_ACCESS_LOHI |
				   PIT_CMD_MODE0 | PIT_CMD_BINARY);
	outb(PIT_PORT_CH2, ticks & 0xff);
	outb(PIT_PORT_CH2, ticks >> 8);
}

bool pit_ch2_expired(void)
{
	return inb(PORT_SYSCTL_B) & SYSCTL_B_T2_OUT;
}

void pit_ch2_stop(void)
{
	uint8_t ctl = inb(PORT_SYSCTL_B);

	outb(PORT_SYSCTL_B, ctl & ~(SYSCTL_B_T2_GATE | SYSCTL_B_SPEAKER));
}
