/* token.c: the 88-byte signed, encrypted knock token, wire protocol v1. */
#include <string.h>

#include <sodium.h>

#include "bytes.h"
#include "token.h"

#define TOK_DOMAIN_LEN	(sizeof TOK_DOMAIN - 1)	/* no NUL on the wire */
/* "sknock v1" || door || 0x00 || nonce || sealed, at its longest. */
#define TOK_MAC_MSG_MAX	\
	(TOK_DOMAIN_LEN + TOK_DOOR_MAX + 1 + TOK_NONCE_LEN + TOK_SEALED_LEN)

_Static_assert(TOK_NONCE_LEN == crypto_stream_xchacha20_NONCEBYTES,
    "nonce is an XChaCha20 nonce");
_Static_assert(SK_KEY_LEN == crypto_stream_xchacha20_KEYBYTES,
    "k_enc is an XChaCha20 key");
_Static_assert(SK_KEY_LEN == crypto_auth_hmacsha256_KEYBYTES,
    "k_mac is an HMAC-SHA-256 key");
_Static_assert(TOK_MAC_LEN == crypto_auth_hmacsha256_BYTES,
    "mac is a full HMAC-SHA-256");
_Static_assert(TOK_SEALED_LEN == TOK_PLAIN_LEN, "a stream cipher");
_Static_assert(TOK_MAC_OFF + TOK_MAC_LEN == TOK_WIRE_LEN, "layout");

const char *
tok_strerror(enum tok_err e)
{
	switch (e) {
	case TOK_OK:
		return "ok";
	case TOK_E_LENGTH:
		return "token is not 88 bytes";
	case TOK_E_DOOR:
		return "door name is empty or longer than 63 bytes";
	case TOK_E_MAC:
		return "bad MAC (wrong key or door, or tampered)";
	case TOK_E_VERSION:
		return "unknown token version";
	case TOK_E_RESERVED:
		return "flags or reserved bytes not zero";
	case TOK_E_STALE:
		return "timestamp too old (check the client's clock)";
	case TOK_E_FUTURE:
		return "timestamp in the future (check the client's clock)";
	}
	return "unknown token error";
}

void
tok_plain_encode(const struct tok_req *r, uint8_t plain[static TOK_PLAIN_LEN])
{
	memset(plain, 0, TOK_PLAIN_LEN);
	plain[TOK_P_VERSION] = TOK_VERSION;
	store_be16(plain + TOK_P_PORT, r->port);
	plain[TOK_P_PROTO] = r->proto;
	store_be64(plain + TOK_P_TIME, (uint64_t)r->timestamp);
	memcpy(plain + TOK_P_ALLOW, r->allow.b, sizeof r->allow.b);
}

enum tok_err
tok_plain_decode(const uint8_t plain[static TOK_PLAIN_LEN],
    struct tok_req *out)
{
	uint64_t ts;

	if (plain[TOK_P_VERSION] != TOK_VERSION)
		return TOK_E_VERSION;
	if ((plain[TOK_P_FLAGS] | plain[TOK_P_RESERVED] |
	    plain[TOK_P_RESERVED + 1] | plain[TOK_P_RESERVED + 2]) != 0)
		return TOK_E_RESERVED;
	out->port = load_be16(plain + TOK_P_PORT);
	out->proto = plain[TOK_P_PROTO];
	ts = load_be64(plain + TOK_P_TIME);
	/* Two's complement read of a big-endian signed field. */
	memcpy(&out->timestamp, &ts, sizeof ts);
	memcpy(out->allow.b, plain + TOK_P_ALLOW, sizeof out->allow.b);
	return TOK_OK;
}

/* door_len(door, len): byte length of a usable door name. */
static enum tok_err
door_len(const char *door, size_t *len)
{
	size_t n;

	if (door == NULL)
		return TOK_E_DOOR;
	n = strnlen(door, TOK_DOOR_MAX + 1);
	if (n == 0 || n > TOK_DOOR_MAX)
		return TOK_E_DOOR;
	*len = n;
	return TOK_OK;
}

/*
 * mac_msg(door, door_n, pkt, msg): lay out the MAC input, "sknock v1" ||
 * door || 0x00 || nonce || sealed, from the first 56 bytes of ${pkt}.
 * Returns its length (at most TOK_MAC_MSG_MAX).  Nothing in it is secret.
 */
static size_t
mac_msg(const char *door, size_t door_n, const uint8_t *pkt,
    uint8_t msg[static TOK_MAC_MSG_MAX])
{
	size_t off = 0;

	memcpy(msg + off, TOK_DOMAIN, TOK_DOMAIN_LEN);
	off += TOK_DOMAIN_LEN;
	memcpy(msg + off, door, door_n);
	off += door_n;
	msg[off++] = 0x00;
	memcpy(msg + off, pkt + TOK_NONCE_OFF, TOK_NONCE_LEN + TOK_SEALED_LEN);
	return off + TOK_NONCE_LEN + TOK_SEALED_LEN;
}

