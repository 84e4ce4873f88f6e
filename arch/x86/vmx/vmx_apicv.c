/*
 * VT-x APIC virtualization, the kernel glue (see vmx_apicv.h and
 * docs/apicv.md). SDM vol. 3C chapter "APIC Virtualization and Virtual
 * Interrupts" and 25.6.8 "Controls for APIC Virtualization".
 *
 * What is on for every vCPU of a VM, whatever its APIC mode:
 *   - "use TPR shadow" with the vCPU's register page as virtual-APIC
 *     page: MOV CR8 reads and writes its TPR without exits;
 *   - "APIC-register virtualization": reads of the registers come from
 *     the page; writes land in the page and exit afterwards (APIC-write,
 *     trap-like) when they have side effects Volt must carry out;
 *   - "virtual-interrupt delivery": the processor delivers the highest
 *     requested vector (RVI) above the virtual PPR itself, and EOIs are
 *     virtualized, exiting only for the vectors in the EOI-exit bitmap.
 * What follows the guest's APIC mode (vmx_apicv_mode_proc2):
 *   - xAPIC: "virtualize APIC accesses": guest-physical 0xfee00000 is
 *     mapped (EPT) to a per-VM APIC-access page, and accesses to it are
 *     virtualized or exit (APIC-access exit: Volt decodes them);
 *   - x2APIC: "virtualize x2APIC mode" and the MSR bitmap open for the
 *     virtualized registers (vmx_apicv_x2apic_msrs).
 * The APIC-access page itself is never read or written by a virtualized
 * access; only an x2APIC-mode or disabled vCPU reaches its memory, so it
 * holds all ones, what an inactive APIC page reads as in Volt's plain
 * path.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/msr.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/exit_reasons.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/vmx_apicv.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_vcpu.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/string.h"
#include "vmm/virt_ops.h"

/* Where the guest's xAPIC page is: the architectural default, which the
 * vLAPIC never lets a guest move (it refuses APIC base relocation). */
#define XAPIC_GPA 0xfee00000ull
#define APIC_MODE_UNSET 0xff
#define CPUID_EXT_MAX_LEAF 0x80000000u
#define CPUID_ADDR_SIZES 0x80000008u

enum { APICV_UNDECIDED, APICV_DECIDING, APICV_ON, APICV_OFF };
static int apicv_state;

/* ---- the decision ------------------------------------------------------- */

static const char *apicv_missing_here(void)
{
	bool true_ctls = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	uint64_t proc = rdmsr(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
					: MSR_IA32_VMX_PROCBASED_CTLS);
	uint64_t proc2 = 0;
	if (vmx_ctls_may_be_1(proc) & PROC_ACTIVATE_SECONDARY)
		proc2 = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2);
	return vmx_apicv_missing(proc, proc2);
}

