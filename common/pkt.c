/* pkt.c: decode a captured frame down to its transport header. */
#include "pkt.h"

#include <stdbool.h>
#include <string.h>

#include "bytes.h"
#include "sk.h"

/* Ethernet */
#define ETH_HDR_LEN	PKT_ETH_HDR_LEN
#define ETH_TYPE_OFF	PKT_ETH_TYPE_OFF
#define VLAN_TAG_LEN	4	/* TCI (2) then the inner ethertype (2) */
#define VLAN_TYPE_OFF	2
#define VLAN_MAX_TAGS	8
#define ETHERTYPE_IPV4	PKT_ETHERTYPE_IPV4
#define ETHERTYPE_IPV6	0x86dd
#define ETHERTYPE_8021Q	0x8100
#define ETHERTYPE_8021AD 0x88a8
#define ETHERTYPE_QINQ	0x9100	/* pre-standard 802.1ad, still seen */

/* Linux cooked capture v1 and v2 */
#define SLL_HDR_LEN	16
#define SLL_PKTTYPE_OFF	0	/* 2 bytes */
#define SLL_PROTO_OFF	14
#define SLL2_HDR_LEN	20
#define SLL2_PROTO_OFF	0
#define SLL2_PKTTYPE_OFF 10	/* 1 byte */
#define SLL_OUTGOING	4	/* PACKET_OUTGOING */

/* IPv4 */
#define IP4_HDR_MIN	PKT_IP4_HDR_MIN
#define IP4_VIHL_OFF	0
#define IP4_TOTLEN_OFF	2
#define IP4_FRAG_OFF	6
#define IP4_PROTO_OFF	PKT_IP4_PROTO_OFF
#define IP4_SRC_OFF	12
#define IP4_DST_OFF	16
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff

/* IPv6 */
#define IP6_HDR_LEN	40
#define IP6_PLEN_OFF	4
#define IP6_NXT_OFF	6
#define IP6_SRC_OFF	8
#define IP6_DST_OFF	24
#define IP6_EXT_NXT_OFF	0
#define IP6_EXT_LEN_OFF	1
#define IP6_EXT_MIN	8
#define IP6_EXT_MAX	8	/* extension headers walked before giving up */
#define IPPROTO_HOPOPTS_	0
#define IPPROTO_ROUTING_	43
#define IPPROTO_FRAGMENT_	44
#define IPPROTO_AH_		51
#define IPPROTO_NONE_		59
#define IPPROTO_DSTOPTS_	60

/* Transport */
#define TCP_HDR_MIN	20
#define TCP_SPORT_OFF	0
#define TCP_DPORT_OFF	PKT_L4_DPORT_OFF
#define TCP_DOFF_OFF	12
#define TCP_FLAGS_OFF	13
#define UDP_HDR_LEN	8
#define UDP_SPORT_OFF	0
#define UDP_DPORT_OFF	2
#define UDP_LEN_OFF	4

/* A bounded view of bytes: every load checks off + size <= len. */
struct span {
	const uint8_t	*p;
	size_t		len;
};

static int
load_u8(struct span s, size_t off, uint8_t *out)
{
	if (off >= s.len)
		return 0;
	*out = s.p[off];
	return 1;
}

static int
span_be16(struct span s, size_t off, uint16_t *out)
{
	if (off > s.len || s.len - off < 2)
		return 0;
	*out = load_be16(s.p + off);
	return 1;
}

/* Bytes after off, or an empty span when off is past the end. */
static struct span
span_from(struct span s, size_t off)
{
	struct span r = { s.p, 0 };

	if (off <= s.len) {
		r.p = s.p + off;
		r.len = s.len - off;
	}
	return r;
}

