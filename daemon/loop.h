/* loop.h: the one poll() loop: captures, signalfd, hook pipes, timers. */
#ifndef SKD_LOOP_H
#define SKD_LOOP_H

#include <stdbool.h>

struct daemon;

int loop_live(struct daemon *d);
int loop_file(struct daemon *d);
void loop_dump_counters(struct daemon *d);
/* loop_write_metrics(d, force): metrics_file if due, or now if ${force}. */
void loop_write_metrics(struct daemon *d, bool force);

#endif
