; call_on_stack(top, fn, arg): continue on a new stack. Used once, when the
; bootstrap processor leaves the loader's boot stack for a Volt stack with a
; guard page. fn must not return.
section .text
bits 64
global call_on_stack
call_on_stack:
	mov rsp, rdi
	xor ebp, ebp            ; a fresh stack: end of the backtrace chain
	mov rdi, rdx
	call rsi
.hang:
	cli
	hlt
	jmp .hang
