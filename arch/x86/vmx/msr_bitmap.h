/*
 * The VMX MSR bitmap (SDM vol. 3C 25.6.9 "MSR-Bitmap Address"): one 4 KiB
 * page that says, per MSR and per direction, whether RDMSR/WRMSR in the
 * guest exits or runs natively. A set bit means "exit".
 *
 * The page has four 1 KiB parts, one bit per MSR:
 *   bytes    0-1023  reads  of MSRs 0x00000000-0x00001fff ("low")
 *   bytes 1024-2047  reads  of MSRs 0xc0000000-0xc0001fff ("high")
 *   bytes 2048-3071  writes of low MSRs
 *   bytes 3072-4095  writes of high MSRs
 * An MSR outside both ranges always exits, whatever the page says
 * (SDM vol. 3C 26.1.3, RDMSR/WRMSR).
 *
 * Pure C, host-tested. The page is per vCPU or per VM; the caller owns it
 * and must not change it while a processor runs a guest with it.
 */
#ifndef VOLT_ARCH_X86_VMX_MSR_BITMAP_H
#define VOLT_ARCH_X86_VMX_MSR_BITMAP_H

#include <stdbool.h>
#include <stdint.h>

#define MSR_BITMAP_BYTES 4096
#define MSR_BITMAP_LOW_FIRST 0x00000000u
#define MSR_BITMAP_LOW_LAST 0x00001fffu
#define MSR_BITMAP_HIGH_FIRST 0xc0000000u
#define MSR_BITMAP_HIGH_LAST 0xc0001fffu

/* Every RDMSR and WRMSR exits: the safe starting point. */
void msr_bitmap_init_all_exit(uint8_t page[MSR_BITMAP_BYTES]);
/*
 * Set both directions for msr: reads run natively when read is true and
 * exit when false; likewise writes. 0, or -1 for an MSR outside both
 * ranges (those always exit; the page is left unchanged).
 */
int msr_bitmap_pass(uint8_t page[MSR_BITMAP_BYTES], uint32_t msr, bool read,
		    bool write);
/* Does this access exit? True for every MSR outside both ranges. */
bool msr_bitmap_exits(const uint8_t page[MSR_BITMAP_BYTES], uint32_t msr,
		      bool write);

#endif
