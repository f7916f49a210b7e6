/* rate.c: per-source and global token-bucket limits on verification work. */
#include "rate.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"

/*
 * Buckets count milli-events so that integer milliseconds refill exactly:
 * a limit of r events/s adds r milli-events per ms, holds at most
 * r * 1000 (a burst of r events) and each event costs 1000.
 */
#define RATE_COST	1000u
#define RATE_FULL_MS	1000u	/* an empty bucket is full again after 1 s */

struct bucket {
	uint64_t	last_ms;
	uint64_t	milli;
};

struct rate_table {
	struct htab	*h;	/* values: struct bucket per source */
	struct bucket	global;
	uint32_t	per_source;
	uint32_t	global_rate;
};

_Static_assert(offsetof(struct rate_table, h) == 0,
    "htab_owner_new puts the table first");

struct rate_table *
rate_new(size_t cap, uint32_t per_source, uint32_t global)
{
	struct rate_table *t;

	if ((t = htab_owner_new(sizeof *t, cap, sizeof(struct sk_addr),
	    sizeof(struct bucket))) == NULL)
		return NULL;
	t->per_source = per_source;
	t->global_rate = global;
	t->global.milli = (uint64_t)global * RATE_COST;
	return t;
}

void
rate_free(struct rate_table *t)
{
	htab_owner_free(t);
}

/* Add what ${rate} earns since the last refill; a clock going back earns 0. */
static void
refill(struct bucket *b, uint32_t rate, uint64_t now_ms)
{
	uint64_t full = (uint64_t)rate * RATE_COST;
	uint64_t dt;

	if (now_ms <= b->last_ms)
		return;
	dt = now_ms - b->last_ms;
	b->last_ms = now_ms;
	if (dt >= RATE_FULL_MS || full - b->milli <= dt * rate)
		b->milli = full;
	else
		b->milli += dt * rate;
}

void
rate_key(const struct sk_addr *src, struct sk_addr *out)
{
	*out = *src;
	if (!addr_is_v4(src))
		memset(out->b + 8, 0, 8);
}

bool
rate_allowed(enum rate_verdict v)
{
	return v == RATE_OK || v == RATE_OVER;
}

/* The bucket of ${key}, a full one if it is new (maybe evicting). */
static struct bucket *
source_bucket(struct rate_table *t, const struct sk_addr *key,
    uint64_t now_ms)
{
	struct bucket *b;
	uint32_t s, hv, evicted;

	s = htab_find(t->h, key->b, &hv);
	if (s != HTAB_NONE) {
		htab_touch(t->h, s);
		return htab_val(t->h, s);
	}
	s = htab_insert(t->h, key->b, hv, &evicted);
	b = htab_val(t->h, s);
	b->last_ms = now_ms;
	b->milli = (uint64_t)t->per_source * RATE_COST;
	return b;
}

uint32_t
rate_cost(size_t n_keys)
{
	size_t units = (n_keys + RATE_KEYS_PER_UNIT - 1) / RATE_KEYS_PER_UNIT;

	if (units == 0)
		return 1;
	return units > UINT32_MAX ? UINT32_MAX : (uint32_t)units;
}

enum rate_verdict
rate_take_cost(struct rate_table *t, const struct sk_addr *src,
    uint64_t now_ms, uint32_t cost)
{
	uint64_t need = (uint64_t)(cost == 0 ? 1 : cost) * RATE_COST;
	struct sk_addr key;
	struct bucket *b;
	bool own;

	rate_key(src, &key);
	b = source_bucket(t, &key, now_ms);
	refill(b, t->per_source, now_ms);
	own = b->milli >= RATE_COST;
	refill(&t->global, t->global_rate, now_ms);
	if (t->global.milli < need)
		return own ? RATE_GLOBAL : RATE_SOURCE;
	t->global.milli -= need;
	if (!own)
		return RATE_OVER;
	b->milli -= RATE_COST;
	return RATE_OK;
}

enum rate_verdict
rate_take(struct rate_table *t, const struct sk_addr *src, uint64_t now_ms)
{
	return rate_take_cost(t, src, now_ms, 1);
}
