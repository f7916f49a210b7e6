/*
 * test_conf.c: conf_parse over buffers (conf_load over real files where
 * reading is the point): every key, range edges, errors.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conf.h"
#include "ini.h"
#include "utctime.h"
#include "conf_fixture.h"
#include "check_main.h"

#define HOOK	"/usr/libexec/sknock/nft"
#define DOOR	"[door:ssh]\nsequence = 7000/tcp, 8000/udp, 9000/udp\n" \
		"open = 22/tcp\nclients = alice\n"
#define CLIENT	"[client:alice]\nkey = /etc/sknock/alice.key\n"
#define GOOD	DOOR CLIENT	/* lines 1-4 door, 5-6 client */
#define KEY_B64	"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

/* parse_conf(buf, len, name, out, ...): what conf_load does, in memory. */
static unsigned
parse_conf(const char *buf, size_t len, const char *name, void *out,
    conf_report_fn *report, void *ctx)
{
	unsigned n;

	conf_init(out, HOOK);
	n = conf_parse(out, buf, len, name, report, ctx);
	return n + conf_finish(out, report, ctx);
}

static void
free_conf(void *c)
{
	conf_free(c);
}

#define CONF(r)			((struct conf *)(r)->out)
#define load_len(text, len)	fix_parse((text), (len), parse_conf, \
				    sizeof(struct conf), free_conf)
#define load(text)		load_len((text), strlen(text))
#define expect			fix_expect
#define run_free		fix_run_free

static struct fix_run *
ok_text(const char *text)
{
	struct fix_run *r = load(text);

	ck_assert_msg(r->n_err == 0, "error for:\n%s\n-> %s", text,
	    r->m.msg[0]);
	return r;
}

/* one_error(text, line, tail): exactly this one error. */
static void
one_error(const char *text, unsigned line, const char *tail)
{
	struct fix_run *r = load(text);

	ck_assert_msg(r->n_err == 1, "%u errors for:\n%s\nfirst: %s",
	    r->n_err, text, r->m.n > 0 ? r->m.msg[0] : "");
	expect(r, line, tail);
	run_free(r);
}

/* line_of(r, i): LINE of message i, "PATH:LINE: ...". */
static unsigned
line_of(const struct fix_run *r, size_t i)
{
	unsigned line = 0;

	ck_assert_int_eq(strncmp(r->m.msg[i], r->path, strlen(r->path)), 0);
	ck_assert_int_eq(sscanf(r->m.msg[i] + strlen(r->path), ":%u:", &line),
	    1);
	return line;
}

START_TEST(example_config_loads)
{
	char path[4096];
	struct fix_msgs m = { .n = 0 };
	struct conf *c = malloc(sizeof *c);
	const struct conf_door *d;

	fix_src_path("conf/sknockd.conf", path);
	ck_assert_uint_eq(conf_load(path, HOOK, c, fix_report, &m), 0);
	ck_assert_uint_eq(c->n_doors, 1);
	d = &c->doors[0];
	ck_assert_str_eq(d->name, "ssh");
	ck_assert_uint_eq(d->n_steps, 3);
	ck_assert_uint_eq(d->steps[0].port, 7000);
	ck_assert_uint_eq(d->steps[0].proto, SK_PROTO_TCP);
	ck_assert_uint_eq(d->steps[2].port, 9000);
	ck_assert_uint_eq(d->steps[2].proto, SK_PROTO_UDP);
	ck_assert_uint_eq(d->n_open, 1);
	ck_assert_uint_eq(d->open[0].port, 22);
	ck_assert(d->is_signed);
	ck_assert_uint_eq(d->n_clients, 1);
	ck_assert_str_eq(c->clients[d->clients[0]].name, "alice");
	ck_assert_str_eq(c->clients[0].key_path, "/etc/sknock/alice.key");
	ck_assert_str_eq(c->hook, HOOK);	/* commented out there */
	ck_assert_uint_eq(c->window_s, CONF_DEF_WINDOW);
	ck_assert_uint_eq(c->max_sources, CONF_DEF_MAX_SOURCES);
	ck_assert_str_eq(c->ifaces[0], "any");
	conf_free(c);
	free(c);
}
END_TEST

START_TEST(defaults_before_parsing)
{
	struct fix_run *r = ok_text(GOOD);
	const struct conf *c = CONF(r);

	ck_assert_uint_eq(c->n_ifaces, 1);
	ck_assert_str_eq(c->ifaces[0], CONF_DEF_INTERFACE);
	ck_assert_str_eq(c->hook, HOOK);
	ck_assert_str_eq(c->state_dir, CONF_DEF_STATE_DIR);
	ck_assert_uint_eq(c->window_s, CONF_DEF_WINDOW);
	ck_assert_uint_eq(c->max_sources, CONF_DEF_MAX_SOURCES);
	ck_assert_uint_eq(c->verify_per_source, CONF_DEF_VERIFY_SOURCE);
	ck_assert_uint_eq(c->verify_global, CONF_DEF_VERIFY_GLOBAL);
	ck_assert_uint_eq(c->max_hooks, CONF_DEF_MAX_HOOKS);
	ck_assert_uint_eq(c->log_rate, CONF_DEF_LOG_RATE);
	ck_assert_uint_eq(c->doors[0].timeout_s, CONF_DEF_TIMEOUT);
	ck_assert_uint_eq(c->doors[0].seq_timeout_s, CONF_DEF_SEQ_TIMEOUT);
	ck_assert(c->doors[0].is_signed);
	ck_assert(!c->doors[0].allow_other_address);
	ck_assert(!c->doors[0].require_source_address);
	ck_assert(!c->doors[0].forward);
	ck_assert_uint_eq(c->doors[0].clients[0], 0);
	ck_assert_uint_eq(c->clients[0].line, 5);
	run_free(r);
}
END_TEST

