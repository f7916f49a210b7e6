/*
 * loadknock.c: many signed single-packet knocks, for the privsep load
 * tests.  Each knock is one UDP datagram holding a fresh token, sent by
 * the kernel from a real socket bound to one of the source addresses
 * (which the namespace must have), so every knock comes from where it
 * says.
 * Usage: loadknock -k KEYFILE -d DOOR -p PORT -n COUNT -r PER_SECOND
 *            SERVER SRC...
 * Knock i goes from SRC[i % nsrc]; the knocks are spread evenly over
 * COUNT / PER_SECOND seconds.  Prints "sent N in MS ms".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "key.h"
#include "monotime.h"
#include "token.h"

#define SRC_MAX	4096

static uint64_t
now_us(void)
{
	return mono_ns() / 1000;
}

static int
sock_from(const char *src)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	int fd;

	if (inet_pton(AF_INET, src, &sa.sin_addr) != 1)
		return -1;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		fprintf(stderr, "loadknock: bind %s: %s\n", src, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	return fd;
}

static int
knock_once(int fd, const struct sockaddr_in *dst, const struct sk_key *k,
    const char *door)
{
	struct tok_req req = { .proto = 6 };
	uint8_t nonce[TOK_NONCE_LEN], tok[TOK_WIRE_LEN];

	randombytes_buf(nonce, sizeof nonce);
	req.timestamp = (int64_t)time(NULL);
	if (tok_build(k, door, nonce, &req, tok) != TOK_OK)
		return -1;
	return sendto(fd, tok, sizeof tok, 0, (const struct sockaddr *)dst,
	    sizeof *dst) == (ssize_t)sizeof tok ? 0 : -1;
}

int
main(int argc, char **argv)
{
	static int fds[SRC_MAX];
	struct sockaddr_in dst = { .sin_family = AF_INET };
	const char *keyfile = NULL, *door = NULL;
	long count = 0, rate = 0, port = 0;
	struct sk_key *k = NULL;
	uint64_t t0;
	char msg[512];
	int ch, nsrc;

	while ((ch = getopt(argc, argv, "k:d:p:n:r:")) != -1) {
		switch (ch) {
		case 'k': keyfile = optarg; break;
		case 'd': door = optarg; break;
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case 'r': rate = strtol(optarg, NULL, 10); break;
		default: return 2;
		}
	}
	nsrc = argc - optind - 1;
	if (keyfile == NULL || door == NULL || port < 1 || port > 65535 ||
	    count < 1 || rate < 1 || nsrc < 1 || nsrc > SRC_MAX ||
	    inet_pton(AF_INET, argv[optind], &dst.sin_addr) != 1) {
		fprintf(stderr, "usage: loadknock -k KEYFILE -d DOOR -p PORT "
		    "-n COUNT -r PER_SECOND SERVER SRC...\n");
		return 2;
	}
	dst.sin_port = htons((uint16_t)port);
	if (sodium_init() < 0 ||
	    key_load(keyfile, &k, msg, sizeof msg) != KEY_OK) {
		fprintf(stderr, "loadknock: %s\n", msg);
		return 1;
	}
	for (int i = 0; i < nsrc; i++)
		if ((fds[i] = sock_from(argv[optind + 1 + i])) == -1)
			return 1;
	t0 = now_us();
	for (long i = 0; i < count; i++) {
		uint64_t due = t0 + (uint64_t)i * 1000000 / (uint64_t)rate;
		uint64_t t = now_us();

		if (due > t)
			usleep((useconds_t)(due - t));
		if (knock_once(fds[i % nsrc], &dst, k, door) == -1) {
			fprintf(stderr, "loadknock: knock %ld: %s\n", i,
			    strerror(errno));
			return 1;
		}
	}
	printf("sent %ld in %llu ms\n", count,
	    (unsigned long long)((now_us() - t0) / 1000));
	key_free(k);
	return 0;
}
