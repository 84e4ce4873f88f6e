/*
 * The VT-x backend's vCPU: building a VMCS, entering the guest, and
 * translating each VM exit into a generic struct vm_exit.
 *
 * SDM vol. 3C: 25 (the VMCS: which fields exist), 26.2-26.3 (the checks a
 * VM entry makes: every value below is chosen to pass them), 27 (what an
 * exit saves and loads), 28 (exit reasons and qualifications), A.3-A.5
 * (how the capability MSRs say which control bits may be 0 or 1).
 *
 * The guest starts in real mode, which needs "unrestricted guest": without
 * it VT-x only runs protected mode with paging. Guest memory is translated
 * by EPT; everything outside the VM's RAM is unmapped, so a stray access
 * exits as an EPT violation.
 */
#include <stdbool.h>
#include "arch/x86/cpu.h"
#include "arch/x86/cpu_tables.h"
#include "arch/x86/msr.h"
#include "arch/x86/percpu.h"
#include "arch/x86/virt.h"
#include "arch/x86/vmx/ept.h"
#include "arch/x86/vmx/vmcs.h"
#include "arch/x86/vmx/exit_reasons.h"
#include "arch/x86/vmx/msr_bitmap.h"
#include "arch/x86/vmx/vmx_apicv.h"
#include "arch/x86/vmx/vmx_caps.h"
#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_guest_check.h"
#include "arch/x86/vmx/vmx_insn.h"
#include "arch/x86/vmx/vmx_vcpu.h"
#include "lib/console.h"
#include "lib/frames.h"
#include "lib/string.h"
#include "vmm/virt_ops.h"

#define VECTOR_NMI 2

/* Entry/exit stubs (vmx_entry.asm). */
int vmx_enter(struct vcpu_regs *regs, int launched, uint64_t *host_rsp);
void vmx_exit_entry(void);

_Static_assert(__builtin_offsetof(struct vcpu_regs, rbx) == 8, "vmx_entry.asm G_RBX");
_Static_assert(__builtin_offsetof(struct vcpu_regs, rbp) == 48, "vmx_entry.asm G_RBP");
_Static_assert(__builtin_offsetof(struct vcpu_regs, r15) == 112, "vmx_entry.asm G_R15");
_Static_assert(VMCS_HOST_RSP == 0x6c14, "vmx_entry.asm VMCS_HOST_RSP");

/* ---- controls ------------------------------------------------------------ */

/* Volt's value for one control field, from its capability MSR (the pure
 * rule is vmx_adjust_controls in vmx_caps.c, host-tested). */
static int adjust_controls_optional(uint32_t msr, uint32_t want,
				    uint32_t optional, uint32_t *out)
{
	uint32_t missing;
	if (vmx_adjust_controls(rdmsr(msr), want, optional, out, &missing)) {
		printk("vmx: control MSR %#x cannot set bits %#x\n", msr,
		       missing);
		return -1;
	}
	return 0;
}

static int adjust_controls(uint32_t msr, uint32_t want, uint32_t *out)
{
	return adjust_controls_optional(msr, want, 0, out);
}

