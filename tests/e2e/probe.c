/*
 * probe.c: does a TCP connect to HOST PORT succeed?
 *
 * probe [-t MS] [-w FILE [-W MS]] HOST PORT
 * Exit 0 when the connect succeeds within MS (default 700) and a byte
 * sent is echoed back; 1 when it does not; 2 on usage errors.
 * With -w, after the first echo it waits (at most -W MS, default 20000)
 * until FILE exists, then checks the same connection echoes again: an
 * established connection that must survive a door's close.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tool.h"

static bool
wait_fd(int fd, short events, int ms)
{
	struct pollfd p = { .fd = fd, .events = events };
	int64_t end = tool_now_ms() + ms;

	for (;;) {
		int64_t left = end - tool_now_ms();
		int r;

		if (left <= 0)
			return false;
		r = poll(&p, 1, (int)left);
		if (r > 0)
			return true;
		if (r < 0 && errno != EINTR)
			return false;
	}
}

static int
connect_to(const char *host, uint16_t port, int ms)
{
	struct sockaddr_storage ss;
	socklen_t len, elen;
	int fd, err = 0;

	if (!tool_sockaddr(host, port, &ss, &len)) {
		fprintf(stderr, "probe: %s: not a numeric address\n", host);
		return -2;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&ss, len) != 0 &&
	    errno != EINPROGRESS)
		goto fail;
	if (!wait_fd(fd, POLLOUT, ms))
		goto fail;
	elen = sizeof err;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0 || err != 0)
		goto fail;
	return fd;
fail:
	close(fd);
	return -1;
}

/* echo(fd, c, ms): send one byte, expect it back. */
static bool
echo(int fd, char c, int ms)
{
	char r;

	if (write(fd, &c, 1) != 1)
		return false;
	if (!wait_fd(fd, POLLIN, ms))
		return false;
	return read(fd, &r, 1) == 1 && r == c;
}

static bool
wait_file(const char *path, int ms)
{
	int64_t end = tool_now_ms() + ms;
	struct stat st;

	while (tool_now_ms() < end) {
		if (stat(path, &st) == 0)
			return true;
		tool_sleep_ms(20);
	}
	return false;
}

int
main(int argc, char **argv)
{
	const char *hold = NULL;
	int ms = 700, hold_ms = 20000, opt, fd, rc = 1;
	uint16_t port;

	while ((opt = getopt(argc, argv, "t:w:W:")) != -1) {
		switch (opt) {
		case 't':
			ms = (int)tool_num(optarg, 1, 60000, "-t");
			break;
		case 'w':
			hold = optarg;
			break;
		case 'W':
			hold_ms = (int)tool_num(optarg, 1, 600000, "-W");
			break;
		default:
			goto usage;
		}
	}
	if (argc - optind != 2)
		goto usage;
	port = (uint16_t)tool_num(argv[optind + 1], 1, 65535, "PORT");
	fd = connect_to(argv[optind], port, ms);
	if (fd == -2)
		return 2;
	if (fd < 0)
		return 1;
	if (!echo(fd, 'a', ms))
		goto out;
	if (hold != NULL) {
		if (!wait_file(hold, hold_ms)) {
			fprintf(stderr, "probe: %s did not appear\n", hold);
			goto out;
		}
		if (!echo(fd, 'b', ms)) {
			fprintf(stderr, "probe: held connection is dead\n");
			goto out;
		}
	}
	rc = 0;
out:
	close(fd);
	return rc;
usage:
	fprintf(stderr, "usage: probe [-t MS] [-w FILE [-W MS]] HOST PORT\n");
	return 2;
}
