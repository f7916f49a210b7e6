/* dconf.c: the configuration in force: conf_load plus keys and lookups. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include <sodium.h>

#include "clientsdir.h"
#include "dconf.h"
#include "hook.h"
#include "ini.h"
#include "key.h"
#include "parse.h"
#include "rate.h"
#include "utctime.h"

/* Whether door ${i}'s open entry ${j} came before, in a door that counts. */
static bool
listed_before(const struct dconf *dc, size_t i, size_t j, bool fwd_only)
{
	const struct sk_port *p = &dc->c.doors[i].open[j];

	for (size_t k = 0; k <= i; k++) {
		const struct conf_door *o = &dc->c.doors[k];
		size_t lim = k == i ? j : o->n_open;

		if (fwd_only && !o->forward)
			continue;
		for (size_t m = 0; m < lim; m++)
			if (o->open[m].port == p->port &&
			    o->open[m].proto == p->proto)
				return true;
	}
	return false;
}

/*
 * Every door's open entries as "tcp/22 udp/53", each once, into ${out};
 * with ${fwd_only} only those of doors with forward = yes.
 */
static void
build_guard(struct dconf *dc, char *out, size_t out_len, bool fwd_only)
{
	size_t len = 0;

	out[0] = '\0';
	for (size_t i = 0; i < dc->c.n_doors; i++) {
		const struct conf_door *door = &dc->c.doors[i];

		if (fwd_only && !door->forward)
			continue;
		for (size_t j = 0; j < door->n_open; j++) {
			if (listed_before(dc, i, j, fwd_only))
				continue;
			len += (size_t)snprintf(out + len, out_len - len,
			    "%s%s/%u", len ? " " : "",
			    parse_proto_name(door->open[j].proto),
			    (unsigned)door->open[j].port);
		}
	}
}

static void
build_lookups(struct dconf *dc)
{
	for (size_t i = 0; i < dc->c.n_doors; i++) {
		const struct conf_door *door = &dc->c.doors[i];

		dc->seq[i].steps = door->steps;
		dc->seq[i].n_steps = door->n_steps;
		dc->seq[i].seq_timeout_ms = (uint64_t)door->seq_timeout_s * 1000;
		dc->seq[i].is_signed = door->is_signed;
		for (size_t j = 0; j < door->n_steps; j++)
			pkt_portmap_add(&dc->stepmap, door->steps[j].proto,
			    door->steps[j].port);
	}
	build_guard(dc, dc->guard, sizeof dc->guard, false);
	build_guard(dc, dc->guard_fwd, sizeof dc->guard_fwd, true);
}

/*
 * load_key(cl, which, path, slot, out, report, ctx): one key file into
 * ${slot} of the dconf's one locked block (one mapping for every key,
 * not one per key: thousands of clients stay far below the kernel's map
 * count); ${*out} = slot.  1 = error (reported).
 */
static unsigned
load_key(const struct conf_client *cl, const char *which, const char *path,
    struct sk_key *slot, struct sk_key **out, conf_report_fn *report,
    void *ctx)
{
	char msg[SK_PATH_MAX + 256];
	char line[sizeof msg + SK_NAME_MAX + 32];
	struct sk_key *k;

	if (path == NULL)
		return 0;	/* conf_parse reported it */
	if (key_load(path, &k, msg, sizeof msg) == KEY_OK) {
		memcpy(slot, k, sizeof *slot);
		key_free(k);
		*out = slot;
		return 0;
	}
	snprintf(line, sizeof line, "[client:%s] %s: %s", cl->name, which,
	    msg);
	report(ctx, line);
	return 1;
}

static unsigned
load_keys(struct dconf *dc, conf_report_fn *report, void *ctx)
{
	unsigned n_err = 0;

	for (size_t i = 0; i < dc->c.n_clients; i++) {
		const struct conf_client *cl = &dc->c.clients[i];

		n_err += load_key(cl, "key", cl->key_path, &dc->key_mem[2 * i],
		    &dc->keys[i], report, ctx);
		n_err += load_key(cl, "key_next", cl->key_next_path,
		    &dc->key_mem[2 * i + 1], &dc->keys_next[i], report, ctx);
	}
	return n_err;
}

