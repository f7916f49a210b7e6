/* kconf.c: load the client's configuration, knock.conf: one section per host. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ini.h"
#include "kconf.h"
#include "parse.h"

#define SEQ_EXAMPLE	"7000/tcp, 8000/udp, 9000/udp"

enum host_key { HK_HOST, HK_DOOR, HK_SEQUENCE, HK_KEY, HK_DERIVE, HK_OPEN,
    HK_ALLOW, HK_N };
static const char *const host_keys[] = { "host", "door", "sequence", "key",
    "derive", "open", "allow", NULL };

/* get_host(ini, k, h): a host name or address: no blanks, no controls. */
static void
get_host(struct ini *ini, size_t k, struct kconf_host *h)
{
	char tmp[KCONF_HOST_MAX];

	if (!ini_get_string(ini, k, tmp, sizeof tmp))
		return;
	for (const char *p = tmp; *p != '\0'; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			ini_bad(ini, k, "not a host name or address; use e.g. "
			    "myserver.example.org or 192.0.2.7");
			return;
		}
	}
	memcpy(h->host, tmp, sizeof tmp);
}

/* get_name(ini, k, out, what): a door or server name, as ini_name_ok. */
static void
get_name(struct ini *ini, size_t k, char out[static SK_NAME_MAX],
    const char *what)
{
	const char *v = ini_value(ini, k);

	if (!ini_name_ok(v)) {
		ini_bad(ini, k, "not a %s name; use 1-%d of a-z 0-9 . _ - %s",
		    what, SK_NAME_MAX - 1, what[0] == 'd' ? "as in the "
		    "server's [door:NAME], e.g. ssh" : "as given to knock "
		    "--keygen NAME --fleet, e.g. web01");
		return;
	}
	memcpy(out, v, strlen(v) + 1);
}

bool
kconf_expand_home(const char *path, const char *home, char *out,
    size_t out_len)
{
	int n;

	if (strncmp(path, "~/", 2) != 0)
		n = snprintf(out, out_len, "%s", path);
	else if (home == NULL || home[0] != '/')
		return false;
	else
		n = snprintf(out, out_len, "%s/%s", home, path + 2);
	return n >= 0 && (size_t)n < out_len;
}

/* get_key_path(ini, k, home, h): absolute, or "~/..." under ${home}. */
static void
get_key_path(struct ini *ini, size_t k, const char *home,
    struct kconf_host *h)
{
	const char *v = ini_value(ini, k);

	if (strncmp(v, "~/", 2) == 0) {
		if (kconf_expand_home(v, home, h->key_path,
		    sizeof h->key_path))
			return;
		h->key_path[0] = '\0';
		ini_bad(ini, k, home == NULL || home[0] != '/' ? "no home "
		    "directory to expand ~ with; give an absolute path" :
		    "path too long; shorten it");
		return;
	}
	if (v[0] != '/') {
		ini_bad(ini, k, "not an absolute path or ~/PATH; use e.g. "
		    "~/.config/sknock/myserver.key");
		return;
	}
	ini_get_string(ini, k, h->key_path, sizeof h->key_path);
}

static void
get_allow(struct ini *ini, size_t k, struct kconf_host *h)
{
	if (addr_parse(ini_value(ini, k), &h->allow) != ADDR_OK)
		ini_bad(ini, k, "not a numeric IPv4 or IPv6 address; use e.g. "
		    "198.51.100.7");
}

static void
host_key(struct ini *ini, size_t k, size_t which, const char *home,
    struct kconf_host *h)
{
	switch (which) {
	case HK_HOST:
		get_host(ini, k, h);
		break;
	case HK_DOOR:
		get_name(ini, k, h->door, "door");
		break;
	case HK_DERIVE:
		get_name(ini, k, h->derive, "server");
		break;
	case HK_SEQUENCE:
		ini_get_ports(ini, k, h->steps, SK_MAX_STEPS, &h->n_steps,
		    SEQ_EXAMPLE);
		break;
	case HK_KEY:
		get_key_path(ini, k, home, h);
		break;
	case HK_OPEN:
		ini_get_port(ini, k, &h->open, "22/tcp");
		break;
	case HK_ALLOW:
		get_allow(ini, k, h);
		break;
	default:
		ini_unknown_key(ini, k, "a host section", host_keys);
		break;
	}
}

/* host_checks(ini, sec, key_at, h): rules across a host's keys. */
static void
host_checks(struct ini *ini, size_t sec, const size_t key_at[HK_N],
    const struct kconf_host *h)
{
	if (key_at[HK_SEQUENCE] == 0)
		ini_section_bad(ini, sec, "no sequence; add the door's, e.g. "
		    "sequence = %s", SEQ_EXAMPLE);
	if (key_at[HK_KEY] == 0) {
		if (key_at[HK_ALLOW] != 0)
			ini_bad(ini, key_at[HK_ALLOW], "only a signed knock "
			    "carries an address; add key = PATH or remove "
			    "allow");
		if (key_at[HK_DERIVE] != 0)
			ini_bad(ini, key_at[HK_DERIVE], "derives from the fleet "
			    "key file, and there is none; add key = FILE");
		return;
	}
	if (key_at[HK_DOOR] == 0)
		ini_section_bad(ini, sec, "a signed knock needs the door name; "
		    "add e.g. door = ssh");
	if (!parse_token_step_ok(h->steps, h->n_steps))
		ini_bad(ini, key_at[HK_SEQUENCE], "the last step of a signed "
		    "knock carries the token, so it must be UDP; end with "
		    "e.g. %u/udp, or remove key for an unsigned door",
		    h->steps[h->n_steps - 1].port);
}

