/*
 * Where vCPUs meet the scheduler (vcpu_sched.h): a vCPU runs on a thread
 * of its own; when it halts it blocks there and its processor runs
 * something else; events wake it (vm_kick_vcpu); after every exit the
 * scheduler may move the processor to another vCPU. The backend's
 * put/load follow the thread from processor to processor.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/percpu.h"
#include "sched/sched.h"
#include "vmm/vcpu_sched.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"
#include "vmm/vm.h"

_Static_assert(CONFIG_MAX_VMS <= SCHED_MAX_DOMS, "a domain per VM");
_Static_assert(VM_MAX_VCPUS <= SCHED_MAX_DOM_VCPUS, "an entity per vCPU");

static bool guest_interrupts_enabled(struct vcpu *v)
{
	struct vcpu_cpu_state st;
	virt_vcpu_get_cpu_state(v, &st);
	return st.rflags & VCPU_RFLAGS_IF;
}

/* What ends HLT even with interrupts off (SDM vol. 3A 9.x, "HLT"): an
 * NMI, or an INIT (which vcpu_run then acts on). */
static bool init_or_nmi_waiting(struct vcpu *v)
{
	const struct vlapic *l = &v->vm->dev.irq.lapic[v->id];
	return l->init_pending || l->nmi_pending || v->nmi_pending;
}

/*
 * A halted vCPU blocks until its next event: its next timer (the block's
 * timeout) or a kick from whoever makes an interrupt pending for it.
 * With interrupts off (an SMP guest parking a processor, as Linux does
 * when it stops the others or takes one offline) only an NMI, an INIT or
 * the end of the VM wakes it. Returns
 * false when nothing can ever wake it, or the VM is stopping.
 */
bool vcpu_block_until_event(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool parked = !guest_interrupts_enabled(v);
	for (;;) {
		uint64_t until = DEV_CLOCK_NEVER;
		uint64_t flags = vm_lock(vm);
		/* Set before the last look at events: whoever makes one
		 * pending after it wakes this vCPU (sched_wake). */
		__atomic_store_n(&v->halted, true, __ATOMIC_SEQ_CST);
		bool woken = parked ? init_or_nmi_waiting(v)
				    : vcpu_deliver_events(v, false);
		if (!parked)
			until = v->next_event;
		vm_unlock(vm, flags);
		bool stopping = __atomic_load_n(&vm->stopping, __ATOMIC_ACQUIRE);
		/* Alone, a vCPU with no timer left sleeps forever; with
		 * others, an IPI may still come. */
		bool forever = !parked && until == DEV_CLOCK_NEVER &&
			       vm->vcpu_count == 1;
		if (woken || stopping || forever) {
			__atomic_store_n(&v->halted, false, __ATOMIC_SEQ_CST);
			return woken;
		}
		sched_block(until);
		__atomic_store_n(&v->halted, false, __ATOMIC_SEQ_CST);
	}
}

void vcpu_sched_point(struct vcpu *v)
{
	sched_preempt_point();
	v->run_until = sched_run_until();
}

void vcpu_wake(struct vcpu *v)
{
	if (v->sched)
		sched_wake(v->sched);
}

static void vcpu_switch_out(void *owner)
{
	virt_vcpu_put(owner);
}

static void vcpu_switch_in(void *owner, uint32_t cpu)
{
	struct vcpu *v = owner;
	v->cpu = cpu;
	virt_vcpu_load(v);
	v->run_until = sched_run_until();
}

static const struct sched_entity_hooks vcpu_hooks = {
	.switch_out = vcpu_switch_out,
	.switch_in = vcpu_switch_in,
};

/* Affinity: the VM's pinning, else any processor. */
static uint64_t vcpu_affinity(const struct vm_config *cfg)
{
	return cfg->pinned ? cfg->pin_mask : ~0ull;
}

void vcpu_spawn(struct vcpu *v, const struct vm_config *cfg, uint32_t vm_id,
		void (*fn)(void *), void *arg)
{
	v->sched = sched_spawn(vm_id, v->id, fn, arg, v, &vcpu_hooks,
			       vcpu_affinity(cfg));
}
