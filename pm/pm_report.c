/*
 * Power-management reports: the xenpm-like console report and the PM
 * JSON line (see pm_report.h; the layout follows Xen's tools/misc/xenpm.c
 * loosely: per CPU P-state residency and transitions, average frequency,
 * then C-states). Pure: volt_snprintf into the caller's buffer.
 */
#include <stdarg.h>
#include "lib/format.h"
#include "lib/text_writer.h"
#include "lib/string.h"
#include "pm/pm_report.h"

#define NS_PER_MS 1000000ull
#define UJ_PER_J 1000000ull
#define FJ_PER_UJ 1000000000ull

static void put_part(struct text_writer *w, pm_report_part_fn fn, void *ctx,
		     uint32_t cpu)
{
	int n;

	if (w->full)
		return;
	n = fn(ctx, cpu, w->buf + w->pos, w->len - w->pos);
	if (n < 0 || (size_t)n >= w->len - w->pos) {
		w->full = true;
		return;
	}
	w->pos += (size_t)n;
}


static unsigned long long ull(uint64_t v)
{
	return (unsigned long long)v;
}

/* ns as milliseconds with three decimals. */
static void put_ms(struct text_writer *w, uint64_t ns)
{
	tw_put(w, "%llu.%03llu", ull(ns / NS_PER_MS), ull(ns / 1000 % 1000));
}

/* uJ as joules with six decimals. */
static void put_j(struct text_writer *w, uint64_t uj)
{
	tw_put(w, "%llu.%06llu", ull(uj / UJ_PER_J), ull(uj % UJ_PER_J));
}

/* floor(a x b / c), or 0 when c is 0 (or the quotient is absurd). */
static uint64_t scale(uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t q;

	if (pm_mul_div(a, b, c, &q, NULL))
		return 0;
	return q;
}

/* part / whole in tenths of a percent, rounded to nearest (0 when whole
 * is 0). */
static uint64_t pct_tenths(uint64_t part, uint64_t whole)
{
	uint64_t t, rem;

	if (pm_mul_div(part, 1000, whole, &t, &rem))
		return 0;
	return rem >= whole - rem ? t + 1 : t;
}

/* The same as text, "45.6", for columns that align it. */
struct pct_text {
	char s[24];
};

static struct pct_text pct_text(uint64_t part, uint64_t whole)
{
	struct pct_text p;
	uint64_t t = pct_tenths(part, whole);

	volt_snprintf(p.s, sizeof(p.s), "%llu.%llu", ull(t / 10), ull(t % 10));
	return p;
}

static void put_pct(struct text_writer *w, uint64_t part, uint64_t whole)
{
	tw_put(w, "%s", pct_text(part, whole).s);
}

/* ---- console report --------------------------------------------------- */

static uint64_t residency_total(const struct pm_report_pstates *p)
{
	uint64_t sum = 0;

	for (uint32_t i = 0; i < p->count; i++)
		sum += p->residency_ns[i];
	return sum;
}

/* sum(khz_i x res_i) / sum(res_i), exactly floored: the quotients and
 * remainders of each term are added separately. */
static uint64_t weighted_khz(const struct pm_report_pstates *p)
{
	uint64_t total = residency_total(p), q = 0, rem = 0;

	if (!total)
		return p->cur < p->count ? p->khz[p->cur] : 0;
	for (uint32_t i = 0; i < p->count; i++) {
		uint64_t qi, ri;

		if (pm_mul_div(p->khz[i], p->residency_ns[i], total, &qi, &ri))
			continue;
		q += qi;
		rem += ri;  /* each < total: at most one carry per term */
		if (rem >= total) {
			rem -= total;
			q++;
		}
	}
	return q;
}

/* The driver's name, and "(modeled)" unless the name says so already. */
static void put_driver(struct text_writer *w, const struct pm_report *r)
{
	const char *name = r->pstate_driver ? r->pstate_driver : "?";

	tw_put(w, "%s%s", name,
	    r->pstate_modeled && strcmp(name, "modeled") ? " (modeled)" : "");
}