static int setup_controls(struct vmx_vcpu *vx)
{
	bool true_ctls = rdmsr(MSR_IA32_VMX_BASIC) & VMX_BASIC_TRUE_CTLS;
	uint32_t pin, proc, proc2, exit, entry;
	/* MWAIT/MONITOR exit: the host owns C-states (docs/power.md). */
	uint32_t proc_want = PROC_HLT_EXITING | PROC_USE_IO_BITMAPS |
			     PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY |
			     PROC_MWAIT_EXITING | PROC_MONITOR_EXITING;
	uint32_t proc2_want = PROC2_ENABLE_EPT | PROC2_UNRESTRICTED_GUEST;
	uint64_t proc2_cap = rdmsr(MSR_IA32_VMX_PROCBASED_CTLS2) >> 32;

	if (vx->vpid && (proc2_cap & PROC2_ENABLE_VPID))
		proc2_want |= PROC2_ENABLE_VPID;
	/* A TPR shadow and APIC virtualization, or CR8 exits (vmx_apicv.c) */
	vmx_apicv_controls(vx, &proc_want, &proc2_want);
	if (adjust_controls_optional(true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS
					       : MSR_IA32_VMX_PINBASED_CTLS,
				     PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING,
				     PIN_ACTIVATE_PREEMPTION_TIMER | PIN_VIRTUAL_NMIS,
				     &pin) ||
	    adjust_controls(true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS
				      : MSR_IA32_VMX_PROCBASED_CTLS,
			    proc_want, &proc) ||
	    adjust_controls(MSR_IA32_VMX_PROCBASED_CTLS2, proc2_want, &proc2) ||
	    adjust_controls(true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS
				      : MSR_IA32_VMX_EXIT_CTLS,
			    EXIT_HOST_ADDR_SPACE_SIZE | EXIT_ACK_INTERRUPT_ON_EXIT |
				    EXIT_SAVE_IA32_EFER | EXIT_LOAD_IA32_EFER |
				    EXIT_SAVE_IA32_PAT | EXIT_LOAD_IA32_PAT, &exit) ||
	    adjust_controls(true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS
				      : MSR_IA32_VMX_ENTRY_CTLS,
			    ENTRY_LOAD_IA32_EFER | ENTRY_LOAD_IA32_PAT, &entry))
		return -1;
	if (!(proc2 & PROC2_ENABLE_VPID))
		vx->vpid = 0;
	vx->preemption_timer = pin & PIN_ACTIVATE_PREEMPTION_TIMER;
	vx->virtual_nmis = pin & PIN_VIRTUAL_NMIS;

	vmcs_write32(PIN_BASED_VM_EXEC_CONTROL, pin);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, proc);
	vmcs_write32(SECONDARY_VM_EXEC_CONTROL, proc2);
	vmcs_write32(VM_EXIT_CONTROLS, exit);
	vmcs_write32(VM_ENTRY_CONTROLS, entry);
	vmcs_write32(EXCEPTION_BITMAP, 0); /* the guest handles its own faults */
	vmcs_write32(CR3_TARGET_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_STORE_COUNT, 0);
	vmcs_write32(VM_EXIT_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_MSR_LOAD_COUNT, 0);
	vmcs_write32(VM_ENTRY_INTR_INFO, 0);
	vmcs_write16(VIRTUAL_PROCESSOR_ID, vx->vpid);
	return 0;
}

/* ---- host state (26.2.2-26.2.4): what an exit loads -------------------- */

void vmx_setup_host_state(void)
{
	struct percpu *c = this_cpu();
	struct desc_ptr idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));

	vmcs_writenat(HOST_CR0, read_cr0());
	vmcs_writenat(HOST_CR3, read_cr3());
	vmcs_writenat(HOST_CR4, read_cr4());
	vmcs_write16(HOST_CS_SELECTOR, GDT_KERNEL_CS);
	vmcs_write16(HOST_SS_SELECTOR, GDT_KERNEL_DS);
	vmcs_write16(HOST_DS_SELECTOR, GDT_KERNEL_DS);
	vmcs_write16(HOST_ES_SELECTOR, GDT_KERNEL_DS);
	vmcs_write16(HOST_FS_SELECTOR, 0);
	vmcs_write16(HOST_GS_SELECTOR, 0);
	vmcs_write16(HOST_TR_SELECTOR, GDT_TSS_SEL); /* must not be 0 */
	vmcs_writenat(HOST_FS_BASE, rdmsr(MSR_FS_BASE));
	vmcs_writenat(HOST_GS_BASE, (uint64_t)(uintptr_t)c); /* this_cpu() */
	vmcs_writenat(HOST_TR_BASE, (uint64_t)(uintptr_t)&c->tables.tss);
	vmcs_writenat(HOST_GDTR_BASE, (uint64_t)(uintptr_t)c->tables.gdt);
	vmcs_writenat(HOST_IDTR_BASE, idtr.base);
	vmcs_write32(HOST_IA32_SYSENTER_CS, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_ESP, 0);
	vmcs_writenat(HOST_IA32_SYSENTER_EIP, 0);
	vmcs_write64(HOST_IA32_EFER, rdmsr(MSR_EFER));
	vmcs_write64(HOST_IA32_PAT, rdmsr(MSR_IA32_PAT));
	vmcs_writenat(HOST_RIP, (uint64_t)(uintptr_t)vmx_exit_entry);
}

/*
 * Every MSR access exits except those the VMCS switches or the processor
 * may hold for the guest (vmx_guest_msrs.c says which and why).
 */
