/* test_replay.c: the nonce set, its expiry and its file records. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "replay.h"
#include "check_main.h"

static void
nonce_n(uint32_t n, uint8_t nonce[static TOK_NONCE_LEN])
{
	memset(nonce, 0xa5, TOK_NONCE_LEN);
	nonce[0] = (uint8_t)(n >> 24);
	nonce[1] = (uint8_t)(n >> 16);
	nonce[2] = (uint8_t)(n >> 8);
	nonce[3] = (uint8_t)n;
}

START_TEST(add_and_seen)
{
	struct replay *r = replay_new(8);
	uint8_t n1[TOK_NONCE_LEN], n2[TOK_NONCE_LEN];

	ck_assert_ptr_nonnull(r);
	nonce_n(1, n1);
	nonce_n(2, n2);
	ck_assert(!replay_seen(r, n1));
	ck_assert(replay_add(r, n1, 1000));
	ck_assert(replay_seen(r, n1));
	ck_assert(!replay_seen(r, n2));
	/* Adding again keeps one entry. */
	ck_assert(replay_add(r, n1, 1001));
	ck_assert_uint_eq(replay_count(r), 1);
	replay_free(r);
	replay_free(NULL);
	ck_assert_ptr_null(replay_new(0));
}
END_TEST

START_TEST(full_refuses_never_evicts)
{
	struct replay *r = replay_new(4);
	uint8_t n[TOK_NONCE_LEN];
	uint32_t i;

	for (i = 0; i < 4; i++) {
		nonce_n(i, n);
		ck_assert(replay_add(r, n, 1000 + i));
	}
	nonce_n(99, n);
	ck_assert(!replay_add(r, n, 2000));
	ck_assert(!replay_seen(r, n));
	for (i = 0; i < 4; i++) {
		nonce_n(i, n);
		ck_assert(replay_seen(r, n));
	}
	/* Expiry makes room. */
	replay_expire(r, 1001 + REPLAY_KEEP_S);	/* drops ts < 1001 */
	ck_assert_uint_eq(replay_count(r), 3);
	nonce_n(99, n);
	ck_assert(replay_add(r, n, 2000));
	replay_free(r);
}
END_TEST

START_TEST(expire_keeps_the_largest_window)
{
	struct replay *r = replay_new(8);
	uint8_t a[TOK_NONCE_LEN], b[TOK_NONCE_LEN], c[TOK_NONCE_LEN];

	ck_assert_int_eq(REPLAY_KEEP_S, 3600);
	nonce_n(1, a);
	nonce_n(2, b);
	nonce_n(3, c);
	replay_add(r, a, 10000 - 3601);	/* older than the largest window */
	replay_add(r, b, 10000 - 3600);	/* exactly: kept */
	replay_add(r, c, 20000);	/* future: kept */
	replay_expire(r, 10000);
	ck_assert(!replay_seen(r, a));
	ck_assert(replay_seen(r, b));
	ck_assert(replay_seen(r, c));
	/* A 60 s window long past: still kept, whatever the window is now. */
	replay_expire(r, 10000 - 3600 + 61);
	ck_assert(replay_seen(r, b));
	replay_expire(r, INT64_MAX);
	ck_assert_uint_eq(replay_count(r), 0);
	replay_add(r, a, INT64_MIN);
	replay_expire(r, INT64_MIN);	/* no overflow */
	ck_assert_uint_eq(replay_count(r), 1);
	replay_free(r);
}
END_TEST

