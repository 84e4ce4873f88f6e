/*
 * Host tests for the power-management reports (pm/pm_report.c): the PM
 * JSON line (exact text for a known state, accepted by python's
 * json.loads and by tools/pm_plot.py --check together with a real STAT
 * line), the xenpm-like console report (exact text, residency-weighted
 * average frequency, the C-state slot, RAPL and "(modeled)" markers, VM
 * energy), and -1 with an empty buffer whenever the text does not fit.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "lib/format.h"
#include "pm/energy_attrib.h"
#include "pm/pm_report.h"
#include "pm/power_model.h"
#include "sched/credit.h"
#include "sched/credit_report.h"

#define MS 1000000ull
#define SEC 1000000000ull

static char buf[8192];

/* ---- the PM line ------------------------------------------------------- */

static const uint64_t cst0[2] = { 10 * MS, 44400000 };
static const struct pm_line_cpu line_cpus[2] = {
	{ 0, 2800000, 45600000, 2, cst0, 1000000 },
	{ 1, 1200000, 0, 0, NULL, 12345 },
};
static const struct pm_line_vm line_vms[2] = { { 0, 777 }, { 3, 0 } };

static struct pm_line known_line(void)
{
	return (struct pm_line){
		.t_ns = 1234567891, .period_ns = 100 * MS,
		.pstate_modeled = true, .energy_modeled = true,
		.cpus = line_cpus, .ncpus = 2, .pkg_energy_uj = 2500000,
		.vms = line_vms, .nvms = 2,
	};
}

static const char known_line_text[] =
	"PM {\"t_ms\":1234.567,\"period_ms\":100.000,\"pstates\":\"modeled\","
	"\"energy\":\"modeled\",\"cpus\":[{\"cpu\":0,\"f_khz\":2800000,"
	"\"busy_pct\":45.6,\"cstate_us\":[10000,44400],\"power_mw\":10000},"
	"{\"cpu\":1,\"f_khz\":1200000,\"busy_pct\":0.0,\"cstate_us\":[],"
	"\"power_mw\":123}],\"pkg\":{\"power_mw\":25000},\"vms\":[{\"vm\":0,"
	"\"energy_uj\":777},{\"vm\":3,\"energy_uj\":0}]}";

static void test_line_exact(void **state)
{
	struct pm_line l = known_line();
	int n = pm_format_line(&l, buf, sizeof(buf));

	assert_string_equal(buf, known_line_text);
	assert_int_equal(n, (int)strlen(known_line_text));
	/* Hardware P-states and RAPL say so. */
	l.pstate_modeled = false;
	l.energy_modeled = false;
	assert_true(pm_format_line(&l, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"pstates\":\"hw\",\"energy\":\"rapl\""));
}

