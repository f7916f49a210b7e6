/*
 * child.h: the capture child.  Forked by privsep.c, it opens the pcap
 * handles while it still may, enters the sandbox (sandbox.h), and then
 * only polls its captures, hands each frame to the packet half and
 * sends what that produces, one fixed-size message each (pmsg.h).
 */
#ifndef SKD_CHILD_H
#define SKD_CHILD_H

#include <stdbool.h>
#include <stddef.h>

#include "capture.h"
#include "conf.h"
#include "pmsg.h"

/* The child's counters, filled in for each heartbeat. */
typedef void child_beat_fn(void *ctx, struct pmsg_beat *out);
/* A message from the parent (PMSG_FORGET only, decoded and checked). */
typedef void child_msg_fn(void *ctx, const struct pmsg *m);

struct child_cfg {
	int		sock;		/* the socketpair end */
	struct capture	*caps;		/* cap_init'ed, not open */
	size_t		n_caps;
	const struct conf *conf;	/* for the capture filter */
	cap_packet_fn	*on_frame;	/* the packet half */
	void		*ctx;
	child_beat_fn	*beat;
	child_msg_fn	*on_msg;
};

/*
 * child_run(cfg): the child's whole life.  Exits (never returns) when
 * the parent's end of the socket closes, when a send fails, or when the
 * sandbox cannot be entered (it never captures unconfined).
 */
_Noreturn void child_run(struct child_cfg *cfg);

/*
 * child_send(sock, m): encode and send one message, waiting while the
 * parent is behind (the pcap ring buffers meanwhile).  Exits if the
 * message does not encode or the parent is gone.
 */
void child_send(int sock, const struct pmsg *m);

#ifdef SKNOCK_SANDBOX_TEST
/* child_test.c: a test build's magic packets ("SKNOCK-SANDBOX-TEST
 * open|socket|exec|abort|hang|garbage" in a UDP payload). */
void child_test_frame(int sock, const uint8_t *frame, size_t caplen,
    int dlt);
#endif

#endif
