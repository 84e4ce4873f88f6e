/*
 * The scheduler's per-CPU glue: threads that the credit policy
 * (sched/credit.c) chooses between, run queues behind one lock, the
 * per-processor tick, the accounting period, wake-ups by IPI and the idle
 * path. vmm/ runs each vCPU on a thread of its own (an "entity") and
 * tells the glue when it blocks (HLT, waiting for a start-up IPI) and when
 * an event wakes it; the glue decides which entity each processor runs.
 *
 * Time is the host TSC at this interface (what vmm/ uses); the policy
 * gets nanoseconds since sched_init.
 */
#ifndef VOLT_SCHED_SCHED_H
#define VOLT_SCHED_SCHED_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/thread.h"
#include "sched/credit.h"

/* Entities are vCPU `vcpu` of domain (VM) `dom`. */
#define SCHED_MAX_DOMS 16
#define SCHED_MAX_DOM_VCPUS 8

struct sched_entity;

/* What the owner of an entity does when it leaves or regains a
 * processor (a vCPU: the backend's put/load). Called on that processor,
 * under the scheduler's lock, interrupts off. */
struct sched_entity_hooks {
	void (*switch_out)(void *owner);
	void (*switch_in)(void *owner, uint32_t cpu);
};

struct sched_entity {
	struct csched_vcpu cs;       /* the policy's view */
	struct host_thread thread;
	void (*fn)(void *);
	void *arg;
	struct sched_entity_hooks hooks;
	void *owner;
	uint64_t wake_at;            /* blocked with a timeout (TSC) */
	bool wake_pending;           /* woken while not (yet) blocked */
	bool live;                   /* spawned, not exited */
	uint32_t dom;                /* its domain (VM) */
	uint64_t cap_noted;          /* capacity_ns booked per processor */
};

struct sched_settings {
	uint64_t tslice_us, tick_us, ratelimit_us;
	uint64_t stat_period_us;     /* STAT lines; 0 = none */
};

/* CPU 0, once, before any entity: the processors that schedule are
 * 0..ncpus-1. */
void sched_init(const struct sched_settings *s, uint32_t ncpus);

/* The host TSC at which the scheduler's clock (STAT t_ms) reads 0. */
uint64_t sched_clock_origin(void);

/* A VM's scheduling parameters (checked by the config parser). */
void sched_dom_setup(uint32_t dom, uint32_t weight, uint32_t cap,
		     enum csched_mode mode);
/* The VM is gone for good: forget its domain (no entity of it left). */
void sched_dom_remove(uint32_t dom);
uint32_t sched_dom_credit_pct(uint32_t dom);

/* Stacks for vCPU `vcpu` of VM `dom`, allocated once and kept (VM
 * restarts reuse them): call before measuring free memory. */
void sched_prepare_stacks(uint32_t dom, uint32_t vcpus);

/* Start fn(arg) as vCPU `vcpu` of `dom`, runnable on the CPUs of
 * `affinity`. When fn returns the thread ends. */
struct sched_entity *sched_spawn(uint32_t dom, uint32_t vcpu,
				 void (*fn)(void *), void *arg, void *owner,
				 const struct sched_entity_hooks *hooks,
				 uint64_t affinity);

/* The running entity blocks until sched_wake or host TSC `until`
 * (UINT64_MAX: no timeout). Returns at once if a wake came since the last
 * block. */
void sched_block(uint64_t until);
/* Make a blocked entity runnable (from any processor). */
void sched_wake(struct sched_entity *e);

/* After each VM exit: a cheap check, then, when the slice ended, a tick
 * is due or a more urgent entity waits, reschedule. */
void sched_preempt_point(void);
/* Host TSC by which the running entity must come back to the scheduler
 * (slice end, tick, timers of entities blocked on this processor). */
uint64_t sched_run_until(void);

/* This processor's scheduling loop (its boot thread is the idle thread).
 * Returns when done() is true (CPU 0, once every VM ended); never on the
 * others (done NULL). */
void sched_cpu_loop(bool (*done)(void));

/* The PM layer's one callback: processor `cpu` now runs at f_cur_khz of
 * f_max_khz (the DVFS-aware mode charges capacity, not time). Until
 * P-states exist every processor is at its maximum. */
void sched_set_cpu_freq(uint32_t cpu, uint32_t f_cur_khz, uint32_t f_max_khz);

/* The capacity (ns x f/f_max) each domain used on each processor so
 * far, and each processor's busy time: what energy is split by. */
void sched_capacities(uint64_t cpu_capacity[CSCHED_MAX_CPUS][SCHED_MAX_DOMS],
		      uint64_t busy_ns[CSCHED_MAX_CPUS]);

/* The console table: every entity and processor. */
void sched_print_table(void);

#endif
