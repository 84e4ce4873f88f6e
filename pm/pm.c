/*
 * Power management's per-CPU glue (pm.h). Drivers are tried in order:
 * Intel, AMD (arch/x86/pstate_*.c, which check that the MSRs behave, not
 * only that they do not fault), then the modeled driver (pm/
 * pstate_modeled.c) with the config's table: the emulators here have no
 * working P-state MSRs (EMULATORS.md), and every report then says
 * "modeled". The C-state table comes from CPUID (pm/cstate_table.c);
 * energy from the power model fed with real busy and idle residencies.
 *
 * Per-CPU state is touched only by its own processor (pm_sample and
 * pm_idle run there); the report reads it at the end.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/idle.h"
#include "arch/x86/msr_safe.h"
#include "arch/x86/rapl.h"
#include "arch/x86/tsc.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/string.h"
#include "pm/energy_attrib.h"
#include "pm/governor.h"
#include "pm/idle_gov.h"
#include "pm/idle_report.h"
#include "pm/pm.h"
#include "pm/pm_report.h"
#include "pm/power_model.h"

struct pm_cpu {
	struct pstate_cpu pc;
	struct gov_cpu gov;
	uint32_t cur;                      /* P-state index */
	uint64_t last_sample, last_busy;   /* ns, at the governor's sample */
	uint64_t booked_busy;              /* busy ns booked as energy */
	uint64_t residency_ns[PSTATE_MAX]; /* time in each P-state */
	uint64_t transitions[PSTATE_MAX];
	struct idle_gov_state idle_gov;
	struct idle_stats idle;
	struct pm_energy_cpu energy;
	/* for the PM line: values at the last line */
	uint64_t line_busy, line_uj;
	uint64_t attr_busy_uj, attr_idle_uj; /* attributed up to these */
	uint64_t line_cstate_ns[CSTATE_MAX];
};

static struct pm_settings set;
static const struct pstate_driver *driver;
static struct pstate_table ptable;
static struct cstate_table ctable;
static struct gov_params gov;
static struct pm_power_model model;
static struct pm_energy_pkg pkg;
static struct pm_attrib attrib;
static struct pm_cpu cpus[PM_MAX_CPUS];
static uint32_t ncpus;
static uint64_t last_line, line_pkg_uj;
/* RAPL: probed at boot, confirmed (its counter must move) at the first
 * PM period, sampled every period on CPU 0's books. */
static struct rapl rapl;
static bool rapl_probed, rapl_checked;

/* ---- boot ------------------------------------------------------------------ */

static void modeled_table(void)
{
	pstate_modeled_default_table(&ptable);
	if (!set.freq_count)
		return;
	struct pstate_table t = { .count = 0 };
	/* Fastest first, as every table. */
	uint32_t order[PSTATE_MAX];
	for (uint32_t i = 0; i < set.freq_count; i++)
		order[i] = i;
	for (uint32_t i = 0; i < set.freq_count; i++)
		for (uint32_t j = i + 1; j < set.freq_count; j++)
			if (set.freqs_mhz[order[j]] > set.freqs_mhz[order[i]]) {
				uint32_t x = order[i];
				order[i] = order[j];
				order[j] = x;
			}
	for (uint32_t i = 0; i < set.freq_count; i++) {
		uint32_t k = order[i];
		if (i && set.freqs_mhz[k] == set.freqs_mhz[order[i - 1]])
			continue;
		t.states[t.count].khz = set.freqs_mhz[k] * 1000;
		t.states[t.count].mv = set.volt_count ? set.volts_mv[k] : 0;
		t.states[t.count].ctl = t.count;
		t.count++;
	}
	char why[PSTATE_WHY_LEN];
	if (pstate_table_check(&t, why, sizeof(why)) == 0)
		ptable = t;
	else
		printk("pm: the config's P-state table is not usable (%s); "
		       "the built-in one is used\n", why);
}

