/*
 * The scheduler's per-CPU glue (sched.h): host threads chosen by the
 * credit policy.
 *
 * One lock serializes the policy's state (credit1 has one per run queue
 * plus a global one; with at most 64 processors and scheduling decisions
 * only at ticks, slice ends, blocks and wakes, one lock is simpler and
 * cheap). The lock is held across a thread switch and released by the
 * thread that runs next, so no other processor can pick the old thread
 * before its registers are saved on its stack.
 *
 * Each processor comes back to the scheduler at the earliest of: the end
 * of the running entity's slice, its next tick, the next accounting
 * period, and the timeout of any entity blocked on it. The backend arms
 * the VMX-preemption timer for this (vcpu.run_until).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/idle.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/serial.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"
#include "lib/spinlock.h"
#include "lib/string.h"
#include "pm/pm.h"
#include "sched/credit_report.h"
#include "sched/sched.h"
#include "sched/sched_ops.h"

#define NEVER UINT64_MAX
#define STACK_PAGES 8 /* per vCPU thread: the run loop, exit handlers,
		       * decoder and printk buffers */

struct sched_pcpu {
	struct host_thread idle;     /* the processor's boot thread */
	struct sched_entity *curr;   /* NULL: the idle thread runs */
	uint64_t next_tick;          /* ns */
	uint64_t slice_end;          /* ns */
	uint64_t come_back;          /* TSC: the preempt point's fast check */
	volatile bool need_resched;
	uint64_t next_sample;        /* ns: the PM governor's next look */
	uint64_t duty_start;         /* ns: this duty period's start */
};

/* The modeled P-state driver slows a processor by running guests only
 * f/f_max of every period of this length and stalling the rest. */
#define DUTY_PERIOD_NS 1000000ull

/* The policy: the credit scheduler; another one plugs in here. */
static const struct sched_ops *const ops = &credit_sched_ops;
static struct spinlock lock = SPINLOCK_INIT;
static struct csched policy;
static struct csched_dom doms[SCHED_MAX_DOMS];
static struct sched_entity entities[SCHED_MAX_DOMS][SCHED_MAX_DOM_VCPUS];
static uint64_t stacks[SCHED_MAX_DOMS][SCHED_MAX_DOM_VCPUS];
static struct sched_pcpu pcpus[CSCHED_MAX_CPUS];
static uint32_t ncpus;
static uint64_t tsc0;             /* TSC at sched_init: policy time 0 */
static uint64_t next_acct;        /* ns */
static uint64_t stat_period, next_stat; /* ns; 0 = no STAT lines */
static uint32_t next_cpu;         /* round-robin placement of new threads */
/* Capacity each domain used on each processor (energy attribution). */
static uint64_t cpu_dom_capacity[CSCHED_MAX_CPUS][SCHED_MAX_DOMS];
_Static_assert(SCHED_MAX_DOMS == PM_MAX_VMS, "one energy account per VM");

/* Book what `e` used on `cpu` since the last note (it was charged up to
 * now by the policy just before). */
static void note_capacity(uint32_t cpu, struct sched_entity *e)
{
	cpu_dom_capacity[cpu][e->dom] += e->cs.capacity_ns - e->cap_noted;
	e->cap_noted = e->cs.capacity_ns;
}

static uint64_t now_ns(void)
{
	return tsc_ticks_to_ns(rdtsc() - tsc0);
}

static uint64_t ns_to_tsc(uint64_t ns)
{
	return ns == NEVER ? NEVER : tsc0 + tsc_ns_to_ticks(ns);
}

static uint64_t tsc_to_ns(uint64_t tsc)
{
	if (tsc == NEVER)
		return NEVER;
	return tsc > tsc0 ? tsc_ticks_to_ns(tsc - tsc0) : 0;
}

static uint64_t min64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static struct sched_pcpu *this_pcpu(void)
{
	return &pcpus[this_cpu()->index];
}

