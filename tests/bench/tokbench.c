/*
 * tokbench [SECONDS]: token verifications per second on one core, for
 * valid tokens (MAC, decrypt, checks) and for 88 random bytes (rejected
 * at the MAC).  Prints "tok_verify_valid N /s" and
 * "tok_verify_garbage N /s".
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <sodium.h>

#include "key.h"
#include "monotime.h"
#include "token.h"

#define NOW	1764000000

static double
now_s(void)
{
	return (double)mono_ns() / 1e9;
}

/* rate(k, pkt, want, secs): verifications per second of ${pkt}. */
static double
rate(const struct sk_key *k, const uint8_t *pkt, enum tok_err want,
    double secs)
{
	double start = now_s(), el;
	unsigned long long n = 0;
	struct tok_req r;

	do {
		for (int i = 0; i < 1024; i++) {
			if (tok_verify(pkt, TOK_WIRE_LEN, k, "ssh", NOW, 60, &r)
			    != want)
				abort();
		}
		n += 1024;
	} while ((el = now_s() - start) < secs);
	return (double)n / el;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	uint8_t master[SK_KEY_LEN], nonce[TOK_NONCE_LEN];
	uint8_t good[TOK_WIRE_LEN], junk[TOK_WIRE_LEN];
	struct tok_req r = { .port = 22, .proto = 6, .timestamp = NOW };
	struct sk_key *k;

	if (sodium_init() < 0 || (k = key_new()) == NULL)
		return 1;
	key_generate(master);
	key_derive(master, k);
	randombytes_buf(nonce, sizeof nonce);
	randombytes_buf(junk, sizeof junk);
	if (tok_build(k, "ssh", nonce, &r, good) != TOK_OK)
		return 1;
	printf("tok_verify_valid %.0f /s\n", rate(k, good, TOK_OK, secs));
	printf("tok_verify_garbage %.0f /s\n", rate(k, junk, TOK_E_MAC, secs));
	key_free(k);
	return 0;
}
