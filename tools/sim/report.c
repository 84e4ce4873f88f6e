/*
 * The simulator's output (see report.h): the same figures as a text
 * table, as Markdown tables for docs/dvfs-credit.md, and as an SVG plot
 * written by hand (axes, polylines, a legend: no plotting library).
 */
#include <stdio.h>
#include "tools/sim/report.h"

#define NS_PER_S 1e9
#define PS_PER_NS 1e3

static const char *mode_name(enum csched_mode m)
{
	switch (m) {
	case CSCHED_MODE_VARIABLE: return "variable";
	case CSCHED_MODE_FIXED: return "fixed";
	case CSCHED_MODE_DVFS: return "DVFS-aware";
	}
	return "?";
}

static const char *gov_name(enum sim_governor g)
{
	switch (g) {
	case SIM_GOV_ONDEMAND: return "ondemand";
	case SIM_GOV_PERFORMANCE: return "performance";
	case SIM_GOV_POWERSAVE: return "powersave";
	}
	return "?";
}

double report_capacity_pct(const struct sim_record *rec, uint32_t vm)
{
	return 100.0 * (double)rec->r.vm[vm].work_ps /
	       ((double)rec->c.duration_ns * PS_PER_NS);
}

double report_avg_ghz(const struct sim_record *rec)
{
	return (double)sim_avg_khz(&rec->c, &rec->r) / 1e6;
}

double report_energy_j(const struct sim_record *rec)
{
	return (double)sim_total_energy_uj(&rec->c, &rec->r) / 1e6;
}

double report_j_per_work_s(const struct sim_record *rec)
{
	double work_s = (double)sim_total_work_ps(&rec->c, &rec->r) /
			(PS_PER_NS * NS_PER_S);
	return work_s > 0 ? report_energy_j(rec) / work_s : 0;
}

double report_busy_pct(const struct sim_record *rec)
{
	uint64_t busy = 0, all = 0;
	for (uint32_t i = 0; i < rec->c.ncpus; i++) {
		busy += rec->r.cpu[i].busy_ns;
		all += rec->r.cpu[i].busy_ns + rec->r.cpu[i].idle_ns;
	}
	return all ? 100.0 * (double)busy / (double)all : 0;
}

double report_mean_response_ms(const struct sim_record *rec, uint32_t vm)
{
	const struct sim_vm_result *v = &rec->r.vm[vm];
	return v->measured_jobs ? (double)v->response_sum_ns /
					  (double)v->measured_jobs / 1e6 : 0;
}

double report_level_pct(const struct sim_record *rec, uint32_t level)
{
	uint64_t t = 0, all = 0;
	for (uint32_t i = 0; i < rec->c.ncpus; i++) {
		t += rec->r.cpu[i].level_ns[level];
		all += rec->r.cpu[i].busy_ns + rec->r.cpu[i].idle_ns;
	}
	return all ? 100.0 * (double)t / (double)all : 0;
}

double report_changes_per_s(const struct sim_record *rec)
{
	uint64_t n = 0;
	for (uint32_t i = 0; i < rec->c.ncpus; i++)
		n += rec->r.cpu[i].freq_changes;
	return (double)n / ((double)rec->c.duration_ns / NS_PER_S);
}

double report_energy_vs_ref_pct(const struct sim_scenario *s, size_t run)
{
	double ref = report_energy_j(&s->runs[0]);
	return ref > 0 ? 100.0 * (report_energy_j(&s->runs[run]) - ref) / ref
		       : 0;
}

/* The scheduler's capacity (runtime x f/f_max) against the model's work:
 * equal for a CPU-bound VM; for a memory-bound one the model does more. */
double report_sched_capacity_pct(const struct sim_record *rec, uint32_t vm)
{
	return 100.0 * (double)rec->r.vm[vm].capacity_ns /
	       (double)rec->c.duration_ns;
}

/* ---- text ---------------------------------------------------------------- */

