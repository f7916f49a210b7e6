/* bpf.c: the capture filter text compiled from the configured doors. */
#include "bpf.h"

#include <stdarg.h>
#include <stdio.h>

/*
 * IPv6 whose first next header is not TCP/UDP may carry extension
 * headers before one: the kernel filter cannot walk them, the decoder
 * can.  A "vlan" term shifts libpcap's offsets for what follows it, so
 * it must come last.
 */
#define BPF_IP6_EXT	"(ip6 and not ip6 proto 6 and not ip6 proto 17)"
#define BPF_VLAN	"vlan"

struct out {
	char	*buf;
	size_t	cap;
	size_t	len;
	bool	ok;
};

static void emit(struct out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
emit(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!o->ok)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->ok = false;
		return;
	}
	o->len += (size_t)n;
}

/* True if step (d, i) appeared in an earlier door or step. */
static bool
seen_before(const struct conf *c, size_t d, size_t i)
{
	const struct sk_port *p = &c->doors[d].steps[i];
	size_t e, j;

	for (e = 0; e <= d; e++)
		for (j = 0; j < (e == d ? i : c->doors[e].n_steps); j++)
			if (c->doors[e].steps[j].port == p->port &&
			    c->doors[e].steps[j].proto == p->proto)
				return true;
	return false;
}

bool
bpf_filter_text(const struct conf *c, bool with_vlan, char *buf,
    size_t buf_len)
{
	struct out o = { buf, buf_len, 0, buf_len > 0 };
	const struct sk_port *p;
	size_t d, i, n = 0;

	for (d = 0; d < c->n_doors; d++) {
		for (i = 0; i < c->doors[d].n_steps; i++) {
			if (seen_before(c, d, i))
				continue;
			p = &c->doors[d].steps[i];
			/* "tcp"/"udp" cover IPv4 and IPv6 alike. */
			emit(&o, "%s%s dst port %u", n++ == 0 ? "(" : " or ",
			    p->proto == SK_PROTO_TCP ? "tcp" : "udp",
			    (unsigned)p->port);
		}
	}
	emit(&o, "%s%s", n > 0 ? ") or " : "", BPF_IP6_EXT);
	if (with_vlan)
		emit(&o, " or %s", BPF_VLAN);
	return o.ok;
}
