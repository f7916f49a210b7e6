/* plan.c: merge the alias from knock.conf with the options; build packets. */
#include <errno.h>
#include <netdb.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "derive.h"
#include "key.h"
#include "knock.h"
#include "parse.h"

/* conf_report_fn: print each config error line as it comes. */
static void
report_line(void *ctx, const char *msg)
{
	unsigned *n = ctx;

	(*n)++;
	fprintf(stderr, "knock: %s\n", msg);
}

/*
 * conf_path(o, out, out_len, must_exist): -c FILE (which must exist), or
 * the default path (which may not).
 */
static int
conf_path(const struct knock_opts *o, char *out, size_t out_len,
    bool *must_exist)
{
	char dir[SK_PATH_MAX];

	*must_exist = o->conf_path != NULL;
	if (o->conf_path != NULL) {
		return knock_expand_opt("-c", o->conf_path, "config file", out,
		    out_len) ? 0 : KNOCK_EXIT_USAGE;
	}
	if (!knock_conf_dir(dir, sizeof dir) ||
	    snprintf(out, out_len, "%s/knock.conf", dir) >= (int)out_len) {
		knock_err("cannot find the client config: neither "
		    "XDG_CONFIG_HOME nor HOME is set; give -c FILE");
		return KNOCK_EXIT_ERR;
	}
	return 0;
}

/*
 * load_conf(o, path, path_len, k, loaded): read knock.conf into ${k}
 * unless it is the default file and does not exist (*loaded = false).
 */
static int
load_conf(const struct knock_opts *o, char *path, size_t path_len,
    struct kconf *k, bool *loaded)
{
	char home[SK_PATH_MAX] = "";
	unsigned errs = 0, reported = 0;
	bool must_exist;
	int rc;

	*loaded = false;
	if ((rc = conf_path(o, path, path_len, &must_exist)) != 0)
		return rc;
	if (access(path, F_OK) != 0 && errno == ENOENT) {
		if (!must_exist)
			return 0;
		knock_err("%s: no such file; give the client config with -c, "
		    "or leave -c out to use the default", path);
		return KNOCK_EXIT_ERR;
	}
	(void)knock_home(home, sizeof home);
	errs = kconf_load(path, home, k, report_line, &reported);
	if (errs > 0) {
		knock_err("%s: %u error%s%s; fix the file", path, errs,
		    errs == 1 ? "" : "s", reported > 0 ?
		    " (above, each with its line)" : "");
		return KNOCK_EXIT_ERR;
	}
	*loaded = true;
	return 0;
}

/* copy_str(dst, dst_len, src, what): bounded copy; false if too long. */
static bool
copy_str(char *dst, size_t dst_len, const char *src, const char *what)
{
	if (snprintf(dst, dst_len, "%s", src) < (int)dst_len)
		return true;
	knock_err("%s is too long (at most %zu characters): %.40s...", what,
	    dst_len - 1, src);
	return false;
}

/* from_alias(p, h): start the plan from the alias. */
static void
from_alias(struct knock_plan *p, const struct kconf_host *h)
{
	(void)copy_str(p->alias, sizeof p->alias, h->alias, "alias");
	(void)copy_str(p->host, sizeof p->host, h->host[0] != '\0' ?
	    h->host : h->alias, "host");
	(void)copy_str(p->door, sizeof p->door, h->door, "door");
	memcpy(p->steps, h->steps, h->n_steps * sizeof h->steps[0]);
	p->n_steps = h->n_steps;
	(void)copy_str(p->key_path, sizeof p->key_path, h->key_path, "key");
	(void)copy_str(p->derive, sizeof p->derive, h->derive, "derive");
	p->open = h->open;
	p->allow = h->allow;
	p->allow_set = !addr_is_zero(&h->allow);
}

