/* frame.c: build test frames from a struct fr_spec (see frame.h). */
#include <stdio.h>
#include <string.h>

#include "bytes.h"
#include "frame.h"

#define ETH_HDR		14
#define TAG_LEN		4
#define SLL_HDR		16
#define SLL2_HDR	20
#define IP4_HDR		20
#define IP6_HDR		40
#define HBH_LEN		8
#define TCP_HDR		20
#define UDP_HDR		8
#define IP_MAXLEN	0xffff

/* csum_add(sum, p, len): add ${len} bytes as 16-bit words (odd: pad 0). */
static uint32_t
csum_add(uint32_t sum, const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len % 2 != 0)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

/* csum_fold(sum): the ones' complement of the folded sum. */
static uint16_t
csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

void
fr_ip4_recsum(uint8_t *ip, size_t hl)
{
	store_be16(ip + 10, 0);
	store_be16(ip + 10, csum_fold(csum_add(0, ip, hl)));
}

/* l4_csum(s, seg, len): the TCP/UDP checksum over the pseudo-header. */
static uint16_t
l4_csum(const struct fr_spec *s, const uint8_t *seg, size_t len)
{
	size_t alen = s->v6 ? 16 : 4;
	uint32_t sum = 0;

	sum = csum_add(sum, s->src, alen);
	sum = csum_add(sum, s->dst, alen);
	sum += s->proto;
	sum += (uint32_t)len;
	return csum_fold(csum_add(sum, seg, len));
}

size_t
fr_link_hdr(const struct fr_spec *s, uint16_t etype, uint8_t *b, size_t cap)
{
	size_t n = s->link == FR_LINK_ETH ? ETH_HDR + TAG_LEN * s->n_tags :
	    s->link == FR_LINK_SLL ? SLL_HDR :
	    s->link == FR_LINK_SLL2 ? SLL2_HDR : 0;

	if (n > cap || s->n_tags > FR_MAX_TAGS)
		return 0;
	memset(b, 0, n);
	if (s->link == FR_LINK_ETH) {
		memcpy(b, s->dmac, 6);
		memcpy(b + 6, s->smac, 6);
		for (size_t i = 0; i < s->n_tags; i++) {
			store_be16(b + 12 + TAG_LEN * i, s->tpid[i]);
			store_be16(b + 14 + TAG_LEN * i, s->tci[i]);
		}
		store_be16(b + n - 2, etype);
	} else if (s->link == FR_LINK_SLL) {
		store_be16(b, s->pkttype);
		store_be16(b + 2, 1);		/* ARPHRD_ETHER */
		store_be16(b + 4, 6);		/* address length */
		memcpy(b + 6, s->smac, 6);
		store_be16(b + 14, etype);
	} else if (s->link == FR_LINK_SLL2) {
		store_be16(b, etype);
		store_be32(b + 4, 2);		/* ifindex */
		store_be16(b + 8, 1);		/* ARPHRD_ETHER */
		b[10] = s->pkttype;
		b[11] = 6;
		memcpy(b + 12, s->smac, 6);
	}
	return n;
}

size_t
fr_ip_hdr_len(const struct fr_spec *s)
{
	if (s->v6)
		return IP6_HDR + (s->hbh ? HBH_LEN : 0);
	return IP4_HDR + s->ip_nops;
}

static void
ip4_hdr(const struct fr_spec *s, size_t hl, size_t l4_len, uint8_t *b)
{
	memset(b, 0, IP4_HDR);
	memset(b + IP4_HDR, 1, hl - IP4_HDR);	/* NOP options */
	b[0] = (uint8_t)(0x40 | hl / 4);
	store_be16(b + 2, (uint16_t)(hl + l4_len));
	store_be16(b + 4, s->ip_id);
	store_be16(b + 6, s->ip_frag);
	b[8] = 64;
	b[9] = s->proto;
	memcpy(b + 12, s->src, 4);
	memcpy(b + 16, s->dst, 4);
	if (s->ip_csum)
		fr_ip4_recsum(b, hl);
}