static void test_line_empty_period(void **state)
{
	struct pm_line l = { .t_ns = 0, .period_ns = 0 };
	struct pm_line_cpu c = { 7, 0, 5 * MS, 0, NULL, 99 };

	assert_true(pm_format_line(&l, buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "PM {\"t_ms\":0.000,\"period_ms\":0.000,"
			    "\"pstates\":\"hw\",\"energy\":\"rapl\","
			    "\"cpus\":[],\"pkg\":{\"power_mw\":0},"
			    "\"vms\":[]}");
	l.cpus = &c;
	l.ncpus = 1;
	assert_true(pm_format_line(&l, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "\"busy_pct\":0.0,\"cstate_us\":[],"
			       "\"power_mw\":0}"));
}

/* Every buffer shorter than the line plus its NUL: -1 and "". */
static void test_line_too_small(void **state)
{
	struct pm_line l = known_line();
	size_t need = strlen(known_line_text) + 1;
	char small[sizeof(known_line_text)];

	for (size_t len = 1; len < need; len++) {
		memset(small, 'x', sizeof(small));
		assert_int_equal(pm_format_line(&l, small, len), -1);
		assert_int_equal(small[0], '\0');
	}
	assert_int_equal(pm_format_line(&l, small, need), (int)need - 1);
	assert_string_equal(small, known_line_text);
	assert_int_equal(pm_format_line(&l, NULL, 100), -1);
	assert_int_equal(pm_format_line(&l, small, 0), -1);
}

/* ---- python reads what we write ----------------------------------------- */

static bool have_python(void)
{
	return system("python3 -c 'import json' >/dev/null 2>&1") == 0;
}

/* A STAT line from the real scheduler formatter, for the plotter. */
static void stat_line(char *out, size_t len, uint64_t now)
{
	static struct csched s;
	static struct csched_dom d;
	static struct csched_vcpu v;
	struct csched_params p = { 30 * MS, 10 * MS, 0 };
	struct csched_vcpu *vs[1] = { &v };

	csched_init(&s, &p, 1, 0);
	csched_dom_init(&s, &d, 0, 256, 0, CSCHED_MODE_VARIABLE);
	csched_vcpu_add(&s, &v, &d, 0, NULL, 1, 0, 0);
	csched_sync(&s, now);
	assert_true(csched_format_stat(&s, vs, 1, now, out, len) > 0);
}

static void test_python_reads_lines(void **state)
{
	static const uint64_t big_cst[3] = { UINT64_MAX, 0, 1 };
	struct pm_line_cpu big_cpu = { UINT32_MAX, UINT32_MAX, UINT64_MAX, 3,
				       big_cst, UINT64_MAX };
	struct pm_line_vm big_vm = { UINT32_MAX, UINT64_MAX };
	char path[] = "/tmp/volt_pm_report_XXXXXX";
	char cmd[512], stat[1024];
	int fd;
	FILE *f;

	/* make test needs python3 anyway (the system-test runner): its
	 * absence is a broken setup, not a reason to pass. */
	if (!have_python() || access("tools/pm_plot.py", R_OK))
		fail_msg("python3 or tools/pm_plot.py missing (run from the "
			 "repository root)");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (int i = 1; i <= 5; i++) {
		struct pm_line l = known_line();

		l.t_ns = (uint64_t)i * 100 * MS;
		assert_true(pm_format_line(&l, buf, sizeof(buf)) > 0);
		fprintf(f, "%s\n", buf);
		stat_line(stat, sizeof(stat), l.t_ns);
		fprintf(f, "%s\n", stat);
	}
	{
		struct pm_line l = { UINT64_MAX, 1, true, false, &big_cpu, 1,
				     UINT64_MAX, &big_vm, 1 };

		assert_true(pm_format_line(&l, buf, sizeof(buf)) > 0);
		fprintf(f, "%s\n", buf);
	}
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import json,sys\n"
		 "for l in open(sys.argv[1]):\n"
		 "    json.loads(l[l.index(\"{\"):])' %s", path);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd),
		 "python3 tools/pm_plot.py --check %s >/dev/null", path);
	assert_int_equal(system(cmd), 0);
	/* And plots them: four PNGs. */
	snprintf(cmd, sizeof(cmd),
		 "python3 tools/pm_plot.py %s -o %s >/dev/null", path, path);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; i < 4; i++) {
		static const char *const kinds[4] = { "freq", "util", "credit",
						      "power" };
		char png[64], sig[8];

		snprintf(png, sizeof(png), "%s-%s.png", path, kinds[i]);
		f = fopen(png, "rb");
		assert_non_null(f);
		assert_int_equal(fread(sig, 1, 8, f), 8);
		assert_memory_equal(sig, "\x89PNG\r\n\x1a\n", 8);
		fclose(f);
		unlink(png);
	}
	unlink(path);
}

/* The plotter's own test (tools/pm_plot.py --selftest), run here so that
 * `make unit` covers it without a Makefile change. */
static void test_plotter_selftest(void **state)
{
	/* make test needs python3 anyway (the system-test runner): its
	 * absence is a broken setup, not a reason to pass. */
	if (!have_python() || access("tools/pm_plot.py", R_OK))
		fail_msg("python3 or tools/pm_plot.py missing (run from the "
			 "repository root)");
	assert_int_equal(system("python3 tools/pm_plot.py --selftest "
				">/dev/null"), 0);
}

/* ---- the console report ------------------------------------------------- */

static const uint32_t khz2[2] = { 2800000, 1200000 };
static const uint64_t res2[2] = { 300 * MS, 100 * MS };
static const uint64_t trans2[2] = { 3, 2 };

