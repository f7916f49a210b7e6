/* send.c: resolve the host and send the knock without root. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "knock.h"
#include "parse.h"

/* Any port will do for the route check: connecting UDP sends nothing. */
#define ROUTE_CHECK_PORT	9

/* routable(ai): can a datagram to ai leave this host (a route exists)? */
static bool
routable(const struct addrinfo *ai)
{
	struct knock_target t;
	bool ok;
	int fd;

	memcpy(&t.sa, ai->ai_addr, ai->ai_addrlen);
	t.sa_len = ai->ai_addrlen;
	send_set_port(&t, ROUTE_CHECK_PORT);
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ok = connect(fd, (struct sockaddr *)&t.sa, t.sa_len) == 0;
	close(fd);
	return ok;
}

/* set_target(t, ai): copy the address and its text form. */
static void
set_target(struct knock_target *t, const struct addrinfo *ai)
{
	memset(t, 0, sizeof *t);
	memcpy(&t->sa, ai->ai_addr, ai->ai_addrlen);
	t->sa_len = ai->ai_addrlen;
	if (getnameinfo(ai->ai_addr, ai->ai_addrlen, t->txt, sizeof t->txt,
	    NULL, 0, NI_NUMERICHOST) != 0)
		(void)snprintf(t->txt, sizeof t->txt, "?");
}

/*
 * send_resolve(host, family, t): getaddrinfo; the first address with a
 * route (so a name with AAAA and A records works on an IPv4-only host),
 * else the first.  Returns 0 or KNOCK_EXIT_ERR, having said why.
 */
int
send_resolve(const char *host, int family, struct knock_target *t)
{
	struct addrinfo hints, *res = NULL, *ai;
	int gai;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(host, NULL, &hints, &res);
	if (gai != 0 || res == NULL) {
		knock_err("%s: cannot resolve%s: %s; check the name, or give "
		    "an address", host, family == AF_INET ? " (IPv4, -4)" :
		    family == AF_INET6 ? " (IPv6, -6)" : "",
		    gai == EAI_SYSTEM ? strerror(errno) : gai_strerror(gai));
		return KNOCK_EXIT_ERR;
	}
	for (ai = res; ai != NULL && !routable(ai); ai = ai->ai_next)
		;
	set_target(t, ai != NULL ? ai : res);
	freeaddrinfo(res);
	return 0;
}

/* send_set_port(t, port): the destination port, host order in. */
void
send_set_port(struct knock_target *t, uint16_t port)
{
	if (t->sa.ss_family == AF_INET)
		((struct sockaddr_in *)&t->sa)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&t->sa)->sin6_port = htons(port);
}

/* send_error(t, pkt, i, n, what): one line naming the step and a fix. */
static int
send_error(const struct knock_target *t, const struct knock_pkt *pkt,
    size_t i, size_t n, const char *what)
{
	int e = errno;

	knock_err("step %zu/%zu (%u/%s) to %s: %s: %s%s", i + 1, n,
	    pkt->to.port, parse_proto_name(pkt->to.proto), t->txt, what,
	    strerror(e), e == EPERM || e == EACCES ?
	    "; a firewall rule on this host refuses it" :
	    e == ENETUNREACH || e == EHOSTUNREACH ?
	    "; check the route to the host (ip route get ADDRESS)" : "");
	return KNOCK_EXIT_ERR;
}

/*
 * open_socket(t, pkt): a non-blocking socket for one step; UDP ones are
 * connected now (that sends nothing), so the steps go out back to back.
 */
