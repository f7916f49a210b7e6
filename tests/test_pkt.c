/* test_pkt.c: pkt_parse over hand-built frames of every link type. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "frame.h"
#include "pkt.h"
#include "sk.h"
#include "check_main.h"

static const uint8_t knock_payload[5] = { 'h', 'e', 'l', 'l', 'o' };

static void
udp4(struct frame *f)
{
	udp(f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip4(f, SK_PROTO_UDP, 0);
}

static void
udp6(struct frame *f)
{
	udp(f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6(f, SK_PROTO_UDP);
}

/* The last frame parsed; kept so a view into it stays valid. */
static uint8_t *last_copy;

static void
free_copy(void)
{
	free(last_copy);
	last_copy = NULL;
}

/* Parse a copy of exactly len bytes, so ASan sees any read past it. */
static enum pkt_err
parse_exact(const struct frame *f, size_t len, int dlt, struct pkt_view *v)
{
	enum pkt_err e;

	free_copy();
	last_copy = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(last_copy);
	memcpy(last_copy, f->b, len);
	e = pkt_parse(last_copy, len, dlt, v);
	if (e == PKT_OK && v->payload_len > 0)	/* payload lies in the copy */
		ck_assert(v->payload >= last_copy &&
		    v->payload + v->payload_len <= last_copy + len);
	return e;
}

static void
assert_udp4(const struct pkt_view *v)
{
	uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };

	memcpy(mapped + 12, src4, 4);
	ck_assert_mem_eq(v->src.b, mapped, 16);
	memcpy(mapped + 12, dst4, 4);
	ck_assert_mem_eq(v->dst.b, mapped, 16);
	ck_assert_uint_eq(v->family, 4);
	ck_assert_uint_eq(v->proto, SK_PROTO_UDP);
	ck_assert_uint_eq(v->sport, 40000);
	ck_assert_uint_eq(v->dport, 7000);
	ck_assert_uint_eq(v->tcp_flags, 0);
	ck_assert_uint_eq(v->payload_len, sizeof knock_payload);
	ck_assert_mem_eq(v->payload, knock_payload, sizeof knock_payload);
}

static void
assert_v6(const struct pkt_view *v, uint8_t proto)
{
	ck_assert_mem_eq(v->src.b, src6, 16);
	ck_assert_mem_eq(v->dst.b, dst6, 16);
	ck_assert_uint_eq(v->family, 6);
	ck_assert_uint_eq(v->proto, proto);
	ck_assert_uint_eq(v->dport, 7000);
}

START_TEST(eth_ipv4_udp)
{
	struct frame f;
	struct pkt_view v;

	udp4(&f);
	eth(&f, 0x0800);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v), PKT_OK);
	assert_udp4(&v);
}
END_TEST

START_TEST(eth_trailing_padding_ignored)
{
	struct frame f;
	struct pkt_view v;

	udp4(&f);
	eth(&f, 0x0800);
	memset(f.b + f.len, 0xee, 60 - f.len);	/* minimum frame padding */
	f.len = 60;
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v), PKT_OK);
	assert_udp4(&v);
}
END_TEST

START_TEST(eth_ipv4_tcp_syn)
{
	struct frame f;
	struct pkt_view v;

	tcp(&f, 40000, 7000, PKT_TH_SYN | 0xc0, 12, 0);	/* ECN SYN, options */
	ip4(&f, SK_PROTO_TCP, 0);
	eth(&f, 0x0800);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v), PKT_OK);
	ck_assert_uint_eq(v.proto, SK_PROTO_TCP);
	ck_assert_uint_eq(v.sport, 40000);
	ck_assert_uint_eq(v.dport, 7000);
	ck_assert_uint_eq(v.tcp_flags, PKT_TH_SYN | 0xc0);
	ck_assert_uint_eq(v.payload_len, 0);
}
END_TEST

