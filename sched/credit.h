/*
 * The credit scheduler's policy: Xen's credit1 semantics (weights, caps,
 * BOOST > UNDER > OVER > IDLE, accounting every time slice) with three
 * modes from the seed report (docs/scheduler.md):
 *
 *   variable  work-conserving: a VM takes what others leave unused
 *             (a cap still limits it when one is set);
 *   fixed     a VM gets at most its credit, even on an idle machine: its
 *             cap, or, without one, its weight's share of the processors;
 *   dvfs      as fixed, but credit is capacity at the maximum frequency:
 *             running for t ns at f_cur costs t x f_cur / f_max, so a VM
 *             promised 30% keeps 30% of max-frequency capacity when the
 *             frequency drops (the seed's RC = credit x freq).
 *
 * Pure C: no hardware, no locks, no allocation. Time (ns), frequency and
 * the choice of CPU come in as arguments; the caller (sched/sched.c, the
 * per-CPU glue; tools/sim; the unit tests) owns every structure and
 * serializes calls with one lock. Xen's credit1
 * (xen/common/sched/credit.c) is the reference for the semantics, not
 * for the code.
 */
#ifndef VOLT_SCHED_CREDIT_H
#define VOLT_SCHED_CREDIT_H

#include <stdbool.h>
#include <stdint.h>

#define CSCHED_MAX_CPUS 64
#define CSCHED_CREDITS_PER_MS 10
#define CSCHED_WEIGHT_DEFAULT 256
#define CSCHED_WEIGHT_MAX 65535

/* Intrusive doubly linked list (runqueues, a domain's active vCPUs). */
struct csched_link {
	struct csched_link *prev, *next;
};

enum csched_mode {
	CSCHED_MODE_VARIABLE = 0,
	CSCHED_MODE_FIXED,
	CSCHED_MODE_DVFS,
};

/* Higher runs first (Xen's values). */
enum csched_pri {
	CSCHED_PRI_IDLE = -64,
	CSCHED_PRI_OVER = -2,
	CSCHED_PRI_UNDER = -1,
	CSCHED_PRI_BOOST = 0,
};

enum csched_state {
	CSCHED_BLOCKED = 0, /* waiting for an event (HLT, SIPI): not queued */
	CSCHED_RUNNABLE,    /* on its CPU's runqueue */
	CSCHED_RUNNING,     /* current on cpu */
	CSCHED_PARKED,      /* runnable but over its cap: off the queues
			     * until accounting gives it positive credit */
};

struct csched_params {
	uint64_t tslice_ns;    /* default 30 ms; also the accounting period */
	uint64_t tick_ns;      /* default 10 ms */
	uint64_t ratelimit_ns; /* default 1 ms; 0 = none */
};

/* A VM ("domain" in Xen). */
struct csched_dom {
	uint32_t id;
	uint32_t weight;       /* 1-65535 */
	uint32_t cap;          /* percent of one CPU; 0 = none */
	enum csched_mode mode;
	uint32_t vcpu_count;   /* vCPUs added */
	/* Private to credit.c. */
	struct csched_link active;  /* its vCPUs that earn credit */
	uint32_t active_count;
	bool is_active;             /* on the scheduler's active-dom list */
	struct csched_link active_link;
	struct csched_link all_link; /* on the scheduler's list of all doms */
	uint64_t runtime_ns;        /* all its vCPUs, ever */
	uint64_t capacity_ns;       /* the same x f_cur/f_max */
};

struct csched_vcpu {
	struct csched_dom *dom;
	uint32_t id;              /* within its domain */
	void *owner;              /* the caller's vCPU */
	uint64_t affinity;        /* CPUs it may run on (bit i = CPU i) */
	/* Read-only for the caller. */
	enum csched_state state;
	enum csched_pri pri;
	uint32_t cpu;             /* where it runs or is queued or last ran */
	int32_t credit;
	uint64_t runtime_ns;      /* total time run */
	uint64_t capacity_ns;     /* runtime x f_cur/f_max */
	uint64_t wakeups;         /* woken from BLOCKED */
	uint64_t wake_latency_sum_ns; /* wake -> start of run */
	uint64_t wake_latency_max_ns;
	uint64_t migrations;      /* started on another CPU than last time */
	uint64_t parks;           /* times parked by its cap */
	/* Private to credit.c. */
	struct csched_link runq_link; /* self-linked when not queued */
	struct csched_link active_link;
	bool is_active;           /* earning credit (on dom->active) */
	bool wake_pending;        /* woken, has not run since */
	uint32_t ran_on;          /* CPU it last ran on; UINT32_MAX: never */
	uint64_t charged_until;   /* time up to which it has been charged */
	uint64_t residual;        /* charged ns not yet a whole credit */
	uint64_t freq_residual;   /* ns x kHz remainder of the f scaling */
	uint64_t woken_at;        /* valid while wake_pending */
	uint64_t run_start;       /* when it became RUNNING */
};

