/* reload.h: SIGHUP: a new config and keys, keeping the daemon's state. */
#ifndef SKD_RELOAD_H
#define SKD_RELOAD_H

struct daemon;

void daemon_reload(struct daemon *d);

#endif
