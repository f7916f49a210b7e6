/* msg.c: knock's messages on stderr: errors always, notes with -v. */
#include <stdarg.h>
#include <stdio.h>

#include "msg.h"

void
knock_log_init(struct knock_log *lg, bool verbose)
{
	clock_gettime(CLOCK_MONOTONIC, &lg->start);
	lg->verbose = verbose;
	lg->hits = false;
}

void
knock_verr(const char *fmt, va_list ap)
{
	fputs("knock: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void
knock_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	knock_verr(fmt, ap);
	va_end(ap);
}

void
knock_note(const struct knock_log *lg, const char *fmt, ...)
{
	struct timespec now;
	va_list ap;
	double ms;

	if (!lg->verbose)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (double)(now.tv_sec - lg->start.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - lg->start.tv_nsec) / 1e6;
	fprintf(stderr, "knock: %7.3f ms: ", ms);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