struct csched_pcpu {
	/* Read-only for the caller. */
	struct csched_vcpu *curr;  /* NULL: idle */
	uint64_t busy_ns, idle_ns;
	uint32_t f_cur_khz, f_max_khz; /* 0/0 = at max frequency */
	/* Private to credit.c. */
	struct csched_link runq;
	uint64_t since;            /* start of the current busy/idle stretch */
	bool online;
};

struct csched {
	struct csched_params p;
	struct csched_pcpu cpus[CSCHED_MAX_CPUS];
	uint32_t ncpus;
	/* Private to credit.c. */
	struct csched_link active_doms; /* doms with an active vCPU */
	struct csched_link all_doms;    /* every dom added (credit_pct) */
	uint64_t last_acct;
};

/* What pick_next decided for one CPU. */
struct csched_decision {
	struct csched_vcpu *next;  /* NULL: run the idle path */
	uint64_t run_until;        /* come back no later than this (ns) */
	bool migrated;             /* next last ran on another CPU */
};

void csched_init(struct csched *s, const struct csched_params *p,
		 uint32_t ncpus, uint64_t now);

/* A domain and its vCPUs. weight 1-65535 and cap <= 100 x vCPUs are the
 * caller's to check (config errors); out-of-range values are clamped. */
void csched_dom_init(struct csched *s, struct csched_dom *d, uint32_t id,
		     uint32_t weight, uint32_t cap, enum csched_mode mode);
void csched_dom_remove(struct csched *s, struct csched_dom *d);
/* Added BLOCKED on `cpu` (which must be in `affinity`); wake it to run. */
void csched_vcpu_add(struct csched *s, struct csched_vcpu *v,
		     struct csched_dom *d, uint32_t id, void *owner,
		     uint64_t affinity, uint32_t cpu, uint64_t now);
/* v must not be RUNNING (it blocked first, or was never woken). */
void csched_vcpu_remove(struct csched *s, struct csched_vcpu *v);

/*
 * v becomes runnable (from BLOCKED; no effect otherwise). It gets BOOST
 * if its credit is not negative (UNDER) and is queued on its CPU or an
 * idle one it may run on. Returns the CPU that should reschedule now (an
 * idle CPU, or one running a lower-priority vCPU), or -1.
 */
int csched_wake(struct csched *s, struct csched_vcpu *v, uint64_t now);

/* The running vCPU v blocks (HLT, waiting for SIPI): charged up to now,
 * BLOCKED. The caller then calls csched_pick_next for its CPU. */
void csched_block(struct csched *s, struct csched_vcpu *v, uint64_t now);

/*
 * Choose what `cpu` runs next. The current vCPU, if still RUNNING, is
 * charged up to now and goes back on the queue (or keeps running: rate
 * limit, or nothing better). Looks at the local queue, then steals a
 * BOOST/UNDER vCPU from another CPU's queue (affinity permitting) when
 * the local best is OVER or the CPU would idle. Parks capped vCPUs with
 * negative credit.
 */
void csched_pick_next(struct csched *s, uint32_t cpu, uint64_t now,
		      struct csched_decision *d);

/* Every tick_ns on a busy CPU: charge the current vCPU up to now, end
 * its boost, park it if capped and out of credit. True: reschedule. */
bool csched_tick(struct csched *s, uint32_t cpu, uint64_t now);

/* Every tslice_ns, on one CPU: hand out credit by weight among active
 * domains (caps, ceiling and floor as credit1), unpark vCPUs whose credit
 * is positive again. Returns a bitmask of CPUs that should reschedule. */
uint64_t csched_account(struct csched *s, uint64_t now);

/* The frequency of `cpu` changed (the PM layer's callback). Charges its
 * current vCPU up to now at the old frequency first. */
void csched_set_freq(struct csched *s, uint32_t cpu, uint32_t f_cur_khz,
		     uint32_t f_max_khz, uint64_t now);

/* The credit a domain is promised, in percent of one processor at the
 * maximum frequency: its cap, or its weight's share of all processors. */
uint32_t csched_dom_credit_pct(const struct csched *s,
			       const struct csched_dom *d);

/* Bring busy/idle times and the current vCPU's charge up to `now` (for
 * reports; changes no decision). */
void csched_sync(struct csched *s, uint64_t now);

#endif