static int setup_msr_bitmap(struct vmx_vcpu *vx)
{
	vx->msr_bitmap = frame_alloc_zeroed();
	if (!vx->msr_bitmap)
		return -1;
	uint8_t *page = (uint8_t *)(uintptr_t)vx->msr_bitmap;
	msr_bitmap_init_all_exit(page);
	vmx_guest_msrs_pass(page);
	vmcs_write64(MSR_BITMAP, vx->msr_bitmap);
	return 0;
}

/*
 * Every port exits for now: the devices live in Volt's I/O bus. The
 * bitmaps (25.6.4) are the mechanism to let a guest own a port later.
 */
static int setup_io_bitmaps(struct vmx_vcpu *vx)
{
	vx->io_bitmaps = frame_alloc_locked(2, FRAME_SIZE, 0);
	if (!vx->io_bitmaps)
		return -1;
	memset((void *)(uintptr_t)vx->io_bitmaps, 0xff, 2 * FRAME_SIZE);
	vmcs_write64(IO_BITMAP_A, vx->io_bitmaps);
	vmcs_write64(IO_BITMAP_B, vx->io_bitmaps + FRAME_SIZE);
	return 0;
}

/*
 * A new VM must not see translations cached for an earlier one that had
 * the same EPT root or VPID (frames and VPIDs get reused): flush both
 * before the first entry (28.3.3.3, 28.3.3.4).
 */
static const struct vmx_ept_vpid_info *ept_vpid_caps(void)
{
	static struct vmx_ept_vpid_info cap;
	static bool cap_read;
	if (!cap_read) {
		vmx_decode_ept_vpid(rdmsr(MSR_IA32_VMX_EPT_VPID_CAP), &cap);
		cap_read = true;
	}
	return &cap;
}

static void flush_ept(uint64_t eptp)
{
	const struct vmx_ept_vpid_info *cap = ept_vpid_caps();
	if (cap->invept_single)
		invept(INVEPT_SINGLE_CONTEXT, eptp);
	else if (cap->invept_all)
		invept(INVEPT_ALL_CONTEXTS, 0);
}

void vmx_flush_guest_tlbs(struct vcpu *v, struct vmx_vcpu *vx)
{
	const struct vmx_ept_vpid_info *cap = ept_vpid_caps();
	flush_ept(((struct vmx_vm *)v->vm->backend)->eptp);
	if (vx->vpid && cap->invvpid_single)
		invvpid(INVVPID_SINGLE_CONTEXT, vx->vpid);
	else if (vx->vpid && cap->invvpid_all)
		invvpid(INVVPID_ALL_CONTEXTS, 0);
}

/* ---- the ops ---------------------------------------------------------------- */

static uint64_t ept_alloc_table(void *opaque)
{
	return frame_alloc_zeroed();
}

static void *ept_table_ptr(void *opaque, uint64_t phys)
{
	return (void *)(uintptr_t)phys;
}

static int vmx_vm_init(struct vm *vm)
{
	static struct vmx_vm vms[CONFIG_MAX_VMS];
	struct vmx_vm *vv = &vms[vm->id % CONFIG_MAX_VMS];
	vv->ept = (struct ept_ctx){ .alloc_table = ept_alloc_table,
				    .table_ptr = ept_table_ptr };
	vv->ept.root = ept_alloc_table(0);
	if (!vv->ept.root)
		return -1;
	vv->eptp = ept_eptp(vv->ept.root, false);
	vm->backend = vv;
	return vmx_apicv_vm_init(vv);
}

static void ept_free_table(void *opaque, uint64_t phys)
{
	frame_free_locked(phys, 1);
}

/* No vCPU of the VM runs any more. Translations tagged with its EPT
 * pointer may still sit in this processor's TLBs; they are flushed before
 * the frames can back another VM's tables (and flush_guest_tlbs flushes
 * again before any new VM's first entry). */
static void vmx_vm_destroy(struct vm *vm)
{
	struct vmx_vm *vv = vm->backend;
	if (!vv)
		return;
	if (vv->ept.root)
		flush_ept(vv->eptp);
	ept_destroy(&vv->ept, ept_free_table);
	vmx_apicv_vm_destroy(vv);
	memset(vv, 0, sizeof(*vv));
	vm->backend = NULL;
}

static int vmx_vm_map_ram(struct vm *vm, uint64_t gpa, uint64_t hpa,
			  uint64_t len)
{
	struct vmx_vm *vv = vm->backend;
	return ept_map(&vv->ept, gpa, hpa, len, EPT_RWX);
}

