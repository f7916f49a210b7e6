/* reloadctl.c: see reloadctl.h. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "reloadctl.h"

void
reloadctl_note(struct reloadctl *r, const struct signalfd_siginfo *si)
{
	/* A new request replaces an older one (its asker times out). */
	if (si->ssi_code == SI_QUEUE && si->ssi_int == RELOADCTL_MAGIC &&
	    si->ssi_pid > 0)
		r->pid = (pid_t)si->ssi_pid;
}

void
reloadctl_answer(struct reloadctl *r, bool ok)
{
	r->pending = false;
	if (r->pid == 0)
		return;
	/* Only an asker that queued the magic value gets this signal. */
	(void)sigqueue(r->pid, ok ? SIGUSR2 : SIGUSR1,
	    (union sigval){ .sival_int = RELOADCTL_MAGIC });
	r->pid = 0;
}

static pid_t
parse_pid(const char *s)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 1 || v > 0x3fffffff)
		return 0;
	return (pid_t)v;
}

int
reloadctl_request(const char *pid_arg)
{
	struct timespec limit = { .tv_sec = RELOADCTL_WAIT_S };
	pid_t pid = parse_pid(pid_arg);
	sigset_t set;
	siginfo_t si;

	if (pid == 0) {
		fprintf(stderr, "sknockd: --reload %s: not a process id\n",
		    pid_arg);
		return 2;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if (sigqueue(pid, SIGHUP,
	    (union sigval){ .sival_int = RELOADCTL_MAGIC }) == -1) {
		fprintf(stderr, "sknockd: --reload: cannot signal %ld: %s\n",
		    (long)pid, strerror(errno));
		return 1;
	}
	for (;;) {
		if (sigtimedwait(&set, &si, &limit) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "sknockd: --reload: no answer from %ld "
			    "within %d s\n", (long)pid, RELOADCTL_WAIT_S);
			return 1;
		}
		if (si.si_pid != pid || si.si_code != SI_QUEUE)
			continue;
		if (si.si_signo == SIGUSR2)
			return 0;
		fprintf(stderr, "sknockd: --reload: %ld kept its old "
		    "configuration (see its log)\n", (long)pid);
		return 1;
	}
}
