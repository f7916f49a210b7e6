/* tool.c: small helpers shared by the e2e and wire test tools. */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "monotime.h"
#include "tool.h"

int64_t
tool_now_ms(void)
{
	return (int64_t)(mono_ns() / 1000000);
}

long long
tool_num(const char *s, long long min, long long max, const char *what)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "%s %s: not a number in %lld-%lld\n", what, s,
		    min, max);
		exit(2);
	}
	return v;
}

int
tool_touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

void
tool_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

bool
tool_sockaddr(const char *host, uint16_t port, struct sockaddr_storage *ss,
    socklen_t *len)
{
	struct addrinfo hints, *res;

	memset(&hints, 0, sizeof hints);
	hints.ai_flags = AI_NUMERICHOST;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return false;
	memset(ss, 0, sizeof *ss);
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	return true;
}

bool
tool_read_file(const char *path, uint8_t *buf, size_t cap, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (f == NULL) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return false;
	}
	n = fread(buf, 1, cap, f);
	if (n == cap && fgetc(f) != EOF) {
		fprintf(stderr, "%s: larger than %zu bytes\n", path, cap);
		fclose(f);
		return false;
	}
	fclose(f);
	*len = n;
	return true;
}

bool
tool_pkt_open(const char *iface, struct tool_pkt_out *o)
{
	struct ifreq ifr;

	memset(o, 0, sizeof *o);
	if (strlen(iface) >= sizeof ifr.ifr_name) {
		errno = ENAMETOOLONG;
		return false;
	}
	o->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (o->fd < 0)
		return false;
	memset(&ifr, 0, sizeof ifr);
	strcpy(ifr.ifr_name, iface);
	if (ioctl(o->fd, SIOCGIFHWADDR, &ifr) != 0)
		return false;
	memcpy(o->mac, ifr.ifr_hwaddr.sa_data, 6);
	o->sll.sll_family = AF_PACKET;
	o->sll.sll_ifindex = (int)if_nametoindex(iface);
	o->sll.sll_halen = 6;
	return o->sll.sll_ifindex != 0;
}

bool
tool_pkt_send(struct tool_pkt_out *o, const uint8_t *frame, size_t len)
{
	static uint8_t buf[65536];
	size_t n = len < 60 ? 60 : len;

	if (len < 14 || len > sizeof buf)
		return false;
	memset(buf, 0, n);
	memcpy(buf, frame, len);
	memcpy(o->sll.sll_addr, frame, 6);
	if (sendto(o->fd, buf, n, 0, (const struct sockaddr *)&o->sll,
	    sizeof o->sll) != (ssize_t)n) {
		fprintf(stderr, "send: %s\n", strerror(errno));
		return false;
	}
	return true;
}
