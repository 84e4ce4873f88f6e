/*
 * Host tests for the credit scheduler's reports (sched/credit_report.c):
 * the STAT JSON line (exact text for a known state, checked by a small
 * JSON parser for a live one), the console table, and the refusal of
 * buffers that are too small (never a truncated record).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "sched/credit.h"
#include "sched/credit_report.h"

#define MS 1000000ull

/* ---- a minimal JSON parser: returns the end of a value or NULL ----------- */

static const char *json_value(const char *p, int depth);

static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	for (; *p != '"'; p++) {
		if (!*p || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\' && !*++p)
			return NULL;
	}
	return p + 1;
}

static bool digit(char c)
{
	return c >= '0' && c <= '9';
}

static const char *json_number(const char *p)
{
	if (*p == '-')
		p++;
	if (!digit(*p))
		return NULL;
	if (*p == '0')
		p++;
	else
		while (digit(*p))
			p++;
	if (*p == '.') {
		if (!digit(*++p))
			return NULL;
		while (digit(*p))
			p++;
	}
	return p;
}

/* `open` ... `close` with comma-separated members; objects have keys. */
static const char *json_list(const char *p, char close, bool keys, int depth)
{
	p = json_ws(p + 1);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keys) {
			p = json_string(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(p, depth + 1);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p, int depth)
{
	if (depth > 16)
		return NULL;
	p = json_ws(p);
	if (*p == '{')
		return json_list(p, '}', true, depth);
	if (*p == '[')
		return json_list(p, ']', false, depth);
	if (*p == '"')
		return json_string(p);
	return json_number(p);
}

/* A STAT line: the prefix, then exactly one JSON object. */
static bool valid_stat(const char *line)
{
	const char *end;

	if (strncmp(line, "STAT {", 6))
		return false;
	end = json_value(line + 5, 0);
	return end && *end == '\0';
}

static void test_parser_rejects_broken_json(void **state)
{
	assert_true(valid_stat("STAT {\"a\":[1,2.5,-3,{\"b\":\"c\"}],"
			       "\"d\":[]}"));
	assert_false(valid_stat("STAT {\"a\":1"));
	assert_false(valid_stat("STAT {\"a\":1,}"));
	assert_false(valid_stat("STAT {\"a\":1.}"));
	assert_false(valid_stat("STAT {\"a\":\"x}"));
	assert_false(valid_stat("STAT {\"a\":[1,2}"));
	assert_false(valid_stat("STAT {\"a\":1}}"));
	assert_false(valid_stat("STAT {a:1}"));
	assert_false(valid_stat("{\"a\":1}"));
}

/* ---- a known state ------------------------------------------------------- */

static struct csched s;
static struct csched_dom d7, d3;
static struct csched_vcpu a, b;

static const char expected_stat[] =
	"STAT {\"t_ms\":2000.000,\"cpus\":["
	"{\"cpu\":0,\"busy_ms\":1234.567,\"idle_ms\":0.005,"
	"\"f_khz\":1200000},"
	"{\"cpu\":1,\"busy_ms\":0.000,\"idle_ms\":1.000,\"f_khz\":0}],"
	"\"vcpus\":["
	"{\"dom\":7,\"vcpu\":1,\"state\":\"run\",\"pri\":\"under\","
	"\"credit\":-42,\"run_ms\":1.500,\"cap_ms\":0.750,"
	"\"wake_lat_us\":1000,\"migr\":2},"
	"{\"dom\":3,\"vcpu\":0,\"state\":\"parked\",\"pri\":\"over\","
	"\"credit\":-300,\"run_ms\":18446744073709.551,\"cap_ms\":0.000,"
	"\"wake_lat_us\":0,\"migr\":0}]}";

static int known_state(void **state)
{
	memset(&s, 0, sizeof(s));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	s.ncpus = 2;
	s.cpus[0].busy_ns = 1234567890;
	s.cpus[0].idle_ns = 5000;
	s.cpus[0].f_cur_khz = 1200000;
	s.cpus[0].f_max_khz = 2400000;
	s.cpus[1].idle_ns = 1 * MS;
	d7.id = 7;
	d3.id = 3;
	a.dom = &d7;
	a.id = 1;
	a.state = CSCHED_RUNNING;
	a.pri = CSCHED_PRI_UNDER;
	a.credit = -42;
	a.runtime_ns = 1500000;
	a.capacity_ns = 750000;
	a.wakeups = 3;
	a.wake_latency_sum_ns = 3 * MS;
	a.wake_latency_max_ns = 2500000;
	a.migrations = 2;
	b.dom = &d3;
	b.state = CSCHED_PARKED;
	b.pri = CSCHED_PRI_OVER;
	b.credit = -300;
	b.runtime_ns = UINT64_MAX;
	b.parks = 17;
	b.cpu = 1;
	return 0;
}

static void test_stat_exact_text(void **state)
{
	struct csched_vcpu *const list[] = { &a, &b };
	char buf[1024];
	int n = csched_format_stat(&s, list, 2, 2000 * MS, buf, sizeof(buf));

	assert_string_equal(buf, expected_stat);
	assert_int_equal(n, strlen(expected_stat));
	assert_true(valid_stat(buf));
}

static void test_stat_refuses_short_buffers(void **state)
{
	struct csched_vcpu *const list[] = { &a, &b };
	size_t need = strlen(expected_stat) + 1;
	char buf[1024];

	for (size_t len = 1; len < need; len++) {
		memset(buf, 'x', sizeof(buf));
		assert_int_equal(csched_format_stat(&s, list, 2, 2000 * MS,
						    buf, len), -1);
		assert_int_equal(buf[0], '\0'); /* nothing half-written */
	}
	assert_int_equal(csched_format_stat(&s, list, 2, 2000 * MS, buf, need),
			 need - 1);
	assert_string_equal(buf, expected_stat);
	assert_int_equal(csched_format_stat(&s, list, 2, 0, NULL, 100), -1);
	assert_int_equal(csched_format_stat(&s, list, 2, 0, buf, 0), -1);
}

static void test_stat_empty_and_odd_values(void **state)
{
	struct csched_vcpu *const list[] = { &a };
	char buf[512];

	s.ncpus = 0;
	assert_true(csched_format_stat(&s, NULL, 0, 0, buf, sizeof(buf)) > 0);
	assert_string_equal(buf,
			    "STAT {\"t_ms\":0.000,\"cpus\":[],\"vcpus\":[]}");
	/* out-of-range enums still make valid JSON */
	s.ncpus = 1;
	a.state = (enum csched_state)42;
	a.pri = (enum csched_pri)7;
	a.credit = INT32_MIN;
	a.dom = NULL;
	assert_true(csched_format_stat(&s, list, 1, UINT64_MAX, buf,
				       sizeof(buf)) > 0);
	assert_true(valid_stat(buf));
	assert_non_null(strstr(buf, "\"state\":\"?\",\"pri\":\"?\","
				    "\"credit\":-2147483648"));
	assert_non_null(strstr(buf, "\"t_ms\":18446744073709.551"));
}

static void test_names(void **state)
{
	assert_string_equal(csched_state_name(CSCHED_BLOCKED), "blocked");
	assert_string_equal(csched_state_name(CSCHED_RUNNABLE), "runnable");
	assert_string_equal(csched_state_name(CSCHED_RUNNING), "run");
	assert_string_equal(csched_state_name(CSCHED_PARKED), "parked");
	assert_string_equal(csched_pri_name(CSCHED_PRI_BOOST), "boost");
	assert_string_equal(csched_pri_name(CSCHED_PRI_UNDER), "under");
	assert_string_equal(csched_pri_name(CSCHED_PRI_OVER), "over");
	assert_string_equal(csched_pri_name(CSCHED_PRI_IDLE), "idle");
}

static void test_table(void **state)
{
	struct csched_vcpu *const list[] = { &a, &b };
	char buf[2048];
	int n = csched_format_table(&s, list, 2, 2000 * MS, buf, sizeof(buf));

	assert_int_equal(n, strlen(buf));
	assert_non_null(strstr(buf, "credit scheduler at 2000.000 ms\n"));
	assert_non_null(strstr(buf, " dom vcpu cpu state    pri   credit"
				    "         run_ms         cap_ms lat_avg_us"
				    " lat_max_us  migr parks\n"));
	assert_non_null(strstr(buf, "cpu  busy%  idle%    f_khz\n"));
	/* dom 7 vcpu 1: run/under, -42, 1.5 ms, 0.75 ms, latency avg
	 * 1000 us max 2500 us, 2 migrations, 0 parks */
	assert_non_null(strstr(buf,
		"   7    1   0 run      under    -42          1.500"
		"          0.750       1000       2500     2     0\n"));
	assert_non_null(strstr(buf, "   3    0   1 parked   over    -300"));
	assert_non_null(strstr(buf, "    17\n"));
	/* 1234.567 ms busy of 1234.572: 99.9%, idle 0.1% (rounded down
	 * busy, idle is the rest) */
	assert_non_null(strstr(buf, "  0   99.9    0.1  1200000\n"));
	assert_non_null(strstr(buf, "  1    0.0  100.0        0\n"));
	int lines = 0;

	for (const char *p = buf; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 2 + 2 + 1 + 2);
	for (size_t len = 1; len <= (size_t)n; len++)
		assert_int_equal(csched_format_table(&s, list, 2, 2000 * MS,
						     buf, len), -1);
	assert_int_equal(buf[0], '\0');
}

/* ---- a live scheduler ---------------------------------------------------- */

/* The number after `key` in the n-th occurrence. */
static uint64_t field_ms(const char *line, const char *key, int n)
{
	const char *p = line;
	char *end;

	while (n-- >= 0) {
		p = strstr(p, key);
		assert_non_null(p);
		p += strlen(key);
	}
	uint64_t ms = strtoull(p, &end, 10);

	assert_int_equal(*end, '.');
	return ms * 1000 + strtoull(end + 1, NULL, 10);
}

static void test_stat_of_a_live_scheduler(void **state)
{
	static struct csched_vcpu v[12];
	struct csched_vcpu *list[12];
	struct csched_dom dom[3];
	struct csched_decision d;
	char buf[4096];
	uint64_t t;

	csched_init(&s, NULL, 3, 0);
	for (int i = 0; i < 3; i++)
		csched_dom_init(&s, &dom[i], 10 + i, 256 << i, i ? 0 : 50,
				(enum csched_mode)i);
	for (int i = 0; i < 12; i++) {
		csched_vcpu_add(&s, &v[i], &dom[i % 3], i / 3, NULL, 7, i % 3,
				0);
		list[i] = &v[i];
		csched_wake(&s, &v[i], 0);
	}
	csched_set_freq(&s, 2, 1000000, 2000000, 0);
	for (t = 0; t <= 900 * MS; t += 10 * MS) {
		if (t % (30 * MS) == 0)
			csched_account(&s, t);
		for (uint32_t c = 0; c < 3; c++) {
			csched_tick(&s, c, t);
			csched_pick_next(&s, c, t, &d);
		}
	}
	csched_sync(&s, 905 * MS);
	int n = csched_format_stat(&s, list, 12, 905 * MS, buf, sizeof(buf));

	assert_true(n > 0);
	assert_true(valid_stat(buf));
	for (int c = 0; c < 3; c++)
		assert_int_equal(field_ms(buf, "\"busy_ms\":", c) +
				 field_ms(buf, "\"idle_ms\":", c), 905000);
	for (int i = 0; i < 12; i++)
		assert_int_equal(field_ms(buf, "\"run_ms\":", i),
				 v[i].runtime_ns / 1000);
	assert_true(csched_format_table(&s, list, 12, 905 * MS, buf,
					sizeof(buf)) > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parser_rejects_broken_json),
		cmocka_unit_test_setup(test_stat_exact_text, known_state),
		cmocka_unit_test_setup(test_stat_refuses_short_buffers,
				       known_state),
		cmocka_unit_test_setup(test_stat_empty_and_odd_values,
				       known_state),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup(test_table, known_state),
		cmocka_unit_test(test_stat_of_a_live_scheduler),
	};
	return cmocka_run_group_tests_name("sched_credit_report", tests, NULL,
					   NULL);
}
