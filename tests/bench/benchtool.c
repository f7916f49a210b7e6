/*
 * benchtool: the small network and process helpers of tests/bench/run.sh.
 *
 *   benchtool lat ADDR PORT DEADLINE_MS -- CMD [ARGS...]
 *       start CMD (no shell; PATH is searched) and, from that moment, try a fresh
 *       non-blocking TCP connect to ADDR:PORT every 0.2 ms until
 *       one succeeds; prints "latency_ms L client_ms C" (C = when CMD
 *       exited).  Exit 1 if nothing connected by the deadline.
 *   benchtool send IFACE FILE.pcap
 *       send every frame of an Ethernet capture out of IFACE through a
 *       packet socket, as fast as it goes; prints "sent N seconds S".
 *   benchtool rusage -- CMD [ARGS...]
 *       run CMD and print "maxrss_kb K cpu_s C wall_s W" to stderr.
 *   benchtool fsync DIR N
 *       what a replay record costs on DIR's file system: N 32-byte
 *       records, each made durable, 10 ms apart, (a) appended then
 *       fdatasync'd, (b) written into a zeroed slot made ahead then
 *       fdatasync'd (as sknockd does); prints "append_ms A slot_ms S"
 *       (medians).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <pcap/pcap.h>

#include "monotime.h"

extern char **environ;

/*
 * A probe is one SYN: one dropped while the door is shut is retried only
 * after 1 s, so a new probe starts every PROBE_EVERY_MS and the latency
 * is known to that granularity.  Probes older than PROBE_LIFE_MS (their
 * SYN was dropped) are closed.
 */
#define PROBE_EVERY_MS	0.2
#define PROBE_LIFE_MS	100
#define PROBE_MAX	1024	/* > PROBE_LIFE_MS / PROBE_EVERY_MS */
#define SEND_BATCH	128

static double
now_ms(void)
{
	return (double)mono_ns() / 1e6;
}

struct probe {
	int	fd;
	double	t;
};

static int
probe_start(const struct sockaddr_in *a)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (s < 0)
		return -1;
	if (connect(s, (const struct sockaddr *)a, sizeof *a) == 0)
		return s;	/* cannot happen on TCP, but fine */
	if (errno != EINPROGRESS) {
		close(s);
		return -1;
	}
	return s;
}

/* Poll the probes for up to ${wait_us} (asleep); 1 when one connected. */
static int
probe_poll(struct probe *p, size_t n, long wait_us)
{
	struct pollfd pfd[PROBE_MAX];
	struct timespec ts = { 0, wait_us * 1000 };

	for (size_t i = 0; i < n; i++)
		pfd[i] = (struct pollfd){ .fd = p[i].fd, .events = POLLOUT };
	if (ppoll(pfd, n, &ts, NULL) <= 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int err = 0;
		socklen_t len = sizeof err;

		if (!(pfd[i].revents & (POLLOUT | POLLERR | POLLHUP)))
			continue;
		getsockopt(p[i].fd, SOL_SOCKET, SO_ERROR, &err, &len);
		if (err == 0)
			return 1;
		close(p[i].fd);		/* refused: try again later */
		p[i].fd = -1;
	}
	return 0;
}

static int
cmd_lat(const char *addr, const char *port, const char *deadline,
    char **cmd)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct probe p[PROBE_MAX];
	double t0, end, client_ms = -1, next = 0;
	size_t n = 0;
	pid_t pid;
	int st;

	a.sin_port = htons((uint16_t)atoi(port));
	if (inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		return 2;
	t0 = now_ms();
	end = t0 + atof(deadline);
	if (posix_spawnp(&pid, cmd[0], NULL, NULL, cmd, environ) != 0) {
		perror(cmd[0]);
		return 1;
	}
	while (now_ms() < end) {
		double t = now_ms();

		if (client_ms < 0 && waitpid(pid, &st, WNOHANG) == pid)
			client_ms = t - t0;
		/* Drop stale probes, then start one per PROBE_EVERY_MS. */
		for (size_t i = 0; i < n;) {
			if (p[i].fd < 0 || t - p[i].t > PROBE_LIFE_MS) {
				if (p[i].fd >= 0)
					close(p[i].fd);
				p[i] = p[--n];
			} else {
				i++;
			}
		}
		if (t >= next && n < PROBE_MAX) {
			int fd = probe_start(&a);

			if (fd >= 0)
				p[n++] = (struct probe){ fd, t };
			next = t + PROBE_EVERY_MS;
		}
		if (probe_poll(p, n, (long)(PROBE_EVERY_MS * 1000))) {
			double lat = now_ms() - t0;

			if (client_ms < 0) {
				waitpid(pid, &st, 0);
				client_ms = now_ms() - t0;
			}
			printf("latency_ms %.2f client_ms %.2f\n", lat,
			    client_ms);
			return 0;
		}
	}
	if (client_ms < 0) {
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
	}
	printf("latency_ms timeout client_ms %.2f\n", client_ms);
	return 1;
}

