/*
 * idle_accuracy: Volt's two idle governors (pm/idle_gov.c, linked
 * unchanged) over idle-duration traces, against an oracle that knows each
 * idle period's length. Prints a table; `--md FILE` writes the Markdown
 * page docs/idle-governors.md (make bench-idle).
 *
 *   idle_accuracy [--md FILE] [--trace FILE]...
 *
 * A trace file has one idle period per line: "next_timer_ns measured_ns"
 * ('#' starts a comment); without one, built-in synthetic traces run
 * (fixed seeds: the same code gives the same page).
 *
 * Energy is the illustrative model of pm/cstate.h's power_mw plus the
 * meaning of target residency (Linux menu.c: the energy break-even
 * point), see energy_pj. Host tool: stdio allowed; integers only, as the
 * policy.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "pm/cstate.h"
#include "pm/idle_gov.h"

#define US 1000ull
#define MS 1000000ull
#define PERIODS 5000
#define MAX_PERIODS 200000

struct period {
	uint64_t next_timer_ns, measured_ns;
};

struct trace {
	char name[64];
	const char *what;
	struct period *p;
	int n;
};

struct result {
	struct idle_stats s;
	uint64_t exit_paid_ns; /* exit latencies of the states entered */
	uint64_t energy_pj;    /* mW x ns */
};

static uint32_t rng_state;

static uint32_t rnd(void)
{
	rng_state = rng_state * 1103515245u + 12345u;
	return rng_state >> 1;
}

/* Uniform in [lo, hi]. */
static uint64_t between(uint64_t lo, uint64_t hi)
{
	uint64_t r = ((uint64_t)rnd() << 31) | rnd();
	return lo + r % (hi - lo + 1);
}

static void gen_irq_300us(struct period *p, int i)
{
	p->next_timer_ns = 10 * MS;
	p->measured_ns = between(285 * US, 315 * US);
}

static void gen_tick_bound(struct period *p, int i)
{
	p->next_timer_ns = 10 * MS;
	p->measured_ns = 10 * MS;
}

static void gen_io_bimodal(struct period *p, int i)
{
	p->next_timer_ns = 30 * MS;
	p->measured_ns = rnd() % 10 < 8 ? between(40 * US, 60 * US)
					: between(15 * MS, 25 * MS);
}

static void gen_random_kicks(struct period *p, int i)
{
	p->next_timer_ns = 30 * MS;
	p->measured_ns = between(0, 4 * MS);
}

static void gen_phase_change(struct period *p, int i)
{
	p->next_timer_ns = 10 * MS;
	p->measured_ns = i < PERIODS / 2 ? between(290 * US, 310 * US)
					 : between(4900 * US, 5100 * US);
}

static void gen_short_timers(struct period *p, int i)
{
	p->next_timer_ns = between(50 * US, 2 * MS);
	p->measured_ns = p->next_timer_ns;
}

static const struct {
	const char *name, *what;
	void (*gen)(struct period *, int);
} builtin[] = {
	{ "irq-300us", "timer in 10 ms, an interrupt every 300 us +- 5 %",
	  gen_irq_300us },
	{ "tick-bound", "nothing but the 10 ms tick wakes the processor",
	  gen_tick_bound },
	{ "io-bimodal", "timer in 30 ms; 80 % of wakes after 40-60 us (I/O), "
	  "20 % after 15-25 ms", gen_io_bimodal },
	{ "random-kicks", "timer in 30 ms; IPIs at uniform 0-4 ms",
	  gen_random_kicks },
	{ "phase-change", "timer in 10 ms; 300 us interrupts, then 5 ms ones "
	  "halfway", gen_phase_change },
	{ "short-timers", "timers 50 us - 2 ms away, always the wake-up",
	  gen_short_timers },
};
#define NBUILTIN (sizeof(builtin) / sizeof(builtin[0]))

