/* fdio.h: whole reads and writes on a file descriptor, retrying EINTR. */
#ifndef SK_FDIO_H
#define SK_FDIO_H

#include <stdbool.h>
#include <stddef.h>

/*
 * fd_write_all(fd, buf, len): write all ${len} bytes; false (errno set,
 * or 0 when write(2) wrote nothing) if any is not written.
 */
bool fd_write_all(int fd, const void *buf, size_t len);

/*
 * fd_read_all(fd, buf, cap, len): read until EOF or ${cap} bytes, the
 * count in ${len}; false (errno set) on a read error.
 */
bool fd_read_all(int fd, void *buf, size_t cap, size_t *len);

#endif