static void
ip6_hdr(const struct fr_spec *s, size_t hl, size_t l4_len, uint8_t *b)
{
	memset(b, 0, hl);
	b[0] = 0x60;
	store_be16(b + 4, (uint16_t)(hl - IP6_HDR + l4_len));
	b[6] = s->hbh ? 0 : s->proto;
	b[7] = 64;
	memcpy(b + 8, s->src, 16);
	memcpy(b + 24, s->dst, 16);
	if (s->hbh) {
		b[IP6_HDR] = s->proto;	/* next header; length 0 = 8 bytes */
		b[IP6_HDR + 2] = 1;	/* PadN option of 4 bytes */
		b[IP6_HDR + 3] = 4;
	}
}

size_t
fr_ip_hdr(const struct fr_spec *s, size_t l4_len, uint8_t *b, size_t cap)
{
	size_t hl = fr_ip_hdr_len(s);
	size_t room = s->v6 ? IP_MAXLEN + IP6_HDR : IP_MAXLEN;

	if (hl > cap || l4_len > room - hl ||
	    (!s->v6 && (hl > 60 || s->ip_nops % 4 != 0)))
		return 0;
	if (s->v6)
		ip6_hdr(s, hl, l4_len, b);
	else
		ip4_hdr(s, hl, l4_len, b);
	return hl;
}

size_t
fr_l4(const struct fr_spec *s, uint8_t *b, size_t cap)
{
	uint8_t proto = s->raw_l4 ? 0 : s->proto;
	size_t hl = proto == 6 ? TCP_HDR + s->tcp_opts :
	    proto == 17 ? UDP_HDR : 0;
	size_t n = hl + s->payload_len;
	uint16_t c;

	if (n > cap || n > IP_MAXLEN)
		return 0;
	memset(b, 0, hl);
	if (s->payload_len != 0)
		memmove(b + hl, s->payload, s->payload_len);
	if (proto == 6) {
		store_be16(b, s->sport);
		store_be16(b + 2, s->dport);
		store_be32(b + 4, s->tcp_seq);
		b[12] = (uint8_t)(hl / 4 << 4);
		b[13] = s->tcp_flags;
		store_be16(b + 14, s->tcp_win);
		if (s->l4_csum)
			store_be16(b + 16, l4_csum(s, b, n));
	} else if (proto == 17) {
		store_be16(b, s->sport);
		store_be16(b + 2, s->dport);
		store_be16(b + 4, (uint16_t)n);
		c = s->l4_csum ? l4_csum(s, b, n) : 0;
		/* UDP sends a computed 0 as all ones: 0 means "none". */
		store_be16(b + 6, s->l4_csum && c == 0 ? 0xffff : c);
	}
	return n;
}

size_t
fr_build(const struct fr_spec *s, uint8_t *b, size_t cap,
    struct fr_layout *lay)
{
	size_t l3, l4, n;

	l3 = fr_link_hdr(s, s->v6 ? 0x86dd : 0x0800, b, cap);
	if (l3 == 0 && s->link != FR_LINK_NONE)
		return 0;
	l4 = l3 + fr_ip_hdr_len(s);
	if (l4 > cap)
		return 0;
	n = fr_l4(s, b + l4, cap - l4);
	if (n == 0 && (s->payload_len != 0 ||
	    (!s->raw_l4 && (s->proto == 6 || s->proto == 17))))
		return 0;
	if (fr_ip_hdr(s, n, b + l3, cap - l3) == 0)
		return 0;
	n += l4;
	if (s->link == FR_LINK_ETH && s->pad && n < FR_ETH_MIN) {
		if (cap < FR_ETH_MIN)
			return 0;
		memset(b + n, 0, FR_ETH_MIN - n);
		n = FR_ETH_MIN;
	}
	if (lay != NULL)
		*lay = (struct fr_layout){ .l3 = l3, .l4 = l4, .len = n };
	return n;
}

bool
fr_parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}
