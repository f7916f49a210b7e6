/* test_seq.c: the sequence state machine on a virtual clock. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "pkt.h"
#include "seq.h"
#include "check_main.h"

#define T_SYN	PKT_TH_SYN
#define T_UDP	SK_PROTO_UDP
#define T_TCP	SK_PROTO_TCP

static const struct sk_port steps3[] = {
	{ 7000, SK_PROTO_TCP }, { 8000, SK_PROTO_UDP }, { 9000, SK_PROTO_UDP },
};
static const struct seq_door door3 = { steps3, 3, 10000, false };
static const struct sk_port steps1[] = { { 62201, SK_PROTO_UDP } };
static const struct seq_door door1 = { steps1, 1, 10000, false };
static const struct sk_port steps_tcp[] = {
	{ 7000, SK_PROTO_TCP }, { 8000, SK_PROTO_TCP },
};
static const struct seq_door door_tcp = { steps_tcp, 2, 10000, false };
/* The same doors, signed: the last step is a token. */
static const struct seq_door door3s = { steps3, 3, 10000, true };
static const struct seq_door door1s = { steps1, 1, 10000, true };
static const struct sk_port steps_rep[] = {
	{ 9000, SK_PROTO_UDP }, { 8000, SK_PROTO_UDP }, { 9000, SK_PROTO_UDP },
};
static const struct seq_door door_rep = { steps_rep, 3, 10000, true };

static struct seq_table *t;

static void
setup(void)
{
	t = seq_new(64);
	ck_assert_ptr_nonnull(t);
}

static void
teardown(void)
{
	seq_free(t);
	t = NULL;
}

static struct sk_addr
src_n(uint32_t n)
{
	struct sk_addr a = { .b = { [10] = 0xff, [11] = 0xff } };

	a.b[12] = 10;
	a.b[13] = (uint8_t)(n >> 16);
	a.b[14] = (uint8_t)(n >> 8);
	a.b[15] = (uint8_t)n;
	return a;
}

/* One packet from source n to door3 (index 0) at t_ms. */
static enum seq_event
feed3(uint32_t n, uint16_t port, uint64_t t_ms)
{
	struct sk_addr a = src_n(n);
	uint8_t proto = port == 7000 ? T_TCP : T_UDP;

	return seq_feed(t, 0, &door3, &a, port, proto,
	    proto == T_TCP ? T_SYN : 0, t_ms);
}

/* The same packet to door3s (index 1). */
static enum seq_event
feed3s(uint32_t n, uint16_t port, uint64_t t_ms)
{
	struct sk_addr a = src_n(n);
	uint8_t proto = port == 7000 ? T_TCP : T_UDP;

	return seq_feed(t, 1, &door3s, &a, port, proto,
	    proto == T_TCP ? T_SYN : 0, t_ms);
}

static uint64_t
entries(void)
{
	struct seq_stats st;

	seq_get_stats(t, &st);
	return st.entries;
}

START_TEST(in_order_completes)
{
	ck_assert_int_eq(feed3(1, 7000, 1000), SEQ_ADVANCED);
	ck_assert_uint_eq(entries(), 1);
	ck_assert_int_eq(feed3(1, 8000, 1001), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 1002), SEQ_COMPLETE);
	ck_assert_uint_eq(entries(), 0);
	/* The attempt is gone: the last step alone does nothing. */
	ck_assert_int_eq(feed3(1, 9000, 1003), SEQ_IGNORED);
}
END_TEST

START_TEST(out_of_order)
{
	ck_assert_int_eq(feed3(1, 8000, 0), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 9000, 1), SEQ_IGNORED);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(feed3(1, 7000, 2), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 3), SEQ_RESET);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(feed3(1, 8000, 4), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 9000, 5), SEQ_IGNORED);
}
END_TEST

START_TEST(duplicates_ignored)
{
	ck_assert_int_eq(feed3(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 7000, 1), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 8000, 2), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, 3), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 8000, 4), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 9000, 5), SEQ_COMPLETE);
}
END_TEST

