/*
 * volt.cfg: the configuration file (format reference: docs/config.md).
 *
 *   vm <name> kernel=F [initrd=F] mem=SIZE [vcpus=N] [weight=N] [cap=PCT]
 *             [cmdline="..."] [pin=0,1] [on_crash=stop|restart]
 *             [exit_port=on|off] [test_mmio=on|off]
 *             [mode=fixed|variable|dvfs-aware]
 *   sched credit [mode=...] [tslice=30ms] [tick=10ms] [ratelimit=1ms]
 *               [stat=0|TIME]
 *   pm [governor=...] [sampling=20ms] [up_threshold=80] [pstate=N]
 *      [idle=menu|next-timer|halt|poll] [max_cstate=N] [latency=US]
 *      [freqs=MHz,...] [volts=mV,...] [guest_mwait=exit|nop]
 *      [static_mw=N] [dynamic_mw=N] [idle_mw=N]
 *   host <the command-line options, see options.h>
 *
 * Pure C (no heap, no hardware), compiled into Volt, into the UEFI loader
 * (to learn which files to read) and into host tests and the fuzzer. An
 * error inside a `vm` line makes that VM invalid; the others still start.
 */
#ifndef VOLT_VMM_CONFIG_H
#define VOLT_VMM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "vmm/options.h"

#define CONFIG_MAX_VMS 16
#define CONFIG_MAX_ERRORS 16
#define CONFIG_MAX_VCPUS 64
#define CONFIG_MAX_FREQS 16
#define CONFIG_NAME_MAX 16      /* a VM name: 1-15 characters + NUL */
#define CONFIG_FILE_MAX 64      /* a file name: 1-63 characters + NUL */
#define CONFIG_CMDLINE_MAX 512  /* a guest command line: 0-511 + NUL */
#define CONFIG_LINE_MAX 1024    /* bytes per line, without the newline */
#define CONFIG_WORDS_MAX 24     /* words per line */
#define CONFIG_MEM_MIN (16ull << 20)
#define CONFIG_MEM_MAX (64ull << 30)
#define CONFIG_MEM_ALIGN 4096ull /* guest memory comes in 4 KiB pages */
#define CONFIG_WEIGHT_DEFAULT 256 /* as Xen's credit scheduler */
#define CONFIG_WEIGHT_MAX 65535
#define CONFIG_CAP_PER_VCPU 100  /* cap: percent of one processor */
#define CONFIG_FREQ_MAX_MHZ 100000

#define SCHED_TSLICE_DEFAULT_US 30000
#define SCHED_TICK_DEFAULT_US 10000
#define SCHED_RATELIMIT_DEFAULT_US 1000
#define SCHED_TIME_MIN_US 1000     /* tslice and tick: 1 ms .. 1 s */
#define SCHED_TIME_MAX_US 1000000
#define SCHED_RATELIMIT_MAX_US 100000
#define SCHED_STAT_MAX_US 60000000

enum sched_mode { SCHED_MODE_VARIABLE = 0, SCHED_MODE_FIXED, SCHED_MODE_DVFS };
enum pm_governor { PM_GOV_ONDEMAND = 0, PM_GOV_PERFORMANCE, PM_GOV_POWERSAVE, PM_GOV_USERSPACE };
enum pm_idle { IDLE_MENU = 0, IDLE_HALT, IDLE_POLL, IDLE_NEXT_TIMER };
enum pm_guest_mwait { GUEST_MWAIT_EXIT = 0, GUEST_MWAIT_NOP };

#define PM_SAMPLING_DEFAULT_US 20000 /* Xen's ondemand default */
#define PM_SAMPLING_MIN_US 20000 /* Xen: MIN_STAT_SAMPLING_RATE */
#define PM_SAMPLING_MAX_US 1000000
#define PM_UP_THRESHOLD_DEFAULT 80
#define PM_MAX_CSTATES 8
#define PM_LATENCY_NONE UINT32_MAX
#define PM_LATENCY_DEFAULT_US 200 /* allows C6-class states, not C9/C10 */
#define PM_LATENCY_MAX_US 1000000
#define PM_VOLT_MAX_MV 2000
#define PM_POWER_MAX_MW 1000000
enum vm_on_crash { ON_CRASH_STOP = 0, ON_CRASH_RESTART };

