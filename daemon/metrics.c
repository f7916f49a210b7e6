/*
 * metrics.c: metrics_file, the counters for node_exporter's textfile
 * collector: Prometheus text format, written whole to PATH.tmp and
 * renamed, every METRICS_EVERY_MS and at exit.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "fdio.h"
#include "metrics.h"

#define METRICS_CAP	32768	/* bytes; the whole file is about 6 KiB */

bool
metrics_set(struct metrics *m, const char *path, uint64_t now_ms)
{
	char *p = NULL;

	/* A reload that keeps the path keeps the schedule. */
	if (path != NULL && m->path != NULL && strcmp(path, m->path) == 0)
		return true;
	if (path != NULL && (p = strdup(path)) == NULL)
		return false;
	free(m->path);
	m->path = p;
	m->next_ms = p != NULL ? now_ms : SKD_NO_DEADLINE;
	return true;
}

void
metrics_free(struct metrics *m)
{
	free(m->path);
	m->path = NULL;
	m->next_ms = SKD_NO_DEADLINE;
}

uint64_t
metrics_deadline(const struct metrics *m)
{
	return m->path != NULL ? m->next_ms : SKD_NO_DEADLINE;
}

struct fmt {
	char	*out;
	size_t	cap;
	size_t	len;
	bool	full;
};

__attribute__((format(printf, 2, 3)))
static void
put(struct fmt *f, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (f->full)
		return;
	va_start(ap, fmt);
	n = vsnprintf(f->out + f->len, f->cap - f->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= f->cap - f->len)
		f->full = true;
	else
		f->len += (size_t)n;
}

static void
put_sample(void *ctx, const struct counter_sample *s)
{
	struct fmt *f = ctx;

	if (s->first)
		put(f, "# HELP sknock_%s %s\n# TYPE sknock_%s %s\n", s->family,
		    s->help, s->family, s->kind == COUNTER_TOTAL ? "counter" :
		    "gauge");
	if (s->label != NULL)
		put(f, "sknock_%s{%s=\"%s\"} %llu\n", s->family, s->label,
		    s->label_value, (unsigned long long)s->value);
	else
		put(f, "sknock_%s %llu\n", s->family,
		    (unsigned long long)s->value);
}

size_t
metrics_format(const struct counters_view *v, char *out, size_t cap)
{
	struct fmt f = { .out = out, .cap = cap };

	if (cap == 0)
		return 0;
	out[0] = '\0';
	counters_each(v, put_sample, &f);
	return f.full ? 0 : f.len;
}

/*
 * write_tmp(tmp, text, len): a new PATH.tmp holding ${text}; errno kept.
 * Always a new file (O_EXCL after unlink): never a write through a link
 * someone left at that name.
 */
static bool
write_tmp(const char *tmp, const char *text, size_t len)
{
	int fd, e;

	if (unlink(tmp) != 0 && errno != ENOENT)
		return false;
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW |
	    O_NOCTTY, 0644);
	if (fd < 0)
		return false;
	if (!fd_write_all(fd, text, len)) {
		e = errno;
		close(fd);
		unlink(tmp);
		errno = e;
		return false;
	}
	return close(fd) == 0;
}

bool
metrics_write(struct metrics *m, const struct counters_view *v,
    uint64_t now_ms, char *err, size_t err_len)
{
	char text[METRICS_CAP], tmp[SK_PATH_MAX + 8];
	size_t len;

	if (m->path == NULL)
		return true;
	m->next_ms = now_ms + METRICS_EVERY_MS;
	if ((len = metrics_format(v, text, sizeof text)) == 0) {
		snprintf(err, err_len, "%s: the counters do not fit in %d "
		    "bytes", m->path, METRICS_CAP);
		return false;
	}
	if (snprintf(tmp, sizeof tmp, "%s.tmp", m->path) >= (int)sizeof tmp) {
		snprintf(err, err_len, "%s: path too long", m->path);
		return false;
	}
	if (!write_tmp(tmp, text, len) || rename(tmp, m->path) != 0) {
		int e = errno;

		snprintf(err, err_len, "%s: cannot write: %s; check that its "
		    "directory exists and is writable", m->path, strerror(e));
		if (e != EEXIST)
			unlink(tmp);
		return false;
	}
	return true;
}