void report_text(FILE *f, const struct sim_scenario *s)
{
	fprintf(f, "%s\n", s->title);
	fprintf(f, "%-36s %5s %6s %6s %6s %7s %5s %5s %7s %7s %5s\n", "run",
		"A due", "A got", "A csch", "B got", "B resp", "GHz", "busy",
		"J", "J/work", "A cut");
	for (size_t i = 0; i < s->nruns; i++) {
		const struct sim_record *rec = &s->runs[i];
		fprintf(f, "%-36s %4u%% %5.1f%% %5.1f%% %5.1f%% %5.2fms "
			"%5.2f %4.0f%% %7.1f %7.2f %5llu\n", rec->c.label,
			rec->r.vm[0].promised_pct, report_capacity_pct(rec, 0),
			report_sched_capacity_pct(rec, 0),
			report_capacity_pct(rec, 1),
			report_mean_response_ms(rec, 1), report_avg_ghz(rec),
			report_busy_pct(rec), report_energy_j(rec),
			report_j_per_work_s(rec),
			(unsigned long long)rec->r.vm[0].busy_credit_cuts);
	}
	fprintf(f, "\n");
}

/* ---- Markdown ------------------------------------------------------------ */

void report_model(FILE *f, const struct sim_config *c)
{
	const struct sim_cpu_model *m = &c->cpu;
	double idle = (double)sim_power_uw(m, 0, false) / 1e6;
	fprintf(f, "| level | frequency | voltage | power running | energy "
		"for one second of CPU-bound f_max work, above idle |\n"
		"|---|---|---|---|---|\n");
	for (uint32_t l = 0; l < m->nlevels; l++) {
		double w = (double)sim_power_uw(m, l, true) / 1e6;
		double frac = (double)m->levels[l].khz / sim_fmax_khz(m);
		fprintf(f, "| P%u | %.1f GHz | %.2f V | %.2f W | %.2f J |\n",
			m->nlevels - 1 - l, m->levels[l].khz / 1e6,
			m->levels[l].mv / 1e3, w, (w - idle) / frac);
	}
	fprintf(f, "\nIdle (halted): %.2f W at any level. Running: %.2f W "
		"static + %.2f W x (f/f_max) x (V/V_max)^2.\n\n",
		m->idle_mw / 1e3, m->static_mw / 1e3, m->dyn_max_mw / 1e3);
}

static void md_vms(FILE *f, const struct sim_scenario *s)
{
	fprintf(f, "| run | A promised | A received | received / promised "
		"| B received | B job response, mean / max | B wake latency, "
		"mean / max (whole run) |\n|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nruns; i++) {
		const struct sim_record *rec = &s->runs[i];
		const struct sim_vm_result *a = &rec->r.vm[0];
		const struct sim_vm_result *b = &rec->r.vm[1];
		double got = report_capacity_pct(rec, 0);
		fprintf(f, "| %s | %u %% | **%.1f %%** | %.2f | %.1f %% | "
			"%.2f / %.2f ms | %.3f / %.3f ms |\n", rec->c.label,
			a->promised_pct, got,
			a->promised_pct ? got / a->promised_pct : 0,
			report_capacity_pct(rec, 1),
			report_mean_response_ms(rec, 1),
			(double)b->response_max_ns / 1e6,
			b->wakeups ? (double)b->wake_latency_sum_ns /
					     (double)b->wakeups / 1e6 : 0,
			(double)b->wake_latency_max_ns / 1e6);
	}
	fprintf(f, "\n");
}

static void md_machine(FILE *f, const struct sim_scenario *s)
{
	const struct sim_cpu_model *m = &s->runs[0].c.cpu;
	fprintf(f, "| run | average frequency | time at");
	for (uint32_t l = 0; l < m->nlevels; l++)
		fprintf(f, "%s%.1f", l ? " / " : " ", m->levels[l].khz / 1e6);
	fprintf(f, " GHz | busy | frequency changes per s | energy | vs. "
		"reference | energy per second of work |\n"
		"|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->nruns; i++) {
		const struct sim_record *rec = &s->runs[i];
		fprintf(f, "| %s | %.2f GHz |", rec->c.label,
			report_avg_ghz(rec));
		for (uint32_t l = 0; l < m->nlevels; l++)
			fprintf(f, "%s%.0f", l ? " / " : " ",
				report_level_pct(rec, l));
		fprintf(f, " %% | %.1f %% | %.1f | %.1f J | %+.1f %% | "
			"%.2f J |\n", report_busy_pct(rec),
			report_changes_per_s(rec), report_energy_j(rec),
			report_energy_vs_ref_pct(s, i),
			report_j_per_work_s(rec));
	}
	fprintf(f, "\n");
}

void report_markdown(FILE *f, const struct sim_scenario *s)
{
	fprintf(f, "What the VMs received (capacity: work done, in %% of "
		"one CPU at the maximum frequency; B's job response times "
		"after a %.0f s warm-up):\n\n",
		s->runs[0].c.vms[1].load.measure_from_ns / 1e9);
	md_vms(f, s);
	fprintf(f, "What the processor did:\n\n");
	md_machine(f, s);
}

