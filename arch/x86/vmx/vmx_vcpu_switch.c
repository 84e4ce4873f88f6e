/*
 * Moving a vCPU off and onto a processor (the vcpu_put/vcpu_load ops).
 *
 * put: save the guest state VMX leaves in the processor
 * (vmx_vcpu_switch.h), then VMCLEAR the VMCS so that its data is in
 * memory and it is not active on this processor any more: SDM vol. 3C
 * 25.11.1 requires VMCLEAR before a VMCS is made current on another
 * processor. The VMCS's launch state becomes "clear", so the next entry
 * is a VMLAUNCH.
 *
 * load: VMPTRLD, then the host-state fields that differ per processor
 * (GS base = this CPU's percpu, TR/GDTR bases), the saved guest state
 * back into the processor, and, when the vCPU last ran on another
 * processor, INVEPT/INVVPID here: this processor may hold translations
 * tagged with the vCPU's VPID and EPTP from before the guest changed its
 * page tables elsewhere (28.4.3: INVLPG in the guest flushes only the
 * processor it runs on).
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/vmx/vmx_vcpu.h"
#include "lib/console.h"
#include "lib/string.h"

static const uint32_t switched_msrs[VMX_SWITCH_MSRS] = {
	MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_SFMASK, MSR_KERNEL_GS_BASE,
};

/* FXSAVE image offsets (SDM vol. 1, table 10-2). */
#define FX_FCW 0
#define FX_MXCSR 24
#define FCW_INIT 0x037f   /* FNINIT's control word */
#define MXCSR_INIT 0x1f80 /* power-up MXCSR: all exceptions masked */

static inline void fxsave(void *area)
{
	__asm__ volatile("fxsave64 (%0)" : : "r"(area) : "memory");
}

static inline void fxrstor(const void *area)
{
	__asm__ volatile("fxrstor64 (%0)" : : "r"(area) : "memory");
}

#define DR_ACCESSORS(n)                                                     \
	static inline uint64_t read_dr##n(void)                             \
	{                                                                   \
		uint64_t v;                                                 \
		__asm__ volatile("mov %%db" #n ", %0" : "=r"(v));           \
		return v;                                                   \
	}                                                                   \
	static inline void write_dr##n(uint64_t v)                          \
	{                                                                   \
		__asm__ volatile("mov %0, %%db" #n : : "r"(v));             \
	}
DR_ACCESSORS(0)
DR_ACCESSORS(1)
DR_ACCESSORS(2)
DR_ACCESSORS(3)
DR_ACCESSORS(6)

/* The processor needs CR4.OSFXSR for FXSAVE/FXRSTOR to include the XMM
 * registers and MXCSR (vol. 1, 10.5.1); Volt itself never uses them. */
static void enable_fxsr(void)
{
	uint64_t cr4 = read_cr4();
	if (!(cr4 & CR4_OSFXSR))
		write_cr4(cr4 | CR4_OSFXSR | CR4_OSXMMEXCPT);
}

static void save_processor_state(struct vmx_switch_state *s)
{
	fxsave(s->fxsave);
	s->cr2 = read_cr2();
	s->dr[0] = read_dr0();
	s->dr[1] = read_dr1();
	s->dr[2] = read_dr2();
	s->dr[3] = read_dr3();
	s->dr6 = read_dr6();
	for (unsigned i = 0; i < VMX_SWITCH_MSRS; i++)
		s->msrs[i] = rdmsr(switched_msrs[i]);
}

static void restore_processor_state(const struct vmx_switch_state *s)
{
	fxrstor(s->fxsave);
	write_cr2(s->cr2);
	write_dr0(s->dr[0]);
	write_dr1(s->dr[1]);
	write_dr2(s->dr[2]);
	write_dr3(s->dr[3]);
	write_dr6(s->dr6);
	for (unsigned i = 0; i < VMX_SWITCH_MSRS; i++)
		wrmsr(switched_msrs[i], s->msrs[i]);
}

/*
 * A new vCPU starts with the architectural reset values (vol. 3A table
 * 10-1: x87 as after FNINIT, MXCSR 0x1f80, XMM/CR2/DR0-3 zero, DR6
 * 0xffff0ff0, the MSRs zero), loaded now: nothing of the previous guest
 * on this processor may show through. Called by vcpu_init, which made
 * the VMCS current here.
 */
void vmx_switch_state_init(struct vmx_vcpu *vx)
{
	struct vmx_switch_state *s = &vx->sw;
	uint16_t fcw = FCW_INIT;
	uint32_t mxcsr = MXCSR_INIT;

	memset(s, 0, sizeof(*s));
	memcpy(s->fxsave + FX_FCW, &fcw, sizeof(fcw));
	memcpy(s->fxsave + FX_MXCSR, &mxcsr, sizeof(mxcsr));
	s->dr6 = 0xffff0ff0;
	enable_fxsr();
	restore_processor_state(s);
	s->loaded = true;
	s->cpu = this_cpu()->index;
}

void vmx_vcpu_put(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->backend;
	if (!vx || !vx->sw.loaded)
		return;
	save_processor_state(&vx->sw);
	if (vmclear(vx->vmcs))
		printk("vmx: VMCLEAR failed while switching vCPU %u out\n",
		       v->id);
	vx->launched = false;
	vx->sw.loaded = false;
}

void vmx_vcpu_load(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->backend;
	uint32_t cpu = this_cpu()->index;
	if (!vx || vx->sw.loaded)
		return;
	if (vmptrld(vx->vmcs))
		printk("vmx: VMPTRLD failed while switching vCPU %u in\n",
		       v->id);
	vmx_setup_host_state();
	enable_fxsr();
	restore_processor_state(&vx->sw);
	if (vx->sw.cpu != cpu)
		vmx_flush_guest_tlbs(v, vx);
	vx->sw.cpu = cpu;
	vx->sw.loaded = true;
}