static int cstate_calls;

static int cstate_part(void *ctx, uint32_t cpu, char *out, size_t len)
{
	cstate_calls++;
	return volt_snprintf(out, len, "  C-states of cpu %u (%s)\n", cpu,
			     (const char *)ctx) < (int)len ?
	       (int)strlen(out) : -1;
}

static int failing_part(void *ctx, uint32_t cpu, char *out, size_t len)
{
	return -1;
}

static struct pm_power_model model;
static struct pm_energy_cpu energy;
static struct pm_energy_pkg pkg;
static struct pm_attrib attrib;
static struct pm_report_cpu rcpu;
static const char *names[PM_ATTRIB_MAX_VMS] = { "web", NULL, "batch" };

static struct pm_report known_report(void)
{
	struct pm_vm_capacity caps[2] = { { 0, 30 * MS }, { 2, 10 * MS } };

	pm_power_model_default(&model);
	pm_energy_cpu_init(&energy, &model);
	pm_energy_pkg_init(&pkg, &model);
	pm_energy_add_busy(&energy, 2800000, 1200, 300 * MS);
	pm_energy_add_busy(&energy, 1200000, 800, 100 * MS);
	pm_energy_add_idle(&energy, 1000, 600 * MS);
	pm_energy_pkg_add_time(&pkg, SEC);
	pm_attrib_init(&attrib);
	pm_attrib_split(&attrib, pm_energy_cpu_busy_uj(&energy),
			pm_energy_cpu_idle_uj(&energy), caps, 2);
	rcpu = (struct pm_report_cpu){
		.cpu = 0,
		.p = { 2, khz2, res2, trans2, 1, 0 },
		.energy = &energy,
	};
	return (struct pm_report){
		.t_ns = SEC, .pstate_driver = "modeled",
		.pstate_modeled = true, .cpus = &rcpu, .ncpus = 1,
		.cstate_part = cstate_part, .cstate_ctx = "slot",
		.pkg = &pkg, .attrib = &attrib, .vm_names = names,
	};
}

/*
 * Busy: 14999232 uW x 0.3 s + 5285568 uW x 0.1 s = 4499769.6 +
 * 528556.8 = 5028326.4 uJ; idle 1 W x 0.6 s. Average frequency
 * (2800 x 3 + 1200) / 4 = 2400 MHz. VMs 3:1 of 5028326 uJ.
 */
static const char known_report_text[] =
	"PM report at 1000.000 ms: P-states modeled, energy (modeled)\n"
	"cpu 0\n"
	"  P-states: 2, driver modeled, current 1200 MHz, average 2400 MHz "
	"(from residency), 5 transitions\n"
	"            MHz   residency_ms      %  transitions\n"
	"     P0    2800        300.000   75.0            3\n"
	"    *P1    1200        100.000   25.0            2\n"
	"  C-states of cpu 0 (slot)\n"
	"  energy 5.628326 J (modeled): running 5.028326 J over 400.000 ms, "
	"idle 0.600000 J over 600.000 ms\n"
	"package: 7.628326 J (modeled): processors 5.628326 J, uncore "
	"2.000000 J\n"
	"package: RAPL absent, energy is modeled\n"
	"VM energy (modeled; running energy split by capacity used, idle not "
	"charged):\n"
	"    vm name               energy_J   busy%        capacity_ms\n"
	"     0 web                3.771244    75.0             30.000\n"
	"     2 batch              1.257082    25.0             10.000\n"
	"  unattributed running energy (no VM): 0.000000 J\n"
	"  idle energy (not charged to VMs): 0.600000 J\n";

static void test_report_exact(void **state)
{
	struct pm_report r = known_report();
	int n;

	cstate_calls = 0;
	n = pm_format_report(&r, buf, sizeof(buf));
	assert_string_equal(buf, known_report_text);
	assert_int_equal(n, (int)strlen(known_report_text));
	assert_int_equal(cstate_calls, 1);
	assert_int_equal(attrib.vm_uj[0] + attrib.vm_uj[2], 5028326);
}

