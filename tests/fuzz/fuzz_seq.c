/*
 * fuzz_seq: the input is a table size and a stream of packets, 5 bytes
 * each: (source, door and step selector, TCP flags, time step, noise
 * port).  seq_feed must keep DESIGN.md's rules whatever the stream:
 *  - the table never holds more than its capacity;
 *  - a packet that is not a step, or a TCP step that is not a bare SYN,
 *    is ignored;
 *  - ADVANCED only on a step before the last, COMPLETE only on the last
 *    step, and only if the same source sent the earlier steps in order
 *    within seq_timeout (no door opens on a partial or stale sequence);
 *  - a one-step door completes on every matching packet;
 *  - a signed door never resets, and a clean knock on it completes
 *    whatever was spoofed in its source's name between the steps;
 *  - after all that, a fresh source knocking cleanly (with duplicated
 *    steps) still completes: a full table never locks anyone out.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "pkt.h"
#include "seq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define EV_LEN	5
#define BAD_TCP	(PKT_TH_ACK | PKT_TH_RST | PKT_TH_FIN)

static const struct sk_port steps0[] = {
	{ 7000, SK_PROTO_TCP }, { 8000, SK_PROTO_UDP }, { 9000, SK_PROTO_UDP }
};
static const struct sk_port steps1[] = { { 5000, SK_PROTO_UDP } };
static const struct sk_port steps2[] = {
	{ 7000, SK_PROTO_TCP }, { 7001, SK_PROTO_TCP }
};
/* Doors 3 and 4 are doors 0 and 2, signed: nothing undoes a step. */
static const struct seq_door doors[] = {
	{ steps0, 3, 10000, false }, { steps1, 1, 10000, false },
	{ steps2, 2, 2000, false }, { steps0, 3, 10000, true },
	{ steps2, 2, 2000, true }
};
#define N_DOORS	(sizeof doors / sizeof doors[0])

/* One packet as fed, kept to check COMPLETE against history. */
struct ev {
	uint8_t		src;
	uint8_t		door;
	int		step;	/* index into the door's steps, or -1 */
	uint64_t	t_ms;
};

static void
make_src(uint8_t b, struct sk_addr *a)
{
	memset(a, 0, sizeof *a);
	if (b & 0x80) {		/* fd00::N */
		a->b[0] = 0xfd;
		a->b[15] = (uint8_t)(b & 0x3f);
	} else {		/* 10.0.0.N */
		uint8_t v4[4] = { 10, 0, 0, (uint8_t)(b & 0x3f) };

		addr_from_v4(v4, a);
	}
}

static int
step_index(const struct seq_door *d, uint16_t port, uint8_t proto)
{
	for (size_t i = 0; i < d->n_steps; i++)
		if (d->steps[i].port == port && d->steps[i].proto == proto)
			return (int)i;
	return -1;
}

/* Did ${e}'s source send steps 0..n-2 in order within the timeout? */
static int
history_allows(const struct ev *log, size_t n_log, const struct ev *e)
{
	const struct seq_door *d = &doors[e->door];
	int want = (int)d->n_steps - 2;

	for (size_t i = n_log; i-- > 0 && want >= 0;) {
		const struct ev *p = &log[i];

		if (p->t_ms + d->seq_timeout_ms < e->t_ms)
			break;
		if (p->src == e->src && p->door == e->door && p->step == want)
			want--;
	}
	return want < 0;
}

static void
check_event(struct seq_table *t, size_t cap, const struct ev *log,
    size_t n_log, const struct ev *e, int bare, enum seq_event got)
{
	const struct seq_door *d = &doors[e->door];
	struct seq_stats st;

	seq_get_stats(t, &st);
	FUZZ_ASSERT(st.entries <= cap);
	if (e->step < 0 || !bare) {
		FUZZ_ASSERT(got == SEQ_IGNORED);
		return;
	}
	if (got == SEQ_ADVANCED)
		FUZZ_ASSERT(e->step < (int)d->n_steps - 1);
	if (got == SEQ_COMPLETE) {
		FUZZ_ASSERT(e->step == (int)d->n_steps - 1);
		FUZZ_ASSERT(history_allows(log, n_log, e));
	}
	if (d->n_steps == 1)
		FUZZ_ASSERT(got == SEQ_COMPLETE);
	if (d->is_signed)
		FUZZ_ASSERT(got != SEQ_RESET);
}

