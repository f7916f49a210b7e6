/*
 * conf.c: the daemon's configuration: sknockd.conf's [door:NAME]
 * sections, and the order of a parse (main file, clients_dir files,
 * then the door client lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "parse.h"

#ifndef SK_DEFAULT_HOOK
#define SK_DEFAULT_HOOK	"/usr/libexec/sknock/nft"
#endif

/* Ranges of the numeric keys. */
#define CONF_MAX_TIMEOUT	86400
#define CONF_MAX_SEQ_TIMEOUT	3600

#define SEQ_EXAMPLE	"7000/tcp, 8000/udp, 9000/udp"

enum door_key { DK_SEQUENCE, DK_OPEN, DK_TIMEOUT, DK_SEQ_TIMEOUT, DK_SIGNED,
    DK_CLIENTS, DK_ALLOW_OTHER, DK_REQUIRE_SOURCE, DK_FORWARD, DK_N };
static const char *const door_keys[] = { "sequence", "open", "timeout",
    "seq_timeout", "signed", "clients", "allow_other_address",
    "require_source_address", "forward", NULL };

void
conf_init(struct conf *c, const char *default_hook)
{
	memset(c, 0, sizeof *c);
	snprintf(c->ifaces[0], sizeof c->ifaces[0], "%s", CONF_DEF_INTERFACE);
	c->n_ifaces = 1;
	snprintf(c->hook, sizeof c->hook, "%s",
	    default_hook != NULL ? default_hook : SK_DEFAULT_HOOK);
	snprintf(c->state_dir, sizeof c->state_dir, "%s", CONF_DEF_STATE_DIR);
	c->window_s = CONF_DEF_WINDOW;
	c->max_sources = CONF_DEF_MAX_SOURCES;
	c->verify_per_source = CONF_DEF_VERIFY_SOURCE;
	c->verify_global = CONF_DEF_VERIFY_GLOBAL;
	c->max_hooks = CONF_DEF_MAX_HOOKS;
	c->log_rate = CONF_DEF_LOG_RATE;
}

/* section_name(ini, sec, prefix_len, out): NAME of [door:NAME]; checked. */
bool
conf_section_name(struct ini *ini, size_t sec, size_t prefix_len, char *out,
    const char *what)
{
	const struct ini_item *it = &ini->items[sec];
	const char *name = it->raw + prefix_len;

	/* Copied even when bad, so "clients = Alice" finds [client:Alice]. */
	snprintf(out, SK_NAME_MAX, "%s", name);
	if (!ini_name_ok(name)) {
		ini_errorf(ini, it->line, "[%s]: bad %s name \"%s\"; use 1-%d "
		    "of a-z 0-9 . _ - (e.g. [%.*sssh])", it->raw, what, name,
		    SK_NAME_MAX - 1, (int)prefix_len, it->name);
		return false;
	}
	return true;
}

bool
conf_door_add_client(struct conf_door *d, uint32_t idx)
{
	if (d->n_clients == d->clients_cap) {
		size_t cap = d->clients_cap == 0 ? 8 : 2 * d->clients_cap;
		uint32_t *n = realloc(d->clients, cap * sizeof *n);

		if (n == NULL)
			return false;
		d->clients = n;
		d->clients_cap = cap;
	}
	d->clients[d->n_clients++] = idx;
	return true;
}

/*
 * door_clients(ini, k, c, d, mark): resolve "clients = a, b" to indices
 * appended to ${d}; ${mark} (one byte per client, zero on entry) flags
 * the ones listed.
 */
static void
door_clients(struct ini *ini, size_t k, const struct conf *c,
    struct conf_door *d, uint8_t *mark)
{
	const char *cur = ini_value(ini, k), *it;
	size_t len;
	enum parse_err e;
	int idx;

	while ((e = parse_list_next(&cur, &it, &len)) == PARSE_OK) {
		int q = (int)(len < 64 ? len : 64);

		idx = conf_client_find(c, it, len);
		if (idx < 0) {
			ini_bad(ini, k, "no [client:%.*s] section; add one or "
			    "remove %.*s", q, it, q, it);
			continue;
		}
		if (mark[idx]) {
			ini_bad(ini, k, "%s listed twice; list it once",
			    c->clients[idx].name);
			continue;
		}
		mark[idx] = 1;
		if (!conf_door_add_client(d, (uint32_t)idx))
			ini_errorf(ini, ini->items[k].line, "out of memory");
	}
	if (e != PARSE_E_EMPTY)
		ini_bad(ini, k, "not a list of client names; use e.g. "
		    "alice, bob");
}