static void choose_pstate_driver(void)
{
	static const struct pstate_driver *const hw[] = {
		&pstate_intel_driver, &pstate_amd_driver,
	};
	char why[PSTATE_WHY_LEN];
	for (unsigned i = 0; i < sizeof(hw) / sizeof(hw[0]); i++) {
		struct pstate_table t;
		int r = hw[i]->probe(msr_io_hw(), cpuid_io_hw(), &t,
				     &cpus[0].pc, why, sizeof(why));
		if (r == PSTATE_OK) {
			driver = hw[i];
			ptable = t;
			return;
		}
		if (r == PSTATE_REFUSED)
			printk("pm: %s P-state driver refused: %s\n",
			       hw[i]->name, why);
	}
	driver = &pstate_modeled_driver;
	modeled_table();
	driver->probe(msr_io_hw(), cpuid_io_hw(), &ptable, &cpus[0].pc, why,
		      sizeof(why));
}

static void setup_governor(void)
{
	static const enum gov_kind kinds[] = {
		[PM_GOVERNOR_ONDEMAND] = GOV_ONDEMAND,
		[PM_GOVERNOR_PERFORMANCE] = GOV_PERFORMANCE,
		[PM_GOVERNOR_POWERSAVE] = GOV_POWERSAVE,
		[PM_GOVERNOR_USERSPACE] = GOV_USERSPACE,
	};
	gov_params_default(&gov, kinds[set.governor]);
	gov.sampling_ns = set.sampling_ns;
	gov.up_threshold = set.up_threshold;
	gov.userspace_index = set.userspace_pstate < ptable.count
				      ? set.userspace_pstate
				      : ptable.count - 1;
}

#define CPUID_1_ECX_MONITOR (1u << 3)

/* The C-state table for this processor: its family/model and CPUID leaf
 * 5 (zeros without MONITOR/MWAIT). */
static void setup_cstates(void)
{
	const struct cpuid_io *c = cpuid_io_hw();
	uint32_t leaf1[4], leaf5[4] = { 0, 0, 0, 0 };
	c->cpuid(1, 0, leaf1);
	bool has_mwait = leaf1[CPUID_ECX] & CPUID_1_ECX_MONITOR;
	if (has_mwait)
		cpuid_leaf_or_zero(c, 5, leaf5);
	cstate_table_build(cpuid_family(leaf1[CPUID_EAX]),
			   cpuid_model(leaf1[CPUID_EAX]), leaf5,
			   has_mwait && set.idle != PM_IDLE_HALT, set.max_cstate,
			   &ctable);
	if (set.idle_mw)
		ctable.states[0].power_mw = set.idle_mw;
}

static void setup_power_model(void)
{
	pm_power_model_default(&model);
	if (set.static_mw)
		model.static_mw = set.static_mw;
	if (set.dynamic_mw) {
		/* The dynamic power at the fastest state sets C_dyn. */
		struct pm_power_model unit = model;
		unit.cdyn_pf = 1000;
		uint64_t uw = pm_dynamic_power_uw(&unit, ptable.states[0].khz,
						  ptable.states[0].mv);
		if (uw)
			model.cdyn_pf = (uint32_t)((uint64_t)set.dynamic_mw *
						   1000 * 1000 / uw);
	}
	if (!pm_power_model_valid(&model)) {
		printk("pm: power model constants out of range; defaults used\n");
		pm_power_model_default(&model);
	}
	pm_energy_pkg_init(&pkg, &model);
	pm_attrib_init(&attrib);
}

/* RAPL where the processor has it (Intel or AMD, told by CPUID). The
 * emulators read zeros or fault: the model is used, and said so. */
static void probe_rapl(void)
{
	char why[120];
	enum rapl_vendor v = cpuid_vendor_is(cpuid_io_hw(), "AuthenticAMD")
				     ? RAPL_AMD : RAPL_INTEL;
	rapl_probed = rapl_probe(&rapl, msr_io_hw(), v, why, sizeof(why)) == 0;
	if (!rapl_probed)
		printk("pm: RAPL refused: %s\n", why);
}

/* At the first PM period: did the energy counter move? */
static void confirm_rapl(uint64_t elapsed)
{
	char why[120];
	rapl_checked = true;
	if (!rapl_probed)
		return;
	if (rapl_confirm(&rapl, elapsed, why, sizeof(why)) == 0) {
		printk("pm: energy: RAPL confirmed (package counter moves)\n");
	} else {
		printk("pm: RAPL refused: %s\n", why);
		rapl_probed = false;
	}
}