/* ---- SVG ----------------------------------------------------------------- */

#define SVG_W 900
#define PANEL_H 200
#define PANEL_GAP 75
#define LEFT 70
#define RIGHT 230   /* room for the legend */
#define TOP 50
#define NPANELS 3
#define SVG_H (TOP + NPANELS * (PANEL_H + PANEL_GAP) - 20)
#define PLOT_W (SVG_W - LEFT - RIGHT)
#define NSTYLES 6

static const char *const colors[NSTYLES] = {
	"#555555", "#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e",
};
static const char *const dashes[NSTYLES] = { "6,4", "", "", "", "3,2", "" };

struct axis {
	int top;
	double ymin, ymax, ystep;
	const char *ylabel, *yfmt;
	double xmin, xmax, xstep;   /* seconds */
	const char *xfmt;
	double xlabel_scale;        /* tick labels in s (1) or ms (1000) */
	const char *xlabel;
};

static double px(const struct axis *a, double t_s)
{
	return LEFT + PLOT_W * (t_s - a->xmin) / (a->xmax - a->xmin);
}

static double py(const struct axis *a, double y)
{
	return a->top + PANEL_H * (1 - (y - a->ymin) / (a->ymax - a->ymin));
}

static void svg_axes(FILE *f, const struct axis *a, const char *title)
{
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%s</text>\n",
		LEFT, a->top - 12, title);
	for (double y = a->ymin; y <= a->ymax + 1e-9; y += a->ystep) {
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
			"stroke=\"#dddddd\"/>\n", LEFT, py(a, y),
			LEFT + PLOT_W, py(a, y));
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
			LEFT - 6, py(a, y) + 4);
		fprintf(f, a->yfmt, y);
		fprintf(f, "</text>\n");
	}
	for (double t = a->xmin; t <= a->xmax + 1e-9; t += a->xstep) {
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			"stroke=\"#999999\"/>\n", px(a, t), a->top + PANEL_H,
			px(a, t), a->top + PANEL_H + 5);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
			px(a, t), a->top + PANEL_H + 20);
		fprintf(f, a->xfmt, t * a->xlabel_scale);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#333333\"/>\n", LEFT, a->top, PLOT_W,
		PANEL_H);
	fprintf(f, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
		LEFT + PLOT_W / 2, a->top + PANEL_H + 38, a->xlabel);
	fprintf(f, "<text transform=\"translate(18,%d) rotate(-90)\" "
		"text-anchor=\"middle\">%s</text>\n", a->top + PANEL_H / 2,
		a->ylabel);
}

static void polyline_start(FILE *f, size_t style)
{
	fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" "
		"stroke-dasharray=\"%s\" points=\"", colors[style % NSTYLES],
		style ? "1.6" : "2", dashes[style % NSTYLES]);
}

/* One run's per-window series, through the windows' midpoints. */
static void svg_series(FILE *f, const struct axis *a,
		       const struct sim_record *rec, const uint32_t *series,
		       double scale, size_t style)
{
	double win_s = (double)rec->c.window_ns / NS_PER_S;
	polyline_start(f, style);
	for (uint32_t i = 0; i < rec->r.npoints; i++)
		fprintf(f, "%.1f,%.1f ", px(a, (i + 0.5) * win_s),
			py(a, series[i] * scale));
	fprintf(f, "\"/>\n");
}

/* CPU 0's exact frequency, as steps, over the axis' time range. */
static void svg_steps(FILE *f, const struct axis *a,
		      const struct sim_record *rec, size_t style)
{
	const struct sim_result *r = &rec->r;
	double ghz = 0;
	uint32_t i = 0;
	/* the level in force at xmin */
	for (; i < r->nsteps && r->steps[i].t_ns / NS_PER_S <= a->xmin; i++)
		ghz = r->steps[i].khz / 1e6;
	polyline_start(f, style);
	fprintf(f, "%.1f,%.1f ", px(a, a->xmin), py(a, ghz));
	for (; i < r->nsteps && r->steps[i].t_ns / NS_PER_S < a->xmax; i++) {
		double t = r->steps[i].t_ns / NS_PER_S;
		fprintf(f, "%.1f,%.1f ", px(a, t), py(a, ghz));
		ghz = r->steps[i].khz / 1e6;
		fprintf(f, "%.1f,%.1f ", px(a, t), py(a, ghz));
	}
	fprintf(f, "%.1f,%.1f\"/>\n", px(a, a->xmax), py(a, ghz));
}