void sched_init(const struct sched_settings *s, uint32_t cpu_total)
{
	struct csched_params p = {
		.tslice_ns = s->tslice_us * 1000,
		.tick_ns = s->tick_us * 1000,
		.ratelimit_ns = s->ratelimit_us * 1000,
	};
	const char *missing = sched_ops_missing(ops);
	if (missing)
		panic("sched: the %s policy lacks the '%s' operation", ops->name,
		      missing);
	ncpus = cpu_total < CSCHED_MAX_CPUS ? cpu_total : CSCHED_MAX_CPUS;
	tsc0 = rdtsc();
	ops->init(&policy, &p, ncpus, 0);
	next_acct = p.tslice_ns;
	stat_period = s->stat_period_us * 1000;
	next_stat = stat_period;
	for (uint32_t i = 0; i < ncpus; i++)
		pcpus[i] = (struct sched_pcpu){ .next_tick = p.tick_ns,
						.come_back = NEVER };
}

void sched_dom_setup(uint32_t dom, uint32_t weight, uint32_t cap,
		     enum csched_mode mode)
{
	uint64_t f = spin_lock(&lock);
	ops->dom_init(&policy, &doms[dom % SCHED_MAX_DOMS], dom, weight,
			cap, mode);
	spin_unlock(&lock, f);
}

void sched_dom_remove(uint32_t dom)
{
	uint64_t f = spin_lock(&lock);
	ops->dom_remove(&policy, &doms[dom % SCHED_MAX_DOMS]);
	spin_unlock(&lock, f);
}

uint32_t sched_dom_credit_pct(uint32_t dom)
{
	uint64_t f = spin_lock(&lock);
	uint32_t pct = ops->dom_credit_pct(&policy,
					     &doms[dom % SCHED_MAX_DOMS]);
	spin_unlock(&lock, f);
	return pct;
}

void sched_prepare_stacks(uint32_t dom, uint32_t vcpus)
{
	for (uint32_t i = 0; i < vcpus && i < SCHED_MAX_DOM_VCPUS; i++)
		if (!stacks[dom % SCHED_MAX_DOMS][i])
			stacks[dom % SCHED_MAX_DOMS][i] =
				stack_alloc(STACK_PAGES);
}

/* ---- switching ------------------------------------------------------------ */

/* Ask `cpu` to reschedule: a kick brings it out of a guest or HLT. */
static void tickle(uint32_t cpu)
{
	pcpus[cpu].need_resched = true;
	if (cpu != this_cpu()->index)
		smp_kick(cpu);
}

static void tickle_mask(uint64_t mask)
{
	for (uint32_t c = 0; c < ncpus; c++)
		if (mask & (1ull << c))
			tickle(c);
}

/* The earliest timeout of an entity blocked on `cpu`, in ns. */
static uint64_t earliest_timeout(uint32_t cpu)
{
	uint64_t t = NEVER;
	for (uint32_t d = 0; d < SCHED_MAX_DOMS; d++)
		for (uint32_t i = 0; i < SCHED_MAX_DOM_VCPUS; i++) {
			struct sched_entity *e = &entities[d][i];
			if (e->live && e->cs.state == CSCHED_BLOCKED &&
			    e->cs.cpu == cpu)
				t = min64(t, tsc_to_ns(e->wake_at));
		}
	return t;
}

/* When the running entity must be back, for the preempt point and the
 * backend's preemption timer. */
static void set_come_back(struct sched_pcpu *pc, uint32_t cpu)
{
	uint64_t t = min64(pc->slice_end, pc->next_tick);
	t = min64(t, next_acct);
	t = min64(t, earliest_timeout(cpu));
	if (stat_period)
		t = min64(t, next_stat);
	t = min64(t, pc->next_sample);
	if (pc->curr) {
		uint64_t on = pm_duty_on_ns(cpu, DUTY_PERIOD_NS);
		if (on)
			t = min64(t, pc->duty_start + on);
	}
	pc->come_back = ns_to_tsc(t);
}

