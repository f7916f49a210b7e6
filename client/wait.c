/* wait.c: --wait and --proxy: probe the opened TCP port until it accepts. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "knock.h"
#include "monotime.h"

/*
 * Probes are fresh non-blocking connects, one per address of HOST each
 * round, in getaddrinfo's order: a SYN the firewall dropped before the
 * door opened is only retransmitted after a second, so a new round
 * starts every WAIT_FAST_NS at first (the daemon usually opens within a
 * few ms), then every WAIT_SLOW_NS.  At most WAIT_SLOTS are outstanding;
 * the oldest is dropped for a new one.
 */
#define WAIT_SLOTS	64
#define WAIT_FAST_NS	1000000ULL	/* 1 ms */
#define WAIT_FAST_FOR_NS 25000000ULL	/* for the first 25 ms */
#define WAIT_SLOW_NS	10000000ULL	/* then 10 ms */

struct wait_state {
	int		fds[WAIT_SLOTS];	/* -1 = free */
	size_t		addr[WAIT_SLOTS];	/* index into the addresses */
	size_t		next;			/* ring position to fill */
	unsigned	probes;
	int		last_err;		/* errno of the last failure */
	int		won;			/* the connected fd, or -1 */
	size_t		won_addr;
};

static void
close_all(struct wait_state *w)
{
	for (size_t i = 0; i < WAIT_SLOTS; i++)
		if (w->fds[i] >= 0) {
			close(w->fds[i]);
			w->fds[i] = -1;
		}
}

/* take(w, fd, ai): ${fd} connected to address ${ai}; keep the earliest. */
static void
take(struct wait_state *w, int fd, size_t ai)
{
	if (w->won >= 0 && w->won_addr <= ai) {
		close(fd);
		return;
	}
	if (w->won >= 0)
		close(w->won);
	w->won = fd;
	w->won_addr = ai;
}

/* probe_start(w, to, ai): start one connect to address ${ai}. */
static void
probe_start(struct wait_state *w, const struct knock_target *to, size_t ai)
{
	int fd;

	w->probes++;
	if ((fd = net_socket(to->sa.ss_family, SOCK_STREAM)) < 0) {
		w->last_err = errno;
		return;
	}
	if (connect(fd, (const struct sockaddr *)&to->sa, to->sa_len) == 0) {
		take(w, fd, ai);
		return;
	}
	if (errno != EINPROGRESS) {
		w->last_err = errno;
		close(fd);
		return;
	}
	if (w->fds[w->next] >= 0)
		close(w->fds[w->next]);
	w->fds[w->next] = fd;
	w->addr[w->next] = ai;
	w->next = (w->next + 1) % WAIT_SLOTS;
}

/* probe_poll(w, timeout_ns): wait for outcomes of the pending connects. */
static void
probe_poll(struct wait_state *w, uint64_t timeout_ns)
{
	struct pollfd pfd[WAIT_SLOTS];
	size_t slot[WAIT_SLOTS], n = 0, i;
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
	if (poll(pfd, (nfds_t)n, (int)((timeout_ns + 999999) / 1000000)) <= 0)
		return;
	for (i = 0; i < n; i++) {
		if (pfd[i].revents == 0)
			continue;
		len = sizeof err;
		if (getsockopt(pfd[i].fd, SOL_SOCKET, SO_ERROR, &err,
		    &len) != 0)
			err = errno;
		w->fds[slot[i]] = -1;
		if (err == 0) {
			take(w, pfd[i].fd, w->addr[slot[i]]);
			continue;
		}
		w->last_err = err;
		close(pfd[i].fd);
	}
}

/* wait_failed(host, port, wait_ms, w): the deadline passed; say why. */
static int
wait_failed(const char *host, const struct knock_addrs *addrs,
    uint16_t port, uint32_t wait_ms, const struct wait_state *w)
{
	knock_err("%s (%s%s) tcp/%u did not accept a connection within "
	    "%.3g s (%u probes; last: %s); the knock was sent: check that the "
	    "sequence, door and key match the server's, and look for this "
	    "address in sknockd's log there", host, addrs->a[0].txt,
	    addrs->n > 1 ? ", ..." : "", port, (double)wait_ms / 1000.0,
	    w->probes, w->last_err == 0 ? "no answer" :
	    strerror(w->last_err));
	return KNOCK_EXIT_ERR;
}

/*
 * wait_open(host, addrs, port, wait_ms, lg, fd_out): probe TCP ${port} on
 * each address until a connect succeeds (0; the connection in *fd_out,
 * else closed) or ${wait_ms} pass (KNOCK_EXIT_ERR, said why).
 */
int
wait_open(const char *host, const struct knock_addrs *addrs, uint16_t port,
    uint32_t wait_ms, const struct knock_log *lg, int *fd_out)
{
	struct knock_target to[KNOCK_MAX_ADDRS];
	struct wait_state w;
	uint64_t start, now, deadline, next;
	unsigned iter, max_iter = 8 * (wait_ms + 100);
	size_t i;

	memset(&w, 0, sizeof w);
	w.won = -1;
	for (i = 0; i < WAIT_SLOTS; i++)
		w.fds[i] = -1;
	for (i = 0; i < addrs->n; i++) {
		to[i] = addrs->a[i];
		net_set_port(&to[i], port);
	}
	start = next = mono_ns();
	deadline = start + (uint64_t)wait_ms * 1000000ULL;
	for (iter = 0; w.won < 0 && iter < max_iter; iter++) {
		if ((now = mono_ns()) >= deadline)
			break;
		if (now >= next) {
			for (i = 0; i < addrs->n && w.won < 0; i++)
				probe_start(&w, &to[i], i);
			next = now + (now - start < WAIT_FAST_FOR_NS ?
			    WAIT_FAST_NS : WAIT_SLOW_NS);
			continue;
		}
		probe_poll(&w, (next < deadline ? next : deadline) - now);
	}
	close_all(&w);
	if (w.won < 0)
		return wait_failed(host, addrs, port, wait_ms, &w);
	knock_note(lg, "%s tcp/%u accepts connections (after %u probe%s)",
	    to[w.won_addr].txt, port, w.probes, w.probes == 1 ? "" : "s");
	if (fd_out != NULL)
		*fd_out = w.won;
	else
		close(w.won);
	return 0;
}
