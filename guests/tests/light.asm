; light: a mostly idle guest for the power-management benchmark (make
; bench, docs/pm-bench.md). Every PERIOD host TSC ticks it does JOB units
; of work (the work guest's unit, ~1 ms at the maximum frequency) and
; HLTs until the next period starts, woken by Volt's one-shot timer
; (HC_TIMER); the I/O-like VM of the seed report's scenario
; (docs/dvfs-credit.md: a 1 ms job every 10 ms). After each job it
; reports its work like guests/tests/work.asm ("value work N", then
; "value at T", T = TSC >> 16); after WINDOWS periods it exits 0.
%include "guest.inc"

VECTOR  equ 0x40
PERIOD  equ 35000000            ; 10 ms at Bochs's 3.5 GHz TSC
TSC_MHZ equ 3500                ; ticks per microsecond, for HC_TIMER
WINDOWS equ 130               ; 1.3 s: outlasts a capped work guest
JOB     equ 2700                ; units per job: ~1 ms at f_max in Bochs
UNIT    equ 256                 ; loop iterations per unit (as work.asm)
FLAT_GUEST

start:
	REAL_MODE_SETUP
	mov word [VECTOR * 4], irq_handler
	mov word [VECTOR * 4 + 2], 0
	rdtsc
	mov [next_lo], eax
	mov [next_hi], edx
	mov esi, 0x12345678

.period:
	call job
	call report
	add dword [next_lo], PERIOD      ; the next job's arrival
	adc dword [next_hi], 0
	call sleep_until_next
	inc dword [windows]
	cmp dword [windows], WINDOWS
	jb .period
	EXIT 0

; job: JOB units of the work guest's multiply/xor chain.
job:
	mov edi, JOB
.unit:
	mov ecx, UNIT
.mix:
	imul esi, esi, 1103515245
	add esi, 12345
	xor esi, ecx
	dec ecx
	jnz .mix
	dec edi
	jnz .unit
	ret

; report: "value work JOB", then "value at T" (T = TSC >> 16, now).
report:
	mov eax, HC_VALUE
	mov ebx, name
	mov ecx, JOB
	vmcall
	rdtsc
	shrd eax, edx, 16
	mov ecx, eax
	mov eax, HC_VALUE
	mov ebx, at_name
	vmcall
	ret

; sleep_until_next: HLT until the TSC reaches next, the timer armed for
; the time left (whole microseconds, at least 1). A job that overran its
; period starts the next one at once, and the schedule restarts from now
; (no burst of jobs to catch up).
sleep_until_next:
	rdtsc
	mov ebx, [next_lo]
	mov ecx, [next_hi]
	sub ebx, eax
	sbb ecx, edx                    ; ecx:ebx = next - now
	jc .late                        ; now is past next
	jnz .arm                        ; (never: a period fits 32 bits)
	or ebx, ebx
	jz .done
.arm:
	mov eax, ebx
	xor edx, edx
	mov ebx, TSC_MHZ
	div ebx
	inc eax                         ; round up: never wake early
	mov ebx, eax
	mov eax, HC_TIMER
	mov ecx, VECTOR
	vmcall
	sti
	hlt
	cli
	jmp sleep_until_next
.late:
	mov [next_lo], eax
	mov [next_hi], edx
.done:
	ret

irq_handler:
	iret

name:    db "work", 0
at_name: db "at", 0
windows: dd 0
next_lo: dd 0
next_hi: dd 0
