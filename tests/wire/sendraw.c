/*
 * sendraw.c: hand-made, often malformed, packets for the wire-abuse tests.
 *
 * sendraw -i IFACE -m DSTMAC -s SRC -d DST [-v VLAN] [-o] [-x] ACTION...
 * Builds Ethernet frames from SRC to DST (both IPv4 or both IPv6; SRC may
 * be forged: 0.0.0.0, multicast, the server's own address) and sends
 * them out of IFACE through an AF_PACKET socket, one per ACTION, in
 * order, 2 ms apart.  -v VLAN tags every frame (802.1Q), -o gives IPv4
 * headers four NOP options, -x puts an IPv6 hop-by-hop header (PadN)
 * before the next one.  ACTIONs:
 *   udp:PORT:LEN          UDP with LEN payload bytes (0xa5)
 *   udpfile:PORT:FILE     UDP with the bytes of FILE as payload
 *   syn:PORT              TCP SYN
 *   synpay:PORT:LEN       TCP SYN carrying LEN payload bytes
 *   synfile:PORT:FILE     TCP SYN carrying the bytes of FILE
 *   truncip:PORT          frame ends in the middle of the IP header
 *   truncudp:PORT         IP header, then 4 of the 8 UDP header bytes
 *   trunctcp:PORT         IP header, then 10 of the 20 TCP header bytes
 *                         (the IP length fields claim 88 payload bytes more;
 *                         frames under 60 bytes get Ethernet's zero padding)
 *   ihl:N:PORT            IPv4 UDP (88 payload bytes) with header length N
 *   totlen:N:PORT         IPv4 UDP (88 payload bytes) with total length N
 *   plen:N:PORT           IPv6 UDP (88 payload bytes) with payload length N
 *   frag:PORT:FILE        UDP with FILE as payload, in two fragments
 *   fragatomic:PORT:FILE  IPv6 only: one fragment header, offset 0, M=0
 *   sockudp:PORT:LEN      LEN bytes through an ordinary UDP socket to DST
 *                         (the kernel fragments what exceeds the MTU)
 * Exit 0 when every frame was sent, 1 on a send error, 2 on usage errors.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../netbytes.h"
#include "tool.h"

#define ETH_HDR		14
#define IP4_HDR		20
#define IP6_HDR		40
#define IP4_OPTS	4	/* -o: four NOP options */
#define HBH_HDR		8	/* -x: hop-by-hop header with a PadN option */
#define VLAN_HDR	4
#define FRAG6_HDR	8
#define UDP_HDR		8
#define TCP_HDR		20
#define FRAME_CAP	2048
#define PAYLOAD_CAP	1472	/* UDP payload in a 1500-byte IPv4 MTU */
#define FILL_LEN	88
#define SPORT		40000

struct link {
	struct tool_pkt_out out;
	int		af;
	uint8_t		src[16], dst[16];
	uint8_t		dmac[6];
	const char	*dst_txt;
	uint16_t	ip_id;		/* next IP identification */
	uint16_t	vlan;		/* -v: 802.1Q tag, 0 = none */
	bool		ip4_opts;	/* -o */
	bool		ip6_hbh;	/* -x */
};

struct frame {
	uint8_t		b[FRAME_CAP];
	size_t		len;
	size_t		l3;	/* offset of the IP header */
	size_t		l4;	/* offset of the UDP/TCP header */
};

/* l4_csum(k, proto, seg, len): checksum with the pseudo-header. */
static uint16_t
l4_csum(struct link *k, uint8_t proto, const uint8_t *seg, size_t len)
{
	size_t alen = k->af == AF_INET ? 4 : 16;
	uint32_t sum = 0;

	sum = csum_add(sum, k->src, alen);
	sum = csum_add(sum, k->dst, alen);
	sum += proto;
	sum += (uint32_t)len;
	return csum_fold(csum_add(sum, seg, len));
}

/* seg_udp(k, port, pl, pl_len, out): UDP header + payload; its length. */
static size_t
seg_udp(struct link *k, uint16_t port, const uint8_t *pl,
    size_t pl_len, uint8_t *out)
{
	uint16_t c;

	store_be16(out, SPORT);
	store_be16(out + 2, port);
	store_be16(out + 4, (uint16_t)(UDP_HDR + pl_len));
	store_be16(out + 6, 0);
	memcpy(out + UDP_HDR, pl, pl_len);
	c = l4_csum(k, 17, out, UDP_HDR + pl_len);
	store_be16(out + 6, c == 0 ? 0xffff : c);
	return UDP_HDR + pl_len;
}

