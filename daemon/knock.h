/* knock.h: one packet through sequence matching and token verification. */
#ifndef SKD_KNOCK_H
#define SKD_KNOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "counters.h"
#include "opens.h"
#include "pmsg.h"

struct daemon;

/*
 * Where the packet half sends a candidate: the socket to the parent, or
 * (-r) the decision half in the same process.  true when it is known
 * that a door opened (the packet half then ends the source's attempt);
 * false when nothing opened or, across the socket, it is not known.
 */
typedef bool knock_emit_fn(void *ctx, const struct pmsg_cand *c);

/*
 * knock_frame(d, frame, caplen, dlt, emit, ctx): the packet half:
 * decode, drop, track sequences; each candidate goes to ${emit}.
 */
void knock_frame(struct daemon *d, const uint8_t *frame, size_t caplen,
    int dlt, knock_emit_fn *emit, void *ctx);
/* knock_forget(d, door, src): that door opened for ${src}: end its attempt. */
void knock_forget(struct daemon *d, size_t door, const struct sk_addr *src);
/*
 * knock_candidate(d, c): the decision half: foreign packets, limits,
 * verification, replay, policy, open.  Reads only ${c} and the parent's
 * state; true when a door opened.
 */
bool knock_candidate(struct daemon *d, const struct pmsg_cand *c);
void knock_fire_closes(struct daemon *d);
void knock_decision(struct daemon *d, bool open,
    const struct open_ent *e);
const char *knock_rej_name(enum skd_rej r);

#endif
