/*
 * mkpcap.c: write a pcap file from a small script, for driving
 * `sknockd -r`.  Usage: mkpcap OUT.pcap < SCRIPT
 *
 * Script lines (blank lines and '#' comments ignored):
 *   link en10mb|raw|ipv4|ipv6|sll|sll2   link type (before any packet)
 *   base UNIXSECONDS                     time of T = 0 (default 1764000000)
 *   noise COUNT T0 STEP SEED             COUNT random TCP/UDP packets from
 *                                        198.18.0.0/16, random ports/flags
 *   T SRC DST tcp PORT [opts]            a TCP segment (default flags S)
 *   T SRC DST udp PORT [opts]            a UDP datagram (default 0 bytes)
 *   T SRC DST token PORT door=NAME key=FILE [opts]
 *                                        a UDP datagram holding a token
 * opts: flags=SAFRPEC len=N (udp payload) vlan=ID hbh (IPv6 hop-by-hop
 *   header first) ipopt (IPv4 with a NOP option word) mf (IPv4 more
 *   fragments) out (SLL: outgoing) v6 (an IPv6 packet even for v4-mapped
 *   ::ffff:a.b.c.d addresses) and, for tokens, ts=UNIXSECONDS|+N|-N
 *   (default the packet time), port=N proto=tcp|udp|N allow=ADDR
 *   nonce=HEX (24 bytes; default counter) trunc=N (keep N bytes)
 * T is seconds after base, fractions allowed.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <sodium.h>

#include "addr.h"
#include "key.h"
#include "parse.h"
#include "token.h"

#include "frame.h"

#define FRAME_MAX	2048

struct pkt_spec {
	double		t;
	struct sk_addr	src, dst;
	uint8_t		proto;
	uint16_t	dport;
	uint8_t		flags;
	const uint8_t	*payload;
	size_t		payload_len;
	int		vlan;		/* -1: none */
	int		hbh, ipopt, mf, out, v6;
};

/* IPv4 on the wire: both addresses v4-mapped and no v6 option. */
static bool
spec_v4(const struct pkt_spec *s)
{
	return addr_is_v4(&s->src) && !s->v6;
}

struct gen {
	pcap_dumper_t	*dump;
	pcap_t		*dead;
	int		link;
	int64_t		base;
	uint64_t	nonce_ctr;
	unsigned	line;
};

static void
die(const struct gen *g, const char *what)
{
	fprintf(stderr, "mkpcap: line %u: %s\n", g->line, what);
	exit(1);
}

/* fr_spec_of(g, s, fs): the frame of ${s} on the link of ${g}. */
static void
fr_spec_of(const struct gen *g, const struct pkt_spec *s,
    struct fr_spec *fs)
{
	static const uint8_t smac[6] = { 0x02, 0, 0, 0, 0, 1 };

	memset(fs, 0, sizeof *fs);
	fs->link = g->link == DLT_EN10MB ? FR_LINK_ETH :
	    g->link == DLT_LINUX_SLL ? FR_LINK_SLL :
	    g->link == DLT_LINUX_SLL2 ? FR_LINK_SLL2 : FR_LINK_NONE;
	if (fs->link == FR_LINK_ETH) {
		fs->dmac[0] = 0x02;
		memcpy(fs->smac, smac, 6);
		if (s->vlan >= 0) {
			fs->n_tags = 1;
			fs->tpid[0] = 0x8100;
			fs->tci[0] = (uint16_t)s->vlan;
		}
	}
	fs->pkttype = s->out ? 4 : 0;
	fs->v6 = !spec_v4(s);
	memcpy(fs->src, fs->v6 ? s->src.b : s->src.b + 12, fs->v6 ? 16 : 4);
	memcpy(fs->dst, fs->v6 ? s->dst.b : s->dst.b + 12, fs->v6 ? 16 : 4);
	fs->ip_frag = s->mf ? 0x2000 : 0x4000;
	fs->ip_nops = s->ipopt ? 4 : 0;
	fs->ip_csum = true;
	fs->hbh = s->hbh != 0;
	fs->proto = s->proto;
	fs->sport = s->proto == 6 ? 40000 : 40001;
	fs->dport = s->dport;
	fs->tcp_flags = s->flags;
	fs->tcp_win = 64240;
	fs->payload = s->payload;
	fs->payload_len = s->payload_len;
}

