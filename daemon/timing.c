/* timing.c: the daemon side's breakdown of an open (see timing.h). */
#include "timing.h"

#include <time.h>

uint64_t
timing_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

uint64_t
timing_tv_us(int64_t sec, int64_t usec)
{
	return sec < 0 || usec < 0 ? 0 : (uint64_t)sec * 1000000 +
	    (uint64_t)usec;
}

/* b - a, or 0 when either stamp is missing or they are out of order. */
static unsigned long long
span(uint64_t a, uint64_t b)
{
	return a == 0 || b == 0 || b < a ? 0 : (unsigned long long)(b - a);
}

void
timing_log(struct sklog *log, const struct open_timing *t,
    uint64_t answered_us, const char *door, const char *addr)
{
	log_debug(log, "open timing: door=%s address=%s capture_us=%llu "
	    "handoff_us=%llu verify_us=%llu record_us=%llu "
	    "hook_request_us=%llu hook_answer_us=%llu total_us=%llu", door,
	    addr, span(t->wire_us, t->seen_us), span(t->seen_us, t->recv_us),
	    span(t->recv_us, t->verified_us),
	    span(t->verified_us, t->recorded_us),
	    span(t->recorded_us, t->requested_us),
	    span(t->requested_us, answered_us), span(t->wire_us, answered_us));
}
