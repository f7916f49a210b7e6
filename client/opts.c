/* opts.c: knock's command line, a superset of knockd's knock(1). */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "knock.h"
#include "parse.h"

const char knock_usage[] =
    "usage: knock [options] HOST [PORT[:PROTO]]...\n"
    "       knock --proxy [options] HOST PORT\n"
    "       knock --keygen NAME [--fleet FILE] [--host HOSTNAME] [-D DOOR] "
    "[-s SEQ] [-p PORT/PROTO]\n"
    "       knock --derive NAME -k FLEETFILE\n";

const char knock_help[] =
    "\n"
    "Send a signed port knock (sknock wire protocol v1) to HOST, or, with\n"
    "ports after HOST, bare knocks as knockd's knock client does.\n"
    "\n"
    "HOST is looked up in the client config as a section name, then as the\n"
    "host = value of a section (so ssh's %h finds it); the section gives\n"
    "host, door, sequence, key, derive, open and allow.  Options override "
    "it.\n"
    "Without an alias, give -s SEQ (or the ports after HOST); --door with -k\n"
    "makes a signed knock, and without -k every step is a bare knock.\n"
    "A name with IPv4 and IPv6 addresses is knocked on both families.\n"
    "\n"
    "  PORT[:PROTO]     knockd's form: bare knocks in order (tcp, or udp with\n"
    "                   :udp or -u; PORT a number or a service name); the\n"
    "                   client config is not read\n"
    "  -u, --udp        every PORT after HOST is UDP\n"
    "  -d, --delay MS   milliseconds between steps (default 0; --gap MS too)\n"
    "  -c FILE          client config (default $XDG_CONFIG_HOME/sknock/"
    "knock.conf,\n"
    "                   else ~/.config/sknock/knock.conf)\n"
    "  -s SEQ           sequence, e.g. 7000/tcp,8000/udp,9000/udp (bare "
    "port: tcp)\n"
    "  -k KEYFILE       key file (mode 0600) made by knock --keygen\n"
    "  -D, --door DOOR  door name on the server (signed into the token)\n"
    "  -p PORT/PROTO    port to ask for, e.g. 22/tcp (default: the door's "
    "first)\n"
    "  -a ADDR          sign ADDR as the address to allow (NAT); by default\n"
    "                   knock signs its own source address when it is global\n"
    "                   unicast, else none (-a :: or -a 0.0.0.0: none)\n"
    "  -4, -6           use IPv4 / IPv6 only\n"
    "  --wait[=SECONDS] after knocking, probe the TCP port to open until it\n"
    "                   accepts a connection (default 10 s; `--wait SECONDS "
    "HOST'\n"
    "                   works too); exit 1 if it does not open in time\n"
    "  --proxy          knock HOST, wait for PORT as --wait does, then relay\n"
    "                   stdin/stdout to it: ProxyCommand knock --proxy %h %p\n"
    "  --dry-run        print the packets instead of sending them\n"
    "  -v, --verbose    say what is done: addresses, steps, timings "
    "(stderr)\n"
    "  --keygen NAME    write ~/.config/sknock/NAME.key (mode 0600) and "
    "print the\n"
    "                   server and client config stanzas to paste; with "
    "--host,\n"
    "                   -D (default ssh), -s (default: random tcp,udp,udp), "
    "-p\n"
    "                   (default 22/tcp); --fleet FILE: derive NAME's key "
    "from the\n"
    "                   fleet key in FILE (made, mode 0600, if missing)\n"
    "  --derive NAME    print the server key derived for NAME from -k FILE\n"
    "  -h, --help       this text;  -V, --version  the version\n"
    "\n"
    "--dry-run prints one line per packet, in order, to stdout:\n"
    "  ADDRESS PROTO/PORT           a bare knock (TCP SYN or empty "
    "datagram)\n"
    "  ADDRESS udp/PORT token HEX   the signed token: 88 bytes as 176 "
    "hex digits\n"
    "e.g. `192.0.2.1 tcp/7000', `192.0.2.1 udp/9000 token 4041...'.\n"
    "\n"
    "Exit status: 0 sent (with --wait: the port opened; --proxy: relayed),\n"
    "1 error, 2 usage.  In ssh_config:\n"
    "  Host myserver\n"
    "      ProxyCommand knock --proxy %h %p\n"
    "or  Match host myserver.example.org exec \"knock --wait %h\"\n";

/* Long-only options. */
enum {
	OPT_WAIT = 256, OPT_DRY_RUN, OPT_KEYGEN, OPT_HOST, OPT_NONCE,
	OPT_TIME, OPT_PROXY, OPT_FLEET, OPT_DERIVE, OPT_GAP
};