START_TEST(tcp_payload_length_from_ip)
{
	struct frame f;
	struct pkt_view v;

	tcp(&f, 1, 22, PKT_TH_ACK | PKT_TH_PUSH, 0, 33);
	ip4(&f, SK_PROTO_TCP, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	ck_assert_uint_eq(v.payload_len, 33);
	ck_assert_uint_eq(v.payload[0], 'd');
}
END_TEST

START_TEST(eth_vlan_single_and_double)
{
	static const unsigned tpids[][2] = {
		{ 0x8100, 0 }, { 0x88a8, 0x8100 }, { 0x8100, 0x8100 },
		{ 0x9100, 0x8100 },
	};
	struct frame f;
	struct pkt_view v;
	size_t i;

	for (i = 0; i < sizeof tpids / sizeof tpids[0]; i++) {
		udp4(&f);
		eth(&f, 0x0800);
		if (tpids[i][1] != 0)
			vlan(&f, tpids[i][1]);
		vlan(&f, tpids[i][0]);
		ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
		    PKT_OK);
		assert_udp4(&v);
	}
	udp6(&f);
	eth(&f, 0x86dd);
	vlan(&f, 0x8100);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_UDP);
}
END_TEST

START_TEST(eth_vlan_too_many_tags)
{
	struct frame f;
	struct pkt_view v;
	int i;

	udp4(&f);
	eth(&f, 0x0800);
	for (i = 0; i < 9; i++)
		vlan(&f, 0x8100);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
	    PKT_E_NOT_IP);
}
END_TEST

START_TEST(eth_not_ip)
{
	struct frame f = { .len = 28 };
	struct pkt_view v;

	eth(&f, 0x0806);	/* ARP */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
	    PKT_E_NOT_IP);
}
END_TEST

/*
 * cooked(f, dlt, pkttype, type, v): a UDP frame (IPv6 for type 0x86dd,
 * else IPv4) under a Linux cooked header of ${dlt}, parsed into ${v}.
 */
static enum pkt_err
cooked(struct frame *f, int dlt, uint8_t pkttype, unsigned type,
    struct pkt_view *v)
{
	if (type == 0x86dd)
		udp6(f);
	else
		udp4(f);
	if (dlt == PKT_DLT_LINUX_SLL)
		sll(f, pkttype, type);
	else
		sll2(f, pkttype, type);
	return parse_exact(f, f->len, dlt, v);
}

START_TEST(sll_in_and_outgoing)
{
	struct frame f;
	struct pkt_view v;
	uint8_t t;

	for (t = 0; t <= 3; t++) {	/* host, broadcast, multicast, other */
		ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL, t, 0x0800, &v),
		    PKT_OK);
		assert_udp4(&v);
	}
	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL, 0, 0x86dd, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_UDP);
	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL, 4, 0x0800, &v),
	    PKT_E_OUTGOING);
	f.len = 16;	/* header only, non-IP protocol */
	store_be16(f.b, 0);
	store_be16(f.b + 14, 0x0806);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_LINUX_SLL, &v),
	    PKT_E_NOT_IP);
}
END_TEST

START_TEST(sll2_in_and_outgoing)
{
	struct frame f;
	struct pkt_view v;

	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL2, 0, 0x0800, &v), PKT_OK);
	assert_udp4(&v);
	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL2, 3, 0x86dd, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_UDP);
	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL2, 4, 0x0800, &v),
	    PKT_E_OUTGOING);
	ck_assert_int_eq(cooked(&f, PKT_DLT_LINUX_SLL2, 0, 0x0806, &v),
	    PKT_E_NOT_IP);
}
END_TEST

