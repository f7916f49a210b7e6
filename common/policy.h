/* policy.h: what a token that verified may open (pure door policy). */
#ifndef POLICY_H
#define POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"
#include "token.h"

/*
 * DESIGN.md's verification, after the MAC: decrypt (version, flags,
 * reserved), the window, the replay check and record (token.c and
 * replay.c, in that order, so a nonce that verifies is recorded even
 * when nothing opens), then pol_decide() below, in this order.
 */
enum pol_reason {
	POL_OK,
	POL_EXPIRED,		/* the client's `expires` time has come */
	POL_OTHER_ADDRESS,	/* allow address is not the source */
	POL_BOGUS_ADDRESS,	/* allow address no client can have */
	POL_NO_ADDRESS,		/* zero, on a require_source_address door */
	POL_PROTO,		/* protocol byte neither 6 nor 17 */
	POL_PORT,		/* not one of the door's open entries */
	POL_SEQUENCE,		/* steps 1..N-1 not done within seq_timeout */
	POL_MAX
};

/* The parts of a door the policy reads. */
struct pol_door {
	const struct sk_port	*open;		/* the door's open entries */
	size_t			n_open;
	bool			allow_other_address;
	bool			require_source_address;
};

struct pol_in {
	struct sk_addr	src;		/* the packet's source address */
	struct tok_req	req;		/* what the token asks for */
	int64_t		now_s;		/* unix seconds (capture time with -r) */
	int64_t		expires_s;	/* the client's expiry; 0 = never */
	bool		steps_done;	/* steps 1..N-1 within seq_timeout */
};

/* What opens: for whom (source or signed address) and which entry. */
struct pol_out {
	struct sk_addr	addr;
	struct sk_port	port;
};

/*
 * pol_decide(d, in, out): the checks after the replay record, first
 * failure wins: the client's expiry (now >= expires, expires != 0); the
 * allow address (zero = the source; another address only with
 * allow_other_address; never a bogus one); require_source_address;
 * the protocol byte; the port (0 = the door's first open entry exactly
 * as written, port and protocol, whatever the protocol byte says); and
 * last whether the steps were done.  ${out} is written only on POL_OK.
 */
enum pol_reason pol_decide(const struct pol_door *d, const struct pol_in *in,
    struct pol_out *out);

/* pol_strerror(r): the reason as the log line says it. */
const char *pol_strerror(enum pol_reason r);

/*
 * pol_addr_bogus(a): unspecified, loopback, multicast, broadcast or
 * reserved (IPv4 0/8, 127/8, 224/4, 240/4; IPv6 ::, ::1, ff00::/8): no
 * door is opened for such an address, and no knock comes from one.
 */
bool pol_addr_bogus(const struct sk_addr *a);

#endif