/*
 * Switch this processor to what the policy picks. Called and returns with
 * the lock held; in between, other threads run, and this one may come
 * back on another processor (it re-reads where it is).
 */
static void schedule_locked(uint64_t now)
{
	uint32_t cpu = this_cpu()->index;
	struct sched_pcpu *pc = &pcpus[cpu];
	struct csched_decision d;

	ops->pick_next(&policy, cpu, now, &d);
	pc->need_resched = false;
	pc->slice_end = d.run_until;
	struct sched_entity *prev = pc->curr;
	struct sched_entity *next = d.next ? d.next->owner : NULL;
	if (next && !prev)
		pc->next_tick = now + policy.p.tick_ns; /* busy again */
	if (next == prev) {
		set_come_back(pc, cpu);
		return;
	}
	if (prev)
		note_capacity(cpu, prev);
	if (prev && prev->hooks.switch_out)
		prev->hooks.switch_out(prev->owner);
	pc->curr = next;
	thread_switch(prev ? &prev->thread : &pc->idle,
		      next ? &next->thread : &pc->idle);
	/* Running again, here or elsewhere. */
	cpu = this_cpu()->index;
	pc = &pcpus[cpu];
	if (prev) {
		prev->wake_pending = false;
		set_come_back(pc, cpu);
		if (prev->hooks.switch_in)
			prev->hooks.switch_in(prev->owner, cpu);
	}
}

/* ---- time ----------------------------------------------------------------- */

static void wake_locked(struct sched_entity *e, uint64_t now)
{
	e->wake_at = NEVER;
	int cpu = ops->wake(&policy, &e->cs, now);
	if (cpu >= 0)
		tickle((uint32_t)cpu);
}

static void expire_timeouts(uint32_t cpu, uint64_t now)
{
	for (uint32_t d = 0; d < SCHED_MAX_DOMS; d++)
		for (uint32_t i = 0; i < SCHED_MAX_DOM_VCPUS; i++) {
			struct sched_entity *e = &entities[d][i];
			if (e->live && e->cs.state == CSCHED_BLOCKED &&
			    e->cs.cpu == cpu && tsc_to_ns(e->wake_at) <= now)
				wake_locked(e, now);
		}
}

static char stat_line[4096], pm_line[4096];
/* The two buffers belong to one processor from formatting (under the
 * lock) to printing (after it); a period that finds them still being
 * printed is skipped (its numbers go into the next line). */
static bool stat_buffers_busy;

/* The console table on request: typing `s` on the serial console. CPU 0
 * looks at every tick; the table is printed after the lock is let go. */
#define TABLE_KEY 's'
static bool table_requested;

static void poll_console(uint32_t cpu)
{
	if (cpu == 0 && serial_getc_nowait() == TABLE_KEY)
		table_requested = true;
}

/* A STAT line for tools/ (credit_report.c): formatted under the lock,
 * printed by the caller after it. */
static bool format_stat(uint64_t now)
{
	struct csched_vcpu *list[SCHED_MAX_DOMS * SCHED_MAX_DOM_VCPUS];
	size_t n = 0;
	for (uint32_t d = 0; d < SCHED_MAX_DOMS; d++)
		for (uint32_t i = 0; i < SCHED_MAX_DOM_VCPUS; i++)
			if (entities[d][i].live)
				list[n++] = &entities[d][i].cs;
	ops->sync(&policy, now);
	uint64_t busy[CSCHED_MAX_CPUS];
	for (uint32_t c = 0; c < ncpus; c++) {
		busy[c] = policy.cpus[c].busy_ns;
		if (pcpus[c].curr)
			note_capacity(c, pcpus[c].curr);
	}
	if (pm_period_line(now, busy,
			   (const uint64_t (*)[PM_MAX_VMS])cpu_dom_capacity,
			   pm_line, sizeof(pm_line)) < 0)
		pm_line[0] = 0;
	return csched_format_stat(&policy, list, n, now, stat_line,
				  sizeof(stat_line)) > 0;
}

