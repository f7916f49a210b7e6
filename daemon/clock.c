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
