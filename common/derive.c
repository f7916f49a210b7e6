/* derive.c: fleet keys: a server's master key derived from a fleet key. */
#include <string.h>

#include <sodium.h>

#include "derive.h"

bool
derive_server_key(const uint8_t fleet[static SK_KEY_LEN], const char *name,
    uint8_t out[static SK_KEY_LEN])
{
	static const uint8_t label[] = DERIVE_LABEL;	/* its NUL is the 0x00 */
	crypto_generichash_state st;
	size_t name_len = name != NULL ? strlen(name) : 0;

	if (name_len == 0 || name_len >= SK_NAME_MAX)
		return false;
	if (crypto_generichash_init(&st, fleet, SK_KEY_LEN, SK_KEY_LEN) != 0 ||
	    crypto_generichash_update(&st, label, sizeof label) != 0 ||
	    crypto_generichash_update(&st, (const uint8_t *)name,
	    name_len) != 0 ||
	    crypto_generichash_final(&st, out, SK_KEY_LEN) != 0) {
		sodium_memzero(&st, sizeof st);
		return false;
	}
	sodium_memzero(&st, sizeof st);
	return true;
}
