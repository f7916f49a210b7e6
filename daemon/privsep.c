/* privsep.c: fork, watch and replace the capture child (parent side). */
#include "privsep.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

#define READ_BATCH	512	/* messages per privsep_read call */

void
privsep_init(struct privsep *p, struct sklog *log,
    privsep_child_fn *child_fn, privsep_msg_fn *msg_fn, void *ctx)
{
	memset(p, 0, sizeof *p);
	p->pid = -1;
	p->fd = -1;
	p->log = log;
	p->child_fn = child_fn;
	p->msg_fn = msg_fn;
	p->ctx = ctx;
	p->if_backoff_ms = PRIVSEP_IF_RETRY_MS;
}

void
privsep_set_ifaces(struct privsep *p, const char (*names)[CONF_IFNAME_MAX],
    size_t n)
{
	p->n_ifs = n < SK_MAX_IFACES ? n : SK_MAX_IFACES;
	memset(p->ifs, 0, sizeof p->ifs);
	for (size_t i = 0; i < p->n_ifs; i++)
		snprintf(p->ifs[i].name, sizeof p->ifs[i].name, "%s", names[i]);
}

static void
add_beat(struct pmsg_beat *to, const struct pmsg_beat *from)
{
	uint64_t a[sizeof *to / sizeof(uint64_t)], b[sizeof a / sizeof a[0]];

	memcpy(a, to, sizeof a);
	memcpy(b, from, sizeof b);
	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
		a[i] += b[i];
	memcpy(to, a, sizeof a);
}

void
privsep_totals(const struct privsep *p, struct pmsg_beat *out)
{
	*out = p->dead;
	add_beat(out, &p->cur);
}

static const char *
status_text(int st, char *buf, size_t len)
{
	if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(st),
		    strsignal(WTERMSIG(st)));
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(st));
	else
		snprintf(buf, len, "stopped (status 0x%x)", (unsigned)st);
	return buf;
}

/* Collect ${pid} if it has finished; true once it is gone. */
static bool
collect(struct privsep *p, pid_t pid, bool say)
{
	char txt[96];
	int st;
	pid_t r = waitpid(pid, &st, WNOHANG);

	if (r == 0)
		return false;
	if (r == pid && say)
		log_warnx(p->log, "capture child %ld %s", (long)pid,
		    status_text(st, txt, sizeof txt));
	return true;	/* reaped, or ECHILD: gone either way */
}

/*
 * The running child is over (dead, hung, lying or replaced).  Unless it
 * was ${reaped} already (its pid may then be someone else's), it is
 * killed and collected now or on SIGCHLD.
 */
static void
end_child(struct privsep *p, bool reaped)
{
	if (p->pid <= 0)
		return;
	reaped = reaped || p->reaped;
	if (!reaped)
		kill(p->pid, SIGKILL);
	p->ended_ms = mono_ms();
	close(p->fd);
	p->fd = -1;
	add_beat(&p->dead, &p->cur);
	memset(&p->cur, 0, sizeof p->cur);
	for (size_t i = 0; i < p->n_ifs; i++)
		p->ifs[i].up = p->ifs[i].reported = false;
	if (p->dying > 0)
		(void)collect(p, p->dying, true);
	p->dying = reaped ? 0 : p->pid;
	p->pid = -1;
	if (p->dying > 0 && collect(p, p->dying, true))
		p->dying = 0;
}

/*
 * A child that lived less than PRIVSEP_STABLE_MS died "quickly": the
 * first such death is replaced at once, each further one in a row waits
 * twice as long (an attacker who can crash the decoder gets a new child
 * at most every minute, and the daemon never spins).
 */
static void
child_failed(struct privsep *p, uint64_t now_ms, const char *why,
    bool reaped)
{
	uint64_t delay = 0;

	if (now_ms < p->spawned_ms + PRIVSEP_STABLE_MS)
		p->quick_deaths++;
	else
		p->quick_deaths = 1;
	if (p->quick_deaths > 1) {
		unsigned sh = p->quick_deaths - 2;

		delay = sh >= 16 ? PRIVSEP_BACKOFF_MAX_MS :
		    (uint64_t)PRIVSEP_BACKOFF_MS << sh;
		if (delay > PRIVSEP_BACKOFF_MAX_MS)
			delay = PRIVSEP_BACKOFF_MAX_MS;
	}
	log_warnx(p->log, "capture child %ld %s; %s", (long)p->pid, why,
	    delay == 0 ? "replacing it now" : "replacing it after a delay");
	if (delay != 0)
		log_warnx(p->log, "capture child died %u times in a row; next "
		    "one in %llu ms", p->quick_deaths, (unsigned long long)delay);
	end_child(p, reaped);
	p->respawn_ms = now_ms + delay;
	p->replaced++;
	if (delay == 0)
		privsep_spawn(p, now_ms);
}