enum tok_err
tok_build(const struct sk_key *k, const char *door,
    const uint8_t nonce[static TOK_NONCE_LEN], const struct tok_req *r,
    uint8_t out[static TOK_WIRE_LEN])
{
	uint8_t plain[TOK_PLAIN_LEN];
	uint8_t msg[TOK_MAC_MSG_MAX];
	size_t door_n = 0, msg_len;
	enum tok_err err;

	if ((err = door_len(door, &door_n)) != TOK_OK)
		return err;
	tok_plain_encode(r, plain);
	memcpy(out + TOK_NONCE_OFF, nonce, TOK_NONCE_LEN);
	crypto_stream_xchacha20_xor(out + TOK_SEALED_OFF, plain, TOK_PLAIN_LEN,
	    out + TOK_NONCE_OFF, k->enc);
	msg_len = mac_msg(door, door_n, out, msg);
	crypto_auth_hmacsha256(out + TOK_MAC_OFF, msg, msg_len, k->mac);
	sodium_memzero(plain, sizeof plain);
	return TOK_OK;
}

enum tok_err
tok_mac_prepare(struct tok_mac_key *m, const struct sk_key *k,
    const char *door)
{
	static const uint8_t zero = 0x00;
	size_t door_n = 0;
	enum tok_err err;

	if ((err = door_len(door, &door_n)) != TOK_OK)
		return err;
	crypto_auth_hmacsha256_init(&m->st, k->mac, SK_KEY_LEN);
	crypto_auth_hmacsha256_update(&m->st, (const uint8_t *)TOK_DOMAIN,
	    TOK_DOMAIN_LEN);
	crypto_auth_hmacsha256_update(&m->st, (const uint8_t *)door, door_n);
	crypto_auth_hmacsha256_update(&m->st, &zero, 1);
	return TOK_OK;
}

enum tok_err
tok_check_mac_prepared(const uint8_t *pkt, size_t pkt_len,
    const struct tok_mac_key *m)
{
	crypto_auth_hmacsha256_state st;
	uint8_t mac[TOK_MAC_LEN];
	int bad;

	if (pkt == NULL || pkt_len != TOK_WIRE_LEN)
		return TOK_E_LENGTH;
	st = m->st;
	crypto_auth_hmacsha256_update(&st, pkt + TOK_NONCE_OFF,
	    TOK_NONCE_LEN + TOK_SEALED_LEN);
	crypto_auth_hmacsha256_final(&st, mac);
	/* Constant time: the comparison leaks nothing about the MAC. */
	bad = crypto_verify_32(mac, pkt + TOK_MAC_OFF);
	/* The state is as good as the key; the MAC forges this token. */
	sodium_memzero(&st, sizeof st);
	sodium_memzero(mac, sizeof mac);
	return bad != 0 ? TOK_E_MAC : TOK_OK;
}

enum tok_err
tok_check_mac(const uint8_t *pkt, size_t pkt_len, const struct sk_key *k,
    const char *door)
{
	struct tok_mac_key m;
	enum tok_err err;

	if (pkt == NULL || pkt_len != TOK_WIRE_LEN)
		return TOK_E_LENGTH;
	if ((err = tok_mac_prepare(&m, k, door)) != TOK_OK)
		return err;
	err = tok_check_mac_prepared(pkt, pkt_len, &m);
	sodium_memzero(&m, sizeof m);
	return err;
}

/* check_window(ts, now_s, window_s): |now - ts| <= window, no overflow. */
static enum tok_err
check_window(int64_t ts, int64_t now_s, uint32_t window_s)
{
	/* Unsigned differences are exact here: the true gap is < 2^64. */
	if (ts < now_s && (uint64_t)now_s - (uint64_t)ts > window_s)
		return TOK_E_STALE;
	if (ts > now_s && (uint64_t)ts - (uint64_t)now_s > window_s)
		return TOK_E_FUTURE;
	return TOK_OK;
}

enum tok_err
tok_open(const uint8_t *pkt, size_t pkt_len, const struct sk_key *k,
    int64_t now_s, uint32_t window_s, struct tok_req *out)
{
	uint8_t plain[TOK_PLAIN_LEN];
	struct tok_req r;
	enum tok_err err;

	if (pkt == NULL || pkt_len != TOK_WIRE_LEN)
		return TOK_E_LENGTH;
	crypto_stream_xchacha20_xor(plain, pkt + TOK_SEALED_OFF,
	    TOK_SEALED_LEN, pkt + TOK_NONCE_OFF, k->enc);
	if ((err = tok_plain_decode(plain, &r)) != TOK_OK)
		goto out;
	if ((err = check_window(r.timestamp, now_s, window_s)) != TOK_OK)
		goto out;
	*out = r;
out:
	sodium_memzero(plain, sizeof plain);
	sodium_memzero(&r, sizeof r);
	return err;
}

enum tok_err
tok_verify(const uint8_t *pkt, size_t pkt_len, const struct sk_key *k,
    const char *door, int64_t now_s, uint32_t window_s, struct tok_req *out)
{
	enum tok_err err;

	if ((err = tok_check_mac(pkt, pkt_len, k, door)) != TOK_OK)
		return err;
	return tok_open(pkt, pkt_len, k, now_s, window_s, out);
}
