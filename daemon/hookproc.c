/* hookproc.c: fork and execveat a checked hook; bounded logging of its output. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hookproc.h"
#include "sigset.h"

/* The hook's own fd 3: its checked directory, so a script's $0 is
 * /dev/fd/3/NAME and what it sources beside itself comes from there. */
#define HOOK_DIR_FD	3

/*
 * In the child, between fork and exec: async-signal-safe calls only.  The
 * signals the daemon blocks or ignores (${changed}) go back to default.
 */
static void __attribute__((noreturn))
child(const struct safepath *sp, char *const argv[], char *const envp[],
    const int io[3], const sigset_t *changed)
{
	struct sigaction dfl;
	sigset_t none;
	int null = io[0];

	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sigismember(changed, sig) == 1)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	/* Own process group, so a kill reaches whatever the hook started. */
	setpgid(0, 0);
	if (null == -1)
		null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null == -1 || dup2(null, 0) == -1 || dup2(io[1], 1) == -1 ||
	    dup2(io[2], 2) == -1)
		_exit(127);
	if (sp->dir_fd == HOOK_DIR_FD)
		fcntl(HOOK_DIR_FD, F_SETFD, 0);
	else if (dup2(sp->dir_fd, HOOK_DIR_FD) == -1)
		_exit(127);
	execveat(HOOK_DIR_FD, sp->name, argv, envp, AT_SYMLINK_NOFOLLOW);
	_exit(127);
}

static void
close_all(int *fd, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (fd[i] != -1) {
			close(fd[i]);
			fd[i] = -1;
		}
}

int
hookproc_spawn(const struct safepath *sp, char *const argv[],
    char *const envp[], bool server, pid_t *pid, struct hookproc_fds *fds)
{
	/* p[0..1] stdin, p[2..3] stdout, p[4..5] stderr (read, write). */
	int p[6] = { -1, -1, -1, -1, -1, -1 };
	int io[3], e = 0;
	sigset_t changed;

	if ((server && pipe2(p, O_CLOEXEC) == -1) ||
	    (server && pipe2(p + 2, O_CLOEXEC) == -1) ||
	    pipe2(p + 4, O_CLOEXEC) == -1) {
		e = errno;
		close_all(p, 6);
		return e;
	}
	io[0] = server ? p[0] : -1;
	io[1] = server ? p[3] : p[5];
	io[2] = p[5];
	sig_changed_set(&changed);
	*pid = fork();
	if (*pid == 0)
		child(sp, argv, envp, io, &changed);
	if (*pid == -1)
		e = errno;
	/* The child's ends. */
	close_all((int[]){ p[0], p[3], p[5] }, 3);
	*fds = (struct hookproc_fds){ .in = p[1], .out = p[2], .err = p[4] };
	if (e != 0) {
		int mine[3] = { fds->in, fds->out, fds->err };

		close_all(mine, 3);
		*fds = (struct hookproc_fds){ -1, -1, -1 };
		return e;
	}
	for (int *f = &fds->in; f <= &fds->err; f++)
		if (*f != -1)
			fcntl(*f, F_SETFL, O_NONBLOCK);
	return 0;
}

/* Log one line, or count it once the run's bound is reached. */
static void
log_line(struct hookproc_out *o, struct sklog *log, const char *tag,
    const char *line, size_t n)
{
	if (o->logged >= HOOKPROC_LOG_MAX) {
		o->dropped += n + 1;
		return;
	}
	o->logged += n + 1;
	if (o->limited)
		log_limited(log, "%s: %.*s", tag, (int)n, line);
	else
		log_info(log, "%s: %.*s", tag, (int)n, line);
}

static void
split_lines(struct hookproc_out *o, struct sklog *log, const char *tag)
{
	char *nl;

	while ((nl = memchr(o->buf, '\n', o->len)) != NULL) {
		size_t n = (size_t)(nl - o->buf);

		log_line(o, log, tag, o->buf, n);
		memmove(o->buf, nl + 1, o->len - n - 1);
		o->len -= n + 1;
	}
	if (o->len == sizeof o->buf) {
		log_line(o, log, tag, o->buf, o->len);
		o->len = 0;
	}
}

bool
hookproc_drain(int fd, struct hookproc_out *o, struct sklog *log,
    const char *tag)
{
	/* Bounded: a hook that writes without pause cannot hold the loop. */
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t n = read(fd, o->buf + o->len, sizeof o->buf - o->len);

		if (n > 0) {
			o->len += (size_t)n;
			split_lines(o, log, tag);
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return true;
		return false;
	}
	return true;
}

void
hookproc_unread(int fd, struct hookproc_out *o)
{
	int n = 0;

	if (ioctl(fd, FIONREAD, &n) == 0 && n > 0)
		o->dropped += (size_t)n;
}

void
hookproc_flush(struct hookproc_out *o, struct sklog *log, const char *tag)
{
	if (o->len > 0)
		log_line(o, log, tag, o->buf, o->len);
	o->len = 0;
	if (o->dropped > 0)
		log_warnx(log, "%s: %zu more bytes of output not logged "
		    "(at most %d logged per run)", tag, o->dropped,
		    HOOKPROC_LOG_MAX);
	o->dropped = 0;
}