struct sched_config {
	int mode;              /* enum sched_mode, default variable */
	uint32_t tslice_us;    /* default 30 ms */
	uint32_t tick_us;      /* default 10 ms */
	uint32_t ratelimit_us; /* default 1 ms */
	uint32_t stat_us;      /* STAT line period; 0 (default) = none */
};

struct pm_config {
	int governor; /* enum pm_governor, default ondemand */
	int idle;     /* enum pm_idle, default menu */
	uint32_t freqs_mhz[CONFIG_MAX_FREQS]; /* modeled driver's P-states */
	uint32_t freq_count;
	uint32_t volts_mv[CONFIG_MAX_FREQS];  /* their voltages */
	uint32_t volt_count;
	uint32_t volts_line;      /* where volts= was given (count check) */
	uint32_t sampling_us;     /* governor sampling period, 20 ms */
	uint32_t up_threshold;    /* ondemand, percent (11-100), 80 */
	uint32_t pstate;          /* userspace governor's state index */
	uint64_t pstate_cpus;     /* the CPUs it applies to; 0 = all */
	uint32_t max_cstate;      /* deepest C-state (1 = C1 only), 8 */
	uint32_t latency_us;      /* exit-latency limit, PM_LATENCY_NONE */
	int guest_mwait;          /* enum pm_guest_mwait, exit */
	uint32_t static_mw, dynamic_mw, idle_mw; /* power model; 0 = default */
};

struct vm_config {
	char name[CONFIG_NAME_MAX];
	char kernel[CONFIG_FILE_MAX];
	char initrd[CONFIG_FILE_MAX]; /* "" when none */
	uint64_t mem_bytes;
	uint32_t vcpus;
	uint32_t weight;
	uint32_t cap;          /* percent of one CPU, 0 = none */
	char cmdline[CONFIG_CMDLINE_MAX];
	uint64_t pin_mask;     /* hard affinity, valid when pinned */
	bool pinned;
	int on_crash;          /* enum vm_on_crash */
	bool exit_port;
	bool test_mmio;        /* the MMIO test device (vmm/dev/test_mmio.h) */
	int mode;              /* enum sched_mode, or -1: the sched line's */
	bool valid;            /* false: an error names this VM; not started */
	uint32_t line;
};

struct config_error {
	uint32_t line; /* 0: not tied to a line */
	char msg[120];
};

struct volt_config {
	struct vm_config vms[CONFIG_MAX_VMS];
	uint32_t vm_count;
	struct sched_config sched;
	struct pm_config pm;
	struct host_options host; /* from the host line; `set` says which */
	struct config_error errors[CONFIG_MAX_ERRORS];
	uint32_t error_count; /* total; only the first CONFIG_MAX_ERRORS kept */
};

void config_defaults(struct volt_config *c);
/*
 * Parse `len` bytes into `c` (call config_defaults first). The text need
 * not be NUL-terminated; CRLF and a missing final newline are fine; a NUL
 * byte inside a line is an error on that line. Returns c->error_count.
 * Uses about 1.5 KiB of stack, no static state.
 */
int config_parse(const char *text, size_t len, struct volt_config *c);
/* Every file the valid VMs name (kernels, initrds), each once, in file
 * order: what a loader must read. Fills at most `max` pointers into `c`;
 * returns how many. */
size_t config_file_names(const struct volt_config *c, const char *names[],
			 size_t max);
/* Record an error (also used by Volt for checks made after parsing). */
void config_error(struct volt_config *c, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Valid VMs are given memory in file order; those that do not fit in
 * `free_bytes` become invalid, each with an error on its line. */
void config_check_memory(struct volt_config *c, uint64_t free_bytes);

#endif
