/*
 * MSR accesses that may fault, for probing hardware that may not be there.
 *
 * rdmsr/wrmsr raise #GP for an MSR the processor does not implement, a
 * reserved bit or a locked register (Intel SDM vol. 2B, RDMSR/WRMSR;
 * Bochs with ignore_bad_msrs=0 does it for every power MSR it advertises,
 * EMULATORS.md). The _safe versions return -1 instead: the #GP handler
 * sees RIP at one of the two known instructions, skips it and sets a
 * failure flag (an exception fixup in the spirit of Linux's and Xen's
 * exception tables, with a table of two entries). A #GP anywhere else is
 * reported as before (traps.c).
 *
 * A fault is not the only sign of absence: an emulator may read 0 and
 * swallow writes without faulting, so callers still check that values
 * make sense (pm/pstate.h).
 */
#ifndef VOLT_ARCH_X86_MSR_SAFE_H
#define VOLT_ARCH_X86_MSR_SAFE_H

#include <stdint.h>
#include "pm/msr_io.h"

/* 0, or -1 (and *v = 0) if the access raised #GP. Any CPU, any time
 * after idt_init(); the first call installs the #GP fixup. */
int rdmsr_safe(uint32_t msr, uint64_t *v);
int wrmsr_safe(uint32_t msr, uint64_t v);

/* The hardware behind the drivers' interfaces (pm/msr_io.h): the _safe
 * accessors and the CPUID instruction of the calling processor. */
const struct msr_io *msr_io_hw(void);
const struct cpuid_io *cpuid_io_hw(void);

#endif
