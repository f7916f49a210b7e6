/* test_rate.c: token buckets on a virtual clock. */
#include <check.h>
#include <stdlib.h>

#include "rate.h"
#include "check_main.h"

static struct sk_addr
src_n(uint32_t n)
{
	struct sk_addr a = { .b = { [10] = 0xff, [11] = 0xff, [12] = 10 } };

	a.b[13] = (uint8_t)(n >> 16);
	a.b[14] = (uint8_t)(n >> 8);
	a.b[15] = (uint8_t)n;
	return a;
}

/* How many of n takes from source s at now_ms are allowed. */
static int
take_n(struct rate_table *t, uint32_t s, int n, uint64_t now_ms)
{
	struct sk_addr a = src_n(s);
	int i, ok = 0;

	for (i = 0; i < n; i++)
		ok += rate_take(t, &a, now_ms) == RATE_OK;
	return ok;
}

START_TEST(burst_is_the_rate)
{
	struct rate_table *t = rate_new(16, 5, 100);
	struct sk_addr a = src_n(1);

	ck_assert_ptr_nonnull(t);
	ck_assert_int_eq(take_n(t, 1, 5, 1000), 5);
	ck_assert_int_eq(rate_take(t, &a, 1000), RATE_OVER);
	/* Another source has its own bucket. */
	ck_assert_int_eq(take_n(t, 2, 6, 1000), 5);
	rate_free(t);
}
END_TEST

START_TEST(refill_exact_in_ms)
{
	struct rate_table *t = rate_new(16, 5, 100);
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(take_n(t, 1, 5, 1000), 5);
	/* 5/s = one event per 200 ms: 199 ms is not enough, 200 is. */
	ck_assert_int_eq(rate_take(t, &a, 1199), RATE_OVER);
	ck_assert_int_eq(rate_take(t, &a, 1200), RATE_OK);
	ck_assert_int_eq(rate_take(t, &a, 1200), RATE_OVER);
	/* A long pause refills to the burst, not beyond. */
	ck_assert_int_eq(take_n(t, 1, 10, 60000), 5);
	rate_free(t);
}
END_TEST

START_TEST(global_limit)
{
	struct rate_table *t = rate_new(16, 5, 8);
	struct sk_addr b = src_n(2);

	ck_assert_int_eq(take_n(t, 1, 5, 0), 5);
	ck_assert_int_eq(take_n(t, 2, 3, 0), 3);
	ck_assert_int_eq(rate_take(t, &b, 0), RATE_GLOBAL);
	/* The global refusal spent nothing of b's own bucket. */
	ck_assert_int_eq(take_n(t, 2, 2, 1000), 2);
	ck_assert_int_eq(take_n(t, 3, 5, 1000), 5);
	ck_assert_int_eq(rate_take(t, &b, 1000), RATE_OK);	/* the 8th */
	ck_assert_int_eq(rate_take(t, &b, 1000), RATE_GLOBAL);
	rate_free(t);
}
END_TEST

START_TEST(clock_going_back_earns_nothing)
{
	struct rate_table *t = rate_new(16, 5, 100);
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(take_n(t, 1, 5, 10000), 5);
	ck_assert_int_eq(rate_take(t, &a, 5000), RATE_OVER);
	ck_assert_int_eq(rate_take(t, &a, 10199), RATE_OVER);
	ck_assert_int_eq(rate_take(t, &a, 10200), RATE_OK);
	rate_free(t);
}
END_TEST

START_TEST(least_recently_seen_evicted)
{
	struct rate_table *t = rate_new(2, 1, 1000);
	struct sk_addr a = src_n(1), b = src_n(2), c = src_n(3);

	ck_assert_int_eq(rate_take(t, &a, 0), RATE_OK);
	ck_assert_int_eq(rate_take(t, &b, 0), RATE_OK);
	ck_assert_int_eq(rate_take(t, &a, 1), RATE_OVER);	/* a newest */
	ck_assert_int_eq(rate_take(t, &c, 2), RATE_OK);	/* evicts b */
	ck_assert_int_eq(rate_take(t, &a, 3), RATE_OVER);	/* c oldest */
	ck_assert_int_eq(rate_take(t, &b, 4), RATE_OK);	/* evicts c */
	ck_assert_int_eq(rate_take(t, &c, 5), RATE_OK);	/* c forgotten */
	rate_free(t);
}
END_TEST

START_TEST(table_bounded_under_flood)
{
	struct rate_table *t = rate_new(100, 5, 20000);
	uint32_t n;
	int ok = 0;

	for (n = 0; n < 30000; n++)
		ok += take_n(t, n, 1, 7);
	ck_assert_int_eq(ok, 20000);
	rate_free(t);
}
END_TEST

