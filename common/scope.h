/* scope.h: is an address one that no NAT is likely to rewrite? */
#ifndef SCOPE_H
#define SCOPE_H

#include <stdbool.h>

#include "addr.h"

/*
 * scope_is_global(a): global unicast, i.e. not unspecified, loopback
 * (127/8, ::1), link-local (169.254/16, fe80::/10), RFC 1918, shared
 * address space (100.64/10), ULA (fc00::/7), multicast, 0/8 or 240/4.
 * The client signs such a source address by itself: a packet from it
 * arrives as sent, so a require_source_address door needs no -a.
 */
bool scope_is_global(const struct sk_addr *a);

#endif