static const char *idle_name(void)
{
	static const char *const names[] = {
		[PM_IDLE_MENU] = "menu", [PM_IDLE_HALT] = "halt",
		[PM_IDLE_POLL] = "poll", [PM_IDLE_NEXT_TIMER] = "next-timer",
	};
	return names[set.idle];
}

static void print_setup(void)
{
	printk("pm: P-states: %s%s, %u states %u-%u MHz, governor %s\n",
	       pstate_label(driver, &ptable),
	       driver->modeled ? " (modeled: duty-cycled)" : "", ptable.count,
	       pstate_fmin_khz(&ptable) / 1000, pstate_fmax_khz(&ptable) / 1000,
	       gov_kind_name(gov.kind));
	char line[200];
	int n = volt_snprintf(line, sizeof(line), "pm: C-states (%s, idle "
			      "governor %s):", ctable.table_name, idle_name());
	for (uint32_t i = 0; i < ctable.count && n < (int)sizeof(line); i++)
		n += volt_snprintf(line + n, sizeof(line) - (size_t)n,
				   " %s/%uus", ctable.states[i].name,
				   ctable.states[i].exit_latency_us);
	printk("%s\n", line);
	printk("pm: energy: modeled (static %u mW, C_dyn %u pF per core, "
	       "uncore %u mW)%s\n", model.static_mw, model.cdyn_pf,
	       model.pkg_static_mw,
	       rapl_probed ? "; RAPL found, to be confirmed" : "");
}

void pm_init(const struct pm_settings *s, uint32_t cpu_total)
{
	set = *s;
	ncpus = cpu_total < PM_MAX_CPUS ? cpu_total : PM_MAX_CPUS;
	choose_pstate_driver();
	setup_governor();
	setup_cstates();
	setup_power_model();
	probe_rapl();
	for (uint32_t c = 0; c < ncpus; c++) {
		if (c)
			cpus[c].pc = cpus[0].pc;
		cpus[c].cur = cpus[0].pc.cur;
		cpus[c].transitions[cpus[c].cur] = 1;
		idle_gov_init(&cpus[c].idle_gov);
		pm_energy_cpu_init(&cpus[c].energy, &model);
	}
	print_setup();
}

uint64_t pm_sampling_ns(void)
{
	return gov.sampling_ns;
}

void pm_cpu_freq(uint32_t cpu, uint32_t *f_cur_khz, uint32_t *f_max_khz)
{
	*f_cur_khz = ptable.states[cpus[cpu].cur].khz;
	*f_max_khz = pstate_fmax_khz(&ptable);
}

/* ---- the governor ---------------------------------------------------------- */

static uint32_t governor_target(uint32_t cpu, struct pm_cpu *p,
				uint64_t busy, uint64_t window)
{
	if (gov.kind == GOV_USERSPACE && !(set.userspace_cpus & (1ull << cpu)))
		return 0;
	uint32_t avg = driver->avg_khz(msr_io_hw(), &ptable, &p->pc);
	return gov_sample(&gov, &p->gov, &ptable, p->cur, busy, window, avg);
}

/* Running time up to `busy_ns` (the CPU's total) as energy at the
 * current P-state: before every state change and every PM line, so
 * energy and the VMs' capacities cover the same stretch of time. */
static void book_busy(struct pm_cpu *p, uint64_t busy_ns)
{
	if (busy_ns <= p->booked_busy)
		return;
	pm_energy_add_busy(&p->energy, ptable.states[p->cur].khz,
			   ptable.states[p->cur].mv, busy_ns - p->booked_busy);
	p->booked_busy = busy_ns;
}

bool pm_sample(uint32_t cpu, uint64_t now, uint64_t busy_ns,
	       uint32_t *f_cur_khz, uint32_t *f_max_khz)
{
	struct pm_cpu *p = &cpus[cpu];
	uint64_t window = now - p->last_sample;
	uint64_t busy = busy_ns - p->last_busy;
	p->last_sample = now;
	p->last_busy = busy_ns;
	if (busy > window)
		busy = window;
	book_busy(p, busy_ns);
	p->residency_ns[p->cur] += window;
	uint32_t target = governor_target(cpu, p, busy, window);
	*f_max_khz = pstate_fmax_khz(&ptable);
	*f_cur_khz = ptable.states[p->cur].khz;
	if (target == p->cur || target >= ptable.count ||
	    driver->set(msr_io_hw(), &ptable, &p->pc, target))
		return false;
	p->cur = target;
	p->transitions[target]++;
	*f_cur_khz = ptable.states[target].khz;
	return true;
}

