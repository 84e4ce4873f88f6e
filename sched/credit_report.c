/*
 * The credit scheduler's state as JSON and as a console table (see
 * credit_report.h). Pure: volt_snprintf into the caller's buffer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/format.h"
#include "lib/text_writer.h"
#include "sched/credit_report.h"


/* ns as milliseconds with three decimals. */
static void put_ms(struct text_writer *w, uint64_t ns)
{
	tw_put(w, "%llu.%03llu", (unsigned long long)(ns / 1000000),
	    (unsigned long long)(ns / 1000 % 1000));
}

const char *csched_state_name(enum csched_state st)
{
	switch (st) {
	case CSCHED_BLOCKED:
		return "blocked";
	case CSCHED_RUNNABLE:
		return "runnable";
	case CSCHED_RUNNING:
		return "run";
	case CSCHED_PARKED:
		return "parked";
	}
	return "?";
}

const char *csched_pri_name(enum csched_pri pri)
{
	switch (pri) {
	case CSCHED_PRI_BOOST:
		return "boost";
	case CSCHED_PRI_UNDER:
		return "under";
	case CSCHED_PRI_OVER:
		return "over";
	case CSCHED_PRI_IDLE:
		return "idle";
	}
	return "?";
}

static uint64_t avg_wake_latency_us(const struct csched_vcpu *v)
{
	return v->wakeups ? v->wake_latency_sum_ns / v->wakeups / 1000 : 0;
}

static void stat_cpu(struct text_writer *w, const struct csched *s, uint32_t c)
{
	const struct csched_pcpu *pc = &s->cpus[c];

	tw_put(w, "%s{\"cpu\":%u,\"busy_ms\":", c ? "," : "", c);
	put_ms(w, pc->busy_ns);
	tw_put(w, ",\"idle_ms\":");
	put_ms(w, pc->idle_ns);
	tw_put(w, ",\"f_khz\":%u}", pc->f_cur_khz);
}

static void stat_vcpu(struct text_writer *w, const struct csched_vcpu *v,
		      bool first)
{
	tw_put(w, "%s{\"dom\":%u,\"vcpu\":%u,\"state\":\"%s\",\"pri\":\"%s\","
	    "\"credit\":%d,\"run_ms\":", first ? "" : ",",
	    v->dom ? v->dom->id : 0, v->id, csched_state_name(v->state),
	    csched_pri_name(v->pri), v->credit);
	put_ms(w, v->runtime_ns);
	tw_put(w, ",\"cap_ms\":");
	put_ms(w, v->capacity_ns);
	tw_put(w, ",\"wake_lat_us\":%llu,\"migr\":%llu}",
	    (unsigned long long)avg_wake_latency_us(v),
	    (unsigned long long)v->migrations);
}

int csched_format_stat(const struct csched *s, struct csched_vcpu *const *v,
		       size_t n, uint64_t now, char *buf, size_t len)
{
	struct text_writer w = { buf, len, 0, false };
	uint32_t c;
	size_t i;

	if (!buf || !len)
		return -1;
	tw_put(&w, "STAT {\"t_ms\":");
	put_ms(&w, now);
	tw_put(&w, ",\"cpus\":[");
	for (c = 0; c < s->ncpus; c++)
		stat_cpu(&w, s, c);
	tw_put(&w, "],\"vcpus\":[");
	for (i = 0; i < n; i++)
		stat_vcpu(&w, v[i], i == 0);
	tw_put(&w, "]}");
	return tw_finish(&w);
}

/* part / whole in tenths of a percent (part <= whole). */
static uint64_t tenths_of_pct(uint64_t part, uint64_t whole)
{
	if (!whole)
		return 0;
	if (part <= UINT64_MAX / 1000)
		return part * 1000 / whole;
	return part / (whole / 1000); /* ~213 days: divide first */
}

static void table_vcpu(struct text_writer *w, const struct csched_vcpu *v)
{
	tw_put(w, "%4u %4u %3u %-8s %-5s %6d ", v->dom ? v->dom->id : 0, v->id,
	    v->cpu, csched_state_name(v->state), csched_pri_name(v->pri),
	    v->credit);
	tw_put(w, "%10llu.%03llu %10llu.%03llu %10llu %10llu %5llu %5llu\n",
	    (unsigned long long)(v->runtime_ns / 1000000),
	    (unsigned long long)(v->runtime_ns / 1000 % 1000),
	    (unsigned long long)(v->capacity_ns / 1000000),
	    (unsigned long long)(v->capacity_ns / 1000 % 1000),
	    (unsigned long long)avg_wake_latency_us(v),
	    (unsigned long long)(v->wake_latency_max_ns / 1000),
	    (unsigned long long)v->migrations,
	    (unsigned long long)v->parks);
}

static void table_cpu(struct text_writer *w, const struct csched *s, uint32_t c)
{
	const struct csched_pcpu *pc = &s->cpus[c];
	uint64_t total = pc->busy_ns + pc->idle_ns;
	uint64_t busy = tenths_of_pct(pc->busy_ns, total);
	uint64_t idle = total ? 1000 - busy : 0;

	tw_put(w, "%3u %4llu.%llu %4llu.%llu %8u\n", c,
	    (unsigned long long)(busy / 10), (unsigned long long)(busy % 10),
	    (unsigned long long)(idle / 10), (unsigned long long)(idle % 10),
	    pc->f_cur_khz);
}

int csched_format_table(const struct csched *s,
			struct csched_vcpu *const *v, size_t n, uint64_t now,
			char *buf, size_t len)
{
	struct text_writer w = { buf, len, 0, false };
	uint32_t c;
	size_t i;

	if (!buf || !len)
		return -1;
	tw_put(&w, "credit scheduler at ");
	put_ms(&w, now);
	tw_put(&w, " ms\n%4s %4s %3s %-8s %-5s %6s %14s %14s %10s %10s %5s %5s\n",
	    "dom", "vcpu", "cpu", "state", "pri", "credit", "run_ms", "cap_ms",
	    "lat_avg_us", "lat_max_us", "migr", "parks");
	for (i = 0; i < n; i++)
		table_vcpu(&w, v[i]);
	tw_put(&w, "%3s %6s %6s %8s\n", "cpu", "busy%", "idle%", "f_khz");
	for (c = 0; c < s->ncpus; c++)
		table_cpu(&w, s, c);
	return tw_finish(&w);
}