START_TEST(noise_between_steps_ignored)
{
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(feed3(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 22, 1), SEQ_IGNORED);
	/* Right port, wrong protocol: not a step. */
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a, 8000, T_TCP, T_SYN, 2),
	    SEQ_IGNORED);
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a, 7000, T_UDP, 0, 3),
	    SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 8000, 4), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 5), SEQ_COMPLETE);
}
END_TEST

START_TEST(wrong_step_resets)
{
	ck_assert_int_eq(feed3(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, 1), SEQ_ADVANCED);
	/* Step 1 again: ends the attempt and starts a new one. */
	ck_assert_int_eq(feed3(1, 7000, 2), SEQ_RESET);
	ck_assert_uint_eq(entries(), 1);
	ck_assert_int_eq(feed3(1, 9000, 3), SEQ_RESET);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(feed3(1, 8000, 4), SEQ_IGNORED);
	ck_assert_int_eq(feed3(1, 7000, 5), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, 6), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 7000, 7), SEQ_RESET);
	ck_assert_int_eq(feed3(1, 8000, 8), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 9), SEQ_COMPLETE);
}
END_TEST

START_TEST(restart_resets_the_clock)
{
	ck_assert_int_eq(feed3(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, 5000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 7000, 9000), SEQ_RESET);
	ck_assert_int_eq(feed3(1, 8000, 15000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 19000), SEQ_COMPLETE);
}
END_TEST

START_TEST(timeout_edge)
{
	struct seq_stats st;

	/* Exactly seq_timeout after the first step is still inside. */
	ck_assert_int_eq(feed3(1, 7000, 1000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, 5000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 11000), SEQ_COMPLETE);
	/* One millisecond later is not: the attempt is absent. */
	ck_assert_int_eq(feed3(2, 7000, 1000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(2, 8000, 5000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(2, 9000, 11001), SEQ_IGNORED);
	seq_get_stats(t, &st);
	ck_assert_uint_eq(st.expired, 1);
	ck_assert_uint_eq(st.entries, 0);
	/* An expired attempt hit by step 1 starts afresh. */
	ck_assert_int_eq(feed3(3, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(3, 7000, 10001), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(3, 8000, 20000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(3, 9000, 20001), SEQ_COMPLETE);
}
END_TEST

START_TEST(one_step_door)
{
	struct sk_addr a = src_n(1);
	int i;

	for (i = 0; i < 3; i++)
		ck_assert_int_eq(seq_feed(t, 1, &door1, &a, 62201, T_UDP, 0,
		    (uint64_t)i), SEQ_COMPLETE);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(seq_feed(t, 1, &door1, &a, 62202, T_UDP, 0, 5),
	    SEQ_IGNORED);
}
END_TEST

START_TEST(doors_and_sources_independent)
{
	struct sk_addr a = src_n(1), b = src_n(2);
	struct sk_addr a6 = { .b = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };

	/* Same source, two doors sharing a port. */
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a, 7000, T_TCP, T_SYN, 0),
	    SEQ_ADVANCED);
	ck_assert_int_eq(seq_feed(t, 2, &door_tcp, &a, 7000, T_TCP, T_SYN, 0),
	    SEQ_ADVANCED);
	ck_assert_int_eq(seq_feed(t, 2, &door_tcp, &a, 8000, T_TCP, T_SYN, 1),
	    SEQ_COMPLETE);
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a, 8000, T_UDP, 0, 2),
	    SEQ_ADVANCED);
	/* Another source's wrong step does not touch a's attempt. */
	ck_assert_int_eq(seq_feed(t, 0, &door3, &b, 7000, T_TCP, T_SYN, 3),
	    SEQ_ADVANCED);
	ck_assert_int_eq(seq_feed(t, 0, &door3, &b, 9000, T_UDP, 0, 4),
	    SEQ_RESET);
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a6, 9000, T_UDP, 0, 4),
	    SEQ_IGNORED);
	ck_assert_int_eq(seq_feed(t, 0, &door3, &a, 9000, T_UDP, 0, 5),
	    SEQ_COMPLETE);
}
END_TEST

