/*
 * fuzz_key: key_decode on the bytes, then key_load on them as a 0600
 * file in a private temporary directory (on tmpfs: fast).  Both must agree, and a key
 * that decodes must encode back and decode to the same 32 bytes.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "fuzz_util.h"
#include "key.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Harness state, set once: the temporary key file and its directory. */
static char dir[64];
static char path[sizeof dir + 8];

static void
cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	if (sodium_init() < 0)
		abort();
	/* tmpfs if there is one: a file on disk is five times slower. */
	snprintf(dir, sizeof dir, "/dev/shm/sknock-fuzz-key.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		snprintf(dir, sizeof dir, "/tmp/sknock-fuzz-key.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
	}
	snprintf(path, sizeof path, "%s/key", dir);
	atexit(cleanup);
	return 0;
}

static void
write_file(const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t off = 0;

	if (fd < 0)
		abort();
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);

		if (n <= 0)
			abort();
		off += (size_t)n;
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t master[SK_KEY_LEN], again[SK_KEY_LEN];
	char b64[KEY_B64_LEN + 1], msg[512];
	struct sk_key *k = NULL;
	enum key_err de, le;

	de = key_decode((const char *)data, size, master);
	if (de == KEY_OK) {
		key_encode(master, b64);
		FUZZ_ASSERT(strlen(b64) == KEY_B64_LEN);
		FUZZ_ASSERT(key_decode(b64, KEY_B64_LEN, again) == KEY_OK);
		FUZZ_ASSERT(memcmp(master, again, SK_KEY_LEN) == 0);
	}
	write_file(data, size);
	msg[0] = '\0';
	le = key_load(path, &k, msg, sizeof msg);
	if (le == KEY_OK) {
		struct sk_key *want = key_new();

		FUZZ_ASSERT(k != NULL && want != NULL);
		/* The file decodes as the bytes did (up to the size cap). */
		FUZZ_ASSERT(de == KEY_OK);
		key_derive(master, want);
		FUZZ_ASSERT(sodium_memcmp(want, k, sizeof *k) == 0);
		key_free(want);
	} else {
		FUZZ_ASSERT(memchr(msg, '\0', sizeof msg) != NULL);
		FUZZ_ASSERT(msg[0] != '\0');
		/* A file the decoder accepts fails only on size/I/O. */
		if (de == KEY_OK && size <= KEY_FILE_MAX)
			FUZZ_ASSERT(0);
	}
	key_free(k);
	return 0;
}
