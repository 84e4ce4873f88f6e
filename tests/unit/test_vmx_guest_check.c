/*
 * Host tests for the guest-state checks (arch/x86/vmx/vmx_guest_check.c),
 * SDM vol. 3C 27.3.1 (26.3.1 in older editions).
 *
 * Valid states first: the real-mode, 32-bit flat and 64-bit starts exactly
 * as vmx_guest_boot.c builds them, plus a virtual-8086 state, a ring-3
 * state and a paged guest without unrestricted guest; none may report a
 * violation. Then each broken variant must report the right check first
 * (and, where the SDM implies nothing else breaks, only that one).
 *
 * The bit values below are written from the SDM, not taken from the code
 * under test. Processor facts: Bochs 2.7 corei7_skylake_x
 * (/work/shared/EMULATORS.md: CR0_FIXED0, CR4_FIXED0, IA32_VMX_MISC);
 * EMULATORS.md does not list the FIXED1 MSRs, so those are the example
 * values tests/unit/test_vmx_caps.c uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "arch/x86/vmx/vmx_controls.h"
#include "arch/x86/vmx/vmx_guest_check.h"

/* ---- processor facts ----------------------------------------------------- */
#define BOCHS_CR0_FIXED0 0x80000021ull	/* PE, NE, PG */
#define EXAMPLE_CR0_FIXED1 0xffffffffull
#define BOCHS_CR4_FIXED0 0x2000ull	/* VMXE */
#define EXAMPLE_CR4_FIXED1 0x003727ffull	/* no LA57 (12), no PKE (22) */
#define BOCHS_MISC 0x600401e0ull	/* HLT, shutdown, wait-for-SIPI */
#define PHYS_BITS 40			/* a typical MAXPHYADDR */
#define LINEAR_BITS 48

/* ---- architectural bits (SDM vol. 3A 2.5, vol. 3C 25.4) ------------------ */
#define CR0_PE 0x1ull
#define CR0_ET 0x10ull
#define CR0_NE 0x20ull
#define CR0_WP 0x10000ull
#define CR0_NW 0x20000000ull
#define CR0_CD 0x40000000ull
#define CR0_PG 0x80000000ull
#define CR4_PAE 0x20ull
#define CR4_LA57 0x1000ull
#define CR4_VMXE 0x2000ull
#define CR4_PCIDE 0x20000ull
#define CR4_CET 0x800000ull
#define EFER_LME 0x100ull
#define EFER_LMA 0x400ull
#define RFLAGS_FIXED1 0x2ull
#define RFLAGS_TF 0x100ull
#define RFLAGS_IF 0x200ull
#define RFLAGS_VM 0x20000ull
#define PAT_DEFAULT 0x0007040600070406ull
#define DR7_INIT 0x400ull
#define AR_REAL_CODE 0x9bu	/* P, S, type 11 */
#define AR_REAL_DATA 0x93u	/* P, S, type 3 */
#define AR_FLAT_CODE32 0xc09bu	/* + D/B, G */
#define AR_FLAT_CODE64 0xa09bu	/* + L, G */
#define AR_FLAT_DATA 0xc093u
#define AR_TSS32_BUSY 0x8bu
#define AR_LDT 0x82u
#define AR_V86 0xf3u
#define AR_NOT_USABLE 0x10000u
#define INTR_BLOCK_STI 0x1u
#define INTR_BLOCK_MOVSS 0x2u
#define INTR_BLOCK_SMI 0x4u
#define INTR_BLOCK_NMI 0x8u
#define INJECT_VALID 0x80000000u
#define INJECT_EXTINT(v) (INJECT_VALID | (v))
#define INJECT_NMI (INJECT_VALID | (2u << 8) | 2u)
#define INJECT_HW_EXC(v) (INJECT_VALID | (3u << 8) | (v))
#define PDE_BS 0x4000ull

/* Controls: the must-be-1 ("default1") bits of typical TRUE control
 * MSRs plus what vmx_vcpu.c asks for. */
#define PIN_CTLS (0x16u | PIN_EXTERNAL_INTERRUPT_EXITING | PIN_NMI_EXITING)
#define PROC_CTLS (0x04006172u | PROC_HLT_EXITING | PROC_USE_IO_BITMAPS | \
		   PROC_USE_MSR_BITMAPS | PROC_ACTIVATE_SECONDARY)
#define PROC2_CTLS (PROC2_ENABLE_EPT | PROC2_ENABLE_VPID | \
		    PROC2_UNRESTRICTED_GUEST)
#define ENTRY_CTLS (0x11fbu | ENTRY_LOAD_IA32_EFER | ENTRY_LOAD_IA32_PAT)

#define ID(x) VMX_GUEST_CHECK_##x

static void set_seg(struct vmx_guest_snapshot *s, enum vmx_seg n,
		    uint16_t sel, uint64_t base, uint32_t limit, uint32_t ar)
{
	s->seg[n] = (struct vmx_guest_segment){ sel, base, limit, ar };
}

static void set_data_segs(struct vmx_guest_snapshot *s, uint16_t sel,
			  uint64_t base, uint32_t limit, uint32_t ar)
{
	static const enum vmx_seg data[] = { VMX_SEG_SS, VMX_SEG_DS,
					     VMX_SEG_ES, VMX_SEG_FS,
					     VMX_SEG_GS };
	for (unsigned i = 0; i < 5; i++)
		set_seg(s, data[i], sel, base, limit, ar);
}