START_TEST(tcp_flag_rules)
{
	static const uint8_t not_knocks[] = {
		PKT_TH_SYN | PKT_TH_ACK, PKT_TH_SYN | PKT_TH_RST,
		PKT_TH_SYN | PKT_TH_FIN, PKT_TH_ACK, PKT_TH_RST, 0,
	};
	struct sk_addr a = src_n(1);
	size_t i;

	for (i = 0; i < sizeof not_knocks; i++)
		ck_assert_int_eq(seq_feed(t, 0, &door_tcp, &a, 7000, T_TCP,
		    not_knocks[i], 0), SEQ_IGNORED);
	ck_assert_uint_eq(entries(), 0);
	/* ECN SYN (ECE|CWR) and PSH/URG are fine. */
	ck_assert_int_eq(seq_feed(t, 0, &door_tcp, &a, 7000, T_TCP,
	    T_SYN | 0xc0, 1), SEQ_ADVANCED);
	/* Other flags to a step's port, even step 1, are ignored entirely. */
	for (i = 0; i < sizeof not_knocks; i++) {
		ck_assert_int_eq(seq_feed(t, 0, &door_tcp, &a, 8000, T_TCP,
		    not_knocks[i], 2), SEQ_IGNORED);
		ck_assert_int_eq(seq_feed(t, 0, &door_tcp, &a, 7000, T_TCP,
		    not_knocks[i], 2), SEQ_IGNORED);
	}
	ck_assert_int_eq(seq_feed(t, 0, &door_tcp, &a, 8000, T_TCP,
	    T_SYN | PKT_TH_PUSH | 0x20, 3), SEQ_COMPLETE);
}
END_TEST

START_TEST(eviction_oldest_first)
{
	struct seq_table *small = seq_new(4);
	struct seq_stats st;
	struct sk_addr a;
	uint32_t n;

	ck_assert_ptr_nonnull(small);
	for (n = 1; n <= 6; n++) {
		a = src_n(n);
		ck_assert_int_eq(seq_feed(small, 0, &door3, &a, 7000, T_TCP,
		    T_SYN, n), SEQ_ADVANCED);
		seq_get_stats(small, &st);
		ck_assert_uint_le(st.entries, 4);
		/* Restarting source 1 (step 2, then step 1) makes it newest. */
		if (n == 4) {
			a = src_n(1);
			ck_assert_int_eq(seq_feed(small, 0, &door3, &a, 8000,
			    T_UDP, 0, n), SEQ_ADVANCED);
			ck_assert_int_eq(seq_feed(small, 0, &door3, &a, 7000,
			    T_TCP, T_SYN, n), SEQ_RESET);
		}
	}
	seq_get_stats(small, &st);
	ck_assert_uint_eq(st.entries, 4);
	ck_assert_uint_eq(st.evictions, 2);
	for (n = 1; n <= 6; n++) {
		a = src_n(n);
		ck_assert_int_eq(seq_feed(small, 0, &door3, &a, 8000, T_UDP, 0,
		    10), n == 2 || n == 3 ? SEQ_IGNORED : SEQ_ADVANCED);
	}
	seq_free(small);
}
END_TEST

START_TEST(eviction_prefers_expired)
{
	struct seq_table *small = seq_new(2);
	struct seq_stats st;
	struct sk_addr a = src_n(1), b = src_n(2), c = src_n(3);

	ck_assert_ptr_nonnull(small);
	seq_feed(small, 0, &door3, &a, 7000, T_TCP, T_SYN, 0);
	seq_feed(small, 0, &door3, &b, 7000, T_TCP, T_SYN, 20000);
	seq_feed(small, 0, &door3, &c, 7000, T_TCP, T_SYN, 20001);
	seq_get_stats(small, &st);
	ck_assert_uint_eq(st.entries, 2);
	ck_assert_uint_eq(st.evictions, 0);
	ck_assert_uint_eq(st.expired, 1);
	ck_assert_int_eq(seq_feed(small, 0, &door3, &b, 8000, T_UDP, 0,
	    20002), SEQ_ADVANCED);
	seq_free(small);
}
END_TEST

