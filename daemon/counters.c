/*
 * counters.c: one table of what the daemon counts, with the names both
 * outputs use: the SIGUSR1 log lines (dump key, line) and the metrics
 * file (Prometheus family, help, type, label).
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "counters.h"

enum group { G_PACKETS, G_DECODE, G_SEQ, G_TOKENS, G_REJECTED, G_HOOKS,
    G_N };
static const char *const group_names[G_N] = { "", "decode_errors: ",
    "seq ", "", "rejected by reason: ", "hooks " };

enum src { S_CNT, S_VIEW, S_DECODE, S_SEQ_EV, S_REJ };

struct def {
	enum group		group;
	const char		*dump;		/* key in the log line */
	const char		*family;	/* after "sknock_" */
	enum counter_kind	kind;
	enum src		src;
	size_t			off;		/* S_CNT, S_VIEW: a uint64_t */
	const char		*help;
};

#define CNT(f)	S_CNT, offsetof(struct counters, f)
#define VIEW(f)	S_VIEW, offsetof(struct counters_view, f)

static const struct def defs[] = {
	{ G_PACKETS, "packets", "packets_total", COUNTER_TOTAL, CNT(packets),
	    "Packets captured (any kind, before decoding)." },
	{ G_PACKETS, "bogus_source", "bogus_source_total", COUNTER_TOTAL,
	    CNT(bogus_source), "Packets to a step port from an address no "
	    "host can have, dropped before sequence matching." },
	{ G_PACKETS, "foreign_destination", "foreign_destination_total",
	    COUNTER_TOTAL, CNT(foreign_dest), "Live: packets to a step port "
	    "for another host (a router's or bridge's traffic), dropped." },
	{ G_PACKETS, "forged_source", "forged_source_total", COUNTER_TOTAL,
	    CNT(forged_source), "Completed knocks from one of this host's "
	    "own addresses (forged), ignored." },
	{ G_PACKETS, "interface_errors", "interface_errors_total",
	    COUNTER_TOTAL, CNT(iface_errors), "Capture interfaces that "
	    "failed or went away." },
	{ G_DECODE, NULL, "decode_errors_total", COUNTER_TOTAL, S_DECODE, 0,
	    "Packets dropped by the decoder, by error." },
	{ G_SEQ, NULL, "sequence_events_total", COUNTER_TOTAL, S_SEQ_EV, 0,
	    "Packets to a step port, by what they did to a knock sequence." },
	{ G_SEQ, "sources", "sequence_sources", COUNTER_GAUGE,
	    VIEW(seq.entries), "Knock sequences (source and door) tracked "
	    "now." },
	{ G_SEQ, "evictions", "sequence_evictions_total", COUNTER_TOTAL,
	    VIEW(seq.evictions), "Sequences dropped because the table "
	    "(max_sources) was full." },
	{ G_SEQ, "expired", "sequence_expired_total", COUNTER_TOTAL,
	    VIEW(seq.expired), "Sequences that ran out of seq_timeout." },
	{ G_TOKENS, "tokens_verified", "tokens_verified_total",
	    COUNTER_TOTAL, CNT(tokens_verified), "Tokens whose MAC a client "
	    "key of the door verified." },
	{ G_TOKENS, "opens", "opens_total", COUNTER_TOTAL, CNT(opens),
	    "Doors opened (a repeated open counts again)." },
	{ G_TOKENS, "closes", "closes_total", COUNTER_TOTAL, CNT(closes),
	    "Doors closed after their timeout." },
	{ G_TOKENS, "open_now", "doors_open", COUNTER_GAUGE, VIEW(open_now),
	    "Doors open now (address, door and port)." },
	{ G_TOKENS, "replay_cache", "replay_cache_entries", COUNTER_GAUGE,
	    VIEW(replay_cache), "Nonces in the replay cache." },
	{ G_REJECTED, NULL, "tokens_rejected_total", COUNTER_TOTAL, S_REJ, 0,
	    "Completed knocks that opened nothing, by reason." },
	{ G_HOOKS, "run", "hooks_run_total", COUNTER_TOTAL, CNT(hooks_run),
	    "Hook actions run." },
	{ G_HOOKS, "failed", "hooks_failed_total", COUNTER_TOTAL,
	    CNT(hooks_failed), "Hook actions that failed." },
	{ G_HOOKS, "killed", "hooks_killed_total", COUNTER_TOTAL,
	    CNT(hooks_killed), "Hook runs killed at their time limit." },
	{ G_HOOKS, "dropped", "hooks_dropped_total", COUNTER_TOTAL,
	    CNT(hooks_dropped), "Hook actions dropped (queue full, or "
	    "shutdown)." },
	{ G_HOOKS, "running", "hooks_running", COUNTER_GAUGE,
	    VIEW(hooks_running), "Hook runs in progress now." },
	{ G_HOOKS, "queued", "hooks_queued", COUNTER_GAUGE, VIEW(hooks_queued),
	    "Hook actions waiting for a free slot." },
	{ G_HOOKS, "log_suppressed", "log_lines_suppressed_total",
	    COUNTER_TOTAL, CNT(log_suppressed), "Log lines dropped by "
	    "log_rate." },
};

