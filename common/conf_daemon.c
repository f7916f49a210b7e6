/* conf_daemon.c: the [daemon] section of sknockd.conf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
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

enum daemon_key { DMK_INTERFACE, DMK_HOOK, DMK_STATE_DIR, DMK_WINDOW,
    DMK_MAX_SOURCES, DMK_VERIFY_SOURCE, DMK_VERIFY_GLOBAL, DMK_MAX_HOOKS,
    DMK_LOG_RATE, DMK_CLIENTS_DIR, DMK_METRICS_FILE, DMK_N };
static const char *const daemon_keys[] = { "interface", "hook", "state_dir",
    "window", "max_sources", "verify_per_source", "verify_global",
    "max_hooks", "log_rate", "clients_dir", "metrics_file", NULL };

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

/* set_path(ini, k, slot, example): a malloc'd absolute path. */
static void
set_path(struct ini *ini, size_t k, char **slot, const char *example)
{
	char *p = ini_dup_path(ini, k, example);

	if (p != NULL) {
		free(*slot);
		*slot = p;
	}
}

static void
daemon_key(struct ini *ini, size_t k, size_t which, struct conf *c)
{
	switch (which) {
	case DMK_INTERFACE:
		get_interfaces(ini, k, c);
		break;
	case DMK_HOOK:
		ini_get_path(ini, k, c->hook, sizeof c->hook, SK_DEFAULT_HOOK);
		break;
	case DMK_STATE_DIR:
		ini_get_path(ini, k, c->state_dir, sizeof c->state_dir,
		    CONF_DEF_STATE_DIR);
		break;
	case DMK_WINDOW:
		ini_get_duration(ini, k, 1, CONF_MAX_WINDOW, "60", &c->window_s);
		break;
	case DMK_MAX_SOURCES:
		ini_get_uint32(ini, k, 1, CONF_MAX_SOURCES, "65536",
		    &c->max_sources);
		break;
	case DMK_VERIFY_SOURCE:
		ini_get_uint32(ini, k, 1, CONF_MAX_VERIFY, "5",
		    &c->verify_per_source);
		break;
	case DMK_VERIFY_GLOBAL:
		ini_get_uint32(ini, k, 1, CONF_MAX_VERIFY, "20000",
		    &c->verify_global);
		break;
	case DMK_MAX_HOOKS:
		ini_get_uint32(ini, k, 1, CONF_MAX_HOOKS, "32", &c->max_hooks);
		break;
	case DMK_LOG_RATE:
		ini_get_uint32(ini, k, 1, CONF_MAX_LOG_RATE, "20", &c->log_rate);
		break;
	case DMK_CLIENTS_DIR:
		set_path(ini, k, &c->clients_dir, "/etc/sknock/clients.d");
		break;
	case DMK_METRICS_FILE:
		set_path(ini, k, &c->metrics_file,
		    "/var/lib/prometheus/node-exporter/sknock.prom");
		break;
	default:
		ini_unknown_key(ini, k, "[daemon]", daemon_keys);
		break;
	}
}

void
conf_load_daemon(struct ini *ini, size_t sec, struct conf *c)
{
	for (size_t k = sec; ini_next_key(ini, sec, &k);)
		daemon_key(ini, k, ini_key_index(daemon_keys,
		    ini->items[k].name), c);
}