static void report_pstates(struct text_writer *w, const struct pm_report *r,
			   const struct pm_report_pstates *p)
{
	uint64_t total = residency_total(p), transitions = 0;
	uint32_t avg = p->avg_khz ? p->avg_khz : (uint32_t)weighted_khz(p);

	for (uint32_t i = 0; i < p->count; i++)
		transitions += p->transitions[i];
	tw_put(w, "  P-states: %u, driver ", p->count);
	put_driver(w, r);
	tw_put(w, ", current %u MHz, average %u MHz%s, %llu transitions\n",
	    p->cur < p->count ? p->khz[p->cur] / 1000 : 0, avg / 1000,
	    p->avg_khz ? "" : " (from residency)", ull(transitions));
	tw_put(w, "    %-4s %6s %14s %6s %12s\n", "", "MHz", "residency_ms",
	    "%", "transitions");
	for (uint32_t i = 0; i < p->count; i++)
		tw_put(w, "    %sP%-2u %6u %10llu.%03llu %6s %12llu\n",
		    i == p->cur ? "*" : " ", i, p->khz[i] / 1000,
		    ull(p->residency_ns[i] / NS_PER_MS),
		    ull(p->residency_ns[i] / 1000 % 1000),
		    pct_text(p->residency_ns[i], total).s,
		    ull(p->transitions[i]));
}

static void report_cpu_energy(struct text_writer *w, const struct pm_energy_cpu *e)
{
	tw_put(w, "  energy ");
	put_j(w, pm_energy_cpu_total_uj(e));
	tw_put(w, " J (modeled): running ");
	put_j(w, pm_energy_cpu_busy_uj(e));
	tw_put(w, " J over ");
	put_ms(w, e->busy_ns);
	tw_put(w, " ms, idle ");
	put_j(w, pm_energy_cpu_idle_uj(e));
	tw_put(w, " J over ");
	put_ms(w, e->idle_ns);
	tw_put(w, " ms\n");
}

static void report_cpu(struct text_writer *w, const struct pm_report *r,
		       const struct pm_report_cpu *c)
{
	tw_put(w, "cpu %u\n", c->cpu);
	if (c->p.count)
		report_pstates(w, r, &c->p);
	else
		tw_put(w, "  P-states: none\n");
	if (r->cstate_part)
		put_part(w, r->cstate_part, r->cstate_ctx, c->cpu);
	else
		tw_put(w, "  C-states: not reported\n");
	if (c->energy)
		report_cpu_energy(w, c->energy);
}

/* The model's package: uncore plus every reported processor, with all
 * remainders (as pm_energy_pkg_total_uj, over pointers). */
static uint64_t model_pkg_uj(const struct pm_report *r, uint64_t *cpus_uj)
{
	uint64_t uj = 0, rem = 0, all;

	for (uint32_t i = 0; i < r->ncpus; i++) {
		const struct pm_energy_cpu *e = r->cpus[i].energy;

		if (!e)
			continue;
		uj += e->busy.uj + e->idle.uj;
		rem += e->busy.rem_fj + e->idle.rem_fj;
		uj += rem / FJ_PER_UJ;
		rem %= FJ_PER_UJ;
	}
	*cpus_uj = uj;
	all = uj;
	if (r->pkg) {
		rem += r->pkg->uncore.rem_fj;
		all += r->pkg->uncore.uj + rem / FJ_PER_UJ;
	}
	return all;
}

static void report_package(struct text_writer *w, const struct pm_report *r)
{
	uint64_t cpus_uj, total = model_pkg_uj(r, &cpus_uj);

	tw_put(w, "package: ");
	put_j(w, total);
	tw_put(w, " J (modeled): processors ");
	put_j(w, cpus_uj);
	tw_put(w, " J, uncore ");
	put_j(w, r->pkg ? pm_energy_pkg_uncore_uj(r->pkg) : 0);
	tw_put(w, " J\n");
	if (!r->rapl.present) {
		tw_put(w, "package: RAPL absent, energy is modeled\n");
		return;
	}
	tw_put(w, "package: ");
	put_j(w, r->rapl.pkg_uj);
	tw_put(w, " J measured by RAPL");
	if (r->rapl.core_present) {
		tw_put(w, ", cores ");
		put_j(w, r->rapl.core_uj);
		tw_put(w, " J");
	}
	if (r->rapl.dram_present) {
		tw_put(w, ", dram ");
		put_j(w, r->rapl.dram_uj);
		tw_put(w, " J");
	}
	tw_put(w, "\n");
}

