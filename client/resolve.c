/* resolve.c: HOST's addresses, in getaddrinfo's order. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "knock.h"

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

/* seen(out, t): is ${t}'s address already in the list? */
static bool
seen(const struct knock_addrs *out, const struct knock_target *t)
{
	for (size_t i = 0; i < out->n; i++)
		if (strcmp(out->a[i].txt, t->txt) == 0)
			return true;
	return false;
}

/*
 * resolve_host(host, family, out): getaddrinfo (AF_UNSPEC, AF_INET or
 * AF_INET6), IPv4 and IPv6 only, at most KNOCK_MAX_ADDRS, in order.
 * Returns 0 or KNOCK_EXIT_ERR, having said why.
 */
int
resolve_host(const char *host, int family, struct knock_addrs *out)
{
	struct addrinfo hints, *res = NULL, *ai;
	struct knock_target t;
	int gai;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = AI_NUMERICSERV;
	gai = getaddrinfo(host, NULL, &hints, &res);
	out->n = 0;
	for (ai = gai == 0 ? res : NULL; ai != NULL; ai = ai->ai_next) {
		if ((ai->ai_family != AF_INET && ai->ai_family != AF_INET6) ||
		    ai->ai_addrlen > sizeof t.sa || out->n == KNOCK_MAX_ADDRS)
			continue;
		set_target(&t, ai);
		if (!seen(out, &t))
			out->a[out->n++] = t;
	}
	if (res != NULL)
		freeaddrinfo(res);
	if (out->n > 0)
		return 0;
	knock_err("%s: cannot resolve%s: %s; check the name, or give an "
	    "address", host, family == AF_INET ? " (IPv4, -4)" :
	    family == AF_INET6 ? " (IPv6, -6)" : "", gai == 0 ?
	    "no IPv4 or IPv6 address" : gai == EAI_SYSTEM ? strerror(errno) :
	    gai_strerror(gai));
	return KNOCK_EXIT_ERR;
}

/*
 * resolve_families(all, first): the first address of each family, in
 * the order getaddrinfo gave them; returns how many (1 or 2).
 */
size_t
resolve_families(const struct knock_addrs *all,
    const struct knock_target *first[2])
{
	size_t n = 0;

	for (size_t i = 0; i < all->n && n < 2; i++)
		if (n == 0 || all->a[i].sa.ss_family != first[0]->sa.ss_family)
			first[n++] = &all->a[i];
	return n;
}
