/*
 * test_pktsteps.c: pkt_parse_steps, the daemon's lazy decoder, against
 * pkt_parse, the reference: PKT_OK only where pkt_parse says PKT_OK for
 * a wanted port, with the same view; PKT_SKIP never for a wanted port;
 * errors as pkt_parse's.  Mutated frames of every shape.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "pkt.h"
#include "sk.h"
#include "check_main.h"

#define MUTATIONS	40000	/* per seed frame and port map */

static const uint8_t token[88] = { 1, 2, 3 };

static struct pkt_portmap map_all, map_none, map_steps, map_half;

static void
maps_init(void)
{
	memset(&map_all, 0xff, sizeof map_all);
	memset(&map_none, 0, sizeof map_none);
	memset(&map_steps, 0, sizeof map_steps);
	pkt_portmap_add(&map_steps, SK_PROTO_TCP, 7000);
	pkt_portmap_add(&map_steps, SK_PROTO_UDP, 8000);
	pkt_portmap_add(&map_steps, SK_PROTO_UDP, 9000);
	for (size_t i = 0; i < sizeof map_half; i++)
		((uint8_t *)map_half.bits)[i] = (uint8_t)(0x5a ^ i * 37);
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 2685821657736338717ULL) >> 32);
}

/*
 * Both decoders on an exact-length heap copy, so ASan sees overreads;
 * NULL if they agree, else what differs (one ck_assert per frame would
 * make Check's fork mode write a pipe a million times).
 */
static const char *
differs(const uint8_t *copy, size_t len, int dlt,
    const struct pkt_portmap *want)
{
	struct pkt_view a, s;
	enum pkt_err ea, es;

	ea = pkt_parse(copy, len, dlt, &a);
	es = pkt_parse_steps(copy, len, dlt, want, &s);
	if (pkt_skip(copy, len, dlt, want) && es != PKT_SKIP)
		return "pkt_skip said skip, pkt_parse_steps did not";
	if (es == PKT_SKIP) {
		/* Skipped: refused by the reference, or an unwanted port. */
		if (ea == PKT_OK && pkt_portmap_has(want, a.proto, a.dport))
			return "PKT_SKIP for a wanted port";
		return NULL;
	}
	if (es != ea)
		return "error code";
	if (ea != PKT_OK)
		return NULL;
	if (!pkt_portmap_has(want, a.proto, a.dport))
		return "PKT_OK for an unwanted port";
	if (s.family != a.family || s.proto != a.proto ||
	    s.sport != a.sport || s.dport != a.dport ||
	    s.tcp_flags != a.tcp_flags)
		return "ports, protocol or flags";
	if (memcmp(s.src.b, a.src.b, 16) != 0 ||
	    memcmp(s.dst.b, a.dst.b, 16) != 0)
		return "addresses";
	if (s.payload != a.payload || s.payload_len != a.payload_len ||
	    s.truncated != a.truncated)
		return "payload";
	return NULL;
}

static void
compare(const uint8_t *b, size_t len, int dlt, const struct pkt_portmap *want)
{
	uint8_t *copy = malloc(len ? len : 1);
	const char *what;

	if (copy == NULL)
		ck_abort_msg("out of memory");
	memcpy(copy, b, len);
	what = differs(copy, len, dlt, want);
	free(copy);
	if (what != NULL)
		ck_abort_msg("decoders differ (%s) on a %zu-byte frame, "
		    "link type %d", what, len, dlt);
}

/* The seeds: what a knock port sees, valid, in each shape. */
static size_t
seed(struct frame *f, int n)
{
	f->len = 0;
	switch (n) {
	case 0:
		udp(f, 40000, 9000, token, sizeof token);
		ip4(f, SK_PROTO_UDP, 0);
		break;
	case 1:
		tcp(f, 40000, 7000, PKT_TH_SYN, 0, 0);
		ip4(f, SK_PROTO_TCP, 0);
		break;
	case 2:
		tcp(f, 40000, 7000, PKT_TH_SYN, 12, 0);
		ip4(f, SK_PROTO_TCP, 8);
		break;
	case 3:
		udp(f, 40000, 8000, token, 1);
		ip4(f, SK_PROTO_UDP, 4);
		break;
	default:
		udp(f, 40000, 9000, token, sizeof token);
		ip6(f, SK_PROTO_UDP);
		eth(f, 0x86dd);
		return f->len;
	}
	eth(f, 0x0800);
	if (n == 3)
		vlan(f, 0x8100);
	return f->len;
}

