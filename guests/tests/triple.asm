; triple: a guest that triple-faults. With an empty interrupt table, INT
; raises #GP, whose delivery fails too (#DF), and then the processor shuts
; down: Volt must report the triple fault and stop only this VM.
%include "guest.inc"

FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	lidt [empty_idt]
	int 0x20
	EXIT 1                  ; never reached

empty_idt:
	dw 0
	dd 0
hello: db "about to triple-fault"
hello_len equ $ - hello