static int vmx_vcpu_init(struct vcpu *v, const struct vcpu_boot *boot)
{
	static struct vmx_vcpu vcpus[CONFIG_MAX_VMS][VM_MAX_VCPUS];
	struct vmx_vcpu *vx = &vcpus[v->vm->id % CONFIG_MAX_VMS][v->id];
	uint32_t revision = (uint32_t)(rdmsr(MSR_IA32_VMX_BASIC) &
				       VMX_BASIC_REVISION_MASK);

	memset(vx, 0, sizeof(*vx));
	vx->vmcs = frame_alloc_zeroed();
	if (!vx->vmcs)
		return -1;
	memcpy((void *)(uintptr_t)vx->vmcs, &revision, sizeof(revision));
	/* VPID 0 is the host's; each vCPU of each VM gets its own. */
	vx->vpid = (uint16_t)(v->vm->id * VM_MAX_VCPUS + v->id + 1);
	v->backend = vx;

	if (vmclear(vx->vmcs) || vmptrld(vx->vmcs)) {
		printk("vmx: VMCLEAR/VMPTRLD of the new VMCS failed\n");
		return -1;
	}
	if (setup_controls(vx))
		return -1;
	vmcs_write64(EPT_POINTER, ((struct vmx_vm *)v->vm->backend)->eptp);
	if (setup_msr_bitmap(vx) || setup_io_bitmaps(vx))
		return -1;
	vmx_apicv_vcpu_init(v, vx);
	vmx_flush_guest_tlbs(v, vx);
	vmx_setup_host_state();
	vmx_setup_guest_state(boot);
	vmx_guest_msrs_load_initial();
	vmx_switch_state_init(vx);
	return 0;
}

static void translate_io(struct vm_exit *e, uint64_t q)
{
	e->kind = VM_EXIT_IO;
	e->u.io.port = (uint16_t)(q >> IO_QUAL_PORT_SHIFT);
	e->u.io.size = (uint8_t)((q & IO_QUAL_SIZE_MASK) + 1);
	e->u.io.in = q & IO_QUAL_IN;
	e->u.io.string = q & IO_QUAL_STRING;
	e->u.io.rep = q & IO_QUAL_REP;
}

/*
 * An exit can interrupt the delivery of an event (an interrupt Volt
 * injected, or the guest's own exception) before the guest's handler got
 * it; the IDT-vectoring information field then describes it (28.2.4), and
 * the event is lost unless the next entry injects it again (KVM's
 * vmx_complete_interrupts does the same). Software interrupts and
 * exceptions also need their instruction length.
 */
static void requeue_interrupted_event(void)
{
	uint32_t info = vmcs_read32(IDT_VECTORING_INFO);
	if (!(info & INTR_INFO_VALID))
		return;
	uint32_t type = info & INTR_TYPE_MASK;
	vmcs_write32(VM_ENTRY_INTR_INFO, info & ~IDT_VECTORING_UNDEFINED_BIT12);
	if (info & INTR_INFO_DELIVER_ERROR_CODE)
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE,
			     vmcs_read32(IDT_VECTORING_ERROR_CODE));
	if (type == INTR_TYPE_SOFTWARE_INTERRUPT ||
	    type == INTR_TYPE_PRIV_SOFTWARE_EXCEPTION ||
	    type == INTR_TYPE_SOFTWARE_EXCEPTION)
		vmcs_write32(VM_ENTRY_INSTRUCTION_LEN,
			     vmcs_read32(VM_EXIT_INSTRUCTION_LEN));
}