START_TEST(daemon_keys_valid)
{
	struct fix_run *r = ok_text("[Daemon]\n"
	    "Interface = eth0, eth1  wlan0\n"
	    "hook = /usr/local/libexec/sknock/iptables\n"
	    "state_dir = /srv/sknock\n"
	    "window = 2m\n"
	    "max_sources = 1000\n"
	    "verify_per_source = 7\n"
	    "verify_global = 9000\n"
	    "max_hooks = 4\n"
	    "log_rate = 100\n" GOOD);
	const struct conf *c = CONF(r);

	ck_assert_uint_eq(c->n_ifaces, 3);
	ck_assert_str_eq(c->ifaces[0], "eth0");
	ck_assert_str_eq(c->ifaces[2], "wlan0");
	ck_assert_str_eq(c->hook, "/usr/local/libexec/sknock/iptables");
	ck_assert_str_eq(c->state_dir, "/srv/sknock");
	ck_assert_uint_eq(c->window_s, 120);
	ck_assert_uint_eq(c->max_sources, 1000);
	ck_assert_uint_eq(c->verify_per_source, 7);
	ck_assert_uint_eq(c->verify_global, 9000);
	ck_assert_uint_eq(c->max_hooks, 4);
	ck_assert_uint_eq(c->log_rate, 100);
	run_free(r);
}
END_TEST

/* Each numeric key at both edges of its range, and one past each. */
START_TEST(daemon_ranges)
{
	static const struct {
		const char	*key;
		const char	*lo, *hi, *below, *above, *problem;
	} k[] = {
		{ "window", "1", "3600", "0", "3601",
		    "not in 1-3600 seconds; use e.g. 60" },
		{ "max_sources", "1", "16777216", "0", "16777217",
		    "not in 1-16777216; use e.g. 65536" },
		{ "verify_per_source", "1", "10000000", "0", "10000001",
		    "not in 1-10000000; use e.g. 5" },
		{ "verify_global", "1", "10000000", "0", "10000001",
		    "not in 1-10000000; use e.g. 20000" },
		{ "max_hooks", "1", "1024", "0", "1025",
		    "not in 1-1024; use e.g. 32" },
		{ "log_rate", "1", "100000", "0", "100001",
		    "not in 1-100000; use e.g. 20" },
	};
	char text[512], tail[256];

	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		const char *ok[] = { k[i].lo, k[i].hi };
		const char *bad[] = { k[i].below, k[i].above };

		for (size_t j = 0; j < 2; j++) {
			snprintf(text, sizeof text, "[daemon]\n%s = %s\n" GOOD,
			    k[i].key, ok[j]);
			run_free(ok_text(text));
			snprintf(text, sizeof text, "[daemon]\n%s = %s\n" GOOD,
			    k[i].key, bad[j]);
			snprintf(tail, sizeof tail, "%s = %s: %s", k[i].key,
			    bad[j], k[i].problem);
			one_error(text, 2, tail);
		}
	}
}
END_TEST

START_TEST(daemon_keys_invalid)
{
	one_error("[daemon]\nwindow = soon\n" GOOD, 2, "window = soon: not a "
	    "duration; use seconds, or a number with s, m, h or d, e.g. 60");
	one_error("[daemon]\nwindow =\n" GOOD, 2, "window = : not a duration; "
	    "use seconds, or a number with s, m, h or d, e.g. 60");
	one_error("[daemon]\nmax_hooks = -1\n" GOOD, 2, "max_hooks = -1: not "
	    "a whole number; use e.g. 32");
	one_error("[daemon]\nmax_sources = 1e6\n" GOOD, 2, "max_sources = 1e6: "
	    "not a whole number; use e.g. 65536");
	one_error("[daemon]\nhook = nft\n" GOOD, 2, "hook = nft: not an "
	    "absolute path; use e.g. " SK_DEFAULT_HOOK);
	one_error("[daemon]\nstate_dir = var/lib\n" GOOD, 2, "state_dir = "
	    "var/lib: not an absolute path; use e.g. /var/lib/sknock");
	one_error("[daemon]\ninterface = eth0/1\n" GOOD, 2, "interface = "
	    "eth0/1: eth0/1: not an interface name; use e.g. eth0, or any");
	one_error("[daemon]\ninterface = averyveryverylongname\n" GOOD, 2,
	    "interface = averyveryverylongname: averyveryverylongname: not an "
	    "interface name; use e.g. eth0, or any");
	one_error("[daemon]\ninterface = any, eth0\n" GOOD, 2, "interface = "
	    "any, eth0: any already covers every interface; use any alone");
	one_error("[daemon]\ninterface = eth0 eth0\n" GOOD, 2, "interface = "
	    "eth0 eth0: eth0 listed twice; list it once");
	one_error("[daemon]\ninterface = eth0,,eth1\n" GOOD, 2, "interface = "
	    "eth0,,eth1: not a list of interfaces; use any, or e.g. eth0, eth1");
	one_error("[daemon]\ninterface =\n" GOOD, 2, "interface = : not a list "
	    "of interfaces; use any, or e.g. eth0, eth1");
	one_error("[daemon]\ninterface = a b c d e f g h i j k l m n o p q\n"
	    GOOD, 2, "interface = a b c d e f g h i j k l m n o p q: more than "
	    "16 interfaces; use any");
}
END_TEST

START_TEST(hook_default_only_when_absent)
{
	struct fix_run *r = ok_text("[daemon]\nhook = /opt/h\n" GOOD);
	struct fix_msgs m = { .n = 0 };
	char path[64];

	ck_assert_str_eq(CONF(r)->hook, "/opt/h");
	conf_free(CONF(r));
	fix_file(GOOD, strlen(GOOD), path);
	ck_assert_uint_eq(conf_load(path, "/x/default", CONF(r), fix_report, &m),
	    0);
	ck_assert_str_eq(CONF(r)->hook, "/x/default");
	conf_free(CONF(r));
	ck_assert_uint_eq(conf_load(path, NULL, CONF(r), fix_report, &m), 0);
	ck_assert_str_eq(CONF(r)->hook, SK_DEFAULT_HOOK);
	unlink(path);
	run_free(r);
}
END_TEST

