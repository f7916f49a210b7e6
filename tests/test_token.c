/* test_token.c: tok_* build, MAC check, open, and every rejection path. */
#include <check.h>
#include <stdint.h>
#include <string.h>

#include <sodium.h>

#include "key.h"
#include "token.h"
#include "check_main.h"

#define NOW	1764000000	/* a fixed "now" for the fixture token */
#define WINDOW	60

static const char door_ssh[] = "ssh";

/* fixture_key(seed): subkeys of the master key seed, seed+1, ... */
static struct sk_key *
fixture_key(uint8_t seed)
{
	uint8_t master[SK_KEY_LEN];
	struct sk_key *k = key_new();

	ck_assert_ptr_nonnull(k);
	for (size_t i = 0; i < sizeof master; i++)
		master[i] = (uint8_t)(seed + i);
	key_derive(master, k);
	return k;
}

static void
fixture_req(struct tok_req *r, int64_t ts)
{
	memset(r, 0, sizeof *r);
	r->port = 2222;
	r->proto = SK_PROTO_TCP;
	r->timestamp = ts;
	r->allow.b[10] = 0xff;
	r->allow.b[11] = 0xff;
	r->allow.b[12] = 192;
	r->allow.b[15] = 7;
}

static void
fixture_nonce(uint8_t nonce[static TOK_NONCE_LEN])
{
	for (size_t i = 0; i < TOK_NONCE_LEN; i++)
		nonce[i] = (uint8_t)(0x40 + i);
}

/* fixture_token(k, door, ts, pkt): a valid token made by tok_build. */
static void
fixture_token(const struct sk_key *k, const char *door, int64_t ts,
    uint8_t pkt[static TOK_WIRE_LEN])
{
	uint8_t nonce[TOK_NONCE_LEN];
	struct tok_req r;

	fixture_nonce(nonce);
	fixture_req(&r, ts);
	ck_assert_int_eq(tok_build(k, door, nonce, &r, pkt), TOK_OK);
}

/*
 * seal_crafted(k, door, plain, pkt): a token around any plaintext, made
 * here straight from DESIGN.md (not with token.c), with a valid MAC.
 */
static void
seal_crafted(const struct sk_key *k, const char *door,
    const uint8_t plain[static TOK_PLAIN_LEN], uint8_t pkt[static TOK_WIRE_LEN])
{
	crypto_auth_hmacsha256_state st;
	static const uint8_t zero = 0;

	fixture_nonce(pkt + TOK_NONCE_OFF);
	crypto_stream_xchacha20_xor(pkt + TOK_SEALED_OFF, plain, TOK_PLAIN_LEN,
	    pkt + TOK_NONCE_OFF, k->enc);
	crypto_auth_hmacsha256_init(&st, k->mac, SK_KEY_LEN);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)"sknock v1", 9);
	crypto_auth_hmacsha256_update(&st, (const uint8_t *)door,
	    strlen(door));
	crypto_auth_hmacsha256_update(&st, &zero, 1);
	crypto_auth_hmacsha256_update(&st, pkt, TOK_NONCE_LEN + TOK_SEALED_LEN);
	crypto_auth_hmacsha256_final(&st, pkt + TOK_MAC_OFF);
}

/* good_plain(plain): the v1 plaintext of fixture_req at NOW. */
static void
good_plain(uint8_t plain[static TOK_PLAIN_LEN])
{
	struct tok_req r;

	fixture_req(&r, NOW);
	tok_plain_encode(&r, plain);
}

/* verify_at(pkt, len, k, door, now): tok_verify, checking ${out} is
 * left alone on any error. */
static enum tok_err
verify_at(const uint8_t *pkt, size_t len, const struct sk_key *k,
    const char *door, int64_t now)
{
	struct tok_req r, before;
	enum tok_err e;

	memset(&r, 0xa5, sizeof r);
	before = r;
	e = tok_verify(pkt, len, k, door, now, WINDOW, &r);
	if (e != TOK_OK)
		ck_assert_mem_eq(&r, &before, sizeof r);
	return e;
}

START_TEST(valid_token_verifies)
{
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_req r, want;

	fixture_token(k, door_ssh, NOW, pkt);
	fixture_req(&want, NOW);
	ck_assert_int_eq(tok_check_mac(pkt, sizeof pkt, k, door_ssh), TOK_OK);
	ck_assert_int_eq(tok_verify(pkt, sizeof pkt, k, door_ssh, NOW, WINDOW,
	    &r), TOK_OK);
	ck_assert_uint_eq(r.port, want.port);
	ck_assert_uint_eq(r.proto, want.proto);
	ck_assert_int_eq(r.timestamp, want.timestamp);
	ck_assert_mem_eq(r.allow.b, want.allow.b, sizeof r.allow.b);
	key_free(k);
}
END_TEST

