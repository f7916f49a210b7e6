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
	replay_expire(r, 1061, 60);	/* drops ts < 1001 */
	ck_assert_uint_eq(replay_count(r), 3);
	nonce_n(99, n);
	ck_assert(replay_add(r, n, 2000));
	replay_free(r);
}
END_TEST

START_TEST(expire_window_edge)
{
	struct replay *r = replay_new(8);
	uint8_t a[TOK_NONCE_LEN], b[TOK_NONCE_LEN], c[TOK_NONCE_LEN];

	nonce_n(1, a);
	nonce_n(2, b);
	nonce_n(3, c);
	replay_add(r, a, 939);	/* now - window - 1 */
	replay_add(r, b, 940);	/* now - window: kept */
	replay_add(r, c, 1100);	/* future: kept */
	replay_expire(r, 1000, 60);
	ck_assert(!replay_seen(r, a));
	ck_assert(replay_seen(r, b));
	ck_assert(replay_seen(r, c));
	replay_expire(r, INT64_MAX, 60);
	ck_assert_uint_eq(replay_count(r), 0);
	replay_add(r, a, INT64_MIN);
	replay_expire(r, INT64_MIN, 60);	/* no overflow */
	ck_assert_uint_eq(replay_count(r), 1);
	replay_free(r);
}
END_TEST

START_TEST(record_encoding)
{
	uint8_t n[TOK_NONCE_LEN], rec[REPLAY_REC_LEN];
	static const uint8_t ts_be[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const uint8_t neg_be[8] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xfe };

	ck_assert_uint_eq(REPLAY_REC_LEN, 32);
	nonce_n(7, n);
	replay_encode_rec(n, 0x0102030405060708, rec);
	ck_assert_mem_eq(rec, n, TOK_NONCE_LEN);
	ck_assert_mem_eq(rec + TOK_NONCE_LEN, ts_be, 8);
	replay_encode_rec(n, -2, rec);
	ck_assert_mem_eq(rec + TOK_NONCE_LEN, neg_be, 8);
}
END_TEST

/* A file image of records (i, ts[i]) for i < n. */
static size_t
image(uint8_t *buf, const int64_t *ts, size_t n)
{
	uint8_t nonce[TOK_NONCE_LEN];
	size_t i;

	for (i = 0; i < n; i++) {
		nonce_n((uint32_t)i, nonce);
		replay_encode_rec(nonce, ts[i], buf + i * REPLAY_REC_LEN);
	}
	return n * REPLAY_REC_LEN;
}

START_TEST(decode_torn_and_expired)
{
	static const int64_t ts[] = { 1000, 900, 1030, 1000 };
	uint8_t buf[5 * REPLAY_REC_LEN], n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8);
	size_t len = image(buf, ts, 4);

	/* Exact size; a torn fifth record is ignored. */
	ck_assert_uint_eq(replay_decode(buf, len + 10, r, 1000, 60), 3);
	nonce_n(1, n);
	ck_assert(!replay_seen(r, n));	/* ts 900 is past the window */
	nonce_n(2, n);
	ck_assert(replay_seen(r, n));
	/* Same records again: nothing new. */
	ck_assert_uint_eq(replay_decode(buf, len, r, 1000, 60), 0);
	ck_assert_uint_eq(replay_count(r), 3);
	replay_free(r);
	/* One byte short of a record, and empty. */
	r = replay_new(8);
	ck_assert_uint_eq(replay_decode(buf, REPLAY_REC_LEN - 1, r, 1000, 60),
	    0);
	ck_assert_uint_eq(replay_decode(buf, 0, r, 1000, 60), 0);
	ck_assert_uint_eq(replay_count(r), 0);
	replay_free(r);
}
END_TEST

START_TEST(decode_stops_when_full)
{
	static const int64_t ts[] = { 1000, 1000, 1000, 1000 };
	uint8_t buf[4 * REPLAY_REC_LEN];
	struct replay *r = replay_new(2);
	size_t len = image(buf, ts, 4);

	ck_assert_uint_eq(replay_decode(buf, len, r, 1000, 60), 2);
	ck_assert_uint_eq(replay_count(r), 2);
	replay_free(r);
}
END_TEST

START_TEST(encode_round_trip)
{
	static const int64_t ts[] = { 1000, 990, 1010 };
	uint8_t in[3 * REPLAY_REC_LEN], out[3 * REPLAY_REC_LEN];
	uint8_t n[TOK_NONCE_LEN];
	struct replay *r = replay_new(8), *r2 = replay_new(8);
	size_t len = image(in, ts, 3);
	uint32_t i;

	ck_assert_uint_eq(replay_decode(in, len, r, 1000, 60), 3);
	ck_assert_uint_eq(replay_encode(r, out, sizeof out - 1), 0);
	ck_assert_uint_eq(replay_encode(r, out, sizeof out), len);
	/* Records keep insertion order, so the image is identical. */
	ck_assert_mem_eq(out, in, len);
	ck_assert_uint_eq(replay_decode(out, len, r2, 1000, 60), 3);
	for (i = 0; i < 3; i++) {
		nonce_n(i, n);
		ck_assert(replay_seen(r2, n));
	}
	replay_free(r);
	replay_free(r2);
	r = replay_new(1);
	ck_assert_uint_eq(replay_encode(r, out, 0), 0);
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
			replay_expire(r, now, 60);
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

static Suite *
replay_suite(void)
{
	Suite *s = suite_create("replay");
	TCase *tc = tcase_create("cache");

	tcase_add_test(tc, add_and_seen);
	tcase_add_test(tc, full_refuses_never_evicts);
	tcase_add_test(tc, expire_window_edge);
	tcase_add_test(tc, record_encoding);
	tcase_add_test(tc, decode_torn_and_expired);
	tcase_add_test(tc, decode_stops_when_full);
	tcase_add_test(tc, encode_round_trip);
	tcase_add_test(tc, matches_a_model);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_run(replay_suite());
}
