/*
 * benchgen KIND OUT.pcap COUNT KEYFILE DST_IP [DST_MAC SRC_MAC]: write
 * the Ethernet captures the benchmarks replay, either through
 * `sknockd -r` or onto a veth with `benchtool send`.  Door "ssh",
 * sequence 7000/tcp, 8000/udp, 9000/udp; packets 20 us apart from
 * BENCH_T0.  KIND:
 *   noise     COUNT packets: random ports and sources (198.18.0.0/15),
 *             a tenth of them junk aimed at the knock ports (bare steps,
 *             88 random bytes to the last one), and among them valid
 *             knocks from distinct sources in 100.64.0.0/10, one per
 *             NOISE_EVERY packets, plus a replayed and a stale one per
 *             100 valid; prints "expected_opens N"
 *   noiseshort the same, but the junk at the last step is 0-87 bytes:
 *             refused on its length, before any MAC (every 88-byte
 *             datagram there costs an HMAC, as DESIGN.md says), so this
 *             one measures the packet path alone
 *   flood     COUNT first-step SYNs from distinct sources (10.0.0.0/8)
 *             1 us apart, then one valid knock (expected_opens 1)
 *   lflood    the same flood without the valid knock (sent live, the
 *             real client knocks after it)
 *   fwflood   COUNT 88-byte random UDP datagrams to 62201 (fwknop's
 *             SPA port) from distinct sources
 *   randport  COUNT packets to random non-knock ports, random sources
 * KEYFILE is needed by noise and flood ("-" otherwise).
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>
#include <sodium.h>

#include "bytes.h"
#include "frame.h"
#include "key.h"
#include "token.h"

#define BENCH_T0	1764000000LL
#define NOISE_EVERY	20000	/* one valid knock per this many packets */
#define FRAME_MAX	256

static const uint16_t steps[3] = { 7000, 8000, 9000 };

struct gen {
	pcap_dumper_t	*dump;
	uint8_t		dst_ip[4];
	uint8_t		macs[12];	/* dst, src */
	uint64_t	t_us;		/* since BENCH_T0 */
	uint64_t	rng;
	uint64_t	nonce_ctr;
	uint64_t	n_written;
	int		short_junk;	/* noiseshort */
	struct sk_key	*key;
};

static uint32_t
rnd(struct gen *g)
{
	/* xorshift64*: reproducible, fast. */
	g->rng ^= g->rng >> 12;
	g->rng ^= g->rng << 25;
	g->rng ^= g->rng >> 27;
	return (uint32_t)((g->rng * 2685821657736338717ULL) >> 32);
}

/* emit(g, src, proto, dport, flags, payload, len): one Ethernet frame. */
static void
emit(struct gen *g, uint32_t src, uint8_t proto, uint16_t dport,
    uint8_t flags, const uint8_t *payload, size_t len)
{
	uint8_t f[FRAME_MAX];
	struct fr_spec fs = {
		.link = FR_LINK_ETH, .pad = true, .ip_csum = true,
		.ip_id = (uint16_t)(g->n_written & 0xffff), .proto = proto,
		.dport = dport, .tcp_flags = flags, .tcp_win = 64240,
		.payload = proto == 6 ? NULL : payload,
		.payload_len = proto == 6 ? 0 : len,
	};
	struct pcap_pkthdr h;

	memcpy(fs.dmac, g->macs, 6);
	memcpy(fs.smac, g->macs + 6, 6);
	store_be32(fs.src, src);
	memcpy(fs.dst, g->dst_ip, 4);
	fs.sport = (uint16_t)(1024 + rnd(g) % 60000);
	h.ts.tv_sec = (time_t)(BENCH_T0 + (int64_t)(g->t_us / 1000000));
	h.ts.tv_usec = (suseconds_t)(g->t_us % 1000000);
	h.caplen = h.len = (bpf_u_int32)fr_build(&fs, f, sizeof f, NULL);
	if (h.len == 0)
		exit(1);
	pcap_dump((u_char *)g->dump, &h, f);
	g->n_written++;
}

/* A valid 3-step knock from ${src}; ${ts_off} shifts the token's time. */
static void
knock(struct gen *g, uint32_t src, int64_t ts_off, uint64_t nonce_ctr,
    uint64_t gap_us)
{
	uint8_t nonce[TOK_NONCE_LEN] = { 0 }, tok[TOK_WIRE_LEN];
	struct tok_req r = { .port = 0, .proto = 6 };

	memcpy(nonce, &nonce_ctr, sizeof nonce_ctr);
	memcpy(nonce + 8, "benchgen", 8);
	emit(g, src, 6, steps[0], 0x02, NULL, 0);
	g->t_us += gap_us;
	emit(g, src, 17, steps[1], 0, (const uint8_t *)"k", 1);
	g->t_us += gap_us;
	r.timestamp = BENCH_T0 + (int64_t)(g->t_us / 1000000) + ts_off;
	if (tok_build(g->key, "ssh", nonce, &r, tok) != TOK_OK)
		exit(1);
	emit(g, src, 17, steps[2], 0, tok, sizeof tok);
}