START_TEST(raw_link_types)
{
	static const int raw[] = { PKT_DLT_RAW, PKT_DLT_RAW_FILE };
	struct frame f4, f6;
	struct pkt_view v;
	size_t i;

	udp4(&f4);
	udp6(&f6);
	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(parse_exact(&f4, f4.len, raw[i], &v), PKT_OK);
		assert_udp4(&v);
		ck_assert_int_eq(parse_exact(&f6, f6.len, raw[i], &v), PKT_OK);
		assert_v6(&v, SK_PROTO_UDP);
	}
	ck_assert_int_eq(parse_exact(&f4, f4.len, PKT_DLT_IPV4, &v), PKT_OK);
	assert_udp4(&v);
	ck_assert_int_eq(parse_exact(&f6, f6.len, PKT_DLT_IPV6, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_UDP);
	ck_assert_int_eq(parse_exact(&f6, f6.len, PKT_DLT_IPV4, &v),
	    PKT_E_BAD_IP);
	ck_assert_int_eq(parse_exact(&f4, f4.len, PKT_DLT_IPV6, &v),
	    PKT_E_BAD_IP);
	f4.b[0] = 0x55;
	ck_assert_int_eq(parse_exact(&f4, f4.len, PKT_DLT_RAW, &v),
	    PKT_E_NOT_IP);
}
END_TEST

START_TEST(unknown_linktype)
{
	struct frame f;
	struct pkt_view v;

	udp4(&f);
	ck_assert_int_eq(parse_exact(&f, f.len, 0, &v), PKT_E_LINKTYPE);
	ck_assert_int_eq(parse_exact(&f, f.len, 127, &v), PKT_E_LINKTYPE);
}
END_TEST

START_TEST(ipv4_options)
{
	struct frame f;
	struct pkt_view v;
	size_t opt;

	for (opt = 4; opt <= 40; opt += 4) {
		udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
		ip4(&f, SK_PROTO_UDP, opt);
		eth(&f, 0x0800);
		ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
		    PKT_OK);
		assert_udp4(&v);
	}
}
END_TEST

START_TEST(ipv4_bad_headers)
{
	struct frame f;
	struct pkt_view v;

	udp4(&f);
	f.b[0] = 0x44;	/* IHL 4 < 5 */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV4, &v),
	    PKT_E_BAD_IP);
	f.b[0] = 0x4f;	/* IHL 60 > total length 33 */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV4, &v),
	    PKT_E_BAD_IP);
	udp4(&f);
	store_be16(f.b + 2, 19);	/* total length < header */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV4, &v),
	    PKT_E_BAD_IP);
	/* total length > captured */
	store_be16(f.b + 2, (unsigned)f.len + 1);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV4, &v), PKT_OK);
	ck_assert(!v.truncated);	/* the UDP datagram is all there */
	/* now it is cut */
	store_be16(f.b + 24, (unsigned)(f.len - 20 + 1));
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV4, &v), PKT_OK);
	ck_assert(v.truncated);
	ck_assert_uint_eq(v.payload_len, f.len - 28);
	udp4(&f);
	eth(&f, 0x0800);
	f.b[14] = 0x65;	/* version 6 behind an IPv4 ethertype */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
	    PKT_E_BAD_IP);
	udp6(&f);
	eth(&f, 0x86dd);
	f.b[14] = 0x45;
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_EN10MB, &v),
	    PKT_E_BAD_IP);
}
END_TEST

START_TEST(ipv4_fragments)
{
	struct frame f;
	struct pkt_view v;

	udp4(&f);
	f.b[6] = 0x20;	/* MF */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_FRAGMENT);
	f.b[6] = 0x00;
	f.b[7] = 0x01;	/* offset 8 */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_FRAGMENT);
	f.b[6] = 0x40;	/* DF alone is fine */
	f.b[7] = 0x00;
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
}
END_TEST

START_TEST(ipv4_not_transport)
{
	struct frame f = { .len = 8 };	/* ICMP echo */
	struct pkt_view v;

	ip4(&f, 1, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_NOT_TRANSPORT);
}
END_TEST

