/*
 * frame.h: the Check suites' frame fixture: a frame grown from the inside
 * out (segment, then IP, then link), each layer written by the test
 * toolbox's builder (tools/frame.h); VLAN tags and IPv6 extension headers
 * are inserted here, where the suites need them in any order.
 */
#ifndef TEST_FRAME_H
#define TEST_FRAME_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"
#include "tools/frame.h"

#define BUF_CAP	512

struct frame {
	uint8_t	b[BUF_CAP];
	size_t	len;
};

static const uint8_t src4[4] = { 192, 0, 2, 7 };
static const uint8_t dst4[4] = { 198, 51, 100, 1 };
static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 };
static const uint8_t dst6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* Prepend n bytes to f (moves the contents up). */
static inline uint8_t *
prepend(struct frame *f, size_t n)
{
	ck_assert_uint_le(f->len + n, BUF_CAP);
	memmove(f->b + n, f->b, f->len);
	memset(f->b, 0, n);
	f->len += n;
	return f->b;
}

static inline void
udp(struct frame *f, uint16_t sport, uint16_t dport, const uint8_t *pl,
    size_t pl_len)
{
	struct fr_spec s = { .proto = 17, .sport = sport, .dport = dport,
	    .payload = pl, .payload_len = pl_len };

	f->len = fr_l4(&s, f->b, BUF_CAP);
	ck_assert_uint_ne(f->len, 0);
}

/* A TCP segment with opt_len zero bytes of options and data_len of 'd'. */
static inline void
tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t flags,
    size_t opt_len, size_t data_len)
{
	struct fr_spec s = { .proto = 6, .sport = sport, .dport = dport,
	    .tcp_flags = flags, .tcp_opts = opt_len };

	f->len = fr_l4(&s, f->b, BUF_CAP);
	ck_assert_uint_ne(f->len, 0);
	ck_assert_uint_le(f->len + data_len, BUF_CAP);
	memset(f->b + f->len, 'd', data_len);
	f->len += data_len;
}

/* Wrap the transport segment in f in IPv4 (DF, no checksum) with opt_len
 * bytes of NOP options. */
static inline void
ip4(struct frame *f, uint8_t proto, size_t opt_len)
{
	struct fr_spec s = { .proto = proto, .ip_frag = 0x4000,
	    .ip_nops = opt_len };
	size_t hl = fr_ip_hdr_len(&s);
	uint8_t *p = prepend(f, hl);

	memcpy(s.src, src4, 4);
	memcpy(s.dst, dst4, 4);
	ck_assert_uint_eq(fr_ip_hdr(&s, f->len - hl, p, hl), hl);
}

/* Prepend one IPv6 extension header of type-independent body length. */
static inline void
ip6_ext(struct frame *f, uint8_t nxt, uint8_t type)
{
	size_t len = type == 51 ? 12 : 8;
	uint8_t *p = prepend(f, len);

	p[0] = nxt;
	p[1] = type == 51 ? 1 : 0;	/* AH: (1 + 2) * 4 = 12 bytes */
}

static inline void
ip6(struct frame *f, uint8_t nxt)
{
	struct fr_spec s = { .v6 = true, .proto = nxt };
	uint8_t *p = prepend(f, 40);

	memcpy(s.src, src6, 16);
	memcpy(s.dst, dst6, 16);
	ck_assert_uint_eq(fr_ip_hdr(&s, f->len - 40, p, 40), 40);
}

/* Both MAC addresses 02:02:02:02:02:02. */
static inline void
eth(struct frame *f, unsigned type)
{
	struct fr_spec s = { .link = FR_LINK_ETH };
	uint8_t *p = prepend(f, 14);

	memset(s.dmac, 0x02, 6);
	memset(s.smac, 0x02, 6);
	ck_assert_uint_eq(fr_link_hdr(&s, (uint16_t)type, p, 14), 14);
}

/* Insert a VLAN tag right after the MAC addresses of an Ethernet frame. */
static inline void
vlan(struct frame *f, unsigned tpid)
{
	uint8_t *p;

	ck_assert_uint_le(f->len + 4, BUF_CAP);
	memmove(f->b + 16, f->b + 12, f->len - 12);
	f->len += 4;
	p = f->b + 12;
	store_be16(p, tpid);
	store_be16(p + 2, 42);
}

static inline void
sll(struct frame *f, uint8_t pkttype, unsigned type)
{
	struct fr_spec s = { .link = FR_LINK_SLL, .pkttype = pkttype };
	uint8_t *p = prepend(f, 16);

	ck_assert_uint_eq(fr_link_hdr(&s, (uint16_t)type, p, 16), 16);
}

static inline void
sll2(struct frame *f, uint8_t pkttype, unsigned type)
{
	struct fr_spec s = { .link = FR_LINK_SLL2, .pkttype = pkttype };
	uint8_t *p = prepend(f, 20);

	ck_assert_uint_eq(fr_link_hdr(&s, (uint16_t)type, p, 20), 20);
}

#endif
