/*
 * mktoken.c: build one knock token with libcommon, for the cases the
 * client will not make: a clock off by more than the window, a token for
 * a forged source.
 *
 * mktoken -k KEYFILE -d DOOR [-t OFFSET_S] [-p PORT/PROTO] [-a ADDR] OUT
 * Writes the 88 token bytes to OUT; the timestamp is now + OFFSET_S.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "key.h"
#include "parse.h"
#include "token.h"
#include "tool.h"

static int
write_out(const char *path, const uint8_t *tok, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(tok, 1, len, f) != len || fclose(f) != 0) {
		fprintf(stderr, "mktoken: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *keyfile = NULL, *door = NULL;
	struct tok_req r = { .proto = SK_PROTO_TCP };
	uint8_t nonce[TOK_NONCE_LEN], tok[TOK_WIRE_LEN];
	struct sk_key *k = NULL;
	long long off = 0;
	char msg[512];
	int opt, rc = 1;

	while ((opt = getopt(argc, argv, "k:d:t:p:a:")) != -1) {
		struct sk_port p;

		switch (opt) {
		case 'k': keyfile = optarg; break;
		case 'd': door = optarg; break;
		case 't':
			off = tool_num(optarg, -100000000, 100000000, "-t");
			break;
		case 'p':
			if (parse_port_proto(optarg, SK_PROTO_TCP, &p) !=
			    PARSE_OK)
				goto usage;
			r.port = p.port;
			r.proto = p.proto;
			break;
		case 'a':
			if (addr_parse(optarg, &r.allow) != ADDR_OK)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (keyfile == NULL || door == NULL || argc - optind != 1)
		goto usage;
	if (sodium_init() < 0)
		return 1;
	if (key_load(keyfile, &k, msg, sizeof msg) != KEY_OK) {
		fprintf(stderr, "mktoken: %s\n", msg);
		return 1;
	}
	r.timestamp = (int64_t)time(NULL) + off;
	randombytes_buf(nonce, sizeof nonce);
	if (tok_build(k, door, nonce, &r, tok) == TOK_OK)
		rc = write_out(argv[optind], tok, sizeof tok);
	else
		fprintf(stderr, "mktoken: door %s: bad name\n", door);
	key_free(k);
	return rc;
usage:
	fprintf(stderr, "usage: mktoken -k KEYFILE -d DOOR [-t OFFSET_S] "
	    "[-p PORT/PROTO] [-a ADDR] OUT\n");
	return 2;
}
