; wild: a guest that reaches outside its RAM. It switches to flat 32-bit
; protected mode and reads 64 MiB in a 16 MiB VM: EPT has nothing mapped
; there, so Volt must stop this VM (and only this VM) with a report.
%include "guest.inc"

FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	lgdt [gdt_desc]
	mov eax, cr0
	or eax, 1               ; CR0.PE
	mov cr0, eax
	jmp 0x08:protected

bits 32
protected:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov eax, [0x4000000]    ; beyond RAM: Volt stops us here
	mov eax, HC_RESULT      ; never reached: report a failure
	mov ebx, 1
	mov ecx, 1
	vmcall
	EXIT 1

align 8
gdt:	dq 0
	dq 0x00cf9a000000ffff   ; flat 32-bit code
	dq 0x00cf92000000ffff   ; flat data
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
hello: db "reaching beyond my RAM"
hello_len equ $ - hello
