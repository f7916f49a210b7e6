/*
 * proxy.c: knock --proxy's relay: stdin to the connection and the
 * connection to stdout, in one poll loop, until both directions have
 * closed; an EOF is passed on (shutdown of the socket's write side, or
 * closing stdout), so ssh, scp, sftp, rsync and git see the ends they
 * expect.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "knock.h"

#define RELAY_BUF	(128 * 1024)
#define RELAY_IDLE_MS	(-1)	/* no timeout: ssh keeps its own */

/* One direction: bytes read from ${from} and not yet written to ${to}. */
struct relay_dir {
	int		from, to;
	size_t		len, off;
	bool		eof;		/* from said EOF (or failed) */
	bool		done;		/* the EOF was passed on */
	bool		broken;		/* ${to} refused a write */
	unsigned char	buf[RELAY_BUF];
};

/* dir_events(d, from_ev, to_ev): what this direction waits for. */
static void
dir_events(const struct relay_dir *d, short *from_ev, short *to_ev)
{
	*from_ev = !d->done && !d->eof && d->len == 0 ? POLLIN : 0;
	*to_ev = !d->done && d->len > 0 ? POLLOUT : 0;
}

/*
 * dir_close(d, to_is_conn): pass the EOF on: shut the write side of the
 * connection; close stdout, unless it is a socket (then possibly stdin
 * too, as some callers hand one socket for both): shut its write side.
 */
static void
dir_close(struct relay_dir *d, bool to_is_conn)
{
	if (shutdown(d->to, SHUT_WR) != 0 && !to_is_conn && errno == ENOTSOCK)
		(void)close(d->to);
	d->done = true;
}

/* dir_read(d): one read; 0 bytes or an error ends the direction. */
static void
dir_read(struct relay_dir *d)
{
	ssize_t r = read(d->from, d->buf, sizeof d->buf);

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		d->eof = true;
		return;
	}
	d->len = (size_t)r;
	d->off = 0;
}

/*
 * dir_write(d): write what is buffered; a failed write (the reader went
 * away) drops the rest of this direction.
 */
static void
dir_write(struct relay_dir *d)
{
	ssize_t r = write(d->to, d->buf + d->off, d->len - d->off);

	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (r <= 0) {
		d->len = d->off = 0;
		d->eof = d->broken = true;
		return;
	}
	d->off += (size_t)r;
	if (d->off == d->len)
		d->len = d->off = 0;
}

/* dir_step(d, from_rev, to_rev, to_is_sock): act on poll's answer. */
static void
dir_step(struct relay_dir *d, short from_rev, short to_rev, bool to_is_sock)
{
	if (d->done)
		return;
	if (d->len == 0 && !d->eof && (from_rev & (POLLIN | POLLHUP |
	    POLLERR | POLLNVAL)) != 0)
		dir_read(d);
	if (d->len > 0 && (to_rev & (POLLOUT | POLLHUP | POLLERR |
	    POLLNVAL)) != 0)
		dir_write(d);
	if (d->eof && d->len == 0)
		dir_close(d, to_is_sock);
}

/*
 * proxy_relay(conn, in, out, lg): relay until both directions closed;
 * closes ${conn} and ${out}.  Returns 0, or KNOCK_EXIT_ERR if poll fails.
 */
int
proxy_relay(int conn, int in, int out, const struct knock_log *lg)
{
	static struct relay_dir up, down;	/* 256 KiB: not on the stack */
	struct pollfd pfd[4];
	int rc = 0;

	/* A peer that vanished without a FIN must not hold us forever. */
	(void)setsockopt(conn, SOL_SOCKET, SO_KEEPALIVE, &(int){ 1 },
	    sizeof(int));
	up = (struct relay_dir){ .from = in, .to = conn };
	down = (struct relay_dir){ .from = conn, .to = out };
	while (!up.done || !down.done) {
		pfd[0].fd = in;
		pfd[1].fd = conn;
		pfd[2].fd = conn;
		pfd[3].fd = out;
		dir_events(&up, &pfd[0].events, &pfd[1].events);
		dir_events(&down, &pfd[2].events, &pfd[3].events);
		for (int i = 0; i < 4; i++) {
			pfd[i].revents = 0;
			if (pfd[i].events == 0)
				pfd[i].fd = -1;		/* poll skips it */
		}
		if (poll(pfd, 4, RELAY_IDLE_MS) < 0 && errno != EINTR) {
			knock_err("--proxy: poll: %s", strerror(errno));
			rc = KNOCK_EXIT_ERR;
			break;
		}
		dir_step(&up, pfd[0].revents, pfd[1].revents, true);
		dir_step(&down, pfd[2].revents, pfd[3].revents, false);
		/*
		 * Whoever read our stdout is gone: nothing the server says
		 * can reach anyone, so stop sending it more (it would block
		 * on its own replies and hold us forever).
		 */
		if (down.broken)
			up.done = true;
	}
	knock_note(lg, "relay ended");
	(void)close(out);
	(void)close(conn);
	return rc;
}
