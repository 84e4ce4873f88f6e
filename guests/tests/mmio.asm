; mmio: memory-mapped I/O through Volt's instruction emulator. The guest
; enters 64-bit mode with paging, maps the MMIO test device (test_mmio=on:
; a scratch page at 0xfed00000 that reads back what was written, but every
; access exits to Volt, which decodes and performs the instruction) and
; checks loads, stores, extensions, read-modify-write ALU operations with
; their flags, XCHG, BT and REP string instructions against it. Last, it
; uses an instruction Volt does not emulate (CMPSB), which must stop the
; VM with the instruction's bytes in the report.
%include "guest.inc"

PML4 equ 0x1000
PDPT equ 0x2000
PD0  equ 0x3000                 ; 0-1 GiB: the first 2 MiB
PD3  equ 0x4000                 ; 3-4 GiB: the 2 MiB around the device
MMIO equ 0xfed00000
BUF  equ 0x20000                ; RAM scratch buffer
FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len

	mov dword [PML4], PDPT | 3
	mov dword [PDPT], PD0 | 3
	mov dword [PDPT + 3 * 8], PD3 | 3
	mov dword [PD0], 0x83                   ; 0-2 MiB, PS
	mov dword [PD3 + 502 * 8], 0xfec00000 | 0x9b ; PS, PCD, PWT, RW, P
	ENTER_LONG_MODE PML4, long_mode

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, 0x7000
	mov r15, MMIO

	; 1: MOV store of an immediate and a register; loads of 1, 2, 4, 8 bytes.
	mov dword [r15], 0x12345678
	mov rax, 0x1122334455667788
	mov [r15 + 8], rax
	xor eax, eax
	mov al, [r15 + 1]               ; 0x56, merged into RAX
	mov cx, [r15 + 2]               ; 0x1234
	mov edx, [r15]
	mov r9, [r15 + 8]
	cmp al, 0x56
	jne .f1
	cmp cx, 0x1234
	jne .f1
	cmp edx, 0x12345678
	jne .f1
	mov r10, 0x1122334455667788
	cmp r9, r10
.f1:	RESULT_ZF 1

	; 2: MOVZX and MOVSX (sign extension to 64 bits), MOVSXD.
	mov word [r15 + 0x10], 0x8001
	movzx eax, word [r15 + 0x10]
	movsx r11, word [r15 + 0x10]
	mov dword [r15 + 0x14], 0xfffffffe
	movsxd r12, dword [r15 + 0x14]
	cmp eax, 0x8001
	jne .f2
	cmp r11, -32767
	jne .f2
	cmp r12, -2
.f2:	RESULT_ZF 2

	; 3: read-modify-write: ADD, OR, AND, XOR, SUB with the flags they set.
	mov dword [r15 + 0x20], 5
	add dword [r15 + 0x20], 3       ; 8
	or byte [r15 + 0x20], 0x10      ; 0x18
	and dword [r15 + 0x20], 0x1c    ; 0x18
	xor dword [r15 + 0x20], 0x3     ; 0x1b
	sub dword [r15 + 0x20], 0x1b    ; 0: ZF set
	jnz .f3
	mov byte [r15 + 0x24], 0x80
	sub byte [r15 + 0x24], 1        ; 0x7f: signed overflow
	jno .f3
	cmp dword [r15 + 0x20], 0
.f3:	RESULT_ZF 3

	; 4: CMP and TEST only read; BT copies the bit into CF; XCHG swaps.
	mov dword [r15 + 0x30], 0x40
	cmp dword [r15 + 0x30], 0x41    ; below: CF set
	jnc .f4
	test byte [r15 + 0x30], 0x40
	jz .f4
	bt dword [r15 + 0x30], 6
	jnc .f4
	mov eax, 0x99
	xchg [r15 + 0x30], eax
	cmp eax, 0x40
	jne .f4
	cmp dword [r15 + 0x30], 0x99
.f4:	RESULT_ZF 4

	; 5: REP STOSD into the device, one exit per element.
	lea rdi, [r15 + 0x100]
	mov ecx, 8
	mov eax, 0xaabbccdd
	cld
	rep stosd
	test ecx, ecx
	jnz .f5
	lea rax, [r15 + 0x120]
	cmp rdi, rax
	jne .f5
	cmp dword [r15 + 0x11c], 0xaabbccdd
.f5:	RESULT_ZF 5

	; 6: REP MOVSB from the device into RAM, and back from RAM.
	lea rsi, [r15 + 0x100]
	mov rdi, BUF
	mov ecx, 12
	rep movsb
	cmp dword [BUF + 8], 0xaabbccdd
	jne .f6
	mov dword [BUF], 0x5a5a1234
	mov rsi, BUF
	lea rdi, [r15 + 0x200]
	mov ecx, 4
	rep movsb
	cmp dword [r15 + 0x200], 0x5a5a1234
.f6:	RESULT_ZF 6

	PRINT unsupported, unsupported_len
	lea rsi, [r15 + 0x100]
	lea rdi, [r15 + 0x200]
	cmpsb                           ; not emulated: the VM stops here
	EXIT 1                          ; not reached

align 8
gdt:	dq 0
	dq 0x00af9a000000ffff
	dq 0x00cf92000000ffff
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
hello: db "MMIO through the instruction emulator"
hello_len equ $ - hello
unsupported: db "now an instruction Volt does not emulate"
unsupported_len equ $ - unsupported
