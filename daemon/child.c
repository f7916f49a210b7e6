/* child.c: the capture child's life: open, sandbox, capture, send. */
#include "child.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "privsep.h"
#include "sandbox.h"

_Noreturn static void
die(int status)
{
	_exit(status);	/* never atexit handlers or stdio of the parent */
}

void
child_send(int sock, const struct pmsg *m)
{
	uint8_t buf[PMSG_LEN];

	if (pmsg_encode(m, buf) != PMSG_OK)
		die(3);
	for (;;) {
		ssize_t n = send(sock, buf, sizeof buf, MSG_NOSIGNAL);

		if (n == (ssize_t)sizeof buf)
			return;
		if (n == -1 && errno == EINTR)
			continue;
		die(0);		/* the parent is gone, or replaced us */
	}
}

/* Only the socket (at its number) and stderr stay; stdin and stdout
 * go nowhere. */
static void
close_inherited(int sock)
{
	int null = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (null == -1 || sock <= STDERR_FILENO ||
	    dup2(null, STDIN_FILENO) == -1 || dup2(null, STDOUT_FILENO) == -1)
		die(2);
	if ((sock > STDERR_FILENO + 1 &&
	    close_range(STDERR_FILENO + 1, (unsigned)sock - 1, 0) == -1) ||
	    close_range((unsigned)sock + 1, ~0U, 0) == -1)
		die(2);
}

/* Printable ASCII only, so the parent's strict decode accepts it. */
static void
copy_text(char *dst, const char *src)
{
	size_t i;

	for (i = 0; i + 1 < PMSG_TEXT_MAX && src[i] != '\0'; i++)
		dst[i] = src[i] >= 0x20 && src[i] <= 0x7e ? src[i] : '?';
	dst[i] = '\0';
}

static void
send_iface(int sock, size_t idx, const struct capture *c)
{
	struct pmsg m;

	memset(&m, 0, sizeof m);
	m.type = PMSG_IFACE;
	m.u.iface.idx = (uint8_t)idx;
	if (c->p != NULL) {
		m.u.iface.state = PMSG_IF_UP;
		m.u.iface.dlt = c->dlt;
		copy_text(m.u.iface.text, "capturing");
	} else {
		m.u.iface.state = PMSG_IF_DOWN;
		copy_text(m.u.iface.text, c->lasterr[0] ? c->lasterr :
		    "not open");
	}
	child_send(sock, &m);
}

static void
send_beat(struct child_cfg *cfg)
{
	struct pmsg m;

	memset(&m, 0, sizeof m);
	m.type = PMSG_BEAT;
	cfg->beat(cfg->ctx, &m.u.beat);
	child_send(cfg->sock, &m);
}

#ifdef SKNOCK_SANDBOX_TEST
static void
test_frame(void *ctx, const struct pcap_pkthdr *h, const uint8_t *frame,
    int dlt)
{
	struct child_cfg *cfg = ctx;

	child_test_frame(cfg->sock, frame, h->caplen, dlt);
	cfg->on_frame(cfg->ctx, h, frame, dlt);
}
#endif

static void
drain_caps(struct child_cfg *cfg, const struct pollfd *pfd,
    const size_t *idx, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		struct capture *c = &cfg->caps[idx[k]];

		if (pfd[k + 1].revents == 0 || c->p == NULL)
			continue;
#ifdef SKNOCK_SANDBOX_TEST
		if (cap_drain(c, -1, test_frame, cfg) < 0)
#else
		if (cap_drain(c, -1, cfg->on_frame, cfg->ctx) < 0)
#endif
			send_iface(cfg->sock, idx[k], c);	/* it closed */
	}
}

/*
 * The parent's messages: forgets, each handed on; the socket's end, an
 * error or anything else means the parent is gone, replacing us, or
 * not the parent: we go.
 */
static void
take_parent(struct child_cfg *cfg)
{
	uint8_t buf[PMSG_LEN + 1];	/* one more: a longer one shows */
	struct pmsg m;

	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(cfg->sock, buf, sizeof buf, MSG_DONTWAIT);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0 || pmsg_decode(buf, (size_t)n, &m) != PMSG_OK ||
		    m.type != PMSG_FORGET || cfg->on_msg == NULL)
			die(0);
		cfg->on_msg(cfg->ctx, &m);
	}
}

/*
 * The loop: the socket (the parent's forgets; its end means the parent
 * is gone or replacing us) and every open capture; a heartbeat every
 * PRIVSEP_BEAT_MS.
 */
_Noreturn static void
capture_loop(struct child_cfg *cfg)
{
	struct pollfd pfd[1 + SK_MAX_IFACES];
	size_t idx[SK_MAX_IFACES];
	uint64_t next_beat = 0;

	for (;;) {
		uint64_t now = mono_ms();
		size_t n = 0;

		if (now >= next_beat) {
			send_beat(cfg);
			next_beat = now + PRIVSEP_BEAT_MS;
		}
		pfd[0] = (struct pollfd){ .fd = cfg->sock, .events = POLLIN };
		for (size_t i = 0; i < cfg->n_caps; i++)
			if (cfg->caps[i].p != NULL) {
				idx[n] = i;
				pfd[++n] = (struct pollfd){
				    .fd = cfg->caps[i].fd, .events = POLLIN };
			}
		if (poll(pfd, n + 1, (int)(next_beat - now)) == -1 &&
		    errno != EINTR) {
			fprintf(stderr, "<3>capture child: poll: %s\n",
			    strerror(errno));
			die(1);
		}
		if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			die(0);
		if (pfd[0].revents & POLLIN)
			take_parent(cfg);
		drain_caps(cfg, pfd, idx, n);
	}
}

void
child_run(struct child_cfg *cfg)
{
	char err[256];

	/* No death signal: the sandbox's setresuid would clear it; the
	 * socket's end tells us the parent is gone. */
	close_inherited(cfg->sock);
	for (size_t i = 0; i < cfg->n_caps; i++)
		cap_open_live(&cfg->caps[i], cfg->conf);
	if (!sandbox_enter(cfg->sock, err, sizeof err)) {
		fprintf(stderr, "<3>capture child: %s; not capturing\n", err);
		die(2);
	}
	for (size_t i = 0; i < cfg->n_caps; i++)
		send_iface(cfg->sock, i, &cfg->caps[i]);
	capture_loop(cfg);
}
