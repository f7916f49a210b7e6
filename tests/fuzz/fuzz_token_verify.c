/*
 * fuzz_token_verify: tok_verify with a fixed key and door, MAC included,
 * as the daemon calls it.  A token that verifies must also verify on
 * its own parts (tok_check_mac then tok_open) and for no other door,
 * and the daemon's prepared key (tok_check_mac_prepared) must agree
 * with tok_check_mac on every input.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_tokkey.h"
#include "token.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The door's prepared key, made once per process as the daemon does. */
static const struct tok_mac_key *
fuzz_mac_key(void)
{
	static struct tok_mac_key *m;	/* harness only: one per process */

	if (m != NULL)
		return m;
	if ((m = sodium_malloc(sizeof *m)) == NULL ||
	    tok_mac_prepare(m, fuzz_key(), FUZZ_DOOR) != TOK_OK)
		abort();
	return m;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tok_req r;
	enum tok_err e;

	e = tok_verify(data, size, fuzz_key(), FUZZ_DOOR, FUZZ_NOW,
	    FUZZ_WINDOW, &r);
	if (size != TOK_WIRE_LEN)
		FUZZ_ASSERT(e == TOK_E_LENGTH);
	FUZZ_ASSERT(tok_check_mac_prepared(data, size, fuzz_mac_key()) ==
	    tok_check_mac(data, size, fuzz_key(), FUZZ_DOOR));
	if (e != TOK_OK)
		return 0;
	FUZZ_ASSERT(tok_check_mac(data, size, fuzz_key(), FUZZ_DOOR)
	    == TOK_OK);
	FUZZ_ASSERT(tok_check_mac(data, size, fuzz_key(), "sshd") == TOK_E_MAC);
	FUZZ_ASSERT(r.timestamp >= FUZZ_NOW - FUZZ_WINDOW
	    && r.timestamp <= FUZZ_NOW + FUZZ_WINDOW);
	return 0;
}
