/* conf.c: load the daemon's configuration, sknockd.conf, into struct conf. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "conf.h"
#include "ini.h"
#include "parse.h"

#ifndef SK_DEFAULT_HOOK
#define SK_DEFAULT_HOOK	"/usr/libexec/sknock/nft"
#endif

/* Ranges of the numeric keys. */
#define CONF_MAX_WINDOW		3600
#define CONF_MAX_SOURCES	16777216
#define CONF_MAX_VERIFY		10000000
#define CONF_MAX_HOOKS		1024
#define CONF_MAX_LOG_RATE	100000
#define CONF_MAX_TIMEOUT	86400
#define CONF_MAX_SEQ_TIMEOUT	3600

#define SEQ_EXAMPLE	"7000/tcp, 8000/udp, 9000/udp"

enum daemon_key { DMK_INTERFACE, DMK_HOOK, DMK_STATE_DIR, DMK_WINDOW,
    DMK_MAX_SOURCES, DMK_VERIFY_PER_SOURCE, DMK_VERIFY_GLOBAL, DMK_MAX_HOOKS,
    DMK_LOG_RATE, DMK_N };
static const char *const daemon_keys[] = {
	[DMK_INTERFACE] = "interface",
	[DMK_HOOK] = "hook",
	[DMK_STATE_DIR] = "state_dir",
	[DMK_WINDOW] = "window",
	[DMK_MAX_SOURCES] = "max_sources",
	[DMK_VERIFY_PER_SOURCE] = "verify_per_source",
	[DMK_VERIFY_GLOBAL] = "verify_global",
	[DMK_MAX_HOOKS] = "max_hooks",
	[DMK_LOG_RATE] = "log_rate",
	[DMK_N] = NULL
};
enum door_key { DK_SEQUENCE, DK_OPEN, DK_TIMEOUT, DK_SEQ_TIMEOUT, DK_SIGNED,
    DK_CLIENTS, DK_ALLOW_OTHER, DK_REQUIRE_SOURCE, DK_N };
static const char *const door_keys[] = { "sequence", "open", "timeout",
    "seq_timeout", "signed", "clients", "allow_other_address",
    "require_source_address", NULL };
static const char *const client_keys[] = { "key", NULL };

static size_t
key_index(const char *const *keys, const char *name)
{
	size_t i;

	for (i = 0; keys[i] != NULL; i++)
		if (strcmp(keys[i], name) == 0)
			break;
	return i;
}

/* Key items of section ${sec}, in file order; repeated ones skipped. */
static bool
next_key(const struct ini *ini, size_t sec, size_t *k)
{
	for ((*k)++; *k < ini->n_items; (*k)++) {
		const struct ini_item *it = &ini->items[*k];

		if (!it->is_section && !it->dup && it->section == sec)
			return true;
	}
	return false;
}

static void
set_defaults(struct conf *c, const char *default_hook)
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

/* ifname_ok(s, len): what Linux accepts as an interface name. */
static bool
ifname_ok(const char *s, size_t len)
{
	if (len == 0 || len >= CONF_IFNAME_MAX)
		return false;
	if ((len == 1 && s[0] == '.') || (len == 2 && memcmp(s, "..", 2) == 0))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == '/' || s[i] == ':')
			return false;
	return true;
}

/* get_interfaces(ini, k, c): "any", or a list of interface names. */
static void
get_interfaces(struct ini *ini, size_t k, struct conf *c)
{
	const char *cur = ini_value(ini, k), *it;
	char names[SK_MAX_IFACES][CONF_IFNAME_MAX];
	size_t len, n = 0;
	enum parse_err e;

	while ((e = parse_list_next(&cur, &it, &len)) == PARSE_OK) {
		if (!ifname_ok(it, len)) {
			ini_bad(ini, k, "%.*s: not an interface name; use e.g. "
			    "eth0, or any", (int)(len < 64 ? len : 64), it);
			return;
		}
		if (n == SK_MAX_IFACES) {
			ini_bad(ini, k, "more than %d interfaces; use any",
			    SK_MAX_IFACES);
			return;
		}
		memcpy(names[n], it, len);
		names[n][len] = '\0';
		for (size_t i = 0; i < n; i++) {
			if (strcmp(names[i], names[n]) == 0) {
				ini_bad(ini, k, "%s listed twice; list it once",
				    names[n]);
				return;
			}
		}
		n++;
	}
	if (e != PARSE_E_EMPTY || n == 0) {
		ini_bad(ini, k, "not a list of interfaces; use any, or e.g. "
		    "eth0, eth1");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (n > 1 && strcmp(names[i], "any") == 0) {
			ini_bad(ini, k, "any already covers every interface; "
			    "use any alone");
			return;
		}
	}
	memcpy(c->ifaces, names, sizeof names);
	c->n_ifaces = n;
}

