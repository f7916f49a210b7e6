/* derive.h: fleet keys: a server's master key derived from a fleet key. */
#ifndef DERIVE_H
#define DERIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "sk.h"

#define DERIVE_LABEL	"sknock derive v1"

/*
 * derive_server_key(fleet, name, out): K = BLAKE2b-256 keyed by ${fleet}
 * over "sknock derive v1" || 0x00 || ${name} (DESIGN.md, "Fleet keys").
 * ${name} is the server's name as written in `derive = NAME`, 1 to
 * SK_NAME_MAX - 1 bytes; false (and ${out} untouched) otherwise.
 * Pure; needs sodium_init() only for libsodium's CPU dispatch.
 */
bool derive_server_key(const uint8_t fleet[static SK_KEY_LEN],
    const char *name, uint8_t out[static SK_KEY_LEN]);

#endif
