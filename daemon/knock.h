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

/* Where the packet half sends a candidate: the socket to the parent, or
 * (-r) the decision half in the same process. */
typedef void knock_emit_fn(void *ctx, const struct pmsg_cand *c);

void knock_frame(struct daemon *d, const uint8_t *frame, size_t caplen,
    int dlt, knock_emit_fn *emit, void *ctx);
void knock_candidate(struct daemon *d, const struct pmsg_cand *c);
void knock_fire_closes(struct daemon *d);
void knock_decision(struct daemon *d, bool open,
    const struct open_ent *e);
const char *knock_rej_name(enum skd_rej r);

#endif