/* What vmx_guest_boot.c's setup_common_state writes, and the processor. */
static void common(struct vmx_guest_snapshot *s)
{
	memset(s, 0, sizeof(*s));
	set_seg(s, VMX_SEG_TR, 0, 0, 0xffff, AR_TSS32_BUSY);
	set_seg(s, VMX_SEG_LDTR, 0, 0, 0, AR_NOT_USABLE);
	s->dr7 = DR7_INIT;
	s->rflags = RFLAGS_FIXED1;
	s->vmcs_link_pointer = ~0ull;
	s->pat = PAT_DEFAULT;
	s->pin = PIN_CTLS;
	s->proc = PROC_CTLS;
	s->proc2 = PROC2_CTLS;
	s->entry = ENTRY_CTLS;
	s->cr0_fixed0 = BOCHS_CR0_FIXED0;
	s->cr0_fixed1 = EXAMPLE_CR0_FIXED1;
	s->cr4_fixed0 = BOCHS_CR4_FIXED0;
	s->cr4_fixed1 = EXAMPLE_CR4_FIXED1;
	s->vmx_misc = BOCHS_MISC;
	s->phys_addr_bits = PHYS_BITS;
	s->linear_addr_bits = LINEAR_BITS;
	s->unrestricted_guest_supported = true;
}

/* setup_real_mode: CR0.PE = 0 under unrestricted guest. */
static void real_mode(struct vmx_guest_snapshot *s)
{
	common(s);
	s->cr0 = CR0_ET | CR0_NE;
	s->cr4 = BOCHS_CR4_FIXED0;
	set_seg(s, VMX_SEG_CS, 0, 0, 0xffff, AR_REAL_CODE);
	set_data_segs(s, 0, 0, 0xffff, AR_REAL_DATA);
	s->gdtr_limit = 0xffff;
	s->idtr_limit = 0x3ff;
	s->rip = 0x7c00;
}

/* setup_flat_protected_mode(long_mode = false). */
static void flat32(struct vmx_guest_snapshot *s)
{
	common(s);
	s->cr0 = CR0_PE | CR0_ET | CR0_NE;
	s->cr4 = BOCHS_CR4_FIXED0;
	set_seg(s, VMX_SEG_CS, 0x08, 0, 0xffffffff, AR_FLAT_CODE32);
	set_data_segs(s, 0x10, 0, 0xffffffff, AR_FLAT_DATA);
	s->gdtr_base = 0x1000;
	s->gdtr_limit = 0x17;
	s->rip = 0x100000;
}

/* setup_flat_protected_mode(long_mode = true). */
static void long64(struct vmx_guest_snapshot *s)
{
	flat32(s);
	s->cr0 |= CR0_PG;
	s->cr4 |= CR4_PAE;
	s->cr3 = 0x9000;
	set_seg(s, VMX_SEG_CS, 0x08, 0, 0xffffffff, AR_FLAT_CODE64);
	s->efer = EFER_LME | EFER_LMA;
	s->entry |= ENTRY_IA32E_MODE_GUEST;
	s->rip = 0xffffffff80001000ull;
}

/* Paged 64-bit guest on a VMCS without unrestricted guest: the RPL and
 * DPL rules that UG lifts apply again. */
static void long64_no_ug(struct vmx_guest_snapshot *s)
{
	long64(s);
	s->proc2 &= ~PROC2_UNRESTRICTED_GUEST;
}

/* Virtual-8086 task inside 32-bit protected mode. */
static void v86(struct vmx_guest_snapshot *s)
{
	flat32(s);
	s->rflags |= RFLAGS_VM;
	set_seg(s, VMX_SEG_CS, 0x1000, 0x10000, 0xffff, AR_V86);
	set_data_segs(s, 0x2000, 0x20000, 0xffff, AR_V86);
	s->rip = 0x100;
}

/* Ring 3, flat, unrestricted guest on: CS.DPL = SS.DPL = 3. */
static void ring3(struct vmx_guest_snapshot *s)
{
	flat32(s);
	set_seg(s, VMX_SEG_CS, 0x1b, 0, 0xffffffff, AR_FLAT_CODE32 | 0x60);
	set_data_segs(s, 0x23, 0, 0xffffffff, AR_FLAT_DATA | 0x60);
}

/* ---- running the checks -------------------------------------------------- */

#define LIST_MAX 64
static struct vmx_guest_violation found[LIST_MAX];

static int check(const struct vmx_guest_snapshot *s)
{
	memset(found, 0x5a, sizeof(found));
	return vmx_check_guest_state(s, found, LIST_MAX);
}

static void show(int n)
{
	char line[200];
	for (int i = 0; i < n && i < LIST_MAX; i++) {
		vmx_format_guest_violation(line, sizeof(line), &found[i]);
		print_message("  found[%d]: %s\n", i, line);
	}
}

static bool has(int n, enum vmx_guest_check c, const char *reg)
{
	for (int i = 0; i < n && i < LIST_MAX; i++)
		if (found[i].check == c &&
		    (reg ? found[i].reg && !strcmp(found[i].reg, reg)
			 : !found[i].reg))
			return true;
	return false;
}

/* The first violation is `c` on `reg`; returns how many were found. */
static int expect_first(const struct vmx_guest_snapshot *s,
			enum vmx_guest_check c, const char *reg)
{
	int n = check(s);
	const char *got = n >= 1 ? found[0].reg : "";
	bool reg_ok = n >= 1 && (reg ? got && !strcmp(got, reg) : !got);
	if (n < 1 || found[0].check != c || !reg_ok) {
		print_message("expected first: %s%s%s\n", reg ? reg : "",
			      reg ? "." : "", vmx_guest_check_text(c));
		show(n);
		fail();
	}
	return n;
}

/* `c` on `reg` is the only violation. */
static void expect_only(const struct vmx_guest_snapshot *s,
			enum vmx_guest_check c, const char *reg)
{
	int n = expect_first(s, c, reg);
	if (n != 1) {
		show(n);
		assert_int_equal(n, 1);
	}
}

static void expect_valid(const struct vmx_guest_snapshot *s)
{
	int n = check(s);
	if (n) {
		show(n);
		assert_int_equal(n, 0);
	}
}

