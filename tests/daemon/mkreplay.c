/*
 * mkreplay.c: write a replay cache file in sknockd's format, for the
 * state_dir tests.  Usage:
 *   mkreplay OUT NONCEHEX:TS...     the header, then one record each
 *   mkreplay OUT -n COUNT TS        the header, then COUNT records with
 *                                   random nonces, all timestamped TS
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "replay.h"

static int
put(FILE *f, const uint8_t nonce[static TOK_NONCE_LEN], int64_t ts)
{
	uint8_t rec[REPLAY_REC_LEN];

	replay_encode_rec(nonce, ts, rec);
	return fwrite(rec, 1, sizeof rec, f) == sizeof rec ? 0 : -1;
}

static int
given(FILE *f, int argc, char **argv)
{
	uint8_t nonce[TOK_NONCE_LEN];

	for (int i = 2; i < argc; i++) {
		char *colon = strchr(argv[i], ':');

		if (colon == NULL || sodium_hex2bin(nonce, sizeof nonce,
		    argv[i], (size_t)(colon - argv[i]), NULL, NULL, NULL) != 0) {
			fprintf(stderr, "mkreplay: %s: want NONCEHEX:TS\n",
			    argv[i]);
			return -1;
		}
		if (put(f, nonce, strtoll(colon + 1, NULL, 10)) == -1)
			return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t hdr[REPLAY_HDR_LEN], nonce[TOK_NONCE_LEN];
	FILE *f;
	int rc = 0;

	if (argc < 2 || sodium_init() < 0) {
		fprintf(stderr, "usage: mkreplay OUT NONCEHEX:TS... | "
		    "mkreplay OUT -n COUNT TS\n");
		return 2;
	}
	if ((f = fopen(argv[1], "wb")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	replay_encode_hdr(hdr);
	if (fwrite(hdr, 1, sizeof hdr, f) != sizeof hdr)
		rc = -1;
	if (argc == 5 && strcmp(argv[2], "-n") == 0) {
		long n = strtol(argv[3], NULL, 10);

		for (long i = 0; i < n && rc == 0; i++) {
			randombytes_buf(nonce, sizeof nonce);
			rc = put(f, nonce, strtoll(argv[4], NULL, 10));
		}
	} else if (rc == 0) {
		rc = given(f, argc, argv);
	}
	if (fclose(f) != 0 || rc != 0) {
		fprintf(stderr, "mkreplay: %s: write failed\n", argv[1]);
		return 1;
	}
	return 0;
}
