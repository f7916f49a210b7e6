/*
 * fuzz_replay: replay_decode on the input as a replay-cache file image
 * (the daemon reads it from its state directory at start).  The cache
 * never exceeds its capacity, loads nothing without a valid header,
 * accounts for every record, and encodes back to an image that decodes
 * to the same set.
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
	size_t cap = REPLAY_HDR_LEN + CAP * REPLAY_REC_LEN;
	uint8_t *img = malloc(cap);
	struct replay_load st, st2;
	enum replay_err e;
	size_t n, len;

	if (r == NULL || r2 == NULL || img == NULL)
		abort();
	e = replay_decode(data, size, r, FUZZ_NOW, FUZZ_WINDOW, &st);
	n = replay_count(r);
	FUZZ_ASSERT(n <= CAP && st.added == n);
	FUZZ_ASSERT(e != REPLAY_E_HEADER || n == 0);
	FUZZ_ASSERT(e == REPLAY_E_HEADER ||
	    st.records == (size - REPLAY_HDR_LEN) / REPLAY_REC_LEN);
	FUZZ_ASSERT(st.empty + st.added + st.old + st.future + st.bad +
	    st.dup + st.left == st.records);
	FUZZ_ASSERT((e == REPLAY_OK) == (st.bad == 0 && st.left == 0 &&
	    !st.torn && e != REPLAY_E_HEADER));
	/* What was kept encodes to an image that decodes to the same set. */
	FUZZ_ASSERT(replay_image_len(r) == REPLAY_HDR_LEN + n * REPLAY_REC_LEN);
	len = replay_encode(r, img, cap);
	FUZZ_ASSERT(len == replay_image_len(r));
	FUZZ_ASSERT(replay_decode(img, len, r2, FUZZ_NOW, FUZZ_WINDOW, &st2) ==
	    REPLAY_OK);
	FUZZ_ASSERT(st2.added == n && replay_count(r2) == n);
	for (size_t off = REPLAY_HDR_LEN; off < len; off += REPLAY_REC_LEN)
		FUZZ_ASSERT(replay_seen(r, img + off));
	free(img);
	replay_free(r2);
	replay_free(r);
	return 0;
}