/* Hardware exit -> generic exit (28.2, appendix C). */
static void translate_exit(struct vcpu *v, struct vm_exit *e)
{
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	uint16_t basic = vmx_basic_exit_reason(reason);
	uint64_t q = vmcs_readnat(EXIT_QUALIFICATION);

	/* No memset: on the hot path every byte costs; each kind fills what
	 * its handler reads. */
	e->rip = vmcs_readnat(GUEST_RIP);
	e->insn_len = (uint8_t)vmcs_read32(VM_EXIT_INSTRUCTION_LEN);
	e->raw_reason = reason;
	e->qualification = q;
	if (vmx_exit_is_failed_entry(reason)) {
		/* Checks on guest state or MSR loading (28.8): no VM-
		 * instruction error; vcpu_dump explains the qualification. */
		e->kind = VM_EXIT_ENTRY_FAILED;
		e->u.entry_failed.error = 0;
		e->reason_name = vmx_exit_reason_name(basic);
		return;
	}
	switch (basic) {
	case VMX_EXIT_REASON_CPUID:
		e->kind = VM_EXIT_CPUID;
		e->u.cpuid.leaf = (uint32_t)v->regs.rax;
		e->u.cpuid.subleaf = (uint32_t)v->regs.rcx;
		break;
	case VMX_EXIT_REASON_IO_INSTRUCTION:
		translate_io(e, q);
		break;
	case VMX_EXIT_REASON_RDMSR:
	case VMX_EXIT_REASON_WRMSR:
		e->kind = basic == VMX_EXIT_REASON_RDMSR ? VM_EXIT_MSR_READ
						     : VM_EXIT_MSR_WRITE;
		e->u.msr.index = (uint32_t)v->regs.rcx;
		break;
	case VMX_EXIT_REASON_HLT:
		e->kind = VM_EXIT_HLT;
		break;
	case VMX_EXIT_REASON_MWAIT:
		e->kind = VM_EXIT_MWAIT;
		break;
	case VMX_EXIT_REASON_MONITOR:
		e->kind = VM_EXIT_MONITOR;
		break;
	case VMX_EXIT_REASON_VMCALL:
		e->kind = VM_EXIT_HYPERCALL;
		break;
	case VMX_EXIT_REASON_EPT_VIOLATION:
	case VMX_EXIT_REASON_EPT_MISCONFIG:
		e->kind = VM_EXIT_MEMORY_FAULT;
		e->u.memory.gpa = vmcs_read64(GUEST_PHYSICAL_ADDRESS);
		e->u.memory.read = q & EPT_QUAL_READ;
		e->u.memory.write = q & EPT_QUAL_WRITE;
		e->u.memory.fetch = q & EPT_QUAL_FETCH;
		break;
	case VMX_EXIT_REASON_TRIPLE_FAULT:
		e->kind = VM_EXIT_TRIPLE_FAULT;
		break;
	case VMX_EXIT_REASON_EXTERNAL_INTERRUPT:
		/* Acknowledged on exit: the vector is in the exit's
		 * interruption information (27.2.2). */
		e->kind = VM_EXIT_EXTERNAL_INTERRUPT;
		e->u.interrupt.vector = (uint8_t)vmcs_read32(VM_EXIT_INTR_INFO);
		break;
	case VMX_EXIT_REASON_EXCEPTION_NMI:
		/* With NMI exiting on, a host NMI lands here; guest exceptions
		 * only when the exception bitmap asks (it asks for none). */
		e->kind = (vmcs_read32(VM_EXIT_INTR_INFO) & INTR_TYPE_MASK) ==
					  INTR_TYPE_NMI
				  ? VM_EXIT_NMI : VM_EXIT_VENDOR;
		break;
	case VMX_EXIT_REASON_INTERRUPT_WINDOW:
	case VMX_EXIT_REASON_NMI_WINDOW: /* either: the run loop looks again */
		e->kind = VM_EXIT_INTERRUPT_WINDOW;
		break;
	case VMX_EXIT_REASON_CR_ACCESS:
		e->kind = VM_EXIT_CR_ACCESS;
		e->u.cr.cr = q & CR_QUAL_NUMBER_MASK;
		e->u.cr.access = (enum vm_cr_access)((q >> CR_QUAL_ACCESS_SHIFT) &
						     CR_QUAL_ACCESS_MASK);
		e->u.cr.gpr = (q >> CR_QUAL_GPR_SHIFT) & CR_QUAL_GPR_MASK;
		e->u.cr.lmsw_source = (uint16_t)(q >> CR_QUAL_LMSW_SHIFT);
		break;
	case VMX_EXIT_REASON_PREEMPTION_TIMER:
		e->kind = VM_EXIT_PREEMPTION_TIMER;
		break;
	case VMX_EXIT_REASON_INIT_SIGNAL:
		e->kind = VM_EXIT_INIT;
		break;
	case VMX_EXIT_REASON_SIPI: /* 28.2.1: the vector is in bits 7:0 */
		e->kind = VM_EXIT_SIPI;
		e->u.sipi.vector = (uint8_t)q;
		break;
	case VMX_EXIT_REASON_APIC_ACCESS:
	case VMX_EXIT_REASON_APIC_WRITE:
	case VMX_EXIT_REASON_VIRTUALIZED_EOI:
		vmx_apicv_translate_exit(e, basic, q);
		break;
	default:
		e->kind = VM_EXIT_VENDOR;
		break;
	}
	/* Named only where a report will print it: this is the hot path. */
	if (e->kind == VM_EXIT_VENDOR || e->kind == VM_EXIT_ENTRY_FAILED ||
	    e->kind == VM_EXIT_TRIPLE_FAULT || e->kind == VM_EXIT_MEMORY_FAULT)
		e->reason_name = vmx_exit_reason_name(basic);
}