/* feed_step(t, di, a, k, now_ms): step ${k} of door ${di} from ${a}. */
static enum seq_event
feed_step(struct seq_table *t, uint16_t di, const struct sk_addr *a,
    size_t k, uint64_t now_ms)
{
	const struct sk_port *s = &doors[di].steps[k];

	return seq_feed(t, di, &doors[di], a, s->port, s->proto,
	    s->proto == SK_PROTO_TCP ? PKT_TH_SYN : 0, now_ms);
}

/*
 * A fresh source knocks signed door 3; after each step, a spoofed copy
 * of every other step in its name (step 1 again, the last step's
 * datagram): the knock still completes, and stays complete for the
 * next token.
 */
static void
check_fresh_signed(struct seq_table *t, uint64_t now_ms)
{
	static const uint8_t v4[4] = { 192, 0, 2, 2 };
	const struct seq_door *d = &doors[3];
	struct sk_addr a;

	addr_from_v4(v4, &a);
	for (size_t i = 0; i < d->n_steps; i++) {
		FUZZ_ASSERT(feed_step(t, 3, &a, i, now_ms + i) ==
		    (i + 1 == d->n_steps ? SEQ_COMPLETE : SEQ_ADVANCED));
		for (size_t k = 0; k < d->n_steps; k++)
			if (k != i + 1)	/* the next step would only help */
				(void)feed_step(t, 3, &a, k, now_ms + i);
	}
	FUZZ_ASSERT(seq_feed(t, 3, d, &a, d->steps[2].port,
	    d->steps[2].proto, 0, now_ms + 3) == SEQ_COMPLETE);
}

/* A fresh source knocks door 0 cleanly, each step sent twice. */
static void
check_fresh_knock(struct seq_table *t, uint64_t now_ms)
{
	static const uint8_t v4[4] = { 192, 0, 2, 1 };
	struct sk_addr a;

	addr_from_v4(v4, &a);
	for (size_t i = 0; i < doors[0].n_steps; i++) {
		enum seq_event e = feed_step(t, 0, &a, i, now_ms + i);

		if (i + 1 == doors[0].n_steps) {
			FUZZ_ASSERT(e == SEQ_COMPLETE);
			break;
		}
		FUZZ_ASSERT(e == SEQ_ADVANCED);
		FUZZ_ASSERT(feed_step(t, 0, &a, i, now_ms + i) == SEQ_IGNORED);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, n_ev, n_log = 0;
	struct seq_table *t;
	struct ev *log;
	uint64_t now = 1000;

	if (size < 1)
		return 0;
	cap = 1 + data[0] % 16;
	n_ev = (size - 1) / EV_LEN;
	t = seq_new(cap);
	log = malloc((n_ev + 1) * sizeof *log);
	if (t == NULL || log == NULL)
		abort();
	for (size_t i = 0; i < n_ev; i++) {
		const uint8_t *b = data + 1 + i * EV_LEN;
		/* Bit 6 of the source byte is unused: clear it. */
		struct ev e = { .src = (uint8_t)(b[0] & 0xbf),
		    .door = (uint8_t)(b[1] % N_DOORS) };
		const struct seq_door *d = &doors[e.door];
		size_t sel = (size_t)(b[1] / N_DOORS) % (d->n_steps + 2);
		struct sk_port p;
		struct sk_addr a;
		uint8_t flags;

		if (sel < d->n_steps)
			p = d->steps[sel];
		else if (sel == d->n_steps)	/* noise near the steps */
			p = (struct sk_port){
			    (uint16_t)(5000 + b[4] * 16 + (b[2] & 0xf)),
			    (b[2] & 0x40) ? SK_PROTO_TCP : SK_PROTO_UDP };
		else				/* a step's port, other protocol */
			p = (struct sk_port){ d->steps[b[4] % d->n_steps].port,
			    d->steps[b[4] % d->n_steps].proto == SK_PROTO_TCP
			    ? SK_PROTO_UDP : SK_PROTO_TCP };
		flags = p.proto == SK_PROTO_TCP ? b[2] : 0;
		now += b[3] < 192 ? b[3] : (uint64_t)(b[3] - 192) * 500;
		e.t_ms = now;
		e.step = step_index(d, p.port, p.proto);
		make_src(e.src, &a);
		int bare = p.proto == SK_PROTO_UDP
		    || ((flags & PKT_TH_SYN) && !(flags & BAD_TCP));
		enum seq_event got = seq_feed(t, e.door, d, &a, p.port,
		    p.proto, flags, now);

		check_event(t, cap, log, n_log, &e, bare, got);
		if (bare)	/* only bare packets can be knocks */
			log[n_log++] = e;
	}
	check_fresh_knock(t, now + 1);
	check_fresh_signed(t, now + 2);
	free(log);
	seq_free(t);
	return 0;
}