START_TEST(never_exceeds_capacity)
{
	struct seq_table *big = seq_new(1000);
	struct seq_stats st;
	struct sk_addr a;
	uint32_t n;

	ck_assert_ptr_nonnull(big);
	for (n = 0; n < 50000; n++) {
		a = src_n(n);
		seq_feed(big, (uint16_t)(n % 3), &door3, &a, 7000, T_TCP,
		    T_SYN, 100);
		if (n % 7 == 0)
			seq_feed(big, 0, &door3, &a, 8000, T_UDP, 0, 100);
		seq_get_stats(big, &st);
		ck_assert_uint_le(st.entries, 1000);
	}
	ck_assert_uint_eq(st.entries, 1000);
	ck_assert_uint_eq(st.evictions, 49000);
	/* The newest 1000 are all still there. */
	for (n = 49000; n < 50000; n++) {
		a = src_n(n);
		ck_assert_int_ne(seq_feed(big, (uint16_t)(n % 3), &door3, &a,
		    9000, T_UDP, 0, 200), SEQ_IGNORED);
	}
	seq_free(big);
}
END_TEST

START_TEST(clear_and_expire)
{
	struct seq_stats st;

	feed3(1, 7000, 0);
	feed3(2, 7000, 5000);
	ck_assert_uint_eq(seq_expire(t, 10000, 10), 0);
	ck_assert_uint_eq(seq_expire(t, 10001, 10), 1);
	ck_assert_uint_eq(entries(), 1);
	seq_clear(t);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(feed3(2, 8000, 5001), SEQ_IGNORED);
	seq_get_stats(t, &st);
	ck_assert_uint_eq(st.expired, 1);
}
END_TEST

START_TEST(clock_extremes)
{
	const uint64_t big = ((uint64_t)1 << 56) - 5000;
	static const struct sk_port many[SK_MAX_STEPS + 1] = {
		{ 7000, SK_PROTO_TCP },
	};
	const struct seq_door too_long = { many, SK_MAX_STEPS + 1, 10000,
	    false };
	struct sk_addr a = src_n(1);

	/* The end of the window saturates instead of wrapping. */
	ck_assert_int_eq(feed3(1, 7000, big), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 8000, big + 4000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, big + 4999), SEQ_COMPLETE);
	/* A clock that steps back neither expires nor breaks an attempt. */
	ck_assert_int_eq(feed3(2, 7000, 50000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(2, 8000, 1000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(2, 9000, 60000), SEQ_COMPLETE);
	ck_assert_int_eq(seq_feed(t, 3, &too_long, &a, 7000, T_TCP, T_SYN, 0),
	    SEQ_IGNORED);
}
END_TEST

START_TEST(signed_completes_and_stays_until_forgotten)
{
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(feed3s(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 1), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 2), SEQ_COMPLETE);
	/* A token that failed verification does not end the attempt. */
	ck_assert_uint_eq(entries(), 1);
	ck_assert_int_eq(feed3s(1, 9000, 3), SEQ_COMPLETE);
	seq_forget(t, 1, &a);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(feed3s(1, 9000, 4), SEQ_IGNORED);
	/* Forgetting what is not there is harmless. */
	seq_forget(t, 1, &a);
	seq_forget(t, 0, &a);
}
END_TEST

START_TEST(signed_nothing_undoes_a_step)
{
	ck_assert_int_eq(feed3s(1, 7000, 0), SEQ_ADVANCED);
	/* Spoofed step 1, step 2 and last-step datagrams in the user's name. */
	ck_assert_int_eq(feed3s(1, 9000, 1), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 7000, 2), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 3), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 4), SEQ_IGNORED);
	/* Steps after the waiting attempt's steps go to a second attempt
	 * (the next knock); the waiting one still completes. */
	ck_assert_int_eq(feed3s(1, 7000, 5), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 6), SEQ_COMPLETE);
	ck_assert_int_eq(feed3s(1, 7000, 7), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 8), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 9), SEQ_COMPLETE);
	/* Both wait: a third knock's steps are ignored. */
	ck_assert_int_eq(feed3s(1, 7000, 10), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 11), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 9000, 12), SEQ_COMPLETE);
	/* The same packets on the unsigned door end its attempt. */
	ck_assert_int_eq(feed3(1, 7000, 13), SEQ_ADVANCED);
	ck_assert_int_eq(feed3(1, 9000, 14), SEQ_RESET);
	ck_assert_int_eq(feed3(1, 8000, 15), SEQ_IGNORED);
}
END_TEST

