/*
 * fuzz_token_open: tok_open with a fixed key and WITHOUT the MAC check,
 * so the fuzzer reaches decryption and the plaintext checks; and
 * tok_plain_decode on the first TOK_PLAIN_LEN bytes.  Whatever opens
 * must build back to the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_tokkey.h"
#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_roundtrip(const uint8_t *pkt, const struct tok_req *r)
{
	uint8_t again[TOK_WIRE_LEN];
	struct tok_req r2;

	FUZZ_ASSERT(r->timestamp >= FUZZ_NOW - FUZZ_WINDOW);
	FUZZ_ASSERT(r->timestamp <= FUZZ_NOW + FUZZ_WINDOW);
	/* Same nonce, same request: the same nonce and sealed bytes. */
	FUZZ_ASSERT(tok_build(fuzz_key(), FUZZ_DOOR, pkt + TOK_NONCE_OFF, r,
	    again) == TOK_OK);
	FUZZ_ASSERT(memcmp(again, pkt, TOK_MAC_OFF) == 0);
	FUZZ_ASSERT(tok_open(again, sizeof again, fuzz_key(), FUZZ_NOW,
	    FUZZ_WINDOW, &r2) == TOK_OK);
	FUZZ_ASSERT(r2.port == r->port && r2.proto == r->proto
	    && r2.timestamp == r->timestamp && addr_eq(&r2.allow, &r->allow));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tok_req r;

	if (size >= TOK_PLAIN_LEN && tok_plain_decode(data, &r) == TOK_OK) {
		uint8_t plain[TOK_PLAIN_LEN];

		tok_plain_encode(&r, plain);
		FUZZ_ASSERT(memcmp(plain, data, TOK_PLAIN_LEN) == 0);
	}
	if (tok_open(data, size, fuzz_key(), FUZZ_NOW, FUZZ_WINDOW, &r)
	    == TOK_OK) {
		FUZZ_ASSERT(size == TOK_WIRE_LEN);
		check_roundtrip(data, &r);
	}
	return 0;
}
