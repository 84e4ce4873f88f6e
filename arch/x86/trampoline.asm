; The application processors' start-up code: from the real mode a Start-up
; IPI leaves them in to 64-bit long mode on Volt's page tables, then C.
;
; Intel SDM vol. 3A: 9.4.4 (MP initialization, 8.4.4 in older editions),
; 9.4.4.1 (real mode after SIPI: CS = vector << 8, IP = 0), 10.9.1 and
; 10.8.5 (switching to protected mode, then to IA-32e mode: PAE, CR3,
; EFER.LME, CR0.PG, far jump to a 64-bit code segment; 9.9.1 and 9.8.5
; in older editions).
;
; smp.c copies these bytes to one page below 1 MiB and patches the
; parameter block at TRAMP_PARAMS. The page can be any page the frame
; allocator returned, so nothing here uses an absolute address: real mode
; addresses relative to CS (the page), and the protected and long mode
; parts add the page base, which stays in EBX/RBX throughout.
;
; No stack is used until the 64-bit part loads the AP's own one: after INIT
; the stack pointer is 0.

bits 16
section .rodata.trampoline progbits alloc noexec nowrite align=16

; Selectors in the temporary GDT below.
CODE32_SEL	equ 0x08
DATA_SEL	equ 0x10
CODE64_SEL	equ 0x18

CR0_PE		equ 1 << 0
MSR_EFER	equ 0xc0000080

; Parameter block: must match struct trampoline_params in smp.c.
TRAMP_PARAMS	equ 0x800
P_CR3		equ TRAMP_PARAMS + 0x00
P_CR0		equ TRAMP_PARAMS + 0x08
P_CR4		equ TRAMP_PARAMS + 0x10
P_EFER		equ TRAMP_PARAMS + 0x18
P_STACK		equ TRAMP_PARAMS + 0x20
P_PERCPU	equ TRAMP_PARAMS + 0x28
P_ENTRY		equ TRAMP_PARAMS + 0x30
P_CLAIMED	equ TRAMP_PARAMS + 0x38

%define OFF(label) ((label) - trampoline_start)

global trampoline_start:data hidden
global trampoline_end:data hidden

trampoline_start:
	cli
	cld
	mov ax, cs
	mov ds, ax

	; One AP per parameter block: a CPU that arrives late (after the
	; BSP gave up on it and moved on) must not share the next CPU's
	; stack. The first to set the bit owns the block; others park.
	lock bts word [P_CLAIMED], 0
	jc park16

	xor ebx, ebx
	mov bx, ax
	shl ebx, 4			; EBX = linear address of this page

	; Point the GDT register and the two far jumps at this page.
	lea eax, [ebx + OFF(gdt)]
	mov [OFF(gdtr) + 2], eax
	lea eax, [ebx + OFF(pm32)]
	mov [OFF(far32)], eax
	lea eax, [ebx + OFF(lm64)]
	mov [OFF(far64)], eax

	o32 lgdt [OFF(gdtr)]		; o32: load all 32 bits of the base
	mov eax, cr0
	or eax, CR0_PE
	mov cr0, eax
	; The far jump reloads CS from the GDT: now 32-bit protected mode.
	jmp dword far [OFF(far32)]

park16:
	cli
	hlt
	jmp park16

bits 32
pm32:
	mov ax, DATA_SEL
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax

	; Long mode needs PAE paging (CR4.PAE, in the BSP's CR4), the
	; 4-level tables (CR3 below 4 GiB: only 32 bits can be loaded here)
	; and EFER.LME; NXE too if the BSP uses NX bits in its tables.
	mov eax, [ebx + P_CR4]
	mov cr4, eax
	mov eax, [ebx + P_CR3]
	mov cr3, eax
	mov ecx, MSR_EFER
	rdmsr
	or eax, [ebx + P_EFER]
	wrmsr

	; Paging on (with PE, WP and caches as on the BSP). IA-32e mode is
	; now active, in its 32-bit compatibility sub-mode. This page must
	; be mapped executable at its own address in the BSP's tables.
	mov eax, [ebx + P_CR0]
	mov cr0, eax
	jmp dword far [ebx + OFF(far64)]

bits 64
lm64:
	; Upper halves of the registers are undefined after a mode switch.
	mov ebx, ebx
	mov rsp, [rbx + P_STACK]
	mov rdi, [rbx + P_PERCPU]	; ap_main(struct percpu *)
	mov rax, [rbx + P_ENTRY]
	xor ebp, ebp			; ends the backtrace's frame chain
	call rax			; never returns
park64:
	cli
	hlt
	jmp park64

; Temporary GDT, used only until cpu_tables_init() loads the CPU's own.
align 8
gdt:
	dq 0
	dq 0x00cf9a000000ffff		; 0x08: 32-bit code, base 0, 4 GiB
	dq 0x00cf92000000ffff		; 0x10: data, base 0, 4 GiB
	dq 0x00af9a000000ffff		; 0x18: 64-bit code (L=1, D=0)
gdt_end:

gdtr:
	dw gdt_end - gdt - 1
	dd 0				; base: patched above
far32:
	dd 0				; offset: patched above
	dw CODE32_SEL
far64:
	dd 0
	dw CODE64_SEL

	; Pad to the parameter block (assembly fails if the code grew
	; past it: TIMES with a negative count is an error).
	times TRAMP_PARAMS - ($ - trampoline_start) db 0
trampoline_params:
	times 0x40 db 0
trampoline_end:

section .note.GNU-stack noalloc noexec nowrite progbits
