/* srccheck.h: addresses no real client can have, and this host's own. */
#ifndef SKD_SRCCHECK_H
#define SKD_SRCCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct htab;

/* This host's addresses (and IPv4 broadcast addresses), as a set. */
struct localaddrs {
	struct htab	*set;		/* address -> what it is to us */
	uint64_t	fetched_ms;
	bool		fetched;
	int		nl_fd;		/* address change events, or -1 */
};

/* src_bogus(a): pol_addr_bogus: nothing from there is a client. */
bool src_bogus(const struct sk_addr *a);
/*
 * src_forged(l, live, src, dst): a packet that claims to come from its
 * own destination or (${live} capture only) from one of this host's
 * addresses or broadcast addresses did not come from a client.
 */
bool src_forged(struct localaddrs *l, bool live, const struct sk_addr *src,
    const struct sk_addr *dst);
/*
 * dst_foreign(l, live, family, dst): on a ${live} capture, a packet for
 * an address that is not one of this host's own (a router or bridge
 * sees others' traffic; broadcast and multicast are not ours either).
 * With -r (!live) any destination counts.
 */
bool dst_foreign(struct localaddrs *l, bool live, uint8_t family,
    const struct sk_addr *dst);
void local_watch(struct localaddrs *l);
void local_changed(struct localaddrs *l);
void local_free(struct localaddrs *l);

#endif