static void
load_daemon(struct ini *ini, size_t sec, struct conf *c)
{
	for (size_t k = sec; next_key(ini, sec, &k);) {
		switch (key_index(daemon_keys, ini->items[k].name)) {
		case DMK_INTERFACE:
			get_interfaces(ini, k, c);
			break;
		case DMK_HOOK:
			ini_get_path(ini, k, c->hook, sizeof c->hook,
			    SK_DEFAULT_HOOK);
			break;
		case DMK_STATE_DIR:
			ini_get_path(ini, k, c->state_dir, sizeof c->state_dir,
			    CONF_DEF_STATE_DIR);
			break;
		case DMK_WINDOW:
			ini_get_duration(ini, k, 1, CONF_MAX_WINDOW, "60",
			    &c->window_s);
			break;
		case DMK_MAX_SOURCES:
			ini_get_uint32(ini, k, 1, CONF_MAX_SOURCES, "65536",
			    &c->max_sources);
			break;
		case DMK_VERIFY_PER_SOURCE:
			ini_get_uint32(ini, k, 1, CONF_MAX_VERIFY, "5",
			    &c->verify_per_source);
			break;
		case DMK_VERIFY_GLOBAL:
			ini_get_uint32(ini, k, 1, CONF_MAX_VERIFY, "20000",
			    &c->verify_global);
			break;
		case DMK_MAX_HOOKS:
			ini_get_uint32(ini, k, 1, CONF_MAX_HOOKS, "32",
			    &c->max_hooks);
			break;
		case DMK_LOG_RATE:
			ini_get_uint32(ini, k, 1, CONF_MAX_LOG_RATE, "20",
			    &c->log_rate);
			break;
		default:
			ini_unknown_key(ini, k, "[daemon]", daemon_keys);
			break;
		}
	}
}

/* section_name(ini, sec, prefix_len, out): NAME of [door:NAME]; checked. */
static bool
section_name(struct ini *ini, size_t sec, size_t prefix_len, char *out,
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

static void
load_client(struct ini *ini, size_t sec, struct conf *c)
{
	struct conf_client *cl = &c->clients[c->n_clients];
	bool have_key = false;

	if (c->n_clients == SK_MAX_CLIENTS) {
		ini_errorf(ini, ini->items[sec].line, "[%s]: more than %d "
		    "clients; remove some", ini->items[sec].raw,
		    SK_MAX_CLIENTS);
		return;
	}
	memset(cl, 0, sizeof *cl);
	cl->line = ini->items[sec].line;
	section_name(ini, sec, strlen("client:"), cl->name, "client");
	for (size_t k = sec; next_key(ini, sec, &k);) {
		if (key_index(client_keys, ini->items[k].name) != 0) {
			ini_unknown_key(ini, k, "a [client:NAME] section",
			    client_keys);
			continue;
		}
		have_key = true;
		ini_get_path(ini, k, cl->key_path, sizeof cl->key_path,
		    "/etc/sknock/alice.key");
	}
	if (!have_key)
		ini_errorf(ini, cl->line, "[%s]: no key; add key = PATH of "
		    "its key file, e.g. /etc/sknock/alice.key",
		    ini->items[sec].raw);
	/* Count it even when bad, so doors naming it get no second error. */
	c->n_clients++;
}

static int
client_find(const struct conf *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->n_clients; i++)
		if (strlen(c->clients[i].name) == len &&
		    memcmp(c->clients[i].name, name, len) == 0)
			return (int)i;
	return -1;
}

/* door_clients(ini, k, c, d): resolve "clients = a, b" to indices. */
static void
door_clients(struct ini *ini, size_t k, const struct conf *c,
    struct conf_door *d)
{
	const char *cur = ini_value(ini, k), *it;
	size_t len;
	enum parse_err e;
	int idx;