static void
emit(struct gen *g, const struct pkt_spec *s)
{
	uint8_t frame[FRAME_MAX];
	struct fr_spec fs;
	struct pcap_pkthdr h;
	size_t len;
	double t = (double)g->base + s->t;

	fr_spec_of(g, s, &fs);
	if ((len = fr_build(&fs, frame, sizeof frame, NULL)) == 0)
		die(g, "frame too large");
	memset(&h, 0, sizeof h);
	h.ts.tv_sec = (time_t)t;
	h.ts.tv_usec = (suseconds_t)((t - (double)(time_t)t) * 1e6 + 0.5);
	if (h.ts.tv_usec >= 1000000)
		h.ts.tv_usec = 999999;
	h.caplen = h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)g->dump, &h, frame);
}

static int
parse_link(const char *name)
{
	static const struct { const char *n; int dlt; } links[] = {
		{ "en10mb", DLT_EN10MB }, { "raw", DLT_RAW },
		{ "ipv4", 228 }, { "ipv6", 229 }, { "sll", DLT_LINUX_SLL },
		{ "sll2", DLT_LINUX_SLL2 },
	};

	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (strcmp(name, links[i].n) == 0)
			return links[i].dlt;
	return -1;
}

static uint8_t
parse_flags(const char *s)
{
	uint8_t f = 0;

	for (; *s; s++)
		switch (*s) {
		case 'F': f |= 0x01; break;
		case 'S': f |= 0x02; break;
		case 'R': f |= 0x04; break;
		case 'P': f |= 0x08; break;
		case 'A': f |= 0x10; break;
		case 'E': f |= 0x40; break;
		case 'C': f |= 0x80; break;
		default: break;
		}
	return f;
}

static void
noise(struct gen *g, const char *args)
{
	unsigned long count, seed;
	double t0, step;
	struct pkt_spec s;
	uint8_t pay[64] = { 0 };

	if (sscanf(args, "%lu %lf %lf %lu", &count, &t0, &step, &seed) != 4)
		die(g, "noise COUNT T0 STEP SEED");
	srandom((unsigned)seed);
	memset(&s, 0, sizeof s);
	s.vlan = -1;
	addr_parse("192.0.2.1", &s.dst);
	for (unsigned long i = 0; i < count; i++) {
		uint8_t v4[4] = { 198, 18, 0, 0 };
		long r = random();

		v4[2] = (uint8_t)(r >> 8);
		v4[3] = (uint8_t)r;
		addr_from_v4(v4, &s.src);
		s.t = t0 + step * (double)i;
		s.proto = (r >> 16) & 1 ? 6 : 17;
		s.dport = (uint16_t)(1 + random() % 65535);
		s.flags = (uint8_t)random();
		s.payload = pay;
		s.payload_len = (size_t)(random() % 64);
		emit(g, &s);
	}
}

struct tok_opts {
	const char	*door;
	const char	*key;
	const char	*ts;
	const char	*nonce;
	int		trunc;
	struct tok_req	req;
};

static void
build_token(struct gen *g, struct pkt_spec *s, struct tok_opts *o,
    uint8_t out[TOK_WIRE_LEN])
{
	uint8_t nonce[TOK_NONCE_LEN] = { 0 };
	char msg[512];
	struct sk_key *k = NULL;

	if (o->door == NULL || o->key == NULL)
		die(g, "token needs door= and key=");
	if (key_load(o->key, &k, msg, sizeof msg) != KEY_OK)
		die(g, msg);
	o->req.timestamp = g->base + (int64_t)s->t;
	if (o->ts != NULL) {
		if (o->ts[0] == '+' || o->ts[0] == '-')
			o->req.timestamp += strtoll(o->ts, NULL, 10);
		else
			o->req.timestamp = strtoll(o->ts, NULL, 10);
	}
	if (o->nonce != NULL) {
		if (sodium_hex2bin(nonce, sizeof nonce, o->nonce,
		    strlen(o->nonce), NULL, NULL, NULL) != 0)
			die(g, "nonce= wants 48 hex digits");
	} else {
		uint64_t c = ++g->nonce_ctr;

		memcpy(nonce, "mkpcap-nonce", 12);
		for (int i = 0; i < 8; i++)
			nonce[16 + i] = (uint8_t)(c >> (56 - 8 * i));
	}
	if (tok_build(k, o->door, nonce, &o->req, out) != TOK_OK)
		die(g, "tok_build failed");
	key_free(k);
	s->payload = out;
	s->payload_len = o->trunc >= 0 && o->trunc < TOK_WIRE_LEN ?
	    (size_t)o->trunc : TOK_WIRE_LEN;
}

