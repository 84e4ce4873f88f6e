/*
 * volt_main: the one C entry point both boot paths reach.
 *
 * It runs an explicit list of init steps, printing each, so a student can
 * read the boot log next to this file. Order matters:
 *   console first (everything else reports through it), memory before
 *   paging (page tables need frames), paging before the CPU tables (IST
 *   stacks have guard pages), the switch to Volt's own stack before the
 *   firmware's boot-services memory is released, the config early (its host
 *   line decides how faults and the end of the run are handled), ACPI
 *   before the APICs and SMP (the MADT lists the processors).
 */
#include <stdint.h>
#include "boot/boot_info.h"
#include "arch/x86/cpu.h"
#include "arch/x86/early.h"
#include "arch/x86/serial.h"
#include "arch/x86/power.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pic.h"
#include "arch/x86/paging.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/idt.h"
#include "arch/x86/acpi.h"
#include "arch/x86/lapic.h"
#include "arch/x86/tsc.h"
#include "arch/x86/smp.h"
#include "arch/x86/virt.h"
#include "lib/console.h"
#include "lib/memmap.h"
#include "lib/frames.h"
#include "vmm/boot_config.h"
#include "vmm/debug_fault.h"
#include "vmm/virt_ops.h"
#include "vmm/vm.h"
#include "vmm/exit_handlers.h"
#include "vmm/vcpu_sched.h"
#include "sched/sched.h"
#include "pm/pm.h"
#include "lib/string.h"

#define BSP_STACK_PAGES 8

enum exit_status { EXIT_OK = 0, EXIT_CONFIG_ERROR = 1 };

/* Boot-time state, owned by the bootstrap processor during init. */
static struct boot_info *boot;
static struct memmap memory_map;
static struct acpi_info acpi;
static struct host_options options;
static struct volt_config *config;
static int config_errors;

/* Power-off and fault behaviour follow the host options; re-applied when
 * the config's host line has been merged in. */
static struct poweroff_method poweroff;

static void apply_host_options(void)
{
	poweroff.isa_debug_exit = options.exit_isa_debug;
	power_set_method(&poweroff);
	power_set_poweroff_on_fault(options.on_fault == HOST_POWEROFF);
}

static void console_init(void)
{
	serial_init();
	console_set_sink(serial_write);
	console_set_panic_stop(machine_stop_after_panic);
}

static void init_memory(void)
{
	char err[128];
	if (memmap_build(&memory_map, boot->mem, boot->mem_count, err,
			 sizeof(err)))
		panic("memory: %s", err);
	/* The loaders' maps may not know where Volt and its modules are. */
	if (memmap_reserve(&memory_map, boot->image_base,
			   boot->image_end - boot->image_base, MEM_VOLT))
		panic("memory: too many regions to reserve Volt's image");
	for (uint32_t i = 0; i < boot->module_count; i++)
		if (memmap_reserve(&memory_map, boot->modules[i].base,
				   boot->modules[i].size, MEM_MODULE))
			panic("memory: too many regions to reserve module '%s'",
			      boot->modules[i].name);
	for (uint32_t i = 0; i < memory_map.count; i++) {
		const struct mem_region *r = &memory_map.r[i];
		printk("  0x%012lx-0x%012lx %s\n", (unsigned long)r->base,
		       (unsigned long)(r->base + r->length - 1),
		       mem_type_name(r->type));
	}
	frames_init(&phys_frames, &memory_map);
	printk("memory: %lu MiB usable, %lu MiB free for Volt and guests\n",
	       (unsigned long)(memmap_total(&memory_map, MEM_USABLE) >> 20),
	       (unsigned long)(frames_free_count(&phys_frames) >> 8));
}

static void init_paging(void)
{
	paging_init(boot, &memory_map);
}

static void init_cpu_tables(void)
{
	cpus[0].index = 0;
	cpus[0].online = true;
	idt_init();
	cpu_tables_init(&cpus[0]);
	/* Volt now runs on its own page tables, GDT, IDT and stack: the
	 * firmware's boot-services memory is free RAM from here on. */
	frames_add_type(&phys_frames, &memory_map, MEM_FIRMWARE_RECLAIM);
}

