; vmexit: the exit microbenchmark (after kvm-unit-tests' x86/vmexit.c).
; Each test runs ITER times between two RDTSCs and reports the TSC ticks
; per iteration through HC_VALUE. Under Bochs (clock: sync=none) a tick is
; one instruction, so the numbers are exact path lengths, host included.
%include "guest.inc"

ITER equ 1000
FLAT_GUEST

; MEASURE name: time the body that follows up to END_MEASURE.
%macro MEASURE 1
	rdtsc
	mov [t0], eax
	mov [t0 + 4], edx
	mov esi, ITER
%%loop:
%define measure_loop %%loop
%define measure_name %1
%endmacro

%macro END_MEASURE 0
	dec esi
	jnz measure_loop
	rdtsc
	sub eax, [t0]
	sbb edx, [t0 + 4]
	mov ecx, ITER
	div ecx                 ; eax = ticks per iteration
	mov ecx, eax
	mov ebx, measure_name
	mov eax, HC_VALUE
	vmcall
%endmacro

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len

	MEASURE n_loop          ; the loop alone: subtract it from the rest
	mov eax, 0
	END_MEASURE

	MEASURE n_cpuid
	mov eax, 0
	cpuid
	END_MEASURE

	MEASURE n_vmcall
	mov eax, HC_NOP
	vmcall
	END_MEASURE

	MEASURE n_inb
	mov dx, 0x99
	in al, dx
	END_MEASURE

	MEASURE n_outb
	mov dx, 0x99
	out dx, al
	END_MEASURE

	MEASURE n_rdmsr
	mov ecx, 0x2ff          ; IA32_MTRR_DEF_TYPE: emulated by Volt
	rdmsr
	END_MEASURE

	EXIT 0

align 8
t0: dq 0
n_loop:   db "loop", 0
n_cpuid:  db "cpuid", 0
n_vmcall: db "vmcall", 0
n_inb:    db "inb", 0
n_outb:   db "outb", 0
n_rdmsr:  db "rdmsr", 0
hello: db "exit microbenchmark: 1000 iterations each"
hello_len equ $ - hello
