/* loop.c: the one poll() loop: captures, signalfd, hook pipes, timers. */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "daemon.h"
#include "knock.h"
#include "loop.h"
#include "notify.h"
#include "privsep_wire.h"
#include "reload.h"

#define PFD_MAX		(1 + SK_MAX_IFACES + 1024)
#define STOP_WAIT_MS	(SKD_HOOK_LIMIT_MS + 5000)

enum { PFD_SIGNAL, PFD_REST };

/* gather(d, v): everything counted, the capture child's part included. */
static void
gather(struct daemon *d, struct counters_view *v)
{
	memset(v, 0, sizeof *v);
	v->c = &d->cnt;
	seq_get_stats(d->seq, &v->seq);
	if (!d->clk.offline) {	/* the capture child matches sequences */
		struct pmsg_beat t;

		wire_counters(d);
		privsep_totals(&d->ps, &t);
		v->seq.entries = t.seq_entries;
		v->seq.evictions = t.seq_evictions;
		v->seq.expired = t.seq_expired;
	}
	v->open_now = d->opens.n;
	v->replay_cache = replay_count(d->replay);
	v->hooks_running = d->hooks.n_run;
	v->hooks_queued = d->hooks.q_len;
}

static void
log_line(void *l, const char *line)
{
	log_info(l, "%s", line);
}

/* loop_dump_counters(d): SIGUSR1. */
void
loop_dump_counters(struct daemon *d)
{
	struct counters_view v;

	gather(d, &v);
	counters_log_lines(&v, log_line, &d->log);
}

/* loop_write_metrics(d): metrics_file, when due (or ${force}: at exit). */
void
loop_write_metrics(struct daemon *d, bool force)
{
	struct counters_view v;
	char err[SK_PATH_MAX + 128];
	uint64_t now = mono_ms();

	if (d->metrics.path == NULL || (!force && now < d->metrics.next_ms))
		return;
	gather(d, &v);
	if (!metrics_write(&d->metrics, &v, now, err, sizeof err))
		log_limited(&d->log, "metrics_file %s", err);
}

static void check_ready(struct daemon *d);
static void check_reloaded(struct daemon *d);

static void
tables_swap(struct daemon *d, const struct reload_next *n)
{
	if (n->seq != NULL) {
		seq_free(d->seq);
		d->seq = n->seq;
	}
	if (n->rate != NULL) {
		rate_free(d->rate);
		d->rate = n->rate;
	}
}

/* Live: a new capture child when what it captures or matches changed. */
static void
recapture(struct daemon *d, const struct dconf *old)
{
	bool ifaces = d->o.n_ifaces > 0 ||
	    reload_same_ifaces(&old->c, &d->dc->c);

	if (!ifaces) {
		for (size_t i = 0; i < d->dc->c.n_ifaces; i++)
			cap_init(&d->caps[i], d->dc->c.ifaces[i], &d->log,
			    &d->cnt.iface_errors);
		d->n_caps = d->dc->c.n_ifaces;
		d->ready_sent = false;
	}
	wire_reloaded(d, ifaces, reload_child_same(old, d->dc));
}

/*
 * SIGHUP: load the config and every key again.  Anything wrong keeps
 * the old configuration (logged); what reload_build made replaces the
 * old only once all of it was built.  Open doors keep their scheduled
 * closes, even doors that vanished; sequences in flight survive when
 * the doors' steps did not change; revoked clients' keys are wiped.
 */
static void
reload(struct daemon *d)
{
	struct dconf *old = d->dc, *dc;
	struct reload_next n;
	uint64_t t0 = mono_ms();

	log_info(&d->log, "SIGHUP: reloading %s", d->o.conf_path);
	notify_send("RELOADING=1");
	if (!reload_build(d->o.conf_path, !d->o.dry_run, old, &d->log, &n)) {
		notify_send("READY=1");
		reloadctl_answer(&d->rctl, false);
		return;
	}
	tables_swap(d, &n);
	d->dc = dc = n.dc;
	if (!metrics_set(&d->metrics, dc->c.metrics_file, mono_ms()))
		log_errx(&d->log, "metrics_file: out of memory");
	if (!dconf_same_doors(old, dc))
		seq_clear(d->seq);
	log_set_rate(&d->log, dc->c.log_rate);
	hooks_configure(&d->hooks, dc->c.hook, dc->c.max_hooks, dc->guard,
	    dc->guard_fwd);
	if (!d->clk.offline && (d->store.broken ||
	    strcmp(dc->c.state_dir, old->c.state_dir) != 0)) {
		rstore_close(&d->store);
		rstore_open(&d->store, dc->c.state_dir, d->replay, d->clk.now_s,
		    dc->c.window_s, &d->log);
	}
	if (!d->clk.offline)
		recapture(d, old);
	/*
	 * Always, not only when the guard changed: restarting nftables.service
	 * (Debian's nftables.conf begins with "flush ruleset") removes the
	 * guard, and `systemctl reload sknockd` must be enough to restore it.
	 * start is idempotent and keeps the doors that are open.
	 */
	if (!d->o.dry_run)
		hook_queue(&d->hooks, HOOK_START, NULL);
	dconf_warn_unsigned(dc, &d->log);
	dconf_warn_expiry(dc, time(NULL), report_log_warn, &d->log);
	dconf_free(old);
	log_info(&d->log, "reloaded %s: %zu doors, %zu clients in %llu ms",
	    d->o.conf_path, dc->c.n_doors, dc->c.n_clients,
	    (unsigned long long)(mono_ms() - t0));
	d->rctl.pending = true;
	check_reloaded(d);
}