START_TEST(ipv6_extension_headers)
{
	struct frame f;
	struct pkt_view v;

	tcp(&f, 40000, 7000, PKT_TH_SYN, 0, 0);
	ip6_ext(&f, SK_PROTO_TCP, 51);	/* AH */
	ip6_ext(&f, 51, 60);	/* destination options */
	ip6_ext(&f, 60, 43);	/* routing */
	ip6_ext(&f, 43, 0);	/* hop-by-hop */
	ip6(&f, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_TCP);
	ck_assert_uint_eq(v.tcp_flags, PKT_TH_SYN);
	/* A longer hop-by-hop header (2 units = 24 bytes). */
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	prepend(&f, 24);
	f.b[0] = SK_PROTO_UDP;
	f.b[1] = 2;
	ip6(&f, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_IPV6, &v), PKT_OK);
	assert_v6(&v, SK_PROTO_UDP);
	ck_assert_mem_eq(v.payload, knock_payload, sizeof knock_payload);
}
END_TEST

START_TEST(ipv6_fragment_and_others)
{
	struct frame f;
	struct pkt_view v;
	int i;

	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6_ext(&f, SK_PROTO_UDP, 44);
	ip6_ext(&f, 44, 0);
	ip6(&f, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_FRAGMENT);
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6(&f, 44);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_FRAGMENT);
	f.len = 0;
	ip6(&f, 59);	/* no next header */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_NOT_TRANSPORT);
	f.len = 8;
	memset(f.b, 0, 8);
	ip6(&f, 58);	/* ICMPv6 */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_NOT_TRANSPORT);
	/* Eight extension headers are walked, nine are too many. */
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6_ext(&f, SK_PROTO_UDP, 60);
	for (i = 0; i < 7; i++)
		ip6_ext(&f, 60, 60);
	ip6(&f, 60);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6_ext(&f, SK_PROTO_UDP, 60);
	for (i = 0; i < 8; i++)
		ip6_ext(&f, 60, 60);
	ip6(&f, 60);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_IP);
}
END_TEST

