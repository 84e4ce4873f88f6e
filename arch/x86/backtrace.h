/*
 * Walking the frame-pointer chain (System V AMD64 ABI 3.2.2: with
 * -fno-omit-frame-pointer, every function pushes RBP and points RBP at it,
 * so [rbp] is the caller's RBP and [rbp + 8] the return address).
 *
 * Pure: the walker only reads memory inside the stack range it is given, so
 * it is safe on a corrupted stack and runs in host unit tests on a fake one.
 */
#ifndef VOLT_ARCH_X86_BACKTRACE_H
#define VOLT_ARCH_X86_BACKTRACE_H

#include <stdbool.h>
#include <stdint.h>

#define BACKTRACE_MAX_DEPTH 16

/* Why a walk ended. */
enum backtrace_stop {
	BACKTRACE_END,          /* null frame pointer or return address: done */
	BACKTRACE_MISALIGNED,   /* frame pointer not 8-byte aligned */
	BACKTRACE_NONCANONICAL, /* frame pointer not a canonical address */
	BACKTRACE_OFF_STACK,    /* frame outside [lo, hi) */
	BACKTRACE_NOT_UPWARD,   /* caller's frame not above this one: a loop */
	BACKTRACE_TOO_DEEP,     /* BACKTRACE_MAX_DEPTH return addresses found */
};

struct backtrace {
	uint64_t ret[BACKTRACE_MAX_DEPTH]; /* return addresses, innermost first */
	unsigned depth;
	enum backtrace_stop stop;
};

/*
 * Walk the chain starting at frame pointer rbp. A frame (the 16 bytes at
 * rbp) is read only when it lies entirely inside the stack [lo, hi).
 */
void backtrace_walk(uint64_t rbp, uint64_t lo, uint64_t hi,
		    struct backtrace *bt);

/* A short phrase for the report, e.g. "frame pointer outside the stack". */
const char *backtrace_stop_reason(enum backtrace_stop stop);

/* 48-bit canonical: bits 63..47 all equal (SDM vol. 1 3.3.7.1). */
bool address_is_canonical(uint64_t a);

#endif