static void init_acpi(void)
{
	if (!boot->rsdp)
		panic("acpi: the loader found no ACPI RSDP; Volt needs ACPI "
		      "to find the processors");
	if (acpi_init(boot->rsdp, &acpi))
		panic("acpi: unusable tables (see the error above)");
	if (options.acpidump)
		acpi_dump(&acpi);

	if (acpi.s5_valid && acpi.pm1a_cnt_port) {
		poweroff.acpi_s5 = true;
		poweroff.pm1a_cnt = acpi.pm1a_cnt_port;
		poweroff.pm1b_cnt = acpi.pm1b_cnt_port;
		poweroff.slp_typa = acpi.slp_typa;
		poweroff.slp_typb = acpi.slp_typb;
		poweroff.smi_cmd = acpi.smi_cmd;
		poweroff.acpi_enable = acpi.acpi_enable;
	}
	apply_host_options();
}

static void init_apic_and_timers(void)
{
	pic_disable(); /* its IRQs would arrive on exception vectors */
	tsc_init();
	lapic_init();
	cpus[0].apic_id = lapic_id();
	printk("cpu 0 (apic %u) online\n", cpus[0].apic_id);
	if (lapic_timer_selftest())
		panic("lapic: the local APIC timer does not interrupt");
}

static void init_smp(void)
{
	smp_boot_aps(&acpi);
	printk("boot cost: %lu TSC ticks from volt_main to all CPUs online "
	       "(volt_main at TSC %lu)\n", (unsigned long)(rdtsc() - tsc_boot),
	       (unsigned long)tsc_boot);
}

static void init_virtualization(void)
{
	struct virt_caps caps;
	if (!virt_detect(&caps)) {
		printk("virt: VT-x not available: %s\n", caps.why_not);
		return;
	}
	printk("virt: VT-x available (EPT%s, unrestricted guest)\n",
	       caps.vpid ? ", VPID" : "");
	const char *missing = virt_ops_install(vmx_backend());
	if (missing)
		panic("virt: the VT-x backend lacks the '%s' operation", missing);
	virt_apicv_configure(options.apicv);
	/* Every other processor enters VMX operation as it comes online. */
	virt_enabled = virt_cpu_enable() == 0;
}

static void init_config(void)
{
	config_errors = boot_config_load(boot, &options,
					 frames_free_count(&phys_frames) << 12,
					 &config);
	apply_host_options(); /* the config's host line may add to them */
}

static void start_scheduler(void);

struct init_step {
	const char *name;
	void (*run)(void);
};

/* The steps after the switch to Volt's own stack, in order. */
static const struct init_step late_steps[] = {
	{ "cpu tables (GDT, TSS, IDT)", init_cpu_tables },
	{ "config", init_config },
	{ "acpi", init_acpi },
	{ "local APIC and timers", init_apic_and_timers },
	{ "virtualization", init_virtualization },
	{ "smp", init_smp },
	{ "scheduler", start_scheduler },
};

static void run_step(const struct init_step *s)
{
	printk("init: %s\n", s->name);
	s->run();
}

/*
 * Every VM runs on the threads of its vCPUs, which the credit scheduler
 * places on the processors (sched/). vCPU 0's thread creates the VM and
 * runs it to its end; CPU 0, once it has started them all, schedules like
 * the others until every VM has ended.
 */
struct vm_job {
	const struct vm_config *cfg;
	uint32_t id;
};

static struct vm_job vm_jobs[CONFIG_MAX_VMS];
static uint32_t vms_running;

static void vm_job_run(void *arg)
{
	struct vm_job *job = arg;
	vm_run_from_config(job->cfg, job->id, boot);
	__atomic_sub_fetch(&vms_running, 1, __ATOMIC_RELEASE);
}

static bool all_vms_ended(void)
{
	return __atomic_load_n(&vms_running, __ATOMIC_ACQUIRE) == 0;
}

/* Stopped VMs give every frame back (RAM, EPT tables, VMCS, bitmaps):
 * after all VMs ended the free count must be what it was before. */
static void report_memory_returned(uint64_t free_before)
{
	uint64_t free_after = frames_free_count(&phys_frames);
	uint64_t held_kib = free_before > free_after
				    ? (free_before - free_after) * 4 : 0;
	if (!held_kib)
		printk("volt: all guest memory returned\n");
	else
		printk("volt: warning: stopped VMs still hold %lu KiB\n",
		       (unsigned long)held_kib);
}

