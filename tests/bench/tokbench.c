/*
 * tokbench [SECONDS]: token verifications per second on one core, for
 * valid tokens (MAC, decrypt, checks) and for 88 random bytes (rejected
 * at the MAC).  Prints "tok_verify_valid N /s" and
 * "tok_verify_garbage N /s", then the cost of trying one key on a
 * garbage token, which a door pays once per client key: as the daemon
 * did before keys were prepared per door (one-shot HMAC over the whole
 * input, "mac_try_oneshot N ns"), through tok_check_mac
 * ("mac_try_check N ns") and with a prepared key ("mac_try_prepared N ns").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* This thread's CPU seconds: other load on a shared machine does not count. */
static double
cpu_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
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

enum try_kind { TRY_ONESHOT, TRY_CHECK, TRY_PREPARED };

/* One key tried on ${pkt} the ${kind} way; 0 = it did not verify. */
static int
try_key(enum try_kind kind, const struct sk_key *k,
    const struct tok_mac_key *m, const uint8_t *pkt)
{
	uint8_t msg[16 + TOK_NONCE_LEN + TOK_SEALED_LEN];

	if (kind == TRY_PREPARED)
		return tok_check_mac_prepared(pkt, TOK_WIRE_LEN, m) == TOK_OK;
	if (kind == TRY_CHECK)
		return tok_check_mac(pkt, TOK_WIRE_LEN, k, "ssh") == TOK_OK;
	/* main before the change: "sknock v1" "ssh" 0x00 nonce sealed. */
	memcpy(msg, "sknock v1ssh", 13);
	memcpy(msg + 13, pkt, TOK_NONCE_LEN + TOK_SEALED_LEN);
	return crypto_auth_hmacsha256_verify(pkt + TOK_MAC_OFF, msg,
	    13 + TOK_NONCE_LEN + TOK_SEALED_LEN, k->mac) == 0;
}

/*
 * ns_per_try(kind, k, m, pkt, secs): ns for one key tried on ${pkt}, in
 * CPU time (cpu_s; other load still slows the caches).
 */
static double
ns_per_try(enum try_kind kind, const struct sk_key *k,
    const struct tok_mac_key *m, const uint8_t *pkt, double secs)
{
	double start = cpu_s(), el;
	unsigned long long n = 0;

	do {
		for (int i = 0; i < 1024; i++)
			if (try_key(kind, k, m, pkt))
				abort();
		n += 1024;
	} while ((el = cpu_s() - start) < secs);
	return el * 1e9 / (double)n;
}

int
main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.0;
	uint8_t master[SK_KEY_LEN], nonce[TOK_NONCE_LEN];
	uint8_t good[TOK_WIRE_LEN], junk[TOK_WIRE_LEN];
	struct tok_req r = { .port = 22, .proto = 6, .timestamp = NOW };
	struct tok_mac_key *m;
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
	if ((m = sodium_malloc(sizeof *m)) == NULL ||
	    tok_mac_prepare(m, k, "ssh") != TOK_OK)
		return 1;
	/* The one-shot path must agree with the real one, or it is no baseline. */
	if (!try_key(TRY_ONESHOT, k, m, good) || !try_key(TRY_PREPARED, k, m,
	    good))
		return 1;
	printf("mac_try_oneshot %.0f ns\n", ns_per_try(TRY_ONESHOT, k, m, junk,
	    secs));
	printf("mac_try_check %.0f ns\n", ns_per_try(TRY_CHECK, k, m, junk,
	    secs));
	printf("mac_try_prepared %.0f ns\n", ns_per_try(TRY_PREPARED, k, m,
	    junk, secs));
	sodium_free(m);
	key_free(k);
	return 0;
}