START_TEST(door_keys_valid)
{
	struct fix_run *r = ok_text("[door:web-1.a_b]\n"
	    "sequence = 1/udp 65535/TCP,2\n"
	    "open = 80/tcp, 443, 443/udp\n"
	    "timeout = 1d\n"
	    "seq_timeout = 1h\n"
	    "signed = no\n"
	    "allow_other_address = yes\n"
	    "require_source_address = no\n"
	    "forward = yes\n"
	    "[door:spa]\nsequence = 62201/udp\nopen = 22\nclients = bob, alice\n"
	    "timeout = 1\nseq_timeout = 1s\nsigned = on\n"
	    "require_source_address = true\nallow_other_address = off\n"
	    CLIENT "[client:bob]\nkey = /k/bob\n");
	const struct conf_door *d = &CONF(r)->doors[0];

	ck_assert_uint_eq(CONF(r)->n_doors, 2);
	ck_assert_str_eq(d->name, "web-1.a_b");
	ck_assert_uint_eq(d->n_steps, 3);
	ck_assert_uint_eq(d->steps[0].proto, SK_PROTO_UDP);
	ck_assert_uint_eq(d->steps[1].port, 65535);
	ck_assert_uint_eq(d->steps[2].proto, SK_PROTO_TCP);
	ck_assert_uint_eq(d->n_open, 3);
	ck_assert_uint_eq(d->open[2].proto, SK_PROTO_UDP);
	ck_assert_uint_eq(d->timeout_s, 86400);
	ck_assert_uint_eq(d->seq_timeout_s, 3600);
	ck_assert(!d->is_signed);
	ck_assert(d->allow_other_address);
	ck_assert(d->forward);
	d = &CONF(r)->doors[1];
	ck_assert(!d->forward);
	ck_assert_uint_eq(d->n_steps, 1);	/* pure SPA */
	ck_assert_uint_eq(d->timeout_s, 1);
	ck_assert_uint_eq(d->seq_timeout_s, 1);
	ck_assert(d->is_signed);
	ck_assert(d->require_source_address);
	ck_assert(!d->allow_other_address);
	ck_assert_uint_eq(d->n_clients, 2);
	ck_assert_str_eq(CONF(r)->clients[d->clients[0]].name, "bob");
	ck_assert_str_eq(CONF(r)->clients[d->clients[1]].name, "alice");
	ck_assert_int_eq(conf_door_find(CONF(r), "spa"), 1);
	ck_assert_int_eq(conf_door_find(CONF(r), "web-1.a_b"), 0);
	ck_assert_int_eq(conf_door_find(CONF(r), "SPA"), -1);
	ck_assert_int_eq(conf_door_find(CONF(r), ""), -1);
	run_free(r);
}
END_TEST

START_TEST(door_ranges)
{
	one_error(DOOR "timeout = 0s\n" CLIENT, 5,
	    "timeout = 0s: not in 1-86400 seconds; use e.g. 30");
	one_error(DOOR "timeout = 86401\n" CLIENT, 5,
	    "timeout = 86401: not in 1-86400 seconds; use e.g. 30");
	one_error(DOOR "seq_timeout = 0\n" CLIENT, 5,
	    "seq_timeout = 0: not in 1-3600 seconds; use e.g. 10");
	one_error(DOOR "seq_timeout = 61m\n" CLIENT, 5,
	    "seq_timeout = 61m: not in 1-3600 seconds; use e.g. 10");
	run_free(ok_text(DOOR "seq_timeout = 60m\ntimeout = 24h\n" CLIENT));
}
END_TEST

START_TEST(door_sequence_errors)
{
	static const char *const sixteen = "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,"
	    "16/udp";
	char text[512];

	one_error("[door:d]\nsequence = 7000/icmp, 8000/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, 2, "sequence = 7000/icmp, 8000/udp: "
	    "7000/icmp: protocol not tcp or udp; use e.g. 7000/tcp, 8000/udp, "
	    "9000/udp");
	one_error("[door:d]\nsequence = 7000, 70000/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, 2, "sequence = 7000, 70000/udp: "
	    "70000/udp: port not in 1-65535; use e.g. 7000/tcp, 8000/udp, "
	    "9000/udp");
	one_error("[door:d]\nsequence = 7000,,8000/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, 2, "sequence = 7000,,8000/udp: "
	    "not PORT/PROTO; use e.g. 7000/tcp, 8000/udp, 9000/udp");
	one_error("[door:d]\nsequence = x\nopen = 22\nclients = alice\n"
	    CLIENT, 2, "sequence = x: x: not PORT/PROTO; use e.g. 7000/tcp, "
	    "8000/udp, 9000/udp");
	snprintf(text, sizeof text, "[door:d]\nsequence = %s\nopen = 22\n"
	    "clients = alice\n" CLIENT, sixteen);
	run_free(ok_text(text));
	snprintf(text, sizeof text, "[door:d]\nsequence = 17,%s\nopen = 22\n"
	    "clients = alice\n" CLIENT, sixteen);
	one_error(text, 2, "sequence = 17,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,"
	    "16/udp: more than 16 entries; use at most 16");
	one_error("[door:d]\nsequence = 2, 2/tcp, 9/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, 2, "sequence = 2, 2/tcp, 9/udp: step 2 "
	    "repeats step 1, and a repeated packet counts as a duplicate, so "
	    "the knock can never complete; use another port");
	run_free(ok_text("[door:d]\nsequence = 1/udp, 2/udp, 1/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT));
	one_error("[door:d]\nsequence = 7000/tcp, 8000/tcp\nopen = 22\n"
	    "clients = alice\n" CLIENT, 2, "sequence = 7000/tcp, 8000/tcp: the "
	    "last step of a signed door carries the token, so it must be UDP; "
	    "end with e.g. 8000/udp, or set signed = no");
	run_free(ok_text("[door:d]\nsequence = 7000/tcp, 8000/tcp\nopen = 22\n"
	    "signed = no\n"));
}
END_TEST

START_TEST(door_other_errors)
{
	one_error("[door:d]\nsequence = 9/udp\nopen = 22, 22/tcp\n"
	    "clients = alice\n" CLIENT, 3, "open = 22, 22/tcp: 22/tcp listed "
	    "twice; list it once");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22/gre\n"
	    "clients = alice\n" CLIENT, 3, "open = 22/gre: 22/gre: protocol "
	    "not tcp or udp; use e.g. 22/tcp");
	one_error("[door:d]\nsequence = 9/udp\nopen =\n"
	    "clients = alice\n" CLIENT, 3, "open = : empty; use e.g. 22/tcp");
	one_error(DOOR "signed = maybe\n" CLIENT, 5, "signed = maybe: not yes "
	    "or no; use yes or no");
	one_error(DOOR "allow_other_address = 2\n" CLIENT, 5,
	    "allow_other_address = 2: not yes or no; use yes or no");
	one_error(DOOR "require_source_address =\n" CLIENT, 5,
	    "require_source_address = : not yes or no; use yes or no");
	one_error(DOOR "forward = maybe\n" CLIENT, 5,
	    "forward = maybe: not yes or no; use yes or no");
	one_error("[door:d]\nopen = 22\nclients = alice\n" CLIENT, 1,
	    "[door:d]: no sequence; add e.g. sequence = 7000/tcp, 8000/udp, "
	    "9000/udp");
	one_error("[door:d]\nsequence = 9/udp\nclients = alice\n" CLIENT, 1,
	    "[door:d]: no open; add e.g. open = 22/tcp");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22\n", 1, "[door:d]: a "
	    "signed door needs clients; add clients = NAME of a [client:NAME] "
	    "section (or doors = d in one), or set signed = no");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22\nclients =\n", 4,
	    "clients = : a signed door needs clients; name [client:NAME] "
	    "sections, e.g. clients = alice");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22\nclients = alice, "
	    "carol\n" CLIENT, 4, "clients = alice, carol: no [client:carol] "
	    "section; add one or remove carol");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22\nclients = alice "
	    "alice\n" CLIENT, 4, "clients = alice alice: alice listed twice; "
	    "list it once");
	one_error("[door:d]\nsequence = 9/udp\nopen = 22\nclients = alice,\n"
	    CLIENT, 4, "clients = alice,: not a list of client names; use "
	    "e.g. alice, bob");
	one_error("[door:d]\nsequence = 9/tcp\nopen = 22\nsigned = no\n"
	    "clients = alice\n" CLIENT, 5, "clients = alice: an unsigned door "
	    "checks no keys; remove clients or set signed = yes");
	one_error("[door:d]\nsequence = 9/tcp\nopen = 22\nsigned = no\n"
	    "require_source_address = yes\n", 5, "require_source_address = "
	    "yes: an unsigned door carries no address; set signed = yes or "
	    "require_source_address = no");
}
END_TEST

