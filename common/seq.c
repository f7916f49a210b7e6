/* seq.c: per (source, door) knock sequence tracking in a bounded table. */
#include "seq.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "pkt.h"

/*
 * Key: the source address, then the door index (big-endian, below
 * SK_MAX_DOORS).  The top bit of the index byte pair marks a signed
 * door's second attempt (see feed_next).
 */
#define SEQ_KEY_LEN	(sizeof(struct sk_addr) + 2)
#define SEQ_KEY_NEXT	0x80u	/* or'd into key[sizeof(struct sk_addr)] */
/* Expired attempts dropped from the old end per new attempt. */
#define SEQ_PURGE_MAX	2

/*
 * An attempt is one 64-bit value, so a table slot is 40 bytes: the
 * steps matched so far (>= 1) in the low 8 bits, and the first step's
 * time + seq_timeout_ms above them (saturating at 2^56 - 1 ms).
 */
#define ATT_STAGE_BITS	8
#define ATT_STAGE_MASK	0xffu
#define ATT_TIME_MAX	(UINT64_MAX >> ATT_STAGE_BITS)

struct seq_table {
	struct htab	*h;	/* values: uint64_t attempts */
	uint64_t	evictions;
	uint64_t	expired;
};

_Static_assert(offsetof(struct seq_table, h) == 0,
    "htab_owner_new puts the table first");

struct seq_table *
seq_new(size_t cap)
{
	return htab_owner_new(sizeof(struct seq_table), cap, SEQ_KEY_LEN,
	    sizeof(uint64_t));
}

void
seq_free(struct seq_table *t)
{
	htab_owner_free(t);
}

static uint64_t *
att(const struct seq_table *t, uint32_t slot)
{
	return htab_val(t->h, slot);
}

static uint8_t
att_stage(const uint64_t *a)
{
	return (uint8_t)(*a & ATT_STAGE_MASK);
}

void
seq_clear(struct seq_table *t)
{
	htab_clear(t->h);
}

void
seq_get_stats(const struct seq_table *t, struct seq_stats *out)
{
	out->entries = htab_count(t->h);
	out->evictions = t->evictions;
	out->expired = t->expired;
}

static bool
step_is(const struct seq_door *d, size_t i, uint16_t port, uint8_t proto)
{
	return i < d->n_steps && d->steps[i].port == port &&
	    d->steps[i].proto == proto;
}

static bool
is_step(const struct seq_door *d, uint16_t port, uint8_t proto)
{
	size_t i;

	for (i = 0; i < d->n_steps; i++)
		if (step_is(d, i, port, proto))
			return true;
	return false;
}

/* A TCP knock is a SYN without ACK, RST or FIN; ECN bits are fine. */
static bool
bare_syn(uint8_t flags)
{
	return (flags & (PKT_TH_SYN | PKT_TH_ACK | PKT_TH_RST | PKT_TH_FIN)) ==
	    PKT_TH_SYN;
}

static bool
expired(const uint64_t *a, uint64_t now_ms)
{
	return now_ms > *a >> ATT_STAGE_BITS;
}

size_t
seq_expire(struct seq_table *t, uint64_t now_ms, size_t max)
{
	uint32_t s;
	size_t n;

	for (n = 0; n < max; n++) {
		s = htab_oldest(t->h);
		if (s == HTAB_NONE || !expired(att(t, s), now_ms))
			break;
		htab_remove(t->h, s);
		t->expired++;
	}
	return n;
}

static void
set_start(uint64_t *a, const struct seq_door *d, uint64_t now_ms)
{
	uint64_t end = ATT_TIME_MAX;

	if (now_ms < ATT_TIME_MAX && d->seq_timeout_ms < ATT_TIME_MAX - now_ms)
		end = now_ms + d->seq_timeout_ms;
	*a = end << ATT_STAGE_BITS | 1u;
}