START_TEST(record_encoding)
{
	uint8_t n[TOK_NONCE_LEN], rec[REPLAY_REC_LEN], hdr[REPLAY_HDR_LEN];
	static const uint8_t ts_be[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t neg_be[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xfe };
	static const uint8_t zero[8];

	ck_assert_uint_eq(REPLAY_REC_LEN, 40);
	ck_assert_uint_eq(REPLAY_HDR_LEN, 32);
	nonce_n(7, n);
	replay_encode_rec(n, 0x0102030405060708, rec);
	ck_assert_mem_eq(rec, n, TOK_NONCE_LEN);
	ck_assert_mem_eq(rec + TOK_NONCE_LEN, ts_be, 8);
	replay_encode_rec(n, -2, rec);
	ck_assert_mem_eq(rec + TOK_NONCE_LEN, neg_be, 8);
	ck_assert_mem_ne(rec + 32, zero, 8);
	replay_encode_hdr(hdr);
	ck_assert_mem_eq(hdr, "sknock replay v1", 16);
	ck_assert_mem_eq(hdr + 16, zero, 8);
	ck_assert_mem_ne(hdr + 24, zero, 8);
}
END_TEST

/* A file image: the header, then records (i, ts[i]) for i < n. */
static size_t
image(uint8_t *buf, const int64_t *ts, size_t n)
{
	uint8_t nonce[TOK_NONCE_LEN];
	size_t i;

	replay_encode_hdr(buf);
	for (i = 0; i < n; i++) {
		nonce_n((uint32_t)i, nonce);
		replay_encode_rec(nonce, ts[i],
		    buf + REPLAY_HDR_LEN + i * REPLAY_REC_LEN);
	}
	return REPLAY_HDR_LEN + n * REPLAY_REC_LEN;
}

#define NOW	100000
#define IMG_MAX	(REPLAY_HDR_LEN + 8 * REPLAY_REC_LEN)

START_TEST(decode_keeps_expires_and_drops_future)
{
	static const int64_t ts[] = { NOW, NOW - 3601, NOW - 3000, NOW + 60,
		NOW + 61, NOW };
	uint8_t buf[IMG_MAX], n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8);
	struct replay_load st;
	size_t len = image(buf, ts, 6);

	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st), REPLAY_OK);
	ck_assert_uint_eq(st.records, 6);
	ck_assert_uint_eq(st.added, 4);
	ck_assert_uint_eq(st.old, 1);
	ck_assert_uint_eq(st.future, 1);
	nonce_n(1, n);
	ck_assert(!replay_seen(r, n));	/* past the largest window */
	nonce_n(2, n);
	ck_assert(replay_seen(r, n));	/* 3000 s old: kept, not 60 */
	nonce_n(4, n);
	ck_assert(!replay_seen(r, n));	/* now + window + 1: garbage */
	/* Same records again: duplicates, nothing new. */
	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st), REPLAY_OK);
	ck_assert_uint_eq(st.dup, 4);
	ck_assert_uint_eq(replay_count(r), 4);
	replay_free(r);
}
END_TEST

START_TEST(decode_refuses_a_bad_header)
{
	static const int64_t ts[] = { NOW, NOW };
	uint8_t buf[IMG_MAX];
	struct replay *r = replay_new(8);
	struct replay_load st;
	size_t len = image(buf, ts, 2);

	/* Empty, one byte short of a header, zeroed, a flipped bit. */
	ck_assert_int_eq(replay_decode(buf, 0, r, NOW, 60, &st),
	    REPLAY_E_HEADER);
	ck_assert_int_eq(replay_decode(buf, REPLAY_HDR_LEN - 1, r, NOW, 60,
	    &st), REPLAY_E_HEADER);
	ck_assert_int_eq(replay_decode(buf, REPLAY_HDR_LEN, r, NOW, 60, &st),
	    REPLAY_OK);
	buf[3] ^= 1;
	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st),
	    REPLAY_E_HEADER);
	buf[3] ^= 1;
	buf[REPLAY_HDR_LEN - 1] ^= 0x80;
	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st),
	    REPLAY_E_HEADER);
	memset(buf, 0, sizeof buf);
	ck_assert_int_eq(replay_decode(buf, sizeof buf, r, NOW, 60, &st),
	    REPLAY_E_HEADER);
	ck_assert_uint_eq(replay_count(r), 0);
	ck_assert_str_eq(replay_strerror(REPLAY_E_HEADER),
	    "no valid header (not a replay cache, or zeroed)");
	replay_free(r);
}
END_TEST