/*
 * The VMX-preemption timer counts down at the TSC rate >> MISC[4:0] while
 * the guest runs and exits at zero (25.5.1): it brings the vCPU back at its
 * timer deadline even if the guest never exits on its own. Without a
 * deadline it is set to its maximum, a harmless periodic exit.
 */
static void arm_preemption_timer(const struct vcpu *v, struct vmx_vcpu *vx)
{
	static struct vmx_misc_info misc;
	static bool misc_read;
	/* Entries reload the value from the VMCS (Volt does not save it on
	 * exit), so "no deadline" needs writing only once. */
	uint64_t deadline = vcpu_exit_deadline(v);
	bool no_deadline = deadline == UINT64_MAX;
	if (no_deadline && vx->timer_at_max)
		return;
	vx->timer_at_max = no_deadline;
	if (!misc_read) {
		vmx_decode_misc(rdmsr(MSR_IA32_VMX_MISC), &misc);
		misc_read = true;
	}
	uint64_t now = rdtsc(), ticks = UINT64_MAX;
	if (!no_deadline)
		ticks = deadline > now ? deadline - now : 0;
	vmcs_write32(VMX_PREEMPTION_TIMER_VALUE,
		     vmx_preemption_timer_value(&misc, ticks));
}

static int vmx_vcpu_run(struct vcpu *v, struct vm_exit *e)
{
	struct vmx_vcpu *vx = v->backend;
	if (vx->preemption_timer)
		arm_preemption_timer(v, vx);
	int err = vmx_enter(&v->regs, vx->launched, &vx->host_rsp);
	if (err) {
		memset(e, 0, sizeof(*e));
		e->kind = VM_EXIT_ENTRY_FAILED;
		e->rip = vmcs_readnat(GUEST_RIP);
		e->u.entry_failed.error = err == VMX_FAIL_VALID
				? vmcs_read32(VM_INSTRUCTION_ERROR) : 0;
		e->reason_name = err == VMX_FAIL_VALID
			? vmx_insn_error_name(e->u.entry_failed.error)
			: "VMfailInvalid (no current VMCS)";
		return 0;
	}
	vx->launched = true;
	requeue_interrupted_event();
	translate_exit(v, e);
	return 0;
}

/*
 * Volt emulated the exiting instruction: continue after it. An STI or
 * MOV SS right before it has now had its one-instruction shadow, so that
 * blocking ends too (else an interrupt after STI; HLT would wait an
 * instruction too long).
 */
static void vmx_vcpu_complete_insn(struct vcpu *v, uint64_t rip)
{
	vmcs_writenat(GUEST_RIP, rip);
	uint32_t intr = vmcs_read32(GUEST_INTERRUPTIBILITY_INFO);
	if (intr & INTERRUPTIBILITY_BLOCKING_MASK)
		vmcs_write32(GUEST_INTERRUPTIBILITY_INFO,
			     intr & ~INTERRUPTIBILITY_BLOCKING_MASK);
}

static void vmx_vcpu_inject_exception(struct vcpu *v, uint8_t vector,
				      bool has_error, uint32_t error)
{
	uint32_t info = INTR_INFO_VALID | INTR_TYPE_HARDWARE_EXCEPTION | vector;
	/* Real mode pushes no error code; asking for one there fails the
	 * entry (26.2.1.3). */
	if (has_error && (vmcs_readnat(GUEST_CR0) & CR0_PE)) {
		info |= INTR_INFO_DELIVER_ERROR_CODE;
		vmcs_write32(VM_ENTRY_EXCEPTION_ERROR_CODE, error);
	}
	vmcs_write32(VM_ENTRY_INTR_INFO, info);
}

/* Turn one primary processor-based control on or off; `state` is Volt's
 * copy of it, which spares a VMREAD per entry when nothing changes. */
