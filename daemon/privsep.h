/*
 * privsep.h: the parent's side of privilege separation: it forks the
 * capture child over a SOCK_SEQPACKET socketpair, decodes each of its
 * fixed-size messages strictly (pmsg.h), watches its heartbeat, and
 * replaces it when it dies, hangs, sends a malformed message, or must
 * reopen an interface that came back (the child holds no capability, so
 * it cannot reopen one itself).  A child that dies in a loop is replaced
 * with a growing delay.  The parent never parses a packet.
 */
#ifndef SKD_PRIVSEP_H
#define SKD_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"
#include "log.h"
#include "pmsg.h"
#include "sk.h"

#define PRIVSEP_BEAT_MS		200	/* the child's heartbeat */
#define PRIVSEP_HUNG_MS		700	/* silence that counts as hung */
#define PRIVSEP_STABLE_MS	10000	/* a child that lived this long was fine */
#define PRIVSEP_BACKOFF_MS	250	/* second quick death; doubles after */
#define PRIVSEP_BACKOFF_MAX_MS	60000
#define PRIVSEP_IF_RETRY_MS	2000	/* look for a missing interface */

/*
 * The child's entry, run in the forked child with the socket ${fd}; it
 * never returns.  The composition root provides it.
 */
typedef void privsep_child_fn(void *ctx, int fd);
/* A decoded candidate from the child, for the composition root; false
 * if it names what does not exist (the child is then replaced). */
typedef bool privsep_msg_fn(void *ctx, const struct pmsg *m);

struct privsep_iface {
	char		name[CONF_IFNAME_MAX];
	bool		up;		/* the child said it captures */
	bool		reported;	/* the child said anything at all */
};

struct privsep {
	pid_t			pid;		/* -1: none running */
	int			fd;		/* our end, or -1 */
	bool			reaped;		/* pid collected: never kill it */
	bool			announced;	/* its "ready" line is logged */
	pid_t			dying;		/* killed, not yet reaped */
	uint64_t		spawned_ms;
	uint64_t		ended_ms;	/* the last child's end, or 0 */
	uint64_t		last_msg_ms;
	uint64_t		respawn_ms;	/* when to fork the next one */
	unsigned		quick_deaths;	/* in a row, each < STABLE_MS */
	uint64_t		if_retry_ms;
	uint64_t		if_backoff_ms;
	struct privsep_iface	ifs[SK_MAX_IFACES];
	size_t			n_ifs;
	struct pmsg_beat	dead;		/* counters of children gone */
	struct pmsg_beat	cur;		/* the running child's counters */
	uint64_t		replaced;	/* children replaced */
	struct sklog		*log;
	privsep_child_fn	*child_fn;
	privsep_msg_fn		*msg_fn;
	void			*ctx;
};

void privsep_init(struct privsep *p, struct sklog *log,
    privsep_child_fn *child_fn, privsep_msg_fn *msg_fn, void *ctx);

/* privsep_set_ifaces(p, names, n): what the child captures on. */
void privsep_set_ifaces(struct privsep *p,
    const char (*names)[CONF_IFNAME_MAX], size_t n);

/* privsep_spawn(p, now_ms): fork a child now; false (logged) on failure,
 * with a retry scheduled. */
bool privsep_spawn(struct privsep *p, uint64_t now_ms);

/* privsep_replace(p, now_ms, why): kill the child, fork a new one now. */
void privsep_replace(struct privsep *p, uint64_t now_ms, const char *why);

/* privsep_read(p, now_ms): take the child's waiting messages (bounded);
 * a malformed one or EOF ends the child. */
void privsep_read(struct privsep *p, uint64_t now_ms);

/* privsep_timers(p, now_ms): heartbeat, respawn and interface retry. */
void privsep_timers(struct privsep *p, uint64_t now_ms);
uint64_t privsep_deadline(const struct privsep *p);

/* privsep_reap(p): collect a dead child's status (on SIGCHLD). */
void privsep_reap(struct privsep *p);

/* privsep_ready(p): the child runs and every interface captures. */
bool privsep_ready(const struct privsep *p);

/* privsep_totals(p, out): every child's counters added up. */
void privsep_totals(const struct privsep *p, struct pmsg_beat *out);

/* privsep_send(p, m): a message to the child (PMSG_FORGET); false if
 * none runs or it is behind. */
bool privsep_send(struct privsep *p, const struct pmsg *m);

/* privsep_stop(p): kill and reap the child (shutdown). */
void privsep_stop(struct privsep *p);

#endif
