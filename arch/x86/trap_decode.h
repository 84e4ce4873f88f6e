/*
 * Names and error-code decoding for exception reports (SDM vol. 3A 6.15,
 * "Exception and Interrupt Reference"; AMD APM vol. 2 8.2 for AMD-only
 * vectors). Pure: used by traps.c and by host unit tests.
 */
#ifndef VOLT_ARCH_X86_TRAP_DECODE_H
#define VOLT_ARCH_X86_TRAP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "#PF" for an exception, "#RSV" for a reserved one, "INT" for >= 32. */
const char *trap_vector_mnemonic(unsigned vector);
/* "page fault", "reserved", "interrupt". */
const char *trap_vector_description(unsigned vector);
/* Does the CPU push an error code for this vector? */
bool trap_vector_has_error_code(unsigned vector);

/* #PF error code bits (SDM vol. 3A 4.7, figure 4-12). */
#define PF_ERR_PRESENT (1u << 0)  /* 0: page not present; 1: protection */
#define PF_ERR_WRITE (1u << 1)
#define PF_ERR_USER (1u << 2)
#define PF_ERR_RESERVED (1u << 3) /* a reserved bit set in a paging entry */
#define PF_ERR_FETCH (1u << 4)    /* instruction fetch */
#define PF_ERR_PKEY (1u << 5)
#define PF_ERR_SHADOW_STACK (1u << 6)
#define PF_ERR_SGX (1u << 15)

/* Selector error code (#TS #NP #SS #GP, SDM vol. 3A 6.13, figure 6-7). */
#define SEL_ERR_EXTERNAL (1u << 0) /* raised while delivering an event */
#define SEL_ERR_IDT (1u << 1)      /* index refers to the IDT */
#define SEL_ERR_LDT (1u << 2)      /* TI: LDT rather than GDT (if !IDT) */
#define SEL_ERR_INDEX_SHIFT 3
#define SEL_ERR_INDEX_MASK 0x1fffu

/*
 * Write a human reading of `error_code` for `vector` into buf (always
 * terminated), e.g. "not-present, write, supervisor, data" for #PF or
 * "GDT selector 0x18 (index 3)" for #GP. Writes "" when the vector has no
 * error code worth decoding. Returns the length written.
 */
size_t trap_decode_error_code(unsigned vector, uint64_t error_code, char *buf,
			      size_t size);

#endif
