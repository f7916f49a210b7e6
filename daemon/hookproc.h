/* hookproc.h: start a hook process from its checked directory; log its output, bounded. */
#ifndef SKD_HOOKPROC_H
#define SKD_HOOKPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "log.h"
#include "safepath.h"

#define HOOKPROC_LOG_MAX	8192	/* bytes of one run's output logged */

/* The pipes a started hook has: each -1 when not asked for. */
struct hookproc_fds {
	int	in;	/* write end of its stdin (a server), else /dev/null */
	int	out;	/* read end of its stdout (a server: the replies) */
	int	err;	/* read end of its stderr (and of its stdout, one-shot) */
};

/*
 * hookproc_spawn(sp, argv, envp, server, pid, fds): fork and run the file
 * ${sp} names, from its held directory (execveat, no symlink), in its own
 * process group with default signals and an empty mask.  With ${server}
 * it gets three pipes (stdin, stdout, stderr), else stdin from /dev/null
 * and one pipe for stdout and stderr.  Our ends are O_NONBLOCK|O_CLOEXEC.
 * Returns 0 or an errno value.
 */
int hookproc_spawn(const struct safepath *sp, char *const argv[],
    char *const envp[], bool server, pid_t *pid, struct hookproc_fds *fds);

/* A hook's output as lines for the log, at most HOOKPROC_LOG_MAX bytes. */
struct hookproc_out {
	size_t	len;
	size_t	logged;		/* bytes logged so far */
	size_t	dropped;	/* bytes read past the bound */
	bool	limited;	/* lines rate-limited too (attacker-caused runs) */
	char	buf[512];
};

/*
 * hookproc_drain(fd, out, log, tag): read what ${fd} holds (a bounded
 * number of reads, never blocking) and log whole lines as "TAG: line".
 * Returns false at EOF or on an error (the caller closes ${fd}).
 */
bool hookproc_drain(int fd, struct hookproc_out *out, struct sklog *log,
    const char *tag);

/* hookproc_unread(fd, out): count what ${fd} still holds as not logged
 * (a run that ended is not read to the end: a grandchild may hold it). */
void hookproc_unread(int fd, struct hookproc_out *out);

/* hookproc_flush(out, log, tag): log a last partial line, and say how much
 * output was not logged. */
void hookproc_flush(struct hookproc_out *out, struct sklog *log,
    const char *tag);

#endif
