/*
 * net.c: sockets the portable way: flags by fcntl (no SOCK_NONBLOCK or
 * SOCK_CLOEXEC), SO_NOSIGPIPE where the system has it (main ignores
 * SIGPIPE everywhere).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "knock.h"

/* Any port will do for the source check: connecting UDP sends nothing. */
#define SOURCE_CHECK_PORT	9

/* net_socket(family, type): non-blocking, close-on-exec; -1 (errno). */
int
net_socket(int family, int type)
{
	int fd, fl, saved;

	if ((fd = socket(family, type, 0)) < 0)
		return -1;
	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0 ||
	    fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
#ifdef SO_NOSIGPIPE
	/* BSD and macOS: a write to a closed peer is EPIPE, not a signal. */
	(void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &(int){ 1 },
	    sizeof(int));
#endif
	return fd;
}

/* net_set_port(t, port): the destination port, host order in. */
void
net_set_port(struct knock_target *t, uint16_t port)
{
	if (t->sa.ss_family == AF_INET)
		((struct sockaddr_in *)&t->sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&t->sa)->sin6_port = htons(port);
}

/*
 * net_source(t, src): the address a packet to ${t} leaves from (the
 * kernel's route choice, by connecting a UDP socket: nothing is sent).
 * False, errno set, when there is no route.
 */
bool
net_source(const struct knock_target *t, struct sk_addr *src)
{
	struct knock_target to = *t;
	struct sockaddr_storage ss;
	socklen_t len = sizeof ss;
	int fd, saved;
	bool ok;

	net_set_port(&to, SOURCE_CHECK_PORT);
	if ((fd = net_socket(t->sa.ss_family, SOCK_DGRAM)) < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&to.sa, to.sa_len) == 0 &&
	    getsockname(fd, (struct sockaddr *)&ss, &len) == 0;
	saved = errno;
	close(fd);
	errno = saved;
	if (!ok)
		return false;
	if (ss.ss_family == AF_INET)
		addr_from_v4((const uint8_t *)&((struct sockaddr_in *)&ss)->
		    sin_addr, src);
	else
		addr_from_v6(((struct sockaddr_in6 *)&ss)->sin6_addr.s6_addr,
		    src);
	return true;
}
