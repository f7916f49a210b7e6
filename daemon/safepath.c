/* safepath.c: check a file and every directory above it, then hold it open. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "safepath.h"

/* Whether ${st} is something only root or ${euid} can change. */
static bool
owned_safely(const struct stat *st, uid_t euid, const char *what,
    char *msg, size_t msg_len)
{
	bool sticky_root = S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX) &&
	    st->st_uid == 0;

	if (st->st_uid != 0 && st->st_uid != euid) {
		snprintf(msg, msg_len, "%s: owned by uid %u, not root; "
		    "run chown root %s", what, (unsigned)st->st_uid, what);
		return false;
	}
	if ((st->st_mode & (S_IWGRP | S_IWOTH)) && !sticky_root) {
		snprintf(msg, msg_len, "%s: mode %04o lets group/others "
		    "change it; run chmod go-w %s", what,
		    (unsigned)(st->st_mode & 07777), what);
		return false;
	}
	return true;
}

/*
 * Every directory prefix of ${path} ("/", "/usr", "/usr/libexec", ...),
 * followed as the kernel will follow it: a symlink on the way is only as
 * safe as the directory that holds it, which the previous step checked.
 */
static bool
prefixes_safe(const char *path, uid_t euid, char *msg, size_t msg_len)
{
	char pre[PATH_MAX];
	size_t len = strlen(path);
	struct stat st;

	if (len >= sizeof pre) {
		snprintf(msg, msg_len, "%s: path too long", path);
		return false;
	}
	for (size_t i = 0; i < len; i++) {
		if (path[i] != '/' || (i > 0 && path[i - 1] == '/'))
			continue;
		memcpy(pre, path, i == 0 ? 1 : i);
		pre[i == 0 ? 1 : i] = '\0';
		if (stat(pre, &st) == -1) {
			snprintf(msg, msg_len, "%s: %s; install the hook or set "
			    "hook = in [daemon]", pre, strerror(errno));
			return false;
		}
		if (!owned_safely(&st, euid, pre, msg, msg_len))
			return false;
	}
	return true;
}

/*
 * Walk ${real} (no symlinks in it) from "/" with O_NOFOLLOW, checking each
 * directory; return the last one open, or -1 (${msg} says why).
 */
static int
open_real_dir(const char *real, uid_t euid, char *msg, size_t msg_len)
{
	char part[PATH_MAX];
	const char *p = real;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct stat st;

	while (fd != -1) {
		char walked[PATH_MAX];
		size_t n;
		int next;

		snprintf(walked, sizeof walked, "%.*s", (int)(p - real), real);
		if (fstat(fd, &st) == -1 ||
		    !owned_safely(&st, euid, p == real ? "/" : walked, msg,
		    msg_len)) {
			close(fd);
			return -1;
		}
		while (*p == '/')
			p++;
		if (*p == '\0')
			return fd;
		n = strcspn(p, "/");
		snprintf(part, sizeof part, "%.*s", (int)n, p);
		p += n;
		next = openat(fd, part, O_PATH | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
		close(fd);
		fd = next;
	}
	snprintf(msg, msg_len, "%s: %s while checking it", real,
	    strerror(errno));
	return -1;
}

static bool
file_safe(struct safepath *sp, const char *path, uid_t euid,
    char *msg, size_t msg_len)
{
	struct stat st;

	if (fstatat(sp->dir_fd, sp->name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
		snprintf(msg, msg_len, "%s: %s; install the hook or set hook = "
		    "in [daemon]", path, strerror(errno));
		return false;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(msg, msg_len, "%s: a symlink; give the path of the "
		    "file itself", path);
		return false;
	}
	if (!S_ISREG(st.st_mode) || (st.st_mode & 0111) == 0) {
		snprintf(msg, msg_len, "%s: not an executable file; run "
		    "chmod 755 %s", path, path);
		return false;
	}
	sp->dev = st.st_dev;
	sp->ino = st.st_ino;
	sp->mtime = st.st_mtim;
	return owned_safely(&st, euid, path, msg, msg_len);
}

bool
safepath_open(const char *path, uid_t euid, struct safepath *sp, char *msg,
    size_t msg_len)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');

	sp->dir_fd = -1;
	if (path[0] != '/' || slash[1] == '\0' ||
	    strlen(slash + 1) >= sizeof sp->name) {
		snprintf(msg, msg_len, "%s: not an absolute path of a file; "
		    "give the full path", path);
		return false;
	}
	snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (dir[0] == '\0')
		snprintf(dir, sizeof dir, "/");
	if (!prefixes_safe(path, euid, msg, msg_len))
		return false;
	if (realpath(dir, sp->real) == NULL) {
		snprintf(msg, msg_len, "%s: %s", dir, strerror(errno));
		return false;
	}
	snprintf(sp->name, sizeof sp->name, "%s", slash + 1);
	sp->dir_fd = open_real_dir(sp->real, euid, msg, msg_len);
	if (sp->dir_fd == -1)
		return false;
	if (!file_safe(sp, path, euid, msg, msg_len)) {
		safepath_close(sp);
		return false;
	}
	return true;
}

void
safepath_close(struct safepath *sp)
{
	if (sp->dir_fd != -1)
		close(sp->dir_fd);
	sp->dir_fd = -1;
}