/* Clients may come after the doors that name them. */
START_TEST(clients_after_doors)
{
	struct fix_run *r = ok_text(CLIENT "[client:zed]\nkey = /k/zed\n"
	    "[door:d]\nsequence = 9/udp\nopen = 22\nclients = zed\n");

	ck_assert_uint_eq(CONF(r)->n_clients, 2);
	ck_assert_uint_eq(CONF(r)->doors[0].clients[0], 1);
	run_free(r);
}
END_TEST

START_TEST(names)
{
	char text[512], name[80];

	memset(name, 'a', 63);
	name[63] = '\0';
	snprintf(text, sizeof text, "[door:%s]\nsequence = 9/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, name);
	run_free(ok_text(text));
	snprintf(text, sizeof text, "[door:%sa]\nsequence = 9/udp\nopen = 22\n"
	    "clients = alice\n" CLIENT, name);
	one_error(text, 1, "[door:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa]: "
	    "bad door name \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"; "
	    "use 1-63 of a-z 0-9 . _ - (e.g. [door:ssh])");
	one_error("[door:SSH]\nsequence = 9/udp\nopen = 22\nclients = alice\n"
	    CLIENT, 1, "[door:SSH]: bad door name \"SSH\"; use 1-63 of a-z 0-9 "
	    ". _ - (e.g. [door:ssh])");
	one_error("[door:]\nsequence = 9/udp\nopen = 22\nclients = alice\n"
	    CLIENT, 1, "[door:]: bad door name \"\"; use 1-63 of a-z 0-9 . _ - "
	    "(e.g. [door:ssh])");
	one_error("[door:my door]\n" DOOR CLIENT, 1, "[door:my door]: bad "
	    "section name; use only letters, digits, '.', '_', '-' and one ':' "
	    "(as in [door:ssh])");
	one_error(GOOD "[client:Bob]\nkey = /k\n", 7, "[client:Bob]: bad "
	    "client name \"Bob\"; use 1-63 of a-z 0-9 . _ - (e.g. "
	    "[client:ssh])");
	one_error(GOOD "[Door:SSH]\ntimeout = 5\n", 7, "[Door:SSH]: section "
	    "repeated (first on line 1); merge or rename one");
	one_error(GOOD "[client:alice]\n", 7, "[client:alice]: section "
	    "repeated (first on line 5); merge or rename one");
	one_error("[door:a:b]\n" DOOR CLIENT, 1, "[door:a:b]: bad section "
	    "name; use only letters, digits, '.', '_', '-' and one ':' (as in "
	    "[door:ssh])");
}
END_TEST

START_TEST(client_errors)
{
	one_error(DOOR "[client:alice]\n", 5, "[client:alice]: no key; add "
	    "key = PATH of its key file, e.g. /etc/sknock/alice.key");
	one_error(DOOR "[client:alice]\nkey = alice.key\n", 6, "key = "
	    "alice.key: not an absolute path; use e.g. /etc/sknock/alice.key");
	one_error(DOOR "[client:alice]\nkey = /k\nfile = /k\n", 7, "file = /k: "
	    "unknown key in a [client:NAME] section; use one of: key, "
	    "doors, key_next, expires");
}
END_TEST

START_TEST(unknown_key_and_section_have_lines)
{
	one_error(GOOD "\n[daemon]\nport = 22\n", 9, "port = 22: unknown key "
	    "in [daemon]; use one of: interface, hook, state_dir, window, "
	    "max_sources, verify_per_source, verify_global, max_hooks, "
	    "log_rate, clients_dir, metrics_file");
	one_error(DOOR "bogus = 1\n" CLIENT, 5, "bogus = 1: unknown key in a "
	    "[door:NAME] section; use one of: sequence, open, timeout, "
	    "seq_timeout, signed, clients, allow_other_address, "
	    "require_source_address, forward");
	one_error(GOOD "; comment\n[server]\nport = 1\n", 8, "[server]: "
	    "unknown section; use [daemon], [door:NAME] or [client:NAME]");
	one_error(GOOD "[door]\n", 7, "[door]: unknown section; use [daemon], "
	    "[door:NAME] or [client:NAME]");
}
END_TEST

START_TEST(every_error_reported)
{
	static const unsigned lines[] = { 2, 3, 4, 5, 7, 9, 10 };
	struct fix_run *r = load("[daemon]\n"	/* 1 */
	    "window = 0\n"			/* 2 */
	    "junk\n"				/* 3 */
	    "max_hooks = 99999\n"		/* 4 */
	    "window = 5\n"			/* 5: repeated */
	    "[door:ssh]\n"			/* 6 */
	    "sequence = 1/tcp, 2/tcp\n"		/* 7: last not udp */
	    "open = 22\n"			/* 8 */
	    "clients = nobody\n"		/* 9 */
	    "[x]\n"				/* 10 */
	    "timeout = 0\n");			/* 11: in an unknown section */

	ck_assert_uint_eq(r->n_err, 7);
	for (size_t i = 0; i < r->m.n; i++)	/* in line order */
		ck_assert_uint_eq(line_of(r, i), lines[i]);
	expect(r, 2, "window = 0: not in 1-3600 seconds; use e.g. 60");
	expect(r, 3, "junk: not [SECTION], KEY = VALUE or a ; comment; fix it "
	    "or comment it out with ;");
	expect(r, 4, "max_hooks = 99999: not in 1-1024; use e.g. 32");
	expect(r, 5, "window: repeated in [daemon] (first on line 2); keep "
	    "one");
	expect(r, 7, "sequence = 1/tcp, 2/tcp: the last step of a signed door "
	    "carries the token, so it must be UDP; end with e.g. 2/udp, or set "
	    "signed = no");
	expect(r, 9, "clients = nobody: no [client:nobody] section; add one or "
	    "remove nobody");
	expect(r, 10, "[x]: unknown section; use [daemon], [door:NAME] or "
	    "[client:NAME]");
	run_free(r);
}
END_TEST

START_TEST(syntax)
{
	struct fix_run *r;

	one_error("top = 1\n" GOOD, 1, "top = 1: key before any [section]; "
	    "move it under one");
	one_error(GOOD "[daemon\n", 7, "[daemon: bad section header; write "
	    "[NAME] alone on its line");
	one_error(GOOD "[daemon] ; main\n", 7, "[daemon] ; main: bad section "
	    "header; write [NAME] alone on its line");
	one_error(GOOD "[]\n", 7, "[]: empty section name; name it, e.g. "
	    "[daemon]");
	one_error(GOOD "[daemon]\n= 5\n", 8, "= 5: no key before '='; write "
	    "KEY = VALUE");
	one_error(GOOD "[daemon]\nwindow\n", 8, "window: not [SECTION], KEY = "
	    "VALUE or a ; comment; fix it or comment it out with ;");
	one_error(GOOD "[daemon]\na:b = 1\n", 8, "a:b = 1: bad key name; keys "
	    "are short words such as timeout");
	one_error(GOOD "[daemon]\nwindow = 5 \\", 8, "window = 5: ends with "
	    "'\\' but no line follows; remove the '\\'");
	/* Comments, quotes, blanks, CRLF and continued lines are fine. */
	r = ok_text("# top comment\r\n\r\n  [ door:ssh ]  \r\n"
	    "  sequence = 7000/tcp, \\\n   8000/udp, \\\n 9000/udp ; steps\n"
	    "open = \"22/tcp\"\t# quoted\n"
	    "CLIENTS = 'alice'\n"
	    "[client:alice]\nkey=/etc/sknock/alice.key\n"
	    "[daemon]\nwindow = 61 ; a comment\n");
	ck_assert_uint_eq(CONF(r)->doors[0].n_steps, 3);
	ck_assert_uint_eq(CONF(r)->doors[0].steps[2].port, 9000);
	ck_assert_uint_eq(CONF(r)->doors[0].open[0].port, 22);
	ck_assert_uint_eq(CONF(r)->window_s, 61);
	ck_assert_uint_eq(CONF(r)->clients[0].line, 9);
	run_free(r);
	/* After a continued line, lines still count right. */
	one_error("[daemon]\nwindow = \\\n  6\\\n0\nlog_rate = 0\n" GOOD, 5,
	    "log_rate = 0: not in 1-100000; use e.g. 20");
}
END_TEST

START_TEST(missing_and_empty_files)
{
	struct fix_msgs m = { .n = 0 };
	struct conf *c = malloc(sizeof *c);
	struct fix_run *r;

	ck_assert_uint_eq(conf_load("/nonexistent/sknockd.conf", HOOK, c,
	    fix_report, &m), 1);
	ck_assert_str_eq(m.msg[0], "/nonexistent/sknockd.conf: cannot open: "
	    "No such file or directory; check the path");
	ck_assert_str_eq(c->hook, HOOK);	/* defaults even so */
	ck_assert_uint_eq(conf_load("/", HOOK, c, fix_report, &m), 1);
	ck_assert_str_eq(m.msg[1], "/: not a regular file; give the config "
	    "file");
	ck_assert_uint_eq(conf_load(NULL, HOOK, c, NULL, NULL), 1);
	conf_free(c);
	free(c);
	r = load("");
	ck_assert_uint_eq(r->n_err, 1);
	expect(r, 0, "no [door:NAME] section; add one, e.g. [door:ssh] with "
	    "sequence = 7000/tcp, 8000/udp, 9000/udp and open = 22/tcp");
	run_free(r);
	r = load("; only comments\n\n[daemon]\n");
	ck_assert_uint_eq(r->n_err, 1);
	run_free(r);
}
END_TEST

START_TEST(long_lines)
{
	char *text = malloc(4 * INI_LINE_MAX);
	size_t n;
	struct fix_run *r;

	/* A comment line of exactly INI_LINE_MAX bytes passes. */
	n = (size_t)snprintf(text, 4 * INI_LINE_MAX, "%s", GOOD);
	memset(text + n, ';', INI_LINE_MAX);
	text[n + INI_LINE_MAX] = '\n';
	r = load_len(text, n + INI_LINE_MAX + 1);
	ck_assert_uint_eq(r->n_err, 0);
	run_free(r);
	/* One byte more is an error on its line, and the rest is read. */
	memset(text + n, ';', INI_LINE_MAX + 1);
	memcpy(text + n + INI_LINE_MAX + 1, "\n[x]\n", 5);
	r = load_len(text, n + INI_LINE_MAX + 6);
	ck_assert_uint_eq(r->n_err, 2);
	expect(r, 7, "line longer than 1000 bytes; shorten it");
	expect(r, 8, "[x]: unknown section; use [daemon], [door:NAME] or "
	    "[client:NAME]");
	run_free(r);
	/* A huge line without any newline. */
	memset(text, 'k', 4 * INI_LINE_MAX);
	r = load_len(text, 4 * INI_LINE_MAX);
	ck_assert_uint_eq(r->n_err, 2);	/* too long; then no door */
	expect(r, 1, "line longer than 1000 bytes; shorten it");
	run_free(r);
	free(text);
}
END_TEST

START_TEST(nul_and_binary_junk)
{
	static const char nul[] = "[door:ssh]\nsequence = 9/udp\0junk\n"
	    "open = 22\nclients = alice\n" CLIENT;
	static const char junk[] = "\x7f" "ELF\x02\x01\x01\xff\xfe[\x1b[31m]\n"
	    "\x80\x81=\x82\n[\xc3\xa9]\n";
	struct fix_run *r = load_len(nul, sizeof nul - 1);

	ck_assert_uint_eq(r->n_err, 2);
	expect(r, 2, "NUL byte in the line; the file must be plain text");
	expect(r, 1, "[door:ssh]: no sequence; add e.g. sequence = 7000/tcp, "
	    "8000/udp, 9000/udp");
	run_free(r);
	r = load_len(junk, sizeof junk - 1);
	ck_assert_uint_ge(r->n_err, 3);
	for (size_t i = 0; i < r->m.n; i++)	/* no control bytes out */
		for (const char *p = r->m.msg[i]; *p != '\0'; p++)
			ck_assert((unsigned char)*p >= 0x20 && *p != 0x7f);
	run_free(r);
}
END_TEST

START_TEST(file_too_large)
{
	size_t len = INI_FILE_MAX + 1;
	char *text = malloc(len);
	struct fix_run *r;

	memset(text, '\n', len);
	r = load_len(text, len);
	ck_assert_uint_eq(r->n_err, 1);
	expect(r, 0, "larger than 1048576 bytes; this is not a config file");
	run_free(r);
	free(text);
}
END_TEST

START_TEST(limits_on_counts)
{
	size_t cap = 80 * 128 + 16 * INI_MAX_ITEMS;
	char *text = malloc(cap);
	size_t off = 0;
	struct fix_run *r;

	for (int i = 0; i <= SK_MAX_DOORS; i++)
		off += (size_t)snprintf(text + off, cap - off, "[door:d%d]\n"
		    "sequence = 9/tcp\nopen = 22\nsigned = no\n", i);
	r = load_len(text, off);
	ck_assert_uint_eq(r->n_err, 1);
	expect(r, 4 * SK_MAX_DOORS + 1, "[door:d64]: more than 64 doors; "
	    "remove some");
	ck_assert_uint_eq(CONF(r)->n_doors, SK_MAX_DOORS);
	run_free(r);
	off = (size_t)snprintf(text, cap, "%s[daemon]\n", GOOD);
	for (int i = 0; i < INI_MAX_ITEMS; i++)
		off += (size_t)snprintf(text + off, cap - off, "k%d=1\n", i);
	r = load_len(text, off);
	/* The item limit, unknown keys up to the error limit, one more. */
	ck_assert_uint_eq(r->n_err, INI_MAX_ERRORS + 1);
	expect(r, INI_MAX_ITEMS + 1, "more than 4096 sections and keys; the "
	    "rest of the file is ignored; remove some");
	ck_assert_str_eq(r->m.msg[INI_MAX_ERRORS] + strlen(r->path),
	    ": more than 200 errors; the rest are not shown");
	run_free(r);
	free(text);
}
END_TEST

/* ini_parse keeps the good lines only, and their lines and values. */
START_TEST(parse_skips_bad_lines)
{
	static const char in[] = "a = 1\n[s]\njunk\nk = v \\\n w\n[s\n"
	    "j = 2\nx = \\";
	struct fix_msgs m = { .n = 0 };
	struct ini ini;

	ck_assert(ini_parse(in, sizeof in - 1, "t.conf", fix_report, &m,
	    &ini));
	ck_assert_uint_eq(ini.n_err, 4);   /* a, junk, [s, dangling x */
	ck_assert_uint_eq(ini.n_items, 2);
	ck_assert(ini.items[0].is_section);
	ck_assert_str_eq(ini.items[1].name, "k");
	ck_assert_uint_eq(ini.items[1].line, 4);
	ck_assert_uint_eq(ini.items[1].section, 0);
	ck_assert_str_eq(ini_value(&ini, 1), "v  w");
	ini_close(&ini);
	ck_assert_uint_eq(m.n, 4);
	ck_assert_str_eq(m.msg[0], "t.conf:1: a = 1: key before any "
	    "[section]; move it under one");
}
END_TEST

/* Values as iniparser 4.1 reads them: quotes, comments, empties. */
START_TEST(parse_values_like_iniparser)
{
	static const char in[] = "[s]\n"
	    "a = \"x ; y\" # c\n"	/* 2: quoted, comment after */
	    "b = ' q '\n"		/* 3: blanks inside quotes kept */
	    "c = v ; c\n"		/* 4 */
	    "d = \"\"\n"		/* 5: empty */
	    "e =\n"			/* 6 */
	    "f = ;x\n"			/* 7 */
	    "g = \"open\n"		/* 8: no closing quote */
	    "h = a=b#c\n"		/* 9 */
	    "I = ''\n";		/* 10: key lowercased */
	static const char *const want[] = { "x ; y", " q ", "v", "", "", "",
	    "open", "a=b", "" };
	struct ini ini;

	ck_assert(ini_parse(in, sizeof in - 1, "v.conf", NULL, NULL, &ini));
	ck_assert_uint_eq(ini.n_err, 0);
	ck_assert_uint_eq(ini.n_items, 10);
	for (size_t i = 0; i < 9; i++)
		ck_assert_str_eq(ini_value(&ini, i + 1), want[i]);
	ck_assert_str_eq(ini.items[9].name, "i");
	ini_close(&ini);
}
END_TEST

/* A key pasted into the config is refused and never quoted back. */
START_TEST(pasted_key_never_echoed)
{
	static const char *const texts[] = {
		DOOR "[client:alice]\nkey = " KEY_B64 "\n",
		DOOR "[client:alice]\nkey = /" KEY_B64 "\n",
		DOOR "[client:alice]\nkey = \"" KEY_B64 "\"\n",
		GOOD "[daemon]\nsecret = " KEY_B64 "\n",
		GOOD KEY_B64 "\n",
		GOOD "[client:bob]\n" KEY_B64 " = 1\nkey = /k\n",
	};

	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		struct fix_run *r = load(texts[i]);

		ck_assert_msg(r->n_err >= 1, "accepted: %s", texts[i]);
		for (size_t j = 0; j < r->m.n; j++)
			ck_assert_msg(strstr(r->m.msg[j], "MUFRYXGBkaGxwdHh8")
			    == NULL,
			    "key echoed: %s", r->m.msg[j]);
		run_free(r);
	}
	one_error(DOOR "[client:alice]\nkey = " KEY_B64 "\n", 6, "key = (not "
	    "shown: it looks like a key): this is a key, not the path of its "
	    "file; save it in a file of mode 0600, e.g. /etc/sknock/alice.key, "
	    "and give that path");
	/* Long paths are still paths: only a key-shaped run is hidden. */
	ck_assert(!ini_secret("/etc/sknock/keys/aliceatexampleorgworkstation/"
	    "laptop2026key"));
	ck_assert(ini_secret("x " KEY_B64));
	ck_assert(ini_secret("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"));
}
END_TEST

