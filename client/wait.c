/* wait.c: --wait, probe the opened TCP port until it accepts. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "knock.h"

/*
 * Probes are fresh non-blocking connects: a SYN the firewall dropped
 * before the door opened is only retransmitted after a second, so a new
 * one is started every WAIT_FAST_NS at first (the daemon usually opens
 * within a few ms), then every WAIT_SLOW_NS.  At most WAIT_SLOTS are
 * outstanding; the oldest is dropped for a new one.
 */
#define WAIT_SLOTS	64
#define WAIT_FAST_NS	1000000ULL	/* 1 ms */
#define WAIT_FAST_FOR_NS 25000000ULL	/* for the first 25 ms */
#define WAIT_SLOW_NS	10000000ULL	/* then 10 ms */

struct wait_state {
	int		fds[WAIT_SLOTS];	/* -1 = free */
	size_t		next;			/* ring position to fill */
	unsigned	probes;
	int		last_err;		/* errno of the last failure */
};

static uint64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void
close_all(struct wait_state *w)
{
	size_t i;

	for (i = 0; i < WAIT_SLOTS; i++)
		if (w->fds[i] >= 0) {
			close(w->fds[i]);
			w->fds[i] = -1;
		}
}

/*
 * probe_start(w, to): start one connect; true if it connected at once.
 * A pending one takes the next ring slot (closing the oldest there).
 */
static bool
probe_start(struct wait_state *w, const struct knock_target *to)
{
	int fd;

	w->probes++;
	fd = socket(to->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd < 0) {
		w->last_err = errno;
		return false;
	}
	if (connect(fd, (const struct sockaddr *)&to->sa, to->sa_len) == 0) {
		close(fd);
		return true;
	}
	if (errno != EINPROGRESS) {
		w->last_err = errno;
		close(fd);
		return false;
	}
	if (w->fds[w->next] >= 0)
		close(w->fds[w->next]);
	w->fds[w->next] = fd;
	w->next = (w->next + 1) % WAIT_SLOTS;
	return false;
}

/* probe_poll(w, timeout_ns): wait for outcomes; true if one connected. */
static bool
probe_poll(struct wait_state *w, uint64_t timeout_ns)
{
	struct pollfd pfd[WAIT_SLOTS];
	size_t slot[WAIT_SLOTS], n = 0, i;
	struct timespec ts;
	socklen_t len;
	int err;

	for (i = 0; i < WAIT_SLOTS; i++) {
		if (w->fds[i] < 0)
			continue;
		pfd[n].fd = w->fds[i];
		pfd[n].events = POLLOUT;
		pfd[n].revents = 0;
		slot[n++] = i;
	}
	ts.tv_sec = (time_t)(timeout_ns / 1000000000ULL);
	ts.tv_nsec = (long)(timeout_ns % 1000000000ULL);
	if (ppoll(pfd, n, &ts, NULL) <= 0)
		return false;
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		len = sizeof err;
		if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err,
		    &len) != 0)
			err = errno;
		if (err == 0)
			return true;
		w->last_err = err;
		close(pfd[i].fd);
		w->fds[slot[i]] = -1;
	}
	return false;
}

/* wait_failed(to, port, wait_ms, w): the deadline passed; say why. */
static int
wait_failed(const struct knock_target *to, uint16_t port, uint32_t wait_ms,
    const struct wait_state *w)
{
	knock_err("%s tcp/%u did not accept a connection within %.3g s "
	    "(%u probes; last: %s); the knock was sent: check that the "
	    "sequence, door and key match the server's, and look for this "
	    "address in sknockd's log there", to->txt, port,
	    (double)wait_ms / 1000.0, w->probes, w->last_err == 0 ?
	    "no answer" : strerror(w->last_err));
	return KNOCK_EXIT_ERR;
}

/*
 * wait_open(t, port, wait_ms, verbose): probe t's TCP ${port} until a
 * connect succeeds (0) or ${wait_ms} pass (KNOCK_EXIT_ERR, said why).
 */
int
wait_open(const struct knock_target *t, uint16_t port, uint32_t wait_ms,
    bool verbose)
{
	struct knock_target to = *t;
	struct wait_state w;
	uint64_t start, now, deadline, next, until;
	unsigned iter, max_iter = 8 * (wait_ms + 100);
	bool ok = false;
	size_t i;

	memset(&w, 0, sizeof w);
	for (i = 0; i < WAIT_SLOTS; i++)
		w.fds[i] = -1;
	send_set_port(&to, port);
	start = next = mono_ns();
	deadline = start + (uint64_t)wait_ms * 1000000ULL;
	for (iter = 0; !ok && iter < max_iter; iter++) {
		if ((now = mono_ns()) >= deadline)
			break;
		if (now >= next) {
			ok = probe_start(&w, &to);
			next = now + (now - start < WAIT_FAST_FOR_NS ?
			    WAIT_FAST_NS : WAIT_SLOW_NS);
			continue;
		}
		until = next < deadline ? next : deadline;
		ok = probe_poll(&w, until - now);
	}
	close_all(&w);
	if (!ok)
		return wait_failed(&to, port, wait_ms, &w);
	if (verbose)
		knock_note("%s tcp/%u accepts connections (after %u probe%s)",
		    to.txt, port, w.probes, w.probes == 1 ? "" : "s");
	return 0;
}
