/* notify.c: sd_notify(3)'s datagram protocol, without libsystemd. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"

/*
 * notify_send(state): send ${state} ("READY=1", ...) to $NOTIFY_SOCKET,
 * a path or an abstract socket ("@name").  Returns false when there is
 * no socket to tell or the send fails; neither stops the daemon.
 */
bool
notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	size_t path_len;
	socklen_t sa_len;
	ssize_t n;
	int fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@'))
		return false;
	path_len = strlen(path);
	if (path_len < 2 || path_len >= sizeof sa.sun_path)
		return false;
	memset(&sa, 0, sizeof sa);
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, path_len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	sa_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + path_len);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return false;
	n = sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sa, sa_len);
	close(fd);
	return n == (ssize_t)strlen(state);
}
