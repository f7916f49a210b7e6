/*
 * clientsdir.c: read clients_dir.  The parse is conf.c's; here are the
 * checks that belong to files: who may write them, what they point to,
 * which names count, and their order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clientsdir.h"
#include "ini.h"

#define SUFFIX	".conf"

struct cdir {
	struct conf	*c;
	const char	*dir;
	uid_t		euid;
	bool		explicit;	/* clients_dir given, not the default */
	conf_report_fn	*report;
	conf_report_fn	*warn;
	void		*ctx;
	unsigned	n_err;
};

__attribute__((format(printf, 4, 5)))
static void
say(struct cdir *cd, conf_report_fn *fn, const char *file,
    const char *fmt, ...)
{
	char problem[1024], msg[INI_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof problem, fmt, ap);
	va_end(ap);
	if (fn == cd->report)
		cd->n_err++;
	if (fn != NULL)
		fn(cd->ctx, ini_format(msg, sizeof msg, file, 0, "%s", problem));
}

/* owner_ok(cd, st, file, what): root or euid owns it; no one else writes. */
static bool
owner_ok(struct cdir *cd, const struct stat *st, const char *file,
    const char *what)
{
	if (st->st_uid != 0 && st->st_uid != cd->euid) {
		say(cd, cd->report, file, "%sowned by uid %u, not root; a "
		    "client file grants access, so run chown root %s", what,
		    (unsigned)st->st_uid, file);
		return false;
	}
	if (st->st_mode & (S_IWGRP | S_IWOTH)) {
		say(cd, cd->report, file, "%smode %04o lets group or others "
		    "change who may knock; run chmod go-w %s", what,
		    (unsigned)(st->st_mode & 07777), file);
		return false;
	}
	return true;
}

static bool
wanted(struct cdir *cd, const char *name)
{
	size_t n = strlen(name), s = strlen(SUFFIX);
	char file[SK_PATH_MAX];

	if (name[0] == '.')
		return false;	/* ., .., editors' and tools' hidden files */
	if (n > s && strcmp(name + n - s, SUFFIX) == 0)
		return true;
	snprintf(file, sizeof file, "%s/%s", cd->dir, name);
	say(cd, cd->warn, file, "ignored: not a *%s file; rename it to "
	    "NAME%s to use it", SUFFIX, SUFFIX);
	return false;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* list(cd, dir_fd, out, n): the wanted names, sorted; false on no memory. */
static bool
list(struct cdir *cd, int dir_fd, char ***out, size_t *n)
{
	DIR *d = fdopendir(dup(dir_fd));
	char **v = NULL;
	size_t cap = 0;
	struct dirent *e;

	*n = 0;
	if (d == NULL)
		return false;
	while ((e = readdir(d)) != NULL) {
		if (!wanted(cd, e->d_name))
			continue;
		if (*n == cap) {
			char **nv = realloc(v, (cap = cap ? 2 * cap : 64) *
			    sizeof *v);

			if (nv == NULL)
				break;
			v = nv;
		}
		if ((v[*n] = strdup(e->d_name)) == NULL)
			break;
		(*n)++;
	}
	closedir(d);
	if (e != NULL) {
		for (size_t i = 0; i < *n; i++)
			free(v[i]);
		free(v);
		return false;
	}
	if (*n > 0)
		qsort(v, *n, sizeof *v, name_cmp);
	*out = v;
	return true;
}

/* open_entry(cd, dir_fd, name, file): an fd of a checked regular file. */
static int
open_entry(struct cdir *cd, int dir_fd, const char *name, const char *file)
{
	struct stat lst, st;
	int fd;

	if (fstatat(dir_fd, name, &lst, AT_SYMLINK_NOFOLLOW) != 0) {
		say(cd, cd->report, file, "cannot stat: %s", strerror(errno));
		return -1;
	}
	/* O_NONBLOCK: a FIFO named x.conf must not hang the daemon. */
	fd = openat(dir_fd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK);
	if (fd < 0) {
		say(cd, cd->report, file, "cannot open: %s; check the file%s",
		    strerror(errno), S_ISLNK(lst.st_mode) ? " (a symlink)" :
		    "");
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		say(cd, cd->report, file, "not a regular file; a client file "
		    "holds [client:NAME] sections");
	} else if (owner_ok(cd, &st, file, S_ISLNK(lst.st_mode) ? "a "
	    "symlink to a file " : "")) {
		return fd;
	}
	close(fd);
	return -1;
}

static void
read_entry(struct cdir *cd, int dir_fd, const char *name)
{
	char file[SK_PATH_MAX], *buf;
	size_t len;
	int fd;

	if (snprintf(file, sizeof file, "%s/%s", cd->dir, name) >=
	    (int)sizeof file) {
		say(cd, cd->report, cd->dir, "%s: name too long; shorten it",
		    name);
		return;
	}
	if ((fd = open_entry(cd, dir_fd, name, file)) < 0)
		return;
	if (ini_read_fd(fd, file, &buf, &len, cd->report, cd->ctx)) {
		cd->n_err += conf_parse_clients(cd->c, buf, len, file,
		    cd->report, cd->ctx);
		free(buf);
	} else {
		cd->n_err++;
	}
	close(fd);
}

/* open_dir(cd): the checked directory, or -1 (missing: no error). */
static int
open_dir(struct cdir *cd)
{
	struct stat st;
	int fd = open(cd->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0) {
		if (errno != ENOENT)
			say(cd, cd->report, cd->dir, "cannot open the "
			    "directory: %s; fix it or set clients_dir",
			    strerror(errno));
		else if (cd->explicit)
			say(cd, cd->warn, cd->dir, "clients_dir does not exist; "
			    "no client files read");
		return -1;
	}
	if (fstat(fd, &st) != 0 || !owner_ok(cd, &st, cd->dir, "")) {
		close(fd);
		return -1;
	}
	return fd;
}

unsigned
clientsdir_load(struct conf *c, const char *dir, bool explicit, uid_t euid,
    conf_report_fn *report, conf_report_fn *warn, void *ctx)
{
	struct cdir cd = { .c = c, .dir = dir, .euid = euid,
	    .explicit = explicit, .report = report, .warn = warn, .ctx = ctx };
	char **names = NULL;
	size_t n = 0;
	int fd = open_dir(&cd);

	if (fd < 0)
		return cd.n_err;
	if (!list(&cd, fd, &names, &n)) {
		say(&cd, report, dir, "cannot list: %s", strerror(errno ?
		    errno : ENOMEM));
		n = 0;
	}
	for (size_t i = 0; i < n; i++) {
		read_entry(&cd, fd, names[i]);
		free(names[i]);
	}
	free(names);
	close(fd);
	return cd.n_err;
}

bool
clientsdir_default(const char *conf_path, char *out, size_t cap)
{
	const char *slash = strrchr(conf_path, '/');
	int n;

	if (slash == NULL)
		n = snprintf(out, cap, "%s", CONF_CLIENTS_DIR);
	else
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - conf_path),
		    conf_path, CONF_CLIENTS_DIR);
	return n >= 0 && (size_t)n < cap;
}