/*
 * A door whose token costs more of verify_global than it holds could
 * never verify one (rate_take_cost): an error, not a door that is
 * silently shut.  1 = error (reported).
 */
static unsigned
check_cost(const struct dconf *dc, const char *path, conf_report_fn *report,
    void *ctx)
{
	unsigned n_err = 0;

	for (size_t i = 0; i < dc->c.n_doors; i++) {
		size_t n = doormac_keys(dc->macs, i);
		uint32_t cost = rate_cost(n);
		char msg[SK_PATH_MAX + 256];

		if (!dc->c.doors[i].is_signed || cost <= dc->c.verify_global)
			continue;
		snprintf(msg, sizeof msg, "%s: verify_global = %u: [door:%s] "
		    "has %zu client keys, so each token costs %u; no token of "
		    "it could be verified; set verify_global = %u or more",
		    path, (unsigned)dc->c.verify_global, dc->c.doors[i].name,
		    n, (unsigned)cost, (unsigned)cost);
		report(ctx, msg);
		n_err++;
	}
	return n_err;
}

/* parse_all(path, c, report, warn, ctx): main file, clients_dir, finish. */
static unsigned
parse_all(const char *path, struct conf *c, conf_report_fn *report,
    conf_report_fn *warn, void *ctx)
{
	char dir[SK_PATH_MAX];
	unsigned n;

	if (!conf_read(path, SK_DEFAULT_HOOK, c, report, ctx, &n))
		return n;
	if (c->clients_dir != NULL)
		n += clientsdir_load(c, c->clients_dir, true, geteuid(), report,
		    warn, ctx);
	else if (clientsdir_default(path, dir, sizeof dir))
		n += clientsdir_load(c, dir, false, geteuid(), report, warn,
		    ctx);
	return n + conf_finish(c, report, ctx);
}

/*
 * dconf_load(path, check_hook, report, warn, ctx, n_err): parse the
 * config and the files of its clients_dir, load every client key (key
 * and key_next), and (when ${check_hook}) check the hook path.  Every
 * problem goes through ${report}, every warning through ${warn};
 * ${n_err} gets the number of problems.  Returns the new configuration,
 * or NULL when ${n_err} > 0 or memory runs out.
 */
struct dconf *
dconf_load(const char *path, bool check_hook, conf_report_fn *report,
    conf_report_fn *warn, void *ctx, unsigned *n_err)
{
	struct dconf *dc = calloc(1, sizeof *dc);

	*n_err = 0;
	if (dc == NULL) {
		report(ctx, "out of memory loading the configuration");
		*n_err = 1;
		return NULL;
	}
	/*
	 * Keys are checked even after config errors, so -t lists them all;
	 * the hook only on a clean config (a bad hook = falls back to the
	 * default, which would be a second, misleading error).
	 */
	*n_err = parse_all(path, &dc->c, report, warn, ctx);
	check_hook = check_hook && *n_err == 0;
	dc->keys = calloc(dc->c.n_clients + 1, sizeof *dc->keys);
	dc->keys_next = calloc(dc->c.n_clients + 1, sizeof *dc->keys_next);
	dc->key_mem = sodium_allocarray(2 * dc->c.n_clients + 1,
	    sizeof *dc->key_mem);
	if (dc->keys == NULL || dc->keys_next == NULL || dc->key_mem == NULL) {
		report(ctx, "out of memory loading the keys");
		(*n_err)++;
		dconf_free(dc);
		return NULL;
	}
	*n_err += load_keys(dc, report, ctx);
	if (check_hook) {
		char msg[SK_PATH_MAX + 256];

		if (!hook_check(dc->c.hook, msg, sizeof msg)) {
			report(ctx, msg);
			(*n_err)++;
		}
	}
	if (*n_err == 0 && (dc->macs = doormac_new(&dc->c, dc->keys,
	    dc->keys_next)) == NULL) {
		report(ctx, "out of memory preparing the keys");
		(*n_err)++;
	} else if (*n_err == 0) {
		*n_err += check_cost(dc, path, report, ctx);
	}
	if (*n_err > 0) {
		dconf_free(dc);
		return NULL;
	}
	build_lookups(dc);
	return dc;
}

