/* pkt.h: decode a captured frame down to its transport header. */
#ifndef PKT_H
#define PKT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"

/* TCP flag bits as on the wire. */
#define PKT_TH_FIN	0x01
#define PKT_TH_SYN	0x02
#define PKT_TH_RST	0x04
#define PKT_TH_PUSH	0x08
#define PKT_TH_ACK	0x10

/* Link types we decode (values of pcap_datalink()). */
#define PKT_DLT_EN10MB		1
#define PKT_DLT_RAW		12	/* Linux DLT_RAW */
#define PKT_DLT_RAW_FILE	101	/* LINKTYPE_RAW as in some files */
#define PKT_DLT_LINUX_SLL	113
#define PKT_DLT_IPV4		228
#define PKT_DLT_IPV6		229
#define PKT_DLT_LINUX_SLL2	276

enum pkt_err {
	PKT_OK,
	PKT_E_SHORT,		/* a header runs past caplen */
	PKT_E_LINKTYPE,		/* link type we do not decode */
	PKT_E_NOT_IP,		/* ethertype/protocol is not IPv4/IPv6 */
	PKT_E_OUTGOING,		/* SLL/SLL2 says we sent it */
	PKT_E_BAD_IP,		/* version, header length or total length wrong */
	PKT_E_FRAGMENT,		/* IPv4 MF/offset or IPv6 fragment header */
	PKT_E_NOT_TRANSPORT,	/* neither TCP nor UDP */
	PKT_E_BAD_TRANSPORT,	/* TCP data offset / UDP length wrong */
	PKT_SKIP		/* decodes, but not to a wanted port */
};

/*
 * The (protocol, port) pairs a caller wants whole views of: bit
 * (port & 7) of byte [proto == UDP][port >> 3].
 */
struct pkt_portmap {
	uint8_t	bits[2][65536 / 8];
};

static inline void
pkt_portmap_add(struct pkt_portmap *m, uint8_t proto, uint16_t port)
{
	m->bits[proto == SK_PROTO_UDP][port >> 3] |= (uint8_t)(1u << (port & 7));
}

static inline bool
pkt_portmap_has(const struct pkt_portmap *m, uint8_t proto, uint16_t port)
{
	return (m->bits[proto == SK_PROTO_UDP][port >> 3] >> (port & 7)) & 1;
}

const char *pkt_strerror(enum pkt_err e);

/* What the daemon needs of a packet; payload points into the frame. */
struct pkt_view {
	struct sk_addr	src;
	struct sk_addr	dst;
	uint8_t		family;		/* 4 or 6 */
	uint8_t		proto;		/* SK_PROTO_TCP or SK_PROTO_UDP */
	uint16_t	sport;
	uint16_t	dport;
	uint8_t		tcp_flags;	/* 0 for UDP */
	const uint8_t	*payload;
	size_t		payload_len;	/* bytes at payload: from the IP/UDP
					   lengths, or what was captured */
	bool		truncated;	/* the snaplen cut the payload short */
};

/*
 * pkt_parse(frame, caplen, dlt, v): decode Ethernet (with 802.1Q/802.1ad
 * tags, trailing padding ignored), Linux SLL/SLL2 (outgoing refused),
 * raw IPv4/IPv6; IPv4 with options, IPv6 with extension headers
 * (hop-by-hop, routing, destination options; fragment header refused).
 * Every read is bounded by caplen.  Headers must be captured whole
 * (else PKT_E_SHORT); a payload cut short by the snaplen is decoded with
 * ${v->truncated} set and payload_len the bytes that were captured.
 */
enum pkt_err pkt_parse(const uint8_t *frame, size_t caplen, int dlt,
    struct pkt_view *v);

/* What pkt_skip reads of an Ethernet + IPv4 frame. */
#define PKT_ETH_HDR_LEN		14
#define PKT_ETH_TYPE_OFF	12
#define PKT_ETHERTYPE_IPV4	0x0800
#define PKT_IP4_HDR_MIN		20
#define PKT_IP4_PROTO_OFF	9
#define PKT_L4_DPORT_OFF	2	/* TCP's and UDP's */

/*
 * pkt_skip(frame, caplen, dlt, want): true if the frame is certainly of
 * no use to a caller that wants only the ports in ${want}: an Ethernet +
 * IPv4 TCP/UDP frame whose destination port is not wanted, seen at a
 * glance.  Only the port where a TCP/UDP header would start is read (if
 * captured), nothing is checked: every frame that pkt_parse decodes to
 * that protocol decodes to that port, so the frame is of no use whatever
 * else is wrong with it.  False means "decode it".  Inline: it runs for
 * every captured frame.
 */
static inline bool
pkt_skip(const uint8_t *frame, size_t caplen, int dlt,
    const struct pkt_portmap *want)
{
	const uint8_t *ip = frame + PKT_ETH_HDR_LEN;
	size_t ihl;
	uint8_t proto;

	if (dlt != PKT_DLT_EN10MB ||
	    caplen < PKT_ETH_HDR_LEN + PKT_IP4_HDR_MIN ||
	    (frame[PKT_ETH_TYPE_OFF] << 8 | frame[PKT_ETH_TYPE_OFF + 1]) !=
	    PKT_ETHERTYPE_IPV4)
		return false;
	ihl = (size_t)(ip[0] & 0x0f) * 4;
	proto = ip[PKT_IP4_PROTO_OFF];
	/* A header length below 20 is refused by pkt_parse: skipping it
	 * on its "port" is as good, and one test less per frame. */
	if (caplen < PKT_ETH_HDR_LEN + ihl + PKT_L4_DPORT_OFF + 2 ||
	    (proto != SK_PROTO_TCP && proto != SK_PROTO_UDP))
		return false;
	ip += ihl + PKT_L4_DPORT_OFF;
	return !pkt_portmap_has(want, proto, (uint16_t)(ip[0] << 8 | ip[1]));
}

/*
 * pkt_parse_steps(frame, caplen, dlt, want, v): the daemon's lazy
 * pkt_parse.  PKT_SKIP (${v} unspecified) if pkt_skip says so or the
 * frame decodes to an unwanted port; else exactly pkt_parse's result.
 * So PKT_OK means pkt_parse's PKT_OK, for a wanted port.
 */
enum pkt_err pkt_parse_steps(const uint8_t *frame, size_t caplen, int dlt,
    const struct pkt_portmap *want, struct pkt_view *v);

#endif