static const struct option long_opts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "sequence",	required_argument,	NULL, 's' },
	{ "key",	required_argument,	NULL, 'k' },
	{ "door",	required_argument,	NULL, 'D' },
	{ "delay",	required_argument,	NULL, 'd' },
	{ "gap",	required_argument,	NULL, OPT_GAP },
	{ "port",	required_argument,	NULL, 'p' },
	{ "allow",	required_argument,	NULL, 'a' },
	{ "udp",	no_argument,		NULL, 'u' },
	{ "ipv4",	no_argument,		NULL, '4' },
	{ "ipv6",	no_argument,		NULL, '6' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "wait",	optional_argument,	NULL, OPT_WAIT },
	{ "proxy",	no_argument,		NULL, OPT_PROXY },
	{ "dry-run",	no_argument,		NULL, OPT_DRY_RUN },
	{ "keygen",	required_argument,	NULL, OPT_KEYGEN },
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "fleet",	required_argument,	NULL, OPT_FLEET },
	{ "derive",	required_argument,	NULL, OPT_DERIVE },
	{ "nonce",	required_argument,	NULL, OPT_NONCE },
	{ "time",	required_argument,	NULL, OPT_TIME },
	{ NULL, 0, NULL, 0 }
};

/* usage_error(fmt, ...): the problem, the usage lines; returns 2. */
__attribute__((format(printf, 1, 2)))
static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	/* One line: the value, the problem and the fix are in it. */
	va_start(ap, fmt);
	knock_verr(fmt, ap);
	va_end(ap);
	return KNOCK_EXIT_USAGE;
}

/*
 * parse_seconds_ms(s, out_ms): "10", "2.5" or "0.25" seconds (up to three
 * decimals), 0.001 to KNOCK_MAX_WAIT_MS/1000.
 */
static bool
parse_seconds_ms(const char *s, uint32_t *out_ms)
{
	uint64_t ms = 0;
	unsigned frac = 0;
	bool dot = false, digit = false;

	for (; *s != '\0'; s++) {
		if (*s == '.' && !dot) {
			dot = true;
			continue;
		}
		if (!isdigit((unsigned char)*s) || (dot && frac == 3))
			return false;
		ms = ms * 10 + (uint64_t)(*s - '0');
		frac += dot;
		digit = true;
		if (ms > (uint64_t)KNOCK_MAX_WAIT_MS * 1000)
			return false;
	}
	for (; frac < 3; frac++)
		ms *= 10;
	if (!digit || ms == 0 || ms > KNOCK_MAX_WAIT_MS)
		return false;
	*out_ms = (uint32_t)ms;
	return true;
}

/* set_mode(o, m): one of --proxy, --keygen, --derive, -h, -V. */
static int
set_mode(struct knock_opts *o, enum knock_mode m)
{
	bool told = o->mode == KM_HELP || o->mode == KM_VERSION;

	if (m == KM_HELP || m == KM_VERSION) {
		if (!told)
			o->mode = m;	/* the first of -h and -V wins */
		return 0;
	}
	if (!told && o->mode != KM_KNOCK && o->mode != m)
		return usage_error("give one of --proxy, --keygen and "
		    "--derive");
	if (!told)
		o->mode = m;
	return 0;
}

/* set_value(o, c, arg): an option that takes a number; 0 or 2. */
static int
set_value(struct knock_opts *o, int c, const char *arg)
{
	uint64_t v;

	if (c == 'd' || c == OPT_GAP) {
		if (parse_uint(arg, 0, KNOCK_MAX_GAP_MS, &v) != PARSE_OK)
			return usage_error("%s %s: not a number of milliseconds "
			    "in 0-%d; use e.g. %s 10%s", c == 'd' ? "-d" :
			    "--gap", arg, KNOCK_MAX_GAP_MS, c == 'd' ? "-d" :
			    "--gap", c == 'd' ? " (the door is now --door NAME, "
			    "-D NAME)" : "");
		o->gap_ms = (uint32_t)v;
		return 0;
	}
	if (c == '4' || c == '6') {
		if (o->family != AF_UNSPEC)
			return usage_error("give one of -4 and -6");
		o->family = c == '4' ? AF_INET : AF_INET6;
		return 0;
	}
	o->wait = true;
	if (arg != NULL && !parse_seconds_ms(arg, &o->wait_ms))
		return usage_error("--wait=%s: not a number of seconds in "
		    "0.001-%d; use e.g. --wait=10", arg,
		    KNOCK_MAX_WAIT_MS / 1000);
	return 0;
}

/* set_opt(o, c, arg): one option into ${o}; returns 0 or an exit status. */
static int
set_opt(struct knock_opts *o, int c, const char *arg)
{
	switch (c) {
	case 'c': o->conf_path = arg; break;
	case 's': o->seq = arg; break;
	case 'k': o->key_path = arg; break;
	case 'D': o->door = arg; break;
	case 'p': o->open = arg; break;
	case 'a': o->allow = arg; break;
	case 'u': o->udp = true; break;
	case 'v': o->verbose = true; break;
	case OPT_DRY_RUN: o->dry_run = true; break;
	case OPT_HOST: o->keygen_host = arg; break;
	case OPT_FLEET: o->fleet = arg; break;
	case OPT_NONCE: o->nonce_hex = arg; break;
	case OPT_TIME: o->time_txt = arg; break;
	case OPT_PROXY: return set_mode(o, KM_PROXY);
	case 'h': return set_mode(o, KM_HELP);
	case 'V': return set_mode(o, KM_VERSION);
	case OPT_KEYGEN: o->keygen = arg; return set_mode(o, KM_KEYGEN);
	case OPT_DERIVE: o->derive = arg; return set_mode(o, KM_DERIVE);
	case 'd': case OPT_GAP: case '4': case '6': case OPT_WAIT:
		return set_value(o, c, arg);
	default:
		return usage_error("unknown or incomplete option");
	}
	return 0;
}

