/* seq.h: per (source, door) knock sequence tracking in a bounded table. */
#ifndef SEQ_H
#define SEQ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"

/* The parts of a door that sequence matching needs. */
struct seq_door {
	const struct sk_port	*steps;
	size_t			n_steps;
	uint64_t		seq_timeout_ms;
	bool			is_signed;	/* last step is a token */
};

enum seq_event {
	SEQ_IGNORED,	/* not a step, a repeat, or a TCP packet not a bare SYN */
	SEQ_ADVANCED,	/* matched a step before the last */
	SEQ_RESET,	/* ended the attempt (and maybe started a new one) */
	SEQ_COMPLETE	/* the last step, after steps 1..N-1 in time */
};

struct seq_stats {
	uint64_t	entries;	/* in use now */
	uint64_t	evictions;	/* oldest dropped because full */
	uint64_t	expired;
};

struct seq_table;

/* seq_new(cap): table for at most cap (source, door) attempts, or NULL. */
struct seq_table *seq_new(size_t cap);
void seq_free(struct seq_table *t);

/*
 * seq_feed(t, door_idx, d, src, port, proto, tcp_flags, now_ms): apply
 * DESIGN.md's sequence rules to one packet.  A TCP step counts only
 * as a SYN without ACK, RST or FIN.  The whole sequence must lie within
 * d->seq_timeout_ms of its first step.  A one-step door completes on
 * every matching packet.  A door of more than SK_MAX_STEPS steps
 * matches nothing.  Times are any monotonic milliseconds below 2^56 (a
 * clock that steps back keeps attempts alive; it never expires them
 * early).
 *
 * Unsigned door (knockd's rules): any other step ends the attempt (step
 * 1 starts a new one, SEQ_RESET); on SEQ_COMPLETE it is forgotten.
 *
 * Signed door: nothing undoes a step, so spoofed packets in a user's
 * name can neither reset nor end the attempt; a step that is not the
 * next one is ignored.  A packet matching the last step (seq_is_last:
 * the caller verifies every one as a token) is SEQ_COMPLETE when steps
 * 1..N-1 were matched within seq_timeout, else it counts like any other
 * step (SEQ_IGNORED, or SEQ_ADVANCED where the last step's port is also
 * the next step).  The attempt stays either way, as a failed token must
 * not end it: the caller calls seq_forget once the door opened, and
 * otherwise it lives until seq_timeout from its first step runs out.
 */
enum seq_event seq_feed(struct seq_table *t, uint16_t door_idx,
    const struct seq_door *d, const struct sk_addr *src, uint16_t port,
    uint8_t proto, uint8_t tcp_flags, uint64_t now_ms);

/* seq_is_last(d, port, proto): the door's last step (a signed door's token). */
bool seq_is_last(const struct seq_door *d, uint16_t port, uint8_t proto);
/*
 * seq_forget(t, door_idx, src): end the attempt of ${src} at this door
 * (its door opened).  On a signed door, a second attempt that the same
 * source started while the first waited for its token (the next knock,
 * seq_feed) takes the first one's place.
 */
void seq_forget(struct seq_table *t, uint16_t door_idx,
    const struct sk_addr *src);
/* seq_clear(t): forget every attempt (used when doors change on reload). */
void seq_clear(struct seq_table *t);
/*
 * seq_expire(t, now_ms, max): forget up to ${max} expired attempts from
 * the oldest end (bounded work for a periodic timer; seq_feed also
 * treats an expired attempt as absent).  Returns how many went.
 */
size_t seq_expire(struct seq_table *t, uint64_t now_ms, size_t max);
void seq_get_stats(const struct seq_table *t, struct seq_stats *out);

#endif