/* The PM governor's sample of this processor: its busy time goes in,
 * a new frequency may come out, which the policy charges from now on. */
static void sample_pm(uint32_t cpu, uint64_t now)
{
	struct sched_pcpu *pc = &pcpus[cpu];
	uint32_t f_cur, f_max;
	pc->next_sample = now + pm_sampling_ns();
	ops->sync(&policy, now);
	if (pm_sample(cpu, now, policy.cpus[cpu].busy_ns, &f_cur, &f_max)) {
		ops->set_freq(&policy, cpu, f_cur, f_max, now);
		pc->need_resched = true; /* run_until was for the old one */
	}
}

/* Ticks, accounting and timeouts that are due. Returns whether a STAT
 * line waits in stat_line. */
static bool run_timers_locked(uint32_t cpu, uint64_t now)
{
	struct sched_pcpu *pc = &pcpus[cpu];
	bool stat = false;
	if (pc->curr && now >= pc->next_tick) {
		if (ops->tick(&policy, cpu, now))
			pc->need_resched = true;
		pc->next_tick = now + policy.p.tick_ns;
	}
	poll_console(cpu);
	if (now >= next_acct) {
		next_acct = now + policy.p.tslice_ns;
		tickle_mask(ops->account(&policy, now));
	}
	if (stat_period && now >= next_stat) {
		next_stat = now + stat_period;
		if (!__atomic_exchange_n(&stat_buffers_busy, true,
					 __ATOMIC_ACQUIRE)) {
			stat = format_stat(now);
			if (!stat)
				__atomic_store_n(&stat_buffers_busy, false,
						 __ATOMIC_RELEASE);
		}
	}
	if (now >= pc->next_sample)
		sample_pm(cpu, now);
	expire_timeouts(cpu, now);
	if (now >= pc->slice_end)
		pc->need_resched = true;
	return stat;
}

static void print_stat(bool stat)
{
	if (table_requested) {
		table_requested = false;
		sched_print_table();
	}
	if (!stat)
		return;
	console_write_line(stat_line, strlen(stat_line));
	if (pm_line[0])
		console_write_line(pm_line, strlen(pm_line));
	__atomic_store_n(&stat_buffers_busy, false, __ATOMIC_RELEASE);
}

/* ---- the interface -------------------------------------------------------- */

/*
 * The modeled driver at f < f_max: the running vCPU has had its f/f_max
 * of this duty period; the processor stalls (HLT) for the rest, the vCPU
 * still current and charged, as a slower processor would be. Returns
 * the TSC to stall until, or 0.
 */
static uint64_t duty_stall(struct sched_pcpu *pc, uint32_t cpu, uint64_t now)
{
	uint64_t on = pm_duty_on_ns(cpu, DUTY_PERIOD_NS);
	if (!on || !pc->curr)
		return 0;
	if (now >= pc->duty_start + DUTY_PERIOD_NS) {
		pc->duty_start = now; /* a new period */
		return 0;
	}
	if (now < pc->duty_start + on)
		return 0;
	return ns_to_tsc(pc->duty_start + DUTY_PERIOD_NS);
}

void sched_preempt_point(void)
{
	struct sched_pcpu *pc = this_pcpu();
	if (!pc->need_resched && rdtsc() < pc->come_back)
		return;
	uint64_t f = spin_lock(&lock);
	uint64_t now = now_ns();
	uint32_t cpu = this_cpu()->index;
	bool stat = run_timers_locked(cpu, now);
	uint64_t stall = 0;
	if (pcpus[cpu].need_resched)
		schedule_locked(now);
	else
		stall = duty_stall(&pcpus[cpu], cpu, now);
	cpu = this_cpu()->index;
	if (stall)
		pcpus[cpu].come_back = stall;
	else
		set_come_back(&pcpus[cpu], cpu);
	spin_unlock(&lock, f);
	print_stat(stat);
	/* A kick (need_resched) ends the stall early: the next exit's
	 * preempt point reschedules, and the stall resumes after. */
	if (stall)
		cpu_idle_halt(stall);
}

