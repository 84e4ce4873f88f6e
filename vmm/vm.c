/*
 * Creating a VM from its config and running it. Guest RAM is one
 * contiguous host allocation mapped at guest-physical 0; nothing else of
 * the host is mapped into the guest.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/host_clock.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smp.h"
#include "arch/x86/tsc.h"
#include "boot/boot_info.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/string.h"
#include "vmm/dev/exit_port.h"
#include "vmm/acpi_build.h"
#include "vmm/exit_handlers.h"
#include "vmm/vm_load.h"
#include "vmm/virt_ops.h"
#include "vmm/vcpu_sched.h"
#include "sched/sched.h"

#define GUEST_RAM_ALIGN 0x200000ull /* lets EPT use 2 MiB pages */
/* When the host has no readable RTC, guests start at 2026-01-01 00:00:00
 * (a fixed date: reproducible runs). */
#define VM_RTC_FALLBACK 1767225600ull
#define SECONDS_PER_DAY 86400ull
/* RAM is mapped from guest-physical 0 in one piece; 3-4 GiB is where PC
 * devices live (IOAPIC 0xfec00000, local APIC 0xfee00000, the MMIO test
 * device), so a VM's RAM must end below it until RAM above 4 GiB is
 * mapped separately. */
#define VM_RAM_MAX (3ull << 30)

static struct vm vms[CONFIG_MAX_VMS];

struct vcpu *vm_boot_vcpu(uint32_t id)
{
	return &vms[id % CONFIG_MAX_VMS].vcpus[0];
}

void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa >= vm->ram_bytes || len > vm->ram_bytes - gpa)
		return 0;
	return (void *)(uintptr_t)(vm->ram_hpa + gpa);
}

/* MSRs the guest tried and got #GP for: what a guest expected that Volt
 * does not offer (or hides on purpose). */
static void report_msr_accesses(struct vm *vm, const struct vcpu *v)
{
	char report[320];
	if (msr_emul_report(&v->msrs, report, sizeof(report)) > 0) {
		if (vm->vcpu_count > 1)
			vm_printk(vm, "vCPU %u: %s\n", v->id, report);
		else
			vm_printk(vm, "%s\n", report);
	}
}

/* Ports no device claims read all ones and swallow writes, as an empty
 * ISA bus; how often the guest tried says what it looked for. */
static void report_unclaimed_ports(struct vm *vm)
{
	if (vm->io.unclaimed_reads || vm->io.unclaimed_writes)
		vm_printk(vm, "unclaimed I/O ports: %lu reads, %lu writes\n",
			  (unsigned long)vm->io.unclaimed_reads,
			  (unsigned long)vm->io.unclaimed_writes);
}

/* The host's wall-clock time now, for a new VM's RTC. */
static uint64_t wall_clock_now(void)
{
	struct host_date d;
	if (!host_clock_read(&d))
		return VM_RTC_FALLBACK;
	int64_t days = rtc_days_from_civil(d.year, d.month, d.day);
	return (uint64_t)days * SECONDS_PER_DAY + d.hour * 3600u +
	       d.minute * 60u + d.second;
}

/* The VM's ACPI tables, in the BIOS area of its RAM (acpi_build.c):
 * the guest finds its processors, its interrupt wiring and how to power
 * itself off there. */
static int build_acpi_tables(struct vm *vm, struct acpi_build_result *r)
{
	struct acpi_build_args a = { .vcpus = vm->vcpu_count };
	char err[120];
	if (acpi_build(&a, (void *)(uintptr_t)vm->ram_hpa, vm->ram_bytes, r,
		       err, sizeof(err))) {
		vm_printk(vm, "cannot build its ACPI tables: %s\n", err);
		return -1;
	}
	vm->acpi_rsdp = r->rsdp;
	return 0;
}

