/* privsep_wire.c: both halves of a knock, on either side of the socket. */
#include "privsep_wire.h"

#include <string.h>

#include "child.h"
#include "daemon.h"
#include "knock.h"
#include "privsep.h"

/* The child's context: the daemon copy it was forked with, its socket,
 * the capture timestamp of the frame in hand (for the timing line). */
struct child_ctx {
	struct daemon	*d;
	int		sock;
	struct timeval	ts;
};

/* Across the socket the child does not learn whether a door opened. */
static bool
to_parent(void *ctx, const struct pmsg_cand *c)
{
	const struct child_ctx *cc = ctx;
	struct pmsg m;

	memset(&m, 0, sizeof m);
	m.type = PMSG_CAND;
	m.u.cand = *c;
	m.u.cand.wire_us = timing_tv_us(cc->ts.tv_sec, cc->ts.tv_usec);
	m.u.cand.seen_us = timing_now_us();
	child_send(cc->sock, &m);
	return false;
}

static void
child_frame(void *ctx, const struct pcap_pkthdr *h, const uint8_t *frame,
    int dlt)
{
	struct child_ctx *cc = ctx;

	cc->ts = h->ts;
	clock_update(&cc->d->clk);
	knock_frame(cc->d, frame, h->caplen, dlt, to_parent, cc);
}

/* The parent says a door opened: the attempt is over. */
static void
child_forget(void *ctx, const struct pmsg *m)
{
	struct child_ctx *cc = ctx;

	if (m->u.cand.door < cc->d->dc->c.n_doors)
		knock_forget(cc->d, m->u.cand.door, &m->u.cand.src);
}

static void
child_beat(void *ctx, struct pmsg_beat *b)
{
	const struct child_ctx *cc = ctx;
	const struct counters *c = &cc->d->cnt;
	struct seq_stats ss;

	_Static_assert(PMSG_DECODE_ERRS == PKT_E_BAD_TRANSPORT + 1, "errs");
	_Static_assert(PMSG_SEQ_EVS == SEQ_COMPLETE + 1, "seq events");
	seq_get_stats(cc->d->seq, &ss);
	b->packets = c->packets;
	memcpy(b->decode_err, c->decode_err, sizeof b->decode_err);
	memcpy(b->seq_ev, c->seq_ev, sizeof b->seq_ev);
	b->seq_entries = ss.entries;
	b->seq_evictions = ss.evictions;
	b->seq_expired = ss.expired;
	b->bogus_source = c->bogus_source;
	b->iface_errors = c->iface_errors;
}

/*
 * In the forked child: keep the doors, drop every key, forget the
 * parent's counters, log to stderr (it has no syslog socket), and run.
 */
static void
child_main(void *ctx, int fd)
{
	struct daemon *d = ctx;
	struct child_ctx cc = { d, fd, { 0, 0 } };
	struct child_cfg cfg = {
		.sock = fd, .caps = d->caps, .n_caps = d->n_caps,
		.conf = &d->dc->c, .on_frame = child_frame, .ctx = &cc,
		.beat = child_beat, .on_msg = child_forget,
	};

	dconf_drop_keys(d->dc);
	memset(&d->cnt, 0, sizeof d->cnt);
	d->log.to_stderr = true;
	seq_clear(d->seq);
	child_run(&cfg);
}

/* A candidate from the child: checked against the doors in force. */
static bool
from_child(void *ctx, const struct pmsg *m)
{
	struct daemon *d = ctx;

	if (m->u.cand.door >= d->dc->c.n_doors)
		return false;
	clock_update(&d->clk);
	d->tm = (struct open_timing){ .wire_us = m->u.cand.wire_us,
	    .seen_us = m->u.cand.seen_us, .recv_us = timing_now_us() };
	if (knock_candidate(d, &m->u.cand) &&
	    d->dc->c.doors[m->u.cand.door].is_signed) {
		/* The child's copy of the attempt ends as DESIGN.md says. */
		struct pmsg f = { .type = PMSG_FORGET };

		f.u.cand.src = m->u.cand.src;
		f.u.cand.door = m->u.cand.door;
		if (!privsep_send(&d->ps, &f))
			log_debug(&d->log, "capture child behind: an attempt "
			    "lives to its seq_timeout");
	}
	return true;
}

