; longmode: the guest switches itself from real mode to 64-bit long mode
; (SDM vol. 3A 9.8.5): identity-mapped 2 MiB page, CR4.PAE, CR3,
; EFER.LME through WRMSR (emulated by Volt), CR0.PG|PE, a far jump into a
; 64-bit code segment. Then CPUID and hypercalls from 64-bit mode.
%include "guest.inc"

PML4 equ 0x1000
PDPT equ 0x2000
PD   equ 0x3000
MSR_EFER equ 0xc0000080
FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len

	mov dword [PML4], PDPT | 3      ; present, writable
	mov dword [PDPT], PD | 3
	mov dword [PD], 0x83            ; 2 MiB page at 0: present, writable, PS
	ENTER_LONG_MODE PML4, long_mode

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, 0x7000
	PRINT hello64, hello64_len

	; 1: EFER.LMA reads back as set.
	mov ecx, MSR_EFER
	rdmsr
	and eax, 1 << 10
	cmp eax, 1 << 10
	RESULT_ZF 1

	; 2: a 64-bit register survives a VM exit (CPUID leaves R8 alone).
	mov r8, 0x1122334455667788
	mov eax, 0
	cpuid
	mov r9, 0x1122334455667788
	cmp r8, r9
	RESULT_ZF 2

	; 3: CR8 (the task priority) reads back what was written; Volt
	; intercepts it, so the host's own TPR is untouched.
	mov rax, 9
	mov cr8, rax
	xor rbx, rbx
	mov rbx, cr8
	cmp rbx, 9
	RESULT_ZF 3

	; 4: the System V syscall MSRs are the guest's: LSTAR round trip.
	mov ecx, 0xc0000082
	mov eax, 0x12345000
	mov edx, 0xffffffff
	wrmsr
	xor eax, eax
	xor edx, edx
	rdmsr
	cmp eax, 0x12345000
	RESULT_ZF 4

	EXIT 0

align 8
gdt:	dq 0
	dq 0x00af9a000000ffff           ; 64-bit code (L=1)
	dq 0x00cf92000000ffff           ; data
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
hello: db "switching to long mode"
hello_len equ $ - hello
hello64: db "in 64-bit mode"
hello64_len equ $ - hello64
