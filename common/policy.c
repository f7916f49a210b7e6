/* policy.c: what a token that verified may open (pure door policy). */
#include "policy.h"

#include <string.h>

static const char *const reasons[POL_MAX] = {
	[POL_OK] = "ok",
	[POL_EXPIRED] = "client expired (expires)",
	[POL_OTHER_ADDRESS] = ("signed address differs from the source "
	    "(allow_other_address = no)"),
	[POL_BOGUS_ADDRESS] = ("signed address is unspecified, loopback, "
	    "multicast or broadcast"),
	[POL_NO_ADDRESS] = "no signed address (require_source_address = yes)",
	[POL_PROTO] = "protocol is neither tcp nor udp",
	[POL_PORT] = "port not in the door's open list",
	[POL_SEQUENCE] = ("steps not completed within seq_timeout (nonce "
	    "recorded)"),
};

const char *
pol_strerror(enum pol_reason r)
{
	return (unsigned)r < POL_MAX ? reasons[r] : "unknown reason";
}

bool
pol_addr_bogus(const struct sk_addr *a)
{
	static const uint8_t loop6[16] = { [15] = 1 };

	if (addr_is_v4(a)) {
		uint8_t b0 = a->b[12];

		return b0 == 0 || b0 == 127 || b0 >= 224;
	}
	return addr_is_zero(a) || memcmp(a->b, loop6, 16) == 0 ||
	    a->b[0] == 0xff;
}

/* Steps 6 and 6b: for whom the door opens. */
static enum pol_reason
pick_address(const struct pol_door *d, const struct pol_in *in,
    struct sk_addr *out)
{
	const struct sk_addr *allow = &in->req.allow;

	if (addr_is_zero(allow)) {
		if (d->require_source_address)
			return POL_NO_ADDRESS;
		*out = in->src;
		return POL_OK;
	}
	if (!addr_eq(allow, &in->src) && !d->allow_other_address)
		return POL_OTHER_ADDRESS;
	if (pol_addr_bogus(allow))
		return POL_BOGUS_ADDRESS;
	*out = *allow;
	return POL_OK;
}

/* Step 7: the open entry asked for. */
static enum pol_reason
pick_port(const struct pol_door *d, const struct tok_req *req,
    struct sk_port *out)
{
	if (req->proto != SK_PROTO_TCP && req->proto != SK_PROTO_UDP)
		return POL_PROTO;
	if (d->n_open == 0)
		return POL_PORT;
	if (req->port == 0) {
		*out = d->open[0];
		return POL_OK;
	}
	for (size_t i = 0; i < d->n_open; i++)
		if (d->open[i].port == req->port &&
		    d->open[i].proto == req->proto) {
			*out = d->open[i];
			return POL_OK;
		}
	return POL_PORT;
}

enum pol_reason
pol_decide(const struct pol_door *d, const struct pol_in *in,
    struct pol_out *out)
{
	struct pol_out o;
	enum pol_reason r;

	if (in->expires_s != 0 && in->now_s >= in->expires_s)
		return POL_EXPIRED;
	if ((r = pick_address(d, in, &o.addr)) != POL_OK)
		return r;
	if ((r = pick_port(d, &in->req, &o.port)) != POL_OK)
		return r;
	if (!in->steps_done)
		return POL_SEQUENCE;
	*out = o;
	return POL_OK;
}