#define DOOR_ONLY "[door:open]\nsigned = no\nsequence = 7100/tcp\nopen = 80/tcp\n" \
		"[door:ssh]\nsequence = 7000/tcp, 9000/udp\nopen = 22/tcp\n"
#define CDIR	"/etc/sknock/clients.d/"

/* main + clients files in memory, as dconf_load runs them. */
struct multi {
	struct conf	c;
	struct fix_msgs	m;
	unsigned	n_err;
};

static struct multi *
multi(const char *main_text, const char *const *files, size_t n)
{
	struct multi *r = calloc(1, sizeof *r);
	char name[64];

	ck_assert_ptr_nonnull(r);
	conf_init(&r->c, HOOK);
	r->n_err = conf_parse(&r->c, main_text, strlen(main_text),
	    "/etc/sknock/sknockd.conf", fix_report, &r->m);
	for (size_t i = 0; i < n; i++) {
		snprintf(name, sizeof name, CDIR "%zu.conf", i);
		r->n_err += conf_parse_clients(&r->c, files[i],
		    strlen(files[i]), name, fix_report, &r->m);
	}
	r->n_err += conf_finish(&r->c, fix_report, &r->m);
	ck_assert_uint_eq(r->n_err, r->m.n);
	return r;
}

static void
multi_free(struct multi *r)
{
	conf_free(&r->c);
	free(r);
}

