/* knock.c: one packet through sequence matching and token verification. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"
#include "rate.h"
#include "replay.h"
#include "daemon.h"
#include "knock.h"
#include "token.h"

static const char *const rej_names[REJ_MAX] = {
	[REJ_LENGTH] = "payload is not 88 bytes",
	[REJ_RATE_SOURCE] = "rate limited (verify_per_source)",
	[REJ_RATE_GLOBAL] = "rate limited (verify_global)",
	[REJ_MAC] = "bad MAC: no client key of this door verifies it",
	[REJ_VERSION] = "unknown token version",
	[REJ_RESERVED] = "flags or reserved bytes not zero",
	[REJ_STALE] = "timestamp older than the window (client clock?)",
	[REJ_FUTURE] = "timestamp newer than the window (client clock?)",
	[REJ_REPLAY] = "replayed token",
	[REJ_REPLAY_FULL] = "replay cache full",
	[REJ_STORE] = "replay cache not written to disk",
	[REJ_OTHER_ADDRESS] = ("signed address differs from the source "
	    "(allow_other_address = no)"),
	[REJ_BOGUS_ADDRESS] = ("signed address is unspecified, loopback, "
	    "multicast or broadcast"),
	[REJ_NO_ADDRESS] = "no signed address (require_source_address = yes)",
	[REJ_PROTO] = "protocol is neither tcp nor udp",
	[REJ_PORT] = "port not in the door's open list",
	[REJ_OPENS_FULL] = "too many doors open",
};

const char *
knock_rej_name(enum skd_rej r)
{
	return rej_names[r];
}

/*
 * knock_decision(d, open, e): the one stdout line per decision; with
 * syslog (no stderr to read beside stdout) the log gets it too.
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
		log_info(&d->log, "%s", line);
}

static void
reject(struct daemon *d, const struct conf_door *door,
    const struct sk_addr *src, enum skd_rej r, const char *detail)
{
	char txt[ADDR_TXT_LEN];

	d->cnt.rejected[r]++;
	addr_format(src, txt, sizeof txt);
	log_limited(&d->log, "rejected token from %s door=%s: %s%s%s", txt,
	    door->name, rej_names[r], detail ? ": " : "", detail ? detail : "");
}

/* A hook run for an open or close; a dry run (-n) only prints. */
static void
run_hook(struct daemon *d, enum hook_action act, const struct open_ent *e)
{
	if (!d->o.dry_run)
		hook_queue(&d->hooks, act, e);
}