/* ---- valid states -------------------------------------------------------- */

static void test_valid_states(void **state)
{
	struct vmx_guest_snapshot s;

	real_mode(&s);
	expect_valid(&s);
	flat32(&s);
	expect_valid(&s);
	long64(&s);
	expect_valid(&s);
	long64_no_ug(&s);
	expect_valid(&s);
	v86(&s);
	expect_valid(&s);
	ring3(&s);
	expect_valid(&s);
	/* Legal variations: a usable LDT, an unusable data segment with
	 * garbage in it (ES: FS and GS bases are checked even unusable),
	 * SS unusable in 64-bit mode, CD/NW (never checked), HLT with an
	 * interrupt to inject, PAE paging with sane PDPTEs. */
	flat32(&s);
	set_seg(&s, VMX_SEG_LDTR, 0x18, 0x2000, 0xfff, AR_LDT);
	set_seg(&s, VMX_SEG_ES, 0, 1ull << 63, 0x12345, AR_NOT_USABLE);
	s.cr0 |= CR0_NW | (1ull << 30);
	expect_valid(&s);
	long64(&s);
	set_seg(&s, VMX_SEG_SS, 0, 0, 0, AR_NOT_USABLE);
	set_seg(&s, VMX_SEG_LDTR, 0x1c, 1ull << 60, 0x123, AR_NOT_USABLE);
	s.activity_state = 1;
	s.rflags |= RFLAGS_IF;
	s.entry_intr_info = INJECT_EXTINT(0x20);
	expect_valid(&s);
	flat32(&s);
	s.cr0 |= CR0_PG;
	s.cr4 |= CR4_PAE;
	s.pdpte[0] = 0x5001;
	s.pdpte[1] = 0xdeadbeef000ull; /* not present: anything goes */
	expect_valid(&s);
}

/* ---- 27.3.1.1 ------------------------------------------------------------ */

static void test_cr0(void **state)
{
	struct vmx_guest_snapshot s;

	real_mode(&s);
	s.cr0 &= ~CR0_NE;
	expect_only(&s, ID(CR0_FIXED0), NULL);
	assert_int_equal(found[0].bits, CR0_NE);
	assert_int_equal(found[0].value, CR0_ET);

	/* Real mode without unrestricted guest: the PE/PG exception is
	 * gone, and the name says why. */
	real_mode(&s);
	s.proc2 &= ~PROC2_UNRESTRICTED_GUEST;
	expect_only(&s, ID(CR0_NEEDS_UG), NULL);
	assert_int_equal(found[0].bits, CR0_PE | CR0_PG);
	/* The secondary controls count only when activated (25.6.2). */
	real_mode(&s);
	s.proc &= ~PROC_ACTIVATE_SECONDARY;
	expect_only(&s, ID(CR0_NEEDS_UG), NULL);
	real_mode(&s);
	s.unrestricted_guest_supported = false;
	expect_only(&s, ID(CR0_NO_UG_CPU), NULL);

	flat32(&s);
	s.cr0 |= 1ull << 32;
	expect_only(&s, ID(CR0_FIXED1), NULL);
	assert_int_equal(found[0].bits, 1ull << 32);

	real_mode(&s);
	s.cr0 |= CR0_PG;
	expect_only(&s, ID(CR0_PG_WITHOUT_PE), NULL);

	/* NW (29) and CD (30) are never checked, whatever FIXED0/1 say. */
	flat32(&s);
	s.cr0_fixed1 &= ~(CR0_NW | CR0_CD);
	s.cr0 |= CR0_NW | CR0_CD;
	expect_valid(&s);
	s.cr0_fixed0 |= CR0_CD;
	s.cr0 &= ~(CR0_NW | CR0_CD);
	expect_valid(&s);
}

static void test_cr4_cr3(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.cr4 &= ~CR4_VMXE;
	expect_only(&s, ID(CR4_FIXED0), NULL);
	assert_int_equal(found[0].bits, CR4_VMXE);

	long64(&s);
	s.cr4 |= CR4_LA57;
	expect_only(&s, ID(CR4_FIXED1), NULL);
	assert_int_equal(found[0].bits, CR4_LA57);

	flat32(&s);
	s.cr4_fixed1 |= CR4_CET;
	s.cr4 |= CR4_CET;
	expect_only(&s, ID(CR4_CET_WITHOUT_WP), NULL);
	s.cr0 |= CR0_WP;
	expect_valid(&s);

	flat32(&s);
	s.cr4 |= CR4_PCIDE;
	expect_only(&s, ID(PCIDE_OUTSIDE_IA32E), NULL);
	long64(&s);
	s.cr4 |= CR4_PCIDE;
	expect_valid(&s);

	long64(&s);
	s.cr3 = 1ull << PHYS_BITS | 0x9000;
	expect_only(&s, ID(CR3_RESERVED), NULL);
	assert_int_equal(found[0].bits, 1ull << PHYS_BITS);
	s.cr3 = (1ull << (PHYS_BITS - 1)) | 0x9000; /* highest legal bit */
	expect_valid(&s);
}

static void test_ia32e_and_efer(void **state)
{
	struct vmx_guest_snapshot s;

	long64(&s);
	s.cr4 &= ~CR4_PAE;
	expect_only(&s, ID(IA32E_NEEDS_PAE), NULL);

	/* PG = 0 is legal for CR0 itself here (unrestricted guest), but
	 * not for an IA-32e mode guest; LME is then not compared. */
	long64(&s);
	s.cr0 &= ~CR0_PG;
	expect_only(&s, ID(IA32E_NEEDS_PG), NULL);

	flat32(&s);
	s.efer = EFER_LMA;
	expect_only(&s, ID(EFER_LMA_VS_IA32E), NULL);

	long64(&s);
	s.efer = EFER_LMA;
	expect_only(&s, ID(EFER_LMA_VS_LME), NULL);

	long64(&s);
	s.efer |= 1ull << 1;
	expect_only(&s, ID(EFER_RESERVED), NULL);
	assert_int_equal(found[0].bits, 1ull << 1);
	/* Without "load IA32_EFER" the field is not used. */
	s.entry &= ~ENTRY_LOAD_IA32_EFER;
	expect_valid(&s);
}

