/*
 * Turning a guest's serial byte stream into whole console lines, so that
 * Volt can print each line with its VM's name in front ("[linux] ...")
 * and lines of VMs running at the same time never mix mid-line.
 *
 * Bytes collect until '\n' (or the buffer is full: the line is cut and
 * continued on the next one). '\r' is dropped (Linux sends CRLF); other
 * control characters and bytes >= 0x7f become '?' so a guest cannot send
 * escape sequences to the operator's terminal. Pure: host-tested.
 */
#ifndef VOLT_VMM_CONSOLE_LINE_H
#define VOLT_VMM_CONSOLE_LINE_H

#include <stdbool.h>
#include <stddef.h>

#define CONSOLE_LINE_MAX 200

struct console_line {
	char buf[CONSOLE_LINE_MAX + 1]; /* NUL-terminated when complete */
	size_t len;
};

/* Add one byte; true when buf now holds a complete line to print (then
 * call console_line_reset after printing it). */
bool console_line_push(struct console_line *l, unsigned char byte);
void console_line_reset(struct console_line *l);
/* A partial line at the end (the VM stopped mid-line): true if any. */
bool console_line_flush(struct console_line *l);

#endif