/* find_alias(o, p): the alias for HOST, or the plain host with -s. */
static int
find_alias(const struct knock_opts *o, struct knock_plan *p)
{
	char path[SK_PATH_MAX];
	const struct kconf_host *h = NULL;
	struct kconf kc = { 0 }, *k = &kc;
	bool loaded;
	int rc;

	if ((rc = load_conf(o, path, sizeof path, k, &loaded)) != 0)
		goto out;
	if (loaded)
		h = kconf_find(k, o->host);
	if (h != NULL)
		from_alias(p, h);
	else if (o->seq == NULL && o->mode == KM_PROXY) {
		knock_err("%s: no such alias in %s, and --proxy knocks an "
		    "alias; add [%s] (knock --keygen prints it) or give the "
		    "sequence with -s SEQ", o->host, loaded ? path :
		    "the client config (none yet)", o->host);
		rc = KNOCK_EXIT_ERR;
	} else if (o->seq == NULL) {
		if (loaded)
			knock_err("%s: no such alias: %s has no section [%s] and "
			    "none with host = %s; add one (knock --keygen prints "
			    "it) or give the sequence with -s SEQ", o->host,
			    path, o->host, o->host);
		else
			knock_err("%s: no such alias: %s does not exist; create "
			    "it (knock --keygen prints an alias) or give the "
			    "sequence with -s SEQ", o->host, path);
		rc = KNOCK_EXIT_ERR;
	} else if (!copy_str(p->host, sizeof p->host, o->host, "HOST"))
		rc = KNOCK_EXIT_USAGE;
out:
	kconf_free(k);
	return rc;
}

/*
 * service_port(name, proto, out): a service name from the services
 * database (knockd's client resolves PORT through getaddrinfo, so
 * `knock HOST ssh` knocks 22); false if there is none.
 */
static bool
service_port(const char *name, uint8_t proto, uint16_t *out)
{
	struct servent *se;

	if (name[0] == '\0' || strspn(name, "0123456789") == strlen(name))
		return false;
	se = getservbyname(name, parse_proto_name(proto));
	if (se == NULL || ntohs((uint16_t)se->s_port) == 0)
		return false;
	*out = ntohs((uint16_t)se->s_port);
	return true;
}

/*
 * knockd_port(arg, udp, out): knockd's PORT[:PROTO] (PORT/PROTO too; PORT
 * a number or a service name); -u makes every one UDP, as in knockd.
 * Returns 0 or 2, having said why.
 */
static int
knockd_port(const char *arg, bool udp, struct sk_port *out)
{
	char buf[64];
	char *sep;
	enum parse_err pe;

	if (snprintf(buf, sizeof buf, "%s", arg) >= (int)sizeof buf) {
		knock_err("%.31s...: not a port; give PORT, PORT:tcp or "
		    "PORT:udp after HOST, e.g. 7000:udp", arg);
		return KNOCK_EXIT_USAGE;
	}
	if ((sep = strpbrk(buf, ":/")) != NULL)
		*sep++ = '\0';
	out->proto = udp ? SK_PROTO_UDP : SK_PROTO_TCP;
	if (sep != NULL && strcasecmp(sep, "udp") != 0 &&
	    strcasecmp(sep, "tcp") != 0) {
		knock_err("%s: unknown protocol %s; knock sends tcp or udp: "
		    "give PORT, PORT:tcp or PORT:udp", arg, sep);
		return KNOCK_EXIT_USAGE;
	}
	if (sep != NULL && !udp)
		out->proto = strcasecmp(sep, "udp") == 0 ? SK_PROTO_UDP :
		    SK_PROTO_TCP;
	if (service_port(buf, out->proto, &out->port))
		return 0;
	if ((pe = parse_port(buf, &out->port)) != PARSE_OK) {
		knock_err("%s: not a port: %s; give a port 1-65535 (or a "
		    "service name) after HOST, e.g. 7000 or 7000:udp", arg,
		    parse_strerror(pe));
		return KNOCK_EXIT_USAGE;
	}
	return 0;
}

/* knockd_ports(o, p): the ports after HOST are the sequence. */
static int
knockd_ports(const struct knock_opts *o, struct knock_plan *p)
{
	int rc;

	if (o->n_ports > SK_MAX_STEPS) {
		knock_err("%zu ports after HOST: at most %d steps; knock fewer",
		    o->n_ports, SK_MAX_STEPS);
		return KNOCK_EXIT_USAGE;
	}
	for (p->n_steps = 0; p->n_steps < o->n_ports; p->n_steps++)
		if ((rc = knockd_port(o->ports[p->n_steps], o->udp,
		    &p->steps[p->n_steps])) != 0)
			return rc;
	return 0;
}