static void test_msrs_and_dr7(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.pat = (PAT_DEFAULT & ~(0xffull << 40)) | (2ull << 40);
	expect_only(&s, ID(PAT_INVALID), NULL);
	assert_int_equal(found[0].bits, 0xffull << 40);
	s.pat = 0x0807060504010000ull; /* UC UC WC WT WP WB UC- and 8 */
	expect_only(&s, ID(PAT_INVALID), NULL);
	assert_int_equal(found[0].bits, 0xffull << 56);
	s.pat = (PAT_DEFAULT & ~(0xffull << 16)) | (3ull << 16); /* reserved */
	expect_only(&s, ID(PAT_INVALID), NULL);
	assert_int_equal(found[0].bits, 0xffull << 16);
	s.entry &= ~ENTRY_LOAD_IA32_PAT;
	expect_valid(&s);

	flat32(&s);
	s.dr7 = 1ull << 32 | DR7_INIT;
	expect_valid(&s); /* "load debug controls" is 0 */
	s.entry |= ENTRY_LOAD_DEBUG_CONTROLS;
	expect_only(&s, ID(DR7_HIGH), NULL);

	flat32(&s);
	s.entry |= ENTRY_LOAD_DEBUG_CONTROLS;
	s.debugctl = 1ull << 3;
	expect_only(&s, ID(DEBUGCTL_RESERVED), NULL);
	s.debugctl = 1ull << 16;
	expect_only(&s, ID(DEBUGCTL_RESERVED), NULL);
	s.debugctl = 0xffc3; /* LBR, BTF, TR ... RTM_DEBUG (bits 15:6) */
	expect_valid(&s);

	long64(&s);
	s.sysenter_esp = 0xffff800000000000ull; /* canonical */
	s.sysenter_eip = 0x0000800000000000ull; /* not */
	expect_only(&s, ID(SYSENTER_EIP_CANONICAL), NULL);
	s.sysenter_esp = 0x8000000000000000ull;
	expect_first(&s, ID(SYSENTER_ESP_CANONICAL), NULL);
}

/* ---- 27.3.1.2 ------------------------------------------------------------ */

static void test_selectors_and_bases(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.seg[VMX_SEG_TR].selector = 0x2c; /* TI set */
	expect_only(&s, ID(SEL_TI), "TR");
	assert_string_equal(found[0].name, "TR.selector: TI must be 0 "
					   "(descriptor in the GDT)");

	flat32(&s);
	set_seg(&s, VMX_SEG_LDTR, 0x1c, 0, 0xfff, AR_LDT);
	expect_only(&s, ID(SEL_TI), "LDTR");

	/* Without UG, CS.RPL = SS.RPL; here SS also breaks DPL = RPL. */
	long64_no_ug(&s);
	s.seg[VMX_SEG_SS].selector = 0x13;
	assert_int_equal(expect_first(&s, ID(SS_RPL_VS_CS), "SS"), 2);
	assert_true(has(2, ID(SS_DPL_RPL), "SS"));
	long64(&s); /* with UG neither rule applies */
	s.seg[VMX_SEG_SS].selector = 0x13;
	expect_valid(&s);

	long64(&s);
	s.seg[VMX_SEG_FS].base = 0x0000800000000000ull;
	expect_only(&s, ID(BASE_CANONICAL), "FS");
	long64(&s);
	s.seg[VMX_SEG_TR].base = 0xfff0000000000000ull;
	expect_only(&s, ID(BASE_CANONICAL), "TR");

	long64(&s);
	s.seg[VMX_SEG_CS].base = 1ull << 32;
	expect_only(&s, ID(BASE_HIGH), "CS");
	long64(&s);
	s.seg[VMX_SEG_DS].base = 1ull << 40;
	expect_only(&s, ID(BASE_HIGH), "DS");
	s.seg[VMX_SEG_DS].ar = AR_NOT_USABLE; /* unusable: not checked */
	expect_valid(&s);
}

static void test_virtual_8086(void **state)
{
	struct vmx_guest_snapshot s;

	v86(&s);
	s.seg[VMX_SEG_SS].base = 0x20010;
	expect_only(&s, ID(V86_BASE), "SS");
	v86(&s);
	s.seg[VMX_SEG_ES].limit = 0xfffff;
	expect_only(&s, ID(V86_LIMIT), "ES");
	v86(&s);
	s.seg[VMX_SEG_GS].ar = AR_REAL_DATA;
	expect_only(&s, ID(V86_AR), "GS");
	assert_int_equal(found[0].value, AR_REAL_DATA);

	/* RFLAGS.VM in real mode: the segments are judged as virtual-8086
	 * first (CS has the wrong AR), and RFLAGS.VM itself is named. */
	real_mode(&s);
	s.rflags |= RFLAGS_VM;
	int n = expect_first(&s, ID(V86_AR), "CS");
	assert_true(has(n, ID(RFLAGS_VM), NULL));
}

