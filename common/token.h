/* token.h: the 88-byte signed, encrypted knock token, wire protocol v1. */
#ifndef TOKEN_H
#define TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "addr.h"
#include "key.h"

#define TOK_NONCE_OFF	0
#define TOK_NONCE_LEN	24
#define TOK_SEALED_OFF	24
#define TOK_SEALED_LEN	32
#define TOK_MAC_OFF	56
#define TOK_MAC_LEN	32
#define TOK_WIRE_LEN	88
#define TOK_PLAIN_LEN	32
#define TOK_VERSION	1
#define TOK_DOMAIN	"sknock v1"
#define TOK_DOOR_MAX	(SK_NAME_MAX - 1)	/* bytes of a door name */

/* Plaintext offsets. */
#define TOK_P_VERSION	0
#define TOK_P_FLAGS	1
#define TOK_P_PORT	2
#define TOK_P_PROTO	4
#define TOK_P_RESERVED	5	/* 3 bytes */
#define TOK_P_TIME	8
#define TOK_P_ALLOW	16

/* What a token asks for. */
struct tok_req {
	uint16_t	port;		/* 0 = the door's first open entry */
	uint8_t		proto;		/* 6 or 17 (checked by the daemon) */
	int64_t		timestamp;	/* unix seconds */
	struct sk_addr	allow;		/* zero = the packet's source */
};

enum tok_err {
	TOK_OK,
	TOK_E_LENGTH,	/* payload is not TOK_WIRE_LEN bytes */
	TOK_E_DOOR,	/* door name empty or longer than TOK_DOOR_MAX */
	TOK_E_MAC,	/* MAC does not verify with this key and door */
	TOK_E_VERSION,	/* version byte is not TOK_VERSION */
	TOK_E_RESERVED,	/* flags or reserved bytes not zero */
	TOK_E_STALE,	/* timestamp older than now - window */
	TOK_E_FUTURE	/* timestamp newer than now + window */
};

const char *tok_strerror(enum tok_err e);

/* tok_plain_encode(r, plain): the 32-byte plaintext for ${r}. */
void tok_plain_encode(const struct tok_req *r,
    uint8_t plain[static TOK_PLAIN_LEN]);
/* tok_plain_decode(plain, out): checks version, flags and reserved. */
enum tok_err tok_plain_decode(const uint8_t plain[static TOK_PLAIN_LEN],
    struct tok_req *out);

/*
 * tok_build(k, door, nonce, r, out): seal ${r} under ${k} for ${door}
 * with the given nonce (the client passes random bytes; tests pass
 * known ones).  Errors: TOK_E_DOOR.
 */
enum tok_err tok_build(const struct sk_key *k, const char *door,
    const uint8_t nonce[static TOK_NONCE_LEN], const struct tok_req *r,
    uint8_t out[static TOK_WIRE_LEN]);

/*
 * tok_check_mac(pkt, pkt_len, k, door): constant-time HMAC check only.
 * Errors: TOK_E_LENGTH, TOK_E_DOOR, TOK_E_MAC.
 */
enum tok_err tok_check_mac(const uint8_t *pkt, size_t pkt_len,
    const struct sk_key *k, const char *door);

/*
 * A MAC key made ready for one door: the HMAC-SHA-256 state after the
 * key and the door's fixed prefix ("sknock v1" || door || 0x00), which
 * every token of that door starts with.  It is as secret as the key:
 * keep it in sodium_malloc memory and wipe it.
 */
struct tok_mac_key {
	crypto_auth_hmacsha256_state	st;
};

/* tok_mac_prepare(m, k, door): ${m} for ${k} and ${door}.  TOK_E_DOOR. */
enum tok_err tok_mac_prepare(struct tok_mac_key *m, const struct sk_key *k,
    const char *door);

/*
 * tok_check_mac_prepared(pkt, pkt_len, m): what tok_check_mac says for
 * the key and door ${m} was made for, at about half the cost (the key's
 * two blocks and the prefix are not hashed again); constant time.
 * Errors: TOK_E_LENGTH, TOK_E_MAC.
 */
enum tok_err tok_check_mac_prepared(const uint8_t *pkt, size_t pkt_len,
    const struct tok_mac_key *m);

/*
 * tok_open(pkt, pkt_len, k, now_s, window_s, out): decrypt and check
 * version, reserved bytes and |now - timestamp| <= window.  Does NOT
 * check the MAC: call tok_check_mac first (fuzzers call this alone).
 * ${out} is written only on TOK_OK.
 */
enum tok_err tok_open(const uint8_t *pkt, size_t pkt_len,
    const struct sk_key *k, int64_t now_s, uint32_t window_s,
    struct tok_req *out);

/* tok_verify(...): tok_check_mac, then tok_open; ${out} only on TOK_OK. */
enum tok_err tok_verify(const uint8_t *pkt, size_t pkt_len,
    const struct sk_key *k, const char *door, int64_t now_s,
    uint32_t window_s, struct tok_req *out);

#endif
