/*
 * Which hardware virtualization this processor offers. Generic code asks
 * here; only arch/x86/vmx/ knows how VT-x is probed.
 */
#ifndef VOLT_ARCH_X86_VIRT_H
#define VOLT_ARCH_X86_VIRT_H

#include <stdbool.h>
#include <stddef.h>

struct virt_caps {
	bool vmx;               /* VT-x present and allowed by firmware */
	bool ept, vpid, unrestricted_guest;
	char why_not[128];      /* when !vmx or a required feature is missing */
};

/* Fills caps; returns true when Volt can run guests on this processor. */
bool virt_detect(struct virt_caps *caps);

/* Enter VMX root operation on this CPU (0, or -1 after printing why). */
int virt_cpu_enable(void);
/* Leave it again (before power-off); nothing if it was never entered. */
void virt_cpu_disable(void);

/* The VT-x implementation of the generic backend interface
 * (vmm/virt_ops.h). */
struct virt_ops;
const struct virt_ops *vmx_backend(void);

/* APIC virtualization: decide (and print) once, before the first VM:
 * used when the processor has it and `allowed` (host option apicv). */
void virt_apicv_configure(bool allowed);

/* Set once CPU 0 found usable VT-x: APs enable it as they come up. */
extern bool virt_enabled;

#endif