void vm_kick_vcpu(struct vm *vm, uint32_t index)
{
	struct vcpu *t = &vm->vcpus[index];
	uint32_t cpu = __atomic_load_n(&t->cpu, __ATOMIC_RELAXED);
	if (__atomic_load_n(&t->in_guest, __ATOMIC_SEQ_CST) &&
	    cpu != this_cpu()->index)
		smp_kick(cpu);
	if (__atomic_load_n(&t->halted, __ATOMIC_SEQ_CST))
		vcpu_wake(t);
}

static void irqchip_kick(void *ctx, uint32_t index)
{
	vm_kick_vcpu(ctx, index);
}

/* The devices, configured to agree with what the guest is told: the
 * ACPI tables (IOAPIC ID, PM ports) and CPUID (APIC timer clock, x2APIC,
 * physical-address width). */
static int create_devices(struct vm *vm, const struct acpi_build_result *acpi)
{
	const struct cpuid_policy *p = vcpu_cpuid_policy(&vm->vcpus[0]);
	struct vm_devices_config c = {
		.unix_seconds = wall_clock_now(),
		.acpi_pm_base = acpi->pm_base,
		.irqchip = { .vcpus = vm->vcpu_count,
			     .ioapic_id = acpi->ioapic_id,
			     .timer_hz = p->crystal_hz ? p->crystal_hz : tsc_hz,
			     .phys_bits = p->phys_addr_bits,
			     .x2apic = p->x2apic },
	};
	if (vm_devices_create(vm, &c))
		return -1;
	vm->dev.irq.kick = irqchip_kick;
	vm->dev.irq.kick_ctx = vm;
	return 0;
}

static int vm_create(struct vm *vm, const struct boot_info *bi)
{
	struct vcpu_boot boot;
	struct acpi_build_result acpi;

	vm->ram_bytes = vm->cfg->mem_bytes;
	if (vm->ram_bytes > VM_RAM_MAX) {
		vm_printk(vm, "mem=%lu MiB: at most 3072 MiB per VM for now (3-4 GiB "
			  "of guest-physical space is for devices)\n",
			  (unsigned long)(vm->ram_bytes >> 20));
		return -1;
	}
	vm->ram_hpa = frame_alloc_locked(vm->ram_bytes / FRAME_SIZE,
					 GUEST_RAM_ALIGN, 0);
	if (!vm->ram_hpa) {
		vm_printk(vm, "not enough memory for its RAM\n");
		return -1;
	}
	memset((void *)(uintptr_t)vm->ram_hpa, 0, vm->ram_bytes);
	if (virt_vm_init(vm) ||
	    virt_vm_map_ram(vm, 0, vm->ram_hpa, vm->ram_bytes)) {
		vm_printk(vm, "cannot set up its guest-physical memory\n");
		return -1;
	}
	vm->vcpus[0].vm = vm;
	if (build_acpi_tables(vm, &acpi) || vm_load_kernel(vm, bi, &boot) ||
	    create_devices(vm, &acpi))
		return -1;
	if (vm->cfg->exit_port && exit_port_attach(vm)) {
		vm_printk(vm, "cannot attach the exit port\n");
		return -1;
	}
	vm->vcpus[0].vm = vm;
	vm->vcpus[0].regs.rax = boot.rax; /* the entry convention's registers */
	vm->vcpus[0].regs.rbx = boot.rbx;
	vm->vcpus[0].regs.rsi = boot.rsi;
	if (virt_vcpu_init(&vm->vcpus[0], &boot)) {
		vm_printk(vm, "cannot set up its vCPU\n");
		return -1;
	}
	return 0;
}

/* A VM that ended gives everything back: vCPU state, guest-physical
 * mappings, RAM. */
static void vm_release(struct vm *vm)
{
	if (vm->vcpus[0].backend)
		virt_vcpu_destroy(&vm->vcpus[0]);
	if (vm->backend)
		virt_vm_destroy(vm);
	if (vm->ram_hpa)
		frame_free_locked(vm->ram_hpa, vm->ram_bytes / FRAME_SIZE);
	vm->ram_hpa = 0;
}

