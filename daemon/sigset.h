/* sigset.h: the signals the daemon changes from their defaults. */
#ifndef SKD_SIGSET_H
#define SKD_SIGSET_H

#include <signal.h>

/*
 * sig_loop_set(set): the signals the loop reads from its signalfd
 * (blocked in the daemon).  sig_changed_set(set): those and SIGPIPE,
 * which the daemon ignores: what a child it spawns must get back at
 * their defaults.
 */
void sig_loop_set(sigset_t *set);
void sig_changed_set(sigset_t *set);

#endif
