; Interrupt and exception entry stubs for all 256 vectors.
;
; Intel SDM vol. 3A 6.14.2: in 64-bit mode the CPU aligns RSP to 16 bytes,
; then pushes SS, RSP, RFLAGS, CS, RIP and, for some exceptions (6.15), an
; error code. Each stub makes the frame uniform (a dummy error code where
; the CPU pushes none), pushes its vector and jumps to isr_common, which
; saves the general registers, calls trap_dispatch(struct trap_frame *) and
; returns with iretq. The layout is struct trap_frame in idt.h, which checks
; the offsets below with _Static_assert.
;
; Position independent: the only absolute addresses are in isr_stub_table,
; in .data, which the linker turns into relocations for volt.efi.

TRAP_FRAME_GPRS   equ 15                ; rax..r15 (no rsp)
TRAP_FRAME_VECTOR equ TRAP_FRAME_GPRS * 8 ; vector, then error code
IDT_VECTORS       equ 256

; Does the CPU push an error code for vector %1? #DF #TS #NP #SS #GP #PF #AC
; #CP (SDM 6.15), and AMD's #VC and #SX (AMD APM vol. 2 8.2).
%define HAS_ERROR_CODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || \
			   (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

section .text
bits 64
extern trap_dispatch

; One small stub per vector. Nothing but push/jmp: NMI and #MC arrive here
; at any moment, on their IST stacks.
%assign vec 0
%rep IDT_VECTORS
align 16
isr_stub_%[vec]:
%if HAS_ERROR_CODE(vec) == 0
	push 0                          ; dummy error code
%endif
	push vec
	jmp isr_common
%assign vec vec + 1
%endrep

isr_common:
	push r15
	push r14
	push r13
	push r12
	push r11
	push r10
	push r9
	push r8
	push rbp
	push rdi
	push rsi
	push rdx
	push rcx
	push rbx
	push rax
	; 5 CPU words + error code + vector + 15 registers = 22 words: RSP is
	; 16-byte aligned again, as the C ABI wants at a call.
	cld                             ; the C ABI also wants DF clear
	mov rdi, rsp                    ; struct trap_frame *
	call trap_dispatch wrt ..plt
	pop rax
	pop rbx
	pop rcx
	pop rdx
	pop rsi
	pop rdi
	pop rbp
	pop r8
	pop r9
	pop r10
	pop r11
	pop r12
	pop r13
	pop r14
	pop r15
	add rsp, 16                     ; drop vector and error code
	iretq

; The addresses of the stubs, indexed by vector; idt_init() reads them.
section .data
align 8
global isr_stub_table:data hidden
isr_stub_table:
%assign vec 0
%rep IDT_VECTORS
	dq isr_stub_%[vec]
%assign vec vec + 1
%endrep

section .note.GNU-stack noalloc noexec nowrite progbits