START_TEST(ipv6_bad_lengths)
{
	struct frame f;
	struct pkt_view v;

	udp6(&f);
	/* past caplen */
	store_be16(f.b + 4, (unsigned)(f.len - 40 + 1));
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	ck_assert(!v.truncated);	/* the UDP datagram is all there */
	store_be16(f.b + 4, 4);	/* UDP header cut by payload length */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
	/* Extension header longer than the payload. */
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip6_ext(&f, SK_PROTO_UDP, 0);
	f.b[1] = 9;
	ip6(&f, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_IP);
	f.b[0] = 0x40;	/* version 4 nibble with an IPv6 layout: bad total */
	ck_assert_int_ne(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
}
END_TEST

START_TEST(tcp_bad_data_offset)
{
	struct frame f;
	struct pkt_view v;

	tcp(&f, 1, 7000, PKT_TH_SYN, 0, 0);
	f.b[12] = 0x40;	/* 16 bytes < 20 */
	ip4(&f, SK_PROTO_TCP, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
	tcp(&f, 1, 7000, PKT_TH_SYN, 0, 0);
	f.b[12] = 0x60;	/* 24 bytes > segment */
	ip4(&f, SK_PROTO_TCP, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
	f.len = 10;	/* TCP header shorter than 20 inside the IP length */
	memset(f.b, 0, 10);
	ip4(&f, SK_PROTO_TCP, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
}
END_TEST

START_TEST(udp_lengths)
{
	struct frame f;
	struct pkt_view v;

	udp(&f, 1, 7000, knock_payload, 0);	/* exact: empty datagram */
	ip4(&f, SK_PROTO_UDP, 0);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	ck_assert_uint_eq(v.payload_len, 0);
	store_be16(f.b + 24, 7);	/* UDP length < 8 */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
	store_be16(f.b + 24, 9);	/* UDP length > IP payload */
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v),
	    PKT_E_BAD_TRANSPORT);
	udp4(&f);	/* UDP length < IP payload: trust UDP */
	store_be16(f.b + 24, 10);
	ck_assert_int_eq(parse_exact(&f, f.len, PKT_DLT_RAW, &v), PKT_OK);
	ck_assert_uint_eq(v.payload_len, 2);
}
END_TEST

/*
 * Every prefix of a valid frame that cuts a header is an error; one that
 * cuts only the payload (a snaplen) decodes, marked truncated, with the
 * captured bytes; nothing is read past the prefix.
 */
static void
check_truncations(const struct frame *f, int dlt)
{
	struct pkt_view v;
	size_t n, pl_off;

	ck_assert_int_eq(parse_exact(f, f->len, dlt, &v), PKT_OK);
	ck_assert(!v.truncated);
	pl_off = f->len - v.payload_len;
	for (n = 0; n < f->len; n++) {
		enum pkt_err e = parse_exact(f, n, dlt, &v);

		if (n < pl_off) {
			ck_assert_msg(e == PKT_E_SHORT,
			    "dlt %d cut at %zu of %zu", dlt, n, f->len);
			continue;
		}
		ck_assert_msg(e == PKT_OK && v.truncated &&
		    v.payload_len == n - pl_off, "dlt %d payload cut at %zu",
		    dlt, n);
	}
}

START_TEST(truncated_at_every_offset)
{
	struct frame f;

	udp4(&f);
	eth(&f, 0x0800);
	vlan(&f, 0x8100);
	vlan(&f, 0x88a8);
	check_truncations(&f, PKT_DLT_EN10MB);
	udp(&f, 40000, 7000, knock_payload, sizeof knock_payload);
	ip4(&f, SK_PROTO_UDP, 8);
	sll(&f, 0, 0x0800);
	check_truncations(&f, PKT_DLT_LINUX_SLL);
	tcp(&f, 40000, 7000, PKT_TH_SYN, 8, 0);
	ip6_ext(&f, SK_PROTO_TCP, 51);
	ip6_ext(&f, 51, 0);
	ip6(&f, 0);
	check_truncations(&f, PKT_DLT_RAW);
	sll2(&f, 0, 0x86dd);
	check_truncations(&f, PKT_DLT_LINUX_SLL2);
	udp6(&f);
	check_truncations(&f, PKT_DLT_IPV6);
}
END_TEST

START_TEST(strerror_every_code)
{
	enum pkt_err e;

	for (e = PKT_OK; e <= PKT_E_BAD_TRANSPORT; e++) {
		ck_assert_ptr_nonnull(pkt_strerror(e));
		ck_assert_str_ne(pkt_strerror(e), "unknown packet error");
	}
	ck_assert_str_eq(pkt_strerror((enum pkt_err)99),
	    "unknown packet error");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("parse");

	tcase_add_checked_fixture(tc, NULL, free_copy);

	tcase_add_test(tc, eth_ipv4_udp);
	tcase_add_test(tc, eth_trailing_padding_ignored);
	tcase_add_test(tc, eth_ipv4_tcp_syn);
	tcase_add_test(tc, tcp_payload_length_from_ip);
	tcase_add_test(tc, eth_vlan_single_and_double);
	tcase_add_test(tc, eth_vlan_too_many_tags);
	tcase_add_test(tc, eth_not_ip);
	tcase_add_test(tc, sll_in_and_outgoing);
	tcase_add_test(tc, sll2_in_and_outgoing);
	tcase_add_test(tc, raw_link_types);
	tcase_add_test(tc, unknown_linktype);
	tcase_add_test(tc, ipv4_options);
	tcase_add_test(tc, ipv4_bad_headers);
	tcase_add_test(tc, ipv4_fragments);
	tcase_add_test(tc, ipv4_not_transport);
	tcase_add_test(tc, ipv6_extension_headers);
	tcase_add_test(tc, ipv6_fragment_and_others);
	tcase_add_test(tc, ipv6_bad_lengths);
	tcase_add_test(tc, tcp_bad_data_offset);
	tcase_add_test(tc, udp_lengths);
	tcase_add_test(tc, truncated_at_every_offset);
	tcase_add_test(tc, strerror_every_code);
	return check_run("pkt", tc);
}
