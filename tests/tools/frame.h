/*
 * frame.h: the test toolbox's one frame builder.  A struct fr_spec says
 * what to put on the wire (Ethernet with 802.1Q/802.1ad tags, Linux
 * cooked SLL/SLL2 or no link header; IPv4 or IPv6; a TCP or UDP segment
 * or raw L4 bytes) and fr_build writes it into a caller's buffer.  Every
 * field the test tools used to fill differently (ports, MACs, window,
 * checksums, IPv4 flags) is the caller's, so each tool keeps its exact
 * bytes; zero is "absent" or "zero" everywhere.
 */
#ifndef TEST_TOOLS_FRAME_H
#define TEST_TOOLS_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FR_ETH_MIN	60	/* Ethernet's minimum frame, without FCS */
#define FR_MAX_TAGS	2

enum fr_link { FR_LINK_NONE, FR_LINK_ETH, FR_LINK_SLL, FR_LINK_SLL2 };

struct fr_spec {
	/* Link layer. */
	enum fr_link	link;
	uint8_t		dmac[6];
	uint8_t		smac[6];	/* SLL, SLL2: the link-layer address */
	size_t		n_tags;		/* Ethernet tags, outermost first */
	uint16_t	tpid[FR_MAX_TAGS], tci[FR_MAX_TAGS];
	uint8_t		pkttype;	/* SLL, SLL2: 0 to us, 4 outgoing */
	bool		pad;		/* Ethernet: zero-pad to FR_ETH_MIN */
	/* Network layer. */
	bool		v6;
	uint8_t		src[16], dst[16];	/* IPv4: the first 4 bytes */
	uint16_t	ip_id;		/* IPv4 identification */
	uint16_t	ip_frag;	/* IPv4 flags + offset (0x4000 DF) */
	size_t		ip_nops;	/* IPv4 option bytes, all NOP */
	bool		ip_csum;	/* IPv4 header checksum (else 0) */
	bool		hbh;		/* IPv6: hop-by-hop header (PadN) */
	/* Transport: 6 TCP, 17 UDP; any other (or raw_l4): the payload is
	 * the L4 bytes as they are (fragments, extension headers). */
	uint8_t		proto;
	bool		raw_l4;
	uint16_t	sport, dport;
	uint8_t		tcp_flags;
	uint32_t	tcp_seq;
	uint16_t	tcp_win;
	size_t		tcp_opts;	/* zero bytes of TCP options */
	bool		l4_csum;	/* TCP/UDP checksum with pseudo-header */
	const uint8_t	*payload;
	size_t		payload_len;
};

/* Where the layers of a built frame start, and its length. */
struct fr_layout {
	size_t	l3, l4, len;
};

/*
 * fr_build(s, buf, cap, lay): the whole frame of ${s} into buf[0..cap);
 * returns its length, or 0 when it does not fit in ${cap} or a length
 * field would overflow.  ${lay} (may be NULL) gets the layer offsets.
 */
size_t	fr_build(const struct fr_spec *s, uint8_t *buf, size_t cap,
	    struct fr_layout *lay);

/*
 * The layers one at a time, for builders that add headers of their own
 * between them (tests/frame.h).  Each writes at buf[0..cap) and returns
 * the bytes written, or 0 when they do not fit (fr_link_hdr: also for
 * FR_LINK_NONE, which has no header).
 */
size_t	fr_link_hdr(const struct fr_spec *s, uint16_t etype, uint8_t *buf,
	    size_t cap);
size_t	fr_ip_hdr_len(const struct fr_spec *s);
size_t	fr_ip_hdr(const struct fr_spec *s, size_t l4_len, uint8_t *buf,
	    size_t cap);
size_t	fr_l4(const struct fr_spec *s, uint8_t *buf, size_t cap);

/* fr_parse_mac(s, mac): "aa:bb:cc:dd:ee:ff" into ${mac}; false if not. */
bool	fr_parse_mac(const char *s, uint8_t mac[6]);

/* fr_ip4_recsum(ip, hl): recompute an IPv4 header's checksum in place. */
void	fr_ip4_recsum(uint8_t *ip, size_t hl);

#endif
