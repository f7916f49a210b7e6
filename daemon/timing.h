/*
 * timing.h: where an open's time goes on the daemon side, from the
 * daemon's own clocks.  Stamps are taken once per candidate (never per
 * packet) and logged with -v as one line per open:
 *
 *   open timing: door=D address=A capture_us=.. handoff_us=..
 *       verify_us=.. record_us=.. hook_request_us=.. hook_answer_us=..
 *       total_us=..
 *
 * capture: the kernel's capture timestamp of the last step to the
 * capture child decoding it (poll wake-up, scheduling); handoff: child to
 * parent over the socketpair; verify: limits, MAC, decryption, policy;
 * record: the replay record made durable; hook_request: starting the
 * hook (a process start, or a request line to a serving hook);
 * hook_answer: the hook's own work (netlink) until it answered or exited.
 */
#ifndef SKD_TIMING_H
#define SKD_TIMING_H

#include <stdint.h>

#include "log.h"

/* CLOCK_REALTIME microseconds: the clock the kernel stamps packets with. */
struct open_timing {
	uint64_t	wire_us;	/* capture timestamp of the last step */
	uint64_t	seen_us;	/* decoded by the capture child */
	uint64_t	recv_us;	/* candidate read by the parent */
	uint64_t	verified_us;	/* token and policy checked */
	uint64_t	recorded_us;	/* nonce durable in state_dir */
	uint64_t	requested_us;	/* hook started or asked */
};

/* timing_now_us(): CLOCK_REALTIME in microseconds. */
uint64_t timing_now_us(void);

/* timing_tv_us(sec, usec): a capture timestamp in microseconds. */
uint64_t timing_tv_us(int64_t sec, int64_t usec);

/*
 * timing_log(log, t, answered_us, door, addr): the debug line above, for
 * an open whose hook answered at ${answered_us}.  Parts whose stamps are
 * missing (0) or out of order (a clock step) are logged as 0.
 */
void timing_log(struct sklog *log, const struct open_timing *t,
    uint64_t answered_us, const char *door, const char *addr);

#endif
