/* reload.c: SIGHUP: a new config and keys, keeping the daemon's state. */
#include <stdio.h>
#include <string.h>

#include "rate.h"
#include "seq.h"
#include "sknockd.h"

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

/* Tables whose size or limits changed are rebuilt; false if no memory. */
static bool
resize_tables(struct daemon *d, const struct conf *old, const struct conf *c)
{
	if (c->max_sources != old->max_sources) {
		struct seq_table *s = seq_new(c->max_sources);

		if (s == NULL)
			return false;
		seq_free(d->seq);
		d->seq = s;
	}
	if (c->max_sources != old->max_sources ||
	    c->verify_per_source != old->verify_per_source ||
	    c->verify_global != old->verify_global) {
		struct rate_table *r = rate_new(rate_cap(c),
		    c->verify_per_source, c->verify_global);

		if (r == NULL)
			return false;
		rate_free(d->rate);
		d->rate = r;
	}
	return true;
}

static void
recapture(struct daemon *d, const struct dconf *old)
{
	if (d->o.n_ifaces == 0 && !same_ifaces(&old->c, &d->dc->c)) {
		for (size_t i = 0; i < d->n_caps; i++)
			cap_close(&d->caps[i]);
		for (size_t i = 0; i < d->dc->c.n_ifaces; i++)
			cap_init(&d->caps[i], d->dc->c.ifaces[i]);
		d->n_caps = d->dc->c.n_ifaces;
		d->ready_sent = false;
		return;		/* the loop opens them */
	}
	for (size_t i = 0; i < d->n_caps; i++)
		if (d->caps[i].p != NULL)
			cap_refilter(d, &d->caps[i]);
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
	if (!resize_tables(d, &old->c, &dc->c)) {
		log_errx(&d->log, "reload failed: out of memory; keeping the "
		    "old configuration");
		dconf_free(dc);
		notify_send("READY=1");
		return;
	}
	d->dc = dc;
	if (!dconf_same_doors(old, dc))
		seq_clear(d->seq);
	log_set_rate(&d->log, dc->c.log_rate);
	hooks_set_max(&d->hooks, dc->c.max_hooks);
	if (!d->offline && (d->store.broken ||
	    strcmp(dc->c.state_dir, old->c.state_dir) != 0)) {
		rstore_close(&d->store);
		rstore_open(d);
	}
	if (!d->offline)
		recapture(d, old);
	/*
	 * Always, not only when the guard changed: restarting nftables.service
	 * (Debian's nftables.conf begins with "flush ruleset") removes the
	 * guard, and `systemctl reload sknockd` must be enough to restore it.
	 * start is idempotent and keeps the doors that are open.
	 */
	hook_queue(d, HOOK_START, NULL);
	warn_unsigned(d);
	dconf_free(old);
	log_info(&d->log, "reloaded %s: %zu doors, %zu clients",
	    d->o.conf_path, dc->c.n_doors, dc->c.n_clients);
	notify_send("READY=1");
}
