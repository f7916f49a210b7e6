/*
 * conf_client.c: [client:NAME] sections, in sknockd.conf and in the
 * files of clients_dir: key, key_next, expires and doors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "parse.h"
#include "utctime.h"

#define KEY_EXAMPLE	"/etc/sknock/alice.key"
#define NEXT_EXAMPLE	"/etc/sknock/alice.next.key"
#define DATE_EXAMPLE	"2027-01-31"

enum client_key { CK_KEY, CK_DOORS, CK_KEY_NEXT, CK_EXPIRES, CK_N };
static const char *const client_keys[] = { "key", "doors", "key_next",
    "expires", NULL };

/* get_key_path(ini, k, example): the path of a key file, never a key. */
static char *
get_key_path(struct ini *ini, size_t k, const char *example)
{
	if (ini_secret(ini_value(ini, k))) {
		ini_bad(ini, k, "this is a key, not the path of its file; save "
		    "it in a file of mode 0600, e.g. %s, and give that path",
		    example);
		return NULL;
	}
	return ini_dup_path(ini, k, example);
}

static void
get_expires(struct ini *ini, size_t k, struct conf_client *cl)
{
	switch (utc_parse(ini_value(ini, k), &cl->expires_s)) {
	case UTC_OK:
		return;
	case UTC_E_RANGE:
		ini_bad(ini, k, "no such date or time; use YYYY-MM-DD (UTC "
		    "midnight) or YYYY-MM-DDTHH:MM:SSZ from 2000 on, e.g. %s",
		    DATE_EXAMPLE);
		break;
	default:
		ini_bad(ini, k, "not a date; use YYYY-MM-DD (UTC midnight) or "
		    "YYYY-MM-DDTHH:MM:SSZ, e.g. %s", DATE_EXAMPLE);
		break;
	}
	cl->expires_s = 0;
}

/* door_problem(ini, k, c, it, len, seen): why ${it} cannot be listed. */
static bool
door_problem(struct ini *ini, size_t k, const struct conf *c,
    const char *it, size_t len, int idx, const int *seen, size_t n_seen)
{
	int q = (int)(len < 64 ? len : 64);

	if (idx < 0) {
		ini_bad(ini, k, "no [door:%.*s] in %s; add one there or remove "
		    "%.*s", q, it, c->n_files > 0 ? c->files[0] : "the config",
		    q, it);
		return true;
	}
	if (!c->doors[idx].is_signed) {
		ini_bad(ini, k, "door %s is unsigned (signed = no) and checks "
		    "no keys; remove %s", c->doors[idx].name,
		    c->doors[idx].name);
		return true;
	}
	for (size_t i = 0; i < n_seen; i++) {
		if (seen[i] == idx) {
			ini_bad(ini, k, "%s listed twice; list it once",
			    c->doors[idx].name);
			return true;
		}
	}
	return false;
}

/* get_doors(ini, k, c, idx): "doors = ssh, web" grants client ${idx}. */
static void
get_doors(struct ini *ini, size_t k, struct conf *c, uint32_t idx)
{
	const char *cur = ini_value(ini, k), *it;
	int seen[SK_MAX_DOORS];
	size_t len, n_seen = 0, n_items = 0;
	enum parse_err e;

	while ((e = parse_list_next(&cur, &it, &len)) == PARSE_OK) {
		int d = conf_door_find_n(c, it, len);

		n_items++;
		if (door_problem(ini, k, c, it, len, d, seen, n_seen))
			continue;
		seen[n_seen++] = d;
		if (!conf_door_add_client(&c->doors[d], idx))
			ini_errorf(ini, ini->items[k].line, "out of memory");
	}
	if (e != PARSE_E_EMPTY || n_items == 0)
		ini_bad(ini, k, "not a list of door names; use e.g. ssh, web");
}

static void
client_key(struct ini *ini, size_t k, size_t which, struct conf *c,
    struct conf_client *cl)
{
	switch (which) {
	case CK_KEY:
		cl->key_path = get_key_path(ini, k, KEY_EXAMPLE);
		break;
	case CK_KEY_NEXT:
		cl->key_next_path = get_key_path(ini, k, NEXT_EXAMPLE);
		break;
	case CK_EXPIRES:
		get_expires(ini, k, cl);
		break;
	case CK_DOORS:
		get_doors(ini, k, c, (uint32_t)(cl - c->clients));
		break;
	default:
		ini_unknown_key(ini, k, "a [client:NAME] section",
		    client_keys);
		break;
	}
}

