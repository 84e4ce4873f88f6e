; smoke: the first Volt test guest. Starts in real mode (unrestricted
; guest), says hello through a hypercall, checks what CPUID tells a guest,
; reads an unclaimed I/O port, and exits with status 0.
%include "guest.inc"

FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len

	; 1: the hypervisor leaf carries Volt's signature.
	mov eax, 0x40000000
	cpuid
	cmp ebx, "Volt"
	jne .sig_done
	cmp ecx, "Volt"
	jne .sig_done
	cmp edx, "Volt"
.sig_done:
	RESULT_ZF 1

	; 2: leaf 1 says "hypervisor present" (ECX bit 31) and hides VMX (bit 5).
	mov eax, 1
	cpuid
	and ecx, (1 << 31) | (1 << 5)
	cmp ecx, 1 << 31
	RESULT_ZF 2

	; 3: an unclaimed port reads as all ones; a write to it is dropped.
	mov dx, 0x99
	mov al, 0x5a
	out dx, al
	in al, dx
	cmp al, 0xff
	RESULT_ZF 3

	EXIT 0
.hang:
	hlt
	jmp .hang

hello: db "hello from real mode"
hello_len equ $ - hello
