/* All-or-nothing text appends (text_writer.h). */
#include <stdarg.h>
#include "lib/format.h"
#include "lib/text_writer.h"

void tw_put(struct text_writer *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->full)
		return;
	va_start(ap, fmt);
	n = volt_vsnprintf(w->buf + w->pos, w->len - w->pos, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= w->len - w->pos) {
		w->full = true;
		return;
	}
	w->pos += (size_t)n;
}

int tw_finish(struct text_writer *w)
{
	if (w->full) {
		if (w->len)
			w->buf[0] = '\0';
		return -1;
	}
	return (int)w->pos;
}
