/* reload.c: SIGHUP: build the next configuration without touching the old. */
#include <stdio.h>
#include <string.h>

#include "reload.h"

bool
reload_same_ifaces(const struct conf *a, const struct conf *b)
{
	if (a->n_ifaces != b->n_ifaces)
		return false;
	for (size_t i = 0; i < a->n_ifaces; i++)
		if (strcmp(a->ifaces[i], b->ifaces[i]) != 0)
			return false;
	return true;
}

/* Build the tables whose size or limits changed; false if no memory. */
static bool
tables_build(const struct conf *old, const struct conf *c,
    struct reload_next *t)
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

bool
reload_child_same(const struct dconf *a, const struct dconf *b)
{
	if (!dconf_same_doors(a, b) || a->c.max_sources != b->c.max_sources)
		return false;
	for (size_t i = 0; i < a->c.n_doors; i++)
		if (a->c.doors[i].is_signed != b->c.doors[i].is_signed ||
		    a->seq[i].seq_timeout_ms != b->seq[i].seq_timeout_ms)
			return false;
	return true;
}

bool
reload_build(const char *path, bool check_hook, const struct dconf *old,
    struct sklog *log, struct reload_next *out)
{
	unsigned n_err;

	memset(out, 0, sizeof *out);
	out->dc = dconf_load(path, check_hook, report_log, report_log_warn,
	    log, &n_err);
	if (out->dc == NULL) {
		log_errx(log, "reload failed: %u error%s in %s; keeping the "
		    "old configuration", n_err, n_err == 1 ? "" : "s", path);
		return false;
	}
	if (!tables_build(&old->c, &out->dc->c, out)) {
		log_errx(log, "reload failed: out of memory; keeping the "
		    "old configuration");
		dconf_free(out->dc);
		out->dc = NULL;
		return false;
	}
	return true;
}