/* grow(ini, kc, s): room for one more alias; false (said) if none. */
static bool
grow(struct ini *ini, struct kconf *kc, const struct ini_item *s)
{
	struct kconf_host *nh;
	size_t cap;

	if (kc->n_hosts < kc->cap)
		return true;
	if (kc->n_hosts == KCONF_MAX_HOSTS) {
		ini_errorf(ini, s->line, "[%s]: more than %d hosts; remove "
		    "some", s->raw, KCONF_MAX_HOSTS);
		return false;
	}
	cap = kc->cap == 0 ? 4 : kc->cap * 2;
	if (cap > KCONF_MAX_HOSTS)
		cap = KCONF_MAX_HOSTS;
	if ((nh = realloc(kc->hosts, cap * sizeof *nh)) == NULL) {
		ini_errorf(ini, s->line, "[%s]: out of memory", s->raw);
		return false;
	}
	kc->hosts = nh;
	kc->cap = cap;
	return true;
}

static void
load_host(struct ini *ini, size_t sec, const char *home, struct kconf *kc)
{
	struct kconf_host *h;
	const struct ini_item *s = &ini->items[sec];
	size_t key_at[HK_N] = { 0 };	/* item index; 0 = absent */

	if (!grow(ini, kc, s))
		return;
	h = &kc->hosts[kc->n_hosts];
	memset(h, 0, sizeof *h);
	h->line = s->line;
	if (strlen(s->name) >= sizeof h->alias || strchr(s->name, ':')) {
		ini_errorf(ini, s->line, "[%s]: bad host alias; use 1-%d "
		    "letters, digits, '.', '_', '-', e.g. [myserver]", s->raw,
		    SK_NAME_MAX - 1);
	} else {
		memcpy(h->alias, s->name, strlen(s->name) + 1);
		memcpy(h->host, s->name, strlen(s->name) + 1);
	}
	for (size_t k = sec; ini_next_key(ini, sec, &k);) {
		size_t which = ini_key_index(host_keys, ini->items[k].name);

		if (which < HK_N)
			key_at[which] = k;
		host_key(ini, k, which, home, h);
	}
	host_checks(ini, sec, key_at, h);
	kc->n_hosts++;
}

/* kconf_parse(buf, len, name, home, out, report, ctx): one host a section. */
unsigned
kconf_parse(const char *buf, size_t len, const char *name, const char *home,
    struct kconf *out, sk_report_fn *report, void *ctx)
{
	struct ini ini;
	unsigned n_err;

	memset(out, 0, sizeof *out);
	if (!ini_parse(buf, len, name, report, ctx, &ini)) {
		ini_close(&ini);
		return ini.n_err > 0 ? ini.n_err : 1;
	}
	for (size_t i = 0; i < ini.n_items; i++)
		if (ini.items[i].is_section && !ini.items[i].dup)
			load_host(&ini, i, home, out);
	/*
	 * No host sections is fine: a fresh knock.conf is empty, and
	 * `knock -s SEQ HOST` needs none; an unknown alias is reported by
	 * the caller with the file it read.
	 */
	n_err = ini.n_err;
	ini_close(&ini);
	if (n_err > 0)
		kconf_free(out);	/* nothing half-read is used */
	return n_err;
}

/* kconf_load(path, home, out, report, ctx): read, then kconf_parse. */
unsigned
kconf_load(const char *path, const char *home, struct kconf *out,
    sk_report_fn *report, void *ctx)
{
	char *buf;
	size_t len;
	unsigned n_err;

	memset(out, 0, sizeof *out);
	if (!ini_read_file(path, &buf, &len, report, ctx))
		return 1;	/* reported */
	n_err = kconf_parse(buf, len, path, home, out, report, ctx);
	free(buf);
	return n_err;
}

void
kconf_free(struct kconf *k)
{
	free(k->hosts);
	memset(k, 0, sizeof *k);
}

/*
 * kconf_find(k, name): alias first, then host; both case-insensitive,
 * as host names are and as iniparser lowercases section names.
 */
const struct kconf_host *
kconf_find(const struct kconf *k, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < k->n_hosts; i++)
		if (k->hosts[i].alias[0] != '\0' &&
		    strcasecmp(k->hosts[i].alias, name) == 0)
			return &k->hosts[i];
	for (size_t i = 0; i < k->n_hosts; i++)
		if (k->hosts[i].host[0] != '\0' &&
		    strcasecmp(k->hosts[i].host, name) == 0)
			return &k->hosts[i];
	return NULL;
}