START_TEST(nonce_is_copied_and_changes_everything)
{
	uint8_t a[TOK_WIRE_LEN], b[TOK_WIRE_LEN], nonce[TOK_NONCE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;

	fixture_req(&r, NOW);
	fixture_nonce(nonce);
	ck_assert_int_eq(tok_build(k, door_ssh, nonce, &r, a), TOK_OK);
	ck_assert_mem_eq(a + TOK_NONCE_OFF, nonce, TOK_NONCE_LEN);
	nonce[0] ^= 1;
	ck_assert_int_eq(tok_build(k, door_ssh, nonce, &r, b), TOK_OK);
	ck_assert_mem_eq(b + TOK_NONCE_OFF, nonce, TOK_NONCE_LEN);
	ck_assert_mem_ne(a + TOK_SEALED_OFF, b + TOK_SEALED_OFF,
	    TOK_SEALED_LEN);
	ck_assert_mem_ne(a + TOK_MAC_OFF, b + TOK_MAC_OFF, TOK_MAC_LEN);
	key_free(k);
}
END_TEST

START_TEST(length_exact_short_long)
{
	uint8_t pkt[TOK_WIRE_LEN + 1];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;

	fixture_token(k, door_ssh, NOW, pkt);
	pkt[TOK_WIRE_LEN] = 0;
	ck_assert_int_eq(verify_at(pkt, TOK_WIRE_LEN, k, door_ssh, NOW),
	    TOK_OK);
	ck_assert_int_eq(verify_at(pkt, TOK_WIRE_LEN - 1, k, door_ssh, NOW),
	    TOK_E_LENGTH);
	ck_assert_int_eq(verify_at(pkt, TOK_WIRE_LEN + 1, k, door_ssh, NOW),
	    TOK_E_LENGTH);
	ck_assert_int_eq(verify_at(pkt, 0, k, door_ssh, NOW), TOK_E_LENGTH);
	ck_assert_int_eq(verify_at(NULL, 0, k, door_ssh, NOW), TOK_E_LENGTH);
	ck_assert_int_eq(tok_check_mac(pkt, TOK_WIRE_LEN - 1, k, door_ssh),
	    TOK_E_LENGTH);
	ck_assert_int_eq(tok_check_mac(pkt, TOK_WIRE_LEN + 1, k, door_ssh),
	    TOK_E_LENGTH);
	ck_assert_int_eq(tok_open(pkt, TOK_WIRE_LEN - 1, k, NOW, WINDOW, &r),
	    TOK_E_LENGTH);
	ck_assert_int_eq(tok_open(pkt, TOK_WIRE_LEN + 1, k, NOW, WINDOW, &r),
	    TOK_E_LENGTH);
	key_free(k);
}
END_TEST

START_TEST(every_bit_flip_rejected)
{
	uint8_t pkt[TOK_WIRE_LEN], bad[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);

	fixture_token(k, door_ssh, NOW, pkt);
	for (size_t bit = 0; bit < TOK_WIRE_LEN * 8; bit++) {
		memcpy(bad, pkt, sizeof bad);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_msg(verify_at(bad, sizeof bad, k, door_ssh, NOW) ==
		    TOK_E_MAC, "bit %zu flipped was not a MAC failure", bit);
		ck_assert_int_eq(tok_check_mac(bad, sizeof bad, k, door_ssh),
		    TOK_E_MAC);
	}
	key_free(k);
}
END_TEST

START_TEST(wrong_door_rejected)
{
	static const char *const doors[] = { "SSH", "ssh ", " ssh", "sshd",
	    "ss", "s", "web" };
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);

	fixture_token(k, door_ssh, NOW, pkt);
	for (size_t i = 0; i < sizeof doors / sizeof doors[0]; i++)
		ck_assert_msg(verify_at(pkt, sizeof pkt, k, doors[i], NOW) ==
		    TOK_E_MAC, "door \"%s\" accepted", doors[i]);
	key_free(k);
}
END_TEST

