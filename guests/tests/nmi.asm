; nmi: NMIs through the virtual local APIC. The guest switches its local
; APIC to x2APIC mode (IA32_APIC_BASE), enables it (SVR), and sends itself
; an NMI through the ICR with interrupts disabled: an NMI ignores IF, so
; its handler (real-mode IVT entry 2) must run at once; a second NMI right
; after it also arrives (the first handler's IRET ended NMI blocking).
%include "guest.inc"

MSR_APIC_BASE equ 0x1b
X2APIC_SVR equ 0x80f
X2APIC_ICR equ 0x830
ICR_NMI_SELF equ (1 << 18) | (4 << 8)   ; shorthand self, delivery NMI
FLAT_GUEST

start:
	REAL_MODE_SETUP
	mov word [2 * 4], nmi_handler           ; IVT entry 2: NMI
	mov word [2 * 4 + 2], 0
	PRINT hello, hello_len

	mov ecx, MSR_APIC_BASE
	rdmsr
	or eax, (1 << 11) | (1 << 10)           ; enabled, x2APIC mode
	wrmsr
	mov ecx, X2APIC_SVR
	mov eax, 0x1ff                          ; software-enable, vector 0xff
	xor edx, edx
	wrmsr

	; 1: an NMI arrives with IF=0.
	cli
	mov byte [nmis], 0
	mov ecx, X2APIC_ICR
	mov eax, ICR_NMI_SELF
	xor edx, edx
	wrmsr
	nop
	cmp byte [nmis], 1
	RESULT_ZF 1

	; 2: and another one after the first handler returned.
	mov ecx, X2APIC_ICR
	mov eax, ICR_NMI_SELF
	xor edx, edx
	wrmsr
	nop
	cmp byte [nmis], 2
	RESULT_ZF 2
	EXIT 0

nmi_handler:
	inc byte [nmis]
	iret

nmis: db 0
hello: db "NMIs through the local APIC"
hello_len equ $ - hello
