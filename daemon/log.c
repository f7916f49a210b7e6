/* log.c: log lines to stderr with "<N>" priority prefixes, or to syslog. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "conf.h"
#include "log.h"

/*
 * log_open(l, to_stderr, debug, suppressed): ${to_stderr} writes
 * "<N>line" to stderr (journald and a terminal both read that), else
 * syslog(3) under the name sknockd.  ${suppressed} counts rate-limited
 * lines that were dropped.
 */
void
log_open(struct sklog *l, bool to_stderr, bool debug, uint64_t *suppressed)
{
	memset(l, 0, sizeof *l);
	l->to_stderr = to_stderr;
	l->debug = debug;
	l->rate = CONF_DEF_LOG_RATE;
	l->suppressed = suppressed;
	if (!to_stderr)
		openlog("sknockd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

void
log_close(struct sklog *l)
{
	if (!l->to_stderr)
		closelog();
}

void
log_set_rate(struct sklog *l, uint32_t per_s)
{
	l->rate = per_s;
}

static void vlog(struct sklog *l, int prio, int errnum, const char *fmt,
    va_list ap) __attribute__((format(printf, 4, 0)));

static void
vlog(struct sklog *l, int prio, int errnum, const char *fmt, va_list ap)
{
	char line[1024];
	int n;

	if (prio == LOG_DEBUG && !l->debug)
		return;
	n = vsnprintf(line, sizeof line, fmt, ap);
	if (n < 0)
		return;
	if (errnum != 0 && (size_t)n < sizeof line)
		snprintf(line + n, sizeof line - (size_t)n, ": %s",
		    strerror(errnum));
	if (l->to_stderr)
		fprintf(stderr, "<%d>%s\n", prio, line);
	else
		syslog(prio, "%s", line);
}

#define LOG_FN(name, prio, with_errno)				\
void								\
name(struct sklog *l, const char *fmt, ...)			\
{								\
	int errnum = (with_errno) ? errno : 0;			\
	va_list ap;						\
								\
	va_start(ap, fmt);					\
	vlog(l, (prio), errnum, fmt, ap);			\
	va_end(ap);						\
	errno = errnum;						\
}

LOG_FN(log_err, LOG_ERR, 1)
LOG_FN(log_errx, LOG_ERR, 0)
LOG_FN(log_warn, LOG_WARNING, 1)
LOG_FN(log_warnx, LOG_WARNING, 0)
LOG_FN(log_info, LOG_INFO, 0)
LOG_FN(log_debug, LOG_DEBUG, 0)

/*
 * One more line in the current second's window (*win_s, *in_win)?  At
 * most l->rate; the dropped ones are counted and summarised when the
 * next second begins.
 */
static bool
in_budget(struct sklog *l, uint64_t *win_s, uint32_t *in_win,
    const char *what)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	if ((uint64_t)ts.tv_sec != *win_s) {
		if (*in_win > l->rate)
			log_warnx(l, "%u %s lines suppressed in the last "
			    "second (log_rate = %u)", *in_win - l->rate, what,
			    l->rate);
		*win_s = (uint64_t)ts.tv_sec;
		*in_win = 0;
	}
	if ((*in_win)++ >= l->rate) {
		(*l->suppressed)++;
		return false;
	}
	return true;
}

/* A line within the per-second budget in fields win_f, count_f of l. */
#define LOG_BUDGET_FN(name, prio, win_f, count_f, what)	\
void								\
name(struct sklog *l, const char *fmt, ...)			\
{								\
	va_list ap;						\
								\
	if (!in_budget(l, &l->win_f, &l->count_f, (what)))	\
		return;						\
	va_start(ap, fmt);					\
	vlog(l, (prio), 0, fmt, ap);				\
	va_end(ap);						\
}

/*
 * log_limited(l, fmt, ...): a warning about remote input; at most
 * l->rate such lines per second of wall time, so a flood cannot fill
 * the journal.  The dropped lines are counted and summarised.
 */
LOG_BUDGET_FN(log_limited, LOG_WARNING, win_s, in_win, "rejection")
/* log_decision(l, fmt, ...): an info line, in a budget of its own. */
LOG_BUDGET_FN(log_decision, LOG_INFO, dec_win_s, dec_in_win, "decision")

/*
 * log_limited_ok(l): take one line of log_limited's budget; false (the
 * line counted as suppressed) when this second's is spent.  A caller
 * whose line costs something to format asks first, then logs it with
 * log_warnx, so a flood of refusals costs no formatting.
 */
bool
log_limited_ok(struct sklog *l)
{
	return in_budget(l, &l->win_s, &l->in_win, "rejection");
}

void
report_log(void *l, const char *msg)
{
	log_errx(l, "%s", msg);
}

void
report_log_warn(void *l, const char *msg)
{
	log_warnx(l, "%s", msg);
}
