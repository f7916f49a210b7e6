/*
 * test_derive.c: fleet key derivation (DESIGN.md, "Fleet keys") against
 * the independent vectors of tests/vectors/derive-v1.txt, both ways:
 * derived from the fleet key the server key is the vector's, and a token
 * sealed with either key verifies with the other and with no other name.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "derive.h"
#include "key.h"
#include "token.h"
#include "check_main.h"

#define VEC_FILE	"derive-v1.txt"
#define VEC_N		3
#define LINE_LEN	512

struct dvec {
	uint8_t	fleet[SK_KEY_LEN];
	char	name[SK_NAME_MAX];
	uint8_t	server[SK_KEY_LEN];
	int	fields;
};

static struct dvec vecs[VEC_N];

/* load_vectors(): parse the three blocks; each has its three fields. */
static void
load_vectors(void)
{
	char path[1024], line[LINE_LEN], field[64], value[LINE_LEN];
	const char *dir = getenv("SK_VECTORS");
	int n = -1;
	FILE *f;

	ck_assert_msg(dir != NULL, "SK_VECTORS is not set");
	snprintf(path, sizeof path, "%s/%s", dir, VEC_FILE);
	ck_assert_msg((f = fopen(path, "r")) != NULL, "%s: cannot open", path);
	memset(vecs, 0, sizeof vecs);
	while (fgets(line, sizeof line, f) != NULL) {
		if (sscanf(line, "%63s %511s", field, value) != 2 ||
		    field[0] == '#')
			continue;
		if (strcmp(field, "vector") == 0) {
			n++;
			ck_assert_int_lt(n, VEC_N);
		} else if (n >= 0 && strcmp(field, "fleet_key_b64") == 0) {
			ck_assert_int_eq(key_decode(value, strlen(value),
			    vecs[n].fleet), KEY_OK);
			vecs[n].fields |= 1;
		} else if (n >= 0 && strcmp(field, "name") == 0) {
			snprintf(vecs[n].name, sizeof vecs[n].name, "%s", value);
			vecs[n].fields |= 2;
		} else if (n >= 0 && strcmp(field, "server_key_b64") == 0) {
			ck_assert_int_eq(key_decode(value, strlen(value),
			    vecs[n].server), KEY_OK);
			vecs[n].fields |= 4;
		}
	}
	fclose(f);
	ck_assert_int_eq(n, VEC_N - 1);
	for (n = 0; n < VEC_N; n++)
		ck_assert_msg(vecs[n].fields == 7, "vector %d incomplete", n + 1);
}

START_TEST(derive_matches_vectors)
{
	uint8_t k[SK_KEY_LEN];

	load_vectors();
	for (int i = 0; i < VEC_N; i++) {
		ck_assert(derive_server_key(vecs[i].fleet, vecs[i].name, k));
		ck_assert_msg(memcmp(k, vecs[i].server, SK_KEY_LEN) == 0,
		    "vector %d (%s): derived key differs", i + 1,
		    vecs[i].name);
	}
}
END_TEST

/* seal(master, door, out): a token for port 22/tcp at t=1764000000. */
static void
seal(const uint8_t master[static SK_KEY_LEN], uint8_t out[TOK_WIRE_LEN])
{
	struct sk_key *k = key_new();
	struct tok_req r;
	uint8_t nonce[TOK_NONCE_LEN] = { 7 };

	ck_assert_ptr_nonnull(k);
	key_derive(master, k);
	memset(&r, 0, sizeof r);
	r.port = 22;
	r.proto = SK_PROTO_TCP;
	r.timestamp = 1764000000;
	ck_assert_int_eq(tok_build(k, "ssh", nonce, &r, out), TOK_OK);
	key_free(k);
}

/* opens(master, tok): does ${tok} verify under ${master}? */
static bool
opens(const uint8_t master[static SK_KEY_LEN], const uint8_t *tok)
{
	struct sk_key *k = key_new();
	struct tok_req r;
	enum tok_err e;

	ck_assert_ptr_nonnull(k);
	key_derive(master, k);
	e = tok_verify(tok, TOK_WIRE_LEN, k, "ssh", 1764000000, 60, &r);
	key_free(k);
	return e == TOK_OK;
}

START_TEST(tokens_cross_verify)
{
	uint8_t k[SK_KEY_LEN], tok[TOK_WIRE_LEN];

	load_vectors();
	for (int i = 0; i < VEC_N; i++) {
		ck_assert(derive_server_key(vecs[i].fleet, vecs[i].name, k));
		seal(k, tok);
		ck_assert_msg(opens(vecs[i].server, tok), "vector %d: a token "
		    "from the derived key fails with the server key", i + 1);
		seal(vecs[i].server, tok);
		ck_assert_msg(opens(k, tok), "vector %d: a token from the "
		    "server key fails with the derived key", i + 1);
		/* The fleet key itself is no server key. */
		ck_assert(!opens(vecs[i].fleet, tok));
	}
	/* web01's token does not verify at web02 (same fleet key). */
	seal(vecs[0].server, tok);
	ck_assert(!opens(vecs[1].server, tok));
}
END_TEST

START_TEST(names_and_bounds)
{
	uint8_t a[SK_KEY_LEN], b[SK_KEY_LEN], out[SK_KEY_LEN];
	char big[SK_NAME_MAX + 1];

	load_vectors();
	/* Case, a trailing byte and a missing NUL separator all change K. */
	ck_assert(derive_server_key(vecs[0].fleet, "web01", a));
	ck_assert(derive_server_key(vecs[0].fleet, "WEB01", b));
	ck_assert(memcmp(a, b, sizeof a) != 0);
	ck_assert(derive_server_key(vecs[0].fleet, "web01 ", b));
	ck_assert(memcmp(a, b, sizeof a) != 0);
	memset(out, 0xaa, sizeof out);
	ck_assert(!derive_server_key(vecs[0].fleet, "", out));
	ck_assert(!derive_server_key(vecs[0].fleet, NULL, out));
	memset(big, 'a', SK_NAME_MAX);
	big[SK_NAME_MAX] = '\0';
	ck_assert(!derive_server_key(vecs[0].fleet, big, out));
	for (size_t i = 0; i < sizeof out; i++)
		ck_assert_uint_eq(out[i], 0xaa);
	big[SK_NAME_MAX - 1] = '\0';
	ck_assert(derive_server_key(vecs[0].fleet, big, out));
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, derive_matches_vectors);
	tcase_add_test(tc, tokens_cross_verify);
	tcase_add_test(tc, names_and_bounds);
	return check_run("derive", tc);
}