bool
privsep_spawn(struct privsep *p, uint64_t now_ms)
{
	int sv[2];
	pid_t pid;

	if (p->pid > 0)
		return true;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) == -1) {
		log_warn(p->log, "capture child: socketpair");
		p->respawn_ms = now_ms + PRIVSEP_BACKOFF_MS;
		return false;
	}
	fflush(NULL);	/* the child must not write our buffers again */
	pid = fork();
	if (pid == -1) {
		log_warn(p->log, "capture child: fork");
		close(sv[0]);
		close(sv[1]);
		p->respawn_ms = now_ms + PRIVSEP_BACKOFF_MS;
		return false;
	}
	if (pid == 0) {
		close(sv[0]);
		p->child_fn(p->ctx, sv[1]);
		_exit(1);
	}
	close(sv[1]);
	fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);
	p->pid = pid;
	p->reaped = false;
	p->announced = false;
	p->fd = sv[0];
	p->spawned_ms = now_ms;
	p->last_msg_ms = now_ms;
	log_debug(p->log, "capture child %ld started", (long)pid);
	return true;
}

void
privsep_replace(struct privsep *p, uint64_t now_ms, const char *why)
{
	if (p->pid > 0) {
		privsep_read(p, now_ms);	/* what it saw so far counts */
		log_info(p->log, "capture child %ld replaced: %s",
		    (long)p->pid, why);
		end_child(p, false);
		p->replaced++;
	}
	privsep_spawn(p, now_ms);
}

static bool
on_iface(struct privsep *p, const struct pmsg_iface *f)
{
	struct privsep_iface *i;

	if (f->idx >= p->n_ifs)
		return false;
	i = &p->ifs[f->idx];
	/* Rate-limited: a compromised child must not flood the log. */
	if (f->state == PMSG_IF_UP && !i->up && i->reported)
		log_limited(p->log, "interface %s: capturing", i->name);
	i->up = f->state == PMSG_IF_UP;
	i->reported = true;
	if (!i->up && !p->log->to_stderr)	/* the child has no syslog */
		log_limited(p->log, "interface %s: %s; retrying every %u s",
		    i->name, f->text, PRIVSEP_IF_RETRY_MS / 1000);
	if (privsep_ready(p) && !p->announced) {
		/* Tests measure the replacement time from this line (not
		 * "ready": that word is the whole daemon's, DESIGN.md). */
		p->announced = true;
		if (p->ended_ms != 0)
			log_info(p->log, "capture child %ld up: sandboxed, "
			    "capturing, %llu ms after the last one ended",
			    (long)p->pid,
			    (unsigned long long)(mono_ms() - p->ended_ms));
		else
			log_info(p->log, "capture child %ld up: sandboxed, "
			    "capturing", (long)p->pid);
	}
	return true;
}

/* One datagram from the child: false if the child must go. */
static bool
take(struct privsep *p, const uint8_t *buf, ssize_t n, uint64_t now_ms)
{
	struct pmsg m;
	enum pmsg_err e = pmsg_decode(buf, (size_t)n, &m);
	char why[128];

	if (e != PMSG_OK) {
		snprintf(why, sizeof why, "sent a malformed message (%s)",
		    pmsg_strerror(e));
		child_failed(p, now_ms, why, false);
		return false;
	}
	p->last_msg_ms = now_ms;
	if (m.type == PMSG_FORGET) {
		child_failed(p, now_ms, "sent the parent's message", false);
		return false;
	}
	if (m.type == PMSG_BEAT) {
		p->cur = m.u.beat;
		return true;
	}
	if (m.type == PMSG_IFACE && !on_iface(p, &m.u.iface)) {
		child_failed(p, now_ms, "named an interface it does not have",
		    false);
		return false;
	}
	if (m.type == PMSG_CAND && !p->msg_fn(p->ctx, &m)) {
		child_failed(p, now_ms, "named a door that does not exist",
		    false);
		return false;
	}
	return p->pid > 0;
}

/*
 * Take up to READ_BATCH waiting messages.  Returns 1 when the socket is
 * drained, 0 at its end (the child died), -1 on a socket error, -2 when
 * a message ended the child (p->pid may be its successor's by then).
 */
static int
drain(struct privsep *p, uint64_t now_ms)
{
	uint8_t buf[PMSG_LEN + 1];	/* one more: a longer one shows */
	int rc = 1, i;

	for (i = 0; i < READ_BATCH; i++) {
		ssize_t n = recv(p->fd, buf, sizeof buf, MSG_DONTWAIT);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			rc = n == 0 ? 0 : -1;
			break;
		}
		if (!take(p, buf, n, now_ms))
			return -2;
	}
	/* Heard from it now, however long the batch took us. */
	if (i > 0 && p->pid > 0)
		p->last_msg_ms = mono_ms();
	return rc;
}

void
privsep_read(struct privsep *p, uint64_t now_ms)
{
	int rc;

	if (p->pid <= 0)
		return;
	rc = drain(p, now_ms);
	if (rc == 0)
		child_failed(p, now_ms, "closed its socket (it died)", false);
	else if (rc == -1)
		child_failed(p, now_ms, "socket error", false);
}