START_TEST(door_names_bounded)
{
	char longest[TOK_DOOR_MAX + 1], too_long[TOK_DOOR_MAX + 2];
	uint8_t pkt[TOK_WIRE_LEN], nonce[TOK_NONCE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;

	memset(longest, 'd', TOK_DOOR_MAX);
	longest[TOK_DOOR_MAX] = '\0';
	memset(too_long, 'd', TOK_DOOR_MAX + 1);
	too_long[TOK_DOOR_MAX + 1] = '\0';
	fixture_nonce(nonce);
	fixture_req(&r, NOW);
	ck_assert_int_eq(tok_build(k, "", nonce, &r, pkt), TOK_E_DOOR);
	ck_assert_int_eq(tok_build(k, NULL, nonce, &r, pkt), TOK_E_DOOR);
	ck_assert_int_eq(tok_build(k, too_long, nonce, &r, pkt), TOK_E_DOOR);
	ck_assert_int_eq(tok_build(k, longest, nonce, &r, pkt), TOK_OK);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, longest, NOW), TOK_OK);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, too_long, NOW),
	    TOK_E_DOOR);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, "", NOW), TOK_E_DOOR);
	ck_assert_int_eq(tok_check_mac(pkt, sizeof pkt, k, NULL), TOK_E_DOOR);
	key_free(k);
}
END_TEST

/* A prepared key says what tok_check_mac says, token after token. */
START_TEST(prepared_key_agrees)
{
	char longest[TOK_DOOR_MAX + 1];
	uint8_t pkt[TOK_WIRE_LEN], bad[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_mac_key *m = sodium_malloc(sizeof *m), *o;

	o = sodium_malloc(sizeof *o);
	ck_assert_ptr_nonnull(m);
	ck_assert_ptr_nonnull(o);
	fixture_token(k, door_ssh, NOW, pkt);
	ck_assert_int_eq(tok_mac_prepare(m, k, door_ssh), TOK_OK);
	ck_assert_int_eq(tok_mac_prepare(o, k, "sshd"), TOK_OK);
	for (size_t bit = 0; bit < TOK_WIRE_LEN * 8; bit++) {
		memcpy(bad, pkt, sizeof bad);
		bad[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		ck_assert_int_eq(tok_check_mac_prepared(bad, sizeof bad, m),
		    TOK_E_MAC);
		/* A check leaves the state as it was for the next token. */
		ck_assert_int_eq(tok_check_mac_prepared(pkt, sizeof pkt, m),
		    TOK_OK);
	}
	ck_assert_int_eq(tok_check_mac_prepared(pkt, sizeof pkt, o), TOK_E_MAC);
	ck_assert_int_eq(tok_check_mac_prepared(pkt, sizeof pkt - 1, m),
	    TOK_E_LENGTH);
	ck_assert_int_eq(tok_check_mac_prepared(NULL, sizeof pkt, m),
	    TOK_E_LENGTH);
	ck_assert_int_eq(tok_mac_prepare(o, k, ""), TOK_E_DOOR);
	/* A prefix longer than one SHA-256 block (10 + 63 bytes). */
	memset(longest, 'd', TOK_DOOR_MAX);
	longest[TOK_DOOR_MAX] = '\0';
	fixture_token(k, longest, NOW, pkt);
	ck_assert_int_eq(tok_mac_prepare(o, k, longest), TOK_OK);
	ck_assert_int_eq(tok_check_mac_prepared(pkt, sizeof pkt, o), TOK_OK);
	ck_assert_int_eq(tok_check_mac_prepared(pkt, sizeof pkt, m), TOK_E_MAC);
	sodium_free(o);
	sodium_free(m);
	key_free(k);
}
END_TEST

START_TEST(wrong_key_rejected)
{
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1), *other = fixture_key(2);
	struct sk_key *mixed = key_new();

	fixture_token(k, door_ssh, NOW, pkt);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, other, door_ssh, NOW),
	    TOK_E_MAC);
	/* The right k_enc does not help without the right k_mac. */
	ck_assert_ptr_nonnull(mixed);
	memcpy(mixed->mac, other->mac, SK_KEY_LEN);
	memcpy(mixed->enc, k->enc, SK_KEY_LEN);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, mixed, door_ssh, NOW),
	    TOK_E_MAC);
	key_free(mixed);
	key_free(other);
	key_free(k);
}
END_TEST

/* Window edges: exactly window away is accepted, one more second is not. */
START_TEST(window_edges)
{
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);

	fixture_token(k, door_ssh, NOW, pkt);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh,
	    NOW + WINDOW), TOK_OK);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh,
	    NOW + WINDOW + 1), TOK_E_STALE);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh,
	    NOW - WINDOW), TOK_OK);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh,
	    NOW - WINDOW - 1), TOK_E_FUTURE);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, NOW + 86400),
	    TOK_E_STALE);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, 0),
	    TOK_E_FUTURE);
	key_free(k);
}
END_TEST