static const char *const decode_labels[PKT_E_BAD_TRANSPORT + 1] = {
	[PKT_E_SHORT] = "short", [PKT_E_LINKTYPE] = "linktype",
	[PKT_E_NOT_IP] = "not_ip", [PKT_E_OUTGOING] = "outgoing",
	[PKT_E_BAD_IP] = "bad_ip", [PKT_E_FRAGMENT] = "fragment",
	[PKT_E_NOT_TRANSPORT] = "not_transport",
	[PKT_E_BAD_TRANSPORT] = "bad_transport",
};

static const char *const seq_labels[SEQ_COMPLETE + 1] = {
	[SEQ_IGNORED] = "ignored", [SEQ_ADVANCED] = "advanced",
	[SEQ_RESET] = "reset", [SEQ_COMPLETE] = "complete",
};

static const char *const rej_labels[REJ_MAX] = {
	[REJ_LENGTH] = "length", [REJ_RATE_SOURCE] = "rate_source",
	[REJ_RATE_GLOBAL] = "rate_global", [REJ_MAC] = "mac",
	[REJ_VERSION] = "version", [REJ_RESERVED] = "reserved",
	[REJ_STALE] = "stale", [REJ_FUTURE] = "future",
	[REJ_LOST_CACHE] = "lost_cache",
	[REJ_REPLAY] = "replay", [REJ_REPLAY_FULL] = "replay_full",
	[REJ_STORE] = "store", [REJ_EXPIRED] = "expired",
	[REJ_OTHER_ADDRESS] = "other_address",
	[REJ_BOGUS_ADDRESS] = "bogus_address",
	[REJ_NO_ADDRESS] = "no_address", [REJ_PROTO] = "proto",
	[REJ_PORT] = "port", [REJ_SEQUENCE] = "sequence",
	[REJ_OPENS_FULL] = "opens_full",
};

const char *
counters_rej_label(enum skd_rej r)
{
	return (unsigned)r < REJ_MAX && rej_labels[r] != NULL ?
	    rej_labels[r] : "other";
}

static uint64_t
scalar(const struct counters_view *v, const struct def *d)
{
	const char *base = d->src == S_CNT ? (const char *)v->c :
	    (const char *)v;
	uint64_t x;

	memcpy(&x, base + d->off, sizeof x);
	return x;
}

/* labelled(v, d, s, fn, ctx): one sample per label value of ${d}. */
static void
labelled(const struct counters_view *v, const struct def *d,
    struct counter_sample *s, counters_fn *fn, void *ctx)
{
	const uint64_t *vals = d->src == S_DECODE ? v->c->decode_err :
	    d->src == S_SEQ_EV ? v->c->seq_ev : v->c->rejected;
	size_t from = d->src == S_DECODE ? PKT_E_SHORT : 0;
	size_t n = d->src == S_DECODE ? PKT_E_BAD_TRANSPORT + 1 :
	    d->src == S_SEQ_EV ? SEQ_COMPLETE + 1 : REJ_MAX;

	s->label = d->src == S_DECODE ? "error" : d->src == S_SEQ_EV ?
	    "event" : "reason";
	for (size_t i = from; i < n; i++) {
		s->label_value = d->src == S_DECODE ? decode_labels[i] :
		    d->src == S_SEQ_EV ? seq_labels[i] :
		    counters_rej_label((enum skd_rej)i);
		s->dump = s->label_value;
		s->value = vals[i];
		s->first = i == from;
		fn(ctx, s);
	}
}

void
counters_each(const struct counters_view *v, counters_fn *fn, void *ctx)
{
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
		const struct def *d = &defs[i];
		struct counter_sample s = { .family = d->family,
		    .help = d->help, .kind = d->kind, .group = d->group,
		    .dump = d->dump, .first = true };

		if (d->src == S_CNT || d->src == S_VIEW) {
			s.value = scalar(v, d);
			fn(ctx, &s);
		} else {
			labelled(v, d, &s, fn, ctx);
		}
	}
}

struct lines {
	char	buf[G_N][1024];
	size_t	len[G_N];
};

static void
add_to_line(void *ctx, const struct counter_sample *s)
{
	struct lines *l = ctx;
	size_t *n = &l->len[s->group];

	if (s->group == G_REJECTED && s->value == 0)
		return;
	if (*n < sizeof l->buf[0])
		*n += (size_t)snprintf(l->buf[s->group] + *n,
		    sizeof l->buf[0] - *n, "%s%s=%llu", *n ? " " : "",
		    s->dump, (unsigned long long)s->value);
}

void
counters_log_lines(const struct counters_view *v, counters_line_fn *line_fn,
    void *ctx)
{
	struct lines l;
	char line[sizeof l.buf[0] + 64];

	memset(&l, 0, sizeof l);
	counters_each(v, add_to_line, &l);
	for (int g = 0; g < G_N; g++) {
		snprintf(line, sizeof line, "counters: %s%s", group_names[g],
		    l.len[g] ? l.buf[g] : "none");
		line_fn(ctx, line);
	}
}