static void svg_legend_entry(FILE *f, int top, size_t row, size_t style,
			     const char *text)
{
	int y = top + 10 + 22 * (int)row;
	fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>\n",
		LEFT + PLOT_W + 12, y, LEFT + PLOT_W + 36, y,
		colors[style % NSTYLES], dashes[style % NSTYLES]);
	fprintf(f, "<text x=\"%d\" y=\"%d\">%s</text>\n", LEFT + PLOT_W + 42,
		y + 4, text);
}

static void svg_legend(FILE *f, const struct sim_scenario *sc, int top)
{
	char text[96];
	for (size_t k = 0; k < sc->nruns; k++) {
		snprintf(text, sizeof(text), "%s + %s%s",
			 mode_name(sc->runs[k].c.mode),
			 gov_name(sc->runs[k].c.governor), k ? "" : " (ref.)");
		svg_legend_entry(f, top, k, k, text);
	}
}

void report_svg(FILE *f, const struct sim_scenario *sc, uint32_t vm,
		const struct sim_record *extra, const char *extra_label,
		double zoom_from_s, double zoom_to_s)
{
	const struct sim_record *r0 = &sc->runs[0];
	double fmax_ghz = sim_fmax_khz(&r0->c.cpu) / 1e6;
	double xmax = (double)r0->c.duration_ns / NS_PER_S;
	uint32_t due = r0->r.vm[vm].promised_pct;
	int top2 = TOP + PANEL_H + PANEL_GAP, top3 = top2 + PANEL_H + PANEL_GAP;
	struct axis cap = { TOP, 0, 100, 20, "% of one CPU at f_max", "%.0f",
			    0, xmax, 2, "%.0f", 1, "simulated time (s)" };
	struct axis freq = { top2, 0, fmax_ghz + 0.2, 0.5, "GHz", "%.1f",
			     0, xmax, 2, "%.0f", 1, "simulated time (s)" };
	struct axis zoom = freq;
	char title[200];

	zoom.top = top3;
	zoom.xmin = zoom_from_s;
	zoom.xmax = zoom_to_s;
	zoom.xstep = 0.06;   /* two accounting periods, three samples */
	zoom.xlabel_scale = 1000;
	zoom.xlabel = "simulated time (ms)";

	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
		SVG_W, SVG_H);

	snprintf(title, sizeof(title), "Capacity received by VM %s "
		 "(promised %u %%), average per %.0f ms", r0->c.vms[vm].name,
		 due, r0->c.window_ns / 1e6);
	svg_axes(f, &cap, title);
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		"stroke=\"#000000\" stroke-dasharray=\"2,3\"/>\n", LEFT,
		py(&cap, due), LEFT + PLOT_W, py(&cap, due));
	/* The reference last: its dashes on top of the lines it hides. */
	for (size_t n = 1; n <= sc->nruns; n++) {
		size_t k = n % sc->nruns;
		svg_series(f, &cap, &sc->runs[k],
			   sc->runs[k].r.vm[vm].series_pm, 0.1, k);
	}
	svg_legend(f, sc, TOP);

	snprintf(title, sizeof(title), "CPU frequency, average per %.0f ms",
		 r0->c.window_ns / 1e6);
	svg_axes(f, &freq, title);
	for (size_t n = 1; n <= sc->nruns; n++) {
		size_t k = n % sc->nruns;
		svg_series(f, &freq, &sc->runs[k],
			   sc->runs[k].r.cpu[0].series_khz, 1e-6, k);
	}
	svg_legend(f, sc, top2);

	snprintf(title, sizeof(title), "CPU frequency, exact, %.0f-%.0f ms",
		 zoom_from_s * 1e3, zoom_to_s * 1e3);
	svg_axes(f, &zoom, title);
	for (size_t n = 1; n <= sc->nruns; n++) {
		size_t k = n % sc->nruns;
		svg_steps(f, &zoom, &sc->runs[k], k);
	}
	svg_legend(f, sc, top3);
	if (extra) {
		svg_steps(f, &zoom, extra, sc->nruns);
		svg_legend_entry(f, top3, sc->nruns, sc->nruns, extra_label);
	}
	fprintf(f, "</svg>\n");
}