static void test_code_data_types(void **state)
{
	struct vmx_guest_snapshot s;

	/* A data-type CS is legal only with unrestricted guest. */
	long64_no_ug(&s);
	s.seg[VMX_SEG_CS].ar = 0xa093;
	expect_only(&s, ID(CS_TYPE), "CS");
	assert_string_equal(found[0].name, "CS.AR: type must be 9, 11, 13 "
					   "or 15 (accessed code)");
	real_mode(&s);
	s.seg[VMX_SEG_CS].ar = AR_REAL_DATA;
	expect_valid(&s);
	s.seg[VMX_SEG_CS].ar = 0x91; /* read-only data: never */
	expect_only(&s, ID(CS_TYPE_UG), "CS");
	real_mode(&s);
	s.seg[VMX_SEG_CS].ar = 0x9a; /* code, not accessed */
	expect_only(&s, ID(CS_TYPE_UG), "CS");

	flat32(&s);
	s.seg[VMX_SEG_SS].ar = 0xc09b; /* code in SS */
	expect_only(&s, ID(SS_TYPE), "SS");
	s.seg[VMX_SEG_SS].ar = 0xc097; /* expand-down data: fine */
	expect_valid(&s);

	flat32(&s);
	s.seg[VMX_SEG_DS].ar = 0xc092;
	expect_only(&s, ID(DATA_NOT_ACCESSED), "DS");
	flat32(&s);
	s.seg[VMX_SEG_ES].ar = 0xc099; /* execute-only code */
	expect_only(&s, ID(DATA_CODE_UNREADABLE), "ES");
	s.seg[VMX_SEG_ES].ar = 0xc09b; /* readable code in ES: fine */
	expect_valid(&s);

	flat32(&s);
	s.seg[VMX_SEG_CS].ar = 0xc08b; /* S = 0 */
	expect_only(&s, ID(S_NOT_CODE_DATA), "CS");
	flat32(&s);
	s.seg[VMX_SEG_GS].ar = 0xc013; /* P = 0 */
	expect_only(&s, ID(NOT_PRESENT), "GS");
	/* CS is checked even when marked unusable. */
	flat32(&s);
	s.seg[VMX_SEG_CS].ar = (AR_FLAT_CODE32 & ~0x80u) | AR_NOT_USABLE;
	expect_only(&s, ID(NOT_PRESENT), "CS");
	flat32(&s);
	s.seg[VMX_SEG_FS].ar = 0xc193;
	expect_only(&s, ID(AR_RESERVED_11_8), "FS");
	assert_int_equal(found[0].bits, 0x100);
	flat32(&s);
	s.seg[VMX_SEG_DS].ar = 0x2c093;
	expect_only(&s, ID(AR_RESERVED_31_17), "DS");

	long64(&s);
	s.seg[VMX_SEG_CS].ar = AR_FLAT_CODE64 | 0x4000; /* L and D/B */
	expect_only(&s, ID(CS_DB_WITH_L), "CS");
	flat32(&s); /* L is not checked outside IA-32e mode */
	s.seg[VMX_SEG_CS].ar = AR_FLAT_CODE64 | 0x4000;
	expect_valid(&s);
}

static void test_privilege_levels(void **state)
{
	struct vmx_guest_snapshot s;

	real_mode(&s);
	s.seg[VMX_SEG_CS].ar = AR_REAL_DATA | 0x60;
	expect_only(&s, ID(CS_DPL_DATA), "CS");

	ring3(&s);
	s.seg[VMX_SEG_CS].ar = AR_FLAT_CODE32; /* DPL 0, SS.DPL 3 */
	expect_only(&s, ID(CS_DPL_NONCONFORMING), "CS");
	flat32(&s);
	s.seg[VMX_SEG_CS].ar = 0xc0bf; /* conforming, DPL 1 > SS.DPL 0 */
	expect_only(&s, ID(CS_DPL_CONFORMING), "CS");
	ring3(&s);
	s.seg[VMX_SEG_CS].ar = 0xc0bf; /* DPL 1 <= 3 */
	expect_valid(&s);
	flat32(&s);
	s.seg[VMX_SEG_CS].ar = 0xc09f; /* conforming, DPL 0 = SS.DPL */
	expect_valid(&s);

	/* Real mode with SS.DPL 3: CS (DPL 0) no longer matches SS, and
	 * SS.DPL itself must be 0 (CS is checked first). */
	real_mode(&s);
	s.seg[VMX_SEG_SS].ar = AR_REAL_DATA | 0x60;
	assert_int_equal(expect_first(&s, ID(CS_DPL_NONCONFORMING), "CS"), 2);
	assert_int_equal(found[1].check, ID(SS_DPL_ZERO));
	s.seg[VMX_SEG_CS].ar = AR_REAL_CODE | 0x60;
	expect_only(&s, ID(SS_DPL_ZERO), "SS");

	long64_no_ug(&s);
	s.seg[VMX_SEG_DS].selector = 0x13; /* RPL 3 > DPL 0 */
	expect_only(&s, ID(DATA_DPL_BELOW_RPL), "DS");
	long64(&s); /* unrestricted guest lifts it */
	s.seg[VMX_SEG_DS].selector = 0x13;
	expect_valid(&s);
	long64_no_ug(&s); /* and conforming code in DS has no such rule */
	s.seg[VMX_SEG_DS].selector = 0x13;
	s.seg[VMX_SEG_DS].ar = 0xc09f;
	expect_valid(&s);
}

static void test_granularity(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.seg[VMX_SEG_DS].limit = 0xffff0; /* G = 1 needs 11:0 all ones */
	expect_only(&s, ID(G_LIMIT_LOW), "DS");
	assert_int_equal(found[0].value, 0xffff0);
	flat32(&s);
	s.seg[VMX_SEG_SS].limit = 0xfffff0ff; /* bits 11:8 clear */
	expect_only(&s, ID(G_LIMIT_LOW), "SS");
	flat32(&s);
	s.seg[VMX_SEG_ES].ar = AR_FLAT_DATA & ~0x8000u; /* G = 0, 4 GiB */
	expect_only(&s, ID(G_LIMIT_HIGH), "ES");
	assert_int_equal(found[0].bits, 0xfff00000u);
	flat32(&s);
	s.seg[VMX_SEG_TR].limit = 0x100000; /* byte granular TR, 1 MiB + 1 */
	expect_only(&s, ID(G_LIMIT_HIGH), "TR");
}

