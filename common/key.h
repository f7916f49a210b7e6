/* key.h: client master keys, their key files and derived subkeys. */
#ifndef KEY_H
#define KEY_H

#include <stddef.h>
#include <stdint.h>

#include "sk.h"

#define KEY_B64_LEN	44	/* base64 of 32 bytes, with padding */
#define KEY_CTX		"sknock01"
#define KEY_FILE_MAX	256	/* a key file larger than this is refused */

/* Subkeys derived from the master key; lives in sodium_malloc memory. */
struct sk_key {
	uint8_t	mac[SK_KEY_LEN];	/* KDF subkey 1: HMAC-SHA-256 */
	uint8_t	enc[SK_KEY_LEN];	/* KDF subkey 2: XChaCha20 */
};

enum key_err {
	KEY_OK,
	KEY_E_OPEN,	/* cannot open/read the file (errno kept) */
	KEY_E_PERM,	/* group or others have access */
	KEY_E_TYPE,	/* not a regular file */
	KEY_E_SIZE,	/* empty or larger than KEY_FILE_MAX */
	KEY_E_SYNTAX,	/* not base64 */
	KEY_E_LENGTH,	/* base64 of something other than 32 bytes */
	KEY_E_MEM,
	KEY_E_EXISTS	/* key_save: will not overwrite */
};

const char *key_strerror(enum key_err e);

/* key_new(): zeroed struct sk_key in sodium_malloc memory, or NULL. */
struct sk_key *key_new(void);
/* key_free(k): wipe and free; NULL is a no-op. */
void key_free(struct sk_key *k);

/*
 * key_decode(txt, txt_len, master): base64 (original variant, padded) of
 * exactly SK_KEY_LEN bytes; surrounding blanks and one trailing newline
 * are allowed, nothing else.
 */
enum key_err key_decode(const char *txt, size_t txt_len,
    uint8_t master[static SK_KEY_LEN]);
/* key_encode(master, out): padded base64 plus NUL. */
void key_encode(const uint8_t master[static SK_KEY_LEN],
    char out[static KEY_B64_LEN + 1]);
/* key_derive(master, out): crypto_kdf subkeys 1 (mac) and 2 (enc). */
void key_derive(const uint8_t master[static SK_KEY_LEN], struct sk_key *out);
/* key_generate(master): random bytes from libsodium. */
void key_generate(uint8_t master[static SK_KEY_LEN]);

/*
 * key_load(path, out, msg, msg_len): read a key file (refusing one that
 * group or others may access, as ssh does), decode and derive.  On error
 * ${msg} holds a full sentence naming the file, the problem and the fix,
 * e.g. "/k: mode 0644 lets group/others read it; run chmod 600 /k".
 * Symlinks are followed; the file opened is what is checked.  ${out} is
 * set only on KEY_OK (free it with key_free).  ${msg} may be NULL.
 * Needs sodium_init() first (sodium_malloc).  Does file I/O.
 */
enum key_err key_load(const char *path, struct sk_key **out, char *msg,
    size_t msg_len);
/*
 * key_read_master(path, master, msg, msg_len): the checks and decoding of
 * key_load, giving the 32 raw bytes (a fleet key is derived from, not
 * used).  Wipe ${master} after use.  Does file I/O.
 */
enum key_err key_read_master(const char *path,
    uint8_t master[static SK_KEY_LEN], char *msg, size_t msg_len);
/*
 * key_save(path, master, msg, msg_len): create path with mode 0600
 * (O_EXCL: never overwrites) holding the base64 key and a newline.
 * Does file I/O.
 */
enum key_err key_save(const char *path,
    const uint8_t master[static SK_KEY_LEN], char *msg, size_t msg_len);

#endif
