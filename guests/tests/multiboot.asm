; multiboot: a Multiboot (v1) test kernel for Volt's Multiboot loader
; (vmm/loader/multiboot.c; Multiboot Specification 0.6.96).
;
; Built as ELF32 (nasm -f elf32, ld -m elf_i386 at 1 MiB: see
; mk/guests-multiboot.mk); the a.out-kludge path is covered by the unit
; tests. The loader enters at _start in 32-bit protected mode, paging off,
; EAX = 0x2BADB002, EBX = the information structure (spec 3.2). The kernel
; checks:
;   1  EAX holds the boot loader magic
;   2  mem_* fields valid (info flags bit 0) and mem_upper nonzero
;   3  the command line (flags bit 2) is exactly "volt-mb-test", which the
;      test's volt.cfg passes
;   4  the memory map (flags bit 6) has a usable (type 1) entry at 1 MiB,
;      walked by each entry's size field as the spec says
; It prints "multiboot: pass" or "multiboot: fail: <why>" on the 16550
; UART at 0x3f8 and writes 0 (pass) or the failed check's number to the
; exit port 0xf4 (exit_port=on in the VM's config), then halts.
;
; mk/guests.mk leaves this file to mk/guests-multiboot.mk.

bits 32

MB_HEADER_MAGIC equ 0x1badb002
MB_BOOT_MAGIC   equ 0x2badb002
MB_FLAGS        equ 0x3             ; page-aligned modules, memory info

MBI_FLAGS       equ 0               ; information structure offsets
MBI_MEM_UPPER   equ 8
MBI_CMDLINE     equ 16
MBI_MMAP_LENGTH equ 44
MBI_MMAP_ADDR   equ 48
MBI_HAS_MEM     equ 1 << 0
MBI_HAS_CMDLINE equ 1 << 2
MBI_HAS_MMAP    equ 1 << 6

COM1            equ 0x3f8
UART_LSR        equ 5
LSR_THR_EMPTY   equ 0x20
EXIT_PORT       equ 0xf4

global _start

section .text
; The header opens .text, so it lies in the first 8 KiB of the file.
align 4
mb_header:
	dd MB_HEADER_MAGIC
	dd MB_FLAGS
	dd -(MB_HEADER_MAGIC + MB_FLAGS)

_start:
	cli
	mov esp, stack_top
	mov ebp, ebx                    ; the info structure, kept in EBP
	call uart_init

	cmp eax, MB_BOOT_MAGIC          ; 1: magic
	jne fail_magic

	test dword [ebp + MBI_FLAGS], MBI_HAS_MEM ; 2: memory fields
	jz fail_mem
	cmp dword [ebp + MBI_MEM_UPPER], 0
	je fail_mem

	test dword [ebp + MBI_FLAGS], MBI_HAS_CMDLINE ; 3: command line
	jz fail_cmdline
	mov esi, [ebp + MBI_CMDLINE]
	mov edi, expected_cmdline
.cmp:
	mov al, [esi]
	cmp al, [edi]
	jne fail_cmdline
	inc esi
	inc edi
	test al, al
	jnz .cmp

	test dword [ebp + MBI_FLAGS], MBI_HAS_MMAP ; 4: memory map
	jz fail_mmap
	mov esi, [ebp + MBI_MMAP_ADDR]
	mov ecx, esi
	add ecx, [ebp + MBI_MMAP_LENGTH] ; end of the buffer
.entry:
	cmp esi, ecx
	jae fail_mmap
	; size (u32), base_addr (u64), length (u64), type (u32)
	cmp dword [esi + 4], 0x100000   ; base_addr low
	jne .next
	cmp dword [esi + 8], 0          ; base_addr high
	jne .next
	cmp dword [esi + 20], 1         ; type: available RAM
	jne .next
	mov eax, [esi + 12]
	or eax, [esi + 16]              ; a nonzero length
	jnz pass
.next:
	add esi, [esi]                  ; size counts the bytes after it
	add esi, 4
	jmp .entry

pass:
	mov esi, msg_pass
	xor ebx, ebx
	jmp finish
fail_magic:
	mov esi, msg_magic
	mov ebx, 1
	jmp finish
fail_mem:
	mov esi, msg_mem
	mov ebx, 2
	jmp finish
fail_cmdline:
	mov esi, msg_cmdline
	mov ebx, 3
	jmp finish
fail_mmap:
	mov esi, msg_mmap
	mov ebx, 4

; Print the line at ESI, report EBX through the exit port, halt.
finish:
	call puts
	call uart_drain
	mov eax, ebx
	out EXIT_PORT, al
.halt:
	hlt
	jmp .halt

; 115200 8N1, FIFOs on, no interrupts.
uart_init:
	push eax
	push edx
	mov dx, COM1 + 1
	xor al, al
	out dx, al                      ; IER: no interrupts
	mov dx, COM1 + 3
	mov al, 0x80
	out dx, al                      ; LCR: DLAB
	mov dx, COM1
	mov al, 1
	out dx, al                      ; DLL: divisor 1
	mov dx, COM1 + 1
	xor al, al
	out dx, al                      ; DLM
	mov dx, COM1 + 3
	mov al, 0x03
	out dx, al                      ; LCR: 8 bits, no parity, 1 stop
	mov dx, COM1 + 2
	mov al, 0x07
	out dx, al                      ; FCR: enable and clear FIFOs
	pop edx
	pop eax
	ret

; Wait until the transmitter can take a byte (LSR bit 5).
uart_wait:
	push eax
	push edx
	mov dx, COM1 + UART_LSR
.poll:
	in al, dx
	test al, LSR_THR_EMPTY
	jz .poll
	pop edx
	pop eax
	ret

; Wait until everything was sent (LSR bit 6) before the VM ends.
uart_drain:
	push eax
	push edx
	mov dx, COM1 + UART_LSR
.poll:
	in al, dx
	test al, 0x40
	jz .poll
	pop edx
	pop eax
	ret

; Send the NUL-terminated string at ESI.
puts:
	push eax
	push edx
	push esi
.next:
	mov al, [esi]
	test al, al
	jz .done
	call uart_wait
	mov dx, COM1
	out dx, al
	inc esi
	jmp .next
.done:
	pop esi
	pop edx
	pop eax
	ret

section .data
expected_cmdline: db "volt-mb-test", 0
msg_pass:    db "multiboot: pass", 13, 10, 0
msg_magic:   db "multiboot: fail: EAX is not 0x2BADB002", 13, 10, 0
msg_mem:     db "multiboot: fail: no mem_upper", 13, 10, 0
msg_cmdline: db "multiboot: fail: command line is not volt-mb-test", 13, 10, 0
msg_mmap:    db "multiboot: fail: no usable mmap entry at 1 MiB", 13, 10, 0

section .bss
alignb 16
	resb 4096
stack_top:
