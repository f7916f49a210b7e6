/* hookrun.c: dispatch queued actions, one-shot runs, results and timers. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "addr.h"
#include "clock.h"
#include "hook.h"
#include "parse.h"


/* The action's values, KEY=VALUE each, from binary (no quoting needed). */
struct hook_vals {
	char	door[16 + SK_NAME_MAX];
	char	client[16 + SK_NAME_MAX];
	char	addr[16 + ADDR_TXT_LEN];
	char	family[16];
	char	proto[16];
	char	port[16];
	char	timeout[24];
	char	*guard, *guard_fwd;	/* malloc'd */
	char	*v[8];
	size_t	n;
};

static bool
vals_build(const struct hooks *h, const struct hook_job *j,
    struct hook_vals *x)
{
	const struct open_ent *e = &j->ent;
	char txt[ADDR_TXT_LEN];

	memset(x, 0, sizeof *x);
	if (j->act == HOOK_START || j->act == HOOK_STOP ||
	    j->act == HOOK_CHECK) {
		size_t g = strlen(h->guard) + 16, f = strlen(h->guard_fwd) + 32;

		x->guard = malloc(g);
		x->guard_fwd = malloc(f);
		if (x->guard == NULL || x->guard_fwd == NULL) {
			free(x->guard);
			free(x->guard_fwd);
			return false;
		}
		snprintf(x->guard, g, "guard=%s", h->guard);
		snprintf(x->guard_fwd, f, "guard_forward=%s", h->guard_fwd);
		x->v[x->n++] = x->guard;
		x->v[x->n++] = x->guard_fwd;
		return true;
	}
	addr_format(&e->addr, txt, sizeof txt);
	snprintf(x->door, sizeof x->door, "door=%s", e->door);
	snprintf(x->client, sizeof x->client, "client=%s", e->client);
	snprintf(x->addr, sizeof x->addr, "address=%s", txt);
	snprintf(x->family, sizeof x->family, "family=%d",
	    addr_is_v4(&e->addr) ? 4 : 6);
	snprintf(x->proto, sizeof x->proto, "proto=%s",
	    parse_proto_name(e->proto));
	snprintf(x->port, sizeof x->port, "port=%u", (unsigned)e->port);
	snprintf(x->timeout, sizeof x->timeout, "timeout=%u",
	    (unsigned)e->timeout_s);
	x->v[x->n++] = x->door;
	x->v[x->n++] = x->client;
	x->v[x->n++] = x->addr;
	x->v[x->n++] = x->family;
	x->v[x->n++] = x->proto;
	x->v[x->n++] = x->port;
	x->v[x->n++] = x->timeout;
	return true;
}

/*
 * hook_env_line(h, j, buf, len): the request line of ${j} for a server,
 * "ACTION KEY=VALUE...\n"; a guard list has commas for its spaces, so
 * each pair stays one word.  false if it does not fit.
 */
bool
hook_env_line(const struct hooks *h, const struct hook_job *j, char *buf,
    size_t len)
{
	struct hook_vals x;
	size_t off;
	bool ok = true;

	if (!vals_build(h, j, &x))
		return false;
	off = (size_t)snprintf(buf, len, "%s", hook_action_name(j->act));
	for (size_t i = 0; i < x.n && ok; i++) {
		int n = snprintf(buf + off, len - off, " %s", x.v[i]);

		ok = n > 0 && (size_t)n < len - off;
		if (ok && (x.v[i] == x.guard || x.v[i] == x.guard_fwd))
			for (char *p = buf + off; *p != '\0'; p++)
				*p = *p == ' ' && p != buf + off ? ',' : *p;
		off += ok ? (size_t)n : 0;
	}
	ok = ok && off + 1 < len;
	if (ok) {
		buf[off++] = '\n';
		buf[off] = '\0';
	}
	free(x.guard);
	free(x.guard_fwd);
	return ok;
}

