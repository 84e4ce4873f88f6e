; VM entry and exit (SDM vol. 3C 26 "VM Entries", 27 "VM Exits").
;
; int vmx_enter(struct guest_gprs *g, int launched, uint64_t *host_rsp)
;   Saves the host's callee-saved registers, records RSP as the VMCS host
;   RSP when it differs from *host_rsp (the value last written to this
;   VMCS: a VMWRITE per entry is not free), loads the guest's general
;   registers from *g and executes VMRESUME (launched) or VMLAUNCH. If the
;   instruction fails, returns -1 (VMfailInvalid) or -2 (VMfailValid).
;
; vmx_exit_entry: the VMCS host RIP. The processor arrives here on every VM
;   exit with RSP = the host RSP recorded above, where the pointer g sits.
;   All guest registers are stored into *g and vmx_enter returns 0.
;
; struct guest_gprs layout (arch/x86/vmx/vmx_vcpu.h): rax, rbx, rcx, rdx,
; rsi, rdi, rbp, r8..r15, each 8 bytes. RSP and RIP live in the VMCS.

%define G_RAX 0
%define G_RBX 8
%define G_RCX 16
%define G_RDX 24
%define G_RSI 32
%define G_RDI 40
%define G_RBP 48
%define G_R8  56
%define G_R9  64
%define G_R10 72
%define G_R11 80
%define G_R12 88
%define G_R13 96
%define G_R14 104
%define G_R15 112

%define VMCS_HOST_RSP 0x6c14  ; field encoding (vmcs_fields.def: HOST_RSP)

section .text
bits 64
global vmx_enter
global vmx_exit_entry

vmx_enter:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	push rsi                ; launched flag
	push rdi                ; g: found at [rsp] on VM exit
	cmp rsp, [rdx]
	je .host_rsp_set
	mov [rdx], rsp
	mov eax, VMCS_HOST_RSP
	vmwrite rax, rsp
.host_rsp_set:

	mov rax, [rsp]          ; g
	cmp qword [rsp + 8], 0
	mov rbx, [rax + G_RBX]
	mov rcx, [rax + G_RCX]
	mov rdx, [rax + G_RDX]
	mov rsi, [rax + G_RSI]
	mov rdi, [rax + G_RDI]
	mov rbp, [rax + G_RBP]
	mov r8,  [rax + G_R8]
	mov r9,  [rax + G_R9]
	mov r10, [rax + G_R10]
	mov r11, [rax + G_R11]
	mov r12, [rax + G_R12]
	mov r13, [rax + G_R13]
	mov r14, [rax + G_R14]
	mov r15, [rax + G_R15]
	mov rax, [rax + G_RAX]  ; last: it held g (flags from the cmp survive movs)
	jne .resume
	vmlaunch
	jmp .failed
.resume:
	vmresume
.failed:
	; VMfailInvalid sets CF, VMfailValid sets ZF.
	mov eax, -1
	mov ecx, -2
	cmovz eax, ecx
	add rsp, 16
	jmp vmx_restore_host

vmx_exit_entry:
	push rax                ; guest rax; [rsp + 8] is g
	mov rax, [rsp + 8]
	mov [rax + G_RBX], rbx
	mov [rax + G_RCX], rcx
	mov [rax + G_RDX], rdx
	mov [rax + G_RSI], rsi
	mov [rax + G_RDI], rdi
	mov [rax + G_RBP], rbp
	mov [rax + G_R8],  r8
	mov [rax + G_R9],  r9
	mov [rax + G_R10], r10
	mov [rax + G_R11], r11
	mov [rax + G_R12], r12
	mov [rax + G_R13], r13
	mov [rax + G_R14], r14
	mov [rax + G_R15], r15
	pop rbx                 ; guest rax
	mov [rax + G_RAX], rbx
	add rsp, 16             ; g and the launched flag
	xor eax, eax
vmx_restore_host:
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret
