/* hook.c: run the hook with posix_spawn, log its output, bound its time. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "parse.h"
#include "clock.h"
#include "hook.h"
#include "sigset.h"

#define HOOK_PATH_ENV	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

const char *
hook_action_name(enum hook_action act)
{
	static const char *const names[] = { "start", "open", "close", "stop" };

	return names[act];
}

/*
 * hook_check(path, msg, msg_len): the hook is an absolute path to an
 * executable regular file that group and others cannot write (and, when
 * we run as root, that root owns).  On failure ${msg} says what to fix.
 */
bool
hook_check(const char *path, char *msg, size_t msg_len)
{
	struct stat st;

	if (path[0] != '/') {
		snprintf(msg, msg_len, "hook = %s: not an absolute path; "
		    "give the full path, e.g. " SK_DEFAULT_HOOK, path);
		return false;
	}
	if (stat(path, &st) == -1) {
		snprintf(msg, msg_len, "hook = %s: %s; install the hook or "
		    "set hook = in [daemon]", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st.st_mode) || access(path, X_OK) == -1) {
		snprintf(msg, msg_len, "hook = %s: not an executable file; "
		    "run chmod 755 %s", path, path);
		return false;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		snprintf(msg, msg_len, "hook = %s: mode %04o lets group/others "
		    "change it; run chmod go-w %s", path,
		    (unsigned)(st.st_mode & 07777), path);
		return false;
	}
	if (geteuid() == 0 && st.st_uid != 0) {
		snprintf(msg, msg_len, "hook = %s: owned by uid %u, not root; "
		    "run chown root %s", path, (unsigned)st.st_uid, path);
		return false;
	}
	return true;
}

/*
 * hooks_init(h, path, max_hooks, log, cnt): a runner for the hook at
 * ${path}, at most ${max_hooks} at once, logging to ${log} and counting
 * in ${cnt}.  false if memory runs out.
 */
bool
hooks_init(struct hooks *h, const char *path, size_t max_hooks,
    struct sklog *log, struct counters *cnt)
{
	memset(h, 0, sizeof *h);
	h->log = log;
	h->cnt = cnt;
	h->max_run = max_hooks ? max_hooks : 1;
	h->run = calloc(h->max_run, sizeof *h->run);
	if (h->run == NULL) {
		h->max_run = 0;
		return false;
	}
	hooks_configure(h, path, max_hooks);
	return true;
}

/*
 * hooks_configure(h, path, max_hooks): a new configuration's hook and
 * limit.  The slot array may grow, never shrink (runs in flight keep
 * theirs); if it cannot grow, the old number of slots stays the bound.
 */
void
hooks_configure(struct hooks *h, const char *path, size_t max_hooks)
{
	struct hook_run *run;

	snprintf(h->path, sizeof h->path, "%s", path);
	h->limit = max_hooks;
	if (max_hooks <= h->max_run)
		return;
	run = realloc(h->run, max_hooks * sizeof *run);
	if (run == NULL)
		return;
	h->run = run;
	h->max_run = max_hooks;
}

void
hooks_free(struct hooks *h)
{
	for (size_t i = 0; i < h->q_len; i++)
		free(h->q[(h->q_head + i) % SKD_HOOK_QUEUE].guard);
	for (size_t i = 0; i < h->n_run; i++)
		if (h->run[i].fd != -1)
			close(h->run[i].fd);
	free(h->run);
	memset(h, 0, sizeof *h);
}

/*
 * hooks_start_pending(h): whether a start run is queued or running; the
 * daemon is not ready until the guard it installs is in place.
 */
bool
hooks_start_pending(const struct hooks *h)
{
	for (size_t i = 0; i < h->n_run; i++)
		if (h->run[i].act == HOOK_START)
			return true;
	for (size_t i = 0; i < h->q_len; i++)
		if (h->q[(h->q_head + i) % SKD_HOOK_QUEUE].act == HOOK_START)
			return true;
	return false;
}

bool
hooks_idle(const struct hooks *h)
{
	return h->n_run == 0 && h->q_len == 0;
}

uint64_t
hooks_deadline(const struct hooks *h)
{
	uint64_t t = SKD_NO_DEADLINE;

	for (size_t i = 0; i < h->n_run; i++)
		if (!h->run[i].killed && h->run[i].kill_ms < t)
			t = h->run[i].kill_ms;
	return t;
}

/* The SKNOCK_* variables, one string each, from binary values. */
struct hook_env {
	char	path[sizeof HOOK_PATH_ENV];
	char	door[16 + SK_NAME_MAX];
	char	client[16 + SK_NAME_MAX];
	char	addr[16 + ADDR_TXT_LEN];
	char	family[32];
	char	proto[32];
	char	port[32];
	char	timeout[32];
	char	*guard;
	char	*envp[10];
};

