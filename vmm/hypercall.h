/*
 * The hypercall ABI for Volt's test guests: VMCALL with the function in
 * RAX and arguments in RBX, RCX. Result in RAX (0 = done, -1 = refused).
 * Real-mode guests use the low 32 bits of each register.
 */
#ifndef VOLT_VMM_HYPERCALL_H
#define VOLT_VMM_HYPERCALL_H

#define HC_PRINT 1  /* RBX = guest-physical address, RCX = length (<= 256) */
#define HC_RESULT 2 /* RBX = test number, RCX = 0 pass, anything else fail */
#define HC_EXIT 3   /* RBX = exit status: the VM stops */
#define HC_VALUE 4  /* RBX = address of a NUL-terminated name (<= 32), RCX = value */
#define HC_NOP 5    /* does nothing: measures the bare VMCALL round trip */
#define HC_TIMER 6  /* RBX = microseconds, RCX = vector: one interrupt then */

#define HC_PRINT_MAX 256
#define HC_NAME_MAX 32

#endif