/* ---- several vCPUs ------------------------------------------------------ */

void vm_stop(struct vm *vm, struct vcpu *by, enum vm_exit_action end)
{
	bool expected = false;
	if (__atomic_compare_exchange_n(&vm->stopping, &expected, true, false,
					__ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		vm->end = end;
		vm->end_vcpu = by->id;
	}
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		vm_kick_vcpu(vm, i);
}

/* An application processor's vCPU waits, as the real one does, for INIT
 * then a start-up IPI from another vCPU's local APIC; it then starts in
 * real mode at the SIPI's page (SDM vol. 3A 9.4.4). False: the VM ended
 * first. */
static bool wait_for_sipi(struct vcpu *v, uint8_t *vector)
{
	struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	bool got_init = false;
	while (!__atomic_load_n(&v->vm->stopping, __ATOMIC_ACQUIRE)) {
		uint64_t flags = vm_lock(v->vm);
		/* Before the look: a sender that comes after it kicks us. */
		__atomic_store_n(&v->halted, true, __ATOMIC_SEQ_CST);
		if (vlapic_take_init(l)) {
			vlapic_reset(l, false);
			got_init = true;
		}
		bool sipi = got_init && vlapic_take_sipi(l, vector);
		vm_unlock(v->vm, flags);
		if (sipi) {
			__atomic_store_n(&v->halted, false, __ATOMIC_SEQ_CST);
			return true;
		}
		/* Block until an IPI (or the VM's end) wakes it. */
		if (!__atomic_load_n(&v->vm->stopping, __ATOMIC_ACQUIRE))
			sched_block(UINT64_MAX);
	}
	__atomic_store_n(&v->halted, false, __ATOMIC_SEQ_CST);
	return false;
}

int vcpu_start_from_sipi(struct vcpu *v)
{
	uint8_t vector;
	if (!wait_for_sipi(v, &vector))
		return -1;
	struct vcpu_boot boot = { .mode = VCPU_BOOT_REAL16,
				  .real_cs = (uint16_t)(vector << 8) };
	if (virt_vcpu_init(v, &boot)) {
		vm_printk(v->vm, "cannot set up vCPU %u\n", v->id);
		vm_stop(v->vm, v, VM_KILL);
		return -1;
	}
	return 0;
}

/* An AP vCPU's thread: it waits for its start-up IPI, then runs. */
static void ap_vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;

	if (vcpu_start_from_sipi(v) == 0)
		vm_stop(vm, v, vcpu_run(v));
	if (v->backend)
		virt_vcpu_destroy(v);
	__atomic_sub_fetch(&vm->aps_running, 1, __ATOMIC_RELEASE);
}

/* vCPUs 1.. each get a thread, scheduled with the VM's parameters. */
static void start_ap_vcpus(struct vm *vm)
{
	for (uint32_t i = 1; i < vm->vcpu_count; i++) {
		__atomic_add_fetch(&vm->aps_running, 1, __ATOMIC_ACQ_REL);
		vcpu_spawn(&vm->vcpus[i], vm->cfg, vm->id, ap_vcpu_thread,
			   &vm->vcpus[i]);
	}
}

/* vCPU 0's thread waits for the others to end (they were kicked). */
static void wait_for_ap_vcpus(struct vm *vm)
{
	while (__atomic_load_n(&vm->aps_running, __ATOMIC_ACQUIRE))
		sched_block(rdtsc() + tsc_ns_to_ticks(1000000));
}

