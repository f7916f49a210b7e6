/*
 * sink.c: a TCP byte counter, for measuring knock --proxy's relay.
 *   sink -l PORT -r READYFILE -t SECONDS   serve [::]:PORT: read each
 *       connection to its end, answer "BYTES\n", close; exit after SECONDS
 *   sink -c ADDR PORT                      the direct path: stdin to the
 *       connection, shut the write side, print the answer
 * The direct path moves the bytes as --proxy does (read, write, one
 * buffer of the same size), so the two times compare the relay alone.
 */
#include <arpa/inet.h>
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

#define BUF_LEN	(128 * 1024)

static unsigned char buf[BUF_LEN];

/* write_all(fd, p, n): every byte, or false. */
static int
write_all(int fd, const unsigned char *p, size_t n)
{
	ssize_t w;

	while (n > 0) {
		if ((w = write(fd, p, n)) < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return 0;
		p += w;
		n -= (size_t)w;
	}
	return 1;
}

static int
serve(const char *port, const char *ready, long secs)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	int fd, c, off = 0, on = 1;
	time_t end = time(NULL) + secs;
	struct pollfd p;
	char line[32];
	unsigned long long total;
	ssize_t r;

	fd = socket(AF_INET6, SOCK_STREAM, 0);
	(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off);
	(void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
	sa.sin6_port = htons((uint16_t)atoi(port));
	sa.sin6_addr = in6addr_any;
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    listen(fd, 8) != 0 || close(open(ready, O_CREAT | O_WRONLY,
	    0600)) != 0) {
		perror("sink: listen");
		return 1;
	}
	while (time(NULL) < end) {
		p = (struct pollfd){ .fd = fd, .events = POLLIN };
		if (poll(&p, 1, 1000) <= 0 || (c = accept(fd, NULL, NULL)) < 0)
			continue;
		for (total = 0; (r = read(c, buf, sizeof buf)) > 0 ||
		    (r < 0 && errno == EINTR);)
			total += r > 0 ? (unsigned long long)r : 0;
		snprintf(line, sizeof line, "%llu\n", total);
		(void)write_all(c, (const unsigned char *)line, strlen(line));
		close(c);
	}
	return 0;
}

static int
direct(const char *addr, const char *port)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	ssize_t r;
	int fd;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)atoi(port));
		len = sizeof *s4;
	} else if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)atoi(port));
		len = sizeof *s6;
	} else
		return 2;
	if ((fd = socket(ss.ss_family, SOCK_STREAM, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&ss, len) != 0) {
		perror("sink: connect");
		return 1;
	}
	while ((r = read(0, buf, sizeof buf)) > 0)
		if (!write_all(fd, buf, (size_t)r))
			return 1;
	shutdown(fd, SHUT_WR);
	while ((r = read(fd, buf, sizeof buf)) > 0)
		if (!write_all(1, buf, (size_t)r))
			return 1;
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 7 && strcmp(argv[1], "-l") == 0 &&
	    strcmp(argv[3], "-r") == 0 && strcmp(argv[5], "-t") == 0)
		return serve(argv[2], argv[4], atol(argv[6]));
	if (argc == 4 && strcmp(argv[1], "-c") == 0)
		return direct(argv[2], argv[3]);
	fprintf(stderr, "usage: sink -l PORT -r READY -t SECONDS | "
	    "sink -c ADDR PORT\n");
	return 2;
}
