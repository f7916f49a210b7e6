/*
 * listen.c: a TCP echo listener for the end-to-end tests.
 *
 * listen -p PORT -t SECONDS [-r READYFILE]
 * Binds [::]:PORT (dual stack), accepts any number of connections and
 * echoes what each sends, until SECONDS have passed; then exits 0.
 * Creates READYFILE once listening, so the test can poll for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tool.h"

#define MAX_CONN	64

static int
listen_on(uint16_t port)
{
	struct sockaddr_in6 sa;
	int fd, off = 0, on = 1;

	fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	memset(&sa, 0, sizeof sa);
	sa.sin6_family = AF_INET6;
	sa.sin6_port = htons(port);
	sa.sin6_addr = in6addr_any;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 16) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* echo_once(fd): echo one read; false when the peer is gone. */
static bool
echo_once(int fd)
{
	char buf[512];
	ssize_t n;

	n = read(fd, buf, sizeof buf);
	if (n <= 0)
		return false;
	return write(fd, buf, (size_t)n) == n;
}

static void
serve(int lfd, int64_t deadline_ms)
{
	struct pollfd pfd[1 + MAX_CONN];
	size_t n = 1;

	pfd[0].fd = lfd;
	pfd[0].events = POLLIN;
	for (;;) {
		int64_t left = deadline_ms - tool_now_ms();

		if (left <= 0)
			break;
		if (poll(pfd, n, (int)(left > 1000 ? 1000 : left)) < 0 &&
		    errno != EINTR)
			break;
		for (size_t i = n; i-- > 1;) {
			if (pfd[i].revents == 0)
				continue;
			if (!echo_once(pfd[i].fd)) {
				close(pfd[i].fd);
				pfd[i] = pfd[--n];
			}
		}
		if ((pfd[0].revents & POLLIN) != 0) {
			int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);

			if (c >= 0 && n < 1 + MAX_CONN) {
				pfd[n].fd = c;
				pfd[n].events = POLLIN;
				pfd[n++].revents = 0;
			} else if (c >= 0) {
				close(c);
			}
		}
	}
	for (size_t i = 1; i < n; i++)
		close(pfd[i].fd);
}

int
main(int argc, char **argv)
{
	const char *ready = NULL;
	uint16_t port = 0;
	unsigned secs = 0;
	int opt, fd;

	while ((opt = getopt(argc, argv, "p:t:r:")) != -1) {
		switch (opt) {
		case 'p':
			port = (uint16_t)tool_num(optarg, 1, 65535, "-p");
			break;
		case 't':
			secs = (unsigned)tool_num(optarg, 1, 3600, "-t");
			break;
		case 'r':
			ready = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (port == 0 || secs == 0 || optind != argc)
		goto usage;
	fd = listen_on(port);
	if (fd < 0) {
		fprintf(stderr, "listen: port %u: %s\n", port, strerror(errno));
		return 1;
	}
	if (ready != NULL && tool_touch(ready) != 0)
		return 1;
	serve(fd, tool_now_ms() + (int64_t)secs * 1000);
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: listen -p PORT -t SECONDS [-r READYFILE]\n");
	return 2;
}
