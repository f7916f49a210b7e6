/* clock.h: the monotonic clock, and the knock clock that -r drives. */
#ifndef SKD_CLOCK_H
#define SKD_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define SKD_NO_DEADLINE		UINT64_MAX

/* Knock clock: packet timestamps with -r, else the system clocks. */
struct skclock {
	bool		offline;	/* -r: only packets move it */
	uint64_t	now_ms;		/* monotonic, or packet time */
	int64_t		now_s;		/* unix seconds */
};

/* mono_ms(): CLOCK_MONOTONIC in milliseconds (hook and retry timers). */
uint64_t mono_ms(void);

/* clock_update(k): live, read the system clocks; offline, keep packet time. */
void clock_update(struct skclock *k);

/*
 * clock_packet(k, sec, usec): offline, advance to a packet's timestamp
 * (the knock clock never runs backwards).  Inline: once per packet.
 */
static inline void
clock_packet(struct skclock *k, int64_t sec, int64_t usec)
{
	uint64_t ms = (uint64_t)sec * 1000 + (uint64_t)usec / 1000;

	if (ms > k->now_ms)
		k->now_ms = ms;
	k->now_s = sec;
}

#endif
