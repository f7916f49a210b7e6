/* frame.h: build test frames (Ethernet, VLAN, SLL/SLL2, IPv4/IPv6, TCP/UDP). */
#ifndef TEST_FRAME_H
#define TEST_FRAME_H

#include <check.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

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
	memcpy(f->b + 8, pl, pl_len);
	memset(f->b, 0, 8);
	store_be16(f->b, sport);
	store_be16(f->b + 2, dport);
	store_be16(f->b + 4, (unsigned)(8 + pl_len));
	f->len = 8 + pl_len;
}

static inline void
tcp(struct frame *f, uint16_t sport, uint16_t dport, uint8_t flags,
    size_t opt_len, size_t data_len)
{
	size_t hl = 20 + opt_len;

	memset(f->b, 0, hl + data_len);
	memset(f->b + hl, 'd', data_len);
	store_be16(f->b, sport);
	store_be16(f->b + 2, dport);
	f->b[12] = (uint8_t)((hl / 4) << 4);
	f->b[13] = flags;
	f->len = hl + data_len;
}

/* Wrap the transport segment in f in IPv4 with opt_len bytes of options. */
static inline void
ip4(struct frame *f, uint8_t proto, size_t opt_len)
{
	size_t hl = 20 + opt_len;
	uint8_t *p = prepend(f, hl);

	p[0] = (uint8_t)(0x40 | hl / 4);
	store_be16(p + 2, (unsigned)f->len);
	p[6] = 0x40;	/* DF */
	p[8] = 64;
	p[9] = proto;
	memcpy(p + 12, src4, 4);
	memcpy(p + 16, dst4, 4);
	memset(p + 20, 1, opt_len);	/* NOPs */
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
	uint8_t *p = prepend(f, 40);

	p[0] = 0x60;
	store_be16(p + 4, (unsigned)(f->len - 40));
	p[6] = nxt;
	p[7] = 64;
	memcpy(p + 8, src6, 16);
	memcpy(p + 24, dst6, 16);
}

static inline void
eth(struct frame *f, unsigned type)
{
	uint8_t *p = prepend(f, 14);

	memset(p, 0x02, 12);
	store_be16(p + 12, type);
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
sll(struct frame *f, unsigned pkttype, unsigned type)
{
	uint8_t *p = prepend(f, 16);

	store_be16(p, pkttype);
	store_be16(p + 2, 1);	/* ARPHRD_ETHER */
	store_be16(p + 4, 6);
	store_be16(p + 14, type);
}

static inline void
sll2(struct frame *f, uint8_t pkttype, unsigned type)
{
	uint8_t *p = prepend(f, 20);

	store_be16(p, type);
	p[7] = 2;	/* ifindex */
	store_be16(p + 8, 1);
	p[10] = pkttype;
	p[11] = 6;
}

#endif
