/*
 * ini_file.c: read a config file into memory for ini_parse.  The one
 * part of the INI layer that does file I/O.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fdio.h"
#include "ini.h"

__attribute__((format(printf, 4, 5)))
static void
say(sk_report_fn *report, void *ctx, const char *name, const char *fmt, ...)
{
	char problem[512], msg[INI_MSG_MAX];
	va_list ap;

	if (report == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	report(ctx, ini_format(msg, sizeof msg, name, 0, "%s", problem));
}

/* grow(b, cap): a bigger read buffer, at most INI_FILE_MAX + 1 bytes. */
static bool
grow(char **b, size_t *cap)
{
	size_t want = *cap < INI_FILE_MAX / 2 ? 2 * *cap : INI_FILE_MAX + 1;
	char *n = realloc(*b, want);

	if (n == NULL)
		return false;
	*b = n;
	*cap = want;
	return true;
}

/* read_all(fd, b, cap, n): read to EOF or past INI_FILE_MAX; errno kept. */
static bool
read_all(int fd, char **b, size_t *cap, size_t *n)
{
	while (*n <= INI_FILE_MAX) {
		size_t room, got;

		if (*n == *cap && !grow(b, cap)) {
			errno = ENOMEM;
			return false;
		}
		room = *cap - *n;
		if (!fd_read_all(fd, *b + *n, room, &got))
			return false;
		*n += got;
		/* Short of a full buffer: EOF came first. */
		if (got < room)
			break;
	}
	return true;
}

bool
ini_read_fd(int fd, const char *name, char **buf, size_t *len,
    sk_report_fn *report, void *ctx)
{
	struct stat st;
	char *b;
	size_t n = 0, cap;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say(report, ctx, name, "not a regular file; give the config "
		    "file");
		return false;
	}
	/* Sized by fstat, one byte over to see a file that grew. */
	cap = st.st_size < INI_FILE_MAX ? (size_t)st.st_size + 64 :
	    INI_FILE_MAX + 1;
	if ((b = malloc(cap)) == NULL) {
		say(report, ctx, name, "out of memory");
		return false;
	}
	if (!read_all(fd, &b, &cap, &n)) {
		say(report, ctx, name, "cannot read: %s", strerror(errno));
		free(b);
		return false;
	}
	if (n > INI_FILE_MAX) {
		say(report, ctx, name, "larger than %d bytes; this is not a "
		    "config file", INI_FILE_MAX);
		free(b);
		return false;
	}
	*buf = b;
	*len = n;
	return true;
}

bool
ini_read_file(const char *path, char **buf, size_t *len,
    sk_report_fn *report, void *ctx)
{
	bool ok;
	int fd;

	if (path == NULL) {
		say(report, ctx, "(null)", "no config file given");
		return false;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		say(report, ctx, path, "cannot open: %s; check the path",
		    strerror(errno));
		return false;
	}
	ok = ini_read_fd(fd, path, buf, len, report, ctx);
	close(fd);
	return ok;
}

bool
ini_open(struct ini *ini, const char *path, sk_report_fn *report,
    void *ctx)
{
	char *buf;
	size_t len;
	bool ok;

	memset(ini, 0, sizeof *ini);
	ini->path = path != NULL ? path : "(null)";
	if (!ini_read_file(path, &buf, &len, report, ctx)) {
		ini->n_err = 1;	/* reported; ini_close has nothing to send */
		return false;
	}
	ok = ini_parse(buf, len, path, report, ctx, ini);
	free(buf);
	return ok;
}
