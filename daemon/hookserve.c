/* hookserve.c: the hook as a server (DESIGN.md "Hook servers"), never blocking. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "hook.h"

#define GREETING	"sknock-hook 1"
/* "I run once per action and understand check": no other hook gets it. */
#define GREETING0	"sknock-hook 0"

static void
close_fds(struct hook_server *s)
{
	int *f[] = { &s->fds.in, &s->fds.out, &s->fds.err };

	for (size_t i = 0; i < 3; i++)
		if (*f[i] != -1) {
			close(*f[i]);
			*f[i] = -1;
		}
}

void
hooksrv_start(struct hooks *h, uint64_t now)
{
	struct hook_server *s = &h->srv;
	char act[] = "serve", path[] = SKD_HOOK_PATH_ENV;
	char *argv[] = { h->sp.name, act, NULL };
	char *envp[] = { path, NULL };
	int rc;

	s->state = SRV_OFF;
	if (h->sp.dir_fd == -1)
		return;
	rc = hookproc_spawn(&h->sp, argv, envp, true, &s->pid, &s->fds);
	if (rc != 0) {
		log_errx(h->log, "hook %s serve: cannot start: %s; one run per "
		    "action", h->path, strerror(rc));
		s->pid = -1;
		return;
	}
	s->reaped = false;
	s->state = SRV_GREETING;
	s->due_ms = now + SKD_HOOK_GREET_MS;
	s->reply_len = 0;
	/* It serves opens, which anyone can cause on an unsigned door. */
	s->err = (struct hookproc_out){ .limited = true };
}

/* Kill the process group and forget the pipes; reaped later. */
static void
kill_srv(struct hook_server *s)
{
	close_fds(s);
	if (s->pid <= 0)
		return;
	if (kill(-s->pid, SIGKILL) == -1)
		kill(s->pid, SIGKILL);
	if (!s->reaped && waitpid(s->pid, NULL, WNOHANG) != s->pid)
		s->dead_pid = s->pid;
	s->pid = -1;
}

/* hooksrv_stop(h): end the server (a new hook, or shutdown); a request in
 * flight is retried as a one-shot run (a check is not: see died). */
void
hooksrv_stop(struct hooks *h)
{
	struct hook_server *s = &h->srv;

	if (s->busy && s->job.act != HOOK_CHECK)
		hook_requeue(h, &s->job);
	s->busy = false;
	kill_srv(s);
	s->state = SRV_OFF;
}

/*
 * hooksrv_end(h): at exit, close the server's input (a server ends at the
 * end of its input) and ask it to stop; no wait, nothing is in flight.
 */
void
hooksrv_end(struct hooks *h)
{
	struct hook_server *s = &h->srv;

	close_fds(s);
	if (s->pid > 0 && !s->reaped)
		kill(s->pid, SIGTERM);
	s->pid = -1;
	s->state = SRV_OFF;
}

/* The hook is no server (no greeting, or not in time): one-shot runs. */
static void
not_a_server(struct hooks *h, const char *why)
{
	log_info(h->log, "hook %s does not serve (%s); running it once per "
	    "action", h->path, why);
	kill_srv(&h->srv);
	h->srv.state = SRV_OFF;
}

/*
 * A server died (or broke the protocol, or stopped answering): logged,
 * restarted after a back-off that grows while it keeps dying, and the
 * action it served retried once as a one-shot run.  Not a check: a
 * server may know check only as a request; the next one goes to the
 * new server.
 */
static void
died(struct hooks *h, const char *why, uint64_t now)
{
	struct hook_server *s = &h->srv;
	bool retry = s->busy && !s->job.oneshot && s->job.act != HOOK_CHECK;
	unsigned shift;

	if (!s->serves) {
		not_a_server(h, why);
		return;
	}
	s->deaths++;
	h->cnt->hooks_failed++;
	log_errx(h->log, "hook server %s[%ld] died (%s); restarting it%s%s%s",
	    h->path, (long)s->pid, why, retry ? ", and running " : "",
	    retry ? hook_action_name(s->job.act) : "",
	    retry ? " again as a one-shot run" : "");
	if (retry)
		hook_requeue(h, &s->job);
	s->busy = false;
	kill_srv(s);
	shift = s->deaths > 6 ? 5 : s->deaths - 1;
	s->restart_ms = now + (s->deaths == 1 ? 0 : (1000u << shift));
	s->state = SRV_WAIT;
}