START_TEST(window_zero_and_extremes)
{
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;

	fixture_token(k, door_ssh, NOW, pkt);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, NOW, 0, &r), TOK_OK);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, NOW + 1, 0, &r),
	    TOK_E_STALE);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, NOW - 1, 0, &r),
	    TOK_E_FUTURE);
	/* Far-apart values must not overflow (UBSan watches this). */
	fixture_token(k, door_ssh, INT64_MIN, pkt);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, INT64_MAX, UINT32_MAX,
	    &r), TOK_E_STALE);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, INT64_MIN, 0, &r),
	    TOK_OK);
	ck_assert_int_eq(r.timestamp, INT64_MIN);
	fixture_token(k, door_ssh, INT64_MAX, pkt);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, INT64_MIN, UINT32_MAX,
	    &r), TOK_E_FUTURE);
	fixture_token(k, door_ssh, -1, pkt);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, 0, 1, &r), TOK_OK);
	ck_assert_int_eq(r.timestamp, -1);
	key_free(k);
}
END_TEST

/* crafted_byte(k, off, val): verify a token whose plaintext byte ${off}
 * is ${val}, everything else good and the MAC valid. */
static enum tok_err
crafted_byte(const struct sk_key *k, size_t off, uint8_t val)
{
	uint8_t plain[TOK_PLAIN_LEN], pkt[TOK_WIRE_LEN];

	good_plain(plain);
	plain[off] = val;
	seal_crafted(k, door_ssh, plain, pkt);
	return verify_at(pkt, sizeof pkt, k, door_ssh, NOW);
}

START_TEST(wrong_version_rejected)
{
	static const uint8_t versions[] = { 0, 2, 0x81, 0xff };
	struct sk_key *k = fixture_key(1);

	/* The crafted path itself must give a good token when unmodified. */
	ck_assert_int_eq(crafted_byte(k, TOK_P_VERSION, TOK_VERSION), TOK_OK);
	for (size_t i = 0; i < sizeof versions; i++)
		ck_assert_int_eq(crafted_byte(k, TOK_P_VERSION, versions[i]),
		    TOK_E_VERSION);
	key_free(k);
}
END_TEST

/* Flags (1 byte) and reserved (3 bytes): every single bit set is refused. */
START_TEST(nonzero_flags_and_reserved_rejected)
{
	static const size_t offs[] = { TOK_P_FLAGS, TOK_P_RESERVED,
	    TOK_P_RESERVED + 1, TOK_P_RESERVED + 2 };
	struct sk_key *k = fixture_key(1);

	for (size_t i = 0; i < sizeof offs / sizeof offs[0]; i++)
		for (unsigned bit = 0; bit < 8; bit++)
			ck_assert_msg(crafted_byte(k, offs[i],
			    (uint8_t)(1u << bit)) == TOK_E_RESERVED,
			    "plain[%zu] bit %u accepted", offs[i], bit);
	key_free(k);
}
END_TEST

START_TEST(checks_run_in_order)
{
	uint8_t plain[TOK_PLAIN_LEN], pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);

	/* Bad version, flags and a stale time: the version is named. */
	good_plain(plain);
	plain[TOK_P_VERSION] = 2;
	plain[TOK_P_FLAGS] = 1;
	seal_crafted(k, door_ssh, plain, pkt);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, NOW + 1000),
	    TOK_E_VERSION);
	/* Reserved bytes come before the window. */
	good_plain(plain);
	plain[TOK_P_RESERVED + 2] = 1;
	seal_crafted(k, door_ssh, plain, pkt);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, NOW + 1000),
	    TOK_E_RESERVED);
	/* A bad MAC is reported before anything inside. */
	pkt[TOK_MAC_OFF] ^= 0x80;
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, NOW + 1000),
	    TOK_E_MAC);
	key_free(k);
}
END_TEST

START_TEST(open_does_not_check_mac)
{
	uint8_t pkt[TOK_WIRE_LEN];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;

	fixture_token(k, door_ssh, NOW, pkt);
	memset(pkt + TOK_MAC_OFF, 0, TOK_MAC_LEN);
	ck_assert_int_eq(tok_open(pkt, sizeof pkt, k, NOW, WINDOW, &r), TOK_OK);
	ck_assert_uint_eq(r.port, 2222);
	ck_assert_int_eq(verify_at(pkt, sizeof pkt, k, door_ssh, NOW),
	    TOK_E_MAC);
	key_free(k);
}
END_TEST