/* No live attempt: a first step starts one (or completes a 1-step door). */
static enum seq_event
start_attempt(struct seq_table *t, const uint8_t *key, uint32_t hv,
    const struct seq_door *d, uint64_t now_ms)
{
	uint32_t s, evicted;

	if (d->n_steps == 1)
		return SEQ_COMPLETE;
	(void)seq_expire(t, now_ms, SEQ_PURGE_MAX);
	s = htab_insert(t->h, key, hv, &evicted);
	if (evicted != HTAB_NONE)
		t->evictions++;
	set_start(att(t, s), d, now_ms);
	return SEQ_ADVANCED;
}

static void
make_key(uint8_t key[static SEQ_KEY_LEN], uint16_t door_idx,
    const struct sk_addr *src)
{
	memcpy(key, src->b, sizeof src->b);
	key[sizeof src->b] = (uint8_t)(door_idx >> 8);
	key[sizeof src->b + 1] = (uint8_t)door_idx;
}

/* The live attempt of ${key}, or HTAB_NONE; a dead one is dropped. */
static uint32_t
live_attempt(struct seq_table *t, const uint8_t *key, uint32_t *hv,
    const struct seq_door *d, uint64_t now_ms)
{
	uint32_t s = htab_find(t->h, key, hv);

	if (s != HTAB_NONE && (expired(att(t, s), now_ms) ||
	    att_stage(att(t, s)) >= d->n_steps)) {
		/* Treated as absent; the door may also have shrunk. */
		htab_remove(t->h, s);
		t->expired++;
		s = HTAB_NONE;
	}
	return s;
}

/* knockd's rules: any other step ends the attempt; a scan cannot walk. */
static enum seq_event
feed_unsigned(struct seq_table *t, const uint8_t *key, uint32_t hv,
    uint32_t s, const struct seq_door *d, struct sk_port p, uint64_t now_ms)
{
	uint64_t *a;

	if (s == HTAB_NONE)
		return step_is(d, 0, p.port, p.proto) ?
		    start_attempt(t, key, hv, d, now_ms) : SEQ_IGNORED;
	a = att(t, s);
	if (step_is(d, att_stage(a), p.port, p.proto)) {
		if (att_stage(a) + 1u < d->n_steps) {
			++*a;	/* the stage is the low byte, below 16 */
			return SEQ_ADVANCED;
		}
		htab_remove(t->h, s);
		return SEQ_COMPLETE;
	}
	if (step_is(d, att_stage(a) - 1u, p.port, p.proto))
		return SEQ_IGNORED;
	if (!step_is(d, 0, p.port, p.proto)) {
		htab_remove(t->h, s);
		return SEQ_RESET;
	}
	set_start(a, d, now_ms);
	htab_touch(t->h, s);
	return SEQ_RESET;
}

/* A signed door's attempt ${s} takes the next step, or ignores the packet. */
static enum seq_event
advance(struct seq_table *t, uint32_t s, const struct seq_door *d,
    struct sk_port p)
{
	uint64_t *a = att(t, s);

	if (!step_is(d, att_stage(a), p.port, p.proto))
		return SEQ_IGNORED;
	++*a;	/* the stage is the low byte, below 16 */
	return SEQ_ADVANCED;
}

/*
 * While an attempt has done steps 1..N-1 and waits for its token, the
 * same source may start the next knock (the parent's seq_forget after
 * an open can arrive after the next knock's first step).  That knock
 * goes into a second attempt under the SEQ_KEY_NEXT key, so it neither
 * disturbs the waiting one (nothing undoes a step) nor is lost.  A
 * second attempt that is done with its steps waits as well; a third
 * knock meanwhile is ignored.
 */
static enum seq_event
feed_next(struct seq_table *t, const uint8_t *key, const struct seq_door *d,
    struct sk_port p, uint64_t now_ms)
{
	uint8_t nkey[SEQ_KEY_LEN];
	uint32_t b, hv;