const char *
pkt_strerror(enum pkt_err e)
{
	switch (e) {
	case PKT_OK:
		return "ok";
	case PKT_E_SHORT:
		return "truncated: a header runs past the captured length";
	case PKT_E_LINKTYPE:
		return "link type not decoded (Ethernet, Linux SLL/SLL2, "
		    "raw IP)";
	case PKT_E_NOT_IP:
		return "not IPv4 or IPv6";
	case PKT_E_OUTGOING:
		return "outgoing packet (Linux cooked capture)";
	case PKT_E_BAD_IP:
		return "bad IP header: version, header length or total length";
	case PKT_E_FRAGMENT:
		return "IP fragment";
	case PKT_E_NOT_TRANSPORT:
		return "neither TCP nor UDP";
	case PKT_E_BAD_TRANSPORT:
		return "bad TCP data offset or UDP length";
	case PKT_SKIP:
		return "not to a wanted port";
	}
	return "unknown packet error";
}

/*
 * TCP or UDP header at the start of ${s} (what was captured), in an IP
 * payload of ${wire_len} bytes.  The header must be captured whole; the
 * payload may be cut by the snaplen (v->truncated): a step still counts,
 * a token of another length than its datagram says never does.
 */
static enum pkt_err
parse_transport(struct span s, size_t wire_len, uint8_t proto,
    struct pkt_view *v)
{
	uint16_t ulen;
	uint8_t doff;

	v->proto = proto;
	if (proto == SK_PROTO_UDP) {
		if (wire_len < UDP_HDR_LEN)
			return PKT_E_BAD_TRANSPORT;
		if (!span_be16(s, UDP_SPORT_OFF, &v->sport) ||
		    !span_be16(s, UDP_DPORT_OFF, &v->dport) ||
		    !span_be16(s, UDP_LEN_OFF, &ulen) || s.len < UDP_HDR_LEN)
			return PKT_E_SHORT;
		if (ulen < UDP_HDR_LEN || ulen > wire_len)
			return PKT_E_BAD_TRANSPORT;
		v->tcp_flags = 0;
		v->payload = s.p + UDP_HDR_LEN;
		v->payload_len = (size_t)ulen - UDP_HDR_LEN;
		if (ulen > s.len) {
			v->payload_len = s.len - UDP_HDR_LEN;
			v->truncated = true;
		}
		return PKT_OK;
	}
	if (wire_len < TCP_HDR_MIN)
		return PKT_E_BAD_TRANSPORT;
	if (s.len < TCP_HDR_MIN || !span_be16(s, TCP_SPORT_OFF, &v->sport) ||
	    !span_be16(s, TCP_DPORT_OFF, &v->dport) ||
	    !load_u8(s, TCP_DOFF_OFF, &doff) ||
	    !load_u8(s, TCP_FLAGS_OFF, &v->tcp_flags))
		return PKT_E_SHORT;
	doff = (uint8_t)((doff >> 4) * 4);
	if (doff < TCP_HDR_MIN || doff > wire_len)
		return PKT_E_BAD_TRANSPORT;
	if (doff > s.len)
		return PKT_E_SHORT;
	v->payload = s.p + doff;
	v->payload_len = s.len - doff;
	v->truncated = wire_len > s.len;
	return PKT_OK;
}

static enum pkt_err
parse_ipv4(struct span s, struct pkt_view *v)
{
	uint8_t vihl, proto;
	uint16_t tot, frag;
	size_t ihl;

	if (s.len < IP4_HDR_MIN)
		return PKT_E_SHORT;
	(void)load_u8(s, IP4_VIHL_OFF, &vihl);
	(void)span_be16(s, IP4_TOTLEN_OFF, &tot);
	(void)span_be16(s, IP4_FRAG_OFF, &frag);
	(void)load_u8(s, IP4_PROTO_OFF, &proto);
	ihl = (size_t)(vihl & 0x0f) * 4;
	if (vihl >> 4 != 4 || ihl < IP4_HDR_MIN || tot < ihl)
		return PKT_E_BAD_IP;
	if (ihl > s.len)
		return PKT_E_SHORT;
	if (frag & (IP4_MF | IP4_OFFMASK))
		return PKT_E_FRAGMENT;
	if (proto != SK_PROTO_TCP && proto != SK_PROTO_UDP)
		return PKT_E_NOT_TRANSPORT;
	v->family = 4;
	addr_from_v4(s.p + IP4_SRC_OFF, &v->src);
	addr_from_v4(s.p + IP4_DST_OFF, &v->dst);
	/* Trust the total length, not caplen: Ethernet pads short frames. */
	if (tot < s.len)
		s.len = tot;
	return parse_transport(span_from(s, ihl), (size_t)tot - ihl, proto,
	    v);
}

