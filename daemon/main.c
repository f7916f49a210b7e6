/* main.c: sknockd's options, setup and teardown. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "daemon.h"
#include "loop.h"
#include "rate.h"
#include "replay.h"
#include "seq.h"
#include "sigset.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sknockd [-c FILE] [-i IFACE] [-f] [-r FILE.pcap] "
	    "[-n|--dry-run] [-t|--test-config] [-v] [-h] [-V]\n"
	    "  -c FILE         configuration (default " SK_CONF_PATH ")\n"
	    "  -i IFACE        capture on IFACE instead of the configured "
	    "interfaces (repeatable)\n"
	    "  -f              log to stderr with <N> priority prefixes\n"
	    "  -r FILE.pcap    read a capture, packet time as the clock, "
	    "then exit\n"
	    "  -n, --dry-run   print decisions, run no hooks\n"
	    "  -t, --test-config  check config, keys and hook, then exit\n"
	    "  --reload PID    make sknockd PID reload; exit 0 once the guard "
	    "is back, 1 if it kept its old config\n"
	    "  -v              debug logging\n"
	    "  -h, --help      this help\n"
	    "  -V, --version   print the version\n");
}

static const struct option longopts[] = {
	{ "config", required_argument, NULL, 'c' },
	{ "interface", required_argument, NULL, 'i' },
	{ "foreground", no_argument, NULL, 'f' },
	{ "read", required_argument, NULL, 'r' },
	{ "dry-run", no_argument, NULL, 'n' },
	{ "test-config", no_argument, NULL, 't' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "reload", required_argument, NULL, 'R' },
	{ NULL, 0, NULL, 0 }
};

/* -i IFACE; false (reported) when there are too many or the name is bad. */
static bool
add_iface(struct opts *o, const char *name)
{
	if (o->n_ifaces == SK_MAX_IFACES || name[0] == '\0' ||
	    strlen(name) >= CONF_IFNAME_MAX) {
		fprintf(stderr, "sknockd: -i %s: at most %d interfaces of 1-%d "
		    "characters\n", name, SK_MAX_IFACES, CONF_IFNAME_MAX - 1);
		return false;
	}
	snprintf(o->ifaces[o->n_ifaces++], CONF_IFNAME_MAX, "%s", name);
	return true;
}

/* What getopt cannot check: stray arguments, -r with -i. */
static int
check_opts(int argc, char **argv, const struct opts *o)
{
	if (optind != argc) {
		fprintf(stderr, "sknockd: unexpected argument %s\n",
		    argv[optind]);
		usage(stderr);
		return 2;
	}
	if (o->pcap_file != NULL && o->n_ifaces > 0) {
		fprintf(stderr, "sknockd: -r and -i exclude each other\n");
		return 2;
	}
	return -1;
}

/* Parse argv into ${o}; returns -1 to go on, else an exit status. */
static int
parse_opts(int argc, char **argv, struct opts *o)
{
	int ch;

	memset(o, 0, sizeof *o);
	o->conf_path = SK_CONF_PATH;
	while ((ch = getopt_long(argc, argv, "c:i:fr:ntvhV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->conf_path = optarg;
			break;
		case 'i':
			if (!add_iface(o, optarg))
				return 2;
			break;
		case 'f':
			o->foreground = true;
			break;
		case 'r':
			o->pcap_file = optarg;
			break;
		case 'n':
			o->dry_run = true;
			break;
		case 't':
			o->test_config = true;
			break;
		case 'v':
			o->verbose = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("sknockd " SK_VERSION "\n");
			return 0;
		case 'R':
			o->reload_pid = optarg;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	return check_opts(argc, argv, o);
}

static void
report_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "%s\n", msg);
}

static void
warn_stderr(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "warning: %s\n", msg);
}

/* -t: config, clients_dir, every key file and the hook; exit 0 or 1. */
static int
test_config(const struct opts *o)
{
	unsigned n_err;
	struct dconf *dc = dconf_load(o->conf_path, true, report_stderr,
	    warn_stderr, NULL, &n_err);

	if (dc == NULL) {
		fprintf(stderr, "%s: %u error%s\n", o->conf_path, n_err,
		    n_err == 1 ? "" : "s");
		return 1;
	}
	for (size_t i = 0; i < dc->c.n_doors; i++)
		if (!dc->c.doors[i].is_signed)
			fprintf(stderr, "warning: door %s is unsigned (signed = "
			    "no): anyone who sees a knock can replay it\n",
			    dc->c.doors[i].name);
	dconf_warn_expiry(dc, time(NULL), warn_stderr, NULL);
	dconf_free(dc);
	printf("configuration OK\n");
	return 0;
}

static int
signals_setup(struct daemon *d)
{
	sigset_t set;

	sig_loop_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, NULL) == -1)
		return -1;
	signal(SIGPIPE, SIG_IGN);
	d->sigfd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return d->sigfd == -1 ? -1 : 0;
}