static void
noise_one(struct gen *g, int aimed)
{
	uint32_t src = 0xc6120000u | (rnd(g) & 0x1ffff);	/* 198.18/15 */
	uint8_t proto = (rnd(g) & 1) ? 6 : 17;
	uint8_t junk[TOK_WIRE_LEN] = { 0 };
	uint16_t port;

	if (aimed) {
		unsigned s = rnd(g) % 3;

		port = steps[s];
		proto = s == 0 ? 6 : 17;
		if (s == 2) {
			randombytes_buf(junk, sizeof junk);
			emit(g, src, 17, port, 0, junk, g->short_junk ?
			    rnd(g) % TOK_WIRE_LEN : sizeof junk);
			return;
		}
	} else {
		do
			port = (uint16_t)(1 + rnd(g) % 65535);
		while (port == 7000 || port == 8000 || port == 9000);
	}
	emit(g, src, proto, port, (uint8_t)(proto == 6 ? rnd(g) & 0x3f : 0),
	    junk, proto == 6 ? 0 : rnd(g) % 32);
}

static void
gen_noise(struct gen *g, uint64_t count)
{
	uint64_t opens = 0, decoys = 0;
	uint32_t vsrc = 0x64400001u;	/* 100.64.0.1 */

	while (g->n_written < count) {
		if (g->n_written % NOISE_EVERY == NOISE_EVERY / 2) {
			knock(g, vsrc++, 0, ++g->nonce_ctr, 1000);
			opens++;
			if (opens % 100 == 1) {
				/* The same token again from elsewhere. */
				knock(g, vsrc++, 0, g->nonce_ctr, 1000);
				/* A token an hour old. */
				knock(g, vsrc++, -3600, ++g->nonce_ctr, 1000);
				decoys += 2;
			}
		} else {
			noise_one(g, rnd(g) % 10 == 0);
		}
		g->t_us += 20;
	}
	printf("packets %llu\nexpected_opens %llu\ndecoys %llu\n",
	    (unsigned long long)g->n_written, (unsigned long long)opens,
	    (unsigned long long)decoys);
}

static void
gen_flood(struct gen *g, uint64_t count, int kind)
{
	uint8_t junk[TOK_WIRE_LEN];

	for (uint64_t i = 0; i < count; i++) {
		uint32_t src = 0x0a000001u + (uint32_t)i;	/* 10/8 */

		if (kind == 'f') {
			randombytes_buf(junk, sizeof junk);
			emit(g, src, 17, 62201, 0, junk, sizeof junk);
		} else {
			emit(g, src, 6, steps[0], 0x02, NULL, 0);
		}
		g->t_us += 1;
	}
	if (kind == 'k') {
		knock(g, 0xc0000201u, 0, ++g->nonce_ctr, 1000); /* 192.0.2.1 */
		printf("expected_opens 1\n");
	}
	printf("packets %llu\n", (unsigned long long)g->n_written);
}

static void
gen_randport(struct gen *g, uint64_t count)
{
	while (g->n_written < count) {
		noise_one(g, 0);
		g->t_us += 1;
	}
	printf("packets %llu\n", (unsigned long long)g->n_written);
}

int
main(int argc, char **argv)
{
	struct gen g = { .rng = 0x9e3779b97f4a7c15ULL };
	char msg[512];
	pcap_t *dead;
	unsigned long long count;
	const char *kind;

	if (argc != 6 && argc != 8) {
		fprintf(stderr, "usage: benchgen noise|flood|lflood|fwflood|"
		    "randport OUT.pcap COUNT KEYFILE|- DST_IP "
		    "[DST_MAC SRC_MAC]\n");
		return 2;
	}
	kind = argv[1];
	count = strtoull(argv[3], NULL, 10);
	if (sodium_init() < 0 || inet_pton(AF_INET, argv[5], g.dst_ip) != 1
	    || (argc == 8 && (!fr_parse_mac(argv[6], g.macs)
	    || !fr_parse_mac(argv[7], g.macs + 6)))) {
		fprintf(stderr, "benchgen: bad address or MAC\n");
		return 2;
	}
	if (argc == 6)
		memcpy(g.macs, "\x02\0\0\0\0\x01\x02\0\0\0\0\x02", 12);
	g.short_junk = !strcmp(kind, "noiseshort");
	if (g.short_junk)
		kind = "noise";
	if ((!strcmp(kind, "noise") || !strcmp(kind, "flood"))
	    && key_load(argv[4], &g.key, msg, sizeof msg) != KEY_OK) {
		fprintf(stderr, "benchgen: %s\n", msg);
		return 1;
	}
	dead = pcap_open_dead(DLT_EN10MB, 65535);
	if (dead == NULL || (g.dump = pcap_dump_open(dead, argv[2])) == NULL) {
		fprintf(stderr, "benchgen: cannot write %s\n", argv[2]);
		return 1;
	}
	if (!strcmp(kind, "noise"))
		gen_noise(&g, count);
	else if (!strcmp(kind, "flood"))
		gen_flood(&g, count, 'k');
	else if (!strcmp(kind, "lflood"))
		gen_flood(&g, count, 's');
	else if (!strcmp(kind, "fwflood"))
		gen_flood(&g, count, 'f');
	else if (!strcmp(kind, "randport"))
		gen_randport(&g, count);
	else {
		fprintf(stderr, "benchgen: unknown kind %s\n", kind);
		return 2;
	}
	pcap_dump_close(g.dump);
	pcap_close(dead);
	key_free(g.key);
	return 0;
}
