/*
 * sendknock.c: send a knock sequence with ordinary sockets, for the live
 * daemon tests (independent of the knock client).
 * Usage: sendknock [-n NONCEHEX] [-s TS_OFFSET | -t UNIX_TS] [-a ALLOW]
 *            [-p PORT/PROTO] HOST DOOR KEYFILE STEP...
 * (-n and -t together send the same token bytes again: a replay.)
 * STEP is PORT/tcp (a SYN from a non-blocking connect), PORT/udp (an
 * empty datagram) or PORT/token (a datagram holding a token).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "addr.h"
#include "key.h"
#include "parse.h"
#include "token.h"

static int
send_step(const struct addrinfo *ai, uint16_t port, int type,
    const uint8_t *buf, size_t len)
{
	struct sockaddr_storage ss;
	int fd;

	memcpy(&ss, ai->ai_addr, ai->ai_addrlen);
	if (ss.ss_family == AF_INET)
		((struct sockaddr_in *)&ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&ss)->sin6_port = htons(port);
	fd = socket(ai->ai_family, type | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return -1;
	if (type == SOCK_STREAM) {
		if (connect(fd, (struct sockaddr *)&ss, ai->ai_addrlen) == -1 &&
		    errno != EINPROGRESS) {
			close(fd);
			return -1;
		}
	} else if (sendto(fd, buf, len, 0, (struct sockaddr *)&ss,
	    ai->ai_addrlen) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	uint8_t nonce[TOK_NONCE_LEN], tok[TOK_WIRE_LEN];
	struct tok_req req = { .proto = SK_PROTO_TCP };
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST }, *ai;
	const char *nonce_hex = NULL;
	struct sk_key *k = NULL;
	struct sk_port want;
	long ts_off = 0, ts_abs = -1;
	char msg[512];
	int ch;

	if (sodium_init() < 0)
		return 1;
	while ((ch = getopt(argc, argv, "n:s:t:a:p:")) != -1) {
		switch (ch) {
		case 'n':
			nonce_hex = optarg;
			break;
		case 's':
			ts_off = strtol(optarg, NULL, 10);
			break;
		case 't':
			ts_abs = strtol(optarg, NULL, 10);
			break;
		case 'a':
			if (addr_parse(optarg, &req.allow) != ADDR_OK)
				return 2;
			break;
		case 'p':
			if (parse_port_proto(optarg, SK_PROTO_TCP, &want) !=
			    PARSE_OK)
				return 2;
			req.port = want.port;
			req.proto = want.proto;
			break;
		default:
			return 2;
		}
	}
	if (argc - optind < 4) {
		fprintf(stderr, "usage: sendknock [-n NONCEHEX] [-s TS_OFFSET | "
		    "-t UNIX_TS] [-a ALLOW] [-p PORT/PROTO] HOST DOOR KEYFILE "
		    "STEP...\n");
		return 2;
	}
	if (getaddrinfo(argv[optind], NULL, &hints, &ai) != 0) {
		fprintf(stderr, "sendknock: %s: not a numeric address\n",
		    argv[optind]);
		return 1;
	}
	if (key_load(argv[optind + 2], &k, msg, sizeof msg) != KEY_OK) {
		fprintf(stderr, "sendknock: %s\n", msg);
		return 1;
	}
	if (nonce_hex == NULL)
		randombytes_buf(nonce, sizeof nonce);
	else if (sodium_hex2bin(nonce, sizeof nonce, nonce_hex,
	    strlen(nonce_hex), NULL, NULL, NULL) != 0) {
		fprintf(stderr, "sendknock: -n wants 48 hex digits\n");
		return 2;
	}
	req.timestamp = ts_abs >= 0 ? (int64_t)ts_abs :
	    (int64_t)time(NULL) + ts_off;
	if (tok_build(k, argv[optind + 1], nonce, &req, tok) != TOK_OK)
		return 1;
	key_free(k);
	for (int i = optind + 3; i < argc; i++) {
		char *slash = strchr(argv[i], '/');
		uint16_t port = (uint16_t)atoi(argv[i]);
		int rc;

		if (slash == NULL)
			return 2;
		if (strcmp(slash + 1, "tcp") == 0)
			rc = send_step(ai, port, SOCK_STREAM, NULL, 0);
		else if (strcmp(slash + 1, "udp") == 0)
			rc = send_step(ai, port, SOCK_DGRAM, NULL, 0);
		else
			rc = send_step(ai, port, SOCK_DGRAM, tok, sizeof tok);
		if (rc == -1) {
			perror("sendknock");
			return 1;
		}
		usleep(1000);
	}
	freeaddrinfo(ai);
	return 0;
}