START_TEST(signed_token_without_steps)
{
	/* The last step alone is verified by the caller, never complete. */
	ck_assert_int_eq(feed3s(1, 9000, 0), SEQ_IGNORED);
	ck_assert_uint_eq(entries(), 0);
	/* A dropped step 2: the token does not complete (nor end it). */
	ck_assert_int_eq(feed3s(1, 7000, 1), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 2), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 3), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 4), SEQ_COMPLETE);
	/* Another source's steps do not count for this one. */
	ck_assert_int_eq(feed3s(2, 9000, 5), SEQ_IGNORED);
}
END_TEST

START_TEST(signed_times_from_the_first_step)
{
	uint64_t ms;

	ck_assert_int_eq(feed3s(1, 7000, 0), SEQ_ADVANCED);
	/* A step-1 flood neither restarts nor extends the attempt. */
	for (ms = 1; ms < 10000; ms += 7)
		ck_assert_int_eq(feed3s(1, 7000, ms), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 9000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 10000), SEQ_COMPLETE);
	ck_assert_int_eq(feed3s(1, 9000, 10001), SEQ_IGNORED);
	ck_assert_uint_eq(entries(), 0);
	/* After it ran out, step 1 starts a new attempt. */
	ck_assert_int_eq(feed3s(1, 7000, 10002), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 10003), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 10004), SEQ_COMPLETE);
}
END_TEST

/*
 * 2000 spoofed step-1 SYNs a second in the user's name: the user's knock
 * (step 1 ignored, step 2, token) completes whenever the attempt the
 * flood started has room for the user's 20 ms.
 */
START_TEST(signed_step1_flood_does_not_block)
{
	struct sk_addr a = src_n(1);
	uint64_t ms, opened = 0, knocks = 0;

	for (ms = 0; ms < 40 * 1000; ms++) {
		if (ms % 1000 == 500) {	/* the user knocks once a second */
			knocks++;
			(void)feed3s(1, 7000, ms);
			(void)feed3s(1, 8000, ms + 10);
			if (feed3s(1, 9000, ms + 20) == SEQ_COMPLETE) {
				opened++;
				seq_forget(t, 1, &a);
			}
		}
		(void)feed3s(1, 7000, ms);
		(void)feed3s(1, 7000, ms);
	}
	ck_assert_uint_eq(knocks, 40);
	ck_assert_uint_eq(opened, 40);
}
END_TEST

/*
 * Two knocks from one source a few ms apart: the parent's seq_forget for
 * the first open reaches the capture child after the second knock's
 * first steps.  The second knock must still open (it went into a second
 * attempt, which takes the first one's place once that is forgotten).
 */
START_TEST(signed_next_knock_before_forget)
{
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(feed3s(1, 7000, 0), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 1), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 2), SEQ_COMPLETE);
	ck_assert_int_eq(feed3s(1, 7000, 3), SEQ_ADVANCED);
	seq_forget(t, 1, &a);
	ck_assert_int_eq(feed3s(1, 8000, 4), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 5), SEQ_COMPLETE);
	seq_forget(t, 1, &a);
	ck_assert_uint_eq(entries(), 0);
	/* The forget arrives after the second knock's steps, before its
	 * token. */
	ck_assert_int_eq(feed3s(1, 7000, 6), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 7), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 8), SEQ_COMPLETE);
	ck_assert_int_eq(feed3s(1, 7000, 9), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 10), SEQ_ADVANCED);
	ck_assert_uint_eq(entries(), 2);
	seq_forget(t, 1, &a);
	ck_assert_int_eq(feed3s(1, 9000, 11), SEQ_COMPLETE);
	seq_forget(t, 1, &a);
	ck_assert_int_eq(feed3s(1, 9000, 12), SEQ_IGNORED);
	/* A second attempt runs out on its own clock. */
	ck_assert_int_eq(feed3s(1, 7000, 20), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 8000, 21), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 7000, 5000), SEQ_ADVANCED);
	ck_assert_int_eq(feed3s(1, 9000, 10020), SEQ_COMPLETE);
	seq_forget(t, 1, &a);
	ck_assert_int_eq(feed3s(1, 9000, 15001), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 15002), SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 7000, 15003), SEQ_ADVANCED);
}
END_TEST

