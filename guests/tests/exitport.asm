; exitport: writes 7 to port 0xf4. With exit_port=on the VM ends there with
; status 7; without it the write goes nowhere and the guest exits with 0.
%include "guest.inc"

FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	mov al, 7
	out 0xf4, al
	EXIT 0

hello: db "writing 7 to the exit port"
hello_len equ $ - hello
