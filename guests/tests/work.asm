; work: a CPU-bound guest that measures the CPU it receives. It does fixed
; units of work (a multiply/xor chain) and after every window of WINDOW
; host TSC ticks (guests read the host's TSC) reports how many units it
; did with HC_VALUE ("value work N"), then when the window ended
; ("value at T", T = TSC / 65536); after WINDOWS windows it exits 0.
; Several of these on one processor show their shares of it: the
; scheduler tests compare these counts with Volt's own accounting.
%include "guest.inc"

FLAT_GUEST

WINDOW  equ 35000000            ; 10 ms at Bochs's 3.5 GHz TSC
WINDOWS equ 40
UNIT    equ 256                 ; loop iterations per unit of work

start:
	REAL_MODE_SETUP
	rdtsc
	mov [win_lo], eax
	mov [win_hi], edx
	mov esi, 0x12345678

.unit:
	mov ecx, UNIT
.mix:                                   ; work: an xorshift-style chain
	imul esi, esi, 1103515245
	add esi, 12345
	xor esi, ecx
	dec ecx
	jnz .mix
	inc dword [units]
	rdtsc                           ; edx:eax - window start >= WINDOW?
	sub eax, [win_lo]
	sbb edx, [win_hi]
	jnz .window_over
	cmp eax, WINDOW
	jb .unit
.window_over:
	mov eax, HC_VALUE
	mov ebx, name
	mov ecx, [units]
	vmcall
	mov dword [units], 0
	rdtsc
	mov [win_lo], eax
	mov [win_hi], edx
	shrd eax, edx, 16               ; T = TSC >> 16 (fits 32 bits)
	mov ecx, eax
	mov eax, HC_VALUE
	mov ebx, at_name
	vmcall
	inc dword [windows]
	cmp dword [windows], WINDOWS
	jb .unit
	EXIT 0

name:    db "work", 0
at_name: db "at", 0
units:   dd 0
windows: dd 0
win_lo:  dd 0
win_hi:  dd 0