static void test_tr_ldtr(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.seg[VMX_SEG_TR].ar = 0x89; /* available, not busy */
	expect_only(&s, ID(TR_TYPE), "TR");
	flat32(&s);
	s.seg[VMX_SEG_TR].ar = 0x83; /* busy 16-bit TSS: fine here */
	expect_valid(&s);
	long64(&s);
	s.seg[VMX_SEG_TR].ar = 0x83; /* but not in IA-32e mode */
	expect_only(&s, ID(TR_TYPE_64), "TR");
	flat32(&s);
	s.seg[VMX_SEG_TR].ar = 0x9b; /* a code segment */
	expect_first(&s, ID(S_NOT_SYSTEM), "TR");
	flat32(&s);
	s.seg[VMX_SEG_TR].ar = AR_TSS32_BUSY | AR_NOT_USABLE;
	expect_only(&s, ID(TR_UNUSABLE), "TR");
	flat32(&s);
	s.seg[VMX_SEG_TR].ar = 0x0b; /* not present */
	expect_only(&s, ID(NOT_PRESENT), "TR");

	flat32(&s);
	set_seg(&s, VMX_SEG_LDTR, 0x18, 0x2000, 0xfff, 0x8b);
	expect_only(&s, ID(LDTR_TYPE), "LDTR");
	set_seg(&s, VMX_SEG_LDTR, 0x18, 0x0000800000000000ull, 0xfff, AR_LDT);
	expect_only(&s, ID(BASE_CANONICAL), "LDTR");
	set_seg(&s, VMX_SEG_LDTR, 0x18, 0, 0xfff, AR_LDT | 0x20000);
	expect_only(&s, ID(AR_RESERVED_31_17), "LDTR");
}

/* ---- 27.3.1.3 - 27.3.1.4 ------------------------------------------------- */

static void test_descriptor_tables(void **state)
{
	struct vmx_guest_snapshot s;

	real_mode(&s);
	s.gdtr_limit = 0x10000;
	expect_only(&s, ID(DTR_LIMIT_HIGH), "GDTR");
	assert_string_equal(found[0].name, "GDTR.limit: bits 31:16 must be 0");
	long64(&s);
	s.idtr_base = 0x00ff000000000000ull;
	expect_only(&s, ID(DTR_BASE_CANONICAL), "IDTR");
}

static void test_rip_rflags(void **state)
{
	struct vmx_guest_snapshot s;

	real_mode(&s);
	s.rip = 1ull << 32;
	expect_only(&s, ID(RIP_HIGH), NULL);
	/* IA-32e mode but CS.L = 0 (compatibility mode): 32-bit RIP. */
	long64(&s);
	s.seg[VMX_SEG_CS].ar = AR_FLAT_CODE32;
	expect_only(&s, ID(RIP_HIGH), NULL);
	flat32(&s); /* CS.L means nothing outside IA-32e mode */
	s.seg[VMX_SEG_CS].ar = AR_FLAT_CODE64;
	s.rip = 0xffffffff80001000ull;
	expect_only(&s, ID(RIP_HIGH), NULL);
	long64(&s);
	s.rip = 0x0000800000000000ull;
	expect_only(&s, ID(RIP_CANONICAL), NULL);
	s.linear_addr_bits = 57; /* canonical with 5-level paging */
	expect_valid(&s);

	flat32(&s);
	s.rflags = 0;
	expect_only(&s, ID(RFLAGS_BIT1), NULL);
	flat32(&s);
	s.rflags |= 1ull << 15;
	expect_only(&s, ID(RFLAGS_RESERVED), NULL);
	assert_int_equal(found[0].bits, 1ull << 15);
	flat32(&s);
	s.rflags |= 1ull << 22;
	expect_only(&s, ID(RFLAGS_RESERVED), NULL);
	flat32(&s);
	s.rflags |= 1ull << 3;
	expect_only(&s, ID(RFLAGS_RESERVED), NULL);
	flat32(&s);
	s.rflags |= 1ull << 5;
	expect_only(&s, ID(RFLAGS_RESERVED), NULL);
	flat32(&s); /* the defined flags around them are fine */
	s.rflags |= 0x3f7fd5ull & ~RFLAGS_VM & ~RFLAGS_TF;
	expect_valid(&s);
	long64(&s);
	s.rflags |= RFLAGS_VM;
	int n = expect_first(&s, ID(V86_BASE), "CS");
	assert_true(has(n, ID(RFLAGS_VM), NULL));

	flat32(&s);
	s.entry_intr_info = INJECT_EXTINT(0x20);
	expect_only(&s, ID(RFLAGS_IF_INJECT), NULL);
	s.rflags |= RFLAGS_IF;
	expect_valid(&s);
}

/* ---- 27.3.1.5 ------------------------------------------------------------ */