/* apply_opts(o, p): command-line values override the alias. */
static int
apply_opts(const struct knock_opts *o, struct knock_plan *p)
{
	enum parse_err pe;
	int rc;

	if (o->n_ports > 0 && (rc = knockd_ports(o, p)) != 0)
		return rc;
	if (o->seq != NULL && (pe = parse_port_list(o->seq, SK_PROTO_TCP,
	    p->steps, SK_MAX_STEPS, &p->n_steps)) != PARSE_OK) {
		knock_err("-s %s: %s; use e.g. -s 7000/tcp,8000/udp,9000/udp "
		    "(at most %d steps)", o->seq, parse_strerror(pe),
		    SK_MAX_STEPS);
		return KNOCK_EXIT_USAGE;
	}
	if (o->open != NULL && (pe = parse_port_proto(o->open, SK_PROTO_TCP,
	    &p->open)) != PARSE_OK) {
		knock_err("-p %s: %s; use e.g. -p 22/tcp", o->open,
		    parse_strerror(pe));
		return KNOCK_EXIT_USAGE;
	}
	if (o->allow != NULL && addr_parse(o->allow, &p->allow) != ADDR_OK) {
		knock_err("-a %s: not a numeric IPv4 or IPv6 address; use e.g. "
		    "-a 198.51.100.7 (or -a :: to sign none)", o->allow);
		return KNOCK_EXIT_USAGE;
	}
	p->allow_set |= o->allow != NULL;
	if (o->door != NULL && !copy_str(p->door, sizeof p->door, o->door,
	    "--door DOOR"))
		return KNOCK_EXIT_USAGE;
	if (o->key_path != NULL && !knock_expand_opt("-k", o->key_path,
	    "key file", p->key_path, sizeof p->key_path))
		return KNOCK_EXIT_USAGE;
	return 0;
}

/* check_signed(p): a signed knock needs a door and a UDP last step. */
static int
check_signed(const struct knock_plan *p)
{
	const struct sk_port *last = &p->steps[p->n_steps - 1];

	if (p->key_path[0] == '\0') {
		if (p->derive[0] != '\0') {
			knock_err("derive = %s needs the fleet key file: add "
			    "key = FILE to the alias", p->derive);
			return KNOCK_EXIT_USAGE;
		}
		if (addr_is_zero(&p->allow))
			return 0;
		knock_err("-a/allow is signed into the token, and this knock "
		    "is unsigned (no key); give -k KEYFILE and --door DOOR, or "
		    "drop the address");
		return KNOCK_EXIT_USAGE;
	}
	if (p->door[0] == '\0') {
		knock_err("a signed knock (key %s) needs the door name the "
		    "server uses; give --door DOOR or door = in the alias",
		    p->key_path);
		return KNOCK_EXIT_USAGE;
	}
	if (strlen(p->door) > TOK_DOOR_MAX) {
		knock_err("door %s: longer than %d characters", p->door,
		    TOK_DOOR_MAX);
		return KNOCK_EXIT_USAGE;
	}
	if (!parse_token_step_ok(p->steps, p->n_steps)) {
		knock_err("sequence ends with %u/%s: the last step of a signed "
		    "knock carries the token and must be UDP; end the sequence "
		    "with e.g. %u/udp", last->port,
		    parse_proto_name(last->proto), last->port);
		return KNOCK_EXIT_USAGE;
	}
	return 0;
}

/* check_wait(o, p): --wait probes the TCP port to open; is there one? */
static int
check_wait(const struct knock_opts *o, const struct knock_plan *p)
{
	if (!o->wait || o->mode == KM_PROXY)
		return 0;
	if (p->open.port == 0) {
		knock_err("--wait probes the TCP port the knock opens, and none "
		    "is given; add -p 22/tcp (or open = 22/tcp in the alias)");
		return KNOCK_EXIT_USAGE;
	}
	if (p->open.proto != SK_PROTO_TCP) {
		knock_err("--wait probes a TCP port, and the port to open is "
		    "%u/udp; drop --wait, or ask for a TCP port with -p",
		    p->open.port);
		return KNOCK_EXIT_USAGE;
	}
	return 0;
}

/* fixed_inputs(o, p): --nonce and --time (tests), else random and now. */
static int
fixed_inputs(const struct knock_opts *o, struct knock_plan *p)
{
	uint64_t t;
	size_t len = 0;

	if (o->nonce_hex != NULL) {
		if (sodium_hex2bin(p->nonce, sizeof p->nonce, o->nonce_hex,
		    strlen(o->nonce_hex), NULL, &len, NULL) != 0 ||
		    len != sizeof p->nonce) {
			knock_err("--nonce %s: not %zu hex digits", o->nonce_hex,
			    2 * sizeof p->nonce);
			return KNOCK_EXIT_USAGE;
		}
		p->fixed_nonce = true;
	} else
		randombytes_buf(p->nonce, sizeof p->nonce);
	if (o->time_txt != NULL) {
		if (parse_uint(o->time_txt, 0, INT64_MAX, &t) != PARSE_OK) {
			knock_err("--time %s: not unix seconds", o->time_txt);
			return KNOCK_EXIT_USAGE;
		}
		p->now_s = (int64_t)t;
	} else
		p->now_s = (int64_t)time(NULL);
	return 0;
}

