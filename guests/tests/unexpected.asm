; unexpected: executes INVD, which always exits (SDM 3C 26.1.2) and which
; Volt does not emulate: Volt must dump the VMCS and stop only this VM.
%include "guest.inc"

FLAT_GUEST

start:
	REAL_MODE_SETUP
	PRINT hello, hello_len
	invd
	EXIT 1                  ; never reached

hello: db "executing INVD"
hello_len equ $ - hello