/* Tables sized from the config; false (logged) if memory runs out. */
static bool
tables_new(struct daemon *d)
{
	const struct conf *c = &d->dc->c;

	d->seq = seq_new(c->max_sources);
	d->rate = rate_new(rate_cap(c), c->verify_per_source,
	    c->verify_global);
	d->replay = replay_new(SKD_REPLAY_CAP);
	opens_init(&d->opens);
	if (!hooks_init(&d->hooks, c->hook, c->max_hooks, d->dc->guard,
	    d->dc->guard_fwd, &d->log, &d->cnt) ||
	    d->seq == NULL || d->rate == NULL || d->replay == NULL) {
		log_errx(&d->log, "out of memory for max_sources = %u",
		    (unsigned)c->max_sources);
		return false;
	}
	return true;
}

static void
setup_captures(struct daemon *d)
{
	const struct conf *c = &d->dc->c;

	if (d->o.n_ifaces > 0) {
		for (size_t i = 0; i < d->o.n_ifaces; i++)
			cap_init(&d->caps[i], d->o.ifaces[i], &d->log,
			    &d->cnt.iface_errors);
		d->n_caps = d->o.n_ifaces;
		return;
	}
	for (size_t i = 0; i < c->n_ifaces; i++)
		cap_init(&d->caps[i], c->ifaces[i], &d->log,
		    &d->cnt.iface_errors);
	d->n_caps = c->n_ifaces;
}

static void
teardown(struct daemon *d)
{
	for (size_t i = 0; i < d->n_caps; i++)
		cap_close(&d->caps[i]);
	rstore_close(&d->store);
	seq_free(d->seq);
	rate_free(d->rate);
	replay_free(d->replay);
	hooks_free(&d->hooks);
	opens_free(&d->opens);
	local_free(&d->local);
	metrics_free(&d->metrics);
	dconf_free(d->dc);
	if (d->sigfd != -1)
		close(d->sigfd);
	log_close(&d->log);
}

static void
open_store(struct daemon *d)
{
	rstore_open(&d->store, d->dc->c.state_dir, d->replay, d->clk.now_s,
	    d->dc->c.window_s, &d->log);
}

/* The start hook installs the guard; a dry run (-n) runs no hooks. */
static void
start_hook(struct daemon *d)
{
	if (!d->o.dry_run)
		hook_queue(&d->hooks, HOOK_START, NULL);
}

static int
run(struct daemon *d)
{
	unsigned n_err;

	d->dc = dconf_load(d->o.conf_path, !d->o.dry_run, report_log,
	    report_log_warn, &d->log, &n_err);
	if (d->dc == NULL) {
		log_errx(&d->log, "%s: %u error%s; not starting (check with "
		    "sknockd -t -c %s)", d->o.conf_path, n_err,
		    n_err == 1 ? "" : "s", d->o.conf_path);
		return 1;
	}
	log_set_rate(&d->log, d->dc->c.log_rate);
	dconf_warn_unsigned(d->dc, &d->log);
	dconf_warn_expiry(d->dc, time(NULL), report_log_warn, &d->log);
	if (!tables_new(d) || !metrics_set(&d->metrics,
	    d->dc->c.metrics_file, mono_ms()))
		return 1;
	if (d->clk.offline) {
		d->store.memory_only = true;
		d->n_caps = 1;
		cap_init(&d->caps[0], "file", &d->log, &d->cnt.iface_errors);
		if (!cap_open_file(&d->caps[0], d->o.pcap_file))
			return 1;
		open_store(d);
		start_hook(d);
		return loop_file(d);
	}
	clock_update(&d->clk);
	open_store(d);
	local_watch(&d->local);
	setup_captures(d);
	start_hook(d);
	log_info(&d->log, "sknockd " SK_VERSION " starting: %zu doors, "
	    "%zu clients%s", d->dc->c.n_doors, d->dc->c.n_clients,
	    d->o.dry_run ? ", dry run (no hooks)" : "");
	return loop_live(d);
}

int
main(int argc, char **argv)
{
	static struct daemon d;
	int rc;

	rc = parse_opts(argc, argv, &d.o);
	if (rc >= 0)
		return rc;
	if (d.o.reload_pid != NULL)
		return reloadctl_request(d.o.reload_pid);
	if (sodium_init() < 0) {
		fprintf(stderr, "sknockd: libsodium failed to initialise\n");
		return 1;
	}
	if (d.o.test_config)
		return test_config(&d.o);
	setvbuf(stdout, NULL, _IOLBF, 0);
	d.sigfd = -1;
	d.store.fd = -1;
	d.store.dfd = -1;
	d.local.nl_fd = -1;
	d.clk.offline = d.o.pcap_file != NULL;
	log_open(&d.log, d.o.foreground || d.clk.offline ||
	    getenv("JOURNAL_STREAM") != NULL, d.o.verbose,
	    &d.cnt.log_suppressed);
	if (signals_setup(&d) == -1) {
		log_err(&d.log, "signal setup");
		teardown(&d);
		return 1;
	}
	rc = run(&d);
	teardown(&d);
	return rc;
}