START_TEST(decode_torn_and_bad_records)
{
	static const int64_t ts[] = { NOW, NOW, NOW };
	uint8_t buf[IMG_MAX], n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8);
	struct replay_load st;
	size_t len = image(buf, ts, 3);

	ck_assert_int_eq(replay_decode(buf, len - 1, r, NOW, 60, &st),
	    REPLAY_E_TORN);
	ck_assert(st.torn);
	ck_assert_uint_eq(st.added, 2);
	replay_free(r);
	r = replay_new(8);
	buf[REPLAY_HDR_LEN + REPLAY_REC_LEN + 5] ^= 1;	/* record 1 */
	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st),
	    REPLAY_E_CHECKSUM);
	ck_assert_uint_eq(st.bad, 1);
	ck_assert_uint_eq(st.added, 2);
	nonce_n(1, n);
	ck_assert(!replay_seen(r, n));
	nonce_n(2, n);
	ck_assert(replay_seen(r, n));
	replay_free(r);
}
END_TEST

/* 1 MiB of random bytes after a good header loads nothing. */
START_TEST(decode_random_records)
{
	enum { LEN = 1 << 20 };
	uint8_t *buf = malloc(LEN);
	struct replay *r = replay_new(8192);
	struct replay_load st;

	ck_assert_ptr_nonnull(buf);
	randombytes_buf(buf, LEN);
	ck_assert_int_eq(replay_decode(buf, LEN, r, NOW, 60, &st),
	    REPLAY_E_HEADER);
	replay_encode_hdr(buf);
	ck_assert_int_eq(replay_decode(buf, LEN, r, NOW, 60, &st),
	    REPLAY_E_CHECKSUM);
	ck_assert_uint_eq(st.records, (LEN - REPLAY_HDR_LEN) / REPLAY_REC_LEN);
	ck_assert_uint_eq(st.bad, st.records);
	ck_assert_uint_eq(replay_count(r), 0);
	free(buf);
	replay_free(r);
}
END_TEST

/* Zeroed slots made ahead are not records, and not damage either. */
START_TEST(decode_skips_zeroed_slots)
{
	static const int64_t ts[] = { NOW, NOW };
	uint8_t buf[IMG_MAX], n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8);
	struct replay_load st;
	size_t len = image(buf, ts, 2);

	memset(buf + len, 0, 3 * REPLAY_REC_LEN);
	ck_assert_int_eq(replay_decode(buf, len + 3 * REPLAY_REC_LEN, r, NOW,
	    60, &st), REPLAY_OK);
	ck_assert_uint_eq(st.records, 5);
	ck_assert_uint_eq(st.empty, 3);
	ck_assert_uint_eq(st.added, 2);
	nonce_n(1, n);
	ck_assert(replay_seen(r, n));
	/* One byte of a slot set is damage (a torn write). */
	buf[len + REPLAY_REC_LEN + 7] = 1;
	ck_assert_int_eq(replay_decode(buf, len + 3 * REPLAY_REC_LEN, r, NOW,
	    60, &st), REPLAY_E_CHECKSUM);
	ck_assert_uint_eq(st.bad, 1);
	replay_free(r);
}
END_TEST

START_TEST(decode_stops_when_full)
{
	static const int64_t ts[] = { NOW, NOW, NOW, NOW };
	uint8_t buf[IMG_MAX];
	struct replay *r = replay_new(2);
	struct replay_load st;
	size_t len = image(buf, ts, 4);

	ck_assert_int_eq(replay_decode(buf, len, r, NOW, 60, &st),
	    REPLAY_E_FULL);
	ck_assert_uint_eq(st.added, 2);
	ck_assert_uint_eq(st.left, 2);
	ck_assert_uint_eq(replay_count(r), 2);
	replay_free(r);
}
END_TEST

