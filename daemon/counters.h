/* counters.h: what the daemon counts, dumped on SIGUSR1. */
#ifndef SKD_COUNTERS_H
#define SKD_COUNTERS_H

#include <stdint.h>

#include "pkt.h"
#include "seq.h"

/* Why a token opened nothing; each has a counter and a log phrase. */
enum skd_rej {
	REJ_LENGTH,
	REJ_RATE_SOURCE,
	REJ_RATE_GLOBAL,
	REJ_MAC,
	REJ_VERSION,
	REJ_RESERVED,
	REJ_STALE,
	REJ_FUTURE,
	REJ_LOST_CACHE,		/* before the start, cache lost at the start */
	REJ_REPLAY,
	REJ_REPLAY_FULL,
	REJ_STORE,
	REJ_EXPIRED,		/* the client's `expires` has come */
	REJ_OTHER_ADDRESS,
	REJ_BOGUS_ADDRESS,
	REJ_NO_ADDRESS,
	REJ_PROTO,
	REJ_PORT,
	REJ_SEQUENCE,		/* verified, but the steps were not done */
	REJ_OPENS_FULL,
	REJ_MAX
};

struct counters {
	uint64_t	packets;
	uint64_t	decode_err[PKT_E_BAD_TRANSPORT + 1];
	uint64_t	seq_ev[SEQ_COMPLETE + 1];
	uint64_t	tokens_verified;	/* a client key's MAC matched */
	uint64_t	rejected[REJ_MAX];
	uint64_t	opens;
	uint64_t	closes;
	uint64_t	hooks_run;
	uint64_t	hooks_failed;
	uint64_t	hooks_killed;
	uint64_t	hooks_dropped;		/* queue full, or shutdown */
	uint64_t	log_suppressed;
	uint64_t	iface_errors;
	uint64_t	bogus_source;	/* unspecified, loopback, multicast,
					   v4-mapped IPv6: before matching */
	uint64_t	foreign_dest;	/* live: not for this host */
	uint64_t	forged_source;	/* from this host's own address */
};

#endif