static void test_report_variants(void **state)
{
	struct pm_report r = known_report();

	/* A measured average wins over the residency-weighted one. */
	rcpu.p.avg_khz = 2345678;
	r.cstate_part = NULL;
	r.vm_names = NULL;
	r.rapl = (struct pm_report_rapl){ true, true, false, 7000001, 4500000,
					  0 };
	r.pstate_driver = "intel";
	r.pstate_modeled = false;
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	assert_null(strstr(buf, "(modeled)\ncpu"));
	assert_non_null(strstr(buf, "P-states intel, energy RAPL (package) "
			       "+ model (per CPU, per VM)\n"));
	assert_non_null(strstr(buf, "average 2345 MHz, 5 transitions"));
	assert_non_null(strstr(buf, "  C-states: not reported\n"));
	assert_non_null(strstr(buf, "package: 7.000001 J measured by RAPL, "
			       "cores 4.500000 J\n"));
	assert_null(strstr(buf, "dram"));
	assert_null(strstr(buf, "RAPL absent"));
	/* Unnamed VMs appear only when charged. */
	assert_non_null(strstr(buf, "     0 vm0 "));
	assert_non_null(strstr(buf, "     2 vm2 "));
	assert_null(strstr(buf, "     1 vm1 "));
	/* A modeled driver under another name is marked. */
	r.pstate_driver = "userspace-table";
	r.pstate_modeled = true;
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "driver userspace-table (modeled), "));
	/* No P-state data, no energy, no VM section. */
	rcpu.p.count = 0;
	rcpu.energy = NULL;
	r.attrib = NULL;
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "cpu 0\n  P-states: none\n  C-states: "
			       "not reported\npackage: 2.000000 J"));
	assert_null(strstr(buf, "VM energy"));
}

/* Exact residency-weighted average: sum(f x t) / sum(t), floored. */
static void test_report_average(void **state)
{
	static const uint32_t khz[3] = { 3000000, 2000000, 1000001 };
	static const uint64_t res[3] = { 1, 1, 1 };
	static const uint64_t tr[3] = { 0, 0, 0 };
	static const uint64_t long_res[3] = { UINT64_MAX / 4, UINT64_MAX / 4,
					      UINT64_MAX / 4 };
	struct pm_report r = known_report();

	rcpu.p = (struct pm_report_pstates){ 3, khz, res, tr, 0, 0 };
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	/* 6000001 / 3 = 2000000.33 kHz: 2000 MHz */
	assert_non_null(strstr(buf, "average 2000 MHz (from residency)"));
	/* Residencies whose products overflow 64 bits still average. */
	rcpu.p.residency_ns = long_res;
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "average 2000 MHz (from residency)"));
	assert_non_null(strstr(buf, " 33.3 "));
	/* Nothing measured yet: the current state's frequency. */
	rcpu.p.residency_ns = tr;
	rcpu.p.cur = 1;
	assert_true(pm_format_report(&r, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "average 2000 MHz (from residency)"));
	assert_non_null(strstr(buf, "0.0 "));
}

static void test_report_too_small(void **state)
{
	struct pm_report r = known_report();
	size_t need = strlen(known_report_text) + 1;
	static char small[sizeof(known_report_text)];

	for (size_t len = 1; len < need; len++) {
		memset(small, 'x', sizeof(small));
		assert_int_equal(pm_format_report(&r, small, len), -1);
		assert_int_equal(small[0], '\0');
	}
	assert_int_equal(pm_format_report(&r, small, need), (int)need - 1);
	assert_int_equal(pm_format_report(&r, NULL, 10), -1);
	/* A C-state part that cannot format refuses the whole report. */
	r.cstate_part = failing_part;
	assert_int_equal(pm_format_report(&r, buf, sizeof(buf)), -1);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_line_exact),
		cmocka_unit_test(test_line_empty_period),
		cmocka_unit_test(test_line_too_small),
		cmocka_unit_test(test_python_reads_lines),
		cmocka_unit_test(test_plotter_selftest),
		cmocka_unit_test(test_report_exact),
		cmocka_unit_test(test_report_variants),
		cmocka_unit_test(test_report_average),
		cmocka_unit_test(test_report_too_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
