/* reload.c: SIGHUP: a new config and keys, keeping the daemon's state. */
#include <stdio.h>
#include <string.h>

#include "rate.h"
#include "seq.h"
#include "daemon.h"
#include "log.h"
#include "notify.h"
#include "privsep_wire.h"
#include "reload.h"

static bool
same_ifaces(const struct conf *a, const struct conf *b)
{
	if (a->n_ifaces != b->n_ifaces)
		return false;
	for (size_t i = 0; i < a->n_ifaces; i++)
		if (strcmp(a->ifaces[i], b->ifaces[i]) != 0)
			return false;
	return true;
}

/* The tables a new configuration needs; NULL where the old one stays. */
struct tables {
	struct seq_table	*seq;
	struct rate_table	*rate;
};

/*
 * Build the tables whose size or limits changed, replacing nothing, so
 * a failure leaves the daemon as it was.  false if memory runs out.
 */
static bool
tables_build(const struct conf *old, const struct conf *c, struct tables *t)
{
	t->seq = NULL;
	t->rate = NULL;
	if (c->max_sources != old->max_sources) {
		t->seq = seq_new(c->max_sources);
		if (t->seq == NULL)
			return false;
	}
	if (c->max_sources != old->max_sources ||
	    c->verify_per_source != old->verify_per_source ||
	    c->verify_global != old->verify_global) {
		t->rate = rate_new(rate_cap(c), c->verify_per_source,
		    c->verify_global);
		if (t->rate == NULL) {
			seq_free(t->seq);
			t->seq = NULL;
			return false;
		}
	}
	return true;
}

static void
tables_swap(struct daemon *d, const struct tables *t)
{
	if (t->seq != NULL) {
		seq_free(d->seq);
		d->seq = t->seq;
	}
	if (t->rate != NULL) {
		rate_free(d->rate);
		d->rate = t->rate;
	}
}

/* What the capture child was forked with is still what is in force. */
static bool
child_same(const struct dconf *a, const struct dconf *b)
{
	if (!dconf_same_doors(a, b) || a->c.max_sources != b->c.max_sources)
		return false;
	for (size_t i = 0; i < a->c.n_doors; i++)
		if (a->c.doors[i].is_signed != b->c.doors[i].is_signed ||
		    a->seq[i].seq_timeout_ms != b->seq[i].seq_timeout_ms)
			return false;
	return true;
}

/* Live: a new capture child when what it captures or matches changed. */
static void
recapture(struct daemon *d, const struct dconf *old)
{
	bool ifaces = d->o.n_ifaces > 0 || same_ifaces(&old->c, &d->dc->c);

	if (!ifaces) {
		for (size_t i = 0; i < d->dc->c.n_ifaces; i++)
			cap_init(&d->caps[i], d->dc->c.ifaces[i], &d->log,
			    &d->cnt.iface_errors);
		d->n_caps = d->dc->c.n_ifaces;
		d->ready_sent = false;
	}
	wire_reloaded(d, ifaces, child_same(old, d->dc));
}

/*
 * daemon_reload(d): load the config and every key again.  Anything wrong
 * keeps the old configuration (logged).  Open doors keep their scheduled
 * closes, even doors that vanished; sequences in flight survive when the
 * doors' steps did not change; revoked clients' keys are wiped.
 */
void
daemon_reload(struct daemon *d)
{
	struct dconf *old = d->dc, *dc;
	struct tables t;
	unsigned n_err;

	log_info(&d->log, "SIGHUP: reloading %s", d->o.conf_path);
	notify_send("RELOADING=1");
	dc = dconf_load(d->o.conf_path, !d->o.dry_run, report_log, &d->log,
	    &n_err);
	if (dc == NULL) {
		log_errx(&d->log, "reload failed: %u error%s in %s; keeping the "
		    "old configuration", n_err, n_err == 1 ? "" : "s",
		    d->o.conf_path);
		notify_send("READY=1");
		return;
	}
	if (!tables_build(&old->c, &dc->c, &t)) {
		log_errx(&d->log, "reload failed: out of memory; keeping the "
		    "old configuration");
		dconf_free(dc);
		notify_send("READY=1");
		return;
	}
	/* Everything that can fail is built: from here on, all applies. */
	tables_swap(d, &t);
	d->dc = dc;
	if (!dconf_same_doors(old, dc))
		seq_clear(d->seq);
	log_set_rate(&d->log, dc->c.log_rate);
	hooks_configure(&d->hooks, dc->c.hook, dc->c.max_hooks);
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
		hook_queue(&d->hooks, HOOK_START, NULL, dc->guard);
	dconf_warn_unsigned(dc, &d->log);
	dconf_free(old);
	log_info(&d->log, "reloaded %s: %zu doors, %zu clients",
	    d->o.conf_path, dc->c.n_doors, dc->c.n_clients);
	notify_send("READY=1");
}
