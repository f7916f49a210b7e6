/* sigset.c: the signals the daemon changes from their defaults. */
#include "sigset.h"

void
sig_loop_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGUSR1);
}

void
sig_changed_set(sigset_t *set)
{
	sig_loop_set(set);
	sigaddset(set, SIGPIPE);
}
