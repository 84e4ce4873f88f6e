/* The simulator's processor model (see cpu_model.h). */
#include "tools/sim/cpu_model.h"

#define NS_PER_S 1000000000ull
#define FJ_PER_UJ 1000000000ull

bool sim_cpu_model_valid(const struct sim_cpu_model *m)
{
	if (m->nlevels == 0 || m->nlevels > SIM_MAX_LEVELS)
		return false;
	for (uint32_t i = 0; i < m->nlevels; i++) {
		const struct sim_pstate *l = &m->levels[i];
		if (l->khz < 1000 || l->khz > 10000000 || l->mv < 300 ||
		    l->mv > 2000)
			return false;
		if (i && l->khz <= m->levels[i - 1].khz)
			return false;
	}
	return m->static_mw <= 1000000 && m->dyn_max_mw <= 1000000 &&
	       m->idle_mw <= 1000000;
}

uint32_t sim_top_level(const struct sim_cpu_model *m)
{
	return m->nlevels - 1;
}

uint32_t sim_fmax_khz(const struct sim_cpu_model *m)
{
	return m->levels[sim_top_level(m)].khz;
}

uint32_t sim_level_at_or_above(const struct sim_cpu_model *m, uint64_t khz)
{
	for (uint32_t i = 0; i < m->nlevels; i++)
		if (m->levels[i].khz >= khz)
			return i;
	return sim_top_level(m);
}

uint64_t sim_power_uw(const struct sim_cpu_model *m, uint32_t level,
		      bool busy)
{
	if (!busy)
		return (uint64_t)m->idle_mw * 1000;
	const struct sim_pstate *l = &m->levels[level];
	uint64_t vmax = m->levels[sim_top_level(m)].mv;
	/* dyn_max x f/f_max first (<= 1e9 uW), then x (V/V_max)^2: each
	 * product stays far below 2^64 for valid models. */
	uint64_t dyn = (uint64_t)m->dyn_max_mw * 1000 * l->khz /
		       sim_fmax_khz(m);
	dyn = dyn * l->mv * l->mv / (vmax * vmax);
	return (uint64_t)m->static_mw * 1000 + dyn;
}

/* Work ps per ns of running x f_max: b x f + (1 - b) x f_max, b in
 * permille (so one ns at f_max with b = 1 is 1000 ps). */
static uint64_t rate_num(const struct sim_cpu_model *m, uint32_t level,
			 uint32_t b)
{
	if (b > SIM_PERMILLE)
		b = SIM_PERMILLE;
	return (uint64_t)b * m->levels[level].khz +
	       (uint64_t)(SIM_PERMILLE - b) * sim_fmax_khz(m);
}

uint64_t sim_work_ps(const struct sim_cpu_model *m, uint32_t level,
		     uint32_t cpu_bound_pm, uint64_t dt_ns)
{
	uint64_t num = rate_num(m, level, cpu_bound_pm);
	uint64_t fmax = sim_fmax_khz(m);
	/* floor(dt x num / fmax) without overflowing dt x num. */
	return dt_ns / fmax * num + dt_ns % fmax * num / fmax;
}

uint64_t sim_time_for_work(const struct sim_cpu_model *m, uint32_t level,
			   uint32_t cpu_bound_pm, uint64_t work_ps)
{
	uint64_t num = rate_num(m, level, cpu_bound_pm);
	uint64_t fmax = sim_fmax_khz(m);
	uint64_t q = work_ps / num, r = work_ps % num;
	if (q > (UINT64_MAX - fmax) / fmax)
		return UINT64_MAX;
	/* ceil(work x fmax / num), split the same way. */
	return q * fmax + (r * fmax + num - 1) / num;
}

void sim_energy_add(struct sim_energy *e, uint64_t power_uw, uint64_t dt_ns)
{
	/* uW x s = uJ for whole seconds; the rest (< 1 s) in fJ. */
	e->uj += power_uw * (dt_ns / NS_PER_S);
	e->rem_fj += power_uw * (dt_ns % NS_PER_S);
	e->uj += e->rem_fj / FJ_PER_UJ;
	e->rem_fj %= FJ_PER_UJ;
}
