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

#include "bytes.h"
#include "frame.h"
#include "tool.h"

#define IP4_OPTS	4	/* -o: four NOP options */
#define FRAG6_HDR	8
#define UDP_HDR		8
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
	struct fr_layout lay;
};

/* link_spec(k, proto, port, fs): a frame of ${k} to ${port}, but for the
 * IPv4 identification, which link_build takes from the counter. */
static void
link_spec(const struct link *k, uint8_t proto, uint16_t port,
    struct fr_spec *fs)
{
	memset(fs, 0, sizeof *fs);
	fs->link = FR_LINK_ETH;
	memcpy(fs->dmac, k->dmac, 6);
	memcpy(fs->smac, k->out.mac, 6);
	if (k->vlan != 0) {
		fs->n_tags = 1;
		fs->tpid[0] = 0x8100;
		fs->tci[0] = k->vlan;
	}
	fs->v6 = k->af == AF_INET6;
	memcpy(fs->src, k->src, sizeof fs->src);
	memcpy(fs->dst, k->dst, sizeof fs->dst);
	fs->ip_nops = k->ip4_opts ? IP4_OPTS : 0;
	fs->ip_csum = true;
	fs->hbh = k->ip6_hbh;
	fs->proto = proto;
	fs->sport = SPORT;
	fs->dport = port;
	fs->tcp_seq = 0x5e000000;
	fs->tcp_flags = 0x02;		/* SYN */
	fs->tcp_win = 64240;
	fs->l4_csum = true;
}

/* link_build(k, fs, f): build ${fs} into ${f}; IPv4 takes the next id. */
static void
link_build(struct link *k, struct fr_spec *fs, struct frame *f)
{
	if (!fs->v6)
		fs->ip_id = k->ip_id++;
	if (fr_build(fs, f->b, sizeof f->b, &f->lay) == 0) {
		fprintf(stderr, "sendraw: frame does not fit\n");
		exit(1);
	}
}

/* frame_l4(k, f, proto, port, pl, pl_len): a UDP datagram or a TCP SYN. */
static void
frame_l4(struct link *k, struct frame *f, uint8_t proto, uint16_t port,
    const uint8_t *pl, size_t pl_len)
{
	struct fr_spec fs;

	link_spec(k, proto, port, &fs);
	fs.payload = pl;
	fs.payload_len = pl_len;
	link_build(k, &fs, f);
}

/* ip4_recsum(f): recompute the IPv4 header checksum after a change. */
static void
ip4_recsum(struct frame *f)
{
	fr_ip4_recsum(f->b + f->lay.l3, f->lay.l4 - f->lay.l3);
}

static bool
link_send(struct link *k, const struct frame *f)
{
	if (!tool_pkt_send(&k->out, f->b, f->lay.len))
		return false;
	tool_sleep_ms(2);
	return true;
}

/* send_frags(k, port, pl, pl_len, atomic): the UDP datagram in fragments;
 * IPv4 fragments share the id, but each still takes one from the counter. */
static bool
send_frags(struct link *k, uint16_t port, const uint8_t *pl,
    size_t pl_len, bool atomic)
{
	uint8_t seg[UDP_HDR + PAYLOAD_CAP], piece[FRAG6_HDR + PAYLOAD_CAP];
	struct fr_spec fs;
	size_t n, cut, offs[2], lens[2];
	uint16_t id = k->ip_id;
	struct frame f;

	link_spec(k, 17, port, &fs);
	fs.payload = pl;
	fs.payload_len = pl_len;
	n = fr_l4(&fs, seg, sizeof seg);
	cut = atomic ? n : (n / 2) & ~(size_t)7;
	offs[0] = 0, offs[1] = cut, lens[0] = cut, lens[1] = n - cut;
	fs.raw_l4 = true;
	for (int i = 0; i < (atomic ? 1 : 2); i++) {
		bool more = !atomic && i == 0;

		if (k->af == AF_INET) {
			fs.ip_frag = (uint16_t)((more ? 0x2000 : 0) | offs[i] / 8);
			fs.payload = seg + offs[i];
			fs.payload_len = lens[i];
			link_build(k, &fs, &f);
			store_be16(f.b + f.lay.l3 + 4, id);
			ip4_recsum(&f);
		} else {
			memset(piece, 0, FRAG6_HDR);
			piece[0] = 17;
			store_be16(piece + 2, (uint16_t)(offs[i] | (more ? 1 : 0)));
			store_be16(piece + 6, id);
			memcpy(piece + FRAG6_HDR, seg + offs[i], lens[i]);
			fs.proto = 44;
			fs.payload = piece;
			fs.payload_len = FRAG6_HDR + lens[i];
			link_build(k, &fs, &f);
		}
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
		f->lay.len = f->lay.l3 + (k->af == AF_INET ? 12 : 24);
	} else if (strcmp(w, "truncudp") == 0) {
		/* The IP length still claims the whole datagram. */
		frame_l4(k, f, 17, arg_port(a, 1), fill, FILL_LEN);
		f->lay.len = f->lay.l4 + 4;
	} else if (strcmp(w, "trunctcp") == 0) {
		frame_l4(k, f, 6, arg_port(a, 1), fill, FILL_LEN);
		f->lay.len = f->lay.l4 + 10;
	} else if (strcmp(w, "ihl") == 0 && k->af == AF_INET) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		f->b[f->lay.l3] = (uint8_t)(0x40 | arg_len(a, 1, 15));
		ip4_recsum(f);
	} else if (strcmp(w, "totlen") == 0 && k->af == AF_INET) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		store_be16(f->b + f->lay.l3 + 2, (uint16_t)arg_len(a, 1, 65535));
		ip4_recsum(f);
	} else if (strcmp(w, "plen") == 0 && k->af == AF_INET6) {
		frame_l4(k, f, 17, arg_port(a, 2), fill, FILL_LEN);
		store_be16(f->b + f->lay.l3 + 4, (uint16_t)arg_len(a, 1, 65535));
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
	    optind == argc || !fr_parse_mac(mac, k.dmac) ||
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