uint64_t sched_clock_origin(void)
{
	return tsc0;
}

uint64_t sched_run_until(void)
{
	return this_pcpu()->come_back;
}

void sched_block(uint64_t until)
{
	uint64_t f = spin_lock(&lock);
	struct sched_entity *me = this_pcpu()->curr;
	if (me->wake_pending) {
		me->wake_pending = false;
		spin_unlock(&lock, f);
		return;
	}
	uint64_t now = now_ns();
	me->wake_at = until;
	ops->sleep(&policy, &me->cs, now);
	schedule_locked(now);
	spin_unlock(&lock, f);
}

void sched_wake(struct sched_entity *e)
{
	uint64_t f = spin_lock(&lock);
	if (e->live && e->cs.state == CSCHED_BLOCKED)
		wake_locked(e, now_ns());
	else
		e->wake_pending = true;
	spin_unlock(&lock, f);
}

/* A thread's end: off the policy's books, onto whatever runs next. Its
 * stack stays reserved for the next thread of this slot. */
static void __attribute__((noreturn)) exit_locked(struct sched_entity *me)
{
	uint32_t cpu = this_cpu()->index;
	struct sched_pcpu *pc = &pcpus[cpu];
	uint64_t now = now_ns();
	struct csched_decision d;

	ops->sleep(&policy, &me->cs, now);
	note_capacity(cpu, me);
	ops->pick_next(&policy, cpu, now, &d);
	ops->vcpu_remove(&policy, &me->cs);
	me->live = false;
	pc->need_resched = false;
	pc->slice_end = d.run_until;
	struct sched_entity *next = d.next ? d.next->owner : NULL;
	pc->curr = next;
	thread_switch(&me->thread, next ? &next->thread : &pc->idle);
	panic("sched: an ended thread ran again");
}

/* Every thread starts here, holding the lock its starter switched with. */
static void thread_main(void *arg)
{
	struct sched_entity *me = arg;
	uint32_t cpu = this_cpu()->index;
	me->wake_pending = false;
	set_come_back(&pcpus[cpu], cpu);
	if (me->hooks.switch_in)
		me->hooks.switch_in(me->owner, cpu);
	spin_unlock(&lock, 0);
	me->fn(me->arg);
	spin_lock(&lock);
	exit_locked(me);
}

static uint32_t place(uint64_t affinity)
{
	for (uint32_t tries = 0; tries < ncpus; tries++) {
		uint32_t c = next_cpu;
		next_cpu = next_cpu + 1 < ncpus ? next_cpu + 1 : 0;
		if (affinity & (1ull << c))
			return c;
	}
	return 0;
}

struct sched_entity *sched_spawn(uint32_t dom, uint32_t vcpu,
				 void (*fn)(void *), void *arg, void *owner,
				 const struct sched_entity_hooks *hooks,
				 uint64_t affinity)
{
	struct sched_entity *e = &entities[dom % SCHED_MAX_DOMS][vcpu];
	uint64_t all = ncpus >= 64 ? ~0ull : (1ull << ncpus) - 1;
	affinity &= all;
	if (!affinity)
		affinity = all;
	sched_prepare_stacks(dom, vcpu + 1);
	uint64_t f = spin_lock(&lock);
	if (e->live)
		panic("sched: vCPU %u of VM %u spawned twice", vcpu, dom);
	memset(e, 0, sizeof(*e));
	e->fn = fn;
	e->arg = arg;
	e->owner = owner;
	if (hooks)
		e->hooks = *hooks;
	e->wake_at = NEVER;
	e->live = true;
	e->dom = dom % SCHED_MAX_DOMS;
	/* thread_main's argument is the entity, its owner's is `arg`. */
	thread_prepare(&e->thread, stacks[dom % SCHED_MAX_DOMS][vcpu],
		       thread_main, e);
	uint64_t now = now_ns();
	ops->vcpu_add(&policy, &e->cs, &doms[dom % SCHED_MAX_DOMS], vcpu, e,
			affinity, place(affinity), now);
	wake_locked(e, now);
	spin_unlock(&lock, f);
	return e;
}

