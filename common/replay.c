/* replay.c: the set of nonces already accepted, with its file format. */
#include "replay.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "htab.h"

#define REC_TS_OFF	TOK_NONCE_LEN
#define REC_CHECK_OFF	(REC_TS_OFF + 8)
#define HDR_CHECK_OFF	(REPLAY_HDR_LEN - REPLAY_CHECK_LEN)

struct replay {
	struct htab	*h;	/* values: int64_t timestamp */
};

_Static_assert(offsetof(struct replay, h) == 0,
    "htab_owner_new puts the table first");

struct replay *
replay_new(size_t cap)
{
	return htab_owner_new(sizeof(struct replay), cap, TOK_NONCE_LEN,
	    sizeof(int64_t));
}

void
replay_free(struct replay *r)
{
	htab_owner_free(r);
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

/* ts < now - keep_s, without overflow for any pair of int64 values. */
static bool
too_old(int64_t ts, int64_t now_s, uint32_t keep_s)
{
	return ts < now_s && (uint64_t)now_s - (uint64_t)ts > keep_s;
}

/* ts > now + window_s, likewise. */
static bool
too_new(int64_t ts, int64_t now_s, uint32_t window_s)
{
	return ts > now_s && (uint64_t)ts - (uint64_t)now_s > window_s;
}

void
replay_expire(struct replay *r, int64_t now_s)
{
	uint32_t s, next;

	for (s = htab_oldest(r->h); s != HTAB_NONE; s = next) {
		next = htab_next(r->h, s);
		if (too_old(*ts_of(r, s), now_s, REPLAY_KEEP_S))
			htab_remove(r->h, s);
	}
}

size_t
replay_count(const struct replay *r)
{
	return htab_count(r->h);
}

const char *
replay_strerror(enum replay_err e)
{
	switch (e) {
	case REPLAY_OK:
		return "ok";
	case REPLAY_E_HEADER:
		return "no valid header (not a replay cache, or zeroed)";
	case REPLAY_E_FULL:
		return "more live records than the cache holds";
	case REPLAY_E_CHECKSUM:
		return "records with a wrong checksum";
	case REPLAY_E_TORN:
		return "ends inside a record (torn write)";
	}
	return "unknown error";
}

static void
checksum(const uint8_t *p, size_t len, uint8_t out[static REPLAY_CHECK_LEN])
{
	uint8_t h[crypto_generichash_BYTES_MIN];

	crypto_generichash(h, sizeof h, p, len, NULL, 0);
	memcpy(out, h, REPLAY_CHECK_LEN);
}

static bool
checksum_ok(const uint8_t *p, size_t len)
{
	uint8_t c[REPLAY_CHECK_LEN];

	checksum(p, len, c);
	return memcmp(c, p + len, sizeof c) == 0;
}

void
replay_encode_hdr(uint8_t hdr[static REPLAY_HDR_LEN])
{
	memset(hdr, 0, REPLAY_HDR_LEN);
	memcpy(hdr, REPLAY_MAGIC, REPLAY_MAGIC_LEN);
	checksum(hdr, HDR_CHECK_OFF, hdr + HDR_CHECK_OFF);
}

static bool
hdr_ok(const uint8_t *buf, size_t buf_len)
{
	static const uint8_t zero[HDR_CHECK_OFF - REPLAY_MAGIC_LEN];

	return buf_len >= REPLAY_HDR_LEN &&
	    memcmp(buf, REPLAY_MAGIC, REPLAY_MAGIC_LEN) == 0 &&
	    memcmp(buf + REPLAY_MAGIC_LEN, zero, sizeof zero) == 0 &&
	    checksum_ok(buf, HDR_CHECK_OFF);
}

void
replay_encode_rec(const uint8_t nonce[static TOK_NONCE_LEN], int64_t ts,
    uint8_t rec[static REPLAY_REC_LEN])
{
	memcpy(rec, nonce, TOK_NONCE_LEN);
	store_be64(rec + REC_TS_OFF, (uint64_t)ts);
	checksum(rec, REC_CHECK_OFF, rec + REC_CHECK_OFF);
}

/* One record into ${r}, counted in ${st}. */
static void
decode_rec(const uint8_t *rec, struct replay *r, int64_t now_s,
    uint32_t window_s, struct replay_load *st)
{
	static const uint8_t zero[REPLAY_REC_LEN];
	/* two's complement, as every target does */
	int64_t ts = (int64_t)load_be64(rec + REC_TS_OFF);

	if (memcmp(rec, zero, sizeof zero) == 0)
		st->empty++;
	else if (!checksum_ok(rec, REC_CHECK_OFF))
		st->bad++;
	else if (too_old(ts, now_s, REPLAY_KEEP_S))
		st->old++;
	else if (too_new(ts, now_s, window_s))
		st->future++;
	else if (replay_seen(r, rec))
		st->dup++;
	else if (!replay_add(r, rec, ts))
		st->left++;
	else
		st->added++;
}

enum replay_err
replay_decode(const uint8_t *buf, size_t buf_len, struct replay *r,
    int64_t now_s, uint32_t window_s, struct replay_load *st)
{
	size_t off;

	memset(st, 0, sizeof *st);
	if (!hdr_ok(buf, buf_len))
		return REPLAY_E_HEADER;
	for (off = REPLAY_HDR_LEN; buf_len - off >= REPLAY_REC_LEN;
	    off += REPLAY_REC_LEN) {
		st->records++;
		decode_rec(buf + off, r, now_s, window_s, st);
	}
	st->torn = off != buf_len;
	if (st->left > 0)
		return REPLAY_E_FULL;
	if (st->bad > 0)
		return REPLAY_E_CHECKSUM;
	return st->torn ? REPLAY_E_TORN : REPLAY_OK;
}

size_t
replay_image_len(const struct replay *r)
{
	return REPLAY_HDR_LEN + replay_count(r) * REPLAY_REC_LEN;
}

size_t
replay_encode(const struct replay *r, uint8_t *buf, size_t buf_cap)
{
	size_t off = REPLAY_HDR_LEN;
	uint32_t s;

	if (buf_cap < REPLAY_HDR_LEN ||
	    (buf_cap - REPLAY_HDR_LEN) / REPLAY_REC_LEN < replay_count(r))
		return 0;
	replay_encode_hdr(buf);
	for (s = htab_oldest(r->h); s != HTAB_NONE; s = htab_next(r->h, s)) {
		replay_encode_rec(htab_key(r->h, s), *ts_of(r, s), buf + off);
		off += REPLAY_REC_LEN;
	}
	return off;
}