void
wire_start(struct daemon *d)
{
	char names[SK_MAX_IFACES][CONF_IFNAME_MAX];

	for (size_t i = 0; i < d->n_caps; i++)
		memcpy(names[i], d->caps[i].name, CONF_IFNAME_MAX);
	privsep_init(&d->ps, &d->log, child_main, from_child, d);
	privsep_set_ifaces(&d->ps, (const char (*)[CONF_IFNAME_MAX])names,
	    d->n_caps);
	privsep_spawn(&d->ps, mono_ms());
}

/* -r: the candidate crosses the same codec as between the processes. */
static bool
in_process(void *ctx, const struct pmsg_cand *c)
{
	struct daemon *d = ctx;
	uint8_t buf[PMSG_LEN];
	struct pmsg m;
	bool ok;

	memset(&m, 0, sizeof m);
	m.type = PMSG_CAND;
	m.u.cand = *c;
	if (pmsg_encode(&m, buf) != PMSG_OK ||
	    pmsg_decode(buf, sizeof buf, &m) != PMSG_OK ||
	    m.u.cand.door >= d->dc->c.n_doors) {
		log_errx(&d->log, "candidate does not encode; dropped");
		return false;
	}
	/* Packet time is no wall clock: no timing line with -r. */
	memset(&d->tm, 0, sizeof d->tm);
	ok = knock_candidate(d, &m.u.cand);
	d->file_due_ms = opens_deadline(&d->opens);	/* it may have opened */
	return ok;
}

/* A -r packet when a close is due: the closes first, then the packet. */
static void __attribute__((noinline))
file_frame_closes(struct daemon *d, const struct pcap_pkthdr *h,
    const uint8_t *frame, int dlt)
{
	knock_fire_closes(d);
	d->file_due_ms = opens_deadline(&d->opens);
	knock_frame(d, frame, h->caplen, dlt, in_process, d);
}

/*
 * Per packet of a -r file.  The next close is cached in d->file_due_ms,
 * refreshed wherever -r changes the open doors (a candidate, the closes
 * fired here), and both ways out are tail calls: a few instructions for
 * a frame of noise.
 */
void
wire_file_frame(void *ctx, const struct pcap_pkthdr *h, const uint8_t *frame,
    int dlt)
{
	struct daemon *d = ctx;

	clock_packet(&d->clk, h->ts.tv_sec, h->ts.tv_usec);
	if (d->clk.now_ms >= d->file_due_ms)
		file_frame_closes(d, h, frame, dlt);
	else
		knock_frame(d, frame, h->caplen, dlt, in_process, d);
}

void
wire_counters(struct daemon *d)
{
	struct pmsg_beat t;

	if (d->clk.offline)
		return;
	privsep_totals(&d->ps, &t);
	d->cnt.packets = t.packets;
	memcpy(d->cnt.decode_err, t.decode_err, sizeof d->cnt.decode_err);
	memcpy(d->cnt.seq_ev, t.seq_ev, sizeof d->cnt.seq_ev);
	d->cnt.bogus_source = t.bogus_source;
	d->cnt.iface_errors = t.iface_errors;
}

void
wire_reloaded(struct daemon *d, bool ifaces_same, bool child_same)
{
	char names[SK_MAX_IFACES][CONF_IFNAME_MAX];

	if (ifaces_same && child_same)
		return;		/* the child's copy of the doors is right */
	for (size_t i = 0; i < d->n_caps; i++)
		memcpy(names[i], d->caps[i].name, CONF_IFNAME_MAX);
	if (!ifaces_same)
		privsep_set_ifaces(&d->ps,
		    (const char (*)[CONF_IFNAME_MAX])names, d->n_caps);
	privsep_replace(&d->ps, mono_ms(), ifaces_same ? "the doors changed" :
	    "the interfaces changed");
}