/*
 * Walk IPv6 extension headers from ${nxt} at the start of ${s} (the
 * payload); on PKT_OK, ${*off} is the transport header's offset.
 */
static enum pkt_err
walk_ipv6_ext(struct span s, size_t wire_len, uint8_t nxt, uint8_t *proto,
    size_t *off)
{
	size_t n, hlen;
	uint8_t elen;

	*off = 0;
	for (n = 0;; n++) {
		switch (nxt) {
		case SK_PROTO_TCP:
		case SK_PROTO_UDP:
			*proto = nxt;
			return PKT_OK;
		case IPPROTO_FRAGMENT_:
			return PKT_E_FRAGMENT;
		case IPPROTO_HOPOPTS_:
		case IPPROTO_ROUTING_:
		case IPPROTO_DSTOPTS_:
		case IPPROTO_AH_:
			break;
		default:	/* IPPROTO_NONE_, ESP, ICMPv6, ... */
			return PKT_E_NOT_TRANSPORT;
		}
		if (n == IP6_EXT_MAX)
			return PKT_E_BAD_IP;
		if (!load_u8(s, *off + IP6_EXT_LEN_OFF, &elen))
			return wire_len - *off > IP6_EXT_LEN_OFF ?
			    PKT_E_SHORT : PKT_E_BAD_IP;
		/* AH counts 4-byte units minus 2, the others 8-byte minus 1. */
		hlen = nxt == IPPROTO_AH_ ? ((size_t)elen + 2) * 4 :
		    ((size_t)elen + 1) * IP6_EXT_MIN;
		(void)load_u8(s, *off + IP6_EXT_NXT_OFF, &nxt);
		if (hlen > wire_len - *off)
			return PKT_E_BAD_IP;
		if (hlen > s.len - *off)	/* extension headers are never cut */
			return PKT_E_SHORT;
		*off += hlen;
	}
}

static enum pkt_err
parse_ipv6(struct span s, struct pkt_view *v)
{
	enum pkt_err err;
	struct span pl;
	uint16_t plen;
	uint8_t vtc, nxt, proto = 0;
	size_t off;

	if (s.len < IP6_HDR_LEN)
		return PKT_E_SHORT;
	(void)load_u8(s, 0, &vtc);
	(void)span_be16(s, IP6_PLEN_OFF, &plen);
	(void)load_u8(s, IP6_NXT_OFF, &nxt);
	if (vtc >> 4 != 6)
		return PKT_E_BAD_IP;
	pl.p = s.p + IP6_HDR_LEN;
	pl.len = s.len - IP6_HDR_LEN;
	if (pl.len > plen)
		pl.len = plen;	/* trailing bytes past the payload ignored */
	if ((err = walk_ipv6_ext(pl, plen, nxt, &proto, &off)) != PKT_OK)
		return err;
	v->family = 6;
	addr_from_v6(s.p + IP6_SRC_OFF, &v->src);
	addr_from_v6(s.p + IP6_DST_OFF, &v->dst);
	return parse_transport(span_from(pl, off), (size_t)plen - off, proto,
	    v);
}

/* IP version from the first nibble, for link types without an ethertype. */
static enum pkt_err
parse_ip_any(struct span s, struct pkt_view *v)
{
	uint8_t b;

	if (!load_u8(s, 0, &b))
		return PKT_E_SHORT;
	if (b >> 4 == 4)
		return parse_ipv4(s, v);
	if (b >> 4 == 6)
		return parse_ipv6(s, v);
	return PKT_E_NOT_IP;
}

