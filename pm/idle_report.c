/*
 * The C-state report (idle_report.h): a xenpm-like table per processor
 * and a JSON fragment. Pure: volt_snprintf into the caller's buffer,
 * integers only (percentages in tenths, times with fixed decimals).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lib/format.h"
#include "lib/text_writer.h"
#include "pm/idle_report.h"


static uint32_t nstates(const struct cstate_table *t)
{
	return t->count < CSTATE_MAX ? t->count : CSTATE_MAX;
}

uint64_t idle_stats_idle_ns(const struct cstate_table *t,
			    const struct idle_stats *s)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < nstates(t); i++)
		sum += s->residency_ns[i];
	return sum;
}

uint64_t idle_stats_periods(const struct cstate_table *t,
			    const struct idle_stats *s)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < nstates(t); i++)
		sum += s->entries[i];
	return sum;
}

/* ns as ms with three decimals, right-aligned in `width`. */
static void put_ms(struct text_writer *w, int width, uint64_t ns)
{
	char tmp[32];
	volt_snprintf(tmp, sizeof(tmp), "%llu.%03llu",
		      (unsigned long long)(ns / 1000000),
		      (unsigned long long)(ns / 1000 % 1000));
	tw_put(w, "%*s", width, tmp);
}

/* ns as us with one decimal. */
static void put_us(struct text_writer *w, int width, uint64_t ns)
{
	char tmp[32];
	volt_snprintf(tmp, sizeof(tmp), "%llu.%llu",
		      (unsigned long long)(ns / 1000),
		      (unsigned long long)(ns / 100 % 10));
	tw_put(w, "%*s", width, tmp);
}

/* part / whole in tenths of a percent. */
static uint64_t tenths_of_pct(uint64_t part, uint64_t whole)
{
	if (!whole)
		return 0;
	if (part <= UINT64_MAX / 1000)
		return part * 1000 / whole;
	return part / (whole / 1000); /* ~213 days: divide first */
}

static void put_pct(struct text_writer *w, uint64_t part, uint64_t whole)
{
	uint64_t p = tenths_of_pct(part, whole);
	tw_put(w, " %4llu.%llu", (unsigned long long)(p / 10),
	    (unsigned long long)(p % 10));
}

static void put_method(struct text_writer *w, const struct cstate *c)
{
	if (cstate_is_hlt(c))
		tw_put(w, " %-10s", "HLT");
	else
		tw_put(w, " MWAIT 0x%02x", c->mwait_hint & 0xff);
}

static void table_state(struct text_writer *w, const char *ind,
			const struct cstate *c, uint64_t entries,
			uint64_t res_ns, uint64_t elapsed_ns)
{
	tw_put(w, "%s%-5.7s", ind, c->name);
	put_method(w, c);
	tw_put(w, " %9llu ", (unsigned long long)entries);
	put_ms(w, 13, res_ns);
	put_pct(w, res_ns, elapsed_ns);
	tw_put(w, " ");
	put_us(w, 8, entries ? res_ns / entries : 0);
	tw_put(w, "\n");
}

static void table_governor(struct text_writer *w, const char *ind,
			   const struct idle_stats *s, uint64_t periods)
{
	uint64_t n = periods ? periods : 1;

	tw_put(w, "%sgovernor: %llu idle periods, predicted avg ", ind,
	    (unsigned long long)periods);
	put_us(w, 0, s->predicted_sum / n);
	tw_put(w, " us, actual avg ");
	put_us(w, 0, s->actual_sum / n);
	tw_put(w, " us, |error| avg ");
	put_us(w, 0, s->abs_error_sum / n);
	tw_put(w, " us; wrong state %llu (", (unsigned long long)s->wrong_state);
	uint64_t p = tenths_of_pct(s->wrong_state, periods);
	tw_put(w, "%llu.%llu %%): %llu too deep, %llu too shallow\n",
	    (unsigned long long)(p / 10), (unsigned long long)(p % 10),
	    (unsigned long long)s->too_deep,
	    (unsigned long long)s->too_shallow);
}

/* Standalone: "cpu N C-states: ..." and rows indented by 2; nested in
 * pm_report under its "cpu N": "  C-states: ..." and rows by 4. */