static void report_vm(struct text_writer *w, const struct pm_report *r,
		      uint32_t vm)
{
	const struct pm_attrib *a = r->attrib;
	const char *name = r->vm_names ? r->vm_names[vm] : NULL;

	if (name)
		tw_put(w, "  %4u %-12.12s ", vm, name);
	else
		tw_put(w, "  %4u vm%-10u ", vm, vm);
	tw_put(w, "%7llu.%06llu %7s %14llu.%03llu\n", ull(a->vm_uj[vm] / UJ_PER_J),
	    ull(a->vm_uj[vm] % UJ_PER_J), pct_text(a->vm_uj[vm], a->busy_uj).s,
	    ull(a->vm_capacity_ns[vm] / NS_PER_MS),
	    ull(a->vm_capacity_ns[vm] / 1000 % 1000));
}

static void report_vms(struct text_writer *w, const struct pm_report *r)
{
	const struct pm_attrib *a = r->attrib;

	tw_put(w, "VM energy (modeled; running energy split by capacity used, "
	    "idle not charged):\n");
	tw_put(w, "  %4s %-12s %14s %7s %18s\n", "vm", "name", "energy_J",
	    "busy%", "capacity_ms");
	for (uint32_t vm = 0; vm < PM_ATTRIB_MAX_VMS; vm++)
		if ((r->vm_names && r->vm_names[vm]) || a->vm_uj[vm])
			report_vm(w, r, vm);
	tw_put(w, "  unattributed running energy (no VM): ");
	put_j(w, a->unattributed_uj);
	tw_put(w, " J\n  idle energy (not charged to VMs): ");
	put_j(w, a->idle_uj);
	tw_put(w, " J\n");
}

int pm_format_report(const struct pm_report *r, char *buf, size_t len)
{
	struct text_writer w = { buf, len, 0, false };

	if (!buf || !len)
		return -1;
	tw_put(&w, "PM report at ");
	put_ms(&w, r->t_ns);
	tw_put(&w, " ms: P-states ");
	put_driver(&w, r);
	tw_put(&w, ", energy %s\n", r->rapl.present ?
	    "RAPL (package) + model (per CPU, per VM)" : "(modeled)");
	for (uint32_t i = 0; i < r->ncpus; i++)
		report_cpu(&w, r, &r->cpus[i]);
	report_package(&w, r);
	if (r->attrib)
		report_vms(&w, r);
	return tw_finish(&w);
}

/* ---- the PM line ------------------------------------------------------ */

/* uJ over ns as mW: uJ / ns = 1e3 W = 1e6 mW. */
static uint64_t power_mw(uint64_t uj, uint64_t ns)
{
	return scale(uj, 1000000, ns);
}

static void line_cpu(struct text_writer *w, const struct pm_line *l,
		     const struct pm_line_cpu *c, bool first)
{
	tw_put(w, "%s{\"cpu\":%u,\"f_khz\":%u,\"busy_pct\":", first ? "" : ",",
	    c->cpu, c->f_khz);
	put_pct(w, c->busy_ns, l->period_ns);
	tw_put(w, ",\"cstate_us\":[");
	for (uint32_t i = 0; i < c->ncstates; i++)
		tw_put(w, "%s%llu", i ? "," : "", ull(c->cstate_ns[i] / 1000));
	tw_put(w, "],\"power_mw\":%llu}",
	    ull(power_mw(c->energy_uj, l->period_ns)));
}

int pm_format_line(const struct pm_line *l, char *buf, size_t len)
{
	struct text_writer w = { buf, len, 0, false };

	if (!buf || !len)
		return -1;
	tw_put(&w, "PM {\"t_ms\":");
	put_ms(&w, l->t_ns);
	tw_put(&w, ",\"period_ms\":");
	put_ms(&w, l->period_ns);
	tw_put(&w, ",\"pstates\":\"%s\",\"energy\":\"%s\",\"cpus\":[",
	    l->pstate_modeled ? "modeled" : "hw",
	    l->energy_modeled ? "modeled" : "rapl");
	for (uint32_t i = 0; i < l->ncpus; i++)
		line_cpu(&w, l, &l->cpus[i], i == 0);
	tw_put(&w, "],\"pkg\":{\"power_mw\":%llu},\"vms\":[",
	    ull(power_mw(l->pkg_energy_uj, l->period_ns)));
	for (uint32_t i = 0; i < l->nvms; i++)
		tw_put(&w, "%s{\"vm\":%u,\"energy_uj\":%llu}", i ? "," : "",
		    l->vms[i].vm, ull(l->vms[i].energy_uj));
	tw_put(&w, "]}");
	return tw_finish(&w);
}