static void
multi_one_error(const char *main_text, const char *const *files, size_t n,
    const char *want)
{
	struct multi *r = multi(main_text, files, n);

	ck_assert_msg(r->n_err == 1, "%u errors, first: %s", r->n_err,
	    r->m.n > 0 ? r->m.msg[0] : "");
	ck_assert_str_eq(r->m.msg[0], want);
	multi_free(r);
}

START_TEST(clients_files_grant_doors)
{
	static const char *const files[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh\n",
		"; carol\n[client:carol]\nkey = /k/carol\n",
	};
	struct multi *r = multi(DOOR_ONLY "clients = carol\n", files, 2);
	const struct conf_door *d = &r->c.doors[1];

	ck_assert_uint_eq(r->n_err, 0);
	ck_assert_uint_eq(r->c.n_clients, 2);
	ck_assert_uint_eq(d->n_clients, 2);
	/* The door's own list first, then the clients that name it. */
	ck_assert_str_eq(r->c.clients[d->clients[0]].name, "carol");
	ck_assert_str_eq(r->c.clients[d->clients[1]].name, "bob");
	ck_assert_str_eq(r->c.clients[0].file, CDIR "0.conf");
	ck_assert_uint_eq(r->c.clients[1].line, 2);
	ck_assert_uint_eq(r->c.doors[0].n_clients, 0);
	multi_free(r);
}
END_TEST

