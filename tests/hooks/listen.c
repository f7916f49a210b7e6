/*
 * listen.c: the TCP service the hook tests and the demo guard.
 *
 * listen PORT SECONDS
 * Listens on [::]:PORT (IPv4 too), echoes one read back on each accepted
 * connection until the peer closes, one connection at a time, and exits
 * 0 after SECONDS, so a test that dies cannot leave it behind.  Prints
 * "listening" once it is, for the caller to poll.  Exit 1 when it cannot
 * listen.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int
listen_on(unsigned port)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6,
	    .sin6_port = htons((uint16_t)port), .sin6_addr = IN6ADDR_ANY_INIT };
	int fd, off = 0, on = 1;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 16) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* echo(fd): send back what the peer sends until it closes. */
static void
echo(int fd)
{
	char buf[512];
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0)
		if (write(fd, buf, (size_t)n) != n)
			break;
}

static unsigned
arg(const char *s, unsigned max, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 1 || v > max) {
		fprintf(stderr, "listen: %s = %s: not in 1-%u\n", what, s, max);
		exit(2);
	}
	return (unsigned)v;
}

int
main(int argc, char **argv)
{
	unsigned port, secs;
	int fd, c;

	if (argc != 3) {
		fprintf(stderr, "usage: listen PORT SECONDS\n");
		return 2;
	}
	port = arg(argv[1], 65535, "PORT");
	secs = arg(argv[2], 3600, "SECONDS");
	fd = listen_on(port);
	if (fd < 0) {
		fprintf(stderr, "listen: port %u: %s\n", port, strerror(errno));
		return 1;
	}
	/* SIGALRM's default action ends us, in accept() or in echo(). */
	alarm(secs);
	printf("listening on port %u for %u s\n", port, secs);
	fflush(stdout);
	while ((c = accept4(fd, NULL, NULL, SOCK_CLOEXEC)) >= 0) {
		echo(c);
		close(c);
	}
	fprintf(stderr, "listen: accept: %s\n", strerror(errno));
	return 1;
}