/*
 * Energy of d ns in state i: P_i x d + K_i, with K_0 = 0 and K_i chosen so
 * that states i-1 and i cost the same at d = T_i (target residency as the
 * break-even point against the next shallower state):
 * K_i = K_(i-1) + (P_(i-1) - P_i) x T_i. With residencies and powers
 * monotonic (test_cstate checks it), the deepest state with T_i <= d is
 * then the cheapest: the oracle is energy-optimal.
 */
static uint64_t energy_pj(const struct cstate_table *t, uint32_t st,
			  uint64_t d)
{
	uint64_t k = 0;
	for (uint32_t i = 1; i <= st; i++)
		k += (uint64_t)(t->states[i - 1].power_mw -
				t->states[i].power_mw) *
		     t->states[i].target_residency_us * US;
	return t->states[st].power_mw * d + k;
}

/* kind < 0: the oracle. */
static void run(const struct trace *tr, const struct cstate_table *t,
		int kind, struct result *r)
{
	struct idle_gov_state g;

	memset(r, 0, sizeof(*r));
	idle_gov_init(&g);
	for (int i = 0; i < tr->n; i++) {
		const struct period *p = &tr->p[i];
		uint64_t lim = IDLE_LATENCY_LIMIT_DEFAULT_NS;
		uint32_t st = idle_select(kind < 0 ? IDLE_GOV_NEXT_TIMER
						   : (enum idle_gov_kind)kind,
					  &g, t, p->next_timer_ns, lim);
		if (kind < 0) { /* knows the future */
			st = idle_oracle_state(t, p->measured_ns, lim);
			g.last.state = st;
			g.last.predicted_ns = p->measured_ns;
		}
		idle_reflect(&g, st, p->next_timer_ns, p->measured_ns);
		idle_account(&r->s, t, &g.last, p->measured_ns);
		r->exit_paid_ns += t->states[st].exit_latency_us * US;
		r->energy_pj += energy_pj(t, st, p->measured_ns);
	}
}

/* x / n with one decimal, as text. */
static const char *dec1(char *buf, uint64_t x, uint64_t n)
{
	uint64_t v = n ? x * 10 / n : 0;
	snprintf(buf, 24, "%llu.%llu", (unsigned long long)(v / 10),
		 (unsigned long long)(v % 10));
	return buf;
}

static const char *signed_pct(char *buf, uint64_t x, uint64_t ref)
{
	if (!ref) {
		snprintf(buf, 24, "-");
		return buf;
	}
	int64_t v = (int64_t)(x * 1000 / ref) - 1000;
	snprintf(buf, 24, "%s%lld.%lld", v < 0 ? "-" : "+",
		 (long long)(llabs(v) / 10), (long long)(llabs(v) % 10));
	return buf;
}

static void row(FILE *f, bool md, const char *tname, const char *gname,
		const struct result *r, const struct result *oracle)
{
	char a[24], b[24], c[24], d[24], e[24], g[24], h[24], k[24];
	uint64_t n = 0;
	for (int i = 0; i < CSTATE_MAX; i++)
		n += r->s.entries[i];
	const char *fmt = md ? "| %s | %s | %s | %s | %s | %s | %s | %s | "
			       "%s | %s |\n"
			     : "%-5s %-10s %10s %10s %10s %7s %7s %7s %8s "
			       "%8s\n";
	fprintf(f, fmt, tname, gname, dec1(a, r->s.predicted_sum / US, n),
		dec1(b, r->s.actual_sum / US, n),
		dec1(c, r->s.abs_error_sum / US, n),
		dec1(d, r->s.wrong_state * 100, n),
		dec1(e, r->s.too_deep * 100, n),
		dec1(g, r->s.too_shallow * 100, n),
		dec1(h, r->exit_paid_ns / US, n),
		signed_pct(k, r->energy_pj, oracle->energy_pj));
}