void virt_apicv_configure(bool allowed)
{
	int expected = APICV_UNDECIDED;
	if (!__atomic_compare_exchange_n(&apicv_state, &expected,
					 APICV_DECIDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		while (__atomic_load_n(&apicv_state, __ATOMIC_ACQUIRE) ==
		       APICV_DECIDING)
			cpu_relax();
		return; /* decided once for all VMs */
	}
	const char *missing = allowed ? apicv_missing_here() : NULL;
	if (!allowed)
		printk("vmx: APIC virtualization: off by host option\n");
	else if (missing)
		printk("vmx: APIC virtualization: off: the CPU lacks %s\n",
		       missing);
	else
		printk("vmx: APIC virtualization: on (register virtualization "
		       "+ virtual-interrupt delivery)\n");
	__atomic_store_n(&apicv_state,
			 allowed && !missing ? APICV_ON : APICV_OFF,
			 __ATOMIC_RELEASE);
}

bool vmx_apicv_enabled(void)
{
	int s = __atomic_load_n(&apicv_state, __ATOMIC_ACQUIRE);
	if (s == APICV_UNDECIDED || s == APICV_DECIDING) {
		virt_apicv_configure(true);
		s = __atomic_load_n(&apicv_state, __ATOMIC_ACQUIRE);
	}
	return s == APICV_ON;
}

/* ---- per VM ------------------------------------------------------------- */

int vmx_apicv_vm_init(struct vmx_vm *vv)
{
	vv->apic_access = 0;
	if (!vmx_apicv_enabled())
		return 0;
	uint64_t page = frame_alloc_zeroed();
	if (!page)
		return -1;
	memset((void *)(uintptr_t)page, 0xff, FRAME_SIZE);
	/* Readable and writable, never executable: a fetch from the APIC
	 * page is an EPT violation, which stops the VM as before. */
	if (ept_map(&vv->ept, XAPIC_GPA, page, EPT_PAGE_4K,
		    EPT_READ | EPT_WRITE)) {
		frame_free_locked(page, 1);
		return -1;
	}
	vv->apic_access = page;
	return 0;
}

/* After the EPT tables are gone (no processor can reach the page). */
void vmx_apicv_vm_destroy(struct vmx_vm *vv)
{
	if (vv->apic_access)
		frame_free_locked(vv->apic_access, 1);
	vv->apic_access = 0;
}

/* ---- per vCPU ------------------------------------------------------------ */

void vmx_apicv_controls(struct vmx_vcpu *vx, uint32_t *proc_want,
			uint32_t *proc2_want)
{
	vx->apicv = vmx_apicv_enabled();
	if (!vx->apicv) {
		/* MOV CR8 would reach the host's own TPR */
		*proc_want |= PROC_CR8_LOAD_EXITING | PROC_CR8_STORE_EXITING;
		return;
	}
	*proc_want |= PROC_USE_TPR_SHADOW;
	*proc2_want |= PROC2_APIC_REGISTER_VIRT | PROC2_VIRTUAL_INTR_DELIVERY;
}

void vmx_apicv_vcpu_init(struct vcpu *v, struct vmx_vcpu *vx)
{
	vx->apic_mode = APIC_MODE_UNSET;
	vx->apic_page = 0;
	memset(vx->eoi_exit, 0, sizeof(vx->eoi_exit));
	vx->proc2 = vmcs_read32(SECONDARY_VM_EXEC_CONTROL);
	if (!vx->apicv)
		return;
	/* With virtual-interrupt delivery the threshold is not used (no
	 * TPR-below-threshold exits); 0 passes every check. */
	vmcs_write32(TPR_THRESHOLD, 0);
	vmcs_write16(GUEST_INTR_STATUS, 0);
	vmcs_write64(EOI_EXIT_BITMAP0, 0);
	vmcs_write64(EOI_EXIT_BITMAP1, 0);
	vmcs_write64(EOI_EXIT_BITMAP2, 0);
	vmcs_write64(EOI_EXIT_BITMAP3, 0);
	vmcs_write64(APIC_ACCESS_ADDR,
		     ((struct vmx_vm *)v->vm->backend)->apic_access);
}

static uint8_t host_maxphyaddr(void)
{
	struct cpuid_regs r;
	cpuid(CPUID_EXT_MAX_LEAF, 0, &r);
	if (r.eax < CPUID_ADDR_SIZES)
		return 36; /* the SDM's value without the leaf */
	cpuid(CPUID_ADDR_SIZES, 0, &r);
	return (uint8_t)r.eax;
}

/* The entry checks on the controls just chosen: a failure is Volt's bug,
 * named here instead of an anonymous "invalid control fields". */
static void check_controls(struct vcpu *v, struct vmx_vcpu *vx)
{
	static uint8_t maxphyaddr;
	if (!maxphyaddr)
		maxphyaddr = host_maxphyaddr();
	struct vmx_apicv_controls c = {
		.pin = vmcs_read32(PIN_BASED_VM_EXEC_CONTROL),
		.proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL),
		.proc2 = vx->proc2,
		.tpr_threshold = vmcs_read32(TPR_THRESHOLD),
		.virtual_apic_addr = vx->apic_page,
		.apic_access_addr = vmcs_read64(APIC_ACCESS_ADDR),
		.vtpr = (uint8_t)*(volatile uint32_t *)(uintptr_t)
				(vx->apic_page + 0x80),
		.maxphyaddr = maxphyaddr,
	};
	const char *broken = vmx_apicv_check(&c);
	if (broken)
		panic("vmx: APIC virtualization of vCPU %u: %s", v->id, broken);
}

