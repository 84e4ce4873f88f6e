/* A guest's serial output as whole lines (see console_line.h). */
#include "vmm/console_line.h"

static bool finish(struct console_line *l)
{
	l->buf[l->len] = '\0';
	return true;
}

bool console_line_push(struct console_line *l, unsigned char byte)
{
	if (byte == '\n')
		return finish(l);
	if (byte == '\r')
		return false;
	l->buf[l->len++] = (byte == '\t' || (byte >= 0x20 && byte < 0x7f))
				   ? (char)byte : '?';
	return l->len == CONSOLE_LINE_MAX ? finish(l) : false;
}

void console_line_reset(struct console_line *l)
{
	l->len = 0;
}

bool console_line_flush(struct console_line *l)
{
	return l->len ? finish(l) : false;
}