uint64_t pm_duty_on_ns(uint32_t cpu, uint64_t period_ns)
{
	if (!driver || !driver->modeled || cpus[cpu].cur == 0)
		return 0;
	return pstate_duty_run_ns(&ptable, cpus[cpu].cur, period_ns);
}

/* ---- idle ------------------------------------------------------------------ */

void pm_idle(uint32_t cpu, uint64_t until_tsc, const volatile bool *stop)
{
	struct pm_cpu *p = &cpus[cpu];
	uint64_t start = rdtsc();
	uint64_t next_timer = until_tsc == UINT64_MAX
				      ? UINT64_MAX
				      : tsc_ticks_to_ns(until_tsc > start
							? until_tsc - start : 0);
	if (set.idle == PM_IDLE_POLL) {
		cpu_idle_poll(until_tsc, stop);
		return;
	}
	enum idle_gov_kind kind = set.idle == PM_IDLE_NEXT_TIMER
					  ? IDLE_GOV_NEXT_TIMER : IDLE_GOV_MENU;
	uint32_t s = idle_select(kind, &p->idle_gov, &ctable, next_timer,
				 set.latency_ns);
	const struct cstate *st = &ctable.states[s];
	if (cstate_is_hlt(st))
		cpu_idle_halt(until_tsc);
	else
		cpu_idle_mwait(st->mwait_hint, until_tsc);
	uint64_t measured = tsc_ticks_to_ns(rdtsc() - start);
	idle_reflect(&p->idle_gov, s, next_timer, measured);
	idle_account(&p->idle, &ctable, &p->idle_gov.last, measured);
	pm_energy_add_idle(&p->energy, st->power_mw, measured);
}

/* ---- reports --------------------------------------------------------------- */

/* Each processor's busy energy since the last line, split among the VMs
 * by the capacity each used on that processor in the same time (a VM
 * that ran at a low frequency is charged the cheaper energy it used). */
static void attribute(const uint64_t (*cpu_capacity)[PM_MAX_VMS])
{
	static uint64_t last_cap[PM_MAX_CPUS][PM_MAX_VMS];
	for (uint32_t c = 0; c < ncpus; c++) {
		struct pm_cpu *p = &cpus[c];
		struct pm_vm_capacity caps[PM_MAX_VMS];
		uint32_t n = 0;
		uint64_t busy_uj = pm_energy_cpu_busy_uj(&p->energy);
		uint64_t idle_uj = pm_energy_cpu_idle_uj(&p->energy);
		for (uint32_t vm = 0; vm < PM_MAX_VMS; vm++) {
			uint64_t cap = cpu_capacity[c][vm];
			if (cap > last_cap[c][vm]) {
				caps[n].vm = vm;
				caps[n++].capacity_ns = cap - last_cap[c][vm];
			}
			last_cap[c][vm] = cap;
		}
		pm_attrib_split(&attrib, busy_uj - p->attr_busy_uj,
				idle_uj - p->attr_idle_uj, caps, n);
		p->attr_busy_uj = busy_uj;
		p->attr_idle_uj = idle_uj;
	}
}

