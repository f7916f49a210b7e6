/* sknockd.h: the daemon's shared state, owned by main and passed down. */
#ifndef SKNOCKD_H
#define SKNOCKD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

#include "addr.h"
#include "conf.h"
#include "key.h"
#include "pkt.h"
#include "rate.h"
#include "replay.h"
#include "seq.h"

#define SKD_HOOK_LIMIT_MS	10000	/* DESIGN.md: kill a hook after 10 s */
#define SKD_IFACE_RETRY_MS	2000	/* wait for a missing interface */
#define SKD_SNAPLEN		512
#define SKD_MAX_OPENS		4096	/* doors open at once */
#define SKD_REPLAY_CAP		8192	/* live nonces remembered (valid MACs) */
#define SKD_RATE_CAP		8192	/* sources with a verification bucket */
#define SKD_HOOK_QUEUE		1024	/* hook runs waiting for a slot */
#define SKD_GUARD_MAX		(SK_MAX_DOORS * SK_MAX_OPEN * 10 + 1)
#define SKD_NO_DEADLINE		UINT64_MAX

/* Why a token opened nothing; each has a counter and a log phrase. */
enum skd_rej {
	REJ_LENGTH,
	REJ_RATE_SOURCE,
	REJ_RATE_GLOBAL,
	REJ_MAC,
	REJ_VERSION,
	REJ_RESERVED,
	REJ_STALE,
	REJ_FUTURE,
	REJ_REPLAY,
	REJ_REPLAY_FULL,
	REJ_STORE,
	REJ_OTHER_ADDRESS,
	REJ_BOGUS_ADDRESS,
	REJ_NO_ADDRESS,
	REJ_PROTO,
	REJ_PORT,
	REJ_OPENS_FULL,
	REJ_MAX
};

struct counters {
	uint64_t	packets;
	uint64_t	decode_err[PKT_E_BAD_TRANSPORT + 1];
	uint64_t	seq_ev[SEQ_COMPLETE + 1];
	uint64_t	tokens_verified;	/* a client key's MAC matched */
	uint64_t	rejected[REJ_MAX];
	uint64_t	opens;
	uint64_t	closes;
	uint64_t	hooks_run;
	uint64_t	hooks_failed;
	uint64_t	hooks_killed;
	uint64_t	hooks_dropped;		/* queue full, or shutdown */
	uint64_t	log_suppressed;
	uint64_t	iface_errors;
	uint64_t	bogus_source;	/* dropped before sequence matching */
	uint64_t	forged_source;	/* completed from a local address */
};

/* Logging state (log.c). */
struct sklog {
	bool		to_stderr;	/* "<N>" prefixes; else syslog */
	bool		debug;		/* -v */
	uint32_t	rate;		/* rate-limited lines per second */
	uint64_t	win_s;		/* second of the current window */
	uint32_t	in_win;
	uint64_t	*suppressed;	/* counter to bump */
};

/* The configuration in force: conf plus loaded keys (dconf.c). */
struct dconf {
	struct conf		c;
	struct sk_key		*keys[SK_MAX_CLIENTS];	/* by client index */
	struct seq_door		seq[SK_MAX_DOORS];	/* by door index */
	uint8_t			stepmap[2][65536 / 8];	/* [udp?][port] */
	char			guard[SKD_GUARD_MAX];	/* "tcp/22 udp/53" */
};

/* One capture: an interface, or the -r file. */
struct capture {
	char		name[CONF_IFNAME_MAX];
	pcap_t		*p;
	int		fd;		/* selectable fd, -1 when down */
	int		dlt;
	uint64_t	retry_ms;	/* when to try again if down */
	char		lasterr[PCAP_ERRBUF_SIZE];
	char		*iobuf;		/* -r: stdio buffer of the file */
};

/* An open door awaiting its close (opens.c). */
struct open_ent {
	char		door[SK_NAME_MAX];
	char		client[SK_NAME_MAX];
	struct sk_addr	addr;
	uint16_t	port;
	uint8_t		proto;
	uint32_t	timeout_s;
	uint64_t	close_ms;	/* knock clock */
};

struct opens {
	struct open_ent	*v;
	size_t		n;
	size_t		cap;
	uint64_t	next_ms;	/* no close is due before this */
};

enum hook_action { HOOK_START, HOOK_OPEN, HOOK_CLOSE, HOOK_STOP };

/* One hook run: queued, then running (hook.c). */
struct hook_job {
	enum hook_action	act;
	struct open_ent		ent;	/* open/close */
	char			*guard;	/* start/stop, malloc'd */
};

struct hook_run {
	pid_t		pid;
	int		fd;		/* read end of its stdout/stderr */
	uint64_t	kill_ms;	/* real monotonic clock */
	bool		killed;
	enum hook_action act;
	size_t		len;
	char		buf[512];
};

struct hooks {
	struct hook_run	*run;
	size_t		n_run;
	size_t		max_run;
	struct hook_job	q[SKD_HOOK_QUEUE];
	size_t		q_head;
	size_t		q_len;
};