/* The idle path: nothing to run until `until` (ns). The idle governor
 * picks the C-state (pm/pm.c). */
static void idle_until(uint32_t cpu, uint64_t until)
{
	pm_idle(cpu, ns_to_tsc(until), &pcpus[cpu].need_resched);
}

void sched_cpu_loop(bool (*done)(void))
{
	for (;;) {
		uint64_t f = spin_lock(&lock);
		uint32_t cpu = this_cpu()->index;
		uint64_t now = now_ns();
		bool stat = run_timers_locked(cpu, now);
		if (done && done()) {
			spin_unlock(&lock, f);
			print_stat(stat);
			return;
		}
		schedule_locked(now);
		/* Idle: wake for a timeout here, accounting, or to look for
		 * work to steal once per slice. */
		now = now_ns();
		uint64_t until = min64(earliest_timeout(cpu), next_acct);
		until = min64(until, now + policy.p.tslice_ns);
		until = min64(until, pcpus[cpu].next_sample);
		bool resched = pcpus[cpu].need_resched;
		spin_unlock(&lock, f);
		print_stat(stat);
		if (!resched)
			idle_until(cpu, until);
	}
}

void sched_set_cpu_freq(uint32_t cpu, uint32_t f_cur_khz, uint32_t f_max_khz)
{
	if (cpu >= ncpus)
		return;
	uint64_t f = spin_lock(&lock);
	ops->set_freq(&policy, cpu, f_cur_khz, f_max_khz, now_ns());
	spin_unlock(&lock, f);
}

void sched_capacities(uint64_t cpu_capacity[CSCHED_MAX_CPUS][SCHED_MAX_DOMS],
		      uint64_t busy_ns[CSCHED_MAX_CPUS])
{
	uint64_t f = spin_lock(&lock);
	ops->sync(&policy, now_ns());
	for (uint32_t c = 0; c < CSCHED_MAX_CPUS; c++) {
		busy_ns[c] = c < ncpus ? policy.cpus[c].busy_ns : 0;
		if (c < ncpus && pcpus[c].curr)
			note_capacity(c, pcpus[c].curr);
		for (uint32_t d = 0; d < SCHED_MAX_DOMS; d++)
			cpu_capacity[c][d] = cpu_dom_capacity[c][d];
	}
	spin_unlock(&lock, f);
}

void sched_print_table(void)
{
	static char table[8192];
	struct csched_vcpu *list[SCHED_MAX_DOMS * SCHED_MAX_DOM_VCPUS];
	size_t n = 0;
	uint64_t f = spin_lock(&lock);
	for (uint32_t d = 0; d < SCHED_MAX_DOMS; d++)
		for (uint32_t i = 0; i < SCHED_MAX_DOM_VCPUS; i++)
			if (entities[d][i].cs.dom)
				list[n++] = &entities[d][i].cs;
	uint64_t now = now_ns();
	ops->sync(&policy, now);
	int len = csched_format_table(&policy, list, n, now, table,
				      sizeof(table));
	spin_unlock(&lock, f);
	/* A line at a time: printk's buffer is one line. */
	for (char *line = table; len > 0 && *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		printk("%s\n", line);
		line = end ? end + 1 : line + strlen(line);
	}
}
