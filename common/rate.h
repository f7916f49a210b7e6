/* rate.h: per-source and global token-bucket limits on verification work. */
#ifndef RATE_H
#define RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct rate_table;

/*
 * rate_new(cap, per_source, global): a budget of ${per_source} events a
 * second per source (burst = per_source; an IPv6 source counts per /64,
 * the smallest network one user is given) and ${global} in all (burst =
 * global); remembers at most ${cap} sources (least recently seen
 * evicted).  Buckets refill in integer milliseconds; a clock that goes
 * back refills nothing.  NULL if cap is 0 or out of memory.
 */
struct rate_table *rate_new(size_t cap, uint32_t per_source, uint32_t global);
void rate_free(struct rate_table *t);

enum rate_verdict {
	RATE_OK,	/* within the source's budget and the global one */
	RATE_OVER,	/* the source's budget is spent, the global is not */
	RATE_SOURCE,	/* refused: the source's budget and the global spent */
	RATE_GLOBAL	/* refused: the global budget is spent */
};

/*
 * rate_take(t, src, now_ms): one event (a token verification) from
 * ${src}.  It goes ahead (RATE_OK or RATE_OVER) while the global budget
 * has room, whether or not the source's own is spent: anyone can spoof
 * a user's address, so a trickle in the user's name must not deny the
 * user; only a flood that spends the global budget can.  The verdict
 * says whose budget was spent, for the counters and for keeping one
 * source's lines out of the log.  A limit of 0 is always spent.
 */
enum rate_verdict rate_take(struct rate_table *t, const struct sk_addr *src,
    uint64_t now_ms);
/*
 * rate_take_cost(t, src, now_ms, cost): rate_take for a token that
 * costs ${cost} units of the global budget (rate_cost), 1 of the
 * source's: the global budget bounds the work, the source's says who
 * sends.  A cost above the global limit is never allowed.
 */
enum rate_verdict rate_take_cost(struct rate_table *t,
    const struct sk_addr *src, uint64_t now_ms, uint32_t cost);
/*
 * rate_cost(n_keys): the global units a token costs when its door has
 * ${n_keys} keys to try (key and key_next each count): one per started
 * RATE_KEYS_PER_UNIT keys, at least 1, so a door of one client (with or
 * without key_next) costs what it always did and a door of 1000 clients
 * in rotation 1000.
 */
#define RATE_KEYS_PER_UNIT	2
uint32_t rate_cost(size_t n_keys);
/* rate_allowed(v): the event goes ahead. */
bool rate_allowed(enum rate_verdict v);
/* rate_key(src, out): what ${src} is counted as (IPv6: its /64). */
void rate_key(const struct sk_addr *src, struct sk_addr *out);

#endif
