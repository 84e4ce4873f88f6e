/*
 * A small vsnprintf. It writes through an "out" cursor that counts every
 * character, so the return value is the untruncated length even when the
 * buffer is short, as C99 specifies.
 */
#include <stdint.h>
#include <stdbool.h>
#include "lib/format.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_repeat(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

struct spec {
	bool left;  /* '-' flag */
	bool alt;   /* '#' flag: 0x prefix on non-zero hex */
	bool zero;  /* '0' flag */
	int width;
	int precision; /* -1 when absent */
};

static void put_padded(struct out *o, const struct spec *sp, const char *s,
		       int len)
{
	int pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left)
		put_repeat(o, ' ', pad);
	for (int i = 0; i < len; i++)
		put(o, s[i]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static void put_number(struct out *o, const struct spec *sp, uint64_t v,
		       unsigned base, bool upper, bool negative,
		       const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	int plen = 0;
	while (prefix[plen])
		plen++;
	int body = n + plen + (negative ? 1 : 0);
	int pad = sp->width > body ? sp->width - body : 0;

	if (!sp->left && !sp->zero)
		put_repeat(o, ' ', pad);
	if (negative)
		put(o, '-');
	for (int i = 0; i < plen; i++)
		put(o, prefix[i]);
	if (!sp->left && sp->zero)
		put_repeat(o, '0', pad);
	while (n)
		put(o, tmp[--n]);
	if (sp->left)
		put_repeat(o, ' ', pad);
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	sp->left = sp->zero = sp->alt = false;
	sp->width = 0;
	sp->precision = -1;
	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '#')
			sp->alt = true;
		else if (*f == '0')
			sp->zero = true;
		else
			break;
	}
	if (*f == '*') { /* width from the arguments; negative means '-' */
		int w = va_arg(*ap, int);
		sp->left |= w < 0;
		sp->width = w < 0 ? -w : w;
		f++;
	}
	while (*f >= '0' && *f <= '9')
		sp->width = sp->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			int p = va_arg(*ap, int);
			sp->precision = p < 0 ? -1 : p;
			f++;
		}
		while (*f >= '0' && *f <= '9')
			sp->precision = sp->precision * 10 + (*f++ - '0');
	}
	return f;
}

int volt_vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { buf, size, 0 };
	va_list ap;
	va_copy(ap, args); /* so parse_spec can consume '*' arguments */

	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			put(&o, *f);
			continue;
		}
		struct spec sp;
		f = parse_spec(f + 1, &sp, &ap);

		int lng = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
		while (*f == 'l') {
			lng++;
			f++;
		}
		if (*f == 'z') {
			lng = 3;
			f++;
		}

		switch (*f) {
		case 'd':
		case 'i': {
			int64_t v = lng == 0 ? va_arg(ap, int)
				  : lng == 3 ? (int64_t)va_arg(ap, size_t)
					     : va_arg(ap, long long);
			if (lng == 1)
				v = (long)v;
			uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
			put_number(&o, &sp, mag, 10, false, v < 0, "");
			break;
		}
		case 'u':
		case 'x':
		case 'X': {
			uint64_t v = lng == 0 ? va_arg(ap, unsigned int)
				   : lng == 3 ? va_arg(ap, size_t)
					      : va_arg(ap, unsigned long long);
			const char *prefix = "";
			if (sp.alt && v && *f != 'u')
				prefix = *f == 'X' ? "0X" : "0x";
			put_number(&o, &sp, v, *f == 'u' ? 10 : 16, *f == 'X',
				   false, prefix);
			break;
		}
		case 'p':
			put_number(&o, &sp, (uintptr_t)va_arg(ap, void *), 16,
				   false, false, "0x");
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int len = 0;
			while ((sp.precision < 0 || len < sp.precision) && s[len])
				len++;
			put_padded(&o, &sp, s, len);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&o, &sp, &c, 1);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		case '\0':
			f--; /* a lone '%' at the end: stop cleanly */
			break;
		default: /* unknown conversion: print it verbatim */
			put(&o, '%');
			put(&o, *f);
			break;
		}
	}
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int volt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = volt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
