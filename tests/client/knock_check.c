/*
 * knock_check.c: the client tests' helper, on the shared library.
 *   knock_check verify KEYFILE DOOR HEX   tok_verify at now, window 60 s
 *   knock_check kconf FILE NAME           kconf_load + kconf_find, fields
 *   knock_check conf FILE                 conf_load, the doors and clients
 *   knock_check listen SECONDS            a TCP listener on 127.0.0.1
 *   knock_check closed SECONDS            a bound port nobody listens on
 *   knock_check echo SECONDS              a listener echoing each connection
 *                                         until its EOF, then closing it
 * The three last print the port, then hold it for SECONDS.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "conf.h"
#include "kconf.h"
#include "key.h"
#include "parse.h"
#include "token.h"

static void
report(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static void
print_ports(const char *key, const struct sk_port *p, size_t n)
{
	size_t i;

	printf("%s", key);
	for (i = 0; i < n; i++)
		printf(" %u/%s", p[i].port, parse_proto_name(p[i].proto));
	printf("\n");
}

static int
cmd_verify(const char *key_path, const char *door, const char *hex)
{
	uint8_t pkt[TOK_WIRE_LEN * 2];
	char msg[512], allow[ADDR_TXT_LEN];
	struct sk_key *k = NULL;
	struct tok_req r;
	enum tok_err te;
	size_t len = 0;

	if (sodium_hex2bin(pkt, sizeof pkt, hex, strlen(hex), NULL, &len,
	    NULL) != 0) {
		fprintf(stderr, "verify: not hex: %s\n", hex);
		return 1;
	}
	if (key_load(key_path, &k, msg, sizeof msg) != KEY_OK) {
		fprintf(stderr, "verify: %s\n", msg);
		return 1;
	}
	te = tok_verify(pkt, len, k, door, (int64_t)time(NULL), 60, &r);
	key_free(k);
	if (te != TOK_OK) {
		fprintf(stderr, "verify: %s\n", tok_strerror(te));
		return 1;
	}
	printf("ok port=%u proto=%u allow=%s\n", r.port, r.proto,
	    addr_is_zero(&r.allow) ? "-" :
	    addr_format(&r.allow, allow, sizeof allow));
	return 0;
}

static int
cmd_kconf(const char *path, const char *name)
{
	static struct kconf k;
	const struct kconf_host *h;
	const char *home = getenv("HOME");

	if (kconf_load(path, home != NULL ? home : "/", &k, report, NULL) != 0)
		return 1;
	if ((h = kconf_find(&k, name)) == NULL) {
		fprintf(stderr, "kconf: %s: no alias %s\n", path, name);
		return 1;
	}
	printf("alias %s\nhost %s\ndoor %s\nkey %s\n", h->alias, h->host,
	    h->door, h->key_path);
	if (h->derive[0] != '\0')
		printf("derive %s\n", h->derive);
	print_ports("sequence", h->steps, h->n_steps);
	print_ports("open", &h->open, 1);
	kconf_free(&k);
	return 0;
}

static int
cmd_conf(const char *path)
{
	static struct conf c;
	size_t i, j;

	if (conf_load(path, "/bin/true", &c, report, NULL) != 0)
		return 1;
	for (i = 0; i < c.n_clients; i++)
		printf("client %s key %s\n", c.clients[i].name,
		    c.clients[i].key_path);
	for (i = 0; i < c.n_doors; i++) {
		printf("door %s signed %d clients", c.doors[i].name,
		    c.doors[i].is_signed);
		for (j = 0; j < c.doors[i].n_clients; j++)
			printf(" %s", c.clients[c.doors[i].clients[j]].name);
		printf("\n");
		print_ports("sequence", c.doors[i].steps, c.doors[i].n_steps);
		print_ports("open", c.doors[i].open, c.doors[i].n_open);
	}
	return 0;
}

/*
 * echo_one(c): echo what ${c} sends until its EOF, then close: the far
 * end of knock --proxy's relay, seeing its half-close.
 */
static void
echo_one(int c)
{
	static char buf[65536];
	ssize_t r, w, off;

	while ((r = read(c, buf, sizeof buf)) > 0)
		for (off = 0; off < r; off += w)
			if ((w = write(c, buf + off, (size_t)(r - off))) <= 0)
				goto out;
out:
	close(c);
}

/* hold(fd, listening, s): for ${s} seconds, accepting and closing. */
static void
hold(int fd, int listening, int s)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	time_t end = time(NULL) + s;
	int c;

	while (time(NULL) < end) {
		if (!listening || poll(&pfd, 1, 200) <= 0) {
			if (!listening)
				sleep(1);
			continue;
		}
		if ((c = accept(fd, NULL, NULL)) >= 0 && listening == 2)
			echo_one(c);
		else if (c >= 0)
			close(c);
	}
}

/* cmd_hold(listening, seconds): print a loopback port, keep it a while. */
static int
cmd_hold(int listening, const char *seconds)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof sin;
	int fd, s = atoi(seconds);

	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    (listening && listen(fd, 128) != 0) ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) != 0) {
		perror("knock_check: socket");
		return 1;
	}
	printf("%u\n", ntohs(sin.sin_port));
	fflush(stdout);
	if (s < 1 || s > 600)
		s = 30;
	hold(fd, listening, s);
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	if (sodium_init() < 0)
		return 1;
	if (argc == 5 && strcmp(argv[1], "verify") == 0)
		return cmd_verify(argv[2], argv[3], argv[4]);
	if (argc == 4 && strcmp(argv[1], "kconf") == 0)
		return cmd_kconf(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "conf") == 0)
		return cmd_conf(argv[2]);
	if (argc == 3 && strcmp(argv[1], "listen") == 0)
		return cmd_hold(1, argv[2]);
	if (argc == 3 && strcmp(argv[1], "closed") == 0)
		return cmd_hold(0, argv[2]);
	if (argc == 3 && strcmp(argv[1], "echo") == 0)
		return cmd_hold(2, argv[2]);
	fprintf(stderr, "usage: knock_check verify|kconf|conf|listen|closed|"
	    "echo ...\n");
	return 2;
}