START_TEST(zero_limits_and_extremes)
{
	struct rate_table *t;
	struct sk_addr a = src_n(1);

	ck_assert_ptr_null(rate_new(0, 5, 5));
	rate_free(NULL);
	/* No per-source budget: the global one alone decides. */
	t = rate_new(4, 0, 10);
	for (int i = 0; i < 10; i++)
		ck_assert_int_eq(rate_take(t, &a, 0), RATE_OVER);
	ck_assert_int_eq(rate_take(t, &a, 0), RATE_SOURCE);
	ck_assert_int_eq(rate_take(t, &a, 100000), RATE_OVER);
	rate_free(t);
	t = rate_new(4, 10, 0);
	ck_assert_int_eq(rate_take(t, &a, 100000), RATE_GLOBAL);
	rate_free(t);
	t = rate_new(4, UINT32_MAX, UINT32_MAX);
	ck_assert_int_eq(take_n(t, 1, 1000, 0), 1000);
	ck_assert_int_eq(take_n(t, 1, 1000, UINT64_MAX - 1), 1000);
	ck_assert_int_eq(take_n(t, 1, 1000, UINT64_MAX), 1000);
	rate_free(t);
}
END_TEST

/* DESIGN.md: a source whose own budget is spent is still verified while
 * the global budget has room. */
START_TEST(spent_source_verified_while_global_has_room)
{
	struct rate_table *t = rate_new(16, 5, 100);
	struct sk_addr a = src_n(1), b = src_n(2);
	int i;

	ck_assert_int_eq(take_n(t, 1, 5, 0), 5);
	for (i = 0; i < 95; i++)
		ck_assert_int_eq(rate_take(t, &a, 0), RATE_OVER);
	/* Now only the global budget is empty for b, both for a. */
	ck_assert_int_eq(rate_take(t, &a, 0), RATE_SOURCE);
	ck_assert_int_eq(rate_take(t, &b, 0), RATE_GLOBAL);
	ck_assert(!rate_allowed(RATE_SOURCE) && !rate_allowed(RATE_GLOBAL));
	ck_assert(rate_allowed(RATE_OK) && rate_allowed(RATE_OVER));
	/* 10 ms earn one event: whoever asks first gets it. */
	ck_assert_int_eq(rate_take(t, &b, 10), RATE_OK);
	ck_assert_int_eq(rate_take(t, &a, 10), RATE_SOURCE);
	rate_free(t);
}
END_TEST

/* Spoofed garbage at 10/s in the user's name: every user token still
 * gets verified (it was refused before: the per-source budget was 5/s). */
START_TEST(trickle_in_users_name_does_not_deny)
{
	struct rate_table *t = rate_new(64, 5, 20000);
	struct sk_addr user = src_n(7);
	uint64_t ms;
	int denied = 0, tokens = 0;

	for (ms = 0; ms < 60000; ms += 50) {
		if (ms % 100 == 0)	/* the attacker's garbage */
			(void)rate_take(t, &user, ms);
		if (ms % 1000 == 50) {
			tokens++;
			denied += !rate_allowed(rate_take(t, &user, ms));
		}
	}
	ck_assert_int_eq(tokens, 60);
	ck_assert_int_eq(denied, 0);
	rate_free(t);
}
END_TEST

/* Only a flood that spends the global budget denies the user. */
START_TEST(flood_over_global_denies)
{
	struct rate_table *t = rate_new(64, 5, 1000);
	struct sk_addr user = src_n(7);
	uint64_t ms;
	int k, denied = 0;

	/* 2000/s in the user's name (twice the global), the user last. */
	for (ms = 0; ms < 5000; ms++) {
		for (k = 0; k < 2; k++)
			(void)rate_take(t, &user, ms);
		if (ms > 1000 && ms % 100 == 0)
			denied += !rate_allowed(rate_take(t, &user, ms));
	}
	ck_assert_int_eq(denied, 39);
	rate_free(t);
}
END_TEST

