/*
 * counters.h: what the daemon counts, and one table of their names for
 * both outputs: the SIGUSR1 log lines and the metrics file.
 */
#ifndef SKD_COUNTERS_H
#define SKD_COUNTERS_H

#include <stdbool.h>
#include <stddef.h>
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

/* A moment's view of everything counted, gathered by the root. */
struct counters_view {
	const struct counters	*c;
	struct seq_stats	seq;
	uint64_t		open_now;	/* doors open now */
	uint64_t		replay_cache;	/* nonces remembered */
	uint64_t		hooks_running;
	uint64_t		hooks_queued;
};

enum counter_kind { COUNTER_TOTAL, COUNTER_GAUGE };

/* One value: a family ("packets"), and for labelled ones its label. */
struct counter_sample {
	const char		*family;	/* metric name after "sknock_" */
	const char		*help;
	enum counter_kind	kind;
	const char		*label;		/* "reason", or NULL */
	const char		*label_value;	/* "mac", or NULL */
	uint64_t		value;
	bool			first;		/* first sample of its family */
	unsigned		group;		/* its line in the SIGUSR1 dump */
	const char		*dump;		/* its key in that line */
};

typedef void counters_fn(void *ctx, const struct counter_sample *s);

/*
 * counters_each(v, fn, ctx): every sample of ${v}, family by family in a
 * fixed order (labelled families one sample per label value, all of
 * them, zeros included), through ${fn}.
 */
void counters_each(const struct counters_view *v, counters_fn *fn,
    void *ctx);

/* counters_rej_label(r): the short name of a rejection reason ("mac"). */
const char *counters_rej_label(enum skd_rej r);

/*
 * counters_log_lines(v, line_fn, ctx): the SIGUSR1 dump through
 * ${line_fn}, one line per group, the first "counters: packets=N ...";
 * rejections only where not zero.
 */
typedef void counters_line_fn(void *ctx, const char *line);
void counters_log_lines(const struct counters_view *v,
    counters_line_fn *line_fn, void *ctx);

#endif