static void set_proc_control(bool *state, uint32_t bit, bool on)
{
	if (*state == on)
		return;
	*state = on;
	uint32_t proc = vmcs_read32(CPU_BASED_VM_EXEC_CONTROL);
	vmcs_write32(CPU_BASED_VM_EXEC_CONTROL, on ? proc | bit : proc & ~bit);
}

/* Interrupt-window exiting (25.6.2): exit as soon as the guest can take
 * an interrupt. */
static void vmx_vcpu_set_interrupt_window(struct vcpu *v, bool on)
{
	struct vmx_vcpu *vx = v->backend;
	set_proc_control(&vx->window_exiting, PROC_INTERRUPT_WINDOW_EXITING, on);
}

/* The guest takes an external interrupt at the next entry only with
 * RFLAGS.IF set, no STI/MOV-SS shadow, and no other event already queued
 * for that entry (a requeued one goes first). */
static bool vmx_vcpu_interrupt_allowed(struct vcpu *v)
{
	return !(vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID) &&
	       (vmcs_readnat(GUEST_RFLAGS) & RFLAGS_IF) &&
	       !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
		 INTERRUPTIBILITY_BLOCKING_MASK);
}

/*
 * NMIs (SDM vol. 3C 25.3, 26.6.1.2): with "virtual NMIs" the processor
 * tracks the guest's NMI blocking (set by delivery, cleared by IRET) in
 * the interruptibility state, and NMI-window exiting brings the vCPU back
 * when it ends. MOV SS blocking also holds an NMI back. Without virtual
 * NMIs (an old processor), NMIs are not offered: never allowed.
 */
static bool vmx_vcpu_nmi_allowed(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->backend;
	return vx->virtual_nmis &&
	       !(vmcs_read32(VM_ENTRY_INTR_INFO) & INTR_INFO_VALID) &&
	       !(vmcs_read32(GUEST_INTERRUPTIBILITY_INFO) &
		 (INTERRUPTIBILITY_BLOCKING_NMI |
		  INTERRUPTIBILITY_BLOCKING_MOV_SS));
}

static void vmx_vcpu_inject_nmi(struct vcpu *v)
{
	vmcs_write32(VM_ENTRY_INTR_INFO,
		     INTR_INFO_VALID | INTR_TYPE_NMI | VECTOR_NMI);
}

static void vmx_vcpu_set_nmi_window(struct vcpu *v, bool on)
{
	struct vmx_vcpu *vx = v->backend;
	if (vx->virtual_nmis) /* the control needs virtual NMIs (26.2.1.1) */
		set_proc_control(&vx->nmi_window_exiting,
				 PROC_NMI_WINDOW_EXITING, on);
}

static void vmx_vcpu_inject_interrupt(struct vcpu *v, uint8_t vector)
{
	vmcs_write32(VM_ENTRY_INTR_INFO,
		     INTR_INFO_VALID | INTR_TYPE_EXTERNAL_INTERRUPT | vector);
}

/* CR0 and CR4 as the guest reads them: bits Volt owns (the guest/host
 * mask) come from the read shadow, the rest from the real register. */
static uint64_t guest_visible_cr(uint64_t real, uint64_t mask, uint64_t shadow)
{
	return (real & ~mask) | (shadow & mask);
}

static void vmx_vcpu_get_cpu_state(struct vcpu *v, struct vcpu_cpu_state *s)
{
	uint32_t cs_ar = vmcs_read32(GUEST_CS_AR);
	s->rip = vmcs_readnat(GUEST_RIP);
	s->rsp = vmcs_readnat(GUEST_RSP);
	s->rflags = vmcs_readnat(GUEST_RFLAGS);
	s->cr0 = guest_visible_cr(vmcs_readnat(GUEST_CR0),
				  vmcs_readnat(CR0_GUEST_HOST_MASK),
				  vmcs_readnat(CR0_READ_SHADOW));
	s->cr4 = guest_visible_cr(vmcs_readnat(GUEST_CR4),
				  vmcs_readnat(CR4_GUEST_HOST_MASK),
				  vmcs_readnat(CR4_READ_SHADOW));
	s->cr3 = vmcs_readnat(GUEST_CR3);
	s->efer = vmcs_read64(GUEST_IA32_EFER);
	s->seg_base[VCPU_SEG_ES] = vmcs_readnat(GUEST_ES_BASE);
	s->seg_base[VCPU_SEG_CS] = vmcs_readnat(GUEST_CS_BASE);
	s->seg_base[VCPU_SEG_SS] = vmcs_readnat(GUEST_SS_BASE);
	s->seg_base[VCPU_SEG_DS] = vmcs_readnat(GUEST_DS_BASE);
	s->seg_base[VCPU_SEG_FS] = vmcs_readnat(GUEST_FS_BASE);
	s->seg_base[VCPU_SEG_GS] = vmcs_readnat(GUEST_GS_BASE);
	s->cs_db = cs_ar & AR_DB;
	s->cs_l = cs_ar & AR_L;
	s->cpl = (vmcs_read32(GUEST_SS_AR) >> AR_DPL_SHIFT) & 3;
}

