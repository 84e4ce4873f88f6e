; msr: MSR reads and writes. Known MSRs read back what Volt emulates; an
; MSR Volt does not know raises #GP in the guest (caught here through the
; real-mode interrupt vector table), as on a processor without that MSR.
; Also: setting CR4.VMXE raises #GP (VMX is hidden from guests).
%include "guest.inc"

VECTOR_GP equ 13
FLAT_GUEST

start:
	REAL_MODE_SETUP
	mov word [VECTOR_GP * 4], gp_handler     ; IVT entry 13: offset
	mov word [VECTOR_GP * 4 + 2], 0          ; segment
	PRINT hello, hello_len

	; 1: the TSC MSR reads (and is not zero).
	mov byte [gp_seen], 0
	mov ecx, 0x10
	rdmsr
	or eax, edx
	jz .t1_fail
	cmp byte [gp_seen], 0
.t1_fail:
	RESULT_ZF 1

	; 2: IA32_APIC_BASE (the virtual local APIC's): enabled BSP at
	; 0xfee00000.
	mov ecx, 0x1b
	rdmsr
	cmp eax, 0xfee00900
	RESULT_ZF 2

	; 3: an unknown MSR raises #GP.
	mov byte [gp_seen], 0
	mov ecx, 0x4b564d99
	rdmsr
	cmp byte [gp_seen], 1
	RESULT_ZF 3

	; 4: writing the TSC is refused with #GP (not emulated yet).
	mov byte [gp_seen], 0
	mov ecx, 0x10
	xor eax, eax
	xor edx, edx
	wrmsr
	cmp byte [gp_seen], 1
	RESULT_ZF 4

	; 5: setting CR4.VMXE raises #GP: VMX is not offered to guests.
	mov byte [gp_seen], 0
	mov byte [gp_skip], 3   ; MOV CR4, EAX is 3 bytes
	mov eax, cr4
	or eax, 1 << 13
	mov cr4, eax
	cmp byte [gp_seen], 1
	RESULT_ZF 5

	EXIT 0

; #GP: note it and step over the instruction that faulted (RDMSR/WRMSR:
; 2 bytes; others set gp_skip).
gp_handler:
	push bp
	push ax
	mov bp, sp
	xor ax, ax
	mov al, [gp_skip]
	add word [bp + 4], ax   ; the saved IP
	pop ax
	pop bp
	mov byte [gp_seen], 1
	iret

gp_seen: db 0
gp_skip: db 2
hello: db "MSR reads, writes and #GP"
hello_len equ $ - hello
