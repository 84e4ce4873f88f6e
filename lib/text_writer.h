/*
 * Appending formatted text to a fixed buffer, all or nothing: once a
 * piece does not fit, nothing more is written and tw_finish refuses the
 * whole output (buf becomes ""), so a report is never cut in the middle
 * of a record. Used by the text reports (sched/, pm/).
 */
#ifndef VOLT_LIB_TEXT_WRITER_H
#define VOLT_LIB_TEXT_WRITER_H

#include <stdbool.h>
#include <stddef.h>

struct text_writer {
	char *buf;
	size_t len;
	size_t pos;
	bool full;
};

void tw_put(struct text_writer *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The length written, or -1 (and buf "") if anything did not fit. */
int tw_finish(struct text_writer *w);

#endif
