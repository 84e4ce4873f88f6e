/*
 * The 8254 programmable interval timer, only as far as TSC calibration
 * needs it: channel 2, whose gate and output are wired to port 0x61.
 *
 * Intel 8254 datasheet (modes, control word); the port 0x61 wiring is the
 * PC/AT "system control port B" (NMI status and control register in Intel's
 * PCH datasheets: bit 0 timer 2 gate, bit 1 speaker data, bit 5 timer 2
 * output).
 */
#ifndef VOLT_ARCH_X86_PIT_H
#define VOLT_ARCH_X86_PIT_H

#include <stdbool.h>
#include <stdint.h>

#define PIT_HZ 1193182ull          /* input clock: 14.31818 MHz / 12 */
#define PIT_COUNTER_MAX 0xffffu    /* 16-bit down-counter */

#ifndef VOLT_HOST_TEST
/*
 * Start channel 2 counting `ticks` (1..PIT_COUNTER_MAX) PIT ticks in mode 0
 * (interrupt on terminal count) with the speaker off. Its output reads 0
 * until the count runs out, then 1.
 */
void pit_ch2_start_oneshot(uint16_t ticks);

/* Channel 2's output (port 0x61 bit 5): true once the count has run out. */
bool pit_ch2_expired(void);

/* Close channel 2's gate again (and keep the speaker off). */
void pit_ch2_stop(void);
#endif

#endif