/* The persisted replay cache (replaystore.c). */
struct rstore {
	bool		memory_only;	/* -r: never touch state_dir */
	bool		broken;		/* cannot persist: refuse signed opens */
	int		fd;		/* O_APPEND record file, or -1 */
	char		dir[SK_PATH_MAX];
	size_t		appended;	/* records since the last compaction */
};

/* This host's addresses, for spotting forged sources (srccheck.c). */
struct localaddrs {
	struct sk_addr	*v;
	size_t		n;
	size_t		cap;
	uint64_t	fetched_ms;
	bool		fetched;
	int		nl_fd;		/* address change events, or -1 */
};

struct opts {
	const char	*conf_path;
	const char	*pcap_file;	/* -r */
	char		ifaces[SK_MAX_IFACES][CONF_IFNAME_MAX];	/* -i */
	size_t		n_ifaces;
	bool		foreground;	/* -f */
	bool		dry_run;	/* -n */
	bool		test_config;	/* -t */
	bool		verbose;	/* -v */
};

struct daemon {
	struct opts		o;
	struct counters		cnt;
	struct sklog		log;
	struct dconf		*dc;
	struct seq_table	*seq;
	struct rate_table	*rate;
	struct replay		*replay;
	int64_t			replay_expired_s;
	struct rstore		store;
	struct opens		opens;
	struct localaddrs	local;
	struct hooks		hooks;
	struct capture		caps[SK_MAX_IFACES];
	size_t			n_caps;
	bool			ready_sent;
	int			sigfd;
	bool			stopping;
	/* Knock clock: packet timestamps with -r, else the system clocks. */
	bool			offline;
	uint64_t		now_ms;	/* monotonic, or packet time */
	int64_t			now_s;	/* unix seconds */
};

/* clock.c helpers live in loop.c */
uint64_t mono_ms(void);
size_t rate_cap(const struct conf *c);
void clock_update(struct daemon *d);

/* log.c */
void log_open(struct sklog *l, bool to_stderr, bool debug,
    uint64_t *suppressed);
void log_close(struct sklog *l);
void log_set_rate(struct sklog *l, uint32_t per_s);
void log_err(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_errx(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warn(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_warnx(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_info(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void log_debug(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* log_limited(l, fmt, ...): a warning, at most l->rate lines a second. */
void log_limited(struct sklog *l, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* notify.c */
bool notify_send(const char *state);

/* dconf.c */
struct dconf *dconf_load(const char *path, bool check_hook,
    conf_report_fn *report, void *ctx, unsigned *n_err);
void dconf_free(struct dconf *dc);
bool dconf_has_step(const struct dconf *dc, uint16_t port, uint8_t proto);
bool dconf_same_doors(const struct dconf *a, const struct dconf *b);

/* hook.c */
bool hook_check(const char *path, char *msg, size_t msg_len);
void hooks_init(struct hooks *h, size_t max_run);
void hooks_set_max(struct hooks *h, size_t max_run);
void hooks_free(struct hooks *h);
void hook_queue(struct daemon *d, enum hook_action act,
    const struct open_ent *ent);
void hooks_reap(struct daemon *d);
void hooks_timers(struct daemon *d, uint64_t real_ms);
uint64_t hooks_deadline(const struct hooks *h);
void hooks_read(struct daemon *d, size_t i);
bool hooks_idle(const struct hooks *h);
bool hooks_start_pending(const struct hooks *h);
void hooks_drop_queue(struct daemon *d);
const char *hook_action_name(enum hook_action act);

/* opens.c */
void opens_init(struct opens *o);
void opens_free(struct opens *o);
struct open_ent *opens_find(struct opens *o, const struct open_ent *key);
struct open_ent *opens_add(struct opens *o, const struct open_ent *e);
uint64_t opens_deadline(const struct opens *o);
bool opens_pop_due(struct opens *o, uint64_t now_ms, struct open_ent *out);

/* replaystore.c */
void rstore_open(struct daemon *d);
bool rstore_record(struct daemon *d, const uint8_t *nonce, int64_t ts);
void rstore_close(struct rstore *s);

/* srccheck.c */
bool src_bogus(const struct sk_addr *a);
bool src_forged(struct daemon *d, const struct sk_addr *src,
    const struct sk_addr *dst);
void local_watch(struct localaddrs *l);
void local_changed(struct localaddrs *l);
void local_free(struct localaddrs *l);

/* knock.c */
void knock_packet(struct daemon *d, const uint8_t *frame, size_t caplen,
    int dlt);
void knock_fire_closes(struct daemon *d);
void knock_decision(struct daemon *d, bool open,
    const struct open_ent *e);
const char *knock_rej_name(enum skd_rej r);

/* capture.c */
void cap_init(struct capture *c, const char *name);
bool cap_open_live(struct daemon *d, struct capture *c);
bool cap_open_file(struct daemon *d, struct capture *c, const char *path);
void cap_close(struct capture *c);
bool cap_refilter(struct daemon *d, struct capture *c);
int cap_drain(struct daemon *d, struct capture *c, int max);

/* loop.c */
int loop_live(struct daemon *d);
int loop_file(struct daemon *d);
void loop_dump_counters(struct daemon *d);

/* main.c */
void report_log(void *ctx, const char *msg);
void warn_unsigned(struct daemon *d);

/* reload.c */
void daemon_reload(struct daemon *d);

#endif
