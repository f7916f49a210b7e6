/* replay.h: the set of nonces already accepted, with its file format. */
#ifndef REPLAY_H
#define REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "token.h"

/* File record: nonce (24) || timestamp (8, big-endian signed). */
#define REPLAY_REC_LEN	(TOK_NONCE_LEN + 8)

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
/* replay_expire(r, now_s, window_s): drop nonces with ts < now - window. */
void replay_expire(struct replay *r, int64_t now_s, uint32_t window_s);
size_t replay_count(const struct replay *r);

/* replay_encode_rec(nonce, ts, rec): one file record. */
void replay_encode_rec(const uint8_t nonce[static TOK_NONCE_LEN], int64_t ts,
    uint8_t rec[static REPLAY_REC_LEN]);
/*
 * replay_decode(buf, buf_len, r, now_s, window_s): add every record of a
 * file image that is still within the window; a trailing partial record
 * (torn write) is ignored, and so are duplicates; stops when ${r} is
 * full.  Returns the number of records added.
 */
size_t replay_decode(const uint8_t *buf, size_t buf_len, struct replay *r,
    int64_t now_s, uint32_t window_s);
/*
 * replay_encode(r, buf, buf_cap): write all live records; returns bytes
 * written, or 0 if buf_cap < replay_count(r) * REPLAY_REC_LEN.
 */
size_t replay_encode(const struct replay *r, uint8_t *buf, size_t buf_cap);

#endif
