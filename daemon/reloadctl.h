/* reloadctl.h: a reload request that waits until the reload is done. */
#ifndef SKNOCK_RELOADCTL_H
#define SKNOCK_RELOADCTL_H

#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/types.h>

/*
 * `sknockd --reload PID` (the unit's ExecReload=) queues SIGHUP to PID with
 * this value and waits: the daemon answers SIGUSR2 once the new config is
 * in force and the hook's start has restored the guard, SIGUSR1 when the
 * reload failed.  So `systemctl reload` returns when the guard is back, and
 * fails when the config was refused.  A plain SIGHUP gets no answer.
 */
#define RELOADCTL_MAGIC 0x736b7264	/* "skrd" */
#define RELOADCTL_WAIT_S 30

struct reloadctl {
	pid_t	pid;	/* who asked, 0: nobody waits */
	bool	pending;	/* reloaded; answer when the start hook is done */
};

/* reloadctl_note(r, si): remember the asker of this SIGHUP, if it waits. */
void reloadctl_note(struct reloadctl *r, const struct signalfd_siginfo *si);
/* reloadctl_answer(r, ok): tell the asker, if any; forget it. */
void reloadctl_answer(struct reloadctl *r, bool ok);
/* reloadctl_request(pid): ask ${pid} to reload and wait; exit status. */
int reloadctl_request(const char *pid_arg);

#endif
