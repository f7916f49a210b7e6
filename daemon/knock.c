/*
 * knock.c: the knock path in two halves that share nothing but a
 * struct cand.  The packet half decodes a frame, drops what no client
 * sends, tracks sequences and makes candidates; the decision half takes
 * a candidate through the limits, the token, the replay cache and the
 * door policy, and opens.  (They are the capture child and the parent
 * of DESIGN.md's privilege separation.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "daemon.h"
#include "doormac.h"
#include "knock.h"
#include "parse.h"
#include "pmsg.h"
#include "policy.h"
#include "rate.h"
#include "replay.h"
#include "token.h"

/* The door policy's reasons (REJ_EXPIRED...) are worded in policy.c. */
static const char *const rej_names[REJ_MAX] = {
	[REJ_LENGTH] = "payload is not 88 bytes",
	[REJ_RATE_SOURCE] = "rate limited (verify_per_source and verify_global)",
	[REJ_RATE_GLOBAL] = "rate limited (verify_global)",
	[REJ_MAC] = "bad MAC: no client key of this door verifies it",
	[REJ_VERSION] = "unknown token version",
	[REJ_RESERVED] = "flags or reserved bytes not zero",
	[REJ_STALE] = "timestamp older than the window (client clock?)",
	[REJ_FUTURE] = "timestamp newer than the window (client clock?)",
	[REJ_LOST_CACHE] = ("timestamp before the start, and the replay "
	    "cache was not readable at the start"),
	[REJ_REPLAY] = "replayed token",
	[REJ_REPLAY_FULL] = "replay cache full",
	[REJ_STORE] = "replay cache not written to disk",
	[REJ_OPENS_FULL] = "too many doors open (per door)",
};

/*
 * knock_decision(d, open, e): the one stdout line per decision; with
 * syslog (no stderr to read beside stdout) the log gets it too, limited
 * to log_rate lines a second (anyone can cause an unsigned door's).
 */
void
knock_decision(struct daemon *d, bool open, const struct open_ent *e)
{
	char txt[ADDR_TXT_LEN], line[256];

	addr_format(&e->addr, txt, sizeof txt);
	if (open)
		snprintf(line, sizeof line, "open door=%s client=%s address=%s "
		    "port=%u/%s timeout=%u", e->door, e->client, txt,
		    (unsigned)e->port, parse_proto_name(e->proto),
		    (unsigned)e->timeout_s);
	else
		snprintf(line, sizeof line, "close door=%s address=%s "
		    "port=%u/%s", e->door, txt, (unsigned)e->port,
		    parse_proto_name(e->proto));
	printf("%s\n", line);
	if (!d->log.to_stderr)
		log_decision(&d->log, "%s", line);
}

/* ---- the decision half: a candidate in, maybe an open door out ---- */

/* Why a candidate opened nothing, and what the log line needs. */
struct verdict {
	enum skd_rej		rej;
	int			client;	/* -1 until a MAC verified */
	enum rate_verdict	rate;
	int			err;	/* errno, for REJ_STORE */
	struct tok_req		req;
	struct pol_out		out;
};

static void
detail(const struct daemon *d, const struct pmsg_cand *c, const struct verdict *v,
    char *buf, size_t len)
{
	const char *who = v->client >= 0 ? d->dc->c.clients[v->client].name :
	    NULL;

	if (v->rej == REJ_LENGTH)
		snprintf(buf, len, ": %u bytes%s", (unsigned)c->payload_len,
		    c->truncated ? " captured of a longer datagram" : "");
	else if (v->rej == REJ_STORE)
		snprintf(buf, len, ": %s", strerror(v->err));
	else if (v->rej == REJ_PORT)
		snprintf(buf, len, ": %u/%s, client %s", (unsigned)v->req.port,
		    parse_proto_name(v->req.proto), who);
	else if (who != NULL)
		snprintf(buf, len, ": client %s", who);
	else
		buf[0] = '\0';
}

/*
 * The one place a candidate is refused: a counter, and a line naming
 * the source, the door and the reason (for fail2ban).  Lines are
 * limited to log_rate a second, and a source past its own verification
 * budget gets none at all, so one source cannot fill the log.
 */