/* The interface exists and is up, so a new child could open it. */
static bool
iface_usable(const char *name)
{
	struct ifreq ifr;
	int s;
	bool up;

	if (strcmp(name, "any") == 0)
		return true;
	if (if_nametoindex(name) == 0)
		return false;
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return true;	/* cannot tell: let a child try */
	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", name);
	up = ioctl(s, SIOCGIFFLAGS, &ifr) == -1 || (ifr.ifr_flags & IFF_UP);
	close(s);
	return up;
}

static bool
any_down(const struct privsep *p)
{
	for (size_t i = 0; i < p->n_ifs; i++)
		if (p->ifs[i].reported && !p->ifs[i].up)
			return true;
	return false;
}

/*
 * A child cannot reopen a capture (it has no CAP_NET_RAW): when a
 * missing interface is there and up, a new child opens every handle.
 * Each replacement that did not help doubles the wait, so an interface
 * that exists but cannot be captured does not keep resetting the other
 * interfaces' sequences.
 */
static void
retry_ifaces(struct privsep *p, uint64_t now_ms)
{
	if (!any_down(p)) {
		p->if_backoff_ms = PRIVSEP_IF_RETRY_MS;
		return;
	}
	if (now_ms < p->if_retry_ms)
		return;
	p->if_retry_ms = now_ms + PRIVSEP_IF_RETRY_MS;
	for (size_t i = 0; i < p->n_ifs; i++) {
		char why[CONF_IFNAME_MAX + 32];

		if (!p->ifs[i].reported || p->ifs[i].up ||
		    !iface_usable(p->ifs[i].name))
			continue;
		snprintf(why, sizeof why, "interface %s is there again",
		    p->ifs[i].name);
		p->if_retry_ms = now_ms + p->if_backoff_ms;
		p->if_backoff_ms = p->if_backoff_ms * 2 > PRIVSEP_BACKOFF_MAX_MS ?
		    PRIVSEP_BACKOFF_MAX_MS : p->if_backoff_ms * 2;
		privsep_replace(p, now_ms, why);
		return;
	}
}

void
privsep_timers(struct privsep *p, uint64_t now_ms)
{
	/*
	 * What waits in the socket is a sign of life; only then is silence
	 * the child's fault and not our own slowness.  (last_msg_ms may be
	 * later than ${now_ms}: a batch ends with the clock read again.)
	 */
	if (p->pid > 0 && now_ms >= p->last_msg_ms + PRIVSEP_HUNG_MS)
		privsep_read(p, now_ms);
	if (p->pid > 0 && now_ms >= p->last_msg_ms + PRIVSEP_HUNG_MS) {
		char why[64];

		snprintf(why, sizeof why, "sent nothing for %llu ms (hung)",
		    (unsigned long long)(now_ms - p->last_msg_ms));
		child_failed(p, now_ms, why, false);
	}
	if (p->pid <= 0 && now_ms >= p->respawn_ms)
		privsep_spawn(p, now_ms);
	if (p->pid > 0)
		retry_ifaces(p, now_ms);
}

uint64_t
privsep_deadline(const struct privsep *p)
{
	uint64_t t;

	if (p->pid <= 0)
		return p->respawn_ms;
	t = p->last_msg_ms + PRIVSEP_HUNG_MS;
	if (any_down(p) && p->if_retry_ms < t)
		t = p->if_retry_ms;
	return t;
}

void
privsep_reap(struct privsep *p)
{
	uint64_t now_ms = mono_ms();
	char txt[96];
	int st;

	if (p->dying > 0 && collect(p, p->dying, true))
		p->dying = 0;
	if (p->pid <= 0 || waitpid(p->pid, &st, WNOHANG) != p->pid)
		return;
	/* Reaped before we saw its EOF: what it sent before counts. */
	p->reaped = true;
	if (drain(p, now_ms) != -2)
		child_failed(p, now_ms, status_text(st, txt, sizeof txt), true);
}

bool
privsep_ready(const struct privsep *p)
{
	if (p->pid <= 0)
		return false;
	for (size_t i = 0; i < p->n_ifs; i++)
		if (!p->ifs[i].up)
			return false;
	return true;
}

void
privsep_stop(struct privsep *p)
{
	end_child(p, false);
	if (p->dying > 0)
		(void)waitpid(p->dying, NULL, 0);
	p->dying = 0;
}

/*
 * privsep_send(p, m): one message to the running child, without
 * waiting; false if there is none or its socket is full (what is lost
 * is a forget: the attempt then lives to its seq_timeout).
 */
bool
privsep_send(struct privsep *p, const struct pmsg *m)
{
	uint8_t buf[PMSG_LEN];

	if (p->pid <= 0 || p->fd == -1 || pmsg_encode(m, buf) != PMSG_OK)
		return false;
	return send(p->fd, buf, sizeof buf, MSG_DONTWAIT | MSG_NOSIGNAL) ==
	    (ssize_t)sizeof buf;
}
