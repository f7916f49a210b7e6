/* fdio.c: whole reads and writes on a file descriptor, retrying EINTR. */
#include <errno.h>
#include <unistd.h>

#include "fdio.h"

bool
fd_write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	size_t off = 0;

	while (off < len) {
		ssize_t r = write(fd, p + off, len - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		off += (size_t)r;
	}
	return true;
}

bool
fd_read_all(int fd, void *buf, size_t cap, size_t *len)
{
	char *p = buf;
	size_t off = 0;

	while (off < cap) {
		ssize_t r = read(fd, p + off, cap - off);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return false;
		if (r == 0)
			break;
		off += (size_t)r;
	}
	*len = off;
	return true;
}