static void
reject(struct daemon *d, const struct conf_door *door, const struct pmsg_cand *c,
    const struct verdict *v)
{
	char txt[ADDR_TXT_LEN], more[128];

	d->cnt.rejected[v->rej]++;
	if (v->rate == RATE_OVER || v->rate == RATE_SOURCE) {
		d->cnt.log_suppressed++;
		return;
	}
	if (!log_limited_ok(&d->log))
		return;		/* counted as suppressed: nothing to format */
	detail(d, c, v, more, sizeof more);
	log_warnx(&d->log, "rejected token from %s door=%s: %s%s",
	    addr_format(&c->src, txt, sizeof txt), door->name,
	    knock_rej_name(v->rej), more);
}

static enum skd_rej
rej_of_tok(enum tok_err e)
{
	switch (e) {
	case TOK_E_VERSION:
		return REJ_VERSION;
	case TOK_E_RESERVED:
		return REJ_RESERVED;
	case TOK_E_STALE:
		return REJ_STALE;
	case TOK_E_FUTURE:
		return REJ_FUTURE;
	default:
		return REJ_MAC;
	}
}

static enum skd_rej
rej_of_pol(enum pol_reason r)
{
	static const enum skd_rej map[POL_MAX] = {
		[POL_OK] = REJ_MAX,
		[POL_EXPIRED] = REJ_EXPIRED,
		[POL_OTHER_ADDRESS] = REJ_OTHER_ADDRESS,
		[POL_BOGUS_ADDRESS] = REJ_BOGUS_ADDRESS,
		[POL_NO_ADDRESS] = REJ_NO_ADDRESS,
		[POL_PROTO] = REJ_PROTO,
		[POL_PORT] = REJ_PORT,
		[POL_SEQUENCE] = REJ_SEQUENCE,
	};

	return map[r];
}

const char *
knock_rej_name(enum skd_rej r)
{
	for (int p = POL_OK + 1; p < POL_MAX; p++)
		if (rej_of_pol((enum pol_reason)p) == r)
			return pol_strerror((enum pol_reason)p);
	return rej_names[r];
}

/*
 * Step 5: a nonce not seen, then recorded in memory and on disk, kept
 * for REPLAY_KEEP_S.  It is recorded before the policy looks at the
 * token, so a token that opens nothing (no steps, wrong port) is spent
 * all the same and cannot be replayed from elsewhere.
 */
static enum skd_rej
replay_check(struct daemon *d, const uint8_t *nonce, int64_t ts, int *err)
{
	if (d->clk.now_s != d->replay_expired_s) {
		replay_expire(d->replay, d->clk.now_s);
		d->replay_expired_s = d->clk.now_s;
	}
	if (rstore_refused(&d->store, ts))
		return REJ_LOST_CACHE;
	if (replay_seen(d->replay, nonce))
		return REJ_REPLAY;
	if (!replay_add(d->replay, nonce, ts))
		return REJ_REPLAY_FULL;
	if (!rstore_record(&d->store, nonce, ts)) {
		*err = errno;
		log_limited(&d->log, "%s/replay: cannot record a nonce: %s; "
		    "its door stays shut", d->store.dir, strerror(*err));
		return REJ_STORE;
	}
	d->tm.recorded_us = timing_now_us();
	return REJ_MAX;
}

/* The client's `expires` (unix seconds, 0 = never): the policy's input. */
static int64_t
client_expires(const struct daemon *d, int client)
{
	return d->dc->c.clients[client].expires_s;
}

/*
 * DESIGN.md's verification of a signed door's candidate, in its order:
 * length, limits, MAC, decrypt and window, replay, then the policy.
 * true with ${v->out} set when the door opens; else ${v->rej} says why.
 */
static bool
verify(struct daemon *d, const struct conf_door *door, const struct pmsg_cand *c,
    struct verdict *v)
{
	struct pol_in in = { .src = c->src, .now_s = d->clk.now_s,
	    .steps_done = c->complete };
	const struct pol_door pd = { door->open, door->n_open,
	    door->allow_other_address, door->require_source_address };
	const struct sk_key *key = NULL;
	enum tok_err te;

	v->rej = REJ_LENGTH;
	if (c->payload_len != TOK_WIRE_LEN || c->truncated)
		return false;
	/* The global budget pays for every key a token may be tried with. */
	v->rate = rate_take_cost(d->rate, &c->src, d->clk.now_ms,
	    rate_cost(doormac_keys(d->dc->macs, c->door)));
	if (!rate_allowed(v->rate)) {
		v->rej = v->rate == RATE_SOURCE ? REJ_RATE_SOURCE :
		    REJ_RATE_GLOBAL;
		return false;
	}
	v->rej = REJ_MAC;
	/* Step 2: the first key of the door that verifies names the client. */
	if ((v->client = doormac_find(d->dc->macs, c->door, c->payload,
	    c->payload_len, &key)) < 0)
		return false;
	d->cnt.tokens_verified++;
	te = tok_open(c->payload, c->payload_len, key, d->clk.now_s,
	    d->dc->c.window_s, &v->req);
	if (te != TOK_OK) {
		v->rej = rej_of_tok(te);
		return false;
	}
	d->tm.verified_us = timing_now_us();
	v->rej = replay_check(d, c->payload + TOK_NONCE_OFF, v->req.timestamp,
	    &v->err);
	if (v->rej != REJ_MAX)
		return false;
	in.req = v->req;
	in.expires_s = client_expires(d, v->client);
	v->rej = rej_of_pol(pol_decide(&pd, &in, &v->out));
	return v->rej == REJ_MAX;
}