static size_t
seg_syn(struct link *k, uint16_t port, const uint8_t *pl,
    size_t pl_len, uint8_t *out)
{
	memset(out, 0, TCP_HDR);
	store_be16(out, SPORT);
	store_be16(out + 2, port);
	out[4] = 0x5e;			/* sequence number */
	out[12] = 5 << 4;		/* data offset */
	out[13] = 0x02;			/* SYN */
	store_be16(out + 14, 64240);		/* window */
	memcpy(out + TCP_HDR, pl, pl_len);
	store_be16(out + 16, l4_csum(k, 6, out, TCP_HDR + pl_len));
	return TCP_HDR + pl_len;
}

/* frame_eth(k, f, type): Ethernet header (and 802.1Q tag); offset of L3. */
static size_t
frame_eth(const struct link *k, struct frame *f, uint16_t type)
{
	size_t l3 = ETH_HDR;

	memcpy(f->b, k->dmac, 6);
	memcpy(f->b + 6, k->out.mac, 6);
	if (k->vlan != 0) {
		store_be16(f->b + 12, 0x8100);
		store_be16(f->b + 14, k->vlan);
		l3 += VLAN_HDR;
	}
	store_be16(f->b + l3 - 2, type);
	return l3;
}

/* frame_ip(k, f, proto, l3_payload_len): Ethernet and IP headers, with
 * IPv4 options (-o) or an IPv6 hop-by-hop header (-x) when asked. */
static void
frame_ip(struct link *k, struct frame *f, uint8_t proto, size_t plen)
{
	uint8_t *ip;

	if (k->af == AF_INET) {
		size_t hl = IP4_HDR + (k->ip4_opts ? IP4_OPTS : 0);

		f->l3 = frame_eth(k, f, 0x0800);
		ip = f->b + f->l3;
		memset(ip, 0, hl);
		memset(ip + IP4_HDR, 0x01, hl - IP4_HDR);	/* NOP options */
		ip[0] = (uint8_t)(0x40 | hl / 4);
		store_be16(ip + 2, (uint16_t)(hl + plen));
		store_be16(ip + 4, k->ip_id++);
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, k->src, 4);
		memcpy(ip + 16, k->dst, 4);
		store_be16(ip + 10, csum_fold(csum_add(0, ip, hl)));
		f->l4 = f->l3 + hl;
	} else {
		size_t ext = k->ip6_hbh ? HBH_HDR : 0;

		f->l3 = frame_eth(k, f, 0x86dd);
		ip = f->b + f->l3;
		memset(ip, 0, IP6_HDR + ext);
		ip[0] = 0x60;
		store_be16(ip + 4, (uint16_t)(ext + plen));
		ip[6] = ext != 0 ? 0 : proto;
		ip[7] = 64;
		memcpy(ip + 8, k->src, 16);
		memcpy(ip + 24, k->dst, 16);
		if (ext != 0) {
			ip[IP6_HDR] = proto;		/* next header */
			ip[IP6_HDR + 2] = 1;		/* PadN, 4 bytes */
			ip[IP6_HDR + 3] = 4;
		}
		f->l4 = f->l3 + IP6_HDR + ext;
	}
	f->len = f->l4 + plen;
}

/* frame_l4(k, f, proto, port, pl, pl_len): a UDP datagram or a TCP SYN. */
static void
frame_l4(struct link *k, struct frame *f, uint8_t proto, uint16_t port,
    const uint8_t *pl, size_t pl_len)
{
	uint8_t seg[TCP_HDR + PAYLOAD_CAP];
	size_t n = proto == 17 ? seg_udp(k, port, pl, pl_len, seg) :
	    seg_syn(k, port, pl, pl_len, seg);

	frame_ip(k, f, proto, n);
	memcpy(f->b + f->l4, seg, n);
}

/* ip4_recsum(f): recompute the IPv4 header checksum after a change. */
static void
ip4_recsum(struct frame *f)
{
	uint8_t *ip = f->b + f->l3;

	store_be16(ip + 10, 0);
	store_be16(ip + 10, csum_fold(csum_add(0, ip, f->l4 - f->l3)));
}

static bool
link_send(struct link *k, const struct frame *f)
{
	if (!tool_pkt_send(&k->out, f->b, f->len))
		return false;
	tool_sleep_ms(2);
	return true;
}

