/*
 * The modeled P-state driver, and the table checks every driver and the
 * config parser share (pm/pstate.h).
 *
 * Both emulators Volt is tested on implement no P-state MSR (EMULATORS.md:
 * Bochs reads 0 or raises #GP, QEMU TCG reads 0; APERF/MPERF never count).
 * The modeled driver stands in: its states are the config's (frequency,
 * voltage) or a default table, "setting" a state only records it, and the
 * scheduler reproduces the lower frequency by duty-cycling the processor
 * (pstate_duty_run_ns). It has no counters, so its average frequency is
 * the current state's. Every report says "modeled".
 *
 * Pure C: no hardware; compiled into Volt and into the host tests.
 */
#include "pm/pstate.h"
#include "lib/format.h"

static const struct pstate modeled_default_states[] = {
	{ 2800000, 1200, 0 },
	{ 2400000, 1100, 0 },
	{ 2000000, 1000, 0 },
	{ 1600000, 900, 0 },
	{ 1200000, 800, 0 },
};

#define DEFAULT_COUNT \
	(sizeof(modeled_default_states) / sizeof(modeled_default_states[0]))

void pstate_modeled_default_table(struct pstate_table *t)
{
	t->count = DEFAULT_COUNT;
	t->flags = 0;
	t->ref_khz = 0;
	for (uint32_t i = 0; i < PSTATE_MAX; i++) {
		struct pstate none = { 0, 0, 0 };
		t->states[i] = i < DEFAULT_COUNT ? modeled_default_states[i]
						 : none;
	}
}

static int check_state(const struct pstate_table *t, uint32_t i, char *why,
		       size_t why_len)
{
	const struct pstate *s = &t->states[i];

	if (s->khz < PSTATE_KHZ_MIN || s->khz > PSTATE_KHZ_MAX) {
		volt_snprintf(why, why_len,
			      "P%u: %u kHz is outside %u-%u MHz", i, s->khz,
			      PSTATE_KHZ_MIN / 1000, PSTATE_KHZ_MAX / 1000);
		return -1;
	}
	if (s->mv && (s->mv < PSTATE_MV_MIN || s->mv > PSTATE_MV_MAX)) {
		volt_snprintf(why, why_len, "P%u: %u mV is outside %u-%u mV",
			      i, s->mv, PSTATE_MV_MIN, PSTATE_MV_MAX);
		return -1;
	}
	if (i == 0)
		return 0;
	const struct pstate *prev = &t->states[i - 1];
	if (s->khz >= prev->khz) {
		volt_snprintf(why, why_len,
			      "P%u (%u kHz) is not slower than P%u (%u kHz): "
			      "list states fastest first, each frequency once",
			      i, s->khz, i - 1, prev->khz);
		return -1;
	}
	/* A slower state never needs more voltage (f ~ V on one curve). */
	if (s->mv && prev->mv && s->mv > prev->mv) {
		volt_snprintf(why, why_len,
			      "P%u needs more voltage (%u mV) than the faster "
			      "P%u (%u mV)", i, s->mv, i - 1, prev->mv);
		return -1;
	}
	return 0;
}

int pstate_table_check(const struct pstate_table *t, char *why,
		       size_t why_len)
{
	if (t->count == 0 || t->count > PSTATE_MAX) {
		volt_snprintf(why, why_len, "%u P-states (1-%u allowed)",
			      t->count, PSTATE_MAX);
		return -1;
	}
	for (uint32_t i = 0; i < t->count; i++)
		if (check_state(t, i, why, why_len))
			return -1;
	return 0;
}

uint64_t pstate_duty_run_ns(const struct pstate_table *t, uint32_t idx,
			    uint64_t period_ns)
{
	uint64_t fmax = pstate_fmax_khz(t);

	if (idx >= t->count || fmax == 0 || period_ns == 0)
		return period_ns;
	uint64_t f = t->states[idx].khz;
	/* period x f / f_max, split so that nothing overflows: the
	 * quotient and remainder of period / f_max each scale by f
	 * (f, f_max <= 2^32, so rem x f < 2^64). */
	uint64_t run = (period_ns / fmax) * f + (period_ns % fmax) * f / fmax;
	return run ? run : 1;
}

/* ---- the driver -------------------------------------------------------- */

/*
 * A table already in *t (count > 0, e.g. from volt.cfg) is checked and
 * kept; an empty one gets the default. The processor "starts" at the
 * fastest state.
 */
static int modeled_probe(const struct msr_io *io, const struct cpuid_io *c,
			 struct pstate_table *t, struct pstate_cpu *pc,
			 char *why, size_t why_len)
{
	if (t->count == 0)
		pstate_modeled_default_table(t);
	if (pstate_table_check(t, why, why_len))
		return PSTATE_REFUSED;
	t->flags = 0;   /* no counters, no HWP: nothing to read */
	t->ref_khz = 0;
	for (uint32_t i = 0; i < t->count; i++)
		t->states[i].ctl = 0;
	pc->cur = 0;
	pc->have_prev = false;
	return PSTATE_OK;
}

static int modeled_set(const struct msr_io *io, const struct pstate_table *t,
		       struct pstate_cpu *pc, uint32_t idx)
{
	if (idx >= t->count)
		return -1;
	pc->cur = idx;
	return 0;
}

static int modeled_read_current(const struct msr_io *io,
				const struct pstate_table *t,
				struct pstate_cpu *pc)
{
	return pc->cur < t->count ? (int)pc->cur : -1;
}

static uint32_t modeled_avg_khz(const struct msr_io *io,
				const struct pstate_table *t,
				struct pstate_cpu *pc)
{
	return pc->cur < t->count ? t->states[pc->cur].khz : 0;
}

const struct pstate_driver pstate_modeled_driver = {
	.name = "modeled",
	.modeled = true,
	.probe = modeled_probe,
	.set = modeled_set,
	.read_current = modeled_read_current,
	.avg_khz = modeled_avg_khz,
};