/* A hook run for an open or close; a dry run (-n) only prints. */
static void
run_hook(struct daemon *d, enum hook_action act, const struct open_ent *e)
{
	if (!d->o.dry_run)
		hook_queue(&d->hooks, act, e);
}

/*
 * Open (or keep open) one entry; false if this door has too many open.
 * A repeated open moves the close and runs the hook at most once a
 * second, so repeats cannot queue hook runs faster than that.
 */
static bool
open_one(struct daemon *d, const struct conf_door *door, const char *client,
    const struct sk_addr *addr, struct sk_port port)
{
	struct open_ent e;
	enum opens_res r;

	memset(&e, 0, sizeof e);
	snprintf(e.door, sizeof e.door, "%s", door->name);
	snprintf(e.client, sizeof e.client, "%s", client);
	e.addr = *addr;
	e.port = port.port;
	e.proto = port.proto;
	e.timeout_s = door->timeout_s;
	e.close_ms = d->clk.now_ms + (uint64_t)door->timeout_s * 1000;
	e.tm = d->tm;
	r = opens_add(&d->opens, &e, d->clk.now_ms);
	if (r == OPENS_FULL || r == OPENS_NOMEM)
		return false;
	d->cnt.opens++;
	knock_decision(d, true, &e);
	if (r != OPENS_QUIET)
		run_hook(d, HOOK_OPEN, &e);
	return true;
}

/*
 * Sources and destinations no client knocks from or to, which only the
 * decision half can tell (it knows this host's addresses): this host's
 * own address as the source, and on a live capture a destination that
 * is not one of its own (a router or bridge sees others' traffic).
 */
static bool
foreign(struct daemon *d, const struct pmsg_cand *c)
{
	bool live = !d->clk.offline;
	char txt[ADDR_TXT_LEN];

	if (dst_foreign(&d->local, live, addr_is_v4(&c->src) ? 4 : 6,
	    &c->dst)) {
		d->cnt.foreign_dest++;
		return true;
	}
	if (src_forged(&d->local, live, &c->src, &c->dst)) {
		d->cnt.forged_source++;
		log_limited(&d->log, "knock from %s door=%s ignored: the "
		    "source is this host's own address (forged)",
		    addr_format(&c->src, txt, sizeof txt),
		    d->dc->c.doors[c->door].name);
		return true;
	}
	return false;
}

/*
 * knock_candidate(d, c): the decision half, for a candidate whose door
 * index the caller has checked against the doors in force: foreign
 * packets, then (signed) limits, verification, replay, policy, and the
 * open.  Reads only ${c} and the parent's own state; true when a door
 * opened, so the packet half can end the source's attempt.
 */
bool
knock_candidate(struct daemon *d, const struct pmsg_cand *c)
{
	struct verdict v = { .rej = REJ_MAX, .client = -1, .rate = RATE_OK };
	const struct conf_door *door;
	bool opened = true;

	if (c->door >= d->dc->c.n_doors || foreign(d, c))
		return false;
	door = &d->dc->c.doors[c->door];
	if (!door->is_signed) {
		for (size_t i = 0; i < door->n_open && opened; i++)
			opened = open_one(d, door, "-", &c->src, door->open[i]);
	} else if (!verify(d, door, c, &v)) {
		reject(d, door, c, &v);
		return false;
	} else {
		opened = open_one(d, door, d->dc->c.clients[v.client].name,
		    &v.out.addr, v.out.port);
	}
	if (!opened) {
		v.rej = REJ_OPENS_FULL;
		reject(d, door, c, &v);
	}
	return opened;
}

/* ---- the packet half: a frame in, candidates out ---- */

/*
 * Dropped before sequence matching: sources no client has (bogus, and
 * IPv6 packets from v4-mapped sources, never on the wire, counted with
 * them).  The checks that need this host's addresses are the decision
 * half's (foreign), as the capture child cannot read them.
 */
