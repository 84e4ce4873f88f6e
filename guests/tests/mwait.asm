; mwait: a guest's MONITOR/MWAIT must not reach the host's C-states.
; Volt intercepts both: MONITOR does nothing, MWAIT halts the vCPU in the
; scheduler (pm guest_mwait=exit, the default) until an interrupt, or
; returns at once (guest_mwait=nop). Either way the guest's timer
; interrupt arrives and the loop below ends.
%include "guest.inc"

VECTOR equ 0x40
FLAT_GUEST

start:
	REAL_MODE_SETUP
	mov word [VECTOR * 4], irq_handler
	mov word [VECTOR * 4 + 2], 0
	PRINT hello, hello_len
	mov byte [irqs], 0
	mov eax, HC_TIMER
	mov ebx, 1000                   ; 1 ms
	mov ecx, VECTOR
	vmcall
	sti
.wait:
	mov eax, line
	xor ecx, ecx
	xor edx, edx
	monitor
	xor eax, eax                    ; hint: C1
	xor ecx, ecx
	mwait
	cmp byte [irqs], 0
	je .wait
	cli
	cmp byte [irqs], 1
	RESULT_ZF 1
	EXIT 0

irq_handler:
	inc byte [irqs]
	iret

hello: db "MONITOR/MWAIT in a guest"
hello_len equ $ - hello
irqs: db 0
align 64
line: times 64 db 0
