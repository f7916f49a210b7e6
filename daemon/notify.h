/* notify.h: tell systemd our state (sd_notify's protocol). */
#ifndef SKD_NOTIFY_H
#define SKD_NOTIFY_H

#include <stdbool.h>

bool notify_send(const char *state);

#endif
