/* clock.c: the monotonic clock, and the knock clock that -r drives. */
#include <time.h>

#include "clock.h"
#include "monotime.h"

uint64_t
mono_ms(void)
{
	return mono_ns() / 1000000;
}

void
clock_update(struct skclock *k)
{
	struct timespec ts;

	if (k->offline)
		return;
	clock_gettime(CLOCK_REALTIME, &ts);
	k->now_s = ts.tv_sec;
	k->now_ms = mono_ms();
}

void
clock_packet(struct skclock *k, int64_t sec, int64_t usec)
{
	uint64_t ms = (uint64_t)sec * 1000 + (uint64_t)usec / 1000;

	/* The knock clock never runs backwards. */
	if (ms > k->now_ms)
		k->now_ms = ms;
	k->now_s = sec;
}
