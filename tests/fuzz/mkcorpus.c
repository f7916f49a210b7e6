/*
 * mkcorpus DIR: write the binary seed inputs of the fuzzers into
 * DIR/<target>/ (tokens, frames of every link type, sequence streams,
 * replay files).  Built with libsodium alone, from DESIGN.md, so the
 * seeds do not depend on the code they exercise.  The text seeds
 * (configs, key files) are kept by hand next to them.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "../netbytes.h"

#define NOW	1764000000LL	/* FUZZ_NOW */
#define TOKLEN	88

static const char *outdir;

static void
put(const char *target, const char *name, const uint8_t *b, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", outdir, target);
	if (mkdir(path, 0755) != 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof path, "%s/%s/%s", outdir, target, name);
	if ((f = fopen(path, "wb")) == NULL || fwrite(b, 1, len, f) != len
	    || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* The token of DESIGN.md for vector 1's key, door "ssh". */
static void
token(uint8_t out[TOKLEN], uint8_t nonce_byte, unsigned port, uint8_t proto,
    int64_t ts, const uint8_t allow[16], uint8_t flags)
{
	uint8_t master[32], kmac[32], kenc[32], plain[32] = { 0 };
	uint8_t body[9 + 4 + 24 + 32];
	size_t blen = 0;

	for (int i = 0; i < 32; i++)
		master[i] = (uint8_t)i;
	crypto_kdf_derive_from_key(kmac, 32, 1, "sknock01", master);
	crypto_kdf_derive_from_key(kenc, 32, 2, "sknock01", master);
	plain[0] = 1;
	plain[1] = flags;
	store_be16(plain + 2, port);
	plain[4] = proto;
	for (int i = 0; i < 8; i++)
		plain[8 + i] = (uint8_t)((uint64_t)ts >> (56 - 8 * i));
	if (allow)
		memcpy(plain + 16, allow, 16);
	for (int i = 0; i < 24; i++)
		out[i] = (uint8_t)(nonce_byte + i);
	crypto_stream_xchacha20_xor(out + 24, plain, 32, out, kenc);
	memcpy(body, "sknock v1", 9);
	blen = 9;
	memcpy(body + blen, "ssh", 4);	/* door name and its NUL */
	blen += 4;
	memcpy(body + blen, out, 56);
	blen += 56;
	crypto_auth_hmacsha256(out + 56, body, blen, kmac);
}

/* IPv4 packet (20 or 24 byte header) carrying ${l4}; returns its length. */
static size_t
ip4(uint8_t *o, uint8_t proto, const uint8_t *l4, size_t l4len, int opts)
{
	size_t hl = opts ? 24 : 20;

	memset(o, 0, hl);
	o[0] = (uint8_t)(0x40 | hl / 4);
	store_be16(o + 2, (unsigned)(hl + l4len));
	o[8] = 64;
	o[9] = proto;
	memcpy(o + 12, (uint8_t[]){ 10, 0, 0, 2, 10, 0, 0, 1 }, 8);
	if (opts)
		memset(o + 20, 1, 4);	/* NOPs */
	store_be16(o + 10, ip_csum(o, hl));
	memcpy(o + hl, l4, l4len);
	return hl + l4len;
}

/* IPv6 packet, optionally with a hop-by-hop header first. */
static size_t
ip6(uint8_t *o, uint8_t proto, const uint8_t *l4, size_t l4len, int hbh)
{
	size_t off = 40;

	memset(o, 0, 40);
	o[0] = 0x60;
	store_be16(o + 4, (unsigned)(l4len + (hbh ? 8 : 0)));
	o[6] = hbh ? 0 : proto;
	o[7] = 64;
	o[8] = 0xfd;
	o[23] = 2;
	o[24] = 0xfd;
	o[39] = 1;
	if (hbh) {
		memset(o + 40, 0, 8);
		o[40] = proto;	/* next header; length 0 = 8 bytes; PadN */
		o[42] = 1;
		o[43] = 4;
		off += 8;
	}
	memcpy(o + off, l4, l4len);
	return off + l4len;
}

static size_t
udp(uint8_t *o, unsigned dport, const uint8_t *pl, size_t len)
{
	store_be16(o, 40000);
	store_be16(o + 2, dport);
	store_be16(o + 4, (unsigned)(8 + len));
	store_be16(o + 6, 0);
	memcpy(o + 8, pl, len);
	return 8 + len;
}

static size_t
tcp_syn(uint8_t *o, unsigned dport)
{
	memset(o, 0, 20);
	store_be16(o, 40001);
	store_be16(o + 2, dport);
	o[12] = 5 << 4;
	o[13] = 0x02;
	store_be16(o + 14, 64240);
	return 20;
}

/* Link headers; each returns its length.  et = ethertype. */
static size_t
eth(uint8_t *o, unsigned et, int vlans)
{
	size_t off = 12;

	memset(o, 0x02, 12);
	if (vlans == 2) {
		store_be16(o + off, 0x88a8);
		store_be16(o + off + 2, 10);
		off += 4;
	}
	if (vlans >= 1) {
		store_be16(o + off, 0x8100);
		store_be16(o + off + 2, 20);
		off += 4;
	}
	store_be16(o + off, et);
	return off + 2;
}

static size_t
sll(uint8_t *o, unsigned et, unsigned pkttype)
{
	memset(o, 0, 16);
	store_be16(o, pkttype);
	store_be16(o + 2, 1);
	store_be16(o + 4, 6);
	memset(o + 6, 0x02, 6);
	store_be16(o + 14, et);
	return 16;
}

static size_t
sll2(uint8_t *o, unsigned et, uint8_t pkttype)
{
	memset(o, 0, 20);
	store_be16(o, et);
	o[7] = 2;	/* ifindex */
	store_be16(o + 8, 1);
	o[10] = pkttype;
	o[11] = 6;
	memset(o + 12, 0x02, 6);
	return 20;
}

enum { L_EN10MB, L_RAW, L_RAW_FILE, L_SLL, L_IPV4, L_IPV6, L_SLL2, L_N };

static void
frames(void)
{
	static const char *lname[L_N] = { "en10mb", "raw", "raw101", "sll",
	    "ipv4", "ipv6", "sll2" };
	uint8_t tok[TOKLEN], l4[200], pk[300], fr[400];
	uint8_t allow6[16] = { 0x20, 0x01, 0x0d, 0xb8 };
	size_t l4len, pklen;

	token(tok, 0x40, 0, 6, NOW, NULL, 0);
	allow6[15] = 0x42;
	for (int v = 0; v < 4; v++) {
		int is6 = v & 1;
		char name[64];

		if (v == 0) {
			l4len = udp(l4, 9000, tok, TOKLEN);
			pklen = ip4(pk, 17, l4, l4len, 0);
		} else if (v == 1) {
			uint8_t t6[TOKLEN];

			token(t6, 0x11, 22, 6, NOW - 30, allow6, 0);
			l4len = udp(l4, 9000, t6, TOKLEN);
			pklen = ip6(pk, 17, l4, l4len, 0);
		} else if (v == 2) {
			l4len = tcp_syn(l4, 7000);
			pklen = ip4(pk, 6, l4, l4len, 1);
		} else {
			l4len = udp(l4, 8000, (const uint8_t *)"x", 1);
			pklen = ip6(pk, 17, l4, l4len, 1);
		}
		unsigned et = is6 ? 0x86dd : 0x0800;
		for (int l = 0; l < L_N; l++) {
			size_t off;

			if ((l == L_IPV4 && is6) || (l == L_IPV6 && !is6))
				continue;
			fr[0] = (uint8_t)l;
			switch (l) {
			case L_EN10MB: off = eth(fr + 1, et, 0); break;
			case L_SLL: off = sll(fr + 1, et, 0); break;
			case L_SLL2: off = sll2(fr + 1, et, 0); break;
			default: off = 0; break;
			}
			memcpy(fr + 1 + off, pk, pklen);
			snprintf(name, sizeof name, "%s-%d", lname[l], v);
			put("fuzz_pkt", name, fr, 1 + off + pklen);
			if (l != L_EN10MB)
				continue;
			/* 802.1Q and QinQ tags. */
			for (int tags = 1; tags <= 2; tags++) {
				off = eth(fr + 1, et, tags);
				memcpy(fr + 1 + off, pk, pklen);
				snprintf(name, sizeof name, "en10mb-vlan%d-%d",
				    tags, v);
				put("fuzz_pkt", name, fr, 1 + off + pklen);
			}
		}
	}
	/* Ethernet minimum-size padding after a one-byte UDP knock. */
	l4len = udp(l4, 8000, (const uint8_t *)"k", 1);
	pklen = ip4(pk, 17, l4, l4len, 0);
	fr[0] = L_EN10MB;
	size_t off = eth(fr + 1, 0x0800, 0);
	memcpy(fr + 1 + off, pk, pklen);
	memset(fr + 1 + off + pklen, 0, 60 - off - pklen);
	put("fuzz_pkt", "en10mb-padded", fr, 61);
	/* SLL and SLL2 outgoing. */
	fr[0] = L_SLL;
	off = sll(fr + 1, 0x0800, 4);
	memcpy(fr + 1 + off, pk, pklen);
	put("fuzz_pkt", "sll-outgoing", fr, 1 + off + pklen);
	fr[0] = L_SLL2;
	off = sll2(fr + 1, 0x0800, 4);
	memcpy(fr + 1 + off, pk, pklen);
	put("fuzz_pkt", "sll2-outgoing", fr, 1 + off + pklen);
}

static void
tokens(void)
{
	uint8_t t[TOKLEN], v4[16] = { [10] = 0xff, [11] = 0xff, 192, 0, 2, 7 };
	uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	static const char *tg[] = { "fuzz_token_open", "fuzz_token_verify" };

	for (int i = 0; i < 2; i++) {
		token(t, 0x40, 0, 6, NOW, NULL, 0);
		put(tg[i], "vector1", t, TOKLEN);
		token(t, 0x11, 2222, 6, NOW - 30, v4, 0);
		put(tg[i], "allow-v4", t, TOKLEN);
		token(t, 0x00, 443, 17, NOW + 59, v6, 0);
		put(tg[i], "allow-v6-udp", t, TOKLEN);
		token(t, 0x22, 22, 6, NOW - 61, NULL, 0);
		put(tg[i], "stale", t, TOKLEN);
		token(t, 0x33, 22, 6, NOW, NULL, 0x80);
		put(tg[i], "flags", t, TOKLEN);
	}
}

static void
seqs(void)
{
	/* cap byte, then (src, door/step selector, flags, dt, noise). */
	static const uint8_t clean[] = { 7,
	    1, 0, 0x02, 5, 0,  1, 3, 0, 5, 0,  1, 6, 0, 5, 0,
	    2, 1, 0, 5, 0,  3, 2, 0x02, 5, 0,  3, 5, 0x02, 5, 0 };
	static const uint8_t dup_noise[] = { 3,
	    1, 0, 0x02, 5, 0,  1, 0, 0x02, 5, 0,  4, 9, 0x42, 5, 9,
	    1, 3, 0, 5, 0,  1, 3, 0, 5, 0,  1, 12, 0, 5, 3,
	    1, 6, 0, 5, 0,  5, 0, 0x12, 5, 0 };
	static const uint8_t slow[] = { 1,
	    1, 0, 0x02, 5, 0,  1, 3, 0, 250, 0,  1, 6, 0, 230, 0,
	    0x81, 0, 0xc2, 5, 0,  0x81, 3, 0, 5, 0,  0x81, 6, 0, 5, 0 };

	put("fuzz_seq", "clean", clean, sizeof clean);
	put("fuzz_seq", "dup-noise", dup_noise, sizeof dup_noise);
	put("fuzz_seq", "slow-v6", slow, sizeof slow);
}

/* The replay file's checksum: BLAKE2b-128, first 8 bytes (replay.h). */
static void
rp_check(uint8_t *p, size_t len)
{
	uint8_t h[16];

	crypto_generichash(h, sizeof h, p, len, NULL, 0);
	memcpy(p + len, h, 8);
}

static void
replays(void)
{
	enum { HDR = 32, REC = 40 };
	uint8_t buf[HDR + REC * 4 + 10];
	int64_t ts[4] = { NOW, NOW - 30, NOW - 3601, NOW + 61 };

	memset(buf, 0, HDR);
	memcpy(buf, "sknock replay v1", 16);
	rp_check(buf, HDR - 8);
	for (int r = 0; r < 4; r++) {
		uint8_t *p = buf + HDR + REC * r;

		for (int i = 0; i < 24; i++)
			p[i] = (uint8_t)(r * 24 + i);
		for (int i = 0; i < 8; i++)
			p[24 + i] = (uint8_t)((uint64_t)ts[r] >> (56 - 8 * i));
		rp_check(p, 32);
	}
	memset(buf + HDR + REC * 4, 0x77, 10);
	put("fuzz_replay", "four", buf, HDR + REC * 4);
	put("fuzz_replay", "torn", buf, sizeof buf);
	put("fuzz_replay", "dup", buf, HDR + REC);
	buf[HDR + 3] ^= 1;
	put("fuzz_replay", "badsum", buf, HDR + REC * 2);
}

/*
 * Parent/child messages (common/pmsg.h), 160 bytes each: a 4-byte head
 * (type, three zeros), then a candidate (src 16, dst 16, door, flags,
 * length 2, payload 88), a heartbeat (19 big-endian u64) or an interface
 * line (index, state, 2 zeros, dlt 4, text 128).
 */
static void
pmsgs(void)
{
	uint8_t m[160];

	memset(m, 0, sizeof m);
	m[0] = 1;
	m[4 + 10] = m[4 + 11] = 0xff;
	m[4 + 12] = 192, m[4 + 15] = 7;
	m[20 + 10] = m[20 + 11] = 0xff;
	m[20 + 12] = 192, m[20 + 15] = 1;
	m[36] = 2, m[37] = 1, m[39] = 88;
	for (int i = 0; i < 88; i++)
		m[40 + i] = (uint8_t)(i * 7 + 1);
	put("fuzz_pmsg", "cand-token", m, sizeof m);
	m[39] = 5;
	memset(m + 45, 0, 83);
	m[37] = 3;
	put("fuzz_pmsg", "cand-short", m, sizeof m);
	memset(m, 0, sizeof m);
	m[0] = 2;
	for (int i = 0; i < 19; i++)
		m[4 + 8 * i + 7] = (uint8_t)i;
	put("fuzz_pmsg", "beat", m, sizeof m);
	memset(m, 0, sizeof m);
	m[0] = 3, m[4] = 1, m[5] = 1, m[11] = 1;
	memcpy(m + 12, "capturing", 9);
	put("fuzz_pmsg", "iface-up", m, sizeof m);
	m[5] = 2, m[11] = 0;
	memcpy(m + 12, "No such device exists", 21);
	put("fuzz_pmsg", "iface-down", m, sizeof m);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkcorpus DIR (e.g. tests/fuzz/corpus)\n");
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	outdir = argv[1];
	frames();
	tokens();
	seqs();
	replays();
	pmsgs();
	return 0;
}