static int
open_socket(const struct knock_target *t, const struct knock_pkt *pkt)
{
	struct knock_target to = *t;
	int type = pkt->to.proto == SK_PROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd, saved;

	fd = socket(t->sa.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || type == SOCK_STREAM)
		return fd;
	send_set_port(&to, pkt->to.port);
	if (connect(fd, (struct sockaddr *)&to.sa, to.sa_len) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/*
 * send_one(t, pkt, fd): a TCP step is a SYN from a non-blocking connect
 * (the socket is closed at once by the caller: no handshake is awaited);
 * a UDP step is one datagram, empty or the token.
 */
static bool
send_one(const struct knock_target *t, const struct knock_pkt *pkt, int fd)
{
	struct knock_target to = *t;
	ssize_t r;

	if (pkt->to.proto == SK_PROTO_TCP) {
		send_set_port(&to, pkt->to.port);
		if (connect(fd, (struct sockaddr *)&to.sa, to.sa_len) == 0)
			return true;
		/* On loopback the RST can beat connect() back: still sent. */
		return errno == EINPROGRESS || errno == ECONNREFUSED;
	}
	r = send(fd, pkt->payload, pkt->payload_len, 0);
	/* A late ICMP error from an earlier step: the next send goes out. */
	if (r < 0 && errno == ECONNREFUSED)
		r = send(fd, pkt->payload, pkt->payload_len, 0);
	return r == (ssize_t)pkt->payload_len;
}

/* ts_add_ns(ts, ns): ${ts} + ${ns}, normalised. */
static struct timespec
ts_add_ns(struct timespec ts, uint64_t ns)
{
	ts.tv_sec += (time_t)(ns / 1000000000ULL);
	ts.tv_nsec += (long)(ns % 1000000000ULL);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

static bool
ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	    (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * gap_sleep(prev, gap_ms): return ${gap_ms} after ${prev}.  A sleeping
 * process often wakes milliseconds late (timer slack, a busy or virtual
 * machine), which would triple the default 1 ms gap; so the last
 * GAP_SPIN_NS are spun on the vDSO clock instead of slept.
 */
#define GAP_SPIN_NS	1000000ULL
#define GAP_SPIN_MAX	50000000UL	/* clock reads, a bound on the spin */
static void
gap_sleep(const struct timespec *prev, uint32_t gap_ms)
{
	uint64_t gap_ns = (uint64_t)gap_ms * 1000000ULL;
	struct timespec until = ts_add_ns(*prev, gap_ns), sleep_to, now;
	unsigned long i;

	if (gap_ns > GAP_SPIN_NS) {
		sleep_to = ts_add_ns(*prev, gap_ns - GAP_SPIN_NS);
		for (i = 0; i < 100 && clock_nanosleep(CLOCK_MONOTONIC,
		    TIMER_ABSTIME, &sleep_to, NULL) == EINTR; i++)
			;
	}
	for (i = 0; i < GAP_SPIN_MAX; i++) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (!ts_before(&now, &until))
			break;
	}
}

/*
 * send_all(t, pkts, n, gap_ms, verbose): open every socket first, then
 * send the steps ${gap_ms} apart.  Returns 0 or KNOCK_EXIT_ERR.
 */
int
send_all(const struct knock_target *t, const struct knock_pkt *pkts,
    size_t n, uint32_t gap_ms, bool verbose)
{
	int fds[SK_MAX_STEPS];
	struct timespec prev;
	size_t i, opened = 0;
	int rc = 0;

	for (; opened < n && opened < SK_MAX_STEPS; opened++) {
		if ((fds[opened] = open_socket(t, &pkts[opened])) < 0) {
			rc = send_error(t, &pkts[opened], opened, n, "socket");
			goto out;
		}
	}
	for (i = 0; i < opened; i++) {
		if (i > 0)
			gap_sleep(&prev, gap_ms);
		if (!send_one(t, &pkts[i], fds[i])) {
			rc = send_error(t, &pkts[i], i, n, "send");
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &prev);
		close(fds[i]);
		fds[i] = -1;
		if (verbose)
			knock_note("step %zu/%zu sent: %s %s/%u%s", i + 1, n,
			    t->txt, parse_proto_name(pkts[i].to.proto),
			    pkts[i].to.port, pkts[i].payload_len > 0 ?
			    " with the token" : "");
	}
out:
	for (i = 0; i < opened; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}

/*
 * send_dry_run(t, pkts, n): one line per packet, as knock --help says:
 * "ADDRESS PROTO/PORT", plus " token HEX" for the signed one.
 */
void
send_dry_run(const struct knock_target *t, const struct knock_pkt *pkts,
    size_t n)
{
	char hex[2 * TOK_WIRE_LEN + 1];
	size_t i;

	for (i = 0; i < n; i++) {
		printf("%s %s/%u", t->txt, parse_proto_name(pkts[i].to.proto),
		    pkts[i].to.port);
		if (pkts[i].payload_len > 0) {
			sodium_bin2hex(hex, sizeof hex, pkts[i].payload,
			    pkts[i].payload_len);
			printf(" token %s", hex);
		}
		putchar('\n');
	}
}