/* dconf_drop_keys(dc): wipe and free every key; the doors stay. */
void
dconf_drop_keys(struct dconf *dc)
{
	for (size_t i = 0; i < dc->c.n_clients; i++) {
		if (dc->keys != NULL)
			dc->keys[i] = NULL;
		if (dc->keys_next != NULL)
			dc->keys_next[i] = NULL;
	}
	doormac_free(dc->macs);
	dc->macs = NULL;
	/* sodium_free wipes the block before it unmaps it. */
	sodium_free(dc->key_mem);
	dc->key_mem = NULL;
}

/* dconf_free(dc): wipe and free every key, then the rest. */
void
dconf_free(struct dconf *dc)
{
	if (dc == NULL)
		return;
	dconf_drop_keys(dc);
	free(dc->keys);
	free(dc->keys_next);
	conf_free(&dc->c);
	free(dc);
}

/* Same doors, in the same order, with the same steps: seq state stays. */
bool
dconf_same_doors(const struct dconf *a, const struct dconf *b)
{
	if (a->c.n_doors != b->c.n_doors)
		return false;
	for (size_t i = 0; i < a->c.n_doors; i++) {
		const struct conf_door *x = &a->c.doors[i];
		const struct conf_door *y = &b->c.doors[i];

		if (strcmp(x->name, y->name) != 0 || x->n_steps != y->n_steps)
			return false;
		for (size_t j = 0; j < x->n_steps; j++)
			if (x->steps[j].port != y->steps[j].port ||
			    x->steps[j].proto != y->steps[j].proto)
				return false;
	}
	return true;
}

void
dconf_warn_expiry(const struct dconf *dc, int64_t now_s,
    conf_report_fn *warn, void *ctx)
{
	for (size_t i = 0; i < dc->c.n_clients; i++) {
		const struct conf_client *cl = &dc->c.clients[i];
		char when[UTC_TXT_LEN], msg[INI_MSG_MAX];
		int64_t left = cl->expires_s - now_s;

		if (cl->expires_s == 0 || left > DCONF_EXPIRY_WARN_S)
			continue;
		utc_format(cl->expires_s, when);
		if (left <= 0)
			ini_format(msg, sizeof msg, cl->file, cl->line, "[client:"
			    "%s]: expired at %s; its knocks are refused (set a "
			    "later expires, or remove the client)", cl->name,
			    when);
		else
			ini_format(msg, sizeof msg, cl->file, cl->line, "[client:"
			    "%s]: expires at %s, in %lld h; set a later expires "
			    "to keep it", cl->name, when,
			    (long long)((left + 3599) / 3600));
		warn(ctx, msg);
	}
}

/* dconf_warn_unsigned(dc, l): each unsigned door, once per (re)load. */
void
dconf_warn_unsigned(const struct dconf *dc, struct sklog *l)
{
	for (size_t i = 0; i < dc->c.n_doors; i++)
		if (!dc->c.doors[i].is_signed)
			log_warnx(l, "door %s is unsigned (signed = no): "
			    "anyone who sees a knock can replay it",
			    dc->c.doors[i].name);
}

/*
 * rate_cap(c): sources remembered by the verification limiter.  Only
 * packets that complete a sequence reach it, so it need not be as large
 * as max_sources; the global limit bounds what eviction could let by.
 */
size_t
rate_cap(const struct conf *c)
{
	return c->max_sources < SKD_RATE_CAP ? c->max_sources : SKD_RATE_CAP;
}