/* A few bytes of the headers set to random or boundary values. */
static void
mutate(uint8_t *b, size_t len)
{
	static const uint8_t edge[] = { 0, 1, 0x0f, 0x10, 0x20, 0x40, 0x45,
	    0x46, 0x4f, 0x50, 0x60, 0x80, 0xf0, 0xff, 6, 17, 8, 20 };
	int n = 1 + (int)(rnd() % 3);

	for (int i = 0; i < n && len > 0; i++) {
		size_t at = rnd() % (len < 64 ? len : 64);

		b[at] = rnd() & 1 ? (uint8_t)rnd() :
		    edge[rnd() % sizeof edge];
	}
}

static void
fuzz_against(const struct pkt_portmap *want)
{
	struct frame f;
	uint8_t b[BUF_CAP + 16];

	for (int s = 0; s < 5; s++) {
		size_t len = seed(&f, s);

		compare(f.b, len, PKT_DLT_EN10MB, want);
		for (int i = 0; i < MUTATIONS; i++) {
			size_t cut;

			memcpy(b, f.b, len);
			memset(b + len, 0, 16);		/* trailing padding */
			mutate(b, len);
			cut = rnd() % 4 == 0 ? rnd() % (len + 17) : len;
			compare(b, cut, PKT_DLT_EN10MB, want);
			compare(b + 14, cut > 14 ? cut - 14 : 0,
			    PKT_DLT_RAW, want);
		}
	}
}

START_TEST(same_decisions_all_ports)
{
	fuzz_against(&map_all);
}
END_TEST

START_TEST(same_decisions_no_port)
{
	fuzz_against(&map_none);
}
END_TEST

START_TEST(same_decisions_step_ports)
{
	fuzz_against(&map_steps);
}
END_TEST

START_TEST(same_decisions_half_the_ports)
{
	fuzz_against(&map_half);
}
END_TEST

START_TEST(step_port_whole_view_other_port_skipped)
{
	struct frame f;
	struct pkt_view v;
	uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };

	memcpy(mapped + 12, src4, 4);
	seed(&f, 0);
	ck_assert_int_eq(pkt_parse_steps(f.b, f.len, PKT_DLT_EN10MB,
	    &map_steps, &v), PKT_OK);
	ck_assert_mem_eq(v.src.b, mapped, 16);
	ck_assert_uint_eq(v.payload_len, sizeof token);
	ck_assert_mem_eq(v.payload, token, sizeof token);
	/* 9000/udp is a step, 9000/tcp is not. */
	seed(&f, 1);
	store_be16(f.b + 14 + 20 + 2, 9000);
	ck_assert_int_eq(pkt_parse_steps(f.b, f.len, PKT_DLT_EN10MB,
	    &map_steps, &v), PKT_SKIP);
	ck_assert(pkt_skip(f.b, f.len, PKT_DLT_EN10MB, &map_steps));
	ck_assert(!pkt_skip(f.b, f.len, PKT_DLT_EN10MB, &map_all));
	ck_assert(!pkt_skip(f.b, f.len, PKT_DLT_RAW, &map_none));
	/* A fragment: skipped if unwanted, refused by pkt_parse if wanted. */
	f.b[14 + 6] = 0x20;	/* MF */
	ck_assert_int_eq(pkt_parse_steps(f.b, f.len, PKT_DLT_EN10MB,
	    &map_steps, &v), PKT_SKIP);
	store_be16(f.b + 14 + 20 + 2, 7000);
	ck_assert_int_eq(pkt_parse_steps(f.b, f.len, PKT_DLT_EN10MB,
	    &map_steps, &v), PKT_E_FRAGMENT);
	ck_assert_str_eq(pkt_strerror(PKT_SKIP), "not to a wanted port");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("core");

	maps_init();
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, step_port_whole_view_other_port_skipped);
	tcase_add_test(tc, same_decisions_all_ports);
	tcase_add_test(tc, same_decisions_no_port);
	tcase_add_test(tc, same_decisions_step_ports);
	tcase_add_test(tc, same_decisions_half_the_ports);
	return check_run("pktsteps", tc);
}
