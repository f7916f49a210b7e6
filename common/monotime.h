/* monotime.h: CLOCK_MONOTONIC in nanoseconds, for timers and figures. */
#ifndef SK_MONOTIME_H
#define SK_MONOTIME_H

#include <stdint.h>
#include <time.h>

/* mono_ns(): never goes back (unlike the wall clock); callers scale it. */
static inline uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif
