/* replay.h: the set of nonces already accepted, with its file format. */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token.h"

/*
 * Nonces are kept until their timestamp is this much older than now:
 * the largest `window` the config allows, so neither a larger window
 * after a reload nor a restart after a compaction lets a token replay.
 */
#define REPLAY_KEEP_S	3600

/*
 * File image: one header, then records appended one at a time (each is
 * fsync'd on its own, so each carries its own checksum; a whole-file
 * one could not be appended to).  Checksums are the first 8 bytes of an
 * unkeyed BLAKE2b-128: they catch torn, zeroed and random files, not an
 * attacker (only the daemon's own user can write state_dir).
 *   header (32): magic "sknock replay v1" (16) || zero (8) || check (8)
 *   record (40): nonce (24) || timestamp (8, big-endian signed) || check (8)
 * A record of 40 zero bytes is a slot not used yet (the daemon makes
 * them ahead, so writing a record changes no file size).
 */
#define REPLAY_MAGIC		"sknock replay v1"
#define REPLAY_MAGIC_LEN	16
#define REPLAY_CHECK_LEN	8
#define REPLAY_HDR_LEN		32
#define REPLAY_REC_LEN		(TOK_NONCE_LEN + 8 + REPLAY_CHECK_LEN)

struct replay;

/* replay_new(cap): empty cache for at most ${cap} live nonces, or NULL. */
struct replay *replay_new(size_t cap);
void replay_free(struct replay *r);

bool replay_seen(const struct replay *r,
    const uint8_t nonce[static TOK_NONCE_LEN]);
/*
 * replay_add(r, nonce, ts): false when full (caller must refuse the
 * knock; nothing is ever evicted early).  A nonce already present stays
 * as it is and counts as added.
 */
bool replay_add(struct replay *r, const uint8_t nonce[static TOK_NONCE_LEN],
    int64_t ts);
/* replay_expire(r, now_s): drop nonces with ts < now - REPLAY_KEEP_S. */
void replay_expire(struct replay *r, int64_t now_s);
size_t replay_count(const struct replay *r);

/* What replay_decode found in a file image. */
struct replay_load {
	size_t	records;	/* whole records after the header */
	size_t	empty;		/* of them, zeroed slots not used yet */
	size_t	added;
	size_t	old;		/* older than REPLAY_KEEP_S: done with */
	size_t	future;		/* after now + window: garbage, dropped */
	size_t	bad;		/* checksum does not match */
	size_t	dup;
	size_t	left;		/* not loaded: the cache was full */
	bool	torn;		/* a partial record at the end */
};

/* Worst problem first; anything but REPLAY_OK means nonces may be lost. */
enum replay_err {
	REPLAY_OK,
	REPLAY_E_HEADER,	/* short, wrong magic, or header checksum */
	REPLAY_E_FULL,		/* more live records than the cache holds */
	REPLAY_E_CHECKSUM,	/* some records do not match their checksum */
	REPLAY_E_TORN		/* the image ends inside a record */
};

const char *replay_strerror(enum replay_err e);

/* replay_encode_hdr(hdr), replay_encode_rec(nonce, ts, rec): file parts. */
void replay_encode_hdr(uint8_t hdr[static REPLAY_HDR_LEN]);
void replay_encode_rec(const uint8_t nonce[static TOK_NONCE_LEN], int64_t ts,
    uint8_t rec[static REPLAY_REC_LEN]);
/*
 * replay_decode(buf, buf_len, r, now_s, window_s, st): check the header
 * (nothing is loaded without a good one), then add every record whose
 * checksum holds, younger than REPLAY_KEEP_S and not after now_s +
 * window_s (records from the future are garbage: no token accepted now
 * can carry such a timestamp).  Counts go to ${st}.
 */
enum replay_err replay_decode(const uint8_t *buf, size_t buf_len,
    struct replay *r, int64_t now_s, uint32_t window_s,
    struct replay_load *st);
/* replay_image_len(r): bytes replay_encode needs for ${r}. */
size_t replay_image_len(const struct replay *r);
/*
 * replay_encode(r, buf, buf_cap): the header and all live records;
 * returns bytes written, or 0 if buf_cap < replay_image_len(r).
 */
size_t replay_encode(const struct replay *r, uint8_t *buf, size_t buf_cap);

#endif
