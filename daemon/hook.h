/* hook.h: run the hook (one-shot or as a server), log its output, bound its time. */
#ifndef SKD_HOOK_H
#define SKD_HOOK_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "counters.h"
#include "hookproc.h"
#include "log.h"
#include "opens.h"
#include "safepath.h"
#include "sk.h"

#define SKD_HOOK_LIMIT_MS	10000	/* DESIGN.md: kill a hook after 10 s */
#define SKD_HOOK_QUEUE		1024	/* opens waiting; closes always fit */
#define SKD_HOOK_GREET_MS	2000	/* `HOOK serve` greets within this */
#define SKD_HOOK_CHECK_MS	5000	/* the guard is checked this often */
#define SKD_HOOK_RETRY_MAX_MS	30000	/* longest wait before a new start */
#define SKD_HOOK_REQ_LEN	4096	/* one request line to a server */
#define SKD_HOOK_PATH_ENV	\
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

enum hook_action { HOOK_START, HOOK_OPEN, HOOK_CLOSE, HOOK_STOP, HOOK_CHECK };

/* One action: queued, then run by the server or as its own process. */
struct hook_job {
	enum hook_action	act;
	struct open_ent		ent;		/* open/close */
	bool			oneshot;	/* retry after a server died */
};

/* A one-shot run. */
struct hook_run {
	pid_t			pid;
	int			fd;	/* its stdout and stderr, or -1 */
	bool			exited;
	int			status;
	uint64_t		kill_ms;	/* real monotonic clock */
	bool			killed;
	struct hook_job		job;
	struct hookproc_out	out;
};

enum hook_srv_state {
	SRV_OFF,	/* not started (or the hook does not serve) */
	SRV_GREETING,	/* `HOOK serve` started, greeting awaited */
	SRV_UP,		/* serving */
	SRV_WAIT,	/* died; restarted at restart_ms */
};

/* The hook server, when the hook is one (DESIGN.md "Hook servers"). */
struct hook_server {
	enum hook_srv_state	state;
	bool			probed;		/* `HOOK serve` was tried */
	bool			serves;		/* it greeted once */
	bool			proto0;		/* one-shot, knows check */
	pid_t			pid;
	bool			reaped;		/* pid waited for already */
	struct hookproc_fds	fds;
	uint64_t		due_ms;		/* greeting or reply, else kill */
	bool			busy;		/* a request is in flight */
	struct hook_job		job;		/* ... this one */
	char			req[SKD_HOOK_REQ_LEN];
	size_t			req_len, req_off;	/* unwritten part */
	char			reply[512];
	size_t			reply_len;
	struct hookproc_out	err;		/* its stderr */
	unsigned		deaths;		/* in a row, for the back-off */
	uint64_t		restart_ms;
	pid_t			dead_pid;	/* killed, not reaped yet */
};

/*
 * The runner.  Its logger and counters are given once, at hooks_init;
 * the hook, the guard and the limit on parallel runs come with each
 * configuration (hooks_configure).  Whether to run hooks at all (the
 * dry run) is the caller's decision: hook_queue always queues.
 */
struct hooks {
	struct hook_run		*run;
	size_t			n_run;
	size_t			max_run;	/* slots in run[]; never shrinks */
	size_t			limit;		/* max_hooks in force */
	char			path[SK_PATH_MAX];
	struct safepath		sp;		/* the checked hook, held open */
	char			*guard;		/* "tcp/22 udp/53" */
	char			*guard_fwd;	/* forward = yes doors' ports */
	struct sklog		*log;
	struct counters		*cnt;
	struct hook_job		*q;		/* in order; closes may grow it */
	size_t			q_len, q_cap;
	struct hook_server	srv;
	bool			guard_up;	/* a start succeeded */
	bool			no_check;	/* the hook refuses or cannot check */
	bool			check_passed;	/* ever, by this hook file */
	bool			stopping;	/* no more checks or retries */
	uint64_t		retry_ms;	/* next start after a failure */
	uint64_t		retry_wait_ms;
	uint64_t		check_ms;	/* next guard check */
};

/*
 * hook_check(path, msg, msg_len): the hook, and every directory above
 * it, is something only root (or our euid) can change: see safepath.h.
 * On failure ${msg} says what to fix.
 */
bool hook_check(const char *path, char *msg, size_t msg_len);
const char *hook_action_name(enum hook_action act);
bool hooks_init(struct hooks *h, const char *path, size_t max_hooks,
    const char *guard, const char *guard_fwd, struct sklog *log,
    struct counters *cnt);
void hooks_configure(struct hooks *h, const char *path, size_t max_hooks,
    const char *guard, const char *guard_fwd);
void hooks_free(struct hooks *h);
void hook_queue(struct hooks *h, enum hook_action act,
    const struct open_ent *ent);
size_t hooks_pollfds(const struct hooks *h, struct pollfd *pfd, size_t cap);
void hooks_events(struct hooks *h, const struct pollfd *pfd, size_t n);
void hooks_reap(struct hooks *h);
void hooks_timers(struct hooks *h, uint64_t real_ms);
uint64_t hooks_deadline(const struct hooks *h);
bool hooks_idle(const struct hooks *h);
bool hooks_guard_up(const struct hooks *h);
void hooks_drop_queue(struct hooks *h);

/* hookserve.c, for hook.c */
void hooksrv_start(struct hooks *h, uint64_t now);
void hooksrv_stop(struct hooks *h);
void hooksrv_end(struct hooks *h);
bool hooksrv_send(struct hooks *h, const struct hook_job *j, uint64_t now);
void hooksrv_events(struct hooks *h, const struct pollfd *pfd, size_t n,
    uint64_t now);
void hooksrv_timers(struct hooks *h, uint64_t now);
size_t hooksrv_pollfds(const struct hooks *h, struct pollfd *pfd, size_t cap);
void hooksrv_reap(struct hooks *h, uint64_t now);

/* hook.c, for hookrun.c and hookserve.c */
bool hooks_pending(const struct hooks *h, enum hook_action act);
void hook_done(struct hooks *h, const struct hook_job *j, bool ok,
    const char *why);
void hook_requeue(struct hooks *h, const struct hook_job *j);
bool hook_env_line(const struct hooks *h, const struct hook_job *j,
    char *buf, size_t len);

#endif
