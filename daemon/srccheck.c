/* srccheck.c: sources no real client can have (forged or bogus ones). */
#include <errno.h>
#include <ifaddrs.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "srccheck.h"

#define LOCAL_REFRESH_MS	2000
#define LOCAL_MAX		1024

/*
 * src_bogus(a): unspecified, loopback, multicast, broadcast or reserved
 * (IPv4 0/8, 127/8, 224/4, 240/4; IPv6 ::, ::1, ff00::/8).  Nothing from
 * such a source comes from a client a door could be opened for.
 */
bool
src_bogus(const struct sk_addr *a)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (addr_is_v4(a)) {
		uint8_t b0 = a->b[12];

		return b0 == 0 || b0 == 127 || b0 >= 224;
	}
	return addr_is_zero(a) || memcmp(a->b, loop6, 16) == 0 ||
	    a->b[0] == 0xff;
}

static void
local_add(struct localaddrs *l, const struct sockaddr *sa)
{
	if (sa == NULL || l->n == l->cap)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)sa;

		addr_from_v4((const uint8_t *)&s4->sin_addr, &l->v[l->n++]);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)sa;

		addr_from_v6(s6->sin6_addr.s6_addr, &l->v[l->n++]);
	}
}

/*
 * The host's own addresses and IPv4 broadcast addresses.  With the
 * netlink watch they are re-read when the kernel says they changed;
 * without it, at most every LOCAL_REFRESH_MS when a knock needs them.
 */
static void
local_refresh(struct localaddrs *l, uint64_t real_ms)
{
	struct ifaddrs *ifa, *i;

	if (l->fetched && (l->nl_fd != -1 ||
	    real_ms - l->fetched_ms < LOCAL_REFRESH_MS))
		return;
	l->fetched = true;
	l->fetched_ms = real_ms;
	if (l->v == NULL) {
		l->v = calloc(LOCAL_MAX, sizeof *l->v);
		l->cap = l->v ? LOCAL_MAX : 0;
	}
	l->n = 0;
	if (getifaddrs(&ifa) == -1)
		return;
	for (i = ifa; i != NULL; i = i->ifa_next) {
		local_add(l, i->ifa_addr);
		if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr != NULL &&
		    i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET)
			local_add(l, i->ifa_broadaddr);
	}
	freeifaddrs(ifa);
}

/*
 * local_watch(l): read the addresses now and open a netlink socket that
 * reports address changes (local_changed re-reads them), so no knock
 * waits for a netlink dump.  Without the socket, knocks re-read them.
 */
void
local_watch(struct localaddrs *l)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
	    .nl_groups = RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR };

	l->nl_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    NETLINK_ROUTE);
	if (l->nl_fd != -1 &&
	    bind(l->nl_fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		close(l->nl_fd);
		l->nl_fd = -1;
	}
	l->fetched = false;
	local_refresh(l, mono_ms());
}

/* local_changed(l): the netlink socket is readable: drain, re-read. */
void
local_changed(struct localaddrs *l)
{
	char buf[8192];

	for (int i = 0; i < 64; i++) {
		ssize_t n = recv(l->nl_fd, buf, sizeof buf, 0);

		if (n > 0 || (n == -1 && errno == ENOBUFS))
			continue;	/* ENOBUFS: lost some, re-read anyway */
		break;
	}
	l->fetched = false;
	local_refresh(l, mono_ms());
}

void
local_free(struct localaddrs *l)
{
	if (l->nl_fd != -1)
		close(l->nl_fd);
	free(l->v);
	memset(l, 0, sizeof *l);
	l->nl_fd = -1;
}

/*
 * src_forged(l, live, src, dst): a packet that claims to come from its
 * own destination or (${live} capture only) from one of this host's
 * addresses or broadcast addresses did not come from a client.
 */
bool
src_forged(struct localaddrs *l, bool live, const struct sk_addr *src,
    const struct sk_addr *dst)
{
	if (addr_eq(src, dst))
		return true;
	if (!live)
		return false;
	local_refresh(l, mono_ms());
	for (size_t i = 0; i < l->n; i++)
		if (addr_eq(src, &l->v[i]))
			return true;
	return false;
}
