/*
 * gaptest: do the steps of a knock reach the capture in the order they
 * were sent, for a given gap between them?  Two halves, one per network
 * namespace:
 *
 *   gaptest recv IFACE RUNS READY_FILE   capture the steps, then print
 *       "runs R seen S reordered X missing M"
 *   gaptest send ADDRESS GAP_US RUNS HOP  send RUNS knocks of three
 *       steps (7000/tcp SYN by a non-blocking connect, 8000/udp,
 *       9000/udp, as knock(1) does), GAP_US apart (spun, so the gap is
 *       exact); HOP=1 moves the sender to another CPU before each step,
 *       so consecutive steps leave from different CPUs and TX queues.
 *
 * Each packet names its run and step in its source port (bound), so the
 * receiver needs no clock: a run is reordered when a step is captured
 * after a later step of the same run.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "bytes.h"
#include "monotime.h"

#define STEPS		3
#define SPORT_BASE	20000
#define RUN_PORTS	10000	/* runs are numbered modulo this */
#define RUN_PAUSE_US	2000	/* between knocks */
#define IDLE_END_MS	2000	/* receiver stops after this much silence */

static const uint16_t dports[STEPS] = { 7000, 8000, 9000 };

static void
spin_until(uint64_t t)
{
	while (mono_ns() < t)
		;
}

static int
step_socket(int step, unsigned run, const struct sockaddr_in *dst)
{
	struct sockaddr_in src = { .sin_family = AF_INET };
	struct sockaddr_in to = *dst;
	int one = 1, fd;

	fd = socket(AF_INET, (step == 0 ? SOCK_STREAM : SOCK_DGRAM) |
	    SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	src.sin_port = htons((uint16_t)(SPORT_BASE + (run % RUN_PORTS) *
	    STEPS + (unsigned)step));
	if (bind(fd, (struct sockaddr *)&src, sizeof src) != 0) {
		close(fd);
		return -1;
	}
	to.sin_port = htons(dports[step]);
	if (step > 0 && connect(fd, (struct sockaddr *)&to, sizeof to) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void
hop(unsigned n, int ncpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n % (unsigned)ncpu, &set);
	sched_setaffinity(0, sizeof set, &set);
}

static int
do_send(const char *addr, unsigned gap_us, unsigned runs, int hops)
{
	struct sockaddr_in dst = { .sin_family = AF_INET };
	int ncpu = (int)sysconf(_SC_NPROCESSORS_ONLN);
	unsigned failed = 0;

	if (inet_pton(AF_INET, addr, &dst.sin_addr) != 1) {
		fprintf(stderr, "gaptest: %s: not an IPv4 address\n", addr);
		return 2;
	}
	for (unsigned r = 0; r < runs; r++) {
		int fd[STEPS];
		uint64_t t = 0;

		for (int s = 0; s < STEPS; s++)
			fd[s] = step_socket(s, r, &dst);
		for (int s = 0; s < STEPS; s++) {
			struct sockaddr_in to = dst;

			if (hops)
				hop(r + (unsigned)s, ncpu);
			if (s > 0)
				spin_until(t + (uint64_t)gap_us * 1000);
			to.sin_port = htons(dports[s]);
			if (fd[s] < 0)
				failed++;
			else if (s == 0)
				(void)connect(fd[s], (struct sockaddr *)&to,
				    sizeof to);
			else if (send(fd[s], "", 0, 0) < 0)
				failed++;
			t = mono_ns();
		}
		for (int s = 0; s < STEPS; s++)
			if (fd[s] >= 0)
				close(fd[s]);
		spin_until(mono_ns() + RUN_PAUSE_US * 1000ULL);
	}
	printf("sent %u failed %u\n", runs, failed);
	return failed == 0 ? 0 : 1;
}

struct rx {
	unsigned	runs;
	unsigned	seen;
	unsigned	reordered;
	signed char	*last;		/* per run: last step seen, -1 none */
	unsigned char	*bad;
};

static void
on_pkt(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	struct rx *rx = (struct rx *)(void *)user;
	size_t ihl;
	unsigned sport, run, step;

	if (h->caplen < 14 + 20 + 4)
		return;
	ihl = (size_t)(b[14] & 0x0f) * 4;
	if (h->caplen < 14 + ihl + 4)
		return;
	sport = load_be16(b + 14 + ihl);
	if (sport < SPORT_BASE || sport >= SPORT_BASE + RUN_PORTS * STEPS)
		return;
	run = (sport - SPORT_BASE) / STEPS;
	step = (sport - SPORT_BASE) % STEPS;
	if (run >= rx->runs)
		return;
	rx->seen++;
	if (rx->last[run] > (signed char)step && !rx->bad[run]) {
		rx->bad[run] = 1;
		rx->reordered++;
	}
	if ((signed char)step > rx->last[run])
		rx->last[run] = (signed char)step;
}

static int
do_recv(const char *iface, unsigned runs, const char *ready)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	struct rx rx = { .runs = runs < RUN_PORTS ? runs : RUN_PORTS };
	uint64_t idle_since;
	pcap_t *p;
	int fd;

	rx.last = malloc(rx.runs);
	rx.bad = calloc(rx.runs, 1);
	if (rx.last == NULL || rx.bad == NULL)
		return 1;
	memset(rx.last, -1, rx.runs);
	p = pcap_create(iface, err);
	if (p == NULL || pcap_set_snaplen(p, 128) != 0 ||
	    pcap_set_immediate_mode(p, 1) != 0 ||
	    pcap_set_buffer_size(p, 8 << 20) != 0 || pcap_activate(p) < 0 ||
	    pcap_compile(p, &prog, "(tcp dst port 7000 and tcp[13] & 2 != 0) "
	    "or udp dst port 8000 or udp dst port 9000", 1,
	    PCAP_NETMASK_UNKNOWN) != 0 || pcap_setfilter(p, &prog) != 0 ||
	    pcap_setnonblock(p, 1, err) != 0) {
		fprintf(stderr, "gaptest: %s: %s\n", iface,
		    p ? pcap_geterr(p) : err);
		return 1;
	}
	if ((fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0600)) >= 0)
		close(fd);
	idle_since = mono_ns();
	while (rx.seen < rx.runs * STEPS &&
	    mono_ns() - idle_since < IDLE_END_MS * 1000000ULL) {
		int n = pcap_dispatch(p, -1, on_pkt, (u_char *)&rx);

		if (n > 0)
			idle_since = mono_ns();
		else
			usleep(1000);
	}
	printf("runs %u seen %u reordered %u missing %u\n", rx.runs, rx.seen,
	    rx.reordered, rx.runs * STEPS - rx.seen);
	pcap_close(p);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "recv") == 0)
		return do_recv(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
		    argv[4]);
	if (argc == 6 && strcmp(argv[1], "send") == 0)
		return do_send(argv[2], (unsigned)strtoul(argv[3], NULL, 10),
		    (unsigned)strtoul(argv[4], NULL, 10), atoi(argv[5]));
	fprintf(stderr, "usage: gaptest recv IFACE RUNS READY_FILE | "
	    "gaptest send ADDRESS GAP_US RUNS HOP\n");
	return 2;
}
