; Multiboot2 entry: GRUB jumps here in 32-bit protected mode, paging off
; (Multiboot2 spec 3.3: EAX = magic 0x36d76289, EBX = physical address of the
; boot information). We build an identity map of the first 4 GiB with 2 MiB
; pages, enter long mode (SDM vol. 3A 9.8.5) and call mb2_entry() in C.
; Volt's real page tables replace these early ones in paging_init().

MB2_MAGIC        equ 0xe85250d6
MB2_ARCH_I386    equ 0
MB2_TAG_END      equ 0
MB2_TAG_MOD_ALIGN equ 6

CR0_PG   equ 1 << 31
CR4_PAE  equ 1 << 5
EFER_MSR equ 0xc0000080
EFER_LME equ 1 << 8
PTE_P    equ 1 << 0
PTE_W    equ 1 << 1
PTE_PS   equ 1 << 7
BOOT_STACK_SIZE equ 16384
COM1     equ 0x3f8
GDT_CODE equ 8                      ; selectors in early_gdt below
GDT_DATA equ 16

section .multiboot2 align=8
mb2_header:
	dd MB2_MAGIC
	dd MB2_ARCH_I386
	dd mb2_header_end - mb2_header
	dd -(MB2_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))
	; module alignment tag: GRUB page-aligns modules
	dw MB2_TAG_MOD_ALIGN, 0
	dd 8
	dw MB2_TAG_END, 0
	dd 8
mb2_header_end:

section .bss align=4096
early_pml4:  resb 4096
early_pdpt:  resb 4096
early_pd:    resb 4096 * 4          ; 4 page directories = 4 GiB
global mb2_boot_stack_top
mb2_boot_stack: resb BOOT_STACK_SIZE
mb2_boot_stack_top:

section .text
bits 32
global _start
extern mb2_entry
_start:
	cli
	cld
	mov esp, mb2_boot_stack_top
	mov edi, eax                    ; keep magic and info for the C entry
	mov esi, ebx

	; Long mode needs CPUID 0x80000001 EDX bit 29.
	mov eax, 0x80000000
	cpuid
	cmp eax, 0x80000001
	jb .no_long_mode
	mov eax, 0x80000001
	cpuid
	test edx, 1 << 29
	jz .no_long_mode

	; PML4[0] -> PDPT, PDPT[0..3] -> four PDs of 512 x 2 MiB pages.
	mov eax, early_pdpt
	or eax, PTE_P | PTE_W
	mov [early_pml4], eax
	mov ecx, 0
.fill_pdpt:
	mov eax, ecx
	shl eax, 12
	add eax, early_pd
	or eax, PTE_P | PTE_W
	mov [early_pdpt + ecx * 8], eax
	inc ecx
	cmp ecx, 4
	jb .fill_pdpt

	mov ecx, 0                      ; 2048 entries, entry i maps i * 2 MiB
.fill_pd:
	mov eax, ecx
	shl eax, 21
	or eax, PTE_P | PTE_W | PTE_PS
	mov edx, ecx
	shr edx, 11                     ; high dword: bits 32+ of i * 2 MiB
	mov [early_pd + ecx * 8], eax
	mov [early_pd + ecx * 8 + 4], edx
	inc ecx
	cmp ecx, 2048
	jb .fill_pd

	mov eax, cr4
	or eax, CR4_PAE
	mov cr4, eax
	mov eax, early_pml4
	mov cr3, eax
	mov ecx, EFER_MSR
	rdmsr
	or eax, EFER_LME
	wrmsr
	mov eax, cr0
	or eax, CR0_PG
	mov cr0, eax                    ; now in compatibility mode

	lgdt [early_gdt_ptr]
	jmp GDT_CODE:long_mode_entry

.no_long_mode:
	mov esi, no_long_mode_msg
.print:
	lodsb
	test al, al
	jz .halt
	mov dx, COM1
	out dx, al
	jmp .print
.halt:
	hlt
	jmp .halt

bits 64
long_mode_entry:
	mov ax, GDT_DATA
	mov ds, ax
	mov es, ax
	mov ss, ax
	xor ax, ax
	mov fs, ax
	mov gs, ax
	mov rsp, mb2_boot_stack_top
	xor ebp, ebp                    ; ends the backtrace chain
	; edi = magic, esi = info address (zero-extended by the 32-bit moves)
	mov edi, edi
	mov esi, esi
	call mb2_entry
.hang:
	cli
	hlt
	jmp .hang

section .rodata
align 8
early_gdt:
	dq 0

	dq 0x00af9a000000ffff           ; 64-bit code, present, ring 0

	dq 0x00cf92000000ffff           ; data, present, writable
early_gdt_end:
early_gdt_ptr:
	dw early_gdt_end - early_gdt - 1
	dq early_gdt
no_long_mode_msg:
	db "Volt: this processor has no 64-bit long mode; stopping.", 13, 10, 0
