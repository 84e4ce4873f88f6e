; hostile: a guest that tries to disturb others through the interrupt
; system. In 64-bit mode with the local APIC page mapped, it software-
; enables its APIC and sends a storm of IPIs: to bogus physical and
; logical destinations, to all processors, to all but itself, and to
; itself (with interrupts off, so they only pile up), plus INIT and
; start-up IPIs to everyone. A VM's APIC bus reaches only its own vCPUs:
; the other VMs and Volt must not notice. Then it reports and exits.
%include "guest.inc"

PML4 equ 0x1000
PDPT equ 0x2000
PD0  equ 0x3000
PD3  equ 0x4000
LAPIC equ 0xfee00000
SVR  equ 0xf0
ICR_LO equ 0x300
ICR_HI equ 0x310
ROUNDS equ 2000
FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	mov dword [PML4], PDPT | 3
	mov dword [PDPT], PD0 | 3
	mov dword [PDPT + 3 * 8], PD3 | 3
	mov dword [PD0], 0x83
	mov dword [PD3 + 503 * 8], 0xfee00000 | 0x9b ; the APIC's 2 MiB
	ENTER_LONG_MODE PML4, long_mode

bits 64
long_mode:
	mov ax, 0x10
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov rsp, 0x7000
	mov r15, LAPIC
	mov dword [r15 + SVR], 0x1ff            ; software-enable, vector 0xff
	mov ecx, ROUNDS
.storm:
	mov dword [r15 + ICR_HI], 0x55 << 24    ; no such APIC ID
	mov dword [r15 + ICR_LO], 0x00000040    ; fixed, vector 0x40
	mov dword [r15 + ICR_HI], 0xf0 << 24    ; logical: nobody
	mov dword [r15 + ICR_LO], 0x00000841
	mov dword [r15 + ICR_LO], 0x00080042    ; all including self
	mov dword [r15 + ICR_LO], 0x000c0043    ; all but self
	mov dword [r15 + ICR_LO], 0x00040044    ; self
	mov dword [r15 + ICR_LO], 0x000c4500    ; INIT to all but self
	mov dword [r15 + ICR_LO], 0x000c0608    ; SIPI to all but self
	mov dword [r15 + ICR_LO], 0x000c0400    ; NMI to all but self
	dec ecx
	jnz .storm
	PRINT survived, survived_len
	EXIT 0

align 8
gdt:	dq 0
	dq 0x00af9a000000ffff
	dq 0x00cf92000000ffff
gdt_desc:
	dw gdt_desc - gdt - 1
	dd gdt
hello: db "sending an IPI storm to bogus and real destinations"
hello_len equ $ - hello
survived: db "storm sent"
survived_len equ $ - survived