static void
handle_signals(struct daemon *d)
{
	struct signalfd_siginfo si;

	for (int i = 0; i < 64; i++) {
		ssize_t n = read(d->sigfd, &si, sizeof si);

		if (n != (ssize_t)sizeof si)
			return;
		switch (si.ssi_signo) {
		case SIGHUP:
			reloadctl_note(&d->rctl, &si);
			reload(d);
			break;
		case SIGTERM:
		case SIGINT:
			if (!d->stopping)
				log_info(&d->log, "signal %d: stopping",
				    (int)si.ssi_signo);
			d->stopping = true;
			break;
		case SIGCHLD:
			/* The capture child first: its status is worth a line. */
			if (!d->clk.offline)
				privsep_reap(&d->ps);
			hooks_reap(&d->hooks);
			check_ready(d);
			break;
		case SIGUSR1:
			loop_dump_counters(d);
			break;
		default:
			break;
		}
	}
}

static int
timeout_until(uint64_t deadline, uint64_t now)
{
	if (deadline == SKD_NO_DEADLINE)
		return -1;
	if (deadline <= now)
		return 0;
	return deadline - now > INT_MAX ? INT_MAX : (int)(deadline - now);
}

static uint64_t
min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Add the hooks' pipes (runs and server) to ${pfd}. */
static size_t
add_hook_fds(struct daemon *d, struct pollfd *pfd, pid_t *pid, size_t n)
{
	(void)pid;
	return n + hooks_pollfds(&d->hooks, pfd + n, PFD_MAX - n);
}

static void
service_hook_fds(struct daemon *d, const struct pollfd *pfd,
    const pid_t *pid, size_t from, size_t n)
{
	(void)pid;
	hooks_events(&d->hooks, pfd + from, n - from);
}

static void
check_ready(struct daemon *d)
{
	char names[SK_MAX_IFACES * (CONF_IFNAME_MAX + 1)] = "";
	size_t len = 0;

	/* Ready means guarded too: not before the start hook has finished. */
	if (d->ready_sent || (!d->o.dry_run && !hooks_guard_up(&d->hooks)))
		return;
	if (!privsep_ready(&d->ps))
		return;
	for (size_t i = 0; i < d->n_caps; i++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
		    len ? " " : "", d->caps[i].name);
	d->ready_sent = true;
	log_info(&d->log, "ready: capturing on %s", names);
	notify_send("READY=1");
}

/* A reload is done once the start it queued has put the guard back. */
static void
check_reloaded(struct daemon *d)
{
	if (!d->rctl.pending || (!d->o.dry_run &&
	    (hooks_pending(&d->hooks, HOOK_START) || !hooks_guard_up(&d->hooks))))
		return;
	notify_send("READY=1");
	reloadctl_answer(&d->rctl, true);
}

/*
 * Run hooks until none is left.  Each run is bounded by its time limit;
 * with ${bounded} the whole wait is too (at shutdown: the stop hook and
 * whatever still runs get their limit, then a kill, then we go).
 */
static void
wait_hooks(struct daemon *d, bool bounded)
{
	uint64_t give_up = bounded ? mono_ms() + STOP_WAIT_MS : SKD_NO_DEADLINE;
	struct pollfd pfd[PFD_MAX];
	pid_t pid[PFD_MAX];

	while (!hooks_idle(&d->hooks) && mono_ms() < give_up) {
		size_t n = PFD_REST;
		uint64_t now = mono_ms();
		int t;

		pfd[PFD_SIGNAL] = (struct pollfd){ .fd = d->sigfd,
		    .events = POLLIN };
		n = add_hook_fds(d, pfd, pid, n);
		t = timeout_until(min_u64(hooks_deadline(&d->hooks), give_up),
		    now);
		if (poll(pfd, n, t) == -1 && errno != EINTR)
			break;
		service_hook_fds(d, pfd, pid, PFD_REST, n);
		if (pfd[PFD_SIGNAL].revents)
			handle_signals(d);
		hooks_timers(&d->hooks, mono_ms());
	}
	if (!hooks_idle(&d->hooks))
		log_errx(&d->log, "stopping with %zu hooks still running",
		    d->hooks.n_run);
}

