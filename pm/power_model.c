/*
 * The power model and its exact energy accounting (see power_model.h and
 * docs/power.md, "Energy"). Pure: compiled into Volt and into the host
 * tests (tests/unit/test_power_model.c).
 */
#include "pm/power_model.h"

#define NS_PER_S 1000000000ull
#define FJ_PER_UJ 1000000000ull
#define FW_PER_UW 1000000000ull

const uint32_t pm_default_cstate_power_mw[PM_DEFAULT_CSTATES] = {
	1000, /* C1: clocks gated, full voltage */
	600,  /* C1E: C1 at the lowest voltage */
	300,  /* C3: caches flushed, PLL off */
	100,  /* C6: core power-gated, state saved */
};

void pm_power_model_default(struct pm_power_model *m)
{
	m->cdyn_pf = PM_MODEL_CDYN_PF_DEFAULT;
	m->static_mw = PM_MODEL_STATIC_MW_DEFAULT;
	m->pkg_static_mw = PM_MODEL_PKG_STATIC_MW_DEFAULT;
}

bool pm_power_model_valid(const struct pm_power_model *m)
{
	return m->cdyn_pf <= PM_MODEL_CDYN_PF_MAX &&
	       m->static_mw <= PM_MODEL_MW_MAX &&
	       m->pkg_static_mw <= PM_MODEL_MW_MAX;
}

static uint32_t clamp_u32(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

uint32_t pm_model_mv(uint32_t khz, uint32_t mv)
{
	if (mv)
		return mv;
	/* 500 mV + 1 mV per 4 MHz: 800 mV at 1.2 GHz, 1200 mV at 2.8 GHz. */
	return clamp_u32(500 + khz / 4000, PM_MODEL_MV_ESTIMATE_MIN,
			 PM_MODEL_MV_ESTIMATE_MAX);
}

uint64_t pm_dynamic_power_uw(const struct pm_power_model *m, uint32_t khz,
			     uint32_t mv)
{
	uint64_t f = clamp_u32(khz, 0, PM_MODEL_KHZ_MAX);
	uint64_t v = clamp_u32(pm_model_mv(khz, mv), 0, PM_MODEL_MV_MAX);
	uint64_t c = clamp_u32(m->cdyn_pf, 0, PM_MODEL_CDYN_PF_MAX);

	/* pF x kHz x mV^2 = fW; <= 4e18 after the clamps. */
	return c * f * v * v / FW_PER_UW;
}

uint64_t pm_busy_power_uw(const struct pm_power_model *m, uint32_t khz,
			  uint32_t mv)
{
	uint64_t stat = clamp_u32(m->static_mw, 0, PM_MODEL_MW_MAX);

	return stat * 1000 + pm_dynamic_power_uw(m, khz, mv);
}

/*
 * uW x s = uJ for the whole seconds; the rest (< 1 s) in fJ, carried.
 * With power <= ~5e9 uW (the clamps) power x (ns % 1 s) < 5e18 and the
 * remainder sum stays below 2^64.
 */
void pm_energy_acc_add(struct pm_energy_acc *e, uint64_t power_uw,
		       uint64_t ns)
{
	e->uj += power_uw * (ns / NS_PER_S);
	e->rem_fj += power_uw * (ns % NS_PER_S);
	e->uj += e->rem_fj / FJ_PER_UJ;
	e->rem_fj %= FJ_PER_UJ;
}

void pm_energy_cpu_init(struct pm_energy_cpu *c,
			const struct pm_power_model *m)
{
	*c = (struct pm_energy_cpu){ .model = m };
}

void pm_energy_add_busy(struct pm_energy_cpu *c, uint32_t khz, uint32_t mv,
			uint64_t ns)
{
	pm_energy_acc_add(&c->busy, pm_busy_power_uw(c->model, khz, mv), ns);
	c->busy_ns += ns;
}

void pm_energy_add_idle(struct pm_energy_cpu *c, uint32_t cstate_power_mw,
			uint64_t ns)
{
	uint64_t p = clamp_u32(cstate_power_mw, 0, PM_MODEL_MW_MAX);

	pm_energy_acc_add(&c->idle, p * 1000, ns);
	c->idle_ns += ns;
}

uint64_t pm_energy_cpu_busy_uj(const struct pm_energy_cpu *c)
{
	return c->busy.uj;
}

uint64_t pm_energy_cpu_idle_uj(const struct pm_energy_cpu *c)
{
	return c->idle.uj;
}

uint64_t pm_energy_cpu_total_uj(const struct pm_energy_cpu *c)
{
	return c->busy.uj + c->idle.uj +
	       (c->busy.rem_fj + c->idle.rem_fj) / FJ_PER_UJ;
}

void pm_energy_pkg_init(struct pm_energy_pkg *p,
			const struct pm_power_model *m)
{
	*p = (struct pm_energy_pkg){ .model = m };
}

void pm_energy_pkg_add_time(struct pm_energy_pkg *p, uint64_t ns)
{
	uint64_t mw = clamp_u32(p->model->pkg_static_mw, 0, PM_MODEL_MW_MAX);

	pm_energy_acc_add(&p->uncore, mw * 1000, ns);
	p->ns += ns;
}

uint64_t pm_energy_pkg_uncore_uj(const struct pm_energy_pkg *p)
{
	return p->uncore.uj;
}

uint64_t pm_energy_pkg_total_uj(const struct pm_energy_pkg *p,
				const struct pm_energy_cpu *cpus, size_t n)
{
	uint64_t uj = p->uncore.uj, rem = p->uncore.rem_fj;

	/* Each remainder is < 1e9: summing them first loses nothing. */
	for (size_t i = 0; i < n; i++) {
		uj += cpus[i].busy.uj + cpus[i].idle.uj;
		rem += cpus[i].busy.rem_fj + cpus[i].idle.rem_fj;
		uj += rem / FJ_PER_UJ;
		rem %= FJ_PER_UJ;
	}
	return uj;
}

int pm_mul_div(uint64_t a, uint64_t b, uint64_t c, uint64_t *q,
	       uint64_t *rem)
{
	unsigned __int128 p = (unsigned __int128)a * b;
	uint64_t hi = (uint64_t)(p >> 64), lo = (uint64_t)p, quot = 0;

	/* hi >= c: the quotient does not fit in 64 bits. */
	if (c == 0 || hi >= c)
		return -1;
	/*
	 * Restoring division of hi:lo by c, one bit per step, keeping
	 * hi < c; a 128-by-64 `/` would need libgcc's __udivti3. The bit
	 * shifted out of hi means the partial remainder is >= 2^64 > c.
	 */
	for (int i = 0; i < 64; i++) {
		uint64_t carry = hi >> 63;

		hi = (hi << 1) | (lo >> 63);
		lo <<= 1;
		quot <<= 1;
		if (carry || hi >= c) {
			hi -= c;
			quot |= 1;
		}
	}
	*q = quot;
	if (rem)
		*rem = hi;
	return 0;
}
