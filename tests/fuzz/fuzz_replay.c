/*
 * fuzz_replay: replay_decode on the input as a replay-cache file image
 * (the daemon reads it from its state directory at start).  The cache
 * never exceeds its capacity, keeps only nonces within the window, and
 * encodes back to an image that decodes to the same set.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "replay.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CAP	64

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct replay *r = replay_new(CAP), *r2 = replay_new(CAP);
	uint8_t *img = malloc(CAP * REPLAY_REC_LEN);
	size_t added, n, len;

	if (r == NULL || r2 == NULL || img == NULL)
		abort();
	added = replay_decode(data, size, r, FUZZ_NOW, FUZZ_WINDOW);
	n = replay_count(r);
	FUZZ_ASSERT(n <= CAP && added <= size / REPLAY_REC_LEN);
	FUZZ_ASSERT(n <= added);
	/* Every record kept is seen. */
	for (size_t off = 0; off + REPLAY_REC_LEN <= size;
	    off += REPLAY_REC_LEN)
		(void)replay_seen(r, data + off);
	len = replay_encode(r, img, CAP * REPLAY_REC_LEN);
	FUZZ_ASSERT(len == n * REPLAY_REC_LEN);
	FUZZ_ASSERT(replay_decode(img, len, r2, FUZZ_NOW, FUZZ_WINDOW) == n);
	FUZZ_ASSERT(replay_count(r2) == n);
	for (size_t off = 0; off < len; off += REPLAY_REC_LEN)
		FUZZ_ASSERT(replay_seen(r, img + off));
	free(img);
	replay_free(r2);
	replay_free(r);
	return 0;
}
