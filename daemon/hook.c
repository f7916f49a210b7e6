/* hook.c: the hook queue: what runs when, serialised, never dropping a close. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "hook.h"

const char *
hook_action_name(enum hook_action act)
{
	static const char *const names[] = { "start", "open", "close", "stop",
	    "check" };

	return names[act];
}

bool
hook_check(const char *path, char *msg, size_t msg_len)
{
	char why[SK_PATH_MAX + 200];
	struct safepath sp;

	if (!safepath_open(path, geteuid(), &sp, why, sizeof why)) {
		snprintf(msg, msg_len, "hook = %s: %s", path, why);
		return false;
	}
	safepath_close(&sp);
	return true;
}

bool
hooks_init(struct hooks *h, const char *path, size_t max_hooks,
    const char *guard, const char *guard_fwd, struct sklog *log,
    struct counters *cnt)
{
	memset(h, 0, sizeof *h);
	h->log = log;
	h->cnt = cnt;
	h->sp.dir_fd = -1;
	h->srv.pid = -1;
	h->srv.fds = (struct hookproc_fds){ -1, -1, -1 };
	h->max_run = max_hooks ? max_hooks : 1;
	h->run = calloc(h->max_run, sizeof *h->run);
	h->q_cap = SKD_HOOK_QUEUE;
	h->q = calloc(h->q_cap, sizeof *h->q);
	if (h->run == NULL || h->q == NULL) {
		free(h->run);
		free(h->q);
		h->run = NULL;
		h->q = NULL;
		return false;
	}
	hooks_configure(h, path, max_hooks, guard, guard_fwd);
	return true;
}

static void
set_str(char **dst, const char *src)
{
	char *c = strdup(src != NULL ? src : "");

	if (c == NULL)
		return;	/* keep the old value: better than none */
	free(*dst);
	*dst = c;
}

/*
 * hooks_configure(h, path, max_hooks, guard, guard_fwd): a configuration's
 * hook, limit and guard.  The hook is checked again and held open; a new
 * hook path gets a new server (the old one ends when its input closes).
 */
void
hooks_configure(struct hooks *h, const char *path, size_t max_hooks,
    const char *guard, const char *guard_fwd)
{
	char msg[SK_PATH_MAX + 256];
	struct safepath sp;
	struct hook_run *run;

	set_str(&h->guard, guard);
	set_str(&h->guard_fwd, guard_fwd);
	h->limit = max_hooks ? max_hooks : 1;
	if (max_hooks > h->max_run &&
	    (run = realloc(h->run, max_hooks * sizeof *run)) != NULL) {
		h->run = run;
		h->max_run = max_hooks;
	}
	if (!safepath_open(path, geteuid(), &sp, msg, sizeof msg)) {
		log_errx(h->log, "hook = %s: %s; %s", path, msg, h->sp.dir_fd ==
		    -1 ? "no hook can run" : "keeping the hook checked before");
		return;
	}
	if (h->sp.dir_fd != -1 && strcmp(path, h->path) == 0 &&
	    sp.dev == h->sp.dev && sp.ino == h->sp.ino &&
	    sp.mtime.tv_sec == h->sp.mtime.tv_sec &&
	    sp.mtime.tv_nsec == h->sp.mtime.tv_nsec) {
		/* The same file: its server goes on; hold the fresh check.
		 * (A replaced hook, e.g. by an upgrade, gets a new server.) */
		safepath_close(&h->sp);
		h->sp = sp;
		h->no_check = false;	/* a reload asks again */
		return;
	}
	safepath_close(&h->sp);
	h->sp = sp;
	snprintf(h->path, sizeof h->path, "%s", path);
	/* A new hook: asked whether it serves when it is first needed. */
	hooksrv_stop(h);
	h->srv.serves = false;
	h->srv.probed = false;
	h->srv.proto0 = false;
	h->check_passed = false;
	h->srv.deaths = 0;
	h->no_check = false;
}