/* new_client(ini, sec, c): room for one more, or NULL (reported). */
static struct conf_client *
new_client(struct ini *ini, size_t sec, struct conf *c)
{
	const struct ini_item *s = &ini->items[sec];

	if (c->n_clients == SK_MAX_CLIENTS) {
		ini_errorf(ini, s->line, "[%s]: more than %d clients; remove "
		    "some", s->raw, SK_MAX_CLIENTS);
		return NULL;
	}
	if (c->n_clients == c->clients_cap) {
		size_t cap = c->clients_cap == 0 ? 16 : 2 * c->clients_cap;
		struct conf_client *n = realloc(c->clients, cap * sizeof *n);

		if (n == NULL) {
			ini_errorf(ini, s->line, "out of memory");
			return NULL;
		}
		c->clients = n;
		c->clients_cap = cap;
	}
	memset(&c->clients[c->n_clients], 0, sizeof c->clients[0]);
	return &c->clients[c->n_clients];
}

/* defined_before(ini, sec, c, name): a client name is defined once. */
static bool
defined_before(struct ini *ini, size_t sec, const struct conf *c,
    const char *name)
{
	int o = conf_client_find(c, name, strlen(name));

	if (o < 0)
		return false;
	ini_errorf(ini, ini->items[sec].line, "[%s]: already defined at %s:%u; "
	    "a client is defined once across all files; remove one",
	    ini->items[sec].raw, c->clients[o].file, c->clients[o].line);
	return true;
}

void
conf_load_client(struct ini *ini, size_t sec, struct conf *c)
{
	struct conf_client *cl;
	size_t key_at[CK_N] = { 0 };	/* item index; 0 = absent */
	char name[SK_NAME_MAX];

	conf_section_name(ini, sec, strlen("client:"), name, "client");
	if (defined_before(ini, sec, c, name) ||
	    (cl = new_client(ini, sec, c)) == NULL)
		return;
	memcpy(cl->name, name, sizeof name);
	cl->line = ini->items[sec].line;
	cl->file = c->n_files > 0 ? c->files[c->n_files - 1] : ini->path;
	for (size_t k = sec; ini_next_key(ini, sec, &k);) {
		size_t which = ini_key_index(client_keys, ini->items[k].name);

		if (which < CK_N)
			key_at[which] = k;
		client_key(ini, k, which, c, cl);
	}
	if (key_at[CK_KEY] == 0)
		ini_errorf(ini, cl->line, "[%s]: no key; add key = PATH of "
		    "its key file, e.g. %s", ini->items[sec].raw, KEY_EXAMPLE);
	if (cl->key_path != NULL && cl->key_next_path != NULL &&
	    strcmp(cl->key_path, cl->key_next_path) == 0)
		ini_bad(ini, key_at[CK_KEY_NEXT], "the same file as key; give "
		    "the new key's file, e.g. %s", NEXT_EXAMPLE);
	/* Count it even when bad, so doors naming it get no second error. */
	c->n_clients++;
}

unsigned
conf_parse_clients(struct conf *c, const char *buf, size_t len,
    const char *name, conf_report_fn *report, void *ctx)
{
	const char *file = conf_add_file(c, name);
	struct ini ini;
	unsigned n_err;

	if (file == NULL) {
		if (report != NULL)
			report(ctx, "out of memory reading the clients");
		return 1;
	}
	if (!ini_parse(buf, len, file, report, ctx, &ini)) {
		ini_close(&ini);
		return 1;
	}
	for (size_t i = 0; i < ini.n_items; i++) {
		const struct ini_item *it = &ini.items[i];

		if (!it->is_section || it->dup)
			continue;
		if (strncmp(it->name, "client:", strlen("client:")) == 0)
			conf_load_client(&ini, i, c);
		else
			ini_errorf(&ini, it->line, "[%s]: not a client; a "
			    "clients_dir file holds only [client:NAME] "
			    "sections (doors and [daemon] belong in %s)",
			    it->raw, c->n_files > 0 ? c->files[0] :
			    "sknockd.conf");
	}
	n_err = ini.n_err;
	ini_close(&ini);
	return n_err;
}

int
conf_client_find(const struct conf *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n_clients; i++)
		if (conf_name_is(c->clients[i].name, name, len))
			return (int)i;
	return -1;
}