/* The environment of a one-shot run: SKNOCK_KEY=VALUE for each value. */
static char **
env_build(const struct hook_vals *x)
{
	char **envp = calloc(x->n + 2, sizeof *envp);

	if (envp == NULL)
		return NULL;
	envp[0] = strdup(SKD_HOOK_PATH_ENV);
	for (size_t i = 0; i < x->n; i++) {
		size_t len = strlen(x->v[i]) + 8;
		char *eq = strchr(x->v[i], '=');

		envp[i + 1] = malloc(len);
		if (envp[i + 1] == NULL)
			continue;
		snprintf(envp[i + 1], len, "SKNOCK_%s", x->v[i]);
		for (char *p = envp[i + 1] + 7; *p != '\0' &&
		    p < envp[i + 1] + 7 + (eq - x->v[i]); p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
	}
	return envp;
}

static void
env_free(char **envp)
{
	for (size_t i = 0; envp != NULL && envp[i] != NULL; i++)
		free(envp[i]);
	free(envp);
}

/* Start ${j} as its own process in a free slot; false (logged) if not. */
static bool
spawn_oneshot(struct hooks *h, const struct hook_job *j, uint64_t now)
{
	char act[8];
	char *argv[] = { h->sp.name, act, NULL };
	struct hookproc_fds fds;
	struct hook_vals x;
	char **envp = NULL;
	pid_t pid;
	int rc = ENOMEM;

	if (h->n_run >= h->max_run) {
		hook_requeue(h, j);
		return false;
	}
	snprintf(act, sizeof act, "%s", hook_action_name(j->act));
	if (vals_build(h, j, &x)) {
		envp = env_build(&x);
		free(x.guard);
		free(x.guard_fwd);
	}
	h->cnt->hooks_run++;
	if (envp != NULL && h->sp.dir_fd != -1)
		rc = hookproc_spawn(&h->sp, argv, envp, false, &pid, &fds);
	else if (envp != NULL)
		rc = ENOENT;
	env_free(envp);
	if (rc != 0) {
		h->cnt->hooks_failed++;
		log_errx(h->log, "hook %s %s: cannot start: %s", h->path, act,
		    strerror(rc));
		hook_done(h, j, false, "cannot start");
		return false;
	}
	h->run[h->n_run] = (struct hook_run){ .pid = pid, .fd = fds.err,
	    .kill_ms = now + SKD_HOOK_LIMIT_MS, .job = *j };
	/* Anyone can cause opens (and so closes) on an unsigned door. */
	h->run[h->n_run].out.limited = j->act == HOOK_OPEN ||
	    j->act == HOOK_CLOSE;
	h->run[h->n_run].job.ent.tm.requested_us = timing_now_us();
	h->n_run++;
	log_debug(h->log, "hook %s started, pid %ld", act, (long)pid);
	return true;
}

/* Two actions must not run at once: one door and address at a time, and
 * start/stop alone (check waits only for them). */
static bool
conflict(const struct hook_job *a, const struct hook_job *b)
{
	bool a_door = a->act == HOOK_OPEN || a->act == HOOK_CLOSE;
	bool b_door = b->act == HOOK_OPEN || b->act == HOOK_CLOSE;

	if (a_door && b_door)
		return strcmp(a->ent.door, b->ent.door) == 0 &&
		    addr_eq(&a->ent.addr, &b->ent.addr);
	if (a->act == HOOK_CHECK)
		return b->act == HOOK_START || b->act == HOOK_STOP;
	if (b->act == HOOK_CHECK)
		return a->act == HOOK_START || a->act == HOOK_STOP;
	return true;
}

static bool
may_run(const struct hooks *h, size_t qi)
{
	const struct hook_job *j = &h->q[qi];

	for (size_t i = 0; i < qi; i++)
		if (conflict(&h->q[i], j))
			return false;
	for (size_t i = 0; i < h->n_run; i++)
		if (conflict(&h->run[i].job, j))
			return false;
	return !(h->srv.busy && conflict(&h->srv.job, j));
}

/*
 * Start what may start: to the server when it is up and free, else as
 * one-shot runs while slots are free.  Nothing but retries runs while a
 * new server is greeting (it may take the whole queue).
 */
static void
dispatch(struct hooks *h, uint64_t now)
{
	size_t i = 0;

	if (!h->srv.probed && h->q_len > 0) {
		h->srv.probed = true;
		hooksrv_start(h, now);
	}
	while (i < h->q_len) {
		struct hook_job j = h->q[i];
		bool to_srv = h->srv.state == SRV_UP && !j.oneshot;
		bool ok;

		/* A server's check is a request, never a run of its own: it
		 * may know check only as one; it waits for a new server. */
		if ((h->srv.state == SRV_GREETING && !j.oneshot) ||
		    (j.act == HOOK_CHECK && h->srv.serves && !to_srv) ||
		    (to_srv && h->srv.busy) ||
		    (!to_srv && (h->n_run >= h->limit ||
		    h->n_run >= h->max_run)) || !may_run(h, i)) {
			i++;
			continue;
		}
		memmove(h->q + i, h->q + i + 1, (h->q_len - i - 1) *
		    sizeof *h->q);
		h->q_len--;
		ok = to_srv ? hooksrv_send(h, &j, now) : false;
		if (!ok && !(to_srv && h->srv.busy))
			spawn_oneshot(h, &j, now);
		i = 0;	/* what was waiting for it may go now */
	}
}

/* After a start: ready, or a retry with a growing delay. */
static void
start_done(struct hooks *h, bool ok, uint64_t now)
{
	if (ok) {
		if (!h->guard_up || h->retry_wait_ms > 0)
			log_info(h->log, "guard up: hook start succeeded");
		h->guard_up = true;
		h->retry_wait_ms = 0;
		h->retry_ms = 0;
		/* Until one check of this hook passed, the next at once,
		 * while the guard is surely there: if it fails, the hook
		 * cannot check (see hook_done). */
		h->check_ms = h->check_passed ? now + SKD_HOOK_CHECK_MS : now;
		return;
	}
	h->retry_wait_ms = h->retry_wait_ms == 0 ? 1000 :
	    h->retry_wait_ms * 2;
	if (h->retry_wait_ms > SKD_HOOK_RETRY_MAX_MS)
		h->retry_wait_ms = SKD_HOOK_RETRY_MAX_MS;
	h->retry_ms = now + h->retry_wait_ms;
	log_errx(h->log, "GUARD NOT UP: hook %s start failed; the guarded "
	    "ports may be open to anyone%s; trying again in %llu s",
	    h->path, h->guard_up ? "" : "; startup waits for the guard",
	    (unsigned long long)(h->retry_wait_ms / 1000));
}

/*
 * hook_done(h, j, ok, why): the result of ${j}; ${why} is the status or
 * the server's message.  A failed start is retried, a failed check
 * restores the guard.  A hook that refuses check, or whose check fails
 * after a start that succeeded while none of its checks ever passed (a
 * server that answers error to what it does not know), cannot check and
 * is not asked again until the next reload.  One that passed a check can
 * check: its failures are a guard gone, however soon after a start.
 */
void
hook_done(struct hooks *h, const struct hook_job *j, bool ok,
    const char *why)
{
	uint64_t now = mono_ms();

	if (ok && j->act == HOOK_OPEN && j->ent.tm.wire_us != 0) {
		char txt[ADDR_TXT_LEN];

		timing_log(h->log, &j->ent.tm, timing_now_us(), j->ent.door,
		    addr_format(&j->ent.addr, txt, sizeof txt));
	}
	if (j->act == HOOK_START) {
		start_done(h, ok, now);
		return;
	}
	if (j->act != HOOK_CHECK || h->stopping)
		return;
	if (ok && !h->check_passed)
		log_info(h->log, "guard watched: hook %s check passed; checked "
		    "every %d s", h->path, SKD_HOOK_CHECK_MS / 1000);
	h->check_passed = h->check_passed || ok;
	if (ok)
		return;
	if (strcmp(why, "exit status 2") == 0 || !h->check_passed) {
		h->no_check = true;
		log_warnx(h->log, "hook %s cannot check the guard: %s (%.200s); "
		    "the guard is not watched until the next reload", h->path,
		    h->check_passed ? "it refuses check" : "its first check "
		    "after a start that succeeded failed", why);
		return;
	}
	log_errx(h->log, "GUARD GONE: hook %s check failed (%s); something "
	    "removed the guard, restoring it with start", h->path, why);
	hook_queue(h, HOOK_START, NULL);
}

static void
status_text(const struct hook_run *r, char *buf, size_t len)
{
	if (WIFEXITED(r->status))
		snprintf(buf, len, "exit status %d", WEXITSTATUS(r->status));
	else if (r->killed)
		snprintf(buf, len, "killed after %d s (time limit)",
		    SKD_HOOK_LIMIT_MS / 1000);
	else
		snprintf(buf, len, "killed by signal %d", WTERMSIG(r->status));
}

/* A run that exited and whose output is read to its end is finished. */
static void
finish(struct hooks *h, size_t i)
{
	struct hook_run r = h->run[i];
	char tag[64], why[64];
	bool ok = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;

	snprintf(tag, sizeof tag, "hook %s[%ld]", hook_action_name(r.job.act),
	    (long)r.pid);
	if (r.fd != -1) {
		/* A grandchild may still hold the pipe: read no further. */
		hookproc_drain(r.fd, &h->run[i].out, h->log, tag);
		hookproc_unread(r.fd, &h->run[i].out);
		close(r.fd);
	}
	hookproc_flush(&h->run[i].out, h->log, tag);
	h->run[i] = h->run[--h->n_run];
	status_text(&r, why, sizeof why);
	if (ok)
		log_debug(h->log, "%s done", tag);
	else if (!(r.job.act == HOOK_CHECK && WIFEXITED(r.status))) {
		h->cnt->hooks_failed++;
		/* Anyone may cause opens on an unsigned door: rate-limited. */
		if (r.job.act == HOOK_OPEN || r.job.act == HOOK_CLOSE)
			log_limited(h->log, "hook %s %s failed: %s", h->path,
			    hook_action_name(r.job.act), why);
		else
			log_errx(h->log, "hook %s %s failed: %s", h->path,
			    hook_action_name(r.job.act), why);
	}
	hook_done(h, &r.job, ok, why);
}

/*
 * hooks_reap(h): collect our children that ended (SIGCHLD), by pid: the
 * capture child is not ours to reap.  Then start what may start.
 */
void
hooks_reap(struct hooks *h)
{
	uint64_t now = mono_ms();

	for (size_t i = 0; i < h->n_run;) {
		struct hook_run *r = &h->run[i];

		if (!r->exited && waitpid(r->pid, &r->status, WNOHANG) ==
		    r->pid)
			r->exited = true;
		if (r->exited) {
			finish(h, i);
			continue;
		}
		i++;
	}
	hooksrv_reap(h, now);
	hooks_timers(h, now);
}

/*
 * Whether the guard is watched: only a hook that said it knows check (a
 * server, or a one-shot hook that answered "sknock-hook 0") and can, and
 * a server's check only while it is up.
 */
static bool
check_due(const struct hooks *h)
{
	if (!h->guard_up || h->no_check || h->stopping)
		return false;
	return h->srv.serves ? h->srv.state == SRV_UP : h->srv.proto0;
}

/* hooks_timers(h, now): time limits, retries, the guard check; dispatch. */
void
hooks_timers(struct hooks *h, uint64_t now)
{
	for (size_t i = 0; i < h->n_run; i++) {
		struct hook_run *r = &h->run[i];

		if (r->killed || r->exited || r->kill_ms > now)
			continue;
		r->killed = true;
		h->cnt->hooks_killed++;
		log_errx(h->log, "hook %s[%ld] still running after %d s; "
		    "killing it", hook_action_name(r->job.act), (long)r->pid,
		    SKD_HOOK_LIMIT_MS / 1000);
		if (kill(-r->pid, SIGKILL) == -1)
			kill(r->pid, SIGKILL);
	}
	hooksrv_timers(h, now);
	if (h->stopping)
		h->retry_ms = 0;
	if (h->retry_ms != 0 && h->retry_ms <= now) {
		h->retry_ms = 0;
		hook_queue(h, HOOK_START, NULL);
	}
	if (check_due(h) && h->check_ms <= now) {
		h->check_ms = now + SKD_HOOK_CHECK_MS;
		if (!hooks_pending(h, HOOK_CHECK) &&
		    !hooks_pending(h, HOOK_START))
			hook_queue(h, HOOK_CHECK, NULL);
	}
	dispatch(h, now);
}

uint64_t
hooks_deadline(const struct hooks *h)
{
	uint64_t t = SKD_NO_DEADLINE;

	for (size_t i = 0; i < h->n_run; i++)
		if (!h->run[i].killed && h->run[i].kill_ms < t)
			t = h->run[i].kill_ms;
	if (h->srv.state == SRV_GREETING || h->srv.busy)
		t = h->srv.due_ms < t ? h->srv.due_ms : t;
	if (h->srv.state == SRV_WAIT && h->srv.restart_ms < t)
		t = h->srv.restart_ms;
	if (h->retry_ms != 0 && h->retry_ms < t)
		t = h->retry_ms;
	if (check_due(h) && h->check_ms < t)
		t = h->check_ms;
	return t;
}

size_t
hooks_pollfds(const struct hooks *h, struct pollfd *pfd, size_t cap)
{
	size_t n = 0;

	for (size_t i = 0; i < h->n_run && n < cap; i++)
		if (h->run[i].fd != -1)
			pfd[n++] = (struct pollfd){ .fd = h->run[i].fd,
			    .events = POLLIN };
	return n + hooksrv_pollfds(h, pfd + n, cap - n);
}

/* hooks_events(h, pfd, n): read what the hooks wrote (${pfd} as filled by
 * hooks_pollfds, with revents). */
void
hooks_events(struct hooks *h, const struct pollfd *pfd, size_t n)
{
	uint64_t now = mono_ms();

	for (size_t k = 0; k < n; k++) {
		if (pfd[k].revents == 0)
			continue;
		for (size_t i = 0; i < h->n_run; i++) {
			struct hook_run *r = &h->run[i];
			char tag[64];

			if (r->fd != pfd[k].fd)
				continue;
			snprintf(tag, sizeof tag, "hook %s[%ld]",
			    hook_action_name(r->job.act), (long)r->pid);
			if (!hookproc_drain(r->fd, &r->out, h->log, tag)) {
				close(r->fd);
				r->fd = -1;
			}
		}
	}
	hooksrv_events(h, pfd, n, now);
	hooks_reap(h);
}
