/* srccheck.c: sources no real client can have (forged or bogus ones). */
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "sknockd.h"

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

/* The host's own addresses and IPv4 broadcast addresses, re-read at most
 * every LOCAL_REFRESH_MS. */
static void
local_refresh(struct localaddrs *l, uint64_t real_ms)
{
	struct ifaddrs *ifa, *i;

	if (l->fetched && real_ms - l->fetched_ms < LOCAL_REFRESH_MS)
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

void
local_free(struct localaddrs *l)
{
	free(l->v);
	memset(l, 0, sizeof *l);
}

/*
 * src_forged(d, src, dst): a packet that claims to come from its own
 * destination or (live capture only) from one of this host's addresses
 * or broadcast addresses did not come from a client.
 */
bool
src_forged(struct daemon *d, const struct sk_addr *src,
    const struct sk_addr *dst)
{
	if (addr_eq(src, dst))
		return true;
	if (d->offline)
		return false;
	local_refresh(&d->local, mono_ms());
	for (size_t i = 0; i < d->local.n; i++)
		if (addr_eq(src, &d->local.v[i]))
			return true;
	return false;
}
