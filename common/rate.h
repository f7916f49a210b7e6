/* rate.h: per-source and global token-bucket limits on verification work. */
#ifndef RATE_H
#define RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct rate_table;

/*
 * rate_new(cap, per_source, global): at most ${per_source} events per
 * second per source address (burst = per_source) and ${global} in all;
 * remembers at most ${cap} sources (least recently seen evicted).  A
 * limit of 0 lets nothing through.  Buckets refill in integer
 * milliseconds; a clock that goes back refills nothing.  NULL if cap is
 * 0 or out of memory.
 */
struct rate_table *rate_new(size_t cap, uint32_t per_source, uint32_t global);
void rate_free(struct rate_table *t);

enum rate_verdict { RATE_OK, RATE_SOURCE, RATE_GLOBAL };

/* rate_take(t, src, now_ms): spend one event if both limits allow it. */
enum rate_verdict rate_take(struct rate_table *t, const struct sk_addr *src,
    uint64_t now_ms);

#endif