/* send_frags(k, port, pl, pl_len, atomic): the UDP datagram in fragments. */
static bool
send_frags(struct link *k, uint16_t port, const uint8_t *pl,
    size_t pl_len, bool atomic)
{
	uint8_t seg[UDP_HDR + PAYLOAD_CAP];
	size_t n = seg_udp(k, port, pl, pl_len, seg);
	size_t cut = atomic ? n : (n / 2) & ~(size_t)7;
	size_t offs[2] = { 0, cut }, lens[2] = { cut, n - cut };
	uint16_t id = k->ip_id;
	struct frame f;

	for (int i = 0; i < (atomic ? 1 : 2); i++) {
		bool more = !atomic && i == 0;

		if (k->af == AF_INET) {
			frame_ip(k, &f, 17, lens[i]);
			store_be16(f.b + f.l3 + 6,
			    (uint16_t)((more ? 0x2000 : 0) | offs[i] / 8));
			store_be16(f.b + f.l3 + 4, id);
			ip4_recsum(&f);
		} else {
			uint8_t *fh;

			frame_ip(k, &f, 44, FRAG6_HDR + lens[i]);
			fh = f.b + f.l4;
			memset(fh, 0, FRAG6_HDR);
			fh[0] = 17;
			store_be16(fh + 2,
			    (uint16_t)(offs[i] | (more ? 1 : 0)));
			store_be16(fh + 6, id);
			f.l4 += FRAG6_HDR;
			f.len = f.l4 + lens[i];
		}
		memcpy(f.b + f.l4, seg + offs[i], lens[i]);
		if (!link_send(k, &f))
			return false;
	}
	k->ip_id++;
	return true;
}

static bool
sock_udp(struct link *k, uint16_t port, size_t len)
{
	static uint8_t big[65535];
	struct sockaddr_storage ss;
	socklen_t sl;
	bool ok;
	int fd;

	if (!tool_sockaddr(k->dst_txt, port, &ss, &sl))
		return false;
	fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	memset(big, 0xa5, len);
	ok = sendto(fd, big, len, 0, (struct sockaddr *)&ss, sl) ==
	    (ssize_t)len;
	if (!ok)
		fprintf(stderr, "sendraw: sockudp %zu: %s\n", len,
		    strerror(errno));
	close(fd);
	tool_sleep_ms(2);
	return ok;
}

/* One ACTION split at ':' into at most 3 fields. */
struct action {
	char	*w[3];
	int	n;
};

static void
action_split(char *s, struct action *a)
{
	a->n = 0;
	while (a->n < 3 && s != NULL) {
		a->w[a->n++] = strsep(&s, ":");
	}
}

static uint16_t
arg_port(const struct action *a, int i)
{
	if (i >= a->n) {
		fprintf(stderr, "sendraw: %s: missing field %d\n", a->w[0], i);
		exit(2);
	}
	return (uint16_t)tool_num(a->w[i], 1, 65535, a->w[0]);
}

static size_t
arg_len(const struct action *a, int i, size_t max)
{
	if (i >= a->n) {
		fprintf(stderr, "sendraw: %s: missing field %d\n", a->w[0], i);
		exit(2);
	}
	return (size_t)tool_num(a->w[i], 0, (long long)max, a->w[0]);
}

static size_t
arg_file(const struct action *a, int i, uint8_t *buf)
{
	size_t len;

	if (i >= a->n || !tool_read_file(a->w[i], buf, PAYLOAD_CAP,
	    &len))
		exit(2);
	return len;
}

/* act_malformed(k, a, f): the mangled-header ACTIONs; false if unknown. */
static bool
act_malformed(struct link *k, const struct action *a, struct frame *f)
{
	static const uint8_t fill[FILL_LEN];
	const char *w = a->w[0];

	if (strcmp(w, "truncip") == 0) {
		frame_l4(k, f, 17, arg_port(a, 1), fill, FILL_LEN);
		f->len = f->l3 + (k->af == AF_INET ? 12 : 24);
	} else if (strcmp(w, "truncudp") == 0) {
		/* The IP length still claims the whole datagram. */
		frame_l4(k, f, 17, arg_port(a, 1), fill, FILL_LEN);
		f->len = f->l4 + 4;
	} else if (strcmp(w, "trunctcp") == 0) {
		frame_l4(k, f, 6, arg_port(a, 1), fill, FILL_LEN);
		f->len = f->l4 + 10;
	} else if (strcmp(w, "ihl") == 0 && k->af == AF_INET) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		f->b[f->l3] = (uint8_t)(0x40 | arg_len(a, 1, 15));
		ip4_recsum(f);
	} else if (strcmp(w, "totlen") == 0 && k->af == AF_INET) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		store_be16(f->b + f->l3 + 2, (uint16_t)arg_len(a, 1, 65535));
		ip4_recsum(f);
	} else if (strcmp(w, "plen") == 0 && k->af == AF_INET6) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		store_be16(f->b + f->l3 + 4, (uint16_t)arg_len(a, 1, 65535));
	} else {
		return false;
	}
	return true;
}

