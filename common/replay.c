/* replay.c: the set of nonces already accepted, with its file format. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#include "htab.h"

#define REC_TS_OFF	TOK_NONCE_LEN

struct replay {
	struct htab	*h;	/* values: int64_t timestamp */
};

struct replay *
replay_new(size_t cap)
{
	struct replay *r;

	if ((r = calloc(1, sizeof *r)) == NULL)
		return NULL;
	if ((r->h = htab_new(cap, TOK_NONCE_LEN, sizeof(int64_t))) == NULL) {
		free(r);
		return NULL;
	}
	return r;
}

void
replay_free(struct replay *r)
{
	if (r == NULL)
		return;
	htab_free(r->h);
	free(r);
}

static int64_t *
ts_of(const struct replay *r, uint32_t slot)
{
	return htab_val(r->h, slot);
}

bool
replay_seen(const struct replay *r, const uint8_t nonce[static TOK_NONCE_LEN])
{
	uint32_t hv;

	return htab_find(r->h, nonce, &hv) != HTAB_NONE;
}

bool
replay_add(struct replay *r, const uint8_t nonce[static TOK_NONCE_LEN],
    int64_t ts)
{
	uint32_t s, hv, evicted;

	if (htab_find(r->h, nonce, &hv) != HTAB_NONE)
		return true;
	/* Never evict: forgetting a live nonce would reopen a replay. */
	if (htab_count(r->h) == htab_cap(r->h))
		return false;
	s = htab_insert(r->h, nonce, hv, &evicted);
	*ts_of(r, s) = ts;
	return true;
}

/* ts < now - window, without overflow for any pair of int64 values. */
static bool
too_old(int64_t ts, int64_t now_s, uint32_t window_s)
{
	return ts < now_s && (uint64_t)now_s - (uint64_t)ts > window_s;
}

void
replay_expire(struct replay *r, int64_t now_s, uint32_t window_s)
{
	uint32_t s, next;

	for (s = htab_oldest(r->h); s != HTAB_NONE; s = next) {
		next = htab_next(r->h, s);
		if (too_old(*ts_of(r, s), now_s, window_s))
			htab_remove(r->h, s);
	}
}

size_t
replay_count(const struct replay *r)
{
	return htab_count(r->h);
}

void
replay_encode_rec(const uint8_t nonce[static TOK_NONCE_LEN], int64_t ts,
    uint8_t rec[static REPLAY_REC_LEN])
{
	uint64_t u = (uint64_t)ts;
	int i;

	memcpy(rec, nonce, TOK_NONCE_LEN);
	for (i = 7; i >= 0; i--) {
		rec[REC_TS_OFF + i] = (uint8_t)u;
		u >>= 8;
	}
}

static int64_t
decode_ts(const uint8_t *p)
{
	uint64_t u = 0;
	int i;

	for (i = 0; i < 8; i++)
		u = u << 8 | p[i];
	return (int64_t)u;	/* two's complement, as every target does */
}

size_t
replay_decode(const uint8_t *buf, size_t buf_len, struct replay *r,
    int64_t now_s, uint32_t window_s)
{
	size_t off, added = 0;
	int64_t ts;

	for (off = 0; buf_len - off >= REPLAY_REC_LEN; off += REPLAY_REC_LEN) {
		ts = decode_ts(buf + off + REC_TS_OFF);
		if (too_old(ts, now_s, window_s) ||
		    replay_seen(r, buf + off))
			continue;
		if (!replay_add(r, buf + off, ts))
			break;
		added++;
	}
	return added;
}

size_t
replay_encode(const struct replay *r, uint8_t *buf, size_t buf_cap)
{
	size_t off = 0;
	uint32_t s;

	if (buf_cap / REPLAY_REC_LEN < replay_count(r))
		return 0;
	for (s = htab_oldest(r->h); s != HTAB_NONE; s = htab_next(r->h, s)) {
		replay_encode_rec(htab_key(r->h, s), *ts_of(r, s), buf + off);
		off += REPLAY_REC_LEN;
	}
	return off;
}