static void header(FILE *f, bool md)
{
	if (md) {
		fputs("| table | governor | predicted avg us | actual avg "
			   "us | abs error avg us | wrong % | too deep % | too "
			   "shallow % | exit latency paid avg us | idle energy "
			   "vs oracle % |\n|---|---|---|---|---|---|---|---|---"
			   "|---|\n", f);
		return;
	}
	fprintf(f, "%-5s %-10s %10s %10s %10s %7s %7s %7s %8s %8s\n",
		"table", "governor", "pred_us", "actual_us", "|err|_us",
		"wrong%", "deep%", "shal%", "exit_us", "energy%");
}

static void report(FILE *f, bool md, const struct trace *tr,
		   const struct cstate_table *tabs, int ntabs)
{
	if (md)
		fprintf(f, "\n### %s\n\n%s; %d idle periods.\n\n", tr->name,
			tr->what, tr->n);
	else
		fprintf(f, "\n== %s: %s (%d periods)\n", tr->name, tr->what,
			tr->n);
	header(f, md);
	for (int ti = 0; ti < ntabs; ti++) {
		struct result o, r;
		run(tr, &tabs[ti], -1, &o);
		for (int kind = 0; kind < 2; kind++) {
			run(tr, &tabs[ti], kind, &r);
			row(f, md, tabs[ti].table_name,
			    idle_gov_name((enum idle_gov_kind)kind), &r, &o);
		}
		row(f, md, tabs[ti].table_name, "oracle", &o, &o);
	}
}

static int load_trace(const char *path, struct trace *tr)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int lineno = 0;

	if (!f) {
		fprintf(stderr, "idle_accuracy: cannot open %s\n", path);
		return -1;
	}
	tr->p = calloc(MAX_PERIODS, sizeof(*tr->p));
	tr->n = 0;
	snprintf(tr->name, sizeof(tr->name), "%s", path);
	tr->what = "recorded trace";
	while (tr->p && fgets(line, sizeof(line), f) && tr->n < MAX_PERIODS) {
		unsigned long long nt, m;
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		if (strspn(line, " \t\r\n") == strlen(line))
			continue;
		if (sscanf(line, "%llu %llu", &nt, &m) != 2) {
			fprintf(stderr, "%s:%d: expected \"next_timer_ns "
				"measured_ns\"\n", path, lineno);
			fclose(f);
			return -1;
		}
		tr->p[tr->n++] = (struct period){ nt, m };
	}
	fclose(f);
	return tr->p && tr->n ? 0 : -1;
}

static void md_intro(FILE *f)
{
	fprintf(f,
"# Idle governors: menu against next-timer\n\n"
"> Generated by `make bench-idle` (`tools/idle_accuracy.c`); do not edit, "
"change the tool and regenerate.\n\n"
"Volt's idle governors (`pm/idle_gov.c`, linked unchanged; "
"`docs/power.md`, \"Idle governors\") choose the C-state of an idle "
"processor. *next-timer* trusts the time to the next timer event; *menu* "
"(after Linux's cpuidle menu governor) corrects it by what it learned "
"per duration bucket and by repeating patterns of the last 8 idle "
"periods. Each trace below runs through both and through an *oracle* "
"that knows each period's length and takes the deepest state whose "
"target residency fits it (the definition of a wrong state in "
"`idle_stats`). Latency limit: the default %llu us.\n\n"
"Tables: **skl**, Linux intel_idle's Skylake client table (8 states, "
"C1 to C10), and **skx**, its Skylake server table as Bochs's "
"corei7_skylake_x enumerates it (C1, C1E, C6).\n\n"
"Columns: the average predicted and actual idle period; the average "
"|predicted - actual|; wrong state: the state differed from the "
"oracle's, too deep (entered a state that did not pay off) or too "
"shallow (a deeper allowed state would have paid); the average exit "
"latency the wake-ups paid; idle energy against the oracle's, with the "
"illustrative power of `pm/cstate.h` and target residency read as the "
"energy break-even point against the next shallower state (a period of "
"d in state i costs P_i x d + K_i, with K_i such that states i-1 and i "
"cost the same at d = T_i; the oracle is then the cheapest choice). "
"The traces are synthetic (fixed "
"seeds); `idle_accuracy --trace FILE` runs recorded ones (\"next_timer_ns "
"measured_ns\" per line).\n",
		IDLE_LATENCY_LIMIT_DEFAULT_NS / US);
}