static void vmx_vcpu_set_rsp(struct vcpu *v, uint64_t rsp)
{
	vmcs_writenat(GUEST_RSP, rsp);
}

static void vmx_vcpu_set_rflags(struct vcpu *v, uint64_t rflags)
{
	vmcs_writenat(GUEST_RFLAGS, rflags);
}

static void vmx_vcpu_dump(struct vcpu *v)
{
	uint32_t reason = vmcs_read32(VM_EXIT_REASON);
	uint16_t basic = vmx_basic_exit_reason(reason);
	if (vmx_exit_is_failed_entry(reason)) {
		printk("vmx: %s: %s\n", vmx_exit_reason_name(basic),
		       vmx_entry_failure_detail(basic,
						vmcs_readnat(EXIT_QUALIFICATION)));
		/* The processor does not say which check failed: find it. */
		if (basic == VMX_EXIT_REASON_INVALID_GUEST_STATE)
			vmx_explain_invalid_guest_state();
	}
	vmcs_dump();
}

/* VMCLEAR first: a VMCS still active on this CPU may be written back to
 * its region at any time (25.11.1), so its frame must not be reused. */
static void vmx_vcpu_destroy(struct vcpu *v)
{
	struct vmx_vcpu *vx = v->backend;
	if (!vx)
		return;
	/* This processor may cache the VM's translations (EPT-tagged). */
	if (v->vm->backend)
		flush_ept(((struct vmx_vm *)v->vm->backend)->eptp);
	if (vx->vmcs) {
		vmclear(vx->vmcs);
		frame_free_locked(vx->vmcs, 1);
	}
	if (vx->msr_bitmap)
		frame_free_locked(vx->msr_bitmap, 1);
	if (vx->io_bitmaps)
		frame_free_locked(vx->io_bitmaps, 2);
	vmx_guest_msrs_scrub();
	memset(vx, 0, sizeof(*vx));
	v->backend = NULL;
}

static const struct virt_ops vmx_ops = {
	.name = "VT-x",
	.vm_init = vmx_vm_init,
	.vm_destroy = vmx_vm_destroy,
	.vm_map_ram = vmx_vm_map_ram,
	.vcpu_init = vmx_vcpu_init,
	.vcpu_run = vmx_vcpu_run,
	.vcpu_complete_insn = vmx_vcpu_complete_insn,
	.vcpu_inject_exception = vmx_vcpu_inject_exception,
	.vcpu_interrupt_allowed = vmx_vcpu_interrupt_allowed,
	.vcpu_inject_interrupt = vmx_vcpu_inject_interrupt,
	.vcpu_set_interrupt_window = vmx_vcpu_set_interrupt_window,
	.vcpu_nmi_allowed = vmx_vcpu_nmi_allowed,
	.vcpu_inject_nmi = vmx_vcpu_inject_nmi,
	.vcpu_set_nmi_window = vmx_vcpu_set_nmi_window,
	.vcpu_get_cpu_state = vmx_vcpu_get_cpu_state,
	.vcpu_set_rsp = vmx_vcpu_set_rsp,
	.vcpu_set_rflags = vmx_vcpu_set_rflags,
	.vcpu_get_msr = vmx_vcpu_get_msr,
	.vcpu_set_msr = vmx_vcpu_set_msr,
	.vcpu_dump = vmx_vcpu_dump,
	.vcpu_destroy = vmx_vcpu_destroy,
	.vcpu_put = vmx_vcpu_put,
	.vcpu_load = vmx_vcpu_load,
	.apic_virtualization = vmx_apicv_enabled,
	.vcpu_sync_apic = vmx_apicv_sync,
};

const struct virt_ops *vmx_backend(void)
{
	return &vmx_ops;
}