static void
opt(struct gen *g, struct pkt_spec *s, struct tok_opts *o, char *w)
{
	char *v = strchr(w, '=');

	if (v != NULL)
		*v++ = '\0';
	if (strcmp(w, "flags") == 0 && v)
		s->flags = parse_flags(v);
	else if (strcmp(w, "len") == 0 && v)
		s->payload_len = strtoul(v, NULL, 10);
	else if (strcmp(w, "vlan") == 0 && v)
		s->vlan = atoi(v);
	else if (strcmp(w, "hbh") == 0)
		s->hbh = 1;
	else if (strcmp(w, "ipopt") == 0)
		s->ipopt = 1;
	else if (strcmp(w, "mf") == 0)
		s->mf = 1;
	else if (strcmp(w, "out") == 0)
		s->out = 1;
	else if (strcmp(w, "v6") == 0)
		s->v6 = 1;
	else if (strcmp(w, "door") == 0 && v)
		o->door = v;
	else if (strcmp(w, "key") == 0 && v)
		o->key = v;
	else if (strcmp(w, "ts") == 0 && v)
		o->ts = v;
	else if (strcmp(w, "nonce") == 0 && v)
		o->nonce = v;
	else if (strcmp(w, "trunc") == 0 && v)
		o->trunc = atoi(v);
	else if (strcmp(w, "port") == 0 && v)
		o->req.port = (uint16_t)atoi(v);
	else if (strcmp(w, "proto") == 0 && v)
		o->req.proto = (uint8_t)(strcmp(v, "tcp") == 0 ? 6 :
		    strcmp(v, "udp") == 0 ? 17 : atoi(v));
	else if (strcmp(w, "allow") == 0 && v) {
		if (addr_parse(v, &o->req.allow) != ADDR_OK)
			die(g, "allow= wants an address");
	} else
		die(g, "unknown option");
}

static void
packet(struct gen *g, char *line)
{
	static const uint8_t zeros[1500];
	uint8_t tok[TOK_WIRE_LEN];
	char *save = NULL, *w[5];
	struct tok_opts o;
	struct pkt_spec s;
	char *x;

	for (int i = 0; i < 5; i++)
		if ((w[i] = strtok_r(i ? NULL : line, " \t", &save)) == NULL)
			die(g, "want: T SRC DST tcp|udp|token PORT [opts]");
	memset(&s, 0, sizeof s);
	memset(&o, 0, sizeof o);
	o.trunc = -1;
	o.req.proto = 6;
	s.vlan = -1;
	s.t = strtod(w[0], NULL);
	if (addr_parse(w[1], &s.src) != ADDR_OK ||
	    addr_parse(w[2], &s.dst) != ADDR_OK)
		die(g, "bad SRC/DST (numeric)");
	s.dport = (uint16_t)atoi(w[4]);
	s.proto = strcmp(w[3], "tcp") == 0 ? 6 : 17;
	s.flags = 0x02;
	s.payload = zeros;
	while ((x = strtok_r(NULL, " \t", &save)) != NULL)
		opt(g, &s, &o, x);
	if (!s.v6 && addr_is_v4(&s.src) != addr_is_v4(&s.dst))
		die(g, "SRC and DST of one family (or v6)");
	if (s.payload_len > sizeof zeros)
		die(g, "len too large");
	if (strcmp(w[3], "token") == 0)
		build_token(g, &s, &o, tok);
	else if (strcmp(w[3], "tcp") != 0 && strcmp(w[3], "udp") != 0)
		die(g, "protocol is tcp, udp or token");
	emit(g, &s);
}

int
main(int argc, char **argv)
{
	struct gen g = { .link = DLT_EN10MB, .base = 1764000000 };
	char line[1024];

	if (argc != 2) {
		fprintf(stderr, "usage: mkpcap OUT.pcap < SCRIPT\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	while (fgets(line, sizeof line, stdin) != NULL) {
		char *p = line + strspn(line, " \t");

		g.line++;
		p[strcspn(p, "\r\n#")] = '\0';
		if (*p == '\0')
			continue;
		if (strncmp(p, "link ", 5) == 0) {
			if (g.dump != NULL)
				die(&g, "link must come before packets");
			if ((g.link = parse_link(p + 5)) < 0)
				die(&g, "unknown link type");
			continue;
		}
		if (strncmp(p, "base ", 5) == 0) {
			g.base = strtoll(p + 5, NULL, 10);
			continue;
		}
		if (g.dump == NULL) {
			g.dead = pcap_open_dead(g.link, 65535);
			g.dump = pcap_dump_open(g.dead, argv[1]);
			if (g.dump == NULL)
				die(&g, pcap_geterr(g.dead));
		}
		if (strncmp(p, "noise ", 6) == 0)
			noise(&g, p + 6);
		else
			packet(&g, p);
	}
	if (g.dump == NULL) {
		g.dead = pcap_open_dead(g.link, 65535);
		g.dump = pcap_dump_open(g.dead, argv[1]);
		if (g.dump == NULL)
			die(&g, pcap_geterr(g.dead));
	}
	pcap_dump_close(g.dump);
	pcap_close(g.dead);
	return 0;
}