/* check_steps(ini, k, d): no step may repeat the one before it. */
static void
check_steps(struct ini *ini, size_t k, const struct conf_door *d)
{
	for (size_t i = 1; i < d->n_steps; i++) {
		if (d->steps[i].port == d->steps[i - 1].port &&
		    d->steps[i].proto == d->steps[i - 1].proto) {
			ini_bad(ini, k, "step %zu repeats step %zu, and a "
			    "repeated packet counts as a duplicate, so the "
			    "knock can never complete; use another port",
			    i + 1, i);
			return;
		}
	}
}

/* check_open(ini, k, d): no open entry twice. */
static void
check_open(struct ini *ini, size_t k, const struct conf_door *d)
{
	for (size_t i = 0; i < d->n_open; i++)
		for (size_t j = 0; j < i; j++)
			if (d->open[i].port == d->open[j].port &&
			    d->open[i].proto == d->open[j].proto) {
				ini_bad(ini, k, "%u/%s listed twice; list it "
				    "once", d->open[i].port,
				    parse_proto_name(d->open[i].proto));
				return;
			}
}

/* door_checks(ini, sec, key_at, d): rules across a door's keys. */
static void
door_checks(struct ini *ini, size_t sec, const size_t key_at[DK_N],
    const struct conf_door *d)
{
	if (key_at[DK_SEQUENCE] == 0)
		ini_section_bad(ini, sec, "no sequence; add e.g. sequence = %s",
		    SEQ_EXAMPLE);
	if (key_at[DK_OPEN] == 0)
		ini_section_bad(ini, sec, "no open; add e.g. open = 22/tcp");
	if (!d->is_signed) {
		if (key_at[DK_CLIENTS] != 0)
			ini_bad(ini, key_at[DK_CLIENTS], "an unsigned door "
			    "checks no keys; remove clients or set "
			    "signed = yes");
		if (d->require_source_address)
			ini_bad(ini, key_at[DK_REQUIRE_SOURCE], "an unsigned "
			    "door carries no address; set signed = yes or "
			    "require_source_address = no");
		return;
	}
	if (!parse_token_step_ok(d->steps, d->n_steps))
		ini_bad(ini, key_at[DK_SEQUENCE], "the last step of a signed "
		    "door carries the token, so it must be UDP; end with e.g. "
		    "%u/udp, or set signed = no", d->steps[d->n_steps - 1].port);
}

static void
door_key(struct ini *ini, size_t k, size_t which, struct conf_door *d)
{
	switch (which) {
	case DK_SEQUENCE:
		if (ini_get_ports(ini, k, d->steps, SK_MAX_STEPS, &d->n_steps,
		    SEQ_EXAMPLE))
			check_steps(ini, k, d);
		break;
	case DK_OPEN:
		if (ini_get_ports(ini, k, d->open, SK_MAX_OPEN, &d->n_open,
		    "22/tcp"))
			check_open(ini, k, d);
		break;
	case DK_TIMEOUT:
		ini_get_duration(ini, k, 1, CONF_MAX_TIMEOUT, "30",
		    &d->timeout_s);
		break;
	case DK_SEQ_TIMEOUT:
		ini_get_duration(ini, k, 1, CONF_MAX_SEQ_TIMEOUT, "10",
		    &d->seq_timeout_s);
		break;
	case DK_SIGNED:
		ini_get_bool(ini, k, &d->is_signed);
		break;
	case DK_ALLOW_OTHER:
		ini_get_bool(ini, k, &d->allow_other_address);
		break;
	case DK_REQUIRE_SOURCE:
		ini_get_bool(ini, k, &d->require_source_address);
		break;
	case DK_FORWARD:
		ini_get_bool(ini, k, &d->forward);
		break;
	default:
		break;	/* clients: once every client section is known */
	}
}