START_TEST(ipv6_counted_per_64)
{
	struct rate_table *t = rate_new(16, 2, 1000);
	struct sk_addr x, y, z, k;

	ck_assert(addr_parse("2001:db8:1:2::1", &x) == ADDR_OK);
	ck_assert(addr_parse("2001:db8:1:2:ffff:1:2:3", &y) == ADDR_OK);
	ck_assert(addr_parse("2001:db8:1:3::1", &z) == ADDR_OK);
	rate_key(&y, &k);
	ck_assert(addr_parse("2001:db8:1:2::", &x) == ADDR_OK);
	ck_assert(addr_eq(&k, &x));
	ck_assert(addr_parse("2001:db8:1:2::1", &x) == ADDR_OK);
	ck_assert_int_eq(rate_take(t, &x, 0), RATE_OK);
	ck_assert_int_eq(rate_take(t, &y, 0), RATE_OK);
	/* A third address of the same /64 finds the budget spent ... */
	ck_assert(addr_parse("2001:db8:1:2::99", &k) == ADDR_OK);
	ck_assert_int_eq(rate_take(t, &k, 0), RATE_OVER);
	/* ... another /64 has its own, and IPv4 counts per address. */
	ck_assert_int_eq(rate_take(t, &z, 0), RATE_OK);
	x = src_n(1);
	y = src_n(2);
	rate_key(&y, &k);
	ck_assert(addr_eq(&k, &y));
	ck_assert_int_eq(take_n(t, 1, 2, 0), 2);
	ck_assert_int_eq(take_n(t, 2, 2, 0), 2);
	rate_free(t);
}
END_TEST

START_TEST(cost_is_per_pair_of_keys)
{
	/* One client, with or without key_next, costs what it always did. */
	ck_assert_uint_eq(rate_cost(0), 1);
	ck_assert_uint_eq(rate_cost(1), 1);
	ck_assert_uint_eq(rate_cost(2), 1);
	ck_assert_uint_eq(rate_cost(3), 2);
	ck_assert_uint_eq(rate_cost(2000), 1000);
	ck_assert_uint_eq(rate_cost(2001), 1001);
}
END_TEST

/* Many sources, each within its own budget, to a door of 2000 keys. */
START_TEST(global_pays_per_key_whatever_the_sources)
{
	struct rate_table *t = rate_new(64, 5, 20000);
	uint32_t n, ok = 0;

	ck_assert_ptr_nonnull(t);
	/* A flood from fresh sources, every one within verify_per_source. */
	for (n = 0; n < 1000; n++) {
		struct sk_addr a = src_n(n);

		ok += rate_allowed(rate_take_cost(t, &a, 0, rate_cost(2000)));
	}
	/* 20000 units a second buy 20 tokens, so 40000 key tries, not 2M. */
	ck_assert_uint_eq(ok, 20);
	/* Half a second earns half the budget back: 10 more. */
	for (n = 1000, ok = 0; n < 2000; n++) {
		struct sk_addr a = src_n(n);

		ok += rate_allowed(rate_take_cost(t, &a, 500, rate_cost(2000)));
	}
	ck_assert_uint_eq(ok, 10);
	rate_free(t);
}
END_TEST

START_TEST(spent_source_still_verified_at_a_cost)
{
	struct rate_table *t = rate_new(16, 1, 10);
	struct sk_addr a = src_n(1);

	/* The source pays 1 a token, the global budget the door's cost. */
	ck_assert_int_eq(rate_take_cost(t, &a, 0, 4), RATE_OK);
	ck_assert_int_eq(rate_take_cost(t, &a, 0, 4), RATE_OVER);
	/* 2 units left: a 4-unit token is refused, a 2-unit one goes. */
	ck_assert_int_eq(rate_take_cost(t, &a, 0, 4), RATE_SOURCE);
	ck_assert_int_eq(rate_take_cost(t, &a, 0, 2), RATE_OVER);
	ck_assert_int_eq(rate_take_cost(t, &a, 0, 1), RATE_SOURCE);
	/* A token dearer than the whole budget never goes, even when full. */
	ck_assert_int_eq(rate_take_cost(t, &a, 60000, 11), RATE_GLOBAL);
	ck_assert_int_eq(rate_take_cost(t, &a, 60000, 10), RATE_OK);
	rate_free(t);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("take");

	tcase_add_test(tc, burst_is_the_rate);
	tcase_add_test(tc, refill_exact_in_ms);
	tcase_add_test(tc, global_limit);
	tcase_add_test(tc, clock_going_back_earns_nothing);
	tcase_add_test(tc, least_recently_seen_evicted);
	tcase_add_test(tc, table_bounded_under_flood);
	tcase_add_test(tc, zero_limits_and_extremes);
	tcase_add_test(tc, spent_source_verified_while_global_has_room);
	tcase_add_test(tc, trickle_in_users_name_does_not_deny);
	tcase_add_test(tc, flood_over_global_denies);
	tcase_add_test(tc, ipv6_counted_per_64);
	tcase_add_test(tc, cost_is_per_pair_of_keys);
	tcase_add_test(tc, global_pays_per_key_whatever_the_sources);
	tcase_add_test(tc, spent_source_still_verified_at_a_cost);
	return check_run("rate", tc);
}
