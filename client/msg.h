/* msg.h: knock's messages on stderr: errors always, notes with -v. */
#ifndef MSG_H
#define MSG_H

#include <stdarg.h>
#include <stdbool.h>
#include <time.h>

/* What -v notes need: whether to print and when knock started. */
struct knock_log {
	struct timespec	start;		/* CLOCK_MONOTONIC */
	bool		verbose;
	bool		hits;		/* knockd's -v: "hitting ..." on stdout */
};

/* knock_log_init(lg, verbose): start the clock for -v timings. */
void knock_log_init(struct knock_log *lg, bool verbose);

/* knock_err(fmt, ...): "knock: MESSAGE\n" on stderr. */
void knock_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* knock_verr(fmt, ap): knock_err with a va_list (callers add their own). */
void knock_verr(const char *fmt, va_list ap)
    __attribute__((format(printf, 1, 0)));

/*
 * knock_note(lg, fmt, ...): with -v, "knock: 12.345 ms: MESSAGE\n" on
 * stderr (the time since knock_log_init); nothing without -v.
 */
void knock_note(const struct knock_log *lg, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