static void
load_door(struct ini *ini, size_t sec, struct conf *c)
{
	struct conf_door *d;
	size_t key_at[DK_N] = { 0 };	/* item index; 0 = absent */

	if (c->n_doors == SK_MAX_DOORS) {
		ini_section_bad(ini, sec, "more than %d doors; remove some",
		    SK_MAX_DOORS);
		return;
	}
	if (c->n_doors == c->doors_cap) {
		size_t cap = c->doors_cap == 0 ? 4 : 2 * c->doors_cap;
		struct conf_door *n = realloc(c->doors, cap * sizeof *n);

		if (n == NULL) {
			ini_errorf(ini, ini->items[sec].line, "out of memory");
			return;
		}
		c->doors = n;
		c->doors_cap = cap;
	}
	d = &c->doors[c->n_doors];
	memset(d, 0, sizeof *d);
	d->timeout_s = CONF_DEF_TIMEOUT;
	d->seq_timeout_s = CONF_DEF_SEQ_TIMEOUT;
	d->is_signed = true;
	conf_section_name(ini, sec, strlen("door:"), d->name, "door");
	for (size_t k = sec; ini_next_key(ini, sec, &k);) {
		size_t which = ini_key_index(door_keys, ini->items[k].name);

		if (which >= DK_N) {
			ini_unknown_key(ini, k, "a [door:NAME] section",
			    door_keys);
			continue;
		}
		key_at[which] = k;
		door_key(ini, k, which, d);
	}
	door_checks(ini, sec, key_at, d);
	c->parse->door_sec[c->n_doors] = sec;
	c->parse->door_clients[c->n_doors] = d->is_signed ?
	    key_at[DK_CLIENTS] : 0;
	c->n_doors++;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Pass 0: [daemon] (and unknown sections); 1: [door:NAME]; 2:
 * [client:NAME], whose doors = may then name any door.
 */
static void
load_sections(struct ini *ini, int pass, struct conf *c)
{
	for (size_t i = 0; i < ini->n_items; i++) {
		const struct ini_item *it = &ini->items[i];

		if (!it->is_section || it->dup)
			continue;
		if (has_prefix(it->name, "door:")) {
			if (pass == 1)
				load_door(ini, i, c);
		} else if (has_prefix(it->name, "client:")) {
			if (pass == 2)
				conf_load_client(ini, i, c);
		} else if (pass != 0) {
			continue;
		} else if (strcmp(it->name, "daemon") == 0) {
			conf_load_daemon(ini, i, c);
		} else {
			ini_errorf(ini, it->line, "[%s]: unknown section; use "
			    "[daemon], [door:NAME] or [client:NAME]", it->raw);
		}
	}
}

const char *
conf_add_file(struct conf *c, const char *name)
{
	char **n = realloc(c->files, (c->n_files + 1) * sizeof *n);
	char *copy;

	if (n == NULL)
		return NULL;
	c->files = n;
	if ((copy = strdup(name != NULL ? name : "(null)")) == NULL)
		return NULL;
	c->files[c->n_files++] = copy;
	return copy;
}

unsigned
conf_parse(struct conf *c, const char *buf, size_t len, const char *name,
    conf_report_fn *report, void *ctx)
{
	const char *file;

	if (c->parse != NULL)
		return 0;	/* the main file is parsed once */
	c->parse = calloc(1, sizeof *c->parse);
	file = conf_add_file(c, name);
	if (c->parse == NULL || file == NULL ||
	    !ini_parse(buf, len, file, report, ctx, &c->parse->ini)) {
		if (c->parse != NULL)
			ini_close(&c->parse->ini);
		else if (report != NULL)
			report(ctx, "out of memory reading the configuration");
		free(c->parse);
		c->parse = NULL;
		return 1;
	}
	c->parse->too_large = len > INI_FILE_MAX;
	for (int pass = 0; pass < 3; pass++)
		load_sections(&c->parse->ini, pass, c);
	c->parse->n_err_told = c->parse->ini.n_err;
	return c->parse->n_err_told;
}

/* finish_door(ini, c, i, mark): door i's clients list, then the check. */
static void
finish_door(struct ini *ini, struct conf *c, size_t i, uint8_t *mark)
{
	struct conf_door *d = &c->doors[i];
	const struct ini_item *s = &ini->items[c->parse->door_sec[i]];
	size_t k = c->parse->door_clients[i];
	uint32_t *granted = d->clients;	/* by doors = in client sections */
	size_t n_granted = d->n_clients;

	d->clients = NULL;
	d->n_clients = d->clients_cap = 0;
	if (k != 0)
		door_clients(ini, k, c, d, mark);
	for (size_t j = 0; j < n_granted; j++)
		if (!mark[granted[j]]++ &&
		    !conf_door_add_client(d, granted[j]))
			ini_errorf(ini, s->line, "out of memory");
	for (size_t j = 0; j < d->n_clients; j++)
		mark[d->clients[j]] = 0;
	for (size_t j = 0; j < n_granted; j++)
		mark[granted[j]] = 0;
	free(granted);
	if (!d->is_signed || d->n_clients > 0)
		return;
	if (k == 0)
		ini_errorf(ini, s->line, "[%s]: a signed door needs clients; "
		    "add clients = NAME of a [client:NAME] section (or doors = "
		    "%s in one), or set signed = no", s->raw, d->name);
	else if (ini_value(ini, k)[0] == '\0')
		ini_bad(ini, k, "a signed door needs clients; name "
		    "[client:NAME] sections, e.g. clients = alice");
}

unsigned
conf_finish(struct conf *c, conf_report_fn *report, void *ctx)
{
	struct conf_parse *p = c->parse;
	uint8_t *mark;
	unsigned n_err;

	if (p == NULL)
		return 0;
	mark = calloc(c->n_clients + 1, 1);
	if (mark == NULL)
		ini_errorf(&p->ini, 0, "out of memory");
	for (size_t i = 0; mark != NULL && i < c->n_doors; i++)
		finish_door(&p->ini, c, i, mark);
	free(mark);
	if (c->n_doors == 0 && !p->too_large)
		ini_errorf(&p->ini, 0, "no [door:NAME] section; add one, e.g. "
		    "[door:ssh] with sequence = %s and open = 22/tcp",
		    SEQ_EXAMPLE);
	n_err = p->ini.n_err - p->n_err_told;
	(void)report;
	(void)ctx;
	ini_close(&p->ini);
	free(p);
	c->parse = NULL;
	return n_err;
}

bool
conf_read(const char *path, const char *default_hook, struct conf *out,
    conf_report_fn *report, void *ctx, unsigned *n_err)
{
	char *buf;
	size_t len;

	conf_init(out, default_hook);
	if (!ini_read_file(path, &buf, &len, report, ctx)) {
		*n_err = 1;
		return false;
	}
	*n_err = conf_parse(out, buf, len, path, report, ctx);
	free(buf);
	return true;
}

/*
 * conf_load(path, default_hook, out, report, ctx): defaults first, then
 * the file, then the door client lists.  Returns the number of errors.
 */
unsigned
conf_load(const char *path, const char *default_hook, struct conf *out,
    conf_report_fn *report, void *ctx)
{
	unsigned n_err;

	if (!conf_read(path, default_hook, out, report, ctx, &n_err))
		return n_err;
	return n_err + conf_finish(out, report, ctx);
}

void
conf_free(struct conf *c)
{
	if (c == NULL)
		return;
	if (c->parse != NULL) {
		c->parse->ini.report = NULL;	/* unfinished: say nothing */
		ini_close(&c->parse->ini);
		free(c->parse);
	}
	for (size_t i = 0; c->doors != NULL && i < c->n_doors; i++)
		free(c->doors[i].clients);
	for (size_t i = 0; i < c->n_clients; i++) {
		free(c->clients[i].key_path);
		free(c->clients[i].key_next_path);
	}
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->doors);
	free(c->clients);
	free(c->files);
	free(c->clients_dir);
	free(c->metrics_file);
	memset(c, 0, sizeof *c);
}

/* conf_door_find(c, name): exact, case-sensitive, as in the token MAC. */
int
conf_door_find(const struct conf *c, const char *name)
{
	return conf_door_find_n(c, name, strlen(name));
}

int
conf_door_find_n(const struct conf *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n_doors; i++)
		if (conf_name_is(c->doors[i].name, name, len))
			return (int)i;
	return -1;
}