bool
hooksrv_send(struct hooks *h, const struct hook_job *j, uint64_t now)
{
	struct hook_server *s = &h->srv;
	ssize_t n;

	if (!hook_env_line(h, j, s->req, sizeof s->req))
		return false;
	s->req_len = strlen(s->req);
	s->req_off = 0;
	s->busy = true;
	s->job = *j;
	s->due_ms = now + SKD_HOOK_LIMIT_MS;
	h->cnt->hooks_run++;
	n = write(s->fds.in, s->req, s->req_len);
	s->job.ent.tm.requested_us = timing_now_us();
	if (n > 0)
		s->req_off = (size_t)n;
	else if (n == -1 && errno != EAGAIN && errno != EINTR)
		died(h, strerror(errno), now);
	return true;
}

/* One line from the server's stdout. */
static void
reply_line(struct hooks *h, const char *line, uint64_t now)
{
	struct hook_server *s = &h->srv;
	struct hook_job j = s->job;

	if (s->state == SRV_GREETING) {
		if (strcmp(line, GREETING0) == 0 && !s->serves) {
			s->proto0 = true;
			log_info(h->log, "hook %s runs once per action and "
			    "checks the guard (%s)", h->path, GREETING0);
			kill_srv(s);	/* it exits anyway */
			s->state = SRV_OFF;
			return;
		}
		if (strcmp(line, GREETING) != 0) {
			not_a_server(h, "its first line is not the greeting");
			return;
		}
		s->state = SRV_UP;
		s->serves = true;
		log_info(h->log, "hook %s serves (pid %ld): one process for "
		    "all actions", h->path, (long)s->pid);
		return;
	}
	if (!s->busy || (strcmp(line, "ok") != 0 &&
	    strncmp(line, "error ", 6) != 0)) {
		died(h, "a reply that is neither ok nor error", now);
		return;
	}
	s->busy = false;
	s->err.logged = 0;	/* the log bound is per request */
	if (strcmp(line, "ok") == 0) {
		s->deaths = 0;
		hook_done(h, &j, true, "ok");
		return;
	}
	if (j.act != HOOK_CHECK) {
		h->cnt->hooks_failed++;
		log_limited(h->log, "hook %s %s failed: %.200s", h->path,
		    hook_action_name(j.act), line + 6);
	}
	hook_done(h, &j, false, line + 6);
}

static void
read_replies(struct hooks *h, uint64_t now)
{
	struct hook_server *s = &h->srv;
	ssize_t n;
	char *nl;

	n = read(s->fds.out, s->reply + s->reply_len,
	    sizeof s->reply - s->reply_len);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		char why[64];
		int st;

		/* Most often it has exited: say how, if it is already known. */
		snprintf(why, sizeof why, "%s", n == 0 ? "it closed its output" :
		    strerror(errno));
		if (s->pid > 0 && !s->reaped &&
		    waitpid(s->pid, &st, WNOHANG) == s->pid) {
			s->reaped = true;
			snprintf(why, sizeof why, WIFEXITED(st) ?
			    "exit status %d" : "killed by signal %d",
			    WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
		}
		died(h, why, now);
		return;
	}
	s->reply_len += (size_t)n;
	while (s->fds.out != -1 &&
	    (nl = memchr(s->reply, '\n', s->reply_len)) != NULL) {
		size_t len = (size_t)(nl - s->reply);

		*nl = '\0';
		reply_line(h, s->reply, now);
		memmove(s->reply, nl + 1, s->reply_len - len - 1);
		s->reply_len -= len + 1;
	}
	if (s->reply_len == sizeof s->reply)
		died(h, "a reply line longer than 512 bytes", now);
}

