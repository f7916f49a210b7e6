/*
 * pmsg.h: the fixed-size messages between sknockd's parent and its
 * capture child (privilege separation).  Every message is PMSG_LEN bytes,
 * one datagram of a SOCK_SEQPACKET socketpair; the parent decodes each
 * with pmsg_decode() and treats any error as a compromised child.
 */
#ifndef PMSG_H
#define PMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"
#include "sk.h"

#define PMSG_LEN		160	/* every message, either type */
#define PMSG_PAYLOAD_MAX	88	/* a token; longer payloads are cut */
#define PMSG_TEXT_MAX		128	/* iface message text, incl. its NUL */

/* Wire layout: a 4-byte head (type, three zero bytes), then the body. */
#define PMSG_TYPE_OFF		0
#define PMSG_BODY_OFF		4

enum pmsg_type {
	PMSG_CAND = 1,	/* a knock candidate for the decision half */
	PMSG_BEAT = 2,	/* heartbeat carrying the child's counters */
	PMSG_IFACE = 3,	/* an interface is capturing, or not */
	PMSG_FORGET = 4	/* parent to child: a signed door opened for a
			   source: end its attempt (u.cand's src and door;
			   every other field zero) */
};

/*
 * A candidate: a datagram to a signed door's last step (steps done in
 * time or not), or the last step of an unsigned door.  ${payload_len}
 * is the payload's length as decoded (what was captured if ${truncated});
 * the first min(payload_len, PMSG_PAYLOAD_MAX) bytes are in ${payload}.
 */
struct pmsg_cand {
	struct sk_addr	src;
	struct sk_addr	dst;
	uint8_t		door;		/* index into the doors in force */
	bool		complete;	/* every step, in seq_timeout */
	bool		truncated;	/* the snaplen cut the payload */
	uint16_t	payload_len;
	uint8_t		payload[PMSG_PAYLOAD_MAX];
	/* For sknockd -v's timing line only (any value is accepted): the
	 * last step's capture timestamp and when the child decoded it,
	 * CLOCK_REALTIME microseconds. */
	uint64_t	wire_us;
	uint64_t	seen_us;
};

/* The child's counters, totals since it started (see struct counters). */
#define PMSG_DECODE_ERRS	9	/* enum pkt_err values, PKT_OK first */
#define PMSG_SEQ_EVS		4	/* enum seq_event values */
struct pmsg_beat {
	uint64_t	packets;
	uint64_t	decode_err[PMSG_DECODE_ERRS];
	uint64_t	seq_ev[PMSG_SEQ_EVS];
	uint64_t	seq_entries;
	uint64_t	seq_evictions;
	uint64_t	seq_expired;
	uint64_t	bogus_source;
	uint64_t	iface_errors;
};

enum pmsg_if_state { PMSG_IF_UP = 1, PMSG_IF_DOWN = 2 };

/* Interface ${idx} (in the capture list) is up with link type ${dlt}, or
 * down (dlt 0) for the reason in ${text}: printable ASCII. */
struct pmsg_iface {
	uint8_t		idx;
	uint8_t		state;		/* enum pmsg_if_state */
	int32_t		dlt;
	char		text[PMSG_TEXT_MAX];
};

struct pmsg {
	enum pmsg_type	type;
	union {
		struct pmsg_cand	cand;
		struct pmsg_beat	beat;
		struct pmsg_iface	iface;
	} u;
};

enum pmsg_err {
	PMSG_OK,
	PMSG_E_LEN,		/* not exactly PMSG_LEN bytes */
	PMSG_E_TYPE,		/* unknown type */
	PMSG_E_RESERVED,	/* a byte that must be zero is not */
	PMSG_E_RANGE,		/* door, flag, index, state or dlt out of range */
	PMSG_E_TEXT		/* text not NUL-terminated printable ASCII */
};

/*
 * pmsg_encode(m, out): the PMSG_LEN wire bytes of ${m}.  Checks ${m} as
 * pmsg_decode would, so a child never sends what its parent refuses;
 * ${out} is all zero unless PMSG_OK.
 */
enum pmsg_err pmsg_encode(const struct pmsg *m, uint8_t out[static PMSG_LEN]);

/*
 * pmsg_decode(buf, buf_len, out): parse one message.  Only an exact
 * PMSG_LEN, a known type, zero reserved and padding bytes (including the
 * payload beyond its length and the text beyond its NUL), a door below
 * SK_MAX_DOORS, an index below SK_MAX_IFACES and known flag and state
 * values are accepted.  ${out} is zeroed on error.
 */
enum pmsg_err pmsg_decode(const uint8_t *buf, size_t buf_len,
    struct pmsg *out);

/* pmsg_strerror(e): what was wrong, for the parent's log line. */
const char *pmsg_strerror(enum pmsg_err e);

#endif