static bool
dropped(struct daemon *d, const struct pkt_view *v)
{
	if (src_bogus(&v->src) || (v->family == 6 && addr_is_v4(&v->src))) {
		d->cnt.bogus_source++;
		return true;
	}
	return false;
}

/* The candidate: all the decision half sees of the packet. */
static void
make_cand(const struct pkt_view *v, size_t door, bool steps_done,
    struct pmsg_cand *c)
{
	size_t n = v->payload_len < PMSG_PAYLOAD_MAX ? v->payload_len :
	    PMSG_PAYLOAD_MAX;

	memset(c, 0, sizeof *c);
	c->src = v->src;
	c->dst = v->dst;
	c->door = (uint8_t)door;
	c->complete = steps_done;
	c->truncated = v->truncated;
	c->payload_len = v->payload_len > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)v->payload_len;
	if (n > 0)
		memcpy(c->payload, v->payload, n);
}

static bool
door_has_step(const struct conf_door *door, uint16_t port, uint8_t proto)
{
	for (size_t i = 0; i < door->n_steps; i++)
		if (door->steps[i].port == port && door->steps[i].proto == proto)
			return true;
	return false;
}

/* One door's sequence, and the candidate it makes, if any. */
static void
feed_door(struct daemon *d, size_t i, const struct pkt_view *v,
    knock_emit_fn *emit, void *ctx)
{
	const struct conf_door *door = &d->dc->c.doors[i];
	const struct seq_door *sd = &d->dc->seq[i];
	enum seq_event ev;
	struct pmsg_cand c;

	ev = seq_feed(d->seq, (uint16_t)i, sd, &v->src, v->dport, v->proto,
	    v->tcp_flags, d->clk.now_ms);
	d->cnt.seq_ev[ev]++;
	/* A signed door verifies every last-step datagram, steps or not. */
	if (door->is_signed ? !seq_is_last(sd, v->dport, v->proto) :
	    ev != SEQ_COMPLETE)
		return;
	make_cand(v, i, ev == SEQ_COMPLETE, &c);
	if (emit(ctx, &c) && door->is_signed)
		knock_forget(d, i, &v->src);
}

/* A frame worth decoding: to one of the doors' steps, or unusual. */
static void __attribute__((noinline))
decode_frame(struct daemon *d, const uint8_t *frame, size_t caplen, int dlt,
    knock_emit_fn *emit, void *ctx)
{
	struct pkt_view v;
	enum pkt_err pe;

	pe = pkt_parse_steps(frame, caplen, dlt, &d->dc->stepmap, &v);
	if (pe == PKT_SKIP)
		return;
	if (pe != PKT_OK) {
		d->cnt.decode_err[pe]++;
		log_debug(&d->log, "packet dropped: %s", pkt_strerror(pe));
		return;
	}
	if (dropped(d, &v))
		return;
	for (size_t i = 0; i < d->dc->c.n_doors; i++)
		if (door_has_step(&d->dc->c.doors[i], v.dport, v.proto))
			feed_door(d, i, &v, emit, ctx);
}

/*
 * knock_frame(d, frame, caplen, dlt, emit, ctx): the packet half.
 * Decode one captured frame, drop what no client sends, and feed it to
 * every door that has its (port, proto) as a step, at the knock clock
 * d->clk; each candidate goes to ${emit}.  It reads the doors, never a
 * key.  Most frames are to no step (noise, a -r file): they cost a
 * glance at their port (pkt_skip); addresses are read only for frames
 * to a step.
 */
void
knock_frame(struct daemon *d, const uint8_t *frame, size_t caplen, int dlt,
    knock_emit_fn *emit, void *ctx)
{
	d->cnt.packets++;
	if (!pkt_skip(frame, caplen, dlt, &d->dc->stepmap))
		decode_frame(d, frame, caplen, dlt, emit, ctx);
}

/* knock_forget(d, door, src): a door opened: the attempt is over. */
void
knock_forget(struct daemon *d, size_t door, const struct sk_addr *src)
{
	seq_forget(d->seq, (uint16_t)door, src);
}

/* knock_fire_closes(d): every close due at the knock clock, in order. */
void
knock_fire_closes(struct daemon *d)
{
	struct open_ent e;

	while (opens_pop_due(&d->opens, d->clk.now_ms, &e)) {
		d->cnt.closes++;
		knock_decision(d, false, &e);
		run_hook(d, HOOK_CLOSE, &e);
	}
}