static bool
env_build(const struct hook_job *j, struct hook_env *e)
{
	char txt[ADDR_TXT_LEN];
	size_t n = 0;

	memcpy(e->path, HOOK_PATH_ENV, sizeof e->path);
	e->envp[n++] = e->path;
	e->guard = NULL;
	if (j->act == HOOK_START || j->act == HOOK_STOP) {
		size_t len = strlen(j->guard ? j->guard : "") + 16;

		e->guard = malloc(len);
		if (e->guard == NULL)
			return false;
		snprintf(e->guard, len, "SKNOCK_GUARD=%s",
		    j->guard ? j->guard : "");
		e->envp[n++] = e->guard;
		e->envp[n] = NULL;
		return true;
	}
	addr_format(&j->ent.addr, txt, sizeof txt);
	snprintf(e->door, sizeof e->door, "SKNOCK_DOOR=%s", j->ent.door);
	snprintf(e->client, sizeof e->client, "SKNOCK_CLIENT=%s",
	    j->ent.client);
	snprintf(e->addr, sizeof e->addr, "SKNOCK_ADDRESS=%s", txt);
	snprintf(e->family, sizeof e->family, "SKNOCK_FAMILY=%d",
	    addr_is_v4(&j->ent.addr) ? 4 : 6);
	snprintf(e->proto, sizeof e->proto, "SKNOCK_PROTO=%s",
	    parse_proto_name(j->ent.proto));
	snprintf(e->port, sizeof e->port, "SKNOCK_PORT=%u",
	    (unsigned)j->ent.port);
	snprintf(e->timeout, sizeof e->timeout, "SKNOCK_TIMEOUT=%u",
	    (unsigned)j->ent.timeout_s);
	e->envp[n++] = e->door;
	e->envp[n++] = e->client;
	e->envp[n++] = e->addr;
	e->envp[n++] = e->family;
	e->envp[n++] = e->proto;
	e->envp[n++] = e->port;
	e->envp[n++] = e->timeout;
	e->envp[n] = NULL;
	return true;
}

