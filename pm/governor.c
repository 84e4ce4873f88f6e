/*
 * CPU-frequency governors (see governor.h): performance, powersave,
 * userspace and Xen's ondemand (cpufreq_ondemand.c, dbs_check_cpu),
 * written from its description, on one processor's own utilization.
 * Pure C: no hardware, no time source, integers only.
 */
#include "pm/governor.h"
#include "lib/format.h"
#include "lib/string.h"

static const char *const gov_names[GOV_KINDS] = {
	[GOV_PERFORMANCE] = "performance",
	[GOV_POWERSAVE] = "powersave",
	[GOV_USERSPACE] = "userspace",
	[GOV_ONDEMAND] = "ondemand",
};

const char *gov_kind_name(enum gov_kind kind)
{
	return (unsigned)kind < GOV_KINDS ? gov_names[kind] : "?";
}

int gov_kind_parse(const char *name, enum gov_kind *kind)
{
	for (unsigned k = 0; k < GOV_KINDS; k++) {
		if (strcmp(name, gov_names[k]) == 0) {
			*kind = (enum gov_kind)k;
			return 0;
		}
	}
	return -1;
}

void gov_params_default(struct gov_params *p, enum gov_kind kind)
{
	p->kind = kind;
	p->sampling_ns = GOV_SAMPLING_NS_DEFAULT;
	p->up_threshold = GOV_UP_THRESHOLD_DEFAULT;
	p->userspace_index = 0;
}

int gov_params_check(const struct gov_params *p, char *why, size_t why_len)
{
	if ((unsigned)p->kind >= GOV_KINDS) {
		volt_snprintf(why, why_len, "unknown governor %d",
			      (int)p->kind);
		return -1;
	}
	if (p->sampling_ns < GOV_SAMPLING_NS_MIN ||
	    p->sampling_ns > GOV_SAMPLING_NS_MAX) {
		volt_snprintf(why, why_len,
			      "sampling period %lu us is outside %lu-%lu us",
			      (unsigned long)(p->sampling_ns / 1000),
			      (unsigned long)(GOV_SAMPLING_NS_MIN / 1000),
			      (unsigned long)(GOV_SAMPLING_NS_MAX / 1000));
		return -1;
	}
	if (p->up_threshold < GOV_UP_THRESHOLD_MIN ||
	    p->up_threshold > GOV_UP_THRESHOLD_MAX) {
		volt_snprintf(why, why_len,
			      "up_threshold %u is outside %u-%u",
			      p->up_threshold, GOV_UP_THRESHOLD_MIN,
			      GOV_UP_THRESHOLD_MAX);
		return -1;
	}
	if (p->userspace_index >= PSTATE_MAX) {
		volt_snprintf(why, why_len,
			      "userspace P-state %u: at most %u states",
			      p->userspace_index, PSTATE_MAX);
		return -1;
	}
	return 0;
}

/* Clamp what callers could get wrong; Xen's range for the threshold. */
static uint32_t clamp_threshold(uint32_t up)
{
	if (up < GOV_UP_THRESHOLD_MIN)
		return GOV_UP_THRESHOLD_MIN;
	if (up > GOV_UP_THRESHOLD_MAX)
		return GOV_UP_THRESHOLD_MAX;
	return up;
}

/*
 * Xen's comparisons, in kHz x percent: load_freq = load x f_avg against
 * up_threshold x f_cur (at most 100 x 2^32: no overflow in 64 bits).
 */
uint32_t gov_ondemand_target(const struct pstate_table *t,
			     uint32_t up_threshold, uint32_t cur_idx,
			     uint32_t load_pct, uint64_t avg_khz)
{
	if (t->count == 0)
		return 0;
	uint32_t slowest = t->count - 1;
	if (cur_idx > slowest)
		cur_idx = slowest;
	up_threshold = clamp_threshold(up_threshold);
	uint64_t cur = t->states[cur_idx].khz;
	uint64_t load_freq = (uint64_t)load_pct * avg_khz;
	uint32_t down = up_threshold - GOV_DOWN_MARGIN;

	if (load_freq > (uint64_t)up_threshold * cur)
		return 0;  /* busy: straight to the top, in one sample */
	if (cur_idx == slowest)
		return cur_idx;
	/*
	 * The lowest frequency that would carry this load without
	 * tripping the up threshold, 10 points under it for safety.
	 */
	if (load_freq < (uint64_t)down * cur)
		return pstate_index_at_or_above(t, load_freq / down);
	return cur_idx;  /* the hysteresis band: stay */
}

static uint32_t ondemand_sample(const struct gov_params *p, struct gov_cpu *g,
				const struct pstate_table *t, uint32_t cur_idx,
				uint64_t busy_ns, uint64_t window_ns,
				uint32_t avg_khz)
{
	/* Busy beyond the window is clock skew between the two sources
	 * of time, not more than 100% load. */
	if (busy_ns > window_ns)
		busy_ns = window_ns;
	/* 100 x busy would overflow only for windows of ~5800 years;
	 * divide first then. */
	uint32_t load = busy_ns <= UINT64_MAX / 100
				? (uint32_t)(100 * busy_ns / window_ns)
				: (uint32_t)(busy_ns / (window_ns / 100));
	uint64_t avg = avg_khz ? avg_khz : t->states[cur_idx].khz;

	g->last_load = load;
	return gov_ondemand_target(t, p->up_threshold, cur_idx, load, avg);
}

uint32_t gov_sample(const struct gov_params *p, struct gov_cpu *g,
		    const struct pstate_table *t, uint32_t cur_idx,
		    uint64_t busy_ns, uint64_t window_ns, uint32_t avg_khz)
{
	uint32_t next;

	if (t->count == 0)
		return 0;
	if (cur_idx >= t->count)
		cur_idx = t->count - 1;
	switch (p->kind) {
	case GOV_PERFORMANCE:
		next = 0;
		break;
	case GOV_POWERSAVE:
		next = t->count - 1;
		break;
	case GOV_USERSPACE:
		next = p->userspace_index < t->count ? p->userspace_index
						     : t->count - 1;
		break;
	case GOV_ONDEMAND:
		if (window_ns < GOV_MIN_WINDOW_NS) {
			g->short_windows++;  /* too short to mean anything */
			return cur_idx;
		}
		next = ondemand_sample(p, g, t, cur_idx, busy_ns, window_ns,
				       avg_khz);
		break;
	default:
		return cur_idx;
	}
	g->samples++;
	if (next < cur_idx)
		g->raises++;
	else if (next > cur_idx)
		g->lowers++;
	return next;
}
