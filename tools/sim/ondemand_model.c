/* The simulator's ondemand governor (see ondemand_model.h). */
#include "tools/sim/ondemand_model.h"

void sim_ondemand_init(struct sim_ondemand *g, uint32_t up_threshold,
		       uint64_t sample_ns, const struct sim_cpu_counters *c)
{
	/* Xen's accepted range; 10 points below must stay positive. */
	if (up_threshold < 11)
		up_threshold = 11;
	if (up_threshold > 100)
		up_threshold = 100;
	g->up_threshold = up_threshold;
	g->sample_ns = sample_ns;
	g->prev = *c;
}

uint32_t sim_ondemand_target(const struct sim_cpu_model *m,
			     uint32_t up_threshold, uint32_t cur_level,
			     uint32_t load_pct, uint64_t avg_khz)
{
	uint64_t cur = m->levels[cur_level].khz;
	uint64_t load_freq = (uint64_t)load_pct * avg_khz;

	if (load_freq > (uint64_t)up_threshold * cur)
		return sim_top_level(m);
	if (cur_level == 0)
		return 0;
	/* The lowest frequency that carries this load without tripping the
	 * up threshold, with 10 points of margin. */
	if (load_freq < (uint64_t)(up_threshold - 10) * cur)
		return sim_level_at_or_above(m,
					     load_freq / (up_threshold - 10));
	return cur_level;
}

uint32_t sim_ondemand_sample(struct sim_ondemand *g,
			     const struct sim_cpu_model *m, uint32_t cur_level,
			     const struct sim_cpu_counters *now)
{
	uint64_t busy = now->busy_ns - g->prev.busy_ns;
	uint64_t idle = now->idle_ns - g->prev.idle_ns;
	uint64_t khz_ns = now->busy_khz_ns - g->prev.busy_khz_ns;
	uint64_t total = busy + idle;

	if (total < SIM_ONDEMAND_MIN_INTERVAL_NS)
		return cur_level;  /* too short to mean anything; keep prev */
	g->prev = *now;
	uint32_t load = (uint32_t)(100 * busy / total);
	uint64_t avg = busy ? khz_ns / busy : m->levels[cur_level].khz;
	return sim_ondemand_target(m, g->up_threshold, cur_level, load, avg);
}