/* The xenpm-like report: P-states, C-states, energy per processor and
 * per VM (pm/pm_report.c), a line at a time. */
static void print_pm_report(void)
{
	static char report[16384];
	const char *names[CONFIG_MAX_VMS] = { 0 };
	for (uint32_t i = 0; i < config->vm_count && i < CONFIG_MAX_VMS; i++)
		names[i] = config->vms[i].name;
	static uint64_t capacity[CSCHED_MAX_CPUS][SCHED_MAX_DOMS];
	static uint64_t busy[CSCHED_MAX_CPUS];
	sched_capacities(capacity, busy);
	if (pm_format_final(tsc_ticks_to_ns(rdtsc() - sched_clock_origin()),
			    busy, (const uint64_t (*)[PM_MAX_VMS])capacity,
			    names, report, sizeof(report)) < 0) {
		printk("pm: the report does not fit its buffer\n");
		return;
	}
	for (char *line = report; *line;) {
		char *end = strchr(line, '\n');
		if (end)
			*end = 0;
		printk("%s\n", line);
		line = end ? end + 1 : line + strlen(line);
	}
}

static void ap_schedule(void *unused)
{
	sched_cpu_loop(NULL);
}

/* What the PM layer needs of the config (pm/pm.h). */
static void pm_settings_from_config(struct pm_settings *s)
{
	const struct pm_config *c = &config->pm;
	static const enum pm_gov gov[] = {
		[PM_GOV_ONDEMAND] = PM_GOVERNOR_ONDEMAND,
		[PM_GOV_PERFORMANCE] = PM_GOVERNOR_PERFORMANCE,
		[PM_GOV_POWERSAVE] = PM_GOVERNOR_POWERSAVE,
		[PM_GOV_USERSPACE] = PM_GOVERNOR_USERSPACE,
	};
	static const enum pm_idle_kind idle[] = {
		[IDLE_MENU] = PM_IDLE_MENU, [IDLE_HALT] = PM_IDLE_HALT,
		[IDLE_POLL] = PM_IDLE_POLL, [IDLE_NEXT_TIMER] = PM_IDLE_NEXT_TIMER,
	};
	*s = (struct pm_settings){
		.governor = gov[c->governor],
		.sampling_ns = c->sampling_us * 1000ull,
		.up_threshold = c->up_threshold,
		.userspace_pstate = c->pstate,
		.userspace_cpus = c->pstate_cpus ? c->pstate_cpus : ~0ull,
		.idle = idle[c->idle],
		.max_cstate = c->max_cstate,
		.latency_ns = c->latency_us == PM_LATENCY_NONE
				      ? UINT64_MAX : c->latency_us * 1000ull,
		.freq_count = c->freq_count, .volt_count = c->volt_count,
		.static_mw = c->static_mw, .dynamic_mw = c->dynamic_mw,
		.idle_mw = c->idle_mw,
	};
	memcpy(s->freqs_mhz, c->freqs_mhz, sizeof(s->freqs_mhz));
	memcpy(s->volts_mv, c->volts_mv, sizeof(s->volts_mv));
}

/* The scheduler on every processor: CPU 0 joins in run_vms. */
static void start_scheduler(void)
{
	struct pm_settings pm;
	pm_settings_from_config(&pm);
	exit_set_guest_mwait_nop(config->pm.guest_mwait == GUEST_MWAIT_NOP);
	pm_init(&pm, cpu_count);
	struct sched_settings s = {
		.tslice_us = config->sched.tslice_us,
		.tick_us = config->sched.tick_us,
		.ratelimit_us = config->sched.ratelimit_us,
		.stat_period_us = config->sched.stat_us,
	};
	sched_init(&s, cpu_count);
	for (uint32_t c = 0; c < cpu_count; c++) {
		uint32_t f_cur, f_max;
		pm_cpu_freq(c, &f_cur, &f_max);
		sched_set_cpu_freq(c, f_cur, f_max);
	}
	for (uint32_t c = 1; c < cpu_count; c++)
		while (!smp_run_on(c, ap_schedule, NULL))
			cpu_relax();
	printk("sched: credit scheduler on %u CPU%s (tslice %lu us, tick %lu "
	       "us, rate limit %lu us)\n", cpu_count, cpu_count > 1 ? "s" : "",
	       (unsigned long)s.tslice_us, (unsigned long)s.tick_us,
	       (unsigned long)s.ratelimit_us);
	printk("sched: clock 0 at TSC %lu, %lu Hz\n",
	       (unsigned long)sched_clock_origin(), (unsigned long)tsc_hz);
}

