/* Test-and-set spinlock with interrupts disabled while held (single owner). */
#ifndef VOLT_LIB_SPINLOCK_H
#define VOLT_LIB_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT { 0 }

/* Returns the caller's RFLAGS so spin_unlock can restore IF. */
static inline uint64_t spin_lock(struct spinlock *l)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		while (l->locked)
			__asm__ volatile("pause");
	return flags;
}

static inline void spin_unlock(struct spinlock *l, uint64_t flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	if (flags & (1u << 9))
		__asm__ volatile("sti" ::: "memory");
}

#endif