	memcpy(nkey, key, sizeof nkey);
	nkey[sizeof(struct sk_addr)] |= SEQ_KEY_NEXT;
	b = live_attempt(t, nkey, &hv, d, now_ms);
	if (b == HTAB_NONE)
		return step_is(d, 0, p.port, p.proto) ?
		    start_attempt(t, nkey, hv, d, now_ms) : SEQ_IGNORED;
	if (att_stage(att(t, b)) == d->n_steps - 1)
		return SEQ_IGNORED;
	return advance(t, b, d, p);
}

/* No first attempt (forgotten, expired or evicted): the second, if live,
 * becomes the first. */
static uint32_t
promote_next(struct seq_table *t, const uint8_t *key, uint32_t hv,
    const struct seq_door *d, uint64_t now_ms)
{
	uint8_t nkey[SEQ_KEY_LEN];
	uint32_t b, nhv, s, evicted;
	uint64_t v;

	memcpy(nkey, key, sizeof nkey);
	nkey[sizeof(struct sk_addr)] |= SEQ_KEY_NEXT;
	b = live_attempt(t, nkey, &nhv, d, now_ms);
	if (b == HTAB_NONE)
		return HTAB_NONE;
	v = *att(t, b);
	htab_remove(t->h, b);
	s = htab_insert(t->h, key, hv, &evicted);
	if (evicted != HTAB_NONE)
		t->evictions++;
	*att(t, s) = v;
	return s;
}

/*
 * Signed door: steps only ever advance.  A last step after steps
 * 1..N-1 completes; the attempt is left in place, and only seq_forget
 * or the timeout end it.
 */
static enum seq_event
feed_signed(struct seq_table *t, const uint8_t *key, uint32_t hv,
    uint32_t s, const struct seq_door *d, struct sk_port p, uint64_t now_ms)
{
	size_t last = d->n_steps - 1;

	if (d->n_steps == 1)
		return SEQ_COMPLETE;
	if (s == HTAB_NONE)
		s = promote_next(t, key, hv, d, now_ms);
	if (s == HTAB_NONE)
		return step_is(d, 0, p.port, p.proto) ?
		    start_attempt(t, key, hv, d, now_ms) : SEQ_IGNORED;
	if (att_stage(att(t, s)) == last) {
		if (step_is(d, last, p.port, p.proto))
			return SEQ_COMPLETE;
		return feed_next(t, key, d, p, now_ms);
	}
	return advance(t, s, d, p);
}

bool
seq_is_last(const struct seq_door *d, uint16_t port, uint8_t proto)
{
	return d->n_steps > 0 && d->n_steps <= SK_MAX_STEPS &&
	    step_is(d, d->n_steps - 1, port, proto);
}

enum seq_event
seq_feed(struct seq_table *t, uint16_t door_idx, const struct seq_door *d,
    const struct sk_addr *src, uint16_t port, uint8_t proto,
    uint8_t tcp_flags, uint64_t now_ms)
{
	const struct sk_port p = { .port = port, .proto = proto };
	uint8_t key[SEQ_KEY_LEN];
	uint32_t s, hv;

	if (d->n_steps == 0 || d->n_steps > SK_MAX_STEPS ||
	    !is_step(d, port, proto))
		return SEQ_IGNORED;
	if (proto == SK_PROTO_TCP && !bare_syn(tcp_flags))
		return SEQ_IGNORED;
	make_key(key, door_idx, src);
	s = live_attempt(t, key, &hv, d, now_ms);
	if (d->is_signed)
		return feed_signed(t, key, hv, s, d, p, now_ms);
	return feed_unsigned(t, key, hv, s, d, p, now_ms);
}

void
seq_forget(struct seq_table *t, uint16_t door_idx, const struct sk_addr *src)
{
	uint8_t key[SEQ_KEY_LEN];
	uint32_t s, hv;

	make_key(key, door_idx, src);
	s = htab_find(t->h, key, &hv);
	if (s != HTAB_NONE)
		htab_remove(t->h, s);
}
