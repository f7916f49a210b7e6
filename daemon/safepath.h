/* safepath.h: open an executable only through directories no one else can change. */
#ifndef SAFEPATH_H
#define SAFEPATH_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

/* A checked file: its directory, held open, and its name in it. */
struct safepath {
	int	dir_fd;			/* O_PATH|O_DIRECTORY, or -1 */
	char	name[NAME_MAX + 1];	/* no '/' */
	char	real[PATH_MAX];		/* the directory's real path */
	dev_t	dev;			/* the file as checked, to tell */
	ino_t	ino;			/* a replaced one apart */
	struct timespec mtime;
};

/*
 * safepath_open(path, euid, sp, msg, msg_len): check that ${path} is an
 * absolute path to an executable regular file (not a symlink) that only
 * root or ${euid} owns and that group and others cannot write, and the
 * same of every directory above it, both along ${path} as written and
 * along its real path (a sticky directory owned by root, like /tmp,
 * passes: no one else can rename or remove what is in it).  On success
 * ${sp} holds the directory open (O_CLOEXEC), so the file is run from what
 * was checked (execveat), not from a path that may change later.  On
 * failure ${msg} says what is wrong and how to fix it; nothing is open.
 */
bool safepath_open(const char *path, uid_t euid, struct safepath *sp,
    char *msg, size_t msg_len);

/* safepath_close(sp): close the directory; -1 again. */
void safepath_close(struct safepath *sp);

#endif
