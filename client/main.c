/* main.c: knock's command line; the work is in plan.c, send.c, wait.c. */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "knock.h"
#include "parse.h"

/* When knock started (CLOCK_MONOTONIC), for -v timings. */
static struct timespec start_ts;

static const char usage_line[] =
    "usage: knock [options] HOST\n"
    "       knock --keygen NAME [--host HOSTNAME] [-d DOOR] [-s SEQ] "
    "[-p PORT/PROTO]\n";

static const char help_text[] =
    "Send a signed port knock (sknock wire protocol v1) to HOST.\n"
    "\n"
    "HOST is looked up in the client config as a section name, then as the\n"
    "host = value of a section (so ssh's %h finds it); the section gives\n"
    "host, door, sequence, key, open and allow.  Options override it.\n"
    "Without an alias, -s is required; -d with -k makes a signed knock, and\n"
    "without -k every step is a bare knock (an unsigned door).\n"
    "\n"
    "  -c FILE          client config (default $XDG_CONFIG_HOME/sknock/"
    "knock.conf,\n"
    "                   else ~/.config/sknock/knock.conf)\n"
    "  -s SEQ           sequence, e.g. 7000/tcp,8000/udp,9000/udp (bare "
    "port: tcp)\n"
    "  -k KEYFILE       key file (mode 0600) made by knock --keygen\n"
    "  -d DOOR          door name on the server (signed into the token)\n"
    "  -p PORT/PROTO    port to ask for, e.g. 22/tcp (default: the door's "
    "first)\n"
    "  -a ADDR          sign ADDR as the address to allow (NAT; default: "
    "source)\n"
    "  -4, -6           use IPv4 / IPv6 only\n"
    "  --gap MS         milliseconds between steps (default 1)\n"
    "  --wait[=SECONDS] after knocking, probe the TCP port to open until it\n"
    "                   accepts a connection (default 10 s; `--wait SECONDS "
    "HOST'\n"
    "                   works too); exit 1 if it does not open in time\n"
    "  --dry-run        print the packets instead of sending them\n"
    "  -v               say what is done: address, each step, timings "
    "(stderr)\n"
    "  --keygen NAME    write ~/.config/sknock/NAME.key (mode 0600) and "
    "print the\n"
    "                   server and client config stanzas to paste; with "
    "--host,\n"
    "                   -d (default ssh), -s (default: random tcp,udp,udp), "
    "-p\n"
    "                   (default 22/tcp)\n"
    "  -h, --help       this text;  -V, --version  the version\n"
    "\n"
    "--dry-run prints one line per packet, in order, to stdout:\n"
    "  ADDRESS PROTO/PORT           a bare knock (TCP SYN or empty "
    "datagram)\n"
    "  ADDRESS udp/PORT token HEX   the signed token: 88 bytes as 176 "
    "hex digits\n"
    "e.g. `192.0.2.1 tcp/7000', `192.0.2.1 udp/9000 token 4041...'.\n"
    "\n"
    "Exit status: 0 sent (with --wait: the port opened), 1 error, 2 usage.\n"
    "In ssh_config:  Match host myserver.example.org exec \"knock --wait "
    "%h\"\n";

/* Long-only options. */
enum {
	OPT_GAP = 256, OPT_WAIT, OPT_DRY_RUN, OPT_KEYGEN, OPT_HOST, OPT_NONCE,
	OPT_TIME
};

static const struct option long_opts[] = {
	{ "config",	required_argument,	NULL, 'c' },
	{ "sequence",	required_argument,	NULL, 's' },
	{ "key",	required_argument,	NULL, 'k' },
	{ "door",	required_argument,	NULL, 'd' },
	{ "port",	required_argument,	NULL, 'p' },
	{ "allow",	required_argument,	NULL, 'a' },
	{ "ipv4",	no_argument,		NULL, '4' },
	{ "ipv6",	no_argument,		NULL, '6' },
	{ "verbose",	no_argument,		NULL, 'v' },
	{ "help",	no_argument,		NULL, 'h' },
	{ "version",	no_argument,		NULL, 'V' },
	{ "gap",	required_argument,	NULL, OPT_GAP },
	{ "wait",	optional_argument,	NULL, OPT_WAIT },
	{ "dry-run",	no_argument,		NULL, OPT_DRY_RUN },
	{ "keygen",	required_argument,	NULL, OPT_KEYGEN },
	{ "host",	required_argument,	NULL, OPT_HOST },
	{ "nonce",	required_argument,	NULL, OPT_NONCE },
	{ "time",	required_argument,	NULL, OPT_TIME },
	{ NULL, 0, NULL, 0 }
};

void
knock_err(const char *fmt, ...)
{
	va_list ap;

	fputs("knock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
knock_note(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "knock: %7.3f ms: ", knock_elapsed_ms());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

double
knock_elapsed_ms(void)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start_ts.tv_sec) * 1e3 +
	    (double)(now.tv_nsec - start_ts.tv_nsec) / 1e6;
}

/* usage_error(fmt, ...): the problem, the usage lines; returns 2. */
__attribute__((format(printf, 1, 2)))
static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("knock: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n%sRun knock --help for the options.\n",
	    usage_line);
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

/* is_seconds(s): does ${s} look like a --wait value? */
static bool
is_seconds(const char *s)
{
	uint32_t ms;

	return s != NULL && parse_seconds_ms(s, &ms);
}

