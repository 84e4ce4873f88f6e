; phases: busy, idle, busy again, for the power-management tests. Busy:
; a CPU-bound loop for BUSY host TSC ticks; idle: HLT, woken every
; millisecond by Volt's one-shot timer (HC_TIMER), for IDLE ticks. Each
; phase's start is reported ("value phase_busy T" / "value phase_idle T",
; T = TSC >> 16), so a test can line the PM lines up with the phases.
%include "guest.inc"

VECTOR equ 0x40
BUSY   equ 350000000            ; 100 ms at Bochs's 3.5 GHz TSC
IDLE   equ 350000000
FLAT_GUEST

start:
	REAL_MODE_SETUP
	mov word [VECTOR * 4], irq_handler
	mov word [VECTOR * 4 + 2], 0
	mov ebx, busy_name
	call report
	mov edi, BUSY
	call busy
	mov ebx, idle_name
	call report
	mov edi, IDLE
	call idle
	mov ebx, busy_name
	call report
	mov edi, BUSY
	call busy
	EXIT 0

; report: HC_VALUE name=EBX value=TSC >> 16; remembers the TSC in t0.
report:
	rdtsc
	mov [t0_lo], eax
	mov [t0_hi], edx
	shrd eax, edx, 16
	mov ecx, eax
	mov eax, HC_VALUE
	vmcall
	ret

; elapsed: CF=0 when EDI ticks have passed since t0.
elapsed:
	rdtsc
	sub eax, [t0_lo]
	sbb edx, [t0_hi]
	jnz .over
	cmp eax, edi
	ret                             ; CF=1: not yet
.over:
	clc
	ret

busy:
	mov esi, 0x12345678
.loop:
	mov ecx, 256
.mix:
	imul esi, esi, 1103515245
	add esi, 12345
	dec ecx
	jnz .mix
	call elapsed
	jc .loop
	ret

idle:
	mov eax, HC_TIMER
	mov ebx, 1000                   ; 1 ms
	mov ecx, VECTOR
	vmcall
	sti
	hlt
	cli
	call elapsed
	jc idle
	ret

irq_handler:
	iret

busy_name: db "phase_busy", 0
idle_name: db "phase_idle", 0
t0_lo: dd 0
t0_hi: dd 0