/* Signals the daemon blocks or ignores go back to default in the hook. */
static void
spawnattr_init(posix_spawnattr_t *sa)
{
	sigset_t none, def;

	sigemptyset(&none);
	sig_changed_set(&def);
	posix_spawnattr_init(sa);
	posix_spawnattr_setsigmask(sa, &none);
	posix_spawnattr_setsigdefault(sa, &def);
	/* Own process group, so a kill reaches whatever the hook started. */
	posix_spawnattr_setpgroup(sa, 0);
	posix_spawnattr_setflags(sa, POSIX_SPAWN_SETSIGMASK |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
}

/* Start ${j} in slot h->run[h->n_run]; false (logged) if it cannot. */
static bool
spawn_job(struct hooks *h, const struct hook_job *j)
{
	char *path = h->path;
	char act[8];
	char *const argv[] = { path, act, NULL };
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t sa;
	struct hook_env env;
	int pfd[2];
	pid_t pid;
	int rc;

	snprintf(act, sizeof act, "%s", hook_action_name(j->act));
	if (!env_build(j, &env)) {
		log_errx(h->log, "hook %s: out of memory", argv[1]);
		return false;
	}
	if (pipe2(pfd, O_CLOEXEC | O_NONBLOCK) == -1) {
		log_err(h->log, "hook %s: pipe", argv[1]);
		free(env.guard);
		return false;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
	spawnattr_init(&sa);
	rc = posix_spawn(&pid, path, &fa, &sa, argv, env.envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&sa);
	free(env.guard);
	close(pfd[1]);
	h->cnt->hooks_run++;
	if (rc != 0) {
		close(pfd[0]);
		h->cnt->hooks_failed++;
		log_errx(h->log, "hook %s %s: cannot start: %s", path,
		    argv[1], strerror(rc));
		return false;
	}
	h->run[h->n_run] = (struct hook_run){ .pid = pid, .fd = pfd[0],
	    .kill_ms = mono_ms() + SKD_HOOK_LIMIT_MS, .act = j->act };
	h->n_run++;
	log_debug(h->log, "hook %s started, pid %ld", argv[1], (long)pid);
	return true;
}

/* Start queued jobs while slots are free. */
static void
hooks_start_queued(struct hooks *h)
{
	while (h->q_len > 0 && h->n_run < h->max_run && h->n_run < h->limit) {
		struct hook_job *j = &h->q[h->q_head];

		spawn_job(h, j);
		free(j->guard);
		j->guard = NULL;
		h->q_head = (h->q_head + 1) % SKD_HOOK_QUEUE;
		h->q_len--;
	}
}

/*
 * hook_queue(h, act, ent, guard): run the hook for ${act} (with ${ent}
 * for open/close, ${guard} for start/stop) as soon as fewer than
 * max_hooks run.  A full queue drops the run, counted and logged.
 */
void
hook_queue(struct hooks *h, enum hook_action act, const struct open_ent *ent,
    const char *guard)
{
	struct hook_job *j;

	if (h->q_len == SKD_HOOK_QUEUE) {
		h->cnt->hooks_dropped++;
		log_errx(h->log, "hook %s not run: the queue holds %d runs",
		    hook_action_name(act), SKD_HOOK_QUEUE);
		return;
	}
	j = &h->q[(h->q_head + h->q_len) % SKD_HOOK_QUEUE];
	memset(j, 0, sizeof *j);
	j->act = act;
	if (ent != NULL)
		j->ent = *ent;
	if (act == HOOK_START || act == HOOK_STOP) {
		j->guard = strdup(guard ? guard : "");
		if (j->guard == NULL) {
			h->cnt->hooks_dropped++;
			log_errx(h->log, "hook %s not run: out of memory",
			    hook_action_name(act));
			return;
		}
	}
	h->q_len++;
	hooks_start_queued(h);
}

/* hooks_drop_queue(h): forget runs not yet started (at shutdown). */
void
hooks_drop_queue(struct hooks *h)
{
	if (h->q_len > 0)
		log_warnx(h->log, "stopping: %zu queued hook runs dropped",
		    h->q_len);
	h->cnt->hooks_dropped += h->q_len;
	while (h->q_len > 0) {
		free(h->q[h->q_head].guard);
		h->q[h->q_head].guard = NULL;
		h->q_head = (h->q_head + 1) % SKD_HOOK_QUEUE;
		h->q_len--;
	}
}

static void
log_output(struct hooks *h, struct hook_run *r, bool flush_all)
{
	char *nl;

	while ((nl = memchr(r->buf, '\n', r->len)) != NULL) {
		size_t n = (size_t)(nl - r->buf);

		log_info(h->log, "hook %s[%ld]: %.*s", hook_action_name(r->act),
		    (long)r->pid, (int)n, r->buf);
		memmove(r->buf, nl + 1, r->len - n - 1);
		r->len -= n + 1;
	}
	if (r->len > 0 && (flush_all || r->len == sizeof r->buf)) {
		log_info(h->log, "hook %s[%ld]: %.*s", hook_action_name(r->act),
		    (long)r->pid, (int)r->len, r->buf);
		r->len = 0;
	}
}

/* hooks_read(h, i): read what run ${i} wrote, log whole lines. */
void
hooks_read(struct hooks *h, size_t i)
{
	struct hook_run *r = &h->run[i];

	for (int rounds = 0; rounds < 64 && r->fd != -1; rounds++) {
		ssize_t n = read(r->fd, r->buf + r->len, sizeof r->buf - r->len);

		if (n > 0) {
			r->len += (size_t)n;
			log_output(h, r, false);
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			return;
		/* EOF or error: the hook closed its output. */
		close(r->fd);
		r->fd = -1;
		log_output(h, r, true);
	}
}

static void
log_status(struct hooks *h, const struct hook_run *r, int st)
{
	const char *act = hook_action_name(r->act);

	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		log_debug(h->log, "hook %s[%ld] done", act, (long)r->pid);
		return;
	}
	h->cnt->hooks_failed++;
	if (WIFEXITED(st))
		log_errx(h->log, "hook %s %s failed: exit status %d",
		    h->path, act, WEXITSTATUS(st));
	else if (r->killed)
		log_errx(h->log, "hook %s %s killed after %d s (time limit)",
		    h->path, act, SKD_HOOK_LIMIT_MS / 1000);
	else
		log_errx(h->log, "hook %s %s failed: killed by signal %d",
		    h->path, act, WTERMSIG(st));
}

/*
 * hooks_reap(h): collect every finished hook run (SIGCHLD), log its
 * output and status, and start queued runs in the freed slots.  Only
 * its own pids: the capture child is privsep.c's to collect.
 */
void
hooks_reap(struct hooks *h)
{
	int st;

	for (size_t i = 0; i < h->n_run;) {
		struct hook_run *r = &h->run[i];

		if (waitpid(r->pid, &st, WNOHANG) != r->pid) {
			i++;
			continue;
		}
		if (r->fd != -1)
			hooks_read(h, i);
		if (r->fd != -1) {
			/* A grandchild may hold the pipe: stop here. */
			close(r->fd);
			r->fd = -1;
			log_output(h, r, true);
		}
		log_status(h, r, st);
		h->run[i] = h->run[--h->n_run];
	}
	hooks_start_queued(h);
}

/* hooks_timers(h, real_ms): kill runs past their time limit. */
void
hooks_timers(struct hooks *h, uint64_t real_ms)
{
	for (size_t i = 0; i < h->n_run; i++) {
		struct hook_run *r = &h->run[i];

		if (r->killed || r->kill_ms > real_ms)
			continue;
		r->killed = true;
		h->cnt->hooks_killed++;
		log_errx(h->log, "hook %s[%ld] still running after %d s; "
		    "killing it", hook_action_name(r->act), (long)r->pid,
		    SKD_HOOK_LIMIT_MS / 1000);
		if (kill(-r->pid, SIGKILL) == -1)
			kill(r->pid, SIGKILL);
	}
}