static void test_activity_state(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.activity_state = 4;
	expect_only(&s, ID(ACTIVITY_INVALID), NULL);
	flat32(&s);
	s.activity_state = 2;
	s.vmx_misc &= ~(1ull << 7); /* no shutdown state */
	expect_only(&s, ID(ACTIVITY_UNSUPPORTED), NULL);

	ring3(&s);
	s.activity_state = 1;
	expect_only(&s, ID(ACTIVITY_HLT_DPL), NULL);

	flat32(&s);
	s.rflags |= RFLAGS_IF;
	s.interruptibility = INTR_BLOCK_STI;
	s.activity_state = 1;
	expect_only(&s, ID(ACTIVITY_BLOCKING), NULL);

	flat32(&s);
	s.activity_state = 1;
	s.entry_intr_info = INJECT_HW_EXC(14) | (1u << 11); /* #PF */
	expect_only(&s, ID(ACTIVITY_INJECT), NULL);
	s.entry_intr_info = INJECT_HW_EXC(18); /* #MC wakes HLT */
	expect_valid(&s);
	s.entry_intr_info = INJECT_VALID | (7u << 8); /* pending MTF exit */
	expect_valid(&s);
	s.entry_intr_info = INJECT_VALID | (7u << 8) | 1u;
	expect_only(&s, ID(ACTIVITY_INJECT), NULL);
	s.entry_intr_info = INJECT_HW_EXC(18);
	s.activity_state = 2; /* shutdown: #MC or NMI only */
	expect_valid(&s);
	s.entry_intr_info = INJECT_HW_EXC(1);
	expect_only(&s, ID(ACTIVITY_INJECT), NULL);
	s.activity_state = 3; /* wait-for-SIPI: nothing */
	s.entry_intr_info = INJECT_NMI;
	expect_only(&s, ID(ACTIVITY_INJECT), NULL);
}

static void test_interruptibility(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.interruptibility = 1u << 5;
	expect_only(&s, ID(INTR_RESERVED), NULL);

	flat32(&s);
	s.rflags |= RFLAGS_IF;
	s.interruptibility = INTR_BLOCK_STI | INTR_BLOCK_MOVSS;
	expect_only(&s, ID(INTR_STI_AND_MOVSS), NULL);

	flat32(&s); /* STI blocks only after setting IF */
	s.interruptibility = INTR_BLOCK_STI;
	expect_only(&s, ID(INTR_STI_IF0), NULL);
	s.rflags |= RFLAGS_IF;
	expect_valid(&s);
	s.entry_intr_info = INJECT_EXTINT(0x30);
	expect_only(&s, ID(INTR_INJECT_EXTINT), NULL);

	flat32(&s);
	s.interruptibility = INTR_BLOCK_MOVSS;
	expect_valid(&s);
	s.entry_intr_info = INJECT_NMI;
	expect_only(&s, ID(INTR_INJECT_NMI_MOVSS), NULL);

	flat32(&s);
	s.interruptibility = INTR_BLOCK_SMI;
	expect_only(&s, ID(INTR_SMI), NULL);

	flat32(&s);
	s.interruptibility = INTR_BLOCK_NMI;
	s.entry_intr_info = INJECT_NMI;
	expect_valid(&s); /* without virtual NMIs: allowed */
	s.pin |= PIN_VIRTUAL_NMIS;
	expect_only(&s, ID(INTR_NMI_VIRTUAL), NULL);

	flat32(&s);
	s.interruptibility = 1u << 4; /* enclave interruption */
	expect_valid(&s);
	s.interruptibility |= INTR_BLOCK_MOVSS;
	expect_only(&s, ID(INTR_ENCLAVE_MOVSS), NULL);
}

static void test_pending_debug(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.pending_dbg = 1ull << 4;
	expect_only(&s, ID(PENDING_DBG_RESERVED), NULL);
	s.pending_dbg = 0x400f | (1ull << 12); /* B0-B3, enabled bp, BS */
	expect_valid(&s);

	/* Single-stepping into a MOV SS shadow: the trap is pending. With
	 * no blocking and no HLT, BS is not checked. */
	flat32(&s);
	s.rflags |= RFLAGS_TF;
	expect_valid(&s);
	s.interruptibility = INTR_BLOCK_MOVSS;
	expect_only(&s, ID(PENDING_DBG_BS_SET), NULL);
	s.pending_dbg = PDE_BS;
	expect_valid(&s);
	s.debugctl = 0x2; /* BTF: single-step on branches only */
	expect_only(&s, ID(PENDING_DBG_BS_CLEAR), NULL);

	flat32(&s);
	s.pending_dbg = (1ull << 16) | (1ull << 12);
	expect_valid(&s);
	s.pending_dbg |= 1;
	expect_only(&s, ID(PENDING_DBG_RTM), NULL);
	s.pending_dbg = 1ull << 16; /* bit 12 missing */
	expect_only(&s, ID(PENDING_DBG_RTM), NULL);
	s.pending_dbg = (1ull << 16) | (1ull << 12);
	s.interruptibility = INTR_BLOCK_MOVSS;
	expect_only(&s, ID(PENDING_DBG_RTM_MOVSS), NULL);
}

static void test_link_pointer(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.vmcs_link_pointer = 0; /* the classic: the field left unwritten */
	expect_only(&s, ID(LINK_NOT_NONE), NULL);
	s.vmcs_link_pointer = 0x5010;
	expect_only(&s, ID(LINK_ALIGN), NULL);
	assert_int_equal(found[0].bits, 0x10);
	s.vmcs_link_pointer = 1ull << 45;
	expect_only(&s, ID(LINK_WIDTH), NULL);
}

/* ---- 27.3.1.6 ------------------------------------------------------------ */

static void test_pdptes(void **state)
{
	struct vmx_guest_snapshot s;

	flat32(&s);
	s.cr0 |= CR0_PG;
	s.cr4 |= CR4_PAE;
	s.pdpte[2] = 0x5003; /* present, bit 1 reserved */
	expect_only(&s, ID(PDPTE_RESERVED), "PDPTE2");
	assert_int_equal(found[0].bits, 0x2);
	s.pdpte[2] = 0x5001 | (1ull << 63); /* no XD in a PDPTE */
	expect_only(&s, ID(PDPTE_RESERVED), "PDPTE2");
	s.pdpte[2] = 0x5005; /* bit 2 (U/S) is reserved too */
	expect_only(&s, ID(PDPTE_RESERVED), "PDPTE2");
	s.pdpte[2] = 0x5101; /* and bit 8 */
	expect_only(&s, ID(PDPTE_RESERVED), "PDPTE2");
	s.pdpte[2] = 0x5019; /* PWT, PCD and bits 11:9 are not */
	s.pdpte[3] = 0x5e01;
	expect_valid(&s);
	/* Without EPT the PDPTEs come from memory, not these fields. */
	s.proc2 &= ~PROC2_ENABLE_EPT;
	expect_valid(&s);
}

