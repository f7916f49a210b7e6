/* hook.h: run the hook with posix_spawn, log its output, bound its time. */
#ifndef SKD_HOOK_H
#define SKD_HOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "counters.h"
#include "log.h"
#include "opens.h"
#include "sk.h"

#define SKD_HOOK_LIMIT_MS	10000	/* DESIGN.md: kill a hook after 10 s */
#define SKD_HOOK_QUEUE		1024	/* hook runs waiting for a slot */

enum hook_action { HOOK_START, HOOK_OPEN, HOOK_CLOSE, HOOK_STOP };

/* One hook run: queued, then running. */
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

/*
 * The runner.  Its logger and counters are given once, at hooks_init;
 * the hook path and the limit on parallel runs come with each
 * configuration (hooks_configure).  Whether to run hooks at all (the
 * dry run) is the caller's decision: hook_queue always queues.
 */
struct hooks {
	struct hook_run	*run;
	size_t		n_run;
	size_t		max_run;	/* slots in run[]; never shrinks */
	size_t		limit;		/* max_hooks in force */
	char		path[SK_PATH_MAX];
	struct sklog	*log;
	struct counters	*cnt;
	struct hook_job	q[SKD_HOOK_QUEUE];
	size_t		q_head;
	size_t		q_len;
};

bool hook_check(const char *path, char *msg, size_t msg_len);
const char *hook_action_name(enum hook_action act);
bool hooks_init(struct hooks *h, const char *path, size_t max_hooks,
    struct sklog *log, struct counters *cnt);
void hooks_configure(struct hooks *h, const char *path, size_t max_hooks);
void hooks_free(struct hooks *h);
void hook_queue(struct hooks *h, enum hook_action act,
    const struct open_ent *ent, const char *guard);
void hooks_reap(struct hooks *h);
void hooks_timers(struct hooks *h, uint64_t real_ms);
uint64_t hooks_deadline(const struct hooks *h);
void hooks_read(struct hooks *h, size_t i);
bool hooks_idle(const struct hooks *h);
bool hooks_start_pending(const struct hooks *h);
void hooks_drop_queue(struct hooks *h);

#endif
