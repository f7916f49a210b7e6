/*
 * mkcorpus DIR: write the binary seed inputs of the fuzzers into
 * DIR/<target>/ (tokens, frames of every link type, sequence streams,
 * replay files).  Built from DESIGN.md with libsodium and the test
 * toolbox's frame builder (tests/tools/frame.c) alone, none of common/,
 * so the seeds do not depend on the code they exercise.  The text seeds
 * (configs, key files) are kept by hand next to them.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sodium.h>

#include "bytes.h"
#include "frame.h"

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

enum { L_EN10MB, L_RAW, L_RAW_FILE, L_SLL, L_IPV4, L_IPV6, L_SLL2, L_N };

/* put_frame(name, l, fs): fuzz_pkt's input, the link byte then the frame. */
static void
put_frame(const char *name, int l, struct fr_spec *fs)
{
	uint8_t fr[400];
	size_t n;

	fs->link = l == L_EN10MB ? FR_LINK_ETH : l == L_SLL ? FR_LINK_SLL :
	    l == L_SLL2 ? FR_LINK_SLL2 : FR_LINK_NONE;
	fr[0] = (uint8_t)l;
	if ((n = fr_build(fs, fr + 1, sizeof fr - 1, NULL)) == 0) {
		fprintf(stderr, "mkcorpus: %s does not fit\n", name);
		exit(1);
	}
	put("fuzz_pkt", name, fr, 1 + n);
}

/* udp_spec(fs, v6, dport, pl, len): a UDP datagram from 10.0.0.2 or
 * fd00::2 to .1, its MACs and SLL address all 02. */
static void
udp_spec(struct fr_spec *fs, bool v6, uint16_t dport, const uint8_t *pl,
    size_t len)
{
	memset(fs, 0, sizeof *fs);
	memset(fs->dmac, 0x02, 6);
	memset(fs->smac, 0x02, 6);
	fs->v6 = v6;
	if (v6) {
		fs->src[0] = fs->dst[0] = 0xfd;
		fs->src[15] = 2;
		fs->dst[15] = 1;
	} else {
		memcpy(fs->src, (uint8_t[]){ 10, 0, 0, 2 }, 4);
		memcpy(fs->dst, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	}
	fs->ip_csum = true;
	fs->proto = 17;
	fs->sport = 40000;
	fs->dport = dport;
	fs->tcp_win = 64240;
	fs->payload = pl;
	fs->payload_len = len;
}

/* variant(fs, v, tok, t6): the four packets every link type carries. */
static void
variant(struct fr_spec *fs, int v, const uint8_t *tok, const uint8_t *t6)
{
	if (v == 0) {
		udp_spec(fs, false, 9000, tok, TOKLEN);
	} else if (v == 1) {
		udp_spec(fs, true, 9000, t6, TOKLEN);
	} else if (v == 2) {
		udp_spec(fs, false, 7000, NULL, 0);
		fs->proto = 6;
		fs->sport = 40001;
		fs->tcp_flags = 0x02;
		fs->ip_nops = 4;
	} else {
		udp_spec(fs, true, 8000, (const uint8_t *)"x", 1);
		fs->hbh = true;
	}
}

static void
frames(void)
{
	static const char *lname[L_N] = { "en10mb", "raw", "raw101", "sll",
	    "ipv4", "ipv6", "sll2" };
	uint8_t tok[TOKLEN], t6[TOKLEN];
	uint8_t allow6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x42 };
	struct fr_spec fs;
	char name[64];

	token(tok, 0x40, 0, 6, NOW, NULL, 0);
	token(t6, 0x11, 22, 6, NOW - 30, allow6, 0);
	for (int v = 0; v < 4; v++) {
		variant(&fs, v, tok, t6);
		for (int l = 0; l < L_N; l++) {
			if ((l == L_IPV4 && fs.v6) || (l == L_IPV6 && !fs.v6))
				continue;
			snprintf(name, sizeof name, "%s-%d", lname[l], v);
			put_frame(name, l, &fs);
			if (l != L_EN10MB)
				continue;
			/* 802.1Q, then QinQ (802.1ad outside) tags. */
			fs.tpid[0] = 0x8100, fs.tci[0] = 20;
			fs.n_tags = 1;
			snprintf(name, sizeof name, "en10mb-vlan1-%d", v);
			put_frame(name, l, &fs);
			fs.tpid[0] = 0x88a8, fs.tci[0] = 10;
			fs.tpid[1] = 0x8100, fs.tci[1] = 20;
			fs.n_tags = 2;
			snprintf(name, sizeof name, "en10mb-vlan2-%d", v);
			put_frame(name, l, &fs);
			fs.n_tags = 0;
		}
	}
	/* Ethernet minimum-size padding after a one-byte UDP knock. */
	udp_spec(&fs, false, 8000, (const uint8_t *)"k", 1);
	fs.pad = true;
	put_frame("en10mb-padded", L_EN10MB, &fs);
	/* SLL and SLL2 outgoing. */
	fs.pkttype = 4;
	put_frame("sll-outgoing", L_SLL, &fs);
	put_frame("sll2-outgoing", L_SLL2, &fs);
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
