/*
 * A vCPU that halts, and the scheduler's point in the run loop (see
 * vcpu_sched.h).
 */
#include "arch/x86/smp.h"
#include "vmm/vcpu_sched.h"
#include "vmm/vcpu_state.h"
#include "vmm/virt_ops.h"
#include "vmm/vm.h"

static bool guest_interrupts_enabled(struct vcpu *v)
{
	struct vcpu_cpu_state st;
	virt_vcpu_get_cpu_state(v, &st);
	return st.rflags & VCPU_RFLAGS_IF;
}

/*
 * A halted vCPU waits for its next event. Until the credit scheduler
 * exists this waits here, on the vCPU's own processor; the scheduler will
 * instead block the vCPU and let the idle path choose a C-state. With
 * interrupts off (an SMP guest parking a processor, as Linux does when it
 * stops the others) only the end of the VM wakes it. Returns false when
 * nothing can ever wake it, or the VM is stopping.
 */
bool vcpu_block_until_event(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool parked = !guest_interrupts_enabled(v);
	for (;;) {
		uint64_t until = DEV_CLOCK_NEVER;
		uint64_t flags = vm_lock(vm);
		/* Set before the last look at events: whoever makes one
		 * pending after it kicks this processor awake. */
		__atomic_store_n(&v->halted, true, __ATOMIC_SEQ_CST);
		bool woken = !parked && vcpu_deliver_events(v, false);
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
		cpu_sleep_until(until);
		__atomic_store_n(&v->halted, false, __ATOMIC_SEQ_CST);
	}
}

void vcpu_sched_point(struct vcpu *v)
{
	(void)v;
}