void
hooksrv_events(struct hooks *h, const struct pollfd *pfd, size_t n,
    uint64_t now)
{
	struct hook_server *s = &h->srv;
	char tag[64];

	snprintf(tag, sizeof tag, "hook serve[%ld]", (long)s->pid);
	for (size_t k = 0; k < n; k++) {
		if (pfd[k].revents == 0 || pfd[k].fd == -1)
			continue;
		if (pfd[k].fd == s->fds.err &&
		    !hookproc_drain(s->fds.err, &s->err, h->log, tag)) {
			close(s->fds.err);
			s->fds.err = -1;
		} else if (pfd[k].fd == s->fds.in && s->req_off < s->req_len) {
			ssize_t w = write(s->fds.in, s->req + s->req_off,
			    s->req_len - s->req_off);

			if (w > 0)
				s->req_off += (size_t)w;
			else if (w == -1 && errno != EAGAIN && errno != EINTR)
				died(h, strerror(errno), now);
		} else if (pfd[k].fd == s->fds.out)
			read_replies(h, now);
	}
}

size_t
hooksrv_pollfds(const struct hooks *h, struct pollfd *pfd, size_t cap)
{
	const struct hook_server *s = &h->srv;
	size_t n = 0;

	if (s->fds.out != -1 && n < cap)
		pfd[n++] = (struct pollfd){ .fd = s->fds.out, .events = POLLIN };
	if (s->fds.err != -1 && n < cap)
		pfd[n++] = (struct pollfd){ .fd = s->fds.err, .events = POLLIN };
	if (s->fds.in != -1 && s->req_off < s->req_len && n < cap)
		pfd[n++] = (struct pollfd){ .fd = s->fds.in, .events = POLLOUT };
	return n;
}

/* A greeting ("sknock-hook 0" above all) written just before the hook
 * exited is in the pipe still: read it before deciding what the hook is. */
static void
read_greeting(struct hooks *h, uint64_t now)
{
	struct hook_server *s = &h->srv;
	ssize_t n = read(s->fds.out, s->reply + s->reply_len,
	    sizeof s->reply - s->reply_len);
	char *nl;

	if (n <= 0)
		return;
	s->reply_len += (size_t)n;
	nl = memchr(s->reply, '\n', s->reply_len);
	if (nl == NULL)
		return;
	*nl = '\0';
	reply_line(h, s->reply, now);
}

void
hooksrv_reap(struct hooks *h, uint64_t now)
{
	struct hook_server *s = &h->srv;
	char why[64];
	int st;

	if (s->dead_pid > 0 && waitpid(s->dead_pid, NULL, WNOHANG) ==
	    s->dead_pid)
		s->dead_pid = 0;
	if (s->pid == -1 || s->reaped ||
	    waitpid(s->pid, &st, WNOHANG) != s->pid)
		return;
	s->reaped = true;
	if (WIFEXITED(st))
		snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(st));
	else
		snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(st));
	if (s->fds.err != -1) {
		char tag[64];

		snprintf(tag, sizeof tag, "hook serve[%ld]", (long)s->pid);
		hookproc_drain(s->fds.err, &s->err, h->log, tag);
		hookproc_flush(&s->err, h->log, tag);
	}
	if (s->state == SRV_GREETING && s->fds.out != -1)
		read_greeting(h, now);
	if (s->state == SRV_GREETING && !s->serves)
		not_a_server(h, why);
	else if (s->state == SRV_GREETING || s->state == SRV_UP)
		died(h, why, now);
}

void
hooksrv_timers(struct hooks *h, uint64_t now)
{
	struct hook_server *s = &h->srv;

	if (s->state == SRV_GREETING && s->due_ms <= now)
		died(h, "no greeting within 2 s", now);
	else if (s->state == SRV_UP && s->busy && s->due_ms <= now) {
		h->cnt->hooks_killed++;
		died(h, "no reply within 10 s; killed", now);
	} else if (s->state == SRV_WAIT && s->restart_ms <= now)
		hooksrv_start(h, now);
}