static void
shutdown_hooks(struct daemon *d)
{
	notify_send("STOPPING=1");
	hooks_drop_queue(&d->hooks);
	/* Open doors get no close: the nft elements time out by themselves. */
	if (!d->o.dry_run)
		hook_queue(&d->hooks, HOOK_STOP, NULL);
	wait_hooks(d, true);
}

/*
 * loop_live(d): serve the capture child's candidates until SIGTERM or
 * SIGINT.  poll() sleeps until the earliest deadline (a close, a hook's
 * time limit, the child's heartbeat, respawn or interface retry), so an
 * idle daemon wakes only for the heartbeat.  Returns the exit status.
 */
int
loop_live(struct daemon *d)
{
	struct pollfd pfd[PFD_MAX];
	pid_t pid[PFD_MAX];

	wire_start(d);
	while (!d->stopping) {
		size_t n = PFD_REST, hook_from, nl_idx, ps_idx;
		uint64_t real = mono_ms(), dl;
		int t;

		pfd[PFD_SIGNAL] = (struct pollfd){ .fd = d->sigfd,
		    .events = POLLIN };
		ps_idx = n;
		if (d->ps.fd != -1)
			pfd[n++] = (struct pollfd){ .fd = d->ps.fd,
			    .events = POLLIN };
		nl_idx = n;
		if (d->local.nl_fd != -1)
			pfd[n++] = (struct pollfd){ .fd = d->local.nl_fd,
			    .events = POLLIN };
		hook_from = n;
		n = add_hook_fds(d, pfd, pid, n);
		/* Live: the knock clock is the monotonic clock. */
		dl = min_u64(opens_deadline(&d->opens),
		    min_u64(hooks_deadline(&d->hooks),
		    min_u64(privsep_deadline(&d->ps),
		    metrics_deadline(&d->metrics))));
		t = timeout_until(dl, real);
		if (poll(pfd, n, t) == -1 && errno != EINTR) {
			log_err(&d->log, "poll");
			return 1;
		}
		clock_update(&d->clk);
		/* Address changes first: candidates after them see the list. */
		if (nl_idx < hook_from && pfd[nl_idx].revents != 0)
			local_changed(&d->local);
		if (ps_idx < nl_idx && pfd[ps_idx].revents != 0)
			privsep_read(&d->ps, mono_ms());
		service_hook_fds(d, pfd, pid, hook_from, n);
		if (pfd[PFD_SIGNAL].revents)
			handle_signals(d);
		clock_update(&d->clk);
		knock_fire_closes(d);
		hooks_timers(&d->hooks, mono_ms());
		privsep_timers(&d->ps, mono_ms());
		check_ready(d);
		check_reloaded(d);
		loop_write_metrics(d, false);
	}
	privsep_stop(&d->ps);
	shutdown_hooks(d);
	loop_write_metrics(d, true);
	return 0;
}

/* Between batches of a -r file: signals and hook output, no waiting. */
static void
service_now(struct daemon *d)
{
	struct pollfd pfd[PFD_MAX];
	pid_t pid[PFD_MAX];
	size_t n = PFD_REST;

	pfd[PFD_SIGNAL] = (struct pollfd){ .fd = d->sigfd, .events = POLLIN };
	n = add_hook_fds(d, pfd, pid, n);
	if (poll(pfd, n, 0) <= 0)
		return;
	service_hook_fds(d, pfd, pid, PFD_REST, n);
	if (pfd[PFD_SIGNAL].revents)
		handle_signals(d);
	hooks_timers(&d->hooks, mono_ms());
}

/*
 * loop_file(d): read the -r capture to its end with packet time as the
 * knock clock; closes due before the last packet fire, later ones do
 * not.  Returns the exit status: 0 at the end of the file, 1 on a read
 * error.
 */
int
loop_file(struct daemon *d)
{
	struct capture *c = &d->caps[0];
	int rc = 0;

	for (;;) {
		int n = cap_drain(c, 4096, wire_file_frame, d);

		if (n == 0)
			break;
		if (n < 0) {
			rc = 1;
			break;
		}
		service_now(d);
		if (d->stopping)
			break;
	}
	log_info(&d->log, "%s: %llu packets, %llu opens, %llu closes, "
	    "%llu tokens verified", d->o.pcap_file,
	    (unsigned long long)d->cnt.packets,
	    (unsigned long long)d->cnt.opens,
	    (unsigned long long)d->cnt.closes,
	    (unsigned long long)d->cnt.tokens_verified);
	if (!d->o.dry_run) {
		/* The file's decisions all get their hook runs, then stop. */
		if (!d->stopping)
			wait_hooks(d, false);
		shutdown_hooks(d);
	}
	/* -r: once, at the end; the file's clock is not the writer's. */
	loop_write_metrics(d, true);
	return rc;
}
