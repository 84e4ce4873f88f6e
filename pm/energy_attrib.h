/*
 * Energy per VM: each processor's running ("busy") energy over an
 * interval is split among the VMs in proportion to the capacity they got
 * on it in that interval (docs/power.md, "Energy").
 *
 * Capacity is what the credit scheduler charges in its DVFS-aware mode
 * (sched/credit.h: capacity_ns = runtime x f_cur / f_max), so a VM that
 * ran 10 ms at full speed and one that ran 20 ms at half speed got the
 * same work done and pay the same share of that interval's energy.
 *
 * The rule, and why:
 *   - busy energy is charged to VMs by capacity, including the
 *     hypervisor's own work between their slices (exits, scheduling):
 *     that work exists because the VMs run, so it is overhead they share
 *     in proportion to their use;
 *   - busy energy of an interval in which no VM got capacity on that
 *     processor (Volt booting, a VM-less processor spinning) goes to
 *     "unattributed", never to a VM that was not there;
 *   - idle energy (C-states) is NOT charged to VMs: it is what the
 *     machine costs while nobody uses it, and charging it by use would
 *     make a VM's bill depend on how idle the others are. It is reported
 *     separately, as is the package's uncore (power_model.h).
 *
 * Rounding: shares are whole uJ, cut by cumulative rounding (VM i gets
 * floor(E x S_i / C) - floor(E x S_(i-1) / C), S = running sum of
 * capacities, C = the total), so they add up to E exactly and each is
 * within 1 uJ of its exact share. Energy is conserved: over any run,
 * sum(vm_uj) + unattributed_uj == the busy energy handed in.
 *
 * Pure C; the caller serializes calls on one struct pm_attrib.
 */
#ifndef VOLT_PM_ENERGY_ATTRIB_H
#define VOLT_PM_ENERGY_ATTRIB_H

#include <stddef.h>
#include <stdint.h>

/* VM ids are 0..PM_ATTRIB_MAX_VMS-1 (the scheduler's domain ids:
 * SCHED_MAX_DOMS is 16). */
#define PM_ATTRIB_MAX_VMS 16

/* One VM's capacity on one processor during one interval. */
struct pm_vm_capacity {
	uint32_t vm;
	uint64_t capacity_ns;
};

struct pm_attrib {
	uint64_t vm_uj[PM_ATTRIB_MAX_VMS];          /* busy energy charged */
	uint64_t vm_capacity_ns[PM_ATTRIB_MAX_VMS]; /* capacity it paid for */
	uint64_t unattributed_uj; /* busy energy with no VM capacity */
	uint64_t busy_uj;         /* all busy energy handed in */
	uint64_t idle_uj;         /* idle energy: never charged to a VM */
};

void pm_attrib_init(struct pm_attrib *a);

/*
 * One processor, one interval: busy_uj and idle_uj consumed in it, and
 * the capacity each VM got (a VM may appear more than once; entries of
 * capacity 0 are ignored). Returns 0, or -1 (and changes nothing) for a
 * VM id out of range or capacities whose sum overflows.
 */
int pm_attrib_split(struct pm_attrib *a, uint64_t busy_uj, uint64_t idle_uj,
		    const struct pm_vm_capacity *caps, size_t n);

/*
 * A per-processor window that collects capacities as they happen (the
 * scheduler glue notes each vCPU's capacity delta when it leaves the
 * processor) and remembers the processor's energy counters at the start
 * of the interval, so that closing it charges the delta.
 */
struct pm_attrib_window {
	uint64_t cap_ns[PM_ATTRIB_MAX_VMS];
	uint64_t busy_uj_at_open, idle_uj_at_open;
};

/* Opens the first interval at the processor's current cumulative
 * energies (pm_energy_cpu_busy_uj / _idle_uj, or a RAPL core domain). */
void pm_attrib_window_init(struct pm_attrib_window *w, uint64_t busy_uj,
			   uint64_t idle_uj);
/* VM `vm` got capacity_ns on this processor. -1: vm out of range. */
int pm_attrib_window_note(struct pm_attrib_window *w, uint32_t vm,
			  uint64_t capacity_ns);
/*
 * Ends the interval at the processor's cumulative energies now: splits
 * the deltas into `a`, then opens the next interval. -1 (nothing
 * charged; the window is reopened at the new values) if a counter went
 * backwards.
 */
int pm_attrib_window_close(struct pm_attrib *a, struct pm_attrib_window *w,
			   uint64_t busy_uj, uint64_t idle_uj);

#endif
