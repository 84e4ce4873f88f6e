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

static inline uint64_t read_flags_and_cli(void)
{
	uint64_t flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags)::"memory");
	return flags;
}

static inline void restore_flags(uint64_t flags)
{
	if (flags & (1u << 9))
		__asm__ volatile("sti" ::: "memory");
}

/* Try to take the lock for at most `spins` iterations; true if taken. */
static inline _Bool spin_trylock_bounded(struct spinlock *l, uint32_t spins)
{
	for (uint32_t i = 0; i < spins; i++) {
		if (!l->locked &&
		    !__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
			return 1;
		__asm__ volatile("pause");
	}
	return 0;
}

static inline void spin_unlock(struct spinlock *l, uint64_t flags)
{
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
	if (flags & (1u << 9))
		__asm__ volatile("sti" ::: "memory");
}

#endif