static bool
act_one(struct link *k, char *s)
{
	static uint8_t pl[PAYLOAD_CAP];
	struct action a;
	struct frame f;
	const char *w;

	action_split(s, &a);
	w = a.w[0];
	if (strcmp(w, "sockudp") == 0)
		return sock_udp(k, arg_port(&a, 1), arg_len(&a, 2, 65535));
	if (strcmp(w, "frag") == 0 || strcmp(w, "fragatomic") == 0) {
		size_t n = arg_file(&a, 2, pl);

		return send_frags(k, arg_port(&a, 1), pl, n, w[4] == 'a');
	}
	if (strcmp(w, "udp") == 0) {
		size_t n = arg_len(&a, 2, PAYLOAD_CAP);

		memset(pl, 0xa5, n);
		frame_l4(k, &f, 17, arg_port(&a, 1), pl, n);
	} else if (strcmp(w, "udpfile") == 0) {
		size_t n = arg_file(&a, 2, pl);

		frame_l4(k, &f, 17, arg_port(&a, 1), pl, n);
	} else if (strcmp(w, "syn") == 0) {
		frame_l4(k, &f, 6, arg_port(&a, 1), pl, 0);
	} else if (strcmp(w, "synfile") == 0) {
		size_t n = arg_file(&a, 2, pl);

		frame_l4(k, &f, 6, arg_port(&a, 1), pl, n);
	} else if (strcmp(w, "synpay") == 0) {
		size_t n = arg_len(&a, 2, PAYLOAD_CAP);

		memset(pl, 0xa5, n);
		frame_l4(k, &f, 6, arg_port(&a, 1), pl, n);
	} else if (!act_malformed(k, &a, &f)) {
		fprintf(stderr, "sendraw: %s: unknown action or wrong family\n",
		    w);
		exit(2);
	}
	return link_send(k, &f);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];

	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
	    &v[5]) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return true;
}

static bool
link_addrs(struct link *k, const char *src, const char *dst)
{
	k->af = strchr(dst, ':') != NULL ? AF_INET6 : AF_INET;
	k->dst_txt = dst;
	return inet_pton(k->af, src, k->src) == 1 &&
	    inet_pton(k->af, dst, k->dst) == 1;
}

int
main(int argc, char **argv)
{
	const char *iface = NULL, *mac = NULL, *src = NULL, *dst = NULL;
	struct link k;
	int opt, bad = 0;

	memset(&k, 0, sizeof k);
	k.ip_id = 0x1234;
	while ((opt = getopt(argc, argv, "i:m:s:d:v:ox")) != -1) {
		switch (opt) {
		case 'v':
			k.vlan = (uint16_t)tool_num(optarg, 1, 4094, "-v");
			break;
		case 'o': k.ip4_opts = true; break;
		case 'x': k.ip6_hbh = true; break;
		case 'i': iface = optarg; break;
		case 'm': mac = optarg; break;
		case 's': src = optarg; break;
		case 'd': dst = optarg; break;
		default: goto usage;
		}
	}
	if (iface == NULL || mac == NULL || src == NULL || dst == NULL ||
	    optind == argc || !parse_mac(mac, k.dmac) ||
	    !link_addrs(&k, src, dst))
		goto usage;
	if (!tool_pkt_open(iface, &k.out)) {
		fprintf(stderr, "sendraw: %s: %s\n", iface, strerror(errno));
		return 1;
	}
	for (int i = optind; i < argc; i++)
		bad += !act_one(&k, argv[i]);
	close(k.out.fd);
	return bad == 0 ? 0 : 1;
usage:
	fprintf(stderr, "usage: sendraw -i IFACE -m DSTMAC -s SRC -d DST "
	    "[-v VLAN] [-o] [-x] ACTION...\n");
	return 2;
}