START_TEST(encode_round_trip)
{
	static const int64_t ts[] = { NOW, NOW - 990, NOW + 10 };
	uint8_t in[IMG_MAX], out[IMG_MAX];
	uint8_t n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8), *r2 = replay_new(8);
	struct replay_load st;
	size_t len = image(in, ts, 3);
	uint32_t i;

	ck_assert_int_eq(replay_decode(in, len, r, NOW, 60, &st), REPLAY_OK);
	ck_assert_uint_eq(replay_image_len(r), len);
	ck_assert_uint_eq(replay_encode(r, out, len - 1), 0);
	ck_assert_uint_eq(replay_encode(r, out, len), len);
	/* Records keep insertion order, so the image is identical. */
	ck_assert_mem_eq(out, in, len);
	ck_assert_int_eq(replay_decode(out, len, r2, NOW, 60, &st), REPLAY_OK);
	ck_assert_uint_eq(st.added, 3);
	for (i = 0; i < 3; i++) {
		nonce_n(i, n);
		ck_assert(replay_seen(r2, n));
	}
	replay_free(r);
	replay_free(r2);
	r = replay_new(1);
	ck_assert_uint_eq(replay_encode(r, out, 0), 0);
	ck_assert_uint_eq(replay_encode(r, out, REPLAY_HDR_LEN),
	    REPLAY_HDR_LEN);
	replay_free(r);
}
END_TEST

/*
 * Random adds and expiries against a plain array model: the set must
 * agree on every nonce after each step (this drives the table's
 * deletions and probe chains hard in a small space).
 */
START_TEST(matches_a_model)
{
	enum { SPACE = 300, CAP = 200, STEPS = 20000 };
	static int64_t model[SPACE];	/* 0 = absent, else ts */
	struct replay *r = replay_new(CAP);
	uint8_t n[TOK_NONCE_LEN];
	uint32_t x = 12345, i, k;
	size_t live = 0;
	int64_t now = 1000;

	ck_assert_ptr_nonnull(r);
	memset(model, 0, sizeof model);
	for (i = 0; i < STEPS; i++) {
		x = x * 1103515245u + 12345u;
		k = (x >> 8) % SPACE;
		nonce_n(k, n);
		if ((x >> 4) % 16 == 0) {
			now += 7;
			replay_expire(r, now + REPLAY_KEEP_S - 60);
			for (k = 0; k < SPACE; k++)
				if (model[k] != 0 && model[k] < now - 60) {
					model[k] = 0;
					live--;
				}
		} else if (model[k] == 0 && live < CAP) {
			ck_assert(replay_add(r, n, now - (int64_t)(x % 50)));
			model[k] = now - (int64_t)(x % 50);
			live++;
		} else if (model[k] == 0) {
			ck_assert(!replay_add(r, n, now));
		}
		ck_assert_uint_eq(replay_count(r), live);
		if (i % 97 == 0)
			for (k = 0; k < SPACE; k++) {
				nonce_n(k, n);
				ck_assert(replay_seen(r, n) == (model[k] != 0));
			}
	}
	replay_free(r);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, add_and_seen);
	tcase_add_test(tc, full_refuses_never_evicts);
	tcase_add_test(tc, expire_keeps_the_largest_window);
	tcase_add_test(tc, record_encoding);
	tcase_add_test(tc, decode_keeps_expires_and_drops_future);
	tcase_add_test(tc, decode_refuses_a_bad_header);
	tcase_add_test(tc, decode_torn_and_bad_records);
	tcase_add_test(tc, decode_random_records);
	tcase_add_test(tc, decode_skips_zeroed_slots);
	tcase_add_test(tc, decode_stops_when_full);
	tcase_add_test(tc, encode_round_trip);
	tcase_add_test(tc, matches_a_model);
	return check_run("replay", tc);
}
