/*
 * Energy attributed to VMs by the capacity they used (see energy_attrib.h
 * and docs/power.md, "Energy"). Pure: compiled into Volt and into the
 * host tests (tests/unit/test_power_model.c).
 */
#include "lib/string.h"
#include "pm/energy_attrib.h"
#include "pm/power_model.h"

void pm_attrib_init(struct pm_attrib *a)
{
	memset(a, 0, sizeof(*a));
}

/* Sum of the capacities, or -1 for a bad VM id or an overflow. */
static int total_capacity(const struct pm_vm_capacity *caps, size_t n,
			  uint64_t *total)
{
	uint64_t sum = 0;

	for (size_t i = 0; i < n; i++) {
		if (caps[i].vm >= PM_ATTRIB_MAX_VMS)
			return -1;
		if (caps[i].capacity_ns > UINT64_MAX - sum)
			return -1;
		sum += caps[i].capacity_ns;
	}
	*total = sum;
	return 0;
}

/* floor(e x s / c) for s <= c: the quotient is <= e, so it always fits. */
static uint64_t scaled(uint64_t e, uint64_t s, uint64_t c)
{
	uint64_t q = 0;

	pm_mul_div(e, s, c, &q, NULL);
	return q;
}

int pm_attrib_split(struct pm_attrib *a, uint64_t busy_uj, uint64_t idle_uj,
		    const struct pm_vm_capacity *caps, size_t n)
{
	uint64_t total, prefix = 0, given = 0;

	if (n && !caps)
		return -1;
	if (total_capacity(caps, n, &total))
		return -1;
	a->busy_uj += busy_uj;
	a->idle_uj += idle_uj;
	if (total == 0) {
		a->unattributed_uj += busy_uj;
		return 0;
	}
	/* Cumulative rounding: share_i = floor(E S_i / C) - floor(E S_i-1 /
	 * C); the last S is C, so the shares add up to E exactly. */
	for (size_t i = 0; i < n; i++) {
		uint64_t upto;

		if (!caps[i].capacity_ns)
			continue;
		prefix += caps[i].capacity_ns;
		upto = scaled(busy_uj, prefix, total);
		a->vm_uj[caps[i].vm] += upto - given;
		a->vm_capacity_ns[caps[i].vm] += caps[i].capacity_ns;
		given = upto;
	}
	return 0;
}

void pm_attrib_window_init(struct pm_attrib_window *w, uint64_t busy_uj,
			   uint64_t idle_uj)
{
	memset(w->cap_ns, 0, sizeof(w->cap_ns));
	w->busy_uj_at_open = busy_uj;
	w->idle_uj_at_open = idle_uj;
}

/* Each VM's sum saturates at 1/16 of 2^64 ns (36 years), so the window's
 * total always fits in 64 bits. */
#define WINDOW_CAP_MAX (UINT64_MAX / PM_ATTRIB_MAX_VMS)

int pm_attrib_window_note(struct pm_attrib_window *w, uint32_t vm,
			  uint64_t capacity_ns)
{
	if (vm >= PM_ATTRIB_MAX_VMS)
		return -1;
	if (capacity_ns > WINDOW_CAP_MAX - w->cap_ns[vm])
		w->cap_ns[vm] = WINDOW_CAP_MAX;
	else
		w->cap_ns[vm] += capacity_ns;
	return 0;
}

int pm_attrib_window_close(struct pm_attrib *a, struct pm_attrib_window *w,
			   uint64_t busy_uj, uint64_t idle_uj)
{
	struct pm_vm_capacity caps[PM_ATTRIB_MAX_VMS];
	size_t n = 0;
	int ret = -1;

	if (busy_uj >= w->busy_uj_at_open && idle_uj >= w->idle_uj_at_open) {
		for (uint32_t vm = 0; vm < PM_ATTRIB_MAX_VMS; vm++)
			if (w->cap_ns[vm])
				caps[n++] = (struct pm_vm_capacity){
					vm, w->cap_ns[vm] };
		ret = pm_attrib_split(a, busy_uj - w->busy_uj_at_open,
				      idle_uj - w->idle_uj_at_open, caps, n);
	}
	pm_attrib_window_init(w, busy_uj, idle_uj);
	return ret;
}