	while ((e = parse_list_next(&cur, &it, &len)) == PARSE_OK) {
		idx = client_find(c, it, len);
		if (idx < 0) {
			ini_bad(ini, k, "no [client:%.*s] section; add one or "
			    "remove %.*s", (int)(len < 64 ? len : 64), it,
			    (int)(len < 64 ? len : 64), it);
			continue;
		}
		for (size_t i = 0; i < d->n_clients; i++) {
			if (d->clients[i] == (uint16_t)idx) {
				ini_bad(ini, k, "%s listed twice; list it once",
				    c->clients[idx].name);
				idx = -1;
				break;
			}
		}
		if (idx >= 0 && d->n_clients < SK_MAX_CLIENTS)
			d->clients[d->n_clients++] = (uint16_t)idx;
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
	const char *raw = ini->items[sec].raw;
	unsigned line = ini->items[sec].line;

	if (key_at[DK_SEQUENCE] == 0)
		ini_errorf(ini, line, "[%s]: no sequence; add e.g. "
		    "sequence = %s", raw, SEQ_EXAMPLE);
	if (key_at[DK_OPEN] == 0)
		ini_errorf(ini, line, "[%s]: no open; add e.g. open = 22/tcp",
		    raw);
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
	if (d->n_steps > 0 && d->steps[d->n_steps - 1].proto != SK_PROTO_UDP)
		ini_bad(ini, key_at[DK_SEQUENCE], "the last step of a signed "
		    "door carries the token, so it must be UDP; end with e.g. "
		    "%u/udp, or set signed = no", d->steps[d->n_steps - 1].port);
	if (key_at[DK_CLIENTS] == 0)
		ini_errorf(ini, line, "[%s]: a signed door needs clients; add "
		    "clients = NAME of a [client:NAME] section, or set "
		    "signed = no", raw);
	else if (d->n_clients == 0 && ini_value(ini, key_at[DK_CLIENTS])[0] ==
	    '\0')
		ini_bad(ini, key_at[DK_CLIENTS], "a signed door needs clients; "
		    "name [client:NAME] sections, e.g. clients = alice");
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
	default:
		break;	/* clients: once every client section is known */
	}
}

static void
load_door(struct ini *ini, size_t sec, struct conf *c)
{
	struct conf_door *d = &c->doors[c->n_doors];
	size_t key_at[DK_N] = { 0 };	/* item index; 0 = absent */

	if (c->n_doors == SK_MAX_DOORS) {
		ini_errorf(ini, ini->items[sec].line, "[%s]: more than %d "
		    "doors; remove some", ini->items[sec].raw, SK_MAX_DOORS);
		return;
	}
	memset(d, 0, sizeof *d);
	d->timeout_s = CONF_DEF_TIMEOUT;
	d->seq_timeout_s = CONF_DEF_SEQ_TIMEOUT;
	d->is_signed = true;
	section_name(ini, sec, strlen("door:"), d->name, "door");
	for (size_t k = sec; next_key(ini, sec, &k);) {
		size_t which = key_index(door_keys, ini->items[k].name);

		if (which >= DK_N) {
			ini_unknown_key(ini, k, "a [door:NAME] section",
			    door_keys);
			continue;
		}
		key_at[which] = k;
		door_key(ini, k, which, d);
	}
	if (key_at[DK_CLIENTS] != 0 && d->is_signed)
		door_clients(ini, key_at[DK_CLIENTS], c, d);
	door_checks(ini, sec, key_at, d);
	c->n_doors++;
}

static bool
has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Pass 0: [daemon] and [client:NAME]; pass 1: [door:NAME]. */
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
		} else if (pass == 1) {
			continue;
		} else if (strcmp(it->name, "daemon") == 0) {
			load_daemon(ini, i, c);
		} else if (has_prefix(it->name, "client:")) {
			load_client(ini, i, c);
		} else {
			ini_errorf(ini, it->line, "[%s]: unknown section; use "
			    "[daemon], [door:NAME] or [client:NAME]", it->raw);
		}
	}
}

/*
 * conf_load(path, default_hook, out, report, ctx): defaults first, then
 * [daemon] and the clients, then the doors (so clients = may name a
 * client defined further down).  Returns the number of errors reported.
 */
unsigned
conf_load(const char *path, const char *default_hook, struct conf *out,
    conf_report_fn *report, void *ctx)
{
	struct ini ini;
	unsigned n_err;

	set_defaults(out, default_hook);
	if (!ini_open(&ini, path, report, ctx)) {
		ini_close(&ini);
		return ini.n_err;
	}
	load_sections(&ini, 0, out);
	load_sections(&ini, 1, out);
	if (out->n_doors == 0)
		ini_errorf(&ini, 0, "no [door:NAME] section; add one, e.g. "
		    "[door:ssh] with sequence = %s and open = 22/tcp",
		    SEQ_EXAMPLE);
	n_err = ini.n_err;
	ini_close(&ini);
	return n_err;
}

/* conf_door_find(c, name): exact, case-sensitive, as in the token MAC. */
int
conf_door_find(const struct conf *c, const char *name)
{
	for (size_t i = 0; i < c->n_doors; i++)
		if (strcmp(c->doors[i].name, name) == 0)
			return (int)i;
	return -1;
}