int pm_period_line(uint64_t now, const uint64_t *busy_ns,
		   const uint64_t (*cpu_capacity)[PM_MAX_VMS], char *buf,
		   size_t len)
{
	static struct pm_line_cpu lc[PM_MAX_CPUS];
	static uint64_t cstate_ns[PM_MAX_CPUS][CSTATE_MAX];
	static struct pm_line_vm vms[PM_MAX_VMS];
	uint64_t period = now - last_line;

	pm_energy_pkg_add_time(&pkg, period);
	for (uint32_t c = 0; c < ncpus; c++)
		book_busy(&cpus[c], busy_ns[c]);
	attribute(cpu_capacity);
	if (!rapl_checked)
		confirm_rapl(now);
	else if (rapl_probed)
		rapl_sample(&rapl);
	for (uint32_t c = 0; c < ncpus; c++) {
		struct pm_cpu *p = &cpus[c];
		uint64_t uj = pm_energy_cpu_total_uj(&p->energy);
		lc[c] = (struct pm_line_cpu){
			.cpu = c, .f_khz = ptable.states[p->cur].khz,
			.busy_ns = p->booked_busy - p->line_busy,
			.ncstates = ctable.count, .cstate_ns = cstate_ns[c],
			.energy_uj = uj - p->line_uj,
		};
		for (uint32_t s = 0; s < ctable.count; s++) {
			cstate_ns[c][s] = p->idle.residency_ns[s] -
					  p->line_cstate_ns[s];
			p->line_cstate_ns[s] = p->idle.residency_ns[s];
		}
		p->line_busy = p->booked_busy;
		p->line_uj = uj;
	}
	uint32_t nv = 0;
	for (uint32_t vm = 0; vm < PM_MAX_VMS; vm++)
		if (attrib.vm_uj[vm])
			vms[nv++] = (struct pm_line_vm){ vm, attrib.vm_uj[vm] };
	uint64_t pkg_uj = pm_energy_pkg_uncore_uj(&pkg);
	for (uint32_t c = 0; c < ncpus; c++)
		pkg_uj += pm_energy_cpu_total_uj(&cpus[c].energy);
	struct pm_line l = {
		.t_ns = now, .period_ns = period,
		.pstate_modeled = driver->modeled, .energy_modeled = !rapl_probed,
		.cpus = lc, .ncpus = ncpus,
		.pkg_energy_uj = pkg_uj - line_pkg_uj, .vms = vms, .nvms = nv,
	};
	line_pkg_uj = pkg_uj;
	last_line = now;
	return pm_format_line(&l, buf, len);
}

int pm_format_final(uint64_t now, const uint64_t *busy_ns,
		    const uint64_t (*cpu_capacity)[PM_MAX_VMS],
		    const char *const *vm_names, char *buf, size_t len)
{
	pm_energy_pkg_add_time(&pkg, now - last_line);
	last_line = now;
	for (uint32_t c = 0; c < ncpus; c++)
		book_busy(&cpus[c], busy_ns[c]);
	attribute(cpu_capacity);
	if (rapl_probed && rapl_checked)
		rapl_sample(&rapl);
	static struct pm_report_cpu rc[PM_MAX_CPUS];
	static uint32_t khz[PSTATE_MAX];
	for (uint32_t i = 0; i < ptable.count; i++)
		khz[i] = ptable.states[i].khz;
	for (uint32_t c = 0; c < ncpus; c++)
		rc[c] = (struct pm_report_cpu){
			.cpu = c,
			.p = { .count = ptable.count, .khz = khz,
			       .residency_ns = cpus[c].residency_ns,
			       .transitions = cpus[c].transitions,
			       .cur = cpus[c].cur },
			.energy = &cpus[c].energy,
		};
	static struct idle_stats stats[PM_MAX_CPUS];
	for (uint32_t c = 0; c < ncpus; c++)
		stats[c] = cpus[c].idle;
	struct idle_report_ctx ictx = {
		.table = &ctable, .stats = stats, .ncpus = ncpus,
		.gov = set.idle == PM_IDLE_NEXT_TIMER ? IDLE_GOV_NEXT_TIMER
						      : IDLE_GOV_MENU,
		.elapsed_ns = now,
	};
	struct pm_report r = {
		.t_ns = now, .pstate_driver = pstate_label(driver, &ptable),
		.pstate_modeled = driver->modeled, .cpus = rc, .ncpus = ncpus,
		.cstate_part = idle_report_part, .cstate_ctx = &ictx,
		.pkg = &pkg, .attrib = &attrib, .vm_names = vm_names,
		.rapl = {
			.present = rapl_probed && rapl_checked,
			.core_present = rapl_domain_present(&rapl, RAPL_CORE),
			.dram_present = rapl_domain_present(&rapl, RAPL_DRAM),
			.pkg_uj = rapl_energy_uj(&rapl, RAPL_PKG),
			.core_uj = rapl_energy_uj(&rapl, RAPL_CORE),
			.dram_uj = rapl_energy_uj(&rapl, RAPL_DRAM),
		},
	};
	return pm_format_report(&r, buf, len);
}