START_TEST(open_on_garbage_does_not_crash)
{
	uint8_t buf[TOK_WIRE_LEN * 2];
	struct sk_key *k = fixture_key(1);
	struct tok_req r;
	enum tok_err e;

	for (int round = 0; round < 2000; round++) {
		if (round == 0)
			memset(buf, 0, sizeof buf);
		else if (round == 1)
			memset(buf, 0xff, sizeof buf);
		else
			randombytes_buf(buf, sizeof buf);
		size_t len = (size_t)round % (sizeof buf + 1);
		if (round % 2 == 0)
			len = TOK_WIRE_LEN;
		e = tok_open(buf, len, k, NOW, WINDOW, &r);
		ck_assert_int_le(e, TOK_E_FUTURE);
		if (len != TOK_WIRE_LEN)
			ck_assert_int_eq(e, TOK_E_LENGTH);
		e = tok_verify(buf, len, k, door_ssh, NOW, WINDOW, &r);
		ck_assert_int_eq(e, len == TOK_WIRE_LEN ? TOK_E_MAC :
		    TOK_E_LENGTH);
	}
	key_free(k);
}
END_TEST

START_TEST(plain_layout)
{
	uint8_t plain[TOK_PLAIN_LEN];
	struct tok_req r, back;

	memset(&r, 0, sizeof r);
	r.port = 0x1234;
	r.proto = SK_PROTO_UDP;
	r.timestamp = 0x0102030405060708;
	memset(r.allow.b, 0xee, sizeof r.allow.b);
	tok_plain_encode(&r, plain);
	ck_assert_uint_eq(plain[TOK_P_VERSION], 1);
	ck_assert_uint_eq(plain[TOK_P_FLAGS], 0);
	ck_assert_uint_eq(plain[TOK_P_PORT], 0x12);
	ck_assert_uint_eq(plain[TOK_P_PORT + 1], 0x34);
	ck_assert_uint_eq(plain[TOK_P_PROTO], 17);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(plain[TOK_P_RESERVED + i], 0);
	for (int i = 0; i < 8; i++)
		ck_assert_uint_eq(plain[TOK_P_TIME + i], (unsigned)(i + 1));
	for (int i = 0; i < 16; i++)
		ck_assert_uint_eq(plain[TOK_P_ALLOW + i], 0xee);
	ck_assert_int_eq(tok_plain_decode(plain, &back), TOK_OK);
	ck_assert_uint_eq(back.port, r.port);
	ck_assert_uint_eq(back.proto, r.proto);
	ck_assert_int_eq(back.timestamp, r.timestamp);
	ck_assert_mem_eq(back.allow.b, r.allow.b, sizeof r.allow.b);
	r.timestamp = -2;
	tok_plain_encode(&r, plain);
	ck_assert_uint_eq(plain[TOK_P_TIME], 0xff);
	ck_assert_uint_eq(plain[TOK_P_TIME + 7], 0xfe);
	ck_assert_int_eq(tok_plain_decode(plain, &back), TOK_OK);
	ck_assert_int_eq(back.timestamp, -2);
}
END_TEST

START_TEST(strerror_names_every_error)
{
	for (int e = TOK_OK; e <= TOK_E_FUTURE; e++) {
		const char *s = tok_strerror((enum tok_err)e);

		ck_assert_ptr_nonnull(s);
		ck_assert_uint_gt(strlen(s), 1);
		ck_assert_str_ne(s, "unknown token error");
		for (int f = TOK_OK; f < e; f++)
			ck_assert_str_ne(s, tok_strerror((enum tok_err)f));
	}
}
END_TEST

int
main(void)
{
	TCase *ok = tcase_create("build"), *bad = tcase_create("reject");

	tcase_add_test(ok, valid_token_verifies);
	tcase_add_test(ok, nonce_is_copied_and_changes_everything);
	tcase_add_test(ok, plain_layout);
	tcase_add_test(ok, strerror_names_every_error);
	tcase_add_test(bad, length_exact_short_long);
	tcase_add_test(bad, every_bit_flip_rejected);
	tcase_add_test(bad, wrong_door_rejected);
	tcase_add_test(bad, prepared_key_agrees);
	tcase_add_test(bad, door_names_bounded);
	tcase_add_test(bad, wrong_key_rejected);
	tcase_add_test(bad, window_edges);
	tcase_add_test(bad, window_zero_and_extremes);
	tcase_add_test(bad, wrong_version_rejected);
	tcase_add_test(bad, nonzero_flags_and_reserved_rejected);
	tcase_add_test(bad, checks_run_in_order);
	tcase_add_test(bad, open_does_not_check_mac);
	tcase_add_test(bad, open_on_garbage_does_not_crash);
	return check_run_cases("token", (TCase *[]){ ok, bad }, 2);
}