/*
 * plan_make(o, p): the alias for o->host (if any) with the options on
 * top, checked.  Returns 0, KNOCK_EXIT_ERR or KNOCK_EXIT_USAGE, having
 * said why.
 */
int
plan_make(const struct knock_opts *o, struct knock_plan *p)
{
	int rc;

	memset(p, 0, sizeof *p);
	/* knockd's form (ports after HOST) reads no config, as knockd. */
	if (o->n_ports > 0 && !copy_str(p->host, sizeof p->host, o->host,
	    "HOST"))
		return KNOCK_EXIT_USAGE;
	if ((o->n_ports == 0 && (rc = find_alias(o, p)) != 0) ||
	    (rc = apply_opts(o, p)) != 0)
		return rc;
	if (p->n_steps == 0) {
		knock_err("%s: no sequence; give -s SEQ or sequence = in the "
		    "alias", o->host);
		return KNOCK_EXIT_USAGE;
	}
	if ((rc = check_signed(p)) != 0 || (rc = check_wait(o, p)) != 0)
		return rc;
	return fixed_inputs(o, p);
}

/*
 * plan_master(path, derive, master): the master key in ${path}, or with
 * ${derive} (a fleet key file) the key derived for that server name.
 * Returns 0 or KNOCK_EXIT_ERR, having said why.
 */
int
plan_master(const char *path, const char *derive,
    uint8_t master[static SK_KEY_LEN])
{
	char msg[KNOCK_MSG_LEN];
	uint8_t fleet[SK_KEY_LEN];
	bool ok;

	if (key_read_master(path, derive[0] != '\0' ? fleet : master, msg,
	    sizeof msg) != KEY_OK) {
		knock_err("%s%s", msg, derive[0] != '\0' ? " (the fleet key "
		    "file: 32 bytes of base64, made by knock --keygen NAME "
		    "--fleet FILE)" : "");
		return KNOCK_EXIT_ERR;
	}
	if (derive[0] == '\0')
		return 0;
	ok = derive_server_key(fleet, derive, master);
	sodium_memzero(fleet, sizeof fleet);
	if (ok)
		return 0;
	knock_err("derive = %s: not a server name of 1-%d bytes; use the "
	    "name given to knock --keygen NAME --fleet", derive,
	    SK_NAME_MAX - 1);
	return KNOCK_EXIT_ERR;
}

/* build_token(p, out): load (or derive) the key and seal the request. */
static int
build_token(const struct knock_plan *p, uint8_t out[static TOK_WIRE_LEN])
{
	uint8_t master[SK_KEY_LEN];
	struct sk_key *k;
	struct tok_req r;
	enum tok_err te;
	int rc;

	if ((rc = plan_master(p->key_path, p->derive, master)) != 0)
		return rc;
	k = key_new();
	if (k != NULL)
		key_derive(master, k);
	sodium_memzero(master, sizeof master);
	if (k == NULL) {
		knock_err("out of memory for the key");
		return KNOCK_EXIT_ERR;
	}
	memset(&r, 0, sizeof r);
	r.port = p->open.port;
	r.proto = p->open.port != 0 ? p->open.proto : SK_PROTO_TCP;
	r.timestamp = p->now_s;
	r.allow = p->allow;
	te = tok_build(k, p->door, p->nonce, &r, out);
	key_free(k);
	if (te != TOK_OK) {
		knock_err("door %s: %s", p->door, tok_strerror(te));
		return KNOCK_EXIT_ERR;
	}
	return 0;
}

/*
 * plan_packets(p, pkts, pkts_cap, n): one packet per step; on a signed
 * knock the last one carries the token.
 */
int
plan_packets(const struct knock_plan *p, struct knock_pkt *pkts,
    size_t pkts_cap, size_t *n)
{
	struct knock_pkt *last;
	size_t i;

	if (p->n_steps > pkts_cap)
		return KNOCK_EXIT_ERR;
	for (i = 0; i < p->n_steps; i++) {
		pkts[i].to = p->steps[i];
		pkts[i].payload_len = 0;
	}
	*n = p->n_steps;
	if (p->key_path[0] == '\0')
		return 0;
	last = &pkts[p->n_steps - 1];
	last->payload_len = TOK_WIRE_LEN;
	return build_token(p, last->payload);
}
