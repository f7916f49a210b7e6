/* send.c: send one knock to one address, without root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "knock.h"
#include "parse.h"

/* send_error(t, pkt, i, n, what, why, why_len): the step and a fix. */
static int
send_error(const struct knock_target *t, const struct knock_pkt *pkt,
    size_t i, size_t n, const char *what, char *why, size_t why_len)
{
	int e = errno;

	(void)snprintf(why, why_len, "step %zu/%zu (%u/%s) to %s: %s: %s%s",
	    i + 1, n, pkt->to.port, parse_proto_name(pkt->to.proto), t->txt,
	    what, strerror(e), e == EPERM || e == EACCES ?
	    "; a firewall rule on this host refuses it" :
	    e == ENETUNREACH || e == EHOSTUNREACH || e == EADDRNOTAVAIL ?
	    "; check the route to the host (ip route get ADDRESS)" : "");
	return KNOCK_EXIT_ERR;
}

/*
 * open_socket(t, pkt): a non-blocking socket for one step; UDP ones are
 * connected now (that sends nothing, and finds a missing route), so the
 * steps go out back to back.
 */
static int
open_socket(const struct knock_target *t, const struct knock_pkt *pkt)
{
	struct knock_target to = *t;
	int type = pkt->to.proto == SK_PROTO_TCP ? SOCK_STREAM : SOCK_DGRAM;
	int fd, saved;

	fd = net_socket(t->sa.ss_family, type);
	if (fd < 0 || type == SOCK_STREAM)
		return fd;
	net_set_port(&to, pkt->to.port);
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
		net_set_port(&to, pkt->to.port);
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

/* elapsed_ns(since): nanoseconds from ${since} to now (monotonic). */
static uint64_t
elapsed_ns(const struct timespec *since)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec < since->tv_sec || (now.tv_sec == since->tv_sec &&
	    now.tv_nsec < since->tv_nsec))
		return 0;
	return (uint64_t)(now.tv_sec - since->tv_sec) * 1000000000ULL +
	    (uint64_t)now.tv_nsec - (uint64_t)since->tv_nsec;
}

/*
 * gap_sleep(prev, gap_ms): return ${gap_ms} after ${prev}, sleeping
 * (never spinning: a spin would hold a core that the daemon may need
 * on the same machine); bounded in rounds against signal storms.
 */
static void
gap_sleep(const struct timespec *prev, uint32_t gap_ms)
{
	uint64_t gap_ns = (uint64_t)gap_ms * 1000000ULL, done;
	struct timespec ts;
	int i;

	for (i = 0; i < 100 && (done = elapsed_ns(prev)) < gap_ns; i++) {
		ts.tv_sec = (time_t)((gap_ns - done) / 1000000000ULL);
		ts.tv_nsec = (long)((gap_ns - done) % 1000000000ULL);
		(void)nanosleep(&ts, NULL);
	}
}

/*
 * send_all(t, pkts, n, gap_ms, lg, why, why_len): open every socket
 * first, then send the steps ${gap_ms} apart.  Returns 0, or
 * KNOCK_EXIT_ERR with the reason in ${why} (the caller decides whether
 * a failed family is worth more than a -v note).
 */
int
send_all(const struct knock_target *t, const struct knock_pkt *pkts,
    size_t n, uint32_t gap_ms, const struct knock_log *lg, char *why,
    size_t why_len)
{
	int fds[SK_MAX_STEPS];
	struct timespec prev = { 0, 0 };
	size_t i, opened = 0;
	int rc = 0;

	for (; opened < n && opened < SK_MAX_STEPS; opened++)
		if ((fds[opened] = open_socket(t, &pkts[opened])) < 0) {
			rc = send_error(t, &pkts[opened], opened, n, "socket",
			    why, why_len);
			goto out;
		}
	for (i = 0; i < opened; i++) {
		if (i > 0)
			gap_sleep(&prev, gap_ms);
		if (!send_one(t, &pkts[i], fds[i])) {
			rc = send_error(t, &pkts[i], i, n, "send", why, why_len);
			goto out;
		}
		clock_gettime(CLOCK_MONOTONIC, &prev);
		close(fds[i]);
		fds[i] = -1;
		if (lg->hits)
			printf("hitting %s %s:%u\n",
			    parse_proto_name(pkts[i].to.proto), t->txt,
			    pkts[i].to.port);
		knock_note(lg, "step %zu/%zu sent: %s %s/%u%s", i + 1, n,
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