/* The guest switched its APIC (IA32_APIC_BASE): virtualize the page or
 * the MSRs, whichever it now uses. */
static void set_mode(struct vcpu *v, struct vmx_vcpu *vx, uint8_t mode)
{
	vx->proc2 = vmx_apicv_mode_proc2(vx->proc2, mode);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, vx->proc2);
	vmx_apicv_x2apic_msrs((uint8_t *)(uintptr_t)vx->msr_bitmap,
			      mode == VIRT_APIC_X2APIC);
	vx->apic_mode = mode;
	check_controls(v, vx);
}

#define SYNC_EOI_EXIT(i, field)                                     \
	do {                                                        \
		if (s->eoi_exit[i] != vx->eoi_exit[i]) {            \
			vmcs_write64(field, s->eoi_exit[i]);        \
			vx->eoi_exit[i] = s->eoi_exit[i];           \
		}                                                   \
	} while (0)

void vmx_apicv_sync(struct vcpu *v, const struct virt_apic_state *s)
{
	struct vmx_vcpu *vx = v->backend;
	if (!vx->apicv)
		return;
	uint64_t page = (uint64_t)(uintptr_t)s->page; /* identity-mapped */
	if (page != vx->apic_page) {
		vx->apic_page = page;
		vmcs_write64(VIRTUAL_APIC_PAGE_ADDR, page);
		check_controls(v, vx);
	}
	if (s->mode != vx->apic_mode)
		set_mode(v, vx, s->mode);
	vmcs_write16(GUEST_INTR_STATUS, (uint16_t)(s->svi << 8 | s->rvi));
	SYNC_EOI_EXIT(0, EOI_EXIT_BITMAP0);
	SYNC_EOI_EXIT(1, EOI_EXIT_BITMAP1);
	SYNC_EOI_EXIT(2, EOI_EXIT_BITMAP2);
	SYNC_EOI_EXIT(3, EOI_EXIT_BITMAP3);
}

/* ---- exits ------------------------------------------------------------ */

/*
 * An APIC-access exit (fault-like: the instruction has not run) is a
 * guest access to its xAPIC page that the processor does not virtualize:
 * a read of PPR, APR, RRD, the current count or a reserved offset, a
 * write to a read-only register, an access of another size. It becomes
 * the memory fault of the plain path, which decodes and emulates it.
 * Accesses during event delivery or by guest-physical address (the page
 * walked as a page table...) stop the VM with the exit's name.
 */
void vmx_apicv_translate_exit(struct vm_exit *e, uint16_t basic,
			      uint64_t q)
{
	unsigned type = (q >> APIC_ACCESS_QUAL_TYPE_SHIFT) &
			APIC_ACCESS_QUAL_TYPE_MASK;

	switch (basic) {
	case VMX_EXIT_REASON_APIC_ACCESS:
		if (type != APIC_ACCESS_LINEAR_READ &&
		    type != APIC_ACCESS_LINEAR_WRITE &&
		    type != APIC_ACCESS_LINEAR_FETCH) {
			e->kind = VM_EXIT_VENDOR;
			break;
		}
		e->kind = VM_EXIT_MEMORY_FAULT;
		e->u.memory.gpa = XAPIC_GPA +
				  (q & APIC_ACCESS_QUAL_OFFSET_MASK);
		e->u.memory.read = type == APIC_ACCESS_LINEAR_READ;
		e->u.memory.write = type == APIC_ACCESS_LINEAR_WRITE;
		e->u.memory.fetch = type == APIC_ACCESS_LINEAR_FETCH;
		break;
	case VMX_EXIT_REASON_APIC_WRITE: /* trap-like */
		e->kind = VM_EXIT_APIC_WRITE;
		e->u.apic.offset = (uint16_t)(q & APIC_WRITE_QUAL_OFFSET_MASK);
		break;
	case VMX_EXIT_REASON_VIRTUALIZED_EOI: /* trap-like */
		e->kind = VM_EXIT_APIC_EOI;
		e->u.apic.vector = (uint8_t)(q & EOI_QUAL_VECTOR_MASK);
		break;
	default:
		e->kind = VM_EXIT_VENDOR;
		break;
	}
}