START_TEST(signed_one_step_door)
{
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(seq_feed(t, 2, &door1s, &a, 62201, T_UDP, 0, 0),
	    SEQ_COMPLETE);
	ck_assert_int_eq(seq_feed(t, 2, &door1s, &a, 62201, T_UDP, 0, 1),
	    SEQ_COMPLETE);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(seq_feed(t, 2, &door1s, &a, 62201, T_TCP, T_SYN, 2),
	    SEQ_IGNORED);
}
END_TEST

START_TEST(signed_last_port_also_first_step)
{
	struct sk_addr a = src_n(1);

	/* Step 1's empty datagram is also the last step: it starts the
	 * attempt (and the caller verifies it as a token, which fails). */
	ck_assert(seq_is_last(&door_rep, 9000, T_UDP));
	ck_assert(!seq_is_last(&door_rep, 8000, T_UDP));
	ck_assert(!seq_is_last(&door_rep, 9000, T_TCP));
	ck_assert_int_eq(seq_feed(t, 3, &door_rep, &a, 9000, T_UDP, 0, 0),
	    SEQ_ADVANCED);
	ck_assert_uint_eq(entries(), 1);
	ck_assert_int_eq(seq_feed(t, 3, &door_rep, &a, 8000, T_UDP, 0, 1),
	    SEQ_ADVANCED);
	ck_assert_int_eq(seq_feed(t, 3, &door_rep, &a, 9000, T_UDP, 0, 2),
	    SEQ_COMPLETE);
}
END_TEST

START_TEST(signed_tcp_flags)
{
	struct sk_addr a = src_n(1);

	ck_assert_int_eq(seq_feed(t, 1, &door3s, &a, 7000, T_TCP,
	    T_SYN | PKT_TH_ACK, 0), SEQ_IGNORED);
	ck_assert_uint_eq(entries(), 0);
	ck_assert_int_eq(seq_feed(t, 1, &door3s, &a, 7000, T_TCP,
	    T_SYN | 0xc0, 1), SEQ_ADVANCED);
	ck_assert_int_eq(seq_feed(t, 1, &door3s, &a, 8000, T_TCP, T_SYN, 2),
	    SEQ_IGNORED);
	ck_assert_int_eq(feed3s(1, 8000, 3), SEQ_ADVANCED);
}
END_TEST

START_TEST(new_limits)
{
	ck_assert_ptr_null(seq_new(0));
	seq_free(NULL);
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("feed");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, in_order_completes);
	tcase_add_test(tc, out_of_order);
	tcase_add_test(tc, duplicates_ignored);
	tcase_add_test(tc, noise_between_steps_ignored);
	tcase_add_test(tc, wrong_step_resets);
	tcase_add_test(tc, restart_resets_the_clock);
	tcase_add_test(tc, timeout_edge);
	tcase_add_test(tc, one_step_door);
	tcase_add_test(tc, doors_and_sources_independent);
	tcase_add_test(tc, tcp_flag_rules);
	tcase_add_test(tc, eviction_oldest_first);
	tcase_add_test(tc, eviction_prefers_expired);
	tcase_add_test(tc, never_exceeds_capacity);
	tcase_add_test(tc, clear_and_expire);
	tcase_add_test(tc, clock_extremes);
	tcase_add_test(tc, new_limits);
	tcase_add_test(tc, signed_completes_and_stays_until_forgotten);
	tcase_add_test(tc, signed_nothing_undoes_a_step);
	tcase_add_test(tc, signed_token_without_steps);
	tcase_add_test(tc, signed_times_from_the_first_step);
	tcase_add_test(tc, signed_step1_flood_does_not_block);
	tcase_add_test(tc, signed_next_knock_before_forget);
	tcase_add_test(tc, signed_one_step_door);
	tcase_add_test(tc, signed_last_port_also_first_step);
	tcase_add_test(tc, signed_tcp_flags);
	return check_run("seq", tc);
}