/* hooks_free(h): also for a runner hooks_init never set up (all zero). */
void
hooks_free(struct hooks *h)
{
	if (h->log == NULL)
		return;
	hooksrv_end(h);
	for (size_t i = 0; i < h->n_run; i++)
		if (h->run[i].fd != -1)
			close(h->run[i].fd);
	safepath_close(&h->sp);
	free(h->run);
	free(h->q);
	free(h->guard);
	free(h->guard_fwd);
	memset(h, 0, sizeof *h);
	h->sp.dir_fd = -1;
}

bool
hooks_guard_up(const struct hooks *h)
{
	return h->guard_up;
}

bool
hooks_idle(const struct hooks *h)
{
	return h->n_run == 0 && h->q_len == 0 && !h->srv.busy &&
	    h->srv.state != SRV_GREETING;
}

/* hooks_pending(h, act): whether a job of ${act} is queued or running. */
bool
hooks_pending(const struct hooks *h, enum hook_action act)
{
	for (size_t i = 0; i < h->q_len; i++)
		if (h->q[i].act == act)
			return true;
	for (size_t i = 0; i < h->n_run; i++)
		if (h->run[i].job.act == act)
			return true;
	return h->srv.busy && h->srv.job.act == act;
}

static bool
push(struct hooks *h, const struct hook_job *j, bool front)
{
	if (h->q_len == h->q_cap) {
		size_t cap = h->q_cap * 2;
		struct hook_job *q = realloc(h->q, cap * sizeof *q);

		if (q == NULL)
			return false;
		h->q = q;
		h->q_cap = cap;
	}
	if (front)
		memmove(h->q + 1, h->q, h->q_len * sizeof *h->q);
	h->q[front ? 0 : h->q_len] = *j;
	h->q_len++;
	return true;
}

static size_t
queued_opens(const struct hooks *h)
{
	size_t n = 0;

	for (size_t i = 0; i < h->q_len; i++)
		n += h->q[i].act == HOOK_OPEN;
	return n;
}

/*
 * hook_queue(h, act, ent): run the hook for ${act} (with ${ent} for
 * open/close; start, stop and check get the guard) as soon as nothing it
 * must wait for runs.  An open is refused (counted, logged at a limited
 * rate) when SKD_HOOK_QUEUE opens wait; a close is never refused: there
 * is one per open door.  A start or check already waiting is not queued
 * twice.
 */
void
hook_queue(struct hooks *h, enum hook_action act, const struct open_ent *ent)
{
	struct hook_job j = { .act = act };

	if (ent != NULL)
		j.ent = *ent;
	if ((act == HOOK_START || act == HOOK_CHECK) && hooks_pending(h, act))
		for (size_t i = 0; i < h->q_len; i++)
			if (h->q[i].act == act)
				return;
	if (act == HOOK_OPEN && queued_opens(h) >= SKD_HOOK_QUEUE) {
		h->cnt->hooks_dropped++;
		log_limited(h->log, "hook open not run: %d opens wait already "
		    "(closes still run)", SKD_HOOK_QUEUE);
		return;
	}
	if (!push(h, &j, false)) {
		h->cnt->hooks_dropped++;
		log_limited(h->log, "hook %s not run: out of memory",
		    hook_action_name(act));
		return;
	}
	hooks_timers(h, mono_ms());
}

void
hook_requeue(struct hooks *h, const struct hook_job *j)
{
	struct hook_job r = *j;

	r.oneshot = true;
	if (!push(h, &r, true)) {
		h->cnt->hooks_dropped++;
		log_errx(h->log, "hook %s not retried: out of memory",
		    hook_action_name(j->act));
	}
}

/* hooks_drop_queue(h): at shutdown, forget waiting opens, starts and
 * checks (and start no more of them); closes still run. */
void
hooks_drop_queue(struct hooks *h)
{
	size_t kept = 0, dropped = 0;

	h->stopping = true;
	for (size_t i = 0; i < h->q_len; i++) {
		if (h->q[i].act == HOOK_CLOSE)
			h->q[kept++] = h->q[i];
		else
			dropped += h->q[i].act == HOOK_OPEN;
	}
	h->q_len = kept;
	h->cnt->hooks_dropped += dropped;
	if (dropped > 0)
		log_warnx(h->log, "stopping: %zu waiting opens dropped", dropped);
}
