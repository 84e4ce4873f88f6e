; reset: the guest reboots itself the PC/AT way, through the keyboard
; controller's "pulse reset line" command (0xFE to port 0x64). Volt ends
; the VM there, and boots it again when its config says on_crash=restart.
%include "guest.inc"
FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	mov al, 0xfe
	out 0x64, al
	EXIT 1                  ; not reached

hello: db "rebooting through the keyboard controller"
hello_len equ $ - hello
