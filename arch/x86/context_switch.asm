; thread_switch(from, to): save the callee-saved registers and RSP of the
; running thread in *from, load *to's and return into it (thread.h).
; A new thread's stack is laid out by thread_prepare() so that this same
; return lands in thread_start with fn and arg in R12 and R13.
section .text
bits 64
global thread_switch
global thread_start
thread_switch:
	push rbp
	push rbx
	push r12
	push r13
	push r14
	push r15
	mov [rdi], rsp          ; from->rsp (offset 0)
	mov rsp, [rsi]          ; to->rsp
	pop r15
	pop r14
	pop r13
	pop r12
	pop rbx
	pop rbp
	ret

; First code of every new thread: fn(arg), which never returns.
thread_start:
	xor ebp, ebp            ; a fresh stack: end of the backtrace chain
	mov rdi, r13
	call r12
.hang:
	cli
	hlt
	jmp .hang