static void report_end(struct vm *vm)
{
	uint64_t exits = 0;
	vm_devices_flush_console(vm);
	for (uint32_t i = 0; i < vm->vcpu_count; i++)
		report_msr_accesses(vm, &vm->vcpus[i]);
	report_unclaimed_ports(vm);
	for (uint32_t i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].inits)
			vm_printk(vm, "vCPU %u: restarted by INIT %u time%s\n",
				  i, vm->vcpus[i].inits,
				  vm->vcpus[i].inits > 1 ? "s" : "");
		vcpu_report_exits(&vm->vcpus[i]);
		exits += vm->vcpus[i].exits;
	}
	if (vm->dev.reset_requested)
		vm_printk(vm, "reset by the guest after %lu exits\n",
			  (unsigned long)exits);
	else if (vm->end == VM_EXITED)
		vm_printk(vm, "exited with status %d after %lu exits\n",
			  vm->exit_status, (unsigned long)exits);
	else
		vm_printk(vm, "stopped by Volt after %lu exits\n",
			  (unsigned long)exits);
}

/* How one run of a VM ended, for the restart policy. */
enum vm_outcome {
	VM_NOT_STARTED,
	VM_ENDED,       /* powered off, or the exit port: the guest's choice */
	VM_RESET,       /* the guest asked for a reset (reboot) */
	VM_CRASHED,     /* Volt stopped it: triple fault, unexpected exit... */
};

static enum vm_outcome run_once(struct vm *vm, const struct boot_info *bi)
{
	const struct vm_config *cfg = vm->cfg;
	uint32_t id = vm->id;

	void *vcpu0_thread = vm->vcpus[0].sched;
	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->id = id;
	vm->vcpu_count = cfg->vcpus ? cfg->vcpus : 1;
	for (uint32_t i = 0; i < VM_MAX_VCPUS; i++)
		vm->vcpus[i] = (struct vcpu){ .vm = vm, .id = i,
					     .run_until = UINT64_MAX };
	vm->vcpus[0].sched = vcpu0_thread;
	vm->vcpus[0].cpu = this_cpu()->index;
	if (vm->vcpu_count > VM_MAX_VCPUS || vm_create(vm, bi)) {
		if (vm->vcpu_count > VM_MAX_VCPUS)
			vm_printk(vm, "vcpus=%u: at most %u per VM for now\n",
				  vm->vcpu_count, VM_MAX_VCPUS);
		vm_printk(vm, "not started\n");
		vm_release(vm);
		return VM_NOT_STARTED;
	}
	vm_printk(vm, "started on cpu %u at TSC %lu: %lu MiB, %u vCPU%s\n",
		  this_cpu()->index, (unsigned long)rdtsc(),
		  (unsigned long)(vm->ram_bytes >> 20), vm->vcpu_count,
		  vm->vcpu_count > 1 ? "s" : "");
	start_ap_vcpus(vm);
	vm_stop(vm, &vm->vcpus[0], vcpu_run(&vm->vcpus[0]));
	wait_for_ap_vcpus(vm);
	report_end(vm);
	vm_release(vm);
	if (vm->dev.reset_requested)
		return VM_RESET;
	return vm->end == VM_EXITED ? VM_ENDED : VM_CRASHED;
}

/* on_crash=restart: a VM that crashed or asked for a reset boots again
 * from its files, at most this many times (a guest that crashes at once
 * must not keep a processor busy forever). */
#define VM_MAX_RESTARTS 3

int vm_run_from_config(const struct vm_config *cfg, uint32_t id,
		       const struct boot_info *bi)
{
	struct vm *vm = &vms[id % CONFIG_MAX_VMS];

	vm->cfg = cfg;
	vm->id = id;
	for (uint32_t restarts = 0;; restarts++) {
		enum vm_outcome out = run_once(vm, bi);
		if (out == VM_ENDED)
			return vm->exit_status;
		if (out == VM_NOT_STARTED || cfg->on_crash != ON_CRASH_RESTART)
			return -1;
		if (restarts == VM_MAX_RESTARTS) {
			vm_printk(vm, "restarted %u times; not again\n",
				  VM_MAX_RESTARTS);
			return -1;
		}
		vm_printk(vm, "restarting (on_crash=restart, %u of %u)\n",
			  restarts + 1, VM_MAX_RESTARTS);
	}
}