/* set_opt(o, c, arg): one option into ${o}; returns 0 or an exit status. */
static int
set_opt(struct knock_opts *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'c': o->conf_path = arg; break;
	case 's': o->seq = arg; break;
	case 'k': o->key_path = arg; break;
	case 'd': o->door = arg; break;
	case 'p': o->open = arg; break;
	case 'a': o->allow = arg; break;
	case 'v': o->verbose = true; break;
	case OPT_DRY_RUN: o->dry_run = true; break;
	case OPT_KEYGEN: o->keygen = arg; break;
	case OPT_HOST: o->keygen_host = arg; break;
	case OPT_NONCE: o->nonce_hex = arg; break;
	case OPT_TIME: o->time_txt = arg; break;
	case '4':
	case '6':
		if (o->family != AF_UNSPEC)
			return usage_error("give one of -4 and -6");
		o->family = c == '4' ? AF_INET : AF_INET6;
		break;
	case OPT_GAP:
		if (parse_uint(arg, 0, KNOCK_MAX_GAP_MS, &v) != PARSE_OK)
			return usage_error("--gap %s: not a number of "
			    "milliseconds in 0-%d; use e.g. --gap 1", arg,
			    KNOCK_MAX_GAP_MS);
		o->gap_ms = (uint32_t)v;
		break;
	case OPT_WAIT:
		o->wait = true;
		if (arg != NULL && !parse_seconds_ms(arg, &o->wait_ms))
			return usage_error("--wait=%s: not a number of seconds "
			    "in 0.001-%d; use e.g. --wait=10", arg,
			    KNOCK_MAX_WAIT_MS / 1000);
		break;
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

/* parse_args(argc, argv, o, what): fills ${o}; 0, or an exit status. */
static int
parse_args(int argc, char **argv, struct knock_opts *o, int *what)
{
	const char *pending = NULL;
	int c, rc, n;

	memset(o, 0, sizeof *o);
	o->family = AF_UNSPEC;
	o->gap_ms = KNOCK_DEF_GAP_MS;
	o->wait_ms = KNOCK_DEF_WAIT_MS;
	*what = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:s:k:d:p:a:46vhV", long_opts,
	    NULL)) != -1) {
		if (c == 'h' || c == 'V') {
			*what = c;
			return 0;
		}
		if (c == ':')
			return usage_error("%s needs a value", argv[optind - 1]);
		if (c == '?')
			return usage_error("unknown option %s", optopt != 0 ?
			    (char[]){ '-', (char)optopt, '\0' } :
			    argv[optind - 1]);
		if ((rc = set_opt(o, c, optarg)) != 0)
			return rc;
		if (c == OPT_WAIT && optarg == NULL && optind < argc &&
		    is_seconds(argv[optind]))
			pending = argv[optind];
	}
	n = argc - optind;
	take_wait_seconds(o, argv + optind, &n, pending);
	if (o->keygen != NULL) {
		if (n > 0)
			return usage_error("--keygen NAME takes no HOST (got "
			    "%s); use --host %s to name the server", argv[optind],
			    argv[optind]);
		return 0;
	}
	if (n == 0)
		return usage_error("no HOST given: name an alias from the "
		    "client config, or a host with -s SEQ");
	if (n > 1)
		return usage_error("one HOST only (got %s and %s)",
		    argv[optind], argv[optind + 1]);
	if (o->keygen_host != NULL)
		return usage_error("--host is for --keygen; for a knock, give "
		    "the HOST as the last argument");
	o->host = argv[optind];
	return 0;
}

/* knock_run(o): plan, resolve, send (or print), wait; an exit status. */
static int
knock_run(const struct knock_opts *o)
{
	struct knock_plan plan;
	struct knock_pkt pkts[SK_MAX_STEPS];
	struct knock_target t;
	size_t n;
	int rc;

	if ((rc = plan_make(o, &plan)) != 0)
		return rc;
	if ((rc = plan_packets(&plan, pkts, SK_MAX_STEPS, &n)) != 0)
		goto out;
	if ((rc = send_resolve(plan.host, o->family, &t)) != 0)
		goto out;
	if (o->verbose)
		knock_note("%s%s%s is %s; %zu step%s, %s", plan.alias,
		    plan.alias[0] != '\0' ? ": " : "", plan.host, t.txt, n,
		    n == 1 ? "" : "s", plan.key_path[0] != '\0' ?
		    "signed" : "unsigned (no key)");
	if (o->dry_run) {
		send_dry_run(&t, pkts, n);
		rc = 0;
		goto out;
	}
	if ((rc = send_all(&t, pkts, n, o->gap_ms, o->verbose)) != 0)
		goto out;
	if (o->wait)
		rc = wait_open(&t, plan.open.port, o->wait_ms, o->verbose);
out:
	sodium_memzero(pkts, sizeof pkts);
	return rc;
}

int
main(int argc, char **argv)
{
	struct knock_opts o;
	int what, rc;

	clock_gettime(CLOCK_MONOTONIC, &start_ts);
	if ((rc = parse_args(argc, argv, &o, &what)) != 0)
		return rc;
	if (what == 'h') {
		printf("%s\n%s", usage_line, help_text);
		return fflush(stdout) == 0 ? 0 : KNOCK_EXIT_ERR;
	}
	if (what == 'V') {
		printf("knock (sknock) %s\n", SK_VERSION);
		return fflush(stdout) == 0 ? 0 : KNOCK_EXIT_ERR;
	}
	if (sodium_init() < 0) {
		knock_err("libsodium failed to initialise; check that "
		    "/dev/urandom is readable");
		return KNOCK_EXIT_ERR;
	}
	rc = o.keygen != NULL ? keygen_run(&o) : knock_run(&o);
	if (fflush(stdout) != 0 && rc == 0) {
		knock_err("cannot write to stdout");
		rc = KNOCK_EXIT_ERR;
	}
	return rc;
}