static bool
is_vlan_type(uint16_t type)
{
	return type == ETHERTYPE_8021Q || type == ETHERTYPE_8021AD ||
	    type == ETHERTYPE_QINQ;
}

/* ${type} is an ethertype, ${s} what follows: skip VLAN tags, decode IP. */
static enum pkt_err
parse_ethertype(uint16_t type, struct span s, struct pkt_view *v)
{
	size_t n;

	for (n = 0; is_vlan_type(type); n++) {
		if (n == VLAN_MAX_TAGS)
			return PKT_E_NOT_IP;
		if (!span_be16(s, VLAN_TYPE_OFF, &type))
			return PKT_E_SHORT;
		s = span_from(s, VLAN_TAG_LEN);
	}
	if (type == ETHERTYPE_IPV4)
		return parse_ipv4(s, v);
	if (type == ETHERTYPE_IPV6)
		return parse_ipv6(s, v);
	return PKT_E_NOT_IP;
}

static enum pkt_err
parse_eth(struct span s, struct pkt_view *v)
{
	uint16_t type;

	if (s.len < ETH_HDR_LEN)
		return PKT_E_SHORT;
	(void)span_be16(s, ETH_TYPE_OFF, &type);
	return parse_ethertype(type, span_from(s, ETH_HDR_LEN), v);
}

static enum pkt_err
parse_sll(struct span s, struct pkt_view *v)
{
	uint16_t pkttype, type;

	if (s.len < SLL_HDR_LEN)
		return PKT_E_SHORT;
	(void)span_be16(s, SLL_PKTTYPE_OFF, &pkttype);
	(void)span_be16(s, SLL_PROTO_OFF, &type);
	if (pkttype == SLL_OUTGOING)
		return PKT_E_OUTGOING;
	return parse_ethertype(type, span_from(s, SLL_HDR_LEN), v);
}

static enum pkt_err
parse_sll2(struct span s, struct pkt_view *v)
{
	uint8_t pkttype;
	uint16_t type;

	if (s.len < SLL2_HDR_LEN)
		return PKT_E_SHORT;
	(void)load_u8(s, SLL2_PKTTYPE_OFF, &pkttype);
	(void)span_be16(s, SLL2_PROTO_OFF, &type);
	if (pkttype == SLL_OUTGOING)
		return PKT_E_OUTGOING;
	return parse_ethertype(type, span_from(s, SLL2_HDR_LEN), v);
}

enum pkt_err
pkt_parse(const uint8_t *frame, size_t caplen, int dlt, struct pkt_view *v)
{
	struct span s = { frame, caplen };
	uint8_t b;

	memset(v, 0, sizeof *v);
	switch (dlt) {
	case PKT_DLT_EN10MB:
		return parse_eth(s, v);
	case PKT_DLT_LINUX_SLL:
		return parse_sll(s, v);
	case PKT_DLT_LINUX_SLL2:
		return parse_sll2(s, v);
	case PKT_DLT_RAW:
	case PKT_DLT_RAW_FILE:
		return parse_ip_any(s, v);
	case PKT_DLT_IPV4:
	case PKT_DLT_IPV6:
		if (!load_u8(s, 0, &b))
			return PKT_E_SHORT;
		if (b >> 4 != (dlt == PKT_DLT_IPV4 ? 4 : 6))
			return PKT_E_BAD_IP;
		return parse_ip_any(s, v);
	default:
		return PKT_E_LINKTYPE;
	}
}

enum pkt_err
pkt_parse_steps(const uint8_t *frame, size_t caplen, int dlt,
    const struct pkt_portmap *want, struct pkt_view *v)
{
	enum pkt_err e;

	if (pkt_skip(frame, caplen, dlt, want))
		return PKT_SKIP;
	e = pkt_parse(frame, caplen, dlt, v);
	if (e == PKT_OK && !pkt_portmap_has(want, v->proto, v->dport))
		return PKT_SKIP;
	return e;
}
