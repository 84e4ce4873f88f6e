; timer: interrupts injected by Volt. The guest arms Volt's one-shot
; timer (HC_TIMER), halts, and must be woken by the interrupt; then it
; arms the timer with interrupts disabled and checks that the interrupt
; waits until it enables them (the interrupt-window exit); last, it spins
; without any exit until the interrupt arrives (the preemption timer).
%include "guest.inc"

VECTOR equ 0x40
FLAT_GUEST

%macro ARM_TIMER 1
	mov eax, HC_TIMER
	mov ebx, %1             ; microseconds
	mov ecx, VECTOR
	vmcall
%endmacro

start:
	REAL_MODE_SETUP
	mov word [VECTOR * 4], irq_handler
	mov word [VECTOR * 4 + 2], 0
	PRINT hello, hello_len

	; 1: HLT with interrupts on is woken by the timer interrupt.
	mov byte [irqs], 0
	ARM_TIMER 1000
	sti
	hlt
	cli
	cmp byte [irqs], 1
	RESULT_ZF 1

	; 2: with interrupts off, a due interrupt waits...
	mov byte [irqs], 0
	ARM_TIMER 1
	mov esi, 200
.spin:
	mov eax, 0
	cpuid                   ; exits: Volt sees the timer is due
	dec esi
	jnz .spin
	cmp byte [irqs], 0
	RESULT_ZF 2

	; 3: ...and arrives as soon as they are enabled.
	sti
	nop
	nop
	cli
	cmp byte [irqs], 1
	RESULT_ZF 3

	; 4: a guest that never exits still gets its interrupt (Volt's
	; VMX-preemption timer brings the vCPU back at the deadline).
	mov byte [irqs], 0
	ARM_TIMER 1000
	sti
.wait:
	cmp byte [irqs], 0
	je .wait
	cli
	cmp byte [irqs], 1
	RESULT_ZF 4

	EXIT 0

irq_handler:
	inc byte [irqs]
	iret

irqs: db 0
hello: db "timer interrupts, HLT and the interrupt window"
hello_len equ $ - hello