static int
cmd_send(const char *ifname, const char *file)
{
	char err[PCAP_ERRBUF_SIZE];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct mmsghdr msg[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
	static u_char buf[SEND_BATCH][2048];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned long long sent = 0;
	double t0 = now_ms();
	pcap_t *p;
	int s, n = 0, rc;

	sll.sll_ifindex = (int)if_nametoindex(ifname);
	sll.sll_protocol = htons(ETH_P_ALL);
	s = socket(AF_PACKET, SOCK_RAW, 0);
	if (sll.sll_ifindex == 0 || s < 0
	    || bind(s, (struct sockaddr *)&sll, sizeof sll) != 0) {
		perror(ifname);
		return 1;
	}
	if ((p = pcap_open_offline(file, err)) == NULL) {
		fprintf(stderr, "benchtool: %s\n", err);
		return 1;
	}
	memset(msg, 0, sizeof msg);
	do {
		rc = pcap_next_ex(p, &h, &data);
		if (rc == 1 && h->caplen <= sizeof buf[0]) {
			memcpy(buf[n], data, h->caplen);
			iov[n] = (struct iovec){ buf[n], h->caplen };
			msg[n].msg_hdr.msg_iov = &iov[n];
			msg[n].msg_hdr.msg_iovlen = 1;
			n++;
		}
		if (n == SEND_BATCH || (rc != 1 && n > 0)) {
			int off = 0;

			while (off < n) {
				int k = sendmmsg(s, msg + off,
				    (unsigned)(n - off), 0);

				if (k < 0 && errno == ENOBUFS) {
					usleep(100);
					continue;
				}
				if (k < 0) {
					perror("sendmmsg");
					return 1;
				}
				off += k;
			}
			sent += (unsigned long long)n;
			n = 0;
		}
	} while (rc == 1);
	pcap_close(p);
	printf("sent %llu seconds %.3f\n", sent, (now_ms() - t0) / 1e3);
	return 0;
}

static int
cmd_rusage(char **cmd)
{
	struct rusage ru;
	double t0 = now_ms();
	pid_t pid;
	int st;

	if (posix_spawnp(&pid, cmd[0], NULL, NULL, cmd, environ) != 0) {
		perror(cmd[0]);
		return 1;
	}
	if (wait4(pid, &st, 0, &ru) != pid)
		return 1;
	fprintf(stderr, "maxrss_kb %ld cpu_s %.3f wall_s %.3f\n",
	    ru.ru_maxrss,
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
	    + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	    (now_ms() - t0) / 1e3);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* N records into ${fd} at ${off} (-1: appended), each fdatasync'd. */
static double
fsync_median(int fd, off_t off, int n, double *t)
{
	static const uint8_t rec[32] = { 0xab };

	for (int i = 0; i < n; i++) {
		double a = now_ms();
		ssize_t w = off < 0 ? write(fd, rec, sizeof rec) :
		    pwrite(fd, rec, sizeof rec, off + (off_t)i * 32);

		if (w != (ssize_t)sizeof rec || fdatasync(fd) != 0)
			return -1;
		t[i] = now_ms() - a;
		usleep(10000);
	}
	qsort(t, (size_t)n, sizeof *t, cmp_double);
	return t[n / 2];
}

static int
cmd_fsync(const char *dir, int n)
{
	static const uint8_t zero[8192];
	char p[4096];
	double t[256], a, s;
	int fd;

	if (n < 1 || n > 256 || snprintf(p, sizeof p, "%s/benchtool.fsync",
	    dir) >= (int)sizeof p)
		return 2;
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
	a = fd < 0 ? -1 : fsync_median(fd, -1, n, t);
	if (fd >= 0)
		close(fd);
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	s = fd < 0 || write(fd, zero, sizeof zero) != (ssize_t)sizeof zero ||
	    fsync(fd) != 0 ? -1 : fsync_median(fd, 0, n, t);
	if (fd >= 0)
		close(fd);
	unlink(p);
	if (a < 0 || s < 0) {
		perror(p);
		return 1;
	}
	printf("append_ms %.3f slot_ms %.3f\n", a, s);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc >= 7 && !strcmp(argv[1], "lat") && !strcmp(argv[5], "--"))
		return cmd_lat(argv[2], argv[3], argv[4], argv + 6);
	if (argc == 4 && !strcmp(argv[1], "send"))
		return cmd_send(argv[2], argv[3]);
	if (argc >= 4 && !strcmp(argv[1], "rusage") && !strcmp(argv[2], "--"))
		return cmd_rusage(argv + 3);
	if (argc == 4 && !strcmp(argv[1], "fsync"))
		return cmd_fsync(argv[2], atoi(argv[3]));
	fprintf(stderr, "usage: benchtool lat ADDR PORT "
	    "DEADLINE_MS -- CMD... | send IFACE FILE.pcap | rusage -- CMD... "
	    "| fsync DIR N\n");
	return 2;
}
