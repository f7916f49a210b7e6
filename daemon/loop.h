/* loop.h: the one poll() loop: captures, signalfd, hook pipes, timers. */
#ifndef SKD_LOOP_H
#define SKD_LOOP_H

struct daemon;

int loop_live(struct daemon *d);
int loop_file(struct daemon *d);
void loop_dump_counters(struct daemon *d);

#endif
