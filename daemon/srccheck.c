/* srccheck.c: addresses no real client can have, and this host's own. */
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
#include "htab.h"
#include "policy.h"
#include "srccheck.h"

#define LOCAL_REFRESH_MS	2000
#define LOCAL_MAX		1024

/* What an address in the set is to this host. */
#define LOCAL_OWN	1u	/* an address of one of its interfaces */
#define LOCAL_BCAST	2u	/* an IPv4 broadcast address */

bool
src_bogus(const struct sk_addr *a)
{
	return pol_addr_bogus(a);
}

static void
local_add(struct localaddrs *l, const struct sockaddr *sa, uint8_t what)
{
	struct sk_addr a;
	uint32_t s, hv, evicted;

	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET)
		addr_from_v4((const uint8_t *)&((const struct sockaddr_in *)
		    (const void *)sa)->sin_addr, &a);
	else if (sa->sa_family == AF_INET6)
		addr_from_v6(((const struct sockaddr_in6 *)(const void *)sa)->
		    sin6_addr.s6_addr, &a);
	else
		return;
	s = htab_find(l->set, a.b, &hv);
	if (s == HTAB_NONE) {
		if (htab_count(l->set) == htab_cap(l->set))
			return;		/* never evict: keep the first LOCAL_MAX */
		s = htab_insert(l->set, a.b, hv, &evicted);
		*(uint8_t *)htab_val(l->set, s) = 0;
	}
	*(uint8_t *)htab_val(l->set, s) |= what;
}

/*
 * The host's own addresses and IPv4 broadcast addresses.  With the
 * netlink watch they are re-read when the kernel says they changed;
 * without it, at most every LOCAL_REFRESH_MS when a knock needs them.
 * A failed read keeps the addresses read before.
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
	if (l->set == NULL &&
	    (l->set = htab_new(LOCAL_MAX, sizeof(struct sk_addr), 1)) == NULL)
		return;
	if (getifaddrs(&ifa) == -1)
		return;
	htab_clear(l->set);
	for (i = ifa; i != NULL; i = i->ifa_next) {
		local_add(l, i->ifa_addr, LOCAL_OWN);
		if ((i->ifa_flags & IFF_BROADCAST) && i->ifa_broadaddr != NULL &&
		    i->ifa_addr != NULL && i->ifa_addr->sa_family == AF_INET)
			local_add(l, i->ifa_broadaddr, LOCAL_BCAST);
	}
	freeifaddrs(ifa);
}

/* What ${a} is to this host: LOCAL_* bits, 0 if none. */
static uint8_t
local_what(struct localaddrs *l, const struct sk_addr *a)
{
	uint32_t s, hv;

	local_refresh(l, mono_ms());
	if (l->set == NULL)
		return 0;
	s = htab_find(l->set, a->b, &hv);
	return s == HTAB_NONE ? 0 : *(const uint8_t *)htab_val(l->set, s);
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
	htab_free(l->set);
	memset(l, 0, sizeof *l);
	l->nl_fd = -1;
}

bool
src_forged(struct localaddrs *l, bool live, const struct sk_addr *src,
    const struct sk_addr *dst)
{
	if (addr_eq(src, dst))
		return true;
	return live && local_what(l, src) != 0;
}

bool
dst_foreign(struct localaddrs *l, bool live, uint8_t family,
    const struct sk_addr *dst)
{
	if (!live)
		return false;
	/* A v4-mapped IPv6 destination is never ours (nor on the wire). */
	if (family == 6 && addr_is_v4(dst))
		return true;
	return (local_what(l, dst) & LOCAL_OWN) == 0;
}