/* ---- the interface ------------------------------------------------------- */

/* Several failures at once: counted in full, stored up to max, in SDM
 * order (27.3.1.1 before .2 before .4 before .5). */
static void test_many_and_max(void **state)
{
	struct vmx_guest_snapshot s;
	struct vmx_guest_violation two[2];

	flat32(&s);
	s.cr4 &= ~CR4_VMXE;
	s.seg[VMX_SEG_SS].ar = 0xc09b;
	s.rflags = 0;
	s.interruptibility = 1u << 7;
	assert_int_equal(check(&s), 4);
	assert_int_equal(found[0].check, ID(CR4_FIXED0));
	assert_int_equal(found[1].check, ID(SS_TYPE));
	assert_int_equal(found[2].check, ID(RFLAGS_BIT1));
	assert_int_equal(found[3].check, ID(INTR_RESERVED));

	memset(two, 0, sizeof(two));
	assert_int_equal(vmx_check_guest_state(&s, two, 1), 4);
	assert_int_equal(two[0].check, ID(CR4_FIXED0));
	assert_int_equal(two[1].check, 0); /* untouched */
	assert_null(two[1].section);
	assert_int_equal(vmx_check_guest_state(&s, NULL, 0), 4);
	assert_int_equal(vmx_check_guest_state(&s, NULL, 5), 4);
	assert_int_equal(vmx_check_guest_state(&s, two, -1), 4);
}

/* Garbage everywhere: no crash, no undefined behaviour (UBSan), and the
 * processor facts out of range are clamped, not trusted. */
static void test_hostile_snapshot(void **state)
{
	struct vmx_guest_snapshot s;

	memset(&s, 0xff, sizeof(s));
	s.unrestricted_guest_supported = true; /* a bool must hold 0 or 1 */
	int n = check(&s);
	assert_true(n > 20);
	for (int i = 0; i < n && i < LIST_MAX; i++) {
		assert_true(found[i].check < VMX_GUEST_CHECK_COUNT);
		assert_non_null(found[i].section);
		assert_true(strlen(found[i].name) > 0);
	}
	memset(&s, 0, sizeof(s));
	assert_true(check(&s) > 0);

	long64(&s);
	s.phys_addr_bits = 0;	  /* used as 32 */
	s.linear_addr_bits = 255; /* used as 64: all canonical */
	s.rip = 0x0000800000000000ull;
	expect_valid(&s);
	s.cr3 = 1ull << 33;
	expect_only(&s, ID(CR3_RESERVED), NULL);
	s.phys_addr_bits = 200;	  /* used as 52 */
	s.cr3 = 1ull << 51;
	expect_valid(&s);
	s.cr3 = 1ull << 52;
	expect_only(&s, ID(CR3_RESERVED), NULL);
}

static void test_table_and_format(void **state)
{
	struct vmx_guest_snapshot s;
	char line[160];

	for (int c = 0; c < VMX_GUEST_CHECK_COUNT; c++) {
		const char *sec = vmx_guest_check_section(c);
		assert_int_equal(strncmp(sec, "27.3.1.", 7), 0);
		assert_true(sec[7] >= '1' && sec[7] <= '6' && !sec[8]);
		assert_true(strlen(vmx_guest_check_text(c)) > 10);
	}
	assert_string_equal(vmx_guest_check_text(VMX_GUEST_CHECK_COUNT), "?");
	assert_string_equal(vmx_guest_check_section(-1), "?");

	long64_no_ug(&s);
	s.seg[VMX_SEG_CS].ar = 0xa093;
	expect_only(&s, ID(CS_TYPE), "CS");
	int len = vmx_format_guest_violation(line, sizeof(line), &found[0]);
	assert_int_equal(len, strlen(line));
	assert_string_equal(line, "CS.AR: type must be 9, 11, 13 or 15 "
				  "(accessed code); value 0xa093 "
				  "(SDM 27.3.1.2)");

	real_mode(&s);
	s.cr0 = 0;
	expect_only(&s, ID(CR0_FIXED0), NULL);
	vmx_format_guest_violation(line, sizeof(line), &found[0]);
	assert_string_equal(line, "CR0: bits IA32_VMX_CR0_FIXED0 requires are "
				  "0; value 0, bits 0x20 (SDM 27.3.1.1)");
	/* Truncation is safe and reported like snprintf. */
	int need = vmx_format_guest_violation(line, 8, &found[0]);
	assert_string_equal(line, "CR0: bi");
	assert_true(need > 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_states),
		cmocka_unit_test(test_cr0),
		cmocka_unit_test(test_cr4_cr3),
		cmocka_unit_test(test_ia32e_and_efer),
		cmocka_unit_test(test_msrs_and_dr7),
		cmocka_unit_test(test_selectors_and_bases),
		cmocka_unit_test(test_virtual_8086),
		cmocka_unit_test(test_code_data_types),
		cmocka_unit_test(test_privilege_levels),
		cmocka_unit_test(test_granularity),
		cmocka_unit_test(test_tr_ldtr),
		cmocka_unit_test(test_descriptor_tables),
		cmocka_unit_test(test_rip_rflags),
		cmocka_unit_test(test_activity_state),
		cmocka_unit_test(test_interruptibility),
		cmocka_unit_test(test_pending_debug),
		cmocka_unit_test(test_link_pointer),
		cmocka_unit_test(test_pdptes),
		cmocka_unit_test(test_many_and_max),
		cmocka_unit_test(test_hostile_snapshot),
		cmocka_unit_test(test_table_and_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
