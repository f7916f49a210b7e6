/* log.h: log lines to stderr with "<N>" prefixes, or to syslog. */
#ifndef SKD_LOG_H
#define SKD_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct sklog {
	bool		to_stderr;	/* "<N>" prefixes; else syslog */
	bool		debug;		/* -v */
	uint32_t	rate;		/* rate-limited lines per second */
	uint64_t	win_s;		/* second of the current window */
	uint32_t	in_win;
	uint64_t	dec_win_s;	/* the same for log_decision */
	uint32_t	dec_in_win;
	uint64_t	*suppressed;	/* counter to bump */
};

void log_open(struct sklog *l, bool to_stderr, bool debug,
    uint64_t *suppressed);
void log_close(struct sklog *l);
void log_set_rate(struct sklog *l, uint32_t per_s);
void log_err(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_errx(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warnx(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* log_limited_ok(l): log_limited's budget check alone (see log.c). */
bool log_limited_ok(struct sklog *l);
/* log_limited(l, fmt, ...): a warning, at most l->rate lines a second. */
void log_limited(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * log_decision(l, fmt, ...): an info line copying a decision, at most
 * l->rate a second in a window of its own (rejections cannot crowd out
 * decisions, nor the other way round).
 */
void log_decision(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* report_log(l, msg): a conf_report_fn that logs conf/key errors to ${l}. */
void report_log(void *l, const char *msg);
/* report_log_warn(l, msg): the same for warnings. */
void report_log_warn(void *l, const char *msg);

#endif