START_TEST(clients_files_errors)
{
	static const char *const dup[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh\n",
		"\n[client:bob]\nkey = /k/bob2\ndoors = ssh\n",
	};
	static const char *const bad_door[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh, web\n" };
	static const char *const unsigned_door[] = {
		"[client:bob]\nkey = /k/bob\ndoors = open, ssh\n" };
	static const char *const twice[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh, ssh\n" };
	static const char *const not_client[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh\n[door:x]\n" };
	static const char *const no_doors[] = {
		"[client:bob]\nkey = /k/bob\ndoors =\n",
		"[client:eve]\nkey = /k/eve\ndoors = ssh\n" };

	multi_one_error(DOOR_ONLY, dup, 2, CDIR "1.conf:2: [client:bob]: "
	    "already defined at " CDIR "0.conf:1; a client is defined once "
	    "across all files; remove one");
	multi_one_error(DOOR_ONLY "[client:bob]\nkey = /k\ndoors = ssh\n", dup,
	    1, CDIR
	    "0.conf:1: [client:bob]: already defined at "
	    "/etc/sknock/sknockd.conf:8; a client is defined once across all "
	    "files; remove one");
	multi_one_error(DOOR_ONLY, bad_door, 1, CDIR "0.conf:3: doors = ssh, "
	    "web: no [door:web] in /etc/sknock/sknockd.conf; add one there or "
	    "remove web");
	multi_one_error(DOOR_ONLY, unsigned_door, 1, CDIR "0.conf:3: doors = "
	    "open, ssh: door open is unsigned (signed = no) and checks no "
	    "keys; remove open");
	multi_one_error(DOOR_ONLY, twice, 1, CDIR "0.conf:3: doors = ssh, ssh: "
	    "ssh listed twice; list it once");
	multi_one_error(DOOR_ONLY, not_client, 1, CDIR "0.conf:4: [door:x]: "
	    "not a client; a clients_dir file holds only [client:NAME] "
	    "sections (doors and [daemon] belong in /etc/sknock/sknockd.conf)");
	multi_one_error(DOOR_ONLY, no_doors, 2, CDIR "0.conf:3: doors = : not "
	    "a list of door names; use e.g. ssh, web");
	/* A signed door nobody may open is still an error. */
	multi_one_error(DOOR_ONLY, NULL, 0, "/etc/sknock/sknockd.conf:5: "
	    "[door:ssh]: a signed door needs clients; add clients = NAME of a "
	    "[client:NAME] section (or doors = ssh in one), or set signed = "
	    "no");
}
END_TEST

/* A client listed by the door and naming it too is on the door once. */
START_TEST(clients_listed_both_ways_once)
{
	static const char *const files[] = {
		"[client:bob]\nkey = /k/bob\ndoors = ssh\n" };
	struct multi *r = multi(DOOR_ONLY "clients = bob\n", files, 1);

	ck_assert_uint_eq(r->n_err, 0);
	ck_assert_uint_eq(r->c.doors[1].n_clients, 1);
	multi_free(r);
}
END_TEST

/* Many files: every client found, in file order, quickly. */
START_TEST(clients_thousand_files)
{
	enum { N = 1000 };
	static char text[N][96];
	const char *files[N];
	struct multi *r;

	for (size_t i = 0; i < N; i++) {
		snprintf(text[i], sizeof text[i], "[client:u%04zu]\nkey = "
		    "/etc/sknock/keys/u%04zu.key\ndoors = ssh\n", i, i);
		files[i] = text[i];
	}
	r = multi(DOOR_ONLY, files, N);
	ck_assert_uint_eq(r->n_err, 0);
	ck_assert_uint_eq(r->c.n_clients, N);
	ck_assert_uint_eq(r->c.doors[1].n_clients, N);
	ck_assert_str_eq(r->c.clients[N - 1].name, "u0999");
	ck_assert_str_eq(r->c.clients[r->c.doors[1].clients[7]].name, "u0007");
	multi_free(r);
}
END_TEST

START_TEST(client_expires_and_key_next)
{
	static const struct { const char *v; int64_t want; } ok[] = {
		{ "2026-12-01", 1796083200 },
		{ "2026-12-01T00:00:00Z", 1796083200 },
		{ "2026-12-01T23:59:59Z", 1796169599 },
		{ "2028-02-29", 1835395200 },
		{ "2000-01-01", 946684800 },
	};
	static const char *const bad_range[] = { "2026-13-01", "2026-02-29",
	    "2026-04-31", "2026-12-01T24:00:00Z", "2026-12-01T23:60:00Z",
	    "1999-12-31", "2026-00-10", "2026-01-00" };
	static const char *const bad_syntax[] = { "tomorrow", "2026-1-01",
	    "2026-12-01 00:00:00", "2026-12-01T00:00:00", "2026-12-01Z",
	    "20261201", "" };
	char buf[512], when[UTC_TXT_LEN];
	struct fix_run *r;

	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(buf, sizeof buf, GOOD "expires = %s\n", ok[i].v);
		r = ok_text(buf);
		ck_assert_int_eq(CONF(r)->clients[0].expires_s, ok[i].want);
		utc_format(ok[i].want, when);
		ck_assert_int_eq(strncmp(when, ok[i].v, 10), 0);
		run_free(r);
	}
	for (size_t i = 0; i < sizeof bad_range / sizeof bad_range[0]; i++) {
		char tail[256];

		snprintf(buf, sizeof buf, GOOD "expires = %s\n", bad_range[i]);
		snprintf(tail, sizeof tail, "expires = %s: no such date or "
		    "time; use YYYY-MM-DD (UTC midnight) or YYYY-MM-DDTHH:MM:SSZ "
		    "from 2000 on, e.g. 2027-01-31", bad_range[i]);
		one_error(buf, 7, tail);
	}
	for (size_t i = 0; i < sizeof bad_syntax / sizeof bad_syntax[0]; i++) {
		char tail[256];

		snprintf(buf, sizeof buf, GOOD "expires = %s\n", bad_syntax[i]);
		snprintf(tail, sizeof tail, "expires = %s: not a date; use "
		    "YYYY-MM-DD (UTC midnight) or YYYY-MM-DDTHH:MM:SSZ, e.g. "
		    "2027-01-31", bad_syntax[i]);
		one_error(buf, 7, tail);
	}
	r = ok_text(GOOD "key_next = /etc/sknock/alice.next.key\n");
	ck_assert_str_eq(CONF(r)->clients[0].key_next_path,
	    "/etc/sknock/alice.next.key");
	ck_assert_int_eq(CONF(r)->clients[0].expires_s, 0);	/* never */
	run_free(r);
	r = ok_text(GOOD);
	ck_assert_ptr_null(CONF(r)->clients[0].key_next_path);
	run_free(r);
	one_error(GOOD "key_next = /etc/sknock/alice.key\n", 7, "key_next = "
	    "/etc/sknock/alice.key: the same file as key; give the new key's "
	    "file, e.g. /etc/sknock/alice.next.key");
	one_error(GOOD "key_next = next.key\n", 7, "key_next = next.key: not "
	    "an absolute path; use e.g. /etc/sknock/alice.next.key");
	one_error(GOOD "key_next = " KEY_B64 "\n", 7, "key_next = (not shown: "
	    "it looks like a key): this is a key, not the path of its file; "
	    "save it in a file of mode 0600, e.g. /etc/sknock/alice.next.key, "
	    "and give that path");
}
END_TEST

int
main(void)
{
	TCase *tc = tcase_create("conf");

	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, example_config_loads);
	tcase_add_test(tc, defaults_before_parsing);
	tcase_add_test(tc, daemon_keys_valid);
	tcase_add_test(tc, daemon_ranges);
	tcase_add_test(tc, daemon_keys_invalid);
	tcase_add_test(tc, hook_default_only_when_absent);
	tcase_add_test(tc, door_keys_valid);
	tcase_add_test(tc, door_ranges);
	tcase_add_test(tc, door_sequence_errors);
	tcase_add_test(tc, door_other_errors);
	tcase_add_test(tc, clients_after_doors);
	tcase_add_test(tc, names);
	tcase_add_test(tc, client_errors);
	tcase_add_test(tc, unknown_key_and_section_have_lines);
	tcase_add_test(tc, every_error_reported);
	tcase_add_test(tc, syntax);
	tcase_add_test(tc, missing_and_empty_files);
	tcase_add_test(tc, long_lines);
	tcase_add_test(tc, nul_and_binary_junk);
	tcase_add_test(tc, file_too_large);
	tcase_add_test(tc, limits_on_counts);
	tcase_add_test(tc, parse_skips_bad_lines);
	tcase_add_test(tc, pasted_key_never_echoed);
	tcase_add_test(tc, clients_files_grant_doors);
	tcase_add_test(tc, clients_files_errors);
	tcase_add_test(tc, clients_listed_both_ways_once);
	tcase_add_test(tc, clients_thousand_files);
	tcase_add_test(tc, client_expires_and_key_next);
	tcase_add_test(tc, parse_values_like_iniparser);
	return check_run("conf", tc);
}