static void
open_door(struct daemon *d, const struct conf_door *door, const char *client,
    const struct sk_addr *addr, uint16_t port, uint8_t proto,
    const struct sk_addr *src)
{
	struct open_ent e;

	memset(&e, 0, sizeof e);
	snprintf(e.door, sizeof e.door, "%s", door->name);
	snprintf(e.client, sizeof e.client, "%s", client);
	e.addr = *addr;
	e.port = port;
	e.proto = proto;
	e.timeout_s = door->timeout_s;
	e.close_ms = d->clk.now_ms + (uint64_t)door->timeout_s * 1000;
	if (opens_add(&d->opens, &e) == NULL) {
		reject(d, door, src, REJ_OPENS_FULL, NULL);
		return;
	}
	d->cnt.opens++;
	knock_decision(d, true, &e);
	run_hook(d, HOOK_OPEN, &e);
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

/* Step 3: the first client key of the door whose MAC verifies, or -1. */
static int
find_client(const struct daemon *d, const struct conf_door *door,
    const struct pkt_view *v)
{
	for (size_t i = 0; i < door->n_clients; i++) {
		const struct sk_key *k = d->dc->keys[door->clients[i]];

		if (k != NULL && tok_check_mac(v->payload, v->payload_len, k,
		    door->name) == TOK_OK)
			return door->clients[i];
	}
	return -1;
}

/* Steps 6 and its record: fresh nonce, remembered in memory and on disk. */
static bool
replay_check(struct daemon *d, const struct conf_door *door,
    const struct pkt_view *v, int64_t ts)
{
	const uint8_t *nonce = v->payload + TOK_NONCE_OFF;

	if (d->clk.now_s != d->replay_expired_s) {
		replay_expire(d->replay, d->clk.now_s, d->dc->c.window_s);
		d->replay_expired_s = d->clk.now_s;
	}
	if (replay_seen(d->replay, nonce)) {
		reject(d, door, &v->src, REJ_REPLAY, NULL);
		return false;
	}
	if (!replay_add(d->replay, nonce, ts)) {
		reject(d, door, &v->src, REJ_REPLAY_FULL, NULL);
		return false;
	}
	if (!rstore_record(&d->store, nonce, ts)) {
		reject(d, door, &v->src, REJ_STORE, strerror(errno));
		log_err(&d->log, "%s/replay: cannot record a nonce; door %s "
		    "stays shut", d->store.dir, door->name);
		return false;
	}
	return true;
}

/* Step 8: the (port, proto) to open, or false. */
static bool
pick_port(const struct conf_door *door, const struct tok_req *req,
    struct sk_port *out)
{
	if (req->port == 0) {
		out->port = door->open[0].port;
		out->proto = req->proto;
		return true;
	}
	for (size_t i = 0; i < door->n_open; i++)
		if (door->open[i].port == req->port &&
		    door->open[i].proto == req->proto) {
			*out = door->open[i];
			return true;
		}
	return false;
}

/* DESIGN.md's verification, steps 2 to 8, for a completed signed door. */
static void
verify(struct daemon *d, const struct conf_door *door,
    const struct pkt_view *v)
{
	const struct sk_addr *addr = &v->src;
	struct tok_req req;
	struct sk_port want;
	enum tok_err te;
	int client;

	if (v->payload_len != TOK_WIRE_LEN || v->truncated) {
		char detail[48];

		snprintf(detail, sizeof detail, "%zu bytes%s", v->payload_len,
		    v->truncated ? " captured of a longer datagram" : "");
		reject(d, door, &v->src, REJ_LENGTH, detail);
		return;
	}
	switch (rate_take(d->rate, &v->src, d->clk.now_ms)) {
	case RATE_SOURCE:
		reject(d, door, &v->src, REJ_RATE_SOURCE, NULL);
		return;
	case RATE_GLOBAL:
		reject(d, door, &v->src, REJ_RATE_GLOBAL, NULL);
		return;
	case RATE_OK:
		break;
	}
	client = find_client(d, door, v);
	if (client < 0) {
		reject(d, door, &v->src, REJ_MAC, NULL);
		return;
	}
	d->cnt.tokens_verified++;
	te = tok_open(v->payload, v->payload_len, d->dc->keys[client],
	    d->clk.now_s, d->dc->c.window_s, &req);
	if (te != TOK_OK) {
		reject(d, door, &v->src, rej_of_tok(te),
		    d->dc->c.clients[client].name);
		return;
	}
	if (!replay_check(d, door, v, req.timestamp))
		return;
	if (!addr_is_zero(&req.allow)) {
		if (!addr_eq(&req.allow, &v->src) &&
		    !door->allow_other_address) {
			reject(d, door, &v->src, REJ_OTHER_ADDRESS, NULL);
			return;
		}
		if (src_bogus(&req.allow)) {
			reject(d, door, &v->src, REJ_BOGUS_ADDRESS, NULL);
			return;
		}
		addr = &req.allow;
	} else if (door->require_source_address) {
		reject(d, door, &v->src, REJ_NO_ADDRESS, NULL);
		return;
	}
	if (req.proto != SK_PROTO_TCP && req.proto != SK_PROTO_UDP) {
		reject(d, door, &v->src, REJ_PROTO, NULL);
		return;
	}
	if (!pick_port(door, &req, &want)) {
		char detail[32];

		snprintf(detail, sizeof detail, "%u/%s", (unsigned)req.port,
		    parse_proto_name(req.proto));
		reject(d, door, &v->src, REJ_PORT, detail);
		return;
	}
	open_door(d, door, d->dc->c.clients[client].name, addr, want.port,
	    want.proto, &v->src);
}

static void
complete(struct daemon *d, const struct conf_door *door,
    const struct pkt_view *v)
{
	if (src_forged(&d->local, !d->clk.offline, &v->src, &v->dst)) {
		char txt[ADDR_TXT_LEN];

		d->cnt.forged_source++;
		log_limited(&d->log, "knock from %s door=%s ignored: the source "
		    "is this host's own address (forged)",
		    addr_format(&v->src, txt, sizeof txt), door->name);
		return;
	}
	if (door->is_signed) {
		verify(d, door, v);
		return;
	}
	for (size_t i = 0; i < door->n_open; i++)
		open_door(d, door, "-", &v->src, door->open[i].port,
		    door->open[i].proto, &v->src);
}

static bool
door_has_step(const struct conf_door *door, uint16_t port, uint8_t proto)
{
	for (size_t i = 0; i < door->n_steps; i++)
		if (door->steps[i].port == port && door->steps[i].proto == proto)
			return true;
	return false;
}

/* The candidate of a completed attempt: all the decision half sees. */
static void
emit_cand(const struct pkt_view *v, size_t door, knock_emit_fn *emit,
    void *ctx)
{
	struct pmsg_cand c;
	size_t n = v->payload_len < PMSG_PAYLOAD_MAX ? v->payload_len :
	    PMSG_PAYLOAD_MAX;

	memset(&c, 0, sizeof c);
	c.src = v->src;
	c.dst = v->dst;
	c.door = (uint8_t)door;
	c.complete = true;
	c.truncated = v->truncated;
	c.payload_len = v->payload_len > UINT16_MAX ? UINT16_MAX :
	    (uint16_t)v->payload_len;
	memcpy(c.payload, v->payload, n);
	emit(ctx, &c);
}

/*
 * knock_frame(d, frame, caplen, dlt, emit, ctx): the packet half.
 * Decode one captured frame and feed it to every door that has its
 * (port, proto) as a step, at the knock clock d->clk; each completed
 * attempt goes to ${emit} as a candidate.  Bad frames are counted and
 * dropped.  It reads the doors, never a key.
 */
void
knock_frame(struct daemon *d, const uint8_t *frame, size_t caplen, int dlt,
    knock_emit_fn *emit, void *ctx)
{
	const struct conf *c = &d->dc->c;
	struct pkt_view v;
	enum pkt_err pe;

	d->cnt.packets++;
	pe = pkt_parse(frame, caplen, dlt, &v);
	if (pe != PKT_OK) {
		d->cnt.decode_err[pe]++;
		log_debug(&d->log, "packet dropped: %s", pkt_strerror(pe));
		return;
	}
	if (!dconf_has_step(d->dc, v.dport, v.proto))
		return;
	if (src_bogus(&v.src)) {
		d->cnt.bogus_source++;
		return;
	}
	for (size_t i = 0; i < c->n_doors; i++) {
		enum seq_event ev;

		if (!door_has_step(&c->doors[i], v.dport, v.proto))
			continue;
		ev = seq_feed(d->seq, (uint16_t)i, &d->dc->seq[i], &v.src,
		    v.dport, v.proto, v.tcp_flags, d->clk.now_ms);
		d->cnt.seq_ev[ev]++;
		if (ev == SEQ_COMPLETE)
			emit_cand(&v, i, emit, ctx);
	}
}

/*
 * knock_candidate(d, c): the decision half, for a candidate whose door
 * index the caller has checked against the doors in force: forged
 * sources, limits, verification, replay, policy, open.
 */
void
knock_candidate(struct daemon *d, const struct pmsg_cand *c)
{
	struct pkt_view v;

	memset(&v, 0, sizeof v);
	v.src = c->src;
	v.dst = c->dst;
	v.proto = SK_PROTO_UDP;
	v.payload = c->payload;	/* read only when payload_len is 88 */
	v.payload_len = c->payload_len;
	v.truncated = c->truncated;
	complete(d, &d->dc->c.doors[c->door], &v);
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
