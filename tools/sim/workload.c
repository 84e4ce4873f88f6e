/* Simulated VM workloads (see workload.h). */
#include "tools/sim/workload.h"

/* xorshift32 (Marsaglia 2003): fixed seeds, same runs everywhere. */
static uint32_t next_random(uint32_t *s)
{
	uint32_t x = *s;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*s = x;
	return x;
}

static uint64_t interarrival(struct sim_workload *w)
{
	uint32_t j = w->p.jitter_pm > 1000 ? 1000 : w->p.jitter_pm;
	uint32_t pm = 1000 - j + next_random(&w->rng) % (2 * j + 1);
	uint64_t t = w->p.period_ns * pm / 1000;
	return t ? t : 1;
}

void sim_workload_init(struct sim_workload *w,
		       const struct sim_workload_params *p, uint64_t now)
{
	*w = (struct sim_workload){ .p = *p };
	w->rng = p->seed ? p->seed : 1;
	if (p->overloaded || p->period_ns == 0 || p->demand_pm == 0) {
		w->next_arrival = UINT64_MAX;
		return;
	}
	/* demand (permille) x period (ns) x 1000 ps/ns */
	w->job_ps = p->period_ns * p->demand_pm;
	w->next_arrival = now + interarrival(w);
}

bool sim_workload_runnable(const struct sim_workload *w)
{
	return w->p.overloaded || w->pending;
}

bool sim_workload_arrive(struct sim_workload *w, uint64_t now)
{
	bool any = false;
	while (w->next_arrival <= now) {
		w->jobs_arrived++;
		any = true;
		if (w->pending == SIM_JOB_QUEUE) {
			w->jobs_dropped++;
		} else {
			uint32_t tail = (w->head + w->pending) % SIM_JOB_QUEUE;
			w->arrived_at[tail] = w->next_arrival;
			if (w->pending++ == 0)
				w->head_left_ps = w->job_ps;
		}
		w->next_arrival += interarrival(w);
	}
	return any;
}

uint64_t sim_workload_work_to_completion(const struct sim_workload *w)
{
	if (w->p.overloaded)
		return UINT64_MAX;
	return w->pending ? w->head_left_ps : 0;
}

static void complete_head(struct sim_workload *w, uint64_t now)
{
	uint64_t arrived = w->arrived_at[w->head], rt = now - arrived;
	if (rt > w->response_max_all_ns)
		w->response_max_all_ns = rt;
	if (arrived >= w->p.measure_from_ns) {
		w->measured_jobs++;
		w->response_sum_ns += rt;
		if (rt > w->response_max_ns)
			w->response_max_ns = rt;
	}
	w->jobs_done++;
	w->head = (w->head + 1) % SIM_JOB_QUEUE;
	w->pending--;
	w->head_left_ps = w->pending ? w->job_ps : 0;
}

uint64_t sim_workload_do(struct sim_workload *w, uint64_t work_ps,
			 uint64_t now)
{
	if (w->p.overloaded) {
		w->done_ps += work_ps;
		return work_ps;
	}
	uint64_t used = 0;
	while (w->pending && used < work_ps) {
		uint64_t take = work_ps - used;
		if (take >= w->head_left_ps) {
			take = w->head_left_ps;
			used += take;
			complete_head(w, now);
		} else {
			w->head_left_ps -= take;
			used += take;
		}
	}
	w->done_ps += used;
	return used;
}