/*
 * take_wait_seconds(o, pos, n, pending): `--wait 5 HOST`.  ${pending} is
 * the argument that followed a bare --wait; when it is a number and
 * another positional argument (the HOST) remains, it is the deadline.
 */
static void
take_wait_seconds(struct knock_opts *o, char **pos, int *n,
    const char *pending)
{
	int i;

	if (pending == NULL || *n < 2)
		return;
	for (i = 0; i < *n; i++) {
		if (pos[i] != pending)
			continue;
		(void)parse_seconds_ms(pending, &o->wait_ms);
		memmove(&pos[i], &pos[i + 1],
		    (size_t)(*n - i - 1) * sizeof pos[0]);
		(*n)--;
		return;
	}
}

/* read_opts(argc, argv, o): getopt; the first positional at optind. */
static int
read_opts(int argc, char **argv, struct knock_opts *o, const char **pending)
{
	uint32_t ms;
	int c, rc;

	opterr = 0;
	*pending = NULL;
	while ((c = getopt_long(argc, argv, ":c:s:k:D:d:p:a:u46vhV",
	    long_opts, NULL)) != -1) {
		if (c == ':')
			return usage_error("%s needs a value", argv[optind - 1]);
		if (c == '?')
			return usage_error("unknown option %s", optopt != 0 ?
			    (char[]){ '-', (char)optopt, '\0' } :
			    argv[optind - 1]);
		if ((rc = set_opt(o, c, optarg)) != 0)
			return rc;
		if (o->mode == KM_HELP || o->mode == KM_VERSION)
			return 0;
		if (c == OPT_WAIT && optarg == NULL && optind < argc &&
		    parse_seconds_ms(argv[optind], &ms))
			*pending = argv[optind];
	}
	return 0;
}

/* check_positional(o, pos, n): what each mode takes after the options. */
static int
check_positional(struct knock_opts *o, char **pos, int n)
{
	if (o->mode == KM_KEYGEN || o->mode == KM_DERIVE) {
		if (n > 0)
			return usage_error("--%s NAME takes no HOST (got %s)%s",
			    o->mode == KM_KEYGEN ? "keygen" : "derive", pos[0],
			    o->mode == KM_KEYGEN ? "; use --host HOSTNAME to "
			    "name the server" : "");
		if (o->mode == KM_DERIVE && o->key_path == NULL)
			return usage_error("--derive %s needs the fleet key "
			    "file: add -k FILE", o->derive);
		return 0;
	}
	if (o->keygen_host != NULL || o->fleet != NULL)
		return usage_error("%s is for --keygen; for a knock, give "
		    "the HOST after the options", o->fleet != NULL ?
		    "--fleet" : "--host");
	if (n == 0)
		return usage_error(o->mode == KM_PROXY ? "--proxy needs HOST "
		    "PORT, as in ProxyCommand knock --proxy %%h %%p" :
		    "no HOST given: name an alias from the client config, or "
		    "a host with -s SEQ or with ports after it");
	if (o->mode == KM_PROXY && n != 2)
		return usage_error("--proxy needs HOST PORT, as in "
		    "ProxyCommand knock --proxy %%h %%p (got %d argument%s)",
		    n, n == 1 ? "" : "s");
	o->host = pos[0];
	if (o->mode == KM_PROXY)
		o->proxy_port = pos[1];
	else {
		o->ports = pos + 1;
		o->n_ports = (size_t)n - 1;
	}
	return 0;
}

/* opts_parse(argc, argv, o): fills ${o}; 0, or an exit status. */
int
opts_parse(int argc, char **argv, struct knock_opts *o)
{
	const char *pending;
	int rc, n;

	memset(o, 0, sizeof *o);
	o->mode = KM_KNOCK;
	o->family = AF_UNSPEC;
	o->gap_ms = KNOCK_DEF_GAP_MS;
	o->wait_ms = KNOCK_DEF_WAIT_MS;
	if ((rc = read_opts(argc, argv, o, &pending)) != 0)
		return rc;
	if (o->mode == KM_HELP || o->mode == KM_VERSION)
		return 0;
	n = argc - optind;
	take_wait_seconds(o, argv + optind, &n, pending);
	if (o->mode == KM_KNOCK && o->seq != NULL && n > 1)
		return usage_error("-s %s and ports after HOST (%s) both give "
		    "the sequence; use one", o->seq, argv[optind + 1]);
	return check_positional(o, argv + optind, n);
}
