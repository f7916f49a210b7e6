/* fuzz_tokkey.h: the fixed key of the token fuzzers. */
#ifndef FUZZ_TOKKEY_H
#define FUZZ_TOKKEY_H

#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include <sodium.h>

#include "key.h"

/* fuzz_key(): the subkeys of FUZZ_KEY_B64, derived once per process. */
static inline const struct sk_key *
fuzz_key(void)
{
	static struct sk_key *k;	/* harness only: one key per process */
	uint8_t master[SK_KEY_LEN];

	if (k != NULL)
		return k;
	if (sodium_init() < 0)
		abort();
	if (key_decode(FUZZ_KEY_B64, strlen(FUZZ_KEY_B64), master) != KEY_OK
	    || (k = key_new()) == NULL)
		abort();
	key_derive(master, k);
	return k;
}

#endif