static int format_table(uint32_t cpu, const struct cstate_table *t,
			enum idle_gov_kind gov, const struct idle_stats *s,
			uint64_t elapsed_ns, char *buf, size_t len,
			bool nested)
{
	struct text_writer w = { buf, len, 0, false };
	const char *ind = nested ? "    " : "  ";

	if (!buf || !len)
		return -1;
	if (!t || !s) {
		buf[0] = '\0';
		return -1;
	}
	uint64_t idle = idle_stats_idle_ns(t, s);
	uint64_t c0 = elapsed_ns > idle ? elapsed_ns - idle : 0;

	if (nested)
		tw_put(&w, "  C-states: ");
	else
		tw_put(&w, "cpu %u C-states: ", cpu);
	tw_put(&w, "%s table, %s, governor %s, ",
	    t->table_name ? t->table_name : "?",
	    t->source == CSTATE_SRC_HLT ? "HLT" : "MWAIT",
	    idle_gov_name(gov));
	put_ms(&w, 0, elapsed_ns);
	tw_put(&w, " ms\n%s%-5s %-10s %9s %13s %6s %8s\n", ind, "state",
	    "method", "entries", "residency_ms", "%", "avg_us");
	tw_put(&w, "%s%-5s %-10s %9s ", ind, "C0", "running", "-");
	put_ms(&w, 13, c0);
	put_pct(&w, c0, elapsed_ns);
	tw_put(&w, " %8s\n", "-");
	for (uint32_t i = 0; i < nstates(t); i++)
		table_state(&w, ind, &t->states[i], s->entries[i],
			    s->residency_ns[i], elapsed_ns);
	table_governor(&w, ind, s, idle_stats_periods(t, s));
	return tw_finish(&w);
}

int idle_format_table(uint32_t cpu, const struct cstate_table *t,
		      enum idle_gov_kind gov, const struct idle_stats *s,
		      uint64_t elapsed_ns, char *buf, size_t len)
{
	return format_table(cpu, t, gov, s, elapsed_ns, buf, len, false);
}

int idle_report_part(void *ctx, uint32_t cpu, char *buf, size_t len)
{
	const struct idle_report_ctx *c = ctx;

	if (buf && len && (!c || !c->stats || cpu >= c->ncpus)) {
		buf[0] = '\0';
		return -1;
	}
	if (!c)
		return -1;
	return format_table(cpu, c->table, c->gov, &c->stats[cpu],
			    c->elapsed_ns, buf, len, true);
}

int idle_format_json(uint32_t cpu, const struct cstate_table *t,
		     const struct idle_stats *s, char *buf, size_t len)
{
	struct text_writer w = { buf, len, 0, false };

	if (!buf || !len)
		return -1;
	if (!t || !s) {
		buf[0] = '\0';
		return -1;
	}
	tw_put(&w, "{\"cpu\":%u,\"idle_ms\":", cpu);
	put_ms(&w, 0, idle_stats_idle_ns(t, s));
	tw_put(&w, ",\"states\":[");
	for (uint32_t i = 0; i < nstates(t); i++) {
		const struct cstate *c = &t->states[i];
		tw_put(&w, "%s{\"name\":\"%.7s\",\"hint\":%d,\"entries\":%llu,"
		    "\"res_ms\":", i ? "," : "", c->name,
		    cstate_is_hlt(c) ? -1 : (int)(c->mwait_hint & 0xff),
		    (unsigned long long)s->entries[i]);
		put_ms(&w, 0, s->residency_ns[i]);
		tw_put(&w, "}");
	}
	tw_put(&w, "],\"periods\":%llu,\"pred_ms\":",
	    (unsigned long long)idle_stats_periods(t, s));
	put_ms(&w, 0, s->predicted_sum);
	tw_put(&w, ",\"actual_ms\":");
	put_ms(&w, 0, s->actual_sum);
	tw_put(&w, ",\"wrong\":%llu,\"too_deep\":%llu,\"too_shallow\":%llu}",
	    (unsigned long long)s->wrong_state,
	    (unsigned long long)s->too_deep,
	    (unsigned long long)s->too_shallow);
	return tw_finish(&w);
}
