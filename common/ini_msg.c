/*
 * ini_msg.c: the error lines of the INI layer: formatted with file and
 * line, cleaned of control bytes and of anything shaped like a key,
 * queued, and sent in line order.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ini.h"

#define INI_SECRET_RUN	43	/* base64 characters of a 32-byte key */

/* queue_msg(ini, line, msg): keep it for flush_msgs, or report it now. */
static void
queue_msg(struct ini *ini, unsigned line, const char *msg)
{
	struct ini_msg *m = ini->msgs;
	size_t n = ini->n_msgs;
	char *text = NULL;

	ini->n_err++;
	if (n == ini->msgs_cap) {
		size_t cap = n == 0 ? 16 : 2 * n;

		m = realloc(ini->msgs, cap * sizeof *m);
		if (m != NULL) {
			ini->msgs = m;
			ini->msgs_cap = cap;
		}
	}
	if (m != NULL && (text = strdup(msg)) != NULL) {
		m[n].line = line;
		m[n].seq = (unsigned)n;
		m[n].text = text;
		ini->n_msgs++;
	} else if (ini->report != NULL) {
		ini->report(ini->ctx, msg);	/* out of memory: unsorted */
	}
}

static int
msg_cmp(const void *a, const void *b)
{
	const struct ini_msg *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void
ini_flush(struct ini *ini)
{
	size_t n = ini->n_msgs;

	if (ini->msgs == NULL)
		return;
	qsort(ini->msgs, n, sizeof ini->msgs[0], msg_cmp);
	for (size_t i = 0; i < n; i++) {
		if (ini->report != NULL)
			ini->report(ini->ctx, ini->msgs[i].text);
		free(ini->msgs[i].text);
	}
	free(ini->msgs);
	ini->msgs = NULL;
	ini->n_msgs = ini->msgs_cap = 0;
}

static bool
is_b64(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/*
 * key_run(p): the length of a key-shaped run at ${p} (its '=' included),
 * or 0.  A key is 43 base64 characters and '=', random, so it mixes
 * lower and upper case with digits or '+'/'/'.  Paths and names use the
 * same alphabet: a run counts only when it mixes so, and ends in '=' or
 * has no '/' (a 43-byte path component of that shape is rare; a key
 * without '/' is not).
 */
static size_t
key_run(const char *p)
{
	size_t n = 0;
	bool slash = false, lo = false, up = false, other = false;

	for (; is_b64(p[n]); n++) {
		slash = slash || p[n] == '/';
		lo = lo || (p[n] >= 'a' && p[n] <= 'z');
		up = up || (p[n] >= 'A' && p[n] <= 'Z');
		other = other || (p[n] >= '0' && p[n] <= '9') || p[n] == '+' ||
		    p[n] == '/';
	}
	if (n < INI_SECRET_RUN || !lo || !up || !other ||
	    (p[n] != '=' && slash))
		return 0;
	return p[n] == '=' ? n + 1 : n;
}

bool
ini_secret(const char *text)
{
	for (const char *p = text; *p != '\0'; p++)
		if ((p == text || !is_b64(p[-1])) && key_run(p) > 0)
			return true;
	return false;
}

/* redact(msg, cap): every key-shaped run in ${msg} replaced. */
static void
redact(char *msg, size_t cap)
{
	static const char hidden[] = "(key not shown)";
	char out[INI_MSG_MAX];
	size_t o = 0;

	if (!ini_secret(msg) || cap > sizeof out)
		return;
	for (const char *p = msg; *p != '\0' && o + sizeof hidden < cap;) {
		size_t n = is_b64(*p) && (p == msg || !is_b64(p[-1])) ?
		    key_run(p) : 0;

		if (n > 0) {
			memcpy(out + o, hidden, sizeof hidden - 1);
			o += sizeof hidden - 1;
			p += n;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	memcpy(msg, out, o + 1);
}

/* vformat(out, cap, name, line, fmt, ap): "NAME:LINE: MSG", sanitised. */
__attribute__((format(printf, 5, 0)))
static void
vformat(char *out, size_t cap, const char *name, unsigned line,
    const char *fmt, va_list ap)
{
	size_t off;
	int n;

	if (line > 0)
		n = snprintf(out, cap, "%s:%u: ", name, line);
	else
		n = snprintf(out, cap, "%s: ", name);
	off = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
	vsnprintf(out + off, cap - off, fmt, ap);
	/* A key pasted anywhere in the file is never quoted back. */
	redact(out, cap);
	/* The file may hold anything: no control bytes reach a terminal. */
	for (char *p = out; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
}

char *
ini_format(char *out, size_t cap, const char *name, unsigned line,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(out, cap, name, line, fmt, ap);
	va_end(ap);
	return out;
}

void
ini_errorf(struct ini *ini, unsigned line, const char *fmt, ...)
{
	char msg[INI_MSG_MAX];
	va_list ap;

	if (ini->n_err > INI_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vformat(msg, sizeof msg, ini->path, line, fmt, ap);
	va_end(ap);
	if (ini->n_err == INI_MAX_ERRORS) {
		snprintf(msg, sizeof msg, "%s: more than %d errors; the rest "
		    "are not shown", ini->path, INI_MAX_ERRORS);
		line = UINT_MAX;
	}
	queue_msg(ini, line, msg);
}

