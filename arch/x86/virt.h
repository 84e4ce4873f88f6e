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

#endif
