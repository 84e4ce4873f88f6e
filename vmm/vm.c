/*
 * Creating a VM from its config and running it. Guest RAM is one
 * contiguous host allocation mapped at guest-physical 0; nothing else of
 * the host is mapped into the guest.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/host_clock.h"
#include "arch/x86/percpu.h"
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

void *vm_gpa_to_host(struct vm *vm, uint64_t gpa, uint64_t len)
{
	if (gpa >= vm->ram_bytes || len > vm->ram_bytes - gpa)
		return 0;
	return (void *)(uintptr_t)(vm->ram_hpa + gpa);
}

/* MSRs the guest tried and got #GP for: what a guest expected that Volt
 * does not offer (or hides on purpose). */
static void report_msr_accesses(struct vm *vm)
{
	char report[320];
	if (msr_emul_report(&vm->vcpu.msrs, report, sizeof(report)) > 0)
		vm_printk(vm, "%s\n", report);
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
	struct acpi_build_args a = { .vcpus = 1 };
	char err[120];
	if (acpi_build(&a, (void *)(uintptr_t)vm->ram_hpa, vm->ram_bytes, r,
		       err, sizeof(err))) {
		vm_printk(vm, "cannot build its ACPI tables: %s\n", err);
		return -1;
	}
	vm->acpi_rsdp = r->rsdp;
	return 0;
}

/* The devices, configured to agree with what the guest is told: the
 * ACPI tables (IOAPIC ID, PM ports) and CPUID (APIC timer clock, x2APIC,
 * physical-address width). */
static int create_devices(struct vm *vm, const struct acpi_build_result *acpi)
{
	const struct cpuid_policy *p = vcpu_cpuid_policy(&vm->vcpu);
	struct vm_devices_config c = {
		.unix_seconds = wall_clock_now(),
		.acpi_pm_base = acpi->pm_base,
		.irqchip = { .ioapic_id = acpi->ioapic_id,
			     .timer_hz = p->crystal_hz ? p->crystal_hz : tsc_hz,
			     .phys_bits = p->phys_addr_bits,
			     .x2apic = p->x2apic },
	};
	return vm_devices_create(vm, &c);
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
	vm->vcpu.vm = vm;
	if (build_acpi_tables(vm, &acpi) || vm_load_kernel(vm, bi, &boot) ||
	    create_devices(vm, &acpi))
		return -1;
	if (vm->cfg->exit_port && exit_port_attach(vm)) {
		vm_printk(vm, "cannot attach the exit port\n");
		return -1;
	}
	vm->vcpu.vm = vm;
	vm->vcpu.regs.rax = boot.rax; /* the entry convention's registers */
	vm->vcpu.regs.rbx = boot.rbx;
	vm->vcpu.regs.rsi = boot.rsi;
	if (virt_vcpu_init(&vm->vcpu, &boot)) {
		vm_printk(vm, "cannot set up its vCPU\n");
		return -1;
	}
	return 0;
}

/* A VM that ended gives everything back: vCPU state, guest-physical
 * mappings, RAM. */
static void vm_release(struct vm *vm)
{
	if (vm->vcpu.backend)
		virt_vcpu_destroy(&vm->vcpu);
	if (vm->backend)
		virt_vm_destroy(vm);
	if (vm->ram_hpa)
		frame_free_locked(vm->ram_hpa, vm->ram_bytes / FRAME_SIZE);
	vm->ram_hpa = 0;
}

int vm_run_from_config(const struct vm_config *cfg, uint32_t id,
		       const struct boot_info *bi)
{
	static struct vm vms[CONFIG_MAX_VMS];
	struct vm *vm = &vms[id % CONFIG_MAX_VMS];

	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	vm->id = id;
	if (vm_create(vm, bi)) {
		vm_printk(vm, "not started\n");
		vm_release(vm);
		return -1;
	}
	vm_printk(vm, "started on cpu %u at TSC %lu: %lu MiB, 1 vCPU\n",
		  this_cpu()->index, (unsigned long)rdtsc(),
		  (unsigned long)(vm->ram_bytes >> 20));
	enum vm_exit_action end = vcpu_run(&vm->vcpu);
	vm_devices_flush_console(vm);
	report_msr_accesses(vm);
	report_unclaimed_ports(vm);
	vcpu_report_exits(&vm->vcpu);
	if (end == VM_EXITED)
		vm_printk(vm, "exited with status %d after %lu exits\n",
			  vm->exit_status, (unsigned long)vm->vcpu.exits);
	else
		vm_printk(vm, "stopped by Volt after %lu exits\n",
			  (unsigned long)vm->vcpu.exits);
	vm_release(vm);
	return end == VM_EXITED ? vm->exit_status : -1;
}