static void md_outro(FILE *f)
{
	fprintf(f,
"\n## Reading the tables\n\n"
"- **irq-300us** is the case menu exists for: next-timer picks the "
"deepest state that fits before the 10 ms timer every time and wakes "
"300 us later, too deep on every period; menu is wrong only until its "
"pattern window (8 periods) fills, then agrees with the oracle.\n"
"- **tick-bound**: the timer is the truth; both agree with the oracle.\n"
"- **short-timers**: next-timer is exact. menu learns each period less "
"the exit latency of the state it was in, so its correction factor stays "
"a little below 1 and near a residency boundary it picks the shallower "
"state (the too-shallow column), at a small energy cost.\n"
"- **phase-change**: when the 300 us interrupts become 5 ms ones, the "
"pattern detector follows within a few periods.\n"
"- **random-kicks**: both end in the same state (C8 on skl: next-timer "
"held there by the 200 us limit, menu by its ~1.9 ms prediction); only "
"the oracle goes shallower for the short periods.\n"
"- **io-bimodal** is menu's weak case: when the 8-period window holds "
"both modes, the detector drops every long value at once and the short "
"ones repeat, so menu mostly predicts the short mode and stays shallow "
"through most 20 ms periods too, which costs far more energy than next-timer's "
"too-deep choices (it does wake faster). Linux's menu bounds this loss "
"with the scheduler tick: after a shallow choice the tick stays armed and "
"the processor chooses again within one tick. Volt's idle path sleeps "
"until its next timer event, so a re-check timer after a shallow choice "
"would be the equivalent (not implemented).\n");
}

int main(int argc, char **argv)
{
	static const uint32_t skl_leaf5[4] = { 0x40, 0x40, 0x3, 0x11142120 };
	static const uint32_t skx_leaf5[4] = { 0x40, 0x40, 0x3, 0x2020 };
	struct cstate_table tabs[2];
	struct trace traces[16];
	int ntr = 0;
	const char *md_path = NULL;

	cstate_table_build(6, 0x5e, skl_leaf5, true, CSTATE_NO_LIMIT,
			   &tabs[0]);
	cstate_table_build(6, 0x55, skx_leaf5, true, CSTATE_NO_LIMIT,
			   &tabs[1]);
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--md") && i + 1 < argc) {
			md_path = argv[++i];
		} else if (!strcmp(argv[i], "--trace") && i + 1 < argc &&
			   ntr < 16) {
			if (load_trace(argv[++i], &traces[ntr]))
				return 1;
			ntr++;
		} else {
			fprintf(stderr, "usage: %s [--md FILE] [--trace "
				"FILE]...\n", argv[0]);
			return 2;
		}
	}
	if (!ntr) {
		for (size_t b = 0; b < NBUILTIN; b++, ntr++) {
			struct trace *tr = &traces[ntr];
			snprintf(tr->name, sizeof(tr->name), "%s",
				 builtin[b].name);
			tr->what = builtin[b].what;
			tr->n = PERIODS;
			tr->p = calloc(PERIODS, sizeof(*tr->p));
			if (!tr->p)
				return 1;
			rng_state = 12345u + (uint32_t)b;
			for (int i = 0; i < PERIODS; i++)
				builtin[b].gen(&tr->p[i], i);
		}
	}
	for (int i = 0; i < ntr; i++)
		report(stdout, false, &traces[i], tabs, 2);
	if (md_path) {
		FILE *f = fopen(md_path, "w");
		if (!f) {
			fprintf(stderr, "idle_accuracy: cannot write %s\n",
				md_path);
			return 1;
		}
		md_intro(f);
		fprintf(f, "\n## Results\n");
		for (int i = 0; i < ntr; i++)
			report(f, true, &traces[i], tabs, 2);
		md_outro(f);
		fclose(f);
	}
	for (int i = 0; i < ntr; i++)
		free(traces[i].p);
	return 0;
}