/* Pinning names processors the config could not check: they are known
 * only now. */
static bool pinning_valid(const struct vm_config *vm)
{
	uint64_t online = cpu_count >= 64 ? ~0ull : (1ull << cpu_count) - 1;
	if (!vm->pinned || !(vm->pin_mask & ~online))
		return true;
	printk("error: volt.cfg:%u: vm %s: pin names CPU %u, but only %u "
	       "processor%s online; not started\n", vm->line, vm->name,
	       (unsigned)__builtin_ctzll(vm->pin_mask & ~online), cpu_count,
	       cpu_count > 1 ? "s are" : " is");
	config_errors++;
	return false;
}

static bool vm_startable(const struct vm_config *vm)
{
	if (!vm->valid)
		return false;
	if (!virt_enabled) {
		printk("volt: vm %s not started: no usable VT-x\n", vm->name);
		return false;
	}
	return pinning_valid(vm);
}

static void run_vms(void)
{
	bool start[CONFIG_MAX_VMS] = { false };
	uint32_t count = 0;
	for (uint32_t i = 0; i < config->vm_count; i++) {
		const struct vm_config *vm = &config->vms[i];
		if (!(start[i] = vm_startable(vm)))
			continue;
		int mode = vm->mode >= 0 ? vm->mode : config->sched.mode;
		sched_dom_setup(i, vm->weight, vm->cap, (enum csched_mode)mode);
		sched_prepare_stacks(i, vm->vcpus ? vm->vcpus : 1);
		count++;
	}
	if (!count)
		return;
	uint64_t free_before = frames_free_count(&phys_frames);
	vms_running = count;
	for (uint32_t i = 0; i < config->vm_count; i++) {
		if (!start[i])
			continue;
		vm_jobs[i] = (struct vm_job){ .cfg = &config->vms[i], .id = i };
		vcpu_spawn(vm_boot_vcpu(i), &config->vms[i], i, vm_job_run,
			   &vm_jobs[i]);
	}
	sched_cpu_loop(all_vms_ended);
	sched_print_table();
	print_pm_report();
	report_memory_returned(free_before);
}

static void __attribute__((noreturn)) volt_idle(void)
{
	int status = config_errors ? EXIT_CONFIG_ERROR : EXIT_OK;
	if (options.on_idle == HOST_POWEROFF) {
		printk("volt: nothing left to run; powering off\n");
		machine_poweroff(status);
	}
	printk("volt: nothing left to run; idle (on_idle=halt)\n");
	cpu_idle_loop();
}

static void __attribute__((noreturn)) volt_main_on_own_stack(void *unused)
{
	for (unsigned i = 0; i < sizeof(late_steps) / sizeof(late_steps[0]); i++)
		run_step(&late_steps[i]);
	debug_fault_trigger(options.debug_fault);
	run_vms();
	volt_idle();
}

void volt_main(struct boot_info *bi)
{
	tsc_boot = rdtsc();
	boot = bi;
	caches_enable();
	console_init();
	printk("\nVolt booting (loader: %s)\n", bi->loader);
	printk("command line: '%s'\n", bi->cmdline);

	if (bi->error[0]) {
		printk("error: %s\n", bi->error);
		if (bi->error_fatal) {
			printk("volt: cannot continue; stopping\n");
			machine_poweroff(EXIT_CONFIG_ERROR);
		}
	}
	boot_options_early(bi, &options);
	apply_host_options();

	run_step(&(struct init_step){ "memory", init_memory });
	run_step(&(struct init_step){ "paging", init_paging });
	cpus[0].stack_top = stack_alloc(BSP_STACK_PAGES);
	call_on_stack(cpus[0].stack_top, volt_main_on_own_stack, 0);
}
